// SPDX-License-Identifier: MIT
/* mtcheck --merge and --baseline: the commands around reports read back (see merge.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "merge.h"

int mtc_cli_write_report(const struct mtc_findings *fs, enum mtc_format format, const char *output,
			 const struct mtc_ruleset *rules, bool multi_target,
			 enum mtc_confidence min_confidence, bool baseline)
{
	FILE *out = output ? fopen(output, "w") : stdout;

	if (!out) {
		fprintf(stderr, "mtcheck: %s: %s\n", output, strerror(errno));
		return 2;
	}
	struct mtc_report_conf conf = { .format = format, .rules = rules,
					.tool_version = mtc_version(),
					.multi_target = multi_target,
					.min_confidence = min_confidence,
					.baseline = baseline };
	int ret = mtc_report_write(out, fs, &conf);

	if (out != stdout && fclose(out) && !ret)
		ret = -errno;
	if (ret) {
		fprintf(stderr, "mtcheck: %s: cannot write the report: %s\n",
			output ? output : "stdout", strerror(-ret));
		return 2;
	}
	return 0;
}

int mtc_cli_merge(char *const *inputs, int nr_inputs, enum mtc_format format, const char *output,
		  const struct mtc_ruleset *rules, enum mtc_severity fail_on,
		  enum mtc_confidence min_confidence, const struct mtc_findings *baseline)
{
	struct mtc_findings *fs = mtc_findings_new();
	struct mtc_read_conf rc = { 0 };
	struct mtc_error err = { 0 };
	int status = 2;

	if (!fs) {
		fprintf(stderr, "mtcheck: out of memory\n");
		return status;
	}
	if (mtc_report_merge((const char *const *)inputs, (size_t)nr_inputs, fs, &rc, &err) < 0) {
		fprintf(stderr, "mtcheck: %s\n", err.message);
		goto out;
	}
	if (baseline && mtc_cli_baseline_compare(fs, baseline))
		goto out;
	if (mtc_cli_write_report(fs, format, output, rules, rc.multi_target, min_confidence,
				 baseline != NULL))
		goto out;
	status = mtc_findings_max_severity_shown(fs, min_confidence) >= fail_on ? 1 : 0;
out:
	mtc_findings_free(fs);
	return status;
}

struct mtc_findings *mtc_cli_baseline_read(const char *path)
{
	struct mtc_findings *base = mtc_findings_new();
	struct mtc_error err = { 0 };

	if (!base) {
		fprintf(stderr, "mtcheck: out of memory\n");
		return NULL;
	}
	if (mtc_report_read(path, base, NULL, &err) < 0) {
		fprintf(stderr, "mtcheck: --baseline: %s\n", err.message);
		mtc_findings_free(base);
		return NULL;
	}
	return base;
}

int mtc_cli_baseline_compare(struct mtc_findings *fs, const struct mtc_findings *baseline)
{
	struct mtc_error err = { 0 };
	int ret = mtc_baseline_compare(fs, baseline, &err);

	if (ret < 0)
		fprintf(stderr, "mtcheck: %s\n", err.message);
	return ret < 0 ? ret : 0;
}
