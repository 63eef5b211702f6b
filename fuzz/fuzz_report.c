// SPDX-License-Identifier: MIT
/*
 * The report reader (mtcheck --merge, the plugin's shared report file):
 * JSON version 1, JSON Lines and mtcheck's SARIF, told apart by content.
 * What it accepts is written back as mtcheck --merge writes it (sorted;
 * text, JSON, one-line JSON, SARIF and Code Quality), and the JSON and the SARIF are read
 * back: a report mtcheck wrote must read, and give the same JSON again.
 * Either failing is a bug in the reader or a writer, and aborts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "mtcheck/report.h"

struct text {
	char *s;
	size_t len;
};

static void die(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_report: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
	abort();
}

/* @fs in @format, into memory; aborts when the writer fails. */
static struct text render(const struct mtc_findings *fs, enum mtc_format format, bool multi,
			  bool one_line)
{
	struct mtc_report_conf rc = {
		.format = format,
		.rules = fuzz_rules(),
		.tool_version = mtc_version(),
		.multi_target = multi,
		.one_line = one_line,
	};
	struct text t = { NULL, 0 };
	FILE *f = open_memstream(&t.s, &t.len);

	if (!f)
		die("open_memstream", NULL);
	if (mtc_report_write(f, fs, &rc))
		die("a report of findings that were read back cannot be written", NULL);
	if (fclose(f))
		die("fclose", NULL);
	return t;
}

/*
 * Read @report (which a writer made) and write it as JSON again: it must be
 * @json byte for byte.
 */
static void round_trip(const struct text *report, const char *kind, const struct text *json)
{
	struct mtc_findings *fs = mtc_findings_new();
	struct mtc_read_conf rc = { 0 };
	struct mtc_error err = { 0 };

	if (!fs)
		die("mtc_findings_new", NULL);
	if (mtc_report_read(fuzz_path((const uint8_t *)report->s, report->len), fs, &rc, &err) < 0) {
		fprintf(stderr, "fuzz_report: the %s report written from the input:\n%s\n", kind,
			report->s);
		die("it does not read back", err.message);
	}
	struct text again = render(fs, MTC_FORMAT_JSON, rc.multi_target, false);

	if (again.len != json->len || memcmp(again.s, json->s, json->len)) {
		fprintf(stderr, "fuzz_report: JSON written from the input:\n%s\n"
				"fuzz_report: JSON written after reading back the %s:\n%s\n",
			json->s, kind, again.s);
		die("the round trip changed the findings", kind);
	}
	free(again.s);
	mtc_findings_free(fs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fds = fuzz_fds_mark();
	struct mtc_findings *fs = mtc_findings_new();
	struct mtc_read_conf rc = { 0 };
	struct mtc_error err = { 0 };

	if (!fs)
		die("mtc_findings_new", NULL);
	/* as mtcheck --merge reads it: through a path, then sorted */
	const char *path = fuzz_path(data, size);
	int ret = mtc_report_merge(&path, 1, fs, &rc, &err);

	fuzz_outcome(ret < 0 ? ret : 0, &err);
	if (ret >= 0) {
		struct text text = render(fs, MTC_FORMAT_TEXT, rc.multi_target, false);
		struct text json = render(fs, MTC_FORMAT_JSON, rc.multi_target, false);
		struct text line = render(fs, MTC_FORMAT_JSON, rc.multi_target, true);
		struct text sarif = render(fs, MTC_FORMAT_SARIF, rc.multi_target, false);
		struct text cq = render(fs, MTC_FORMAT_CODECLIMATE, rc.multi_target, false);

		round_trip(&json, "JSON", &json);
		round_trip(&line, "one-line JSON", &json);
		round_trip(&sarif, "SARIF", &json);
		free(text.s);
		free(json.s);
		free(line.s);
		free(sarif.s);
		free(cq.s);
	}
	mtc_findings_free(fs);
	fuzz_fds_check(fds);
	return 0;
}
