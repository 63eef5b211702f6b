// SPDX-License-Identifier: MIT
/*
 * A program linked with libmtcheck.so finds the rules from where the
 * library is, not from where the program is: the build tree lays out
 * <build>/<libdir>/libmtcheck.so and <build>/share/mtcheck/rules as an
 * install does, and this program lives elsewhere.
 * usage: test_rules_dir EXPECTED_DIR NR_RULES
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mtcheck/config.h"
#include "mtcheck/rules.h"

int main(int argc, char **argv)
{
	struct mtc_error err = { 0 };
	char want[PATH_MAX], *dir = NULL;

	if (argc != 3 || !realpath(argv[1], want)) {
		fprintf(stderr, "usage: test_rules_dir EXPECTED_DIR NR_RULES\n");
		return 2;
	}
	unsetenv("MTCHECK_RULES_DIR");
	if (mtc_default_rules_dir(&dir, &err)) {
		fprintf(stderr, "FAIL mtc_default_rules_dir: %s\n", err.message);
		return 1;
	}
	if (strcmp(dir, want)) {
		fprintf(stderr, "FAIL mtc_default_rules_dir: %s, not %s\n", dir, want);
		free(dir);
		return 1;
	}
	free(dir);
	/* mtc_setup_rules without a rules_dir loads them from there */
	struct mtc_ruleset *rs = mtc_ruleset_new();
	struct mtc_config *cfg = mtc_config_new();
	struct mtc_setup_conf conf = { .config_path = NULL };
	int ret = !rs || !cfg || mtc_setup_rules(rs, cfg, &conf, &err);

	if (ret)
		fprintf(stderr, "FAIL mtc_setup_rules: %s\n", err.message);
	else if (mtc_ruleset_count(rs) != strtoul(argv[2], NULL, 10))
		ret = fprintf(stderr, "FAIL mtc_setup_rules: %zu rules, not %s\n",
			      mtc_ruleset_count(rs), argv[2]) > 0;
	else
		printf("PASS %s\n", want);
	mtc_ruleset_free(rs);
	mtc_config_free(cfg);
	return ret;
}
