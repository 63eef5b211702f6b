/* SPDX-License-Identifier: MIT */
/*
 * The plugin's report files (json=, sarif=), written safely while many
 * compilers run at once:
 *
 *  - FILE that is not a directory: one report for the whole build.  Each
 *    compilation takes an exclusive lock on FILE, reads what is there,
 *    drops what this same unit wrote before (it is being recompiled), adds
 *    its own findings (each finding once) and rewrites FILE in place.
 *  - a directory (existing, or named with a trailing '/'): one report per
 *    unit, written atomically, which `mtcheck --merge` combines.
 */
#ifndef MTCHECK_PLUGIN_REPORT_FILE_H
#define MTCHECK_PLUGIN_REPORT_FILE_H

#include <limits.h>
#include <stdbool.h>

#include "mtcheck/error.h"
#include "mtcheck/finding.h"
#include "mtcheck/model.h"
#include "mtcheck/report.h"
#include "mtcheck/rules.h"

#ifdef __cplusplus
extern "C" {
#endif

struct mtc_report_file {
	const char *path;		/* json= or sarif= */
	enum mtc_format format;		/* MTC_FORMAT_JSON or MTC_FORMAT_SARIF */
	const char *input;		/* the unit's main file, absolute: its findings' "input" */
	const struct mtc_target *target;	/* tells per-unit files of -m32 and -m64 builds apart */
	const struct mtc_ruleset *rules;
	/*
	 * When not NULL, MTC_REPORT_TMP_MAX bytes where a per-unit file's
	 * temporary name is kept while that file exists (else ""), for the
	 * plugin's crash handler to remove.
	 */
	char *tmp_name;
	/*
	 * Test hook of the crash guard: fault with the shared file locked and
	 * read, or with a per-unit file's temporary file written.
	 */
	bool crash_test;
};

#define MTC_REPORT_TMP_MAX (PATH_MAX + 32)

/* Write @fs (the unit's findings) as described above; 0 or a negative errno, @err naming the file. */
int mtc_report_file_write(const struct mtc_report_file *rf, const struct mtc_findings *fs,
			  struct mtc_error *err);

/* @path made absolute against the working directory (resolved when it exists), into @buf. */
const char *mtc_absolute_path(const char *path, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
