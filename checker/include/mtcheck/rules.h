/* SPDX-License-Identifier: MIT */
/*
 * Rules are data: one YAML file per rule (see rules/ and docs/rules.md).
 * A rule names the overlaps it matches by facts of the overlap: the kind of
 * the wide scalar, the kinds of the narrow ones, bitfields, char arrays and
 * partial coverage.  When several rules match, the lowest precedence wins.
 */
#ifndef MTCHECK_RULES_H
#define MTCHECK_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "mtcheck/error.h"
#include "mtcheck/export.h"
#include "mtcheck/finding.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Facts of one overlap, as the rules see them. */
struct mtc_overlap_facts {
	enum mtc_kind wide_kind;
	bool wide_bitfield;
	unsigned narrow_kinds;	/* bit set of 1u << enum mtc_kind */
	bool narrow_bitfield;
	bool byte_array;
	bool partial;
	bool target_dependent;	/* exists on some analysed targets only */
};

struct mtc_rule {
	const char *id;		/* "MT001" */
	const char *name;	/* "pointer-overlaid-by-narrow" */
	enum mtc_severity severity;	/* default */
	int precedence;
	const char *summary;
	const char *explanation;
	const char *bad_example;
	const char *good_example;
	const char *fix;
	const char *file;	/* where it was loaded from */
};

struct mtc_ruleset;

MTC_API struct mtc_ruleset *mtc_ruleset_new(void);
MTC_API void mtc_ruleset_free(struct mtc_ruleset *rs);
/*
 * Load one rule file, or every *.yaml file of a directory (in name order).
 * A rule whose id is already loaded replaces the earlier one, so a user's
 * --rules can refine a shipped rule.  Errors name file, line and column.
 */
MTC_API int mtc_ruleset_load(struct mtc_ruleset *rs, const char *path, struct mtc_error *err);
/*
 * Load one rule from @len bytes of YAML at @text (no NUL needed), as if read
 * from a file: for rules a program carries in memory.  @name stands for the
 * file in messages ("NAME:LINE:COL: ...") and in the rule's file; the same
 * replacement by id, and the same errors, as mtc_ruleset_load.
 */
MTC_API int mtc_ruleset_load_text(struct mtc_ruleset *rs, const char *name, const char *text,
				  size_t len, struct mtc_error *err);
/*
 * The rules installed with libmtcheck, for a host that does not know where
 * they are: $MTCHECK_RULES_DIR when set, else the place the install layout
 * gives relative to the file that holds the library: <libdir>/../share/
 * mtcheck/rules beside libmtcheck.so, or <bindir>/../share/mtcheck/rules for
 * a program linked with libmtcheck.a (a build tree is laid out alike).  On
 * success *dir is a malloc'd path; -ENOENT when that directory is missing,
 * and @err names where it was looked for.
 */
MTC_API int mtc_default_rules_dir(char **dir, struct mtc_error *err);

MTC_API size_t mtc_ruleset_count(const struct mtc_ruleset *rs);
/* Rules in precedence order. */
MTC_API const struct mtc_rule *mtc_ruleset_at(const struct mtc_ruleset *rs, size_t i);
MTC_API const struct mtc_rule *mtc_ruleset_find(const struct mtc_ruleset *rs, const char *id);
/* The rule that classifies @facts (enabled or not), NULL if none matches. */
MTC_API const struct mtc_rule *mtc_ruleset_match(const struct mtc_ruleset *rs,
						 const struct mtc_overlap_facts *facts);

#ifdef __cplusplus
}
#endif
#endif
