/* SPDX-License-Identifier: MIT */
/*
 * Findings: overlap facts from the analysis, classified by a rule.  A
 * finding is data; the words come from mtc_finding_message() and
 * mtc_finding_note() (mtcheck/report.h) when a reporter needs them.
 *
 * A finding owns all its strings, so it outlives the model it came from;
 * findings from many inputs are gathered in one mtc_findings list, which
 * drops repeats (the same record seen in several objects) and sorts them
 * into a stable order for the reporters.
 */
#ifndef MTCHECK_FINDING_H
#define MTCHECK_FINDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mtcheck/export.h"
#include "mtcheck/model.h"

#ifdef __cplusplus
extern "C" {
#endif

enum mtc_severity {
	MTC_SEV_NONE,		/* rule switched off */
	MTC_SEV_NOTE,
	MTC_SEV_WARNING,
	MTC_SEV_ERROR,
};

MTC_API const char *mtc_severity_name(enum mtc_severity s);
/* Parse "note", "warning", "error" (and "off"/"none" when @allow_off). */
MTC_API int mtc_severity_parse(const char *s, bool allow_off, enum mtc_severity *out);

/* One scalar taking part in an overlap. */
struct mtc_leaf {
	char *path;		/* as written after `obj.`: "slot[15]", "meta.end" */
	char *type;		/* "void *", "unsigned char" */
	enum mtc_kind kind;
	uint64_t offset;	/* bytes from the start of the named record */
	uint64_t size;		/* bytes of the declared type */
	uint32_t bit_offset;	/* physical, from the named record; bitfields only */
	uint32_t bit_size;	/* 0 when not a bitfield */
	bool in_char_array;	/* element of an array of a char type */
	struct mtc_location loc;	/* declaration, file owned by the leaf */
	/*
	 * Narrow leaves only: the bits of the wide value this leaf lands in,
	 * [lo, hi), on a little- and on a big-endian target.
	 */
	uint32_t le_lo, le_hi, be_lo, be_hi;
};

struct mtc_finding {
	/* from the rule */
	char *rule_id;
	char *rule_name;
	enum mtc_severity severity;
	/* the overlap */
	char *record;		/* "struct maple_range_64" */
	struct mtc_leaf wide;
	struct mtc_leaf *narrow;
	size_t nr_narrow;
	uint64_t instances;	/* >1: array elements that overlap alike; paths name the first */
	/*
	 * A union gives at most one finding per member; on the last one it
	 * gives, how many more overlays it has that are not reported.
	 */
	uint64_t more_in_union;
	bool partial;		/* the narrow leaves leave some of the wide value unwritten */
	bool byte_array;	/* every narrow leaf is an element of a char array */
	bool narrow_bitfield;	/* some narrow leaf is a bitfield */
	char *common_prefix;	/* "meta" for meta.end/meta.gap, NULL when none */
	char *little_endian;	/* "0x????????????BBAA" or "0b..." for bitfields */
	char *big_endian;
	struct mtc_target *targets;	/* the layouts this holds for */
	size_t nr_targets;
	/* several targets laid out (mtc_multi_combine) */
	bool multi_target;
	/* ... for both byte orders, and the narrow members land differently */
	bool confirmed;
	/* ... where the record exists but these members overlay nothing (MT010) */
	struct mtc_target *absent_targets;
	size_t nr_absent;
	char *frontend;
	char *input;		/* first input it was seen in */
	struct mtc_location loc;	/* where the warning goes: the overlaying member */
};

struct mtc_findings;

MTC_API struct mtc_findings *mtc_findings_new(void);
MTC_API void mtc_findings_free(struct mtc_findings *fs);
/*
 * Take ownership of @f (allocated with malloc, strings too).  A finding with
 * the same rule, record, declaring file (of its location), target and
 * leaves as one already held is freed and 0 is returned; 1 when added,
 * -ENOMEM when out of memory.  Thread-safe.
 */
MTC_API int mtc_findings_add(struct mtc_findings *fs, struct mtc_finding *f);
/* Sort by file, line, column, record, wide path: the order of every report. */
MTC_API void mtc_findings_sort(struct mtc_findings *fs);
MTC_API size_t mtc_findings_count(const struct mtc_findings *fs);
MTC_API const struct mtc_finding *mtc_findings_at(const struct mtc_findings *fs, size_t i);
/* Highest severity held, MTC_SEV_NONE when empty. */
MTC_API enum mtc_severity mtc_findings_max_severity(const struct mtc_findings *fs);

/*
 * For a finding read back from a report: fill in what its leaves and
 * pictures already say (partial, narrow_bitfield, common_prefix).  0, or
 * -ENOMEM.
 */
MTC_API int mtc_finding_derive(struct mtc_finding *f);

MTC_API void mtc_finding_free(struct mtc_finding *f);
/* A deep copy, or NULL when out of memory. */
MTC_API struct mtc_finding *mtc_finding_dup(const struct mtc_finding *f);

#ifdef __cplusplus
}
#endif
#endif
