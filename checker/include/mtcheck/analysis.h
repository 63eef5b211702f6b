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
};

/*
 * Analyse every named record of @m and add the findings to @out.  Returns
 * the number of findings added, or a negative errno.
 */
int mtc_analyze(const struct mtc_model *m, const struct mtc_analysis_conf *conf,
		struct mtc_findings *out, struct mtc_error *err);

/*
 * Draw @record for a terminal: its members with offsets and sizes, and for
 * each union the byte lanes where its members lay out different scalars.
 */
void mtc_explain(FILE *out, const struct mtc_model *m, const struct mtc_type *record);

#ifdef __cplusplus
}
#endif
#endif
