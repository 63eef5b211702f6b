/* SPDX-License-Identifier: MIT */
/*
 * The overlap analysis: for every union reachable from a named record,
 * find the scalars of one member that narrower scalars of another member
 * overlay, work out which bits of the wide value each narrow one lands in
 * on either byte order, classify the overlap with the rules, and add a
 * finding when the result depends on byte order.
 */
#ifndef MTCHECK_ANALYSIS_H
#define MTCHECK_ANALYSIS_H

#include <stdio.h>

#include "mtcheck/config.h"
#include "mtcheck/error.h"
#include "mtcheck/export.h"
#include "mtcheck/finding.h"
#include "mtcheck/model.h"
#include "mtcheck/rules.h"

#ifdef __cplusplus
extern "C" {
#endif

struct mtc_analysis_conf {
	const struct mtc_ruleset *rules;
	const struct mtc_config *config;	/* NULL: every rule at its default */
	const char *only_type;	/* --type: analyse this record only */
	/*
	 * Analyse this record of the model only, however it is named: a
	 * caller that holds the record (the GCC plugin, which builds one
	 * model for the unit) need not look it up.  NULL: every record, or
	 * only_type's.
	 */
	const struct mtc_type *only_record;
	/*
	 * Count array elements that overlap alike one by one instead of by
	 * their period: the same findings, slower; tests compare the two.
	 */
	bool count_each_element;
};

/*
 * Analyse every named record of @m and add the findings to @out.  Returns
 * the number of findings added, or a negative errno.
 */
MTC_API int mtc_analyze(const struct mtc_model *m, const struct mtc_analysis_conf *conf,
			struct mtc_findings *out, struct mtc_error *err);

/*
 * Several targets.  Analyse each target's models into
 * mtc_multi_findings(mm, i) and register their records with
 * mtc_multi_add_records(); mtc_multi_combine() then adds to @out one
 * finding per overlay with the targets it holds for.  An overlay whose
 * narrow members land on the same value bits on every target, of both
 * byte orders, adapts to byte order and is dropped; one that exists on
 * some targets only is classified as target-dependent (target_dependent in
 * the rule facts, MT010).  Adding is thread-safe; combining is not.
 */
struct mtc_multi;

MTC_API struct mtc_multi *mtc_multi_new(const struct mtc_target *targets, size_t nr_targets);
MTC_API void mtc_multi_free(struct mtc_multi *mm);
MTC_API struct mtc_findings *mtc_multi_findings(struct mtc_multi *mm, size_t target);
MTC_API int mtc_multi_add_records(struct mtc_multi *mm, size_t target, const struct mtc_model *m);
MTC_API int mtc_multi_combine(struct mtc_multi *mm, const struct mtc_ruleset *rules,
			      const struct mtc_config *config, struct mtc_findings *out,
			      struct mtc_error *err);

/*
 * Draw @record for a terminal: its members with offsets and sizes, and for
 * each union the byte lanes where its members lay out different scalars.
 */
MTC_API void mtc_explain(FILE *out, const struct mtc_model *m, const struct mtc_type *record);

#ifdef __cplusplus
}
#endif
#endif
