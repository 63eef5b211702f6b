// SPDX-License-Identifier: MIT
/*
 * The rule reader: one rule file, then every match the analysis could ask
 * of it, and the SARIF report, which carries each rule's help.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "mtcheck/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	int fds = fuzz_fds_mark();
	const char *path = fuzz_path(data, size);
	struct mtc_ruleset *rs = mtc_ruleset_new();
	struct mtc_findings *fs = mtc_findings_new();
	struct mtc_error err = { 0 };

	if (!null && !(null = fopen("/dev/null", "w")))
		abort();
	if (!rs || !fs)
		abort();
	int ret = mtc_ruleset_load(rs, path, &err);

	fuzz_outcome(ret, &err);
	if (!ret) {
		volatile size_t sink = 0;

		for (size_t i = 0; i < mtc_ruleset_count(rs); i++) {
			const struct mtc_rule *r = mtc_ruleset_at(rs, i);

			sink += strlen(r->id) + strlen(r->name) + strlen(r->summary) +
				strlen(r->explanation) + strlen(r->bad_example) +
				strlen(r->good_example) + strlen(r->fix) + strlen(r->file);
			sink += mtc_ruleset_find(rs, r->id) == r;
		}
		/* every wide kind against a few narrow mixes, with each flag */
		for (int k = MTC_KIND_INT; k <= MTC_KIND_FUNC_POINTER; k++)
			for (unsigned flags = 0; flags < 32; flags++) {
				struct mtc_overlap_facts f = {
					.wide_kind = (enum mtc_kind)k,
					.wide_bitfield = flags & 1,
					.narrow_kinds = flags & 2 ? 1u << MTC_KIND_INT
								  : 1u << MTC_KIND_INT | 1u << MTC_KIND_BOOL,
					.narrow_bitfield = flags & 4,
					.byte_array = flags & 8,
					.partial = flags & 16,
				};

				sink += mtc_ruleset_match(rs, &f) != NULL;
			}
		(void)sink;

		struct mtc_report_conf rc = {
			.format = MTC_FORMAT_SARIF, .rules = rs, .tool_version = mtc_version(),
		};

		mtc_report_write(null, fs, &rc);
	}
	mtc_findings_free(fs);
	mtc_ruleset_free(rs);
	fuzz_fds_check(fds);
	return 0;
}
