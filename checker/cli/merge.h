/* SPDX-License-Identifier: MIT */
/*
 * mtcheck --merge: the command around the library's mtc_report_merge(),
 * which the GCC plugin and mtcheck-sparse share; only the messages and the
 * exit status are the command's.
 */
#ifndef MTCHECK_CLI_MERGE_H
#define MTCHECK_CLI_MERGE_H

#include "mtcheck/finding.h"
#include "mtcheck/report.h"
#include "mtcheck/rules.h"

/*
 * Read the reports @inputs and write one report with each finding once to
 * @output (stdout when NULL), compared with @baseline when not NULL.
 * Returns the exit status: 0, 1 when a finding of at least @min_confidence
 * (and new, with a baseline) is at least @fail_on, 2 with a message on
 * stderr when an input is not a report or the output cannot be written.
 */
int mtc_cli_merge(char *const *inputs, int nr_inputs, enum mtc_format format, const char *output,
		  const struct mtc_ruleset *rules, enum mtc_severity fail_on,
		  enum mtc_confidence min_confidence, const struct mtc_findings *baseline);

/*
 * --baseline=FILE: the findings of the earlier report @path, or NULL with
 * one message on stderr ("mtcheck: --baseline: FILE: ...").
 */
struct mtc_findings *mtc_cli_baseline_read(const char *path);

/* Mark @fs against @baseline; 0, or -ENOMEM with a message on stderr. */
int mtc_cli_baseline_compare(struct mtc_findings *fs, const struct mtc_findings *baseline);

/*
 * Write the sorted @fs as a report in @format to @output (stdout when
 * NULL), with each finding's baseline state when @baseline.  0, or 2 with
 * a message on stderr naming the file.
 */
int mtc_cli_write_report(const struct mtc_findings *fs, enum mtc_format format, const char *output,
			 const struct mtc_ruleset *rules, bool multi_target,
			 enum mtc_confidence min_confidence, bool baseline);

#endif
