/* SPDX-License-Identifier: MIT */
/*
 * mtcheck's reports read back and merged: `mtcheck --merge` combines the
 * reports that many compilations wrote (the GCC plugin's per-unit files),
 * and the plugin merges each unit into one shared report file.  Both go
 * through these functions, so a merged report is the same whichever did it.
 *
 * Readable reports: JSON version 1, and SARIF written by these functions,
 * which keep every finding's JSON in the run's property bag
 * (runs[0].properties.mtcheck) so that a SARIF report can be merged again.
 */
#ifndef MTCHECK_CLI_MERGE_H
#define MTCHECK_CLI_MERGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "mtcheck/error.h"
#include "mtcheck/finding.h"
#include "mtcheck/report.h"
#include "mtcheck/rules.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Add the findings of the report in @text (@len bytes, read from @name) to
 * @fs, which drops repeats.  Findings whose "input" is @skip_input are left
 * out (NULL keeps all).  *@multi_target is set when the report lists
 * several targets per finding.  Returns the number of findings read, or a
 * negative errno with @err naming @name and what is wrong.
 */
int mtc_merge_parse(const char *name, const char *text, size_t len, const char *skip_input,
		    struct mtc_findings *fs, bool *multi_target, struct mtc_error *err);

/* mtc_merge_parse() on the contents of file @path. */
int mtc_merge_read_file(const char *path, struct mtc_findings *fs, bool *multi_target,
			struct mtc_error *err);

/*
 * Write @fs, sorted, as a JSON (version 1) or SARIF report.  @rules are
 * listed in SARIF.  Returns 0 or a negative errno.
 */
int mtc_merge_write(FILE *out, struct mtc_findings *fs, enum mtc_format format,
		    const struct mtc_ruleset *rules, bool multi_target, struct mtc_error *err);

/*
 * mtcheck --merge: read the reports @inputs and write one report with each
 * finding once to @output (stdout when NULL).  Returns the exit status: 0,
 * 1 when a finding of at least @min_confidence is at least @fail_on, 2 with
 * a message on stderr when an input is not a report or the output cannot
 * be written.
 */
int mtc_cli_merge(char *const *inputs, int nr_inputs, enum mtc_format format, const char *output,
		  const struct mtc_ruleset *rules, enum mtc_severity fail_on,
		  enum mtc_confidence min_confidence);

#ifdef __cplusplus
}
#endif
#endif
