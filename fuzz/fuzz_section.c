// SPDX-License-Identifier: MIT
/*
 * The .mtcheck section reader: objects, archives and linked binaries (ELF
 * through libelf) whose section holds JSON Lines reports.  What it reads is
 * written as every report, so the names in a section reach the renderers.
 */
#include <stdio.h>

#include "fuzz.h"
#include "mtcheck/frontend.h"
#include "mtcheck/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fds = fuzz_fds_mark();
	const char *path = fuzz_path(data, size);
	struct mtc_error err = { 0 };
	void *probed = NULL;
	int ret = -1;

	if (mtc_frontend_section.probe(path, &probed, &err) > 0) {
		struct mtc_findings *fs = mtc_findings_new();
		FILE *null = fopen("/dev/null", "w");

		if (fs && null && (ret = mtc_frontend_section.findings(path, probed, NULL, fs, &err)) >= 0) {
			mtc_findings_sort(fs);
			for (int f = MTC_FORMAT_TEXT; f <= MTC_FORMAT_SARIF; f++) {
				struct mtc_report_conf rc = { .format = (enum mtc_format)f,
							      .rules = fuzz_rules(),
							      .tool_version = mtc_version() };

				mtc_report_write(null, fs, &rc);
			}
			ret = 0;
		}
		if (null)
			fclose(null);
		mtc_findings_free(fs);
		mtc_frontend_section.release(probed);
	}
	fuzz_outcome(ret, &err);
	fuzz_fds_check(fds);
	return 0;
}
