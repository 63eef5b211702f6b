// SPDX-License-Identifier: MIT
/* .mtcheck.yaml: rule switches, allow entries, fail-on, errors, discovery. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_util.h"

struct fixture {
	struct mtc_ruleset *rs;
	char *dir;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	fx->rs = tu_rules();
	fx->dir = tu_mkdtemp();
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	if (!fx)
		return 0;
	mtc_ruleset_free(fx->rs);
	tu_rmtree(fx->dir);
	free(fx->dir);
	free(fx);
	return 0;
}

/* Write @text as @name in the scratch directory and load it; asserts success. */
static struct mtc_config *load_ok(struct fixture *fx, const char *name, const char *text)
{
	char *path = tu_write(fx->dir, name, text);
	struct mtc_config *c = mtc_config_new();
	struct mtc_error err = { 0 };

	assert_non_null(c);
	if (mtc_config_load(c, path, &err))
		fail_msg("%s", err.message);
	assert_int_equal(err.code, 0);
	assert_int_equal(mtc_config_check_rules(c, fx->rs, &err), 0);
	free(path);
	return c;
}

static enum mtc_severity sev(const struct mtc_config *c, const struct mtc_ruleset *rs,
			     const char *id)
{
	const struct mtc_rule *r = mtc_ruleset_find(rs, id);

	assert_non_null(r);
	return mtc_config_severity(c, r);
}

static void test_config_full(void **state)
{
	struct fixture *fx = *state;
	struct mtc_config *c = load_ok(fx, "full.yaml",
				       "# SPDX-License-Identifier: MIT\n"
				       "rules:\n"
				       "  MT004: off\n"
				       "  MT001: error\n"
				       "  MT002: on\n"
				       "  MT003: note\n"
				       "allow:\n"
				       "  - record: struct maple_range_64\n"
				       "    member: meta\n"
				       "    reason: the metadata only lives in slot 15 while the node "
				       "is not full\n"
				       "  - record: u64_halves\n"
				       "    member: v\n"
				       "    reason: read through le64_to_cpu only\n"
				       "fail-on: error\n");
	enum mtc_severity fail_on = MTC_SEV_NONE;

	assert_int_equal(sev(c, fx->rs, "MT001"), MTC_SEV_ERROR);
	assert_int_equal(sev(c, fx->rs, "MT002"), MTC_SEV_WARNING);
	assert_int_equal(sev(c, fx->rs, "MT003"), MTC_SEV_NOTE);
	assert_int_equal(sev(c, fx->rs, "MT004"), MTC_SEV_NONE);
	assert_true(mtc_config_fail_on(c, &fail_on));
	assert_int_equal(fail_on, MTC_SEV_ERROR);

	/* the allow entries cover the maple node and the halves union */
	struct maple_fixture mf;
	struct mtc_model *m;

	tu_maple(&mf, &t_le64);
	mtc_findings_free(tu_analyze(mf.m, fx->rs, c, NULL, 0));
	mtc_model_free(mf.m);
	m = tu_model(&t_be64);
	tu_u64_halves(m, "union u64_halves");
	mtc_findings_free(tu_analyze(m, fx->rs, c, NULL, 0));
	mtc_model_free(m);
	mtc_config_free(c);

	/* without the config both are reported */
	tu_maple(&mf, &t_le64);
	mtc_findings_free(tu_analyze(mf.m, fx->rs, NULL, NULL, 1));
	mtc_model_free(mf.m);
	mtc_config_free(NULL);
}

static void test_config_severity_in_findings(void **state)
{
	struct fixture *fx = *state;
	struct mtc_config *c = load_ok(fx, "sev.yaml", "rules:\n  MT004: error\n  MT002: true\n");
	struct mtc_model *m = tu_model(&t_le64);
	struct mtc_type *u = tu_record(m, MTC_KIND_UNION, "union bv", 4, 4);
	enum mtc_severity fail_on = MTC_SEV_NOTE;

	tu_member(m, u, "v", tu_int(m, "uint32_t", 4, false), 0);
	tu_member(m, u, "b", tu_array(m, tu_int(m, "unsigned char", 1, false), 4), 0);

	struct mtc_findings *fs = tu_analyze(m, fx->rs, c, NULL, 1);

	assert_string_equal(mtc_findings_at(fs, 0)->rule_id, "MT004");
	assert_int_equal(mtc_findings_at(fs, 0)->severity, MTC_SEV_ERROR);
	assert_int_equal(mtc_findings_max_severity(fs), MTC_SEV_ERROR);
	mtc_findings_free(fs);
	/* no fail-on in this file: the caller's default stays */
	assert_false(mtc_config_fail_on(c, &fail_on));
	assert_int_equal(fail_on, MTC_SEV_NOTE);
	assert_int_equal(sev(c, fx->rs, "MT002"), MTC_SEV_WARNING);
	mtc_config_free(c);
	mtc_model_free(m);

	/* a new config leaves every rule at its default */
	c = mtc_config_new();
	assert_int_equal(sev(c, fx->rs, "MT001"), MTC_SEV_WARNING);
	assert_int_equal(sev(c, fx->rs, "MT004"), MTC_SEV_NOTE);
	assert_false(mtc_config_fail_on(c, &fail_on));
	mtc_config_free(c);
}

/* Load @text: fails with @code and the message "FILE" followed by @want. */
static void check_bad_config(struct fixture *fx, const char *name, const char *text, int code,
			     const char *want)
{
	char *path = tu_write(fx->dir, name, text);
	char *msg = tu_printf("%s%s", path, want);
	struct mtc_config *c = mtc_config_new();
	struct mtc_error err = { 0 };

	assert_int_equal(mtc_config_load(c, path, &err), code);
	assert_int_equal(err.code, code);
	assert_string_equal(err.message, msg);
	mtc_config_free(c);
	free(msg);
	free(path);
}

static void test_config_errors(void **state)
{
	struct fixture *fx = *state;

	check_bad_config(fx, "key.yaml", "# settings\nrules:\n  MT001: on\ncolour: red\n",
			 -EINVAL, ":4:1: unknown key 'colour' (rules, allow, fail-on)");
	check_bad_config(fx, "value.yaml", "# settings\nrules:\n  MT001: loud\n", -EINVAL,
			 ":3:10: rule MT001: 'loud' is not on, off, note, warning or error");
	check_bad_config(fx, "rules-list.yaml", "rules: [MT001]\n", -EINVAL,
			 ":1:8: 'rules' must map rule ids to on, off or a severity");
	check_bad_config(fx, "rules-nested.yaml", "rules:\n  MT001:\n    severity: note\n",
			 -EINVAL, ":3:5: 'MT001' must be a single value");
	check_bad_config(fx, "allow-scalar.yaml", "allow: yes\n", -EINVAL,
			 ":1:8: 'allow' must be a list of {record, member, reason}");
	check_bad_config(fx, "allow-entry.yaml", "allow:\n  - struct foo\n", -EINVAL,
			 ":2:5: each 'allow' entry must be a mapping with record, member and "
			 "reason");
	check_bad_config(fx, "allow-key.yaml",
			 "allow:\n  - record: struct foo\n    file: foo.c\n", -EINVAL,
			 ":3:5: unknown key 'file' in an allow entry (record, member, reason)");
	check_bad_config(fx, "no-reason.yaml",
			 "# settings\nallow:\n  - record: struct foo\n    member: x\n", -EINVAL,
			 ":3:5: allow entry needs a 'reason': say why the overlay is intended");
	check_bad_config(fx, "empty-reason.yaml",
			 "allow:\n  - record: struct foo\n    member: x\n    reason: ''\n", -EINVAL,
			 ":2:5: allow entry needs a 'reason': say why the overlay is intended");
	check_bad_config(fx, "no-member.yaml",
			 "allow:\n  - record: struct foo\n    reason: because\n", -EINVAL,
			 ":2:5: allow entry needs a 'member'");
	check_bad_config(fx, "no-record.yaml",
			 "allow:\n  - member: x\n    reason: because\n", -EINVAL,
			 ":2:5: allow entry needs a 'record'");
	check_bad_config(fx, "fail-on.yaml", "fail-on: off\n", -EINVAL,
			 ":1:10: fail-on must be note, warning or error, not 'off'");
	check_bad_config(fx, "not-mapping.yaml", "- rules\n", -EINVAL,
			 ":1:1: expected a mapping of keys to values");
	check_bad_config(fx, "invalid.yaml", "rules:\n  MT001: [on\n", -EINVAL,
			 ":3:1: did not find expected ',' or ']'");
	check_bad_config(fx, "empty.yaml", "", -EINVAL, ": empty file");

	char *missing = tu_printf("%s/missing.yaml", fx->dir);

	struct mtc_config *c = mtc_config_new();
	struct mtc_error err = { 0 };
	char *want = tu_printf("%s: No such file or directory", missing);

	assert_int_equal(mtc_config_load(c, missing, &err), -ENOENT);
	assert_string_equal(err.message, want);
	mtc_config_free(c);
	free(want);
	free(missing);
}

/* A rule id the rules do not know is reported where the file names it. */
static void test_config_unknown_rule(void **state)
{
	struct fixture *fx = *state;
	char *path = tu_write(fx->dir, "unknown-rule.yaml",
			      "# settings\nrules:\n  MT001: on\n  MT999: off\n");
	char *want = tu_printf("%s:4:3: unknown rule 'MT999' (see --list-rules)", path);
	struct mtc_config *c = mtc_config_new();
	struct mtc_error err = { 0 };

	assert_int_equal(mtc_config_load(c, path, &err), 0);
	assert_int_equal(mtc_config_check_rules(c, fx->rs, &err), -EINVAL);
	assert_int_equal(err.code, -EINVAL);
	assert_string_equal(err.message, want);
	mtc_config_free(c);
	free(want);
	free(path);
}

static void test_config_set_rules(void **state)
{
	struct fixture *fx = *state;
	struct mtc_config *c = mtc_config_new();
	struct mtc_error err = { 0 };

	assert_int_equal(mtc_config_set_rules(c, fx->rs, "MT001,MT004", false, &err), 0);
	assert_int_equal(sev(c, fx->rs, "MT001"), MTC_SEV_NONE);
	assert_int_equal(sev(c, fx->rs, "MT004"), MTC_SEV_NONE);
	assert_int_equal(sev(c, fx->rs, "MT002"), MTC_SEV_WARNING);
	assert_int_equal(mtc_config_set_rules(c, fx->rs, "MT004", true, &err), 0);
	assert_int_equal(sev(c, fx->rs, "MT004"), MTC_SEV_NOTE);
	assert_int_equal(sev(c, fx->rs, "MT001"), MTC_SEV_NONE);
	/* ids switched from the command line pass the config's own check */
	assert_int_equal(mtc_config_check_rules(c, fx->rs, &err), 0);

	assert_int_equal(mtc_config_set_rules(c, fx->rs, "MT002,MT999", false, &err), -EINVAL);
	assert_int_equal(err.code, -EINVAL);
	assert_string_equal(err.message, "--disable: unknown rule 'MT999' (see --list-rules)");
	assert_int_equal(mtc_config_set_rules(c, fx->rs, "mt001", true, &err), -EINVAL);
	assert_string_equal(err.message, "--enable: unknown rule 'mt001' (see --list-rules)");
	mtc_config_free(c);

	/* on top of a file: --disable wins, --enable brings back its severity */
	c = load_ok(fx, "base.yaml", "rules:\n  MT004: error\n  MT003: off\n");
	assert_int_equal(mtc_config_set_rules(c, fx->rs, "MT004", false, &err), 0);
	assert_int_equal(sev(c, fx->rs, "MT004"), MTC_SEV_NONE);
	assert_int_equal(mtc_config_set_rules(c, fx->rs, "MT004,MT003", true, &err), 0);
	assert_int_equal(sev(c, fx->rs, "MT004"), MTC_SEV_ERROR);
	assert_int_equal(sev(c, fx->rs, "MT003"), MTC_SEV_WARNING);
	mtc_config_free(c);
}

/* A finding by hand: only the record and the paths matter to allow entries. */
static bool allows(const struct mtc_config *c, const char *record, const char *wide,
		   const char *narrow0, const char *narrow1)
{
	struct mtc_leaf narrow[2] = { { .path = (char *)narrow0 }, { .path = (char *)narrow1 } };
	struct mtc_finding f = {
		.rule_id = (char *)"MT001",
		.record = (char *)record,
		.wide = { .path = (char *)wide },
		.narrow = narrow,
		.nr_narrow = narrow1 ? 2 : 1,
	};

	return mtc_config_allows(c, &f);
}

static void test_config_allows_paths(void **state)
{
	struct fixture *fx = *state;
	struct mtc_config *c = load_ok(fx, "allow.yaml",
				       "allow:\n"
				       "  - record: struct maple_range_64\n"
				       "    member: meta\n"
				       "    reason: r1\n"
				       "  - record: maple_range_64\n"
				       "    member: slot[1]\n"
				       "    reason: r2\n"
				       "  - record: union u\n"
				       "    member: s.lo\n"
				       "    reason: r3\n");
	const char *node = "struct maple_range_64";

	/* "meta" covers meta.end, meta[3] and meta, not metadata or a longer name */
	assert_true(allows(c, node, "slot[15]", "meta.end", "meta.gap"));
	assert_true(allows(c, node, "slot[15]", "x", "meta.gap"));
	assert_true(allows(c, node, "meta", "x", NULL));
	assert_true(allows(c, node, "slot[15]", "meta[3]", NULL));
	assert_false(allows(c, node, "slot[15]", "metadata", NULL));
	assert_false(allows(c, node, "slot[15]", "metadata.end", NULL));
	assert_false(allows(c, node, "slot[15]", "me", NULL));
	assert_false(allows(c, node, "slot[15]", "u.meta", NULL));
	/* an element path: slot[1] is not slot[15], but covers slot[1].x */
	assert_true(allows(c, node, "slot[1]", "pad", NULL));
	assert_true(allows(c, node, "slot[1].x", "pad", NULL));
	assert_false(allows(c, node, "slot[15]", "pad", NULL));
	/* the record must match: short names find struct and union tags */
	assert_false(allows(c, "struct other", "slot[15]", "meta.end", NULL));
	assert_false(allows(c, "union maple_range_64x", "slot[1]", "x", NULL));
	assert_true(allows(c, "union u", "v", "s.lo", "s.hi"));
	assert_false(allows(c, "struct u", "v", "s.lo", "s.hi"));
	assert_false(allows(c, "union u", "v", "s.l", "s.hi"));
	mtc_config_free(c);

	/* an empty config allows nothing */
	c = mtc_config_new();
	assert_false(allows(c, node, "slot[15]", "meta.end", "meta.gap"));
	mtc_config_free(c);
}

static void test_config_find(void **state)
{
	struct fixture *fx = *state;
	char root[PATH_MAX];
	char *deep = tu_printf("%s/a/b/c", fx->dir);
	char *found;

	assert_non_null(realpath(fx->dir, root));
	char *a = tu_printf("%s/a", root), *b = tu_printf("%s/a/b", root);

	assert_int_equal(mkdir(a, 0700), 0);
	assert_int_equal(mkdir(b, 0700), 0);
	assert_int_equal(mkdir(deep, 0700), 0);

	/*
	 * Nothing in the scratch tree: the search goes on above it.  What it
	 * finds there (normally nothing) is not ours, but it is never inside.
	 */
	found = mtc_config_find(deep);
	if (found) {
		assert_true(strncmp(found, root, strlen(root)) != 0);
		free(found);
	}

	char *fa = tu_write(a, ".mtcheck.yaml", "fail-on: note\n");

	found = mtc_config_find(deep);
	assert_non_null(found);
	assert_string_equal(found, fa);
	free(found);
	found = mtc_config_find(a);
	assert_string_equal(found, fa);
	free(found);

	/* the nearest one wins */
	char *fb = tu_write(b, ".mtcheck.yaml", "fail-on: error\n");

	found = mtc_config_find(deep);
	assert_string_equal(found, fb);
	free(found);

	/* relative to the working directory */
	int cwd = open(".", O_RDONLY | O_DIRECTORY);

	assert_true(cwd >= 0);
	assert_int_equal(chdir(deep), 0);
	found = mtc_config_find(".");
	assert_int_equal(fchdir(cwd), 0);
	close(cwd);
	assert_string_equal(found, fb);
	free(found);

	/* a directory that does not exist has no config */
	char *missing = tu_printf("%s/nonexistent", root);

	assert_null(mtc_config_find(missing));
	free(missing);
	free(fa);
	free(fb);
	free(a);
	free(b);
	free(deep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_full),
		cmocka_unit_test(test_config_severity_in_findings),
		cmocka_unit_test(test_config_errors),
		cmocka_unit_test(test_config_unknown_rule),
		cmocka_unit_test(test_config_set_rules),
		cmocka_unit_test(test_config_allows_paths),
		cmocka_unit_test(test_config_find),
	};

	return cmocka_run_group_tests_name("config", tests, setup, teardown);
}
