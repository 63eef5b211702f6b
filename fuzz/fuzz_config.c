// SPDX-License-Identifier: MIT
/*
 * The configuration reader (.mtcheck.yaml), then what the tool asks of a
 * configuration: its rule ids checked against the shipped rules, each
 * rule's severity, fail-on, and whether it allows the maple tree finding.
 */
#include <stdlib.h>

#include "fuzz.h"
#include "mtcheck/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fds = fuzz_fds_mark();
	const struct mtc_ruleset *rs = fuzz_rules();
	const char *path = fuzz_path(data, size);
	struct mtc_config *c = mtc_config_new();
	struct mtc_error err = { 0 };

	if (!c)
		abort();
	int ret = mtc_config_load(c, path, &err);

	if (!ret)
		ret = mtc_config_check_rules(c, rs, &err);
	fuzz_outcome(ret, &err);
	if (!ret) {
		struct mtc_leaf narrow[] = {
			{ .path = "meta.end", .type = "unsigned char", .offset = 248, .size = 1 },
			{ .path = "meta.gap", .type = "unsigned char", .offset = 249, .size = 1 },
		};
		struct mtc_finding f = {
			.rule_id = "MT001",
			.record = "struct maple_range_64",
			.wide = { .path = "slot[15]", .type = "void *", .offset = 248, .size = 8 },
			.narrow = narrow,
			.nr_narrow = 2,
			.common_prefix = "meta",
		};
		enum mtc_severity sev;
		volatile int sink = 0;

		for (size_t i = 0; i < mtc_ruleset_count(rs); i++)
			sink += mtc_config_severity(c, mtc_ruleset_at(rs, i));
		sink += mtc_config_allows(c, &f);
		if (mtc_config_fail_on(c, &sev))
			sink += sev;
		if (!mtc_config_set_rules(c, rs, "MT004", false, &err))
			sink += mtc_config_severity(c, mtc_ruleset_find(rs, "MT004"));
		(void)sink;
	}
	mtc_config_free(c);
	fuzz_fds_check(fds);
	return 0;
}
