// SPDX-License-Identifier: MIT
/* Helpers of the fuzz targets: an in-memory file, the rules, the analysis. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "mtcheck/analysis.h"
#include "mtcheck/report.h"

static void die(const char *what)
{
	perror(what);
	abort();
}

unsigned long fuzz_nr_accepted;
char fuzz_last_error[1024];

void fuzz_outcome(int ret, const struct mtc_error *err)
{
	if (!ret)
		fuzz_nr_accepted++;
	else
		snprintf(fuzz_last_error, sizeof(fuzz_last_error), "%s",
			 err && err->message[0] ? err->message : "rejected");
}

static FILE *null_stream(void);
static int input_fd(void);

int fuzz_fds_mark(void)
{
	/* the harness's own lasting descriptors, opened before the first mark */
	null_stream();
	input_fd();
	int fd = dup(0);

	if (fd < 0)
		die("dup");
	close(fd);
	return fd;
}

void fuzz_fds_check(int mark)
{
	static bool warm;

	if (warm && fuzz_fds_mark() != mark) {
		fprintf(stderr, "fuzz: descriptor %d was left open by this input\n", mark);
		abort();
	}
	warm = true;
}

/* The memfd behind fuzz_path(), made once. */
static int input_fd(void)
{
	static int fd = -1;

	if (fd < 0 && (fd = memfd_create("mtcheck-fuzz-input", MFD_CLOEXEC)) < 0)
		die("memfd_create");
	return fd;
}

/* /dev/null for the reports, opened once. */
static FILE *null_stream(void)
{
	static FILE *null;

	if (!null && !(null = fopen("/dev/null", "we")))
		die("/dev/null");
	return null;
}

const char *fuzz_path(const uint8_t *data, size_t size)
{
	int fd = input_fd();
	static char path[64];

	if (!path[0])
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (ftruncate(fd, 0))
		die("ftruncate");
	for (size_t done = 0; done < size;) {
		ssize_t n = pwrite(fd, data + done, size - done, (off_t)done);

		if (n <= 0)
			die("pwrite");
		done += (size_t)n;
	}
	return path;
}

const struct mtc_ruleset *fuzz_rules(void)
{
	static struct mtc_ruleset *rs;

	if (!rs) {
		struct mtc_error err = { 0 };

		const char *dir = getenv("MTCHECK_RULES_DIR");

		rs = mtc_ruleset_new();
		if (!rs || mtc_ruleset_load(rs, dir && *dir ? dir : FUZZ_RULES_DIR, &err)) {
			fprintf(stderr, "fuzz: cannot load the shipped rules: %s\n", err.message);
			abort();
		}
	}
	return rs;
}

void fuzz_analyze(const struct mtc_model *m)
{
	FILE *null = null_stream();
	struct mtc_analysis_conf conf = { .rules = fuzz_rules() };
	struct mtc_findings *fs = mtc_findings_new();
	struct mtc_error err = { 0 };

	if (!fs)
		die("mtc_findings_new");
	if (!mtc_analyze(m, &conf, fs, &err)) {
		static const enum mtc_format formats[] = {
			MTC_FORMAT_TEXT, MTC_FORMAT_JSON, MTC_FORMAT_SARIF, MTC_FORMAT_CODECLIMATE,
		};

		mtc_findings_sort(fs);
		for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
			struct mtc_report_conf rc = {
				.format = formats[i],
				.rules = conf.rules,
				.tool_version = mtc_version(),
			};

			mtc_report_write(null, fs, &rc);
		}
		mtc_report_asserts(null, fs, mtc_version());
	}
	mtc_findings_free(fs);
}
