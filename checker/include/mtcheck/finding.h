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

/*
 * How sure mtcheck is that an overlay is a byte-order hazard (docs/json.md,
 * "Confidence").  Ordered: a higher value is more sure.
 */
enum mtc_confidence {
	MTC_CONF_LOW = 1,	/* alternatives a tag selects, padding, reuse, adapted */
	MTC_CONF_MEDIUM,	/* untagged views of one value */
	MTC_CONF_HIGH,		/* co-live: narrow data stashed inside live wide data */
};

/* "low", "medium", "high"; mtc_confidence_parse() is its inverse (-EINVAL). */
MTC_API const char *mtc_confidence_name(enum mtc_confidence c);
MTC_API int mtc_confidence_parse(const char *s, enum mtc_confidence *out);

/* What decided a finding's confidence; each names what it saw. */
enum mtc_evidence_kind {
	MTC_EV_MIRRORED = 1,	/* high: members before the overlay repeated by width and kind */
	MTC_EV_MIRRORED_TYPES,	/* high: ... and each by the same declared type */
	MTC_EV_TAIL,		/* with mirrored: the overlay ends both members, data in the tail */
	MTC_EV_VIEW,		/* medium: no tag, nothing mirrored: another view of one value */
	MTC_EV_TAG_ENUM,	/* low: a member beside the union has an enum type */
	MTC_EV_TAG_NAME,	/* low: a member beside the union is named like a tag */
	MTC_EV_ALTERNATIVES,	/* low: the union has three or more differently shaped members */
	MTC_EV_PADDING,		/* low: the narrow members are padding, reserved or dummy */
	MTC_EV_CHAR_ARRAY,	/* low: the narrow members are elements of char arrays */
	MTC_EV_REUSE,		/* low: one side reuses the memory for its lifetime (rcu_head) */
	MTC_EV_BYTE_ORDER,	/* low: the narrow members sit in a byte-order conditional */
	MTC_EV_TWIN,		/* low: the two members are laid out alike (struct_group) */
};

/* "mirrored", "view", "tag-enum", ...; mtc_evidence_kind_parse() is its inverse. */
MTC_API const char *mtc_evidence_kind_name(enum mtc_evidence_kind k);
MTC_API int mtc_evidence_kind_parse(const char *s, enum mtc_evidence_kind *out);

/*
 * One fact that decided a finding's confidence.  Which fields a kind fills:
 *   mirrored     member: first mirroring narrow-side path, other: the wide-side
 *                path it mirrors, count: members mirrored, loc: member
 *   mirrored-types  the same
 *   tail         nothing
 *   tag-enum     member: the tag ("type", "hdr.kind"), other: its type, loc
 *   tag-name     member, other: its type, loc; record: the record holding it
 *   alternatives count: differently shaped members of the union
 *   padding      member: the padding path
 *   char-array   member: the array's first element path
 *   reuse        member: the member of the reuse type, other: the type, loc
 *   byte-order   member: the narrow member, other: the macro, loc: the
 *                conditional's #if line
 * Unused strings are NULL, unused numbers 0.
 */
struct mtc_evidence {
	enum mtc_evidence_kind kind;
	char *member;
	char *other;
	char *record;		/* tags found in another record that holds the union */
	uint64_t count;
	struct mtc_location loc;	/* file owned by the evidence */
};

/*
 * A finding compared with a baseline report (mtcheck --baseline): found
 * now and not in the baseline, found in both, or only in the baseline.
 * NONE when no baseline was compared.
 */
enum mtc_baseline_state {
	MTC_BASELINE_NONE,
	MTC_BASELINE_NEW,
	MTC_BASELINE_UNCHANGED,
	MTC_BASELINE_ABSENT,
};

/* "new", "unchanged", "absent" ("none" for NONE); _parse() is its inverse (-EINVAL). */
MTC_API const char *mtc_baseline_state_name(enum mtc_baseline_state s);
MTC_API int mtc_baseline_state_parse(const char *s, enum mtc_baseline_state *out);

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
	struct mtc_location record_loc;	/* the named record's declaration */
	/* how sure: the level, what decided it, and the order for people */
	enum mtc_confidence confidence;
	struct mtc_evidence *evidence;
	size_t nr_evidence;
	unsigned rank;		/* 0-100, higher first: mtc_finding_rank() */
	/* against a baseline report: mtc_baseline_compare() */
	enum mtc_baseline_state baseline;
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

/*
 * The rank that orders findings for people, 0-100: by confidence first,
 * then a pointer before an integer before a bitfield, then a wide value
 * that the narrow members only partly cover before a full view, then the
 * strength of co-live evidence (mirrored-types, tail).  docs/json.md has
 * the points.
 */
MTC_API unsigned mtc_finding_rank(const struct mtc_finding *f);

/*
 * A stable identity of the overlay, the same across runs and moved lines:
 * "MT001:struct maple_range_64:slot[15]:meta.end,meta.gap" (rule, record,
 * wide path, narrow paths; no line, column, file or target).  The JSON
 * "fingerprint", SARIF's partialFingerprints and the Code Quality
 * "fingerprint" carry it, and baselines match findings by it.  malloc'd,
 * or NULL when out of memory.
 */
MTC_API char *mtc_finding_fingerprint(const struct mtc_finding *f);

/*
 * Highest severity among findings of at least confidence @min, the ones a
 * report shows and --fail-on counts.  Of findings compared with a baseline,
 * only new ones count: unchanged and absent ones never do.
 */
MTC_API enum mtc_severity mtc_findings_max_severity_shown(const struct mtc_findings *fs,
							  enum mtc_confidence min);

MTC_API void mtc_finding_free(struct mtc_finding *f);
/* A deep copy, or NULL when out of memory. */
MTC_API struct mtc_finding *mtc_finding_dup(const struct mtc_finding *f);

#ifdef __cplusplus
}
#endif
#endif
