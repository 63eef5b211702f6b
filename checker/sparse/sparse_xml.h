/* SPDX-License-Identifier: MIT */
/*
 * sparse's c2xml output, read into the layout model.
 *
 * c2xml prints every declaration of the file it was given (and every type
 * those reach) with sparse's sizes, byte offsets, alignments and source
 * positions; bitfields add their bit offset in allocation order.  It does
 * not print the target, so a small probe file is parsed in the same run:
 * its declarations tell byte order, pointer width, char signedness, the
 * architecture and the size of every base type exactly as sparse decided
 * them from --arch, -mbig-endian/-mlittle-endian and -m32/-m64.
 */
#ifndef MTCHECK_SPARSE_XML_H
#define MTCHECK_SPARSE_XML_H

#include <stddef.h>

#include "mtcheck/error.h"
#include "mtcheck/model.h"

/* The probe's file name on c2xml's command line: standard input. */
#define MTS_PROBE_FILE "-"

/* The probe's C source, given to c2xml on standard input. */
extern const char mts_probe_source[];

struct mts_xml_conf {
	const char *input;	/* the checked file, for the model and messages */
	unsigned tabstop;	/* sparse's -ftabstop: how its columns count tabs */
};

/*
 * Fill a new model from c2xml's output @xml (@len bytes), which must hold
 * the probe's declarations.  Returns 0, or a negative errno with a message
 * naming @conf->input (and the record or member) in @err.
 */
int mts_model_from_xml(const char *xml, size_t len, const struct mts_xml_conf *conf,
		       struct mtc_model **out, struct mtc_error *err);

#endif
