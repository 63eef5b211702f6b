/* SPDX-License-Identifier: MIT */
/*
 * The sparse front end: one C file, laid out by sparse, into the model.
 * It runs c2xml with sparse's own command line and reads its XML
 * (sparse_xml.c); like every front end it knows nothing of rules.
 */
#ifndef MTCHECK_FRONTEND_SPARSE_H
#define MTCHECK_FRONTEND_SPARSE_H

#include <stddef.h>

#include "mtcheck/error.h"
#include "mtcheck/model.h"

struct mts_frontend_conf {
	const char *c2xml;		/* program; NULL: $MTCHECK_C2XML, else "c2xml" */
	const char *const *args;	/* sparse's options, in order */
	size_t nr_args;
	unsigned tabstop;		/* sparse's -ftabstop, 8 by default */
};

/*
 * Lay @input out with sparse and fill a new model.  On failure *out is
 * NULL, @err says in one line why, naming @input, and *diagnostics (when
 * not NULL, malloc'd) holds what sparse printed, to be shown before that
 * line: the errors that kept the file from being checked.  sparse's
 * warnings on a file it could read are not kept; they are sparse's to
 * report.
 */
int mts_sparse_load(const struct mts_frontend_conf *conf, const char *input,
		    struct mtc_model **out, char **diagnostics, struct mtc_error *err);

/* The c2xml program mts_sparse_load() runs for @conf. */
const char *mts_c2xml_program(const struct mts_frontend_conf *conf);

#endif
