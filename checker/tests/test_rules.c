// SPDX-License-Identifier: MIT
/* Rules as data: the shipped catalogue, matching, user rules, and bad files. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "test_util.h"

/* A valid user rule; the malformed cases below change one part of it. */
#define RULE_HEAD "# a user rule\n"
#define RULE_BODY                  \
	"id: MT900\n"              \
	"name: test-rule\n"        \
	"severity: warning\n"      \
	"precedence: 50\n"         \
	"summary: A test rule.\n"

/* A scratch directory per test, removed even when the test fails. */
static int scratch_setup(void **state)
{
	*state = tu_mkdtemp();
	return 0;
}

static int scratch_teardown(void **state)
{
	tu_rmtree(*state);
	free(*state);
	return 0;
}

static void test_load_shipped(void **state)
{
	(void)state;
	static const struct {
		const char *id, *name, *summary;
		enum mtc_severity severity;
		int precedence;
	} want[] = {
		{ "MT001", "pointer-overlaid-by-narrow",
		  "A pointer shares its bytes with narrower scalars of another union member.",
		  MTC_SEV_WARNING, 10 },
		{ "MT003", "bitfield-overlay",
		  "Bitfields share their bits with a scalar or with bitfields laid out differently.",
		  MTC_SEV_WARNING, 20 },
		{ "MT002", "mixed-width-scalars",
		  "A scalar shares its bytes with narrower scalars of another union member.",
		  MTC_SEV_WARNING, 30 },
		{ "MT004", "byte-view", "A char array gives a byte view of a wider scalar.",
		  MTC_SEV_NOTE, 40 },
	};
	struct mtc_ruleset *rs = tu_rules();
	/* MT010 (multi-target) goes ahead of all: it explains the others' differences */
	size_t first = tu_have_mt010() ? 1 : 0;
	char *ids = tu_rule_ids(rs);

	assert_string_equal(ids, first ? "MT010,MT001,MT003,MT002,MT004"
				       : "MT001,MT003,MT002,MT004");
	free(ids);
	if (first) {
		const struct mtc_rule *r = mtc_ruleset_at(rs, 0);

		assert_string_equal(r->name, "target-dependent-overlap");
		assert_int_equal(r->severity, MTC_SEV_WARNING);
		assert_true(r->precedence < 10);
	}
	for (size_t i = 0; i < 4; i++) {
		const struct mtc_rule *r = mtc_ruleset_at(rs, first + i);
		char *file = tu_printf("%s/%s.yaml", MTCHECK_TEST_RULES_DIR, want[i].id);

		assert_non_null(r);
		assert_string_equal(r->id, want[i].id);
		assert_string_equal(r->name, want[i].name);
		assert_string_equal(r->summary, want[i].summary);
		assert_int_equal(r->severity, want[i].severity);
		assert_int_equal(r->precedence, want[i].precedence);
		assert_string_equal(r->file, file);
		/* every shipped rule has all its documentation */
		assert_true(strlen(r->explanation) > 80);
		assert_true(strlen(r->bad_example) > 20);
		assert_true(strlen(r->good_example) > 20);
		assert_true(strlen(r->fix) > 20);
		assert_ptr_equal(mtc_ruleset_find(rs, want[i].id), r);
		free(file);
	}
	assert_null(mtc_ruleset_at(rs, first + 4));
	assert_null(mtc_ruleset_find(rs, "MT999"));
	assert_null(mtc_ruleset_find(rs, "mt001"));
	/* block scalars keep their text exactly */
	assert_string_equal(mtc_ruleset_find(rs, "MT004")->fix,
			    "Convert explicitly (htobe32, le32toh, put_unaligned_be32) where the "
			    "byte\norder matters, or keep the union and switch this note off for "
			    "it.\n");
	assert_string_equal(mtc_ruleset_find(rs, "MT002")->bad_example,
			    "union {\n        uint64_t v;\n        struct { uint32_t lo, hi; } s;\n};\n");
	mtc_ruleset_free(rs);
	mtc_ruleset_free(NULL);
}

static void test_default_rules_dir(void **state)
{
	(void)state;
	const char *saved = getenv("MTCHECK_RULES_DIR");
	char *copy = saved ? strdup(saved) : NULL;
	struct mtc_error err = { 0 };
	char *dir = NULL;

	assert_int_equal(setenv("MTCHECK_RULES_DIR", "/somewhere/rules", 1), 0);
	assert_int_equal(mtc_default_rules_dir(&dir, &err), 0);
	assert_string_equal(dir, "/somewhere/rules");
	free(dir);
	/*
	 * An empty variable is unset: then the rules belong beside the file
	 * holding the library, here this test program, linked with
	 * libmtcheck.a, which has none beside it.
	 */
	assert_int_equal(setenv("MTCHECK_RULES_DIR", "", 1), 0);
	char exe[PATH_MAX];

	assert_non_null(realpath("/proc/self/exe", exe));
	char *want = tu_printf("%.*s/%s: not a directory; the rules installed with %s belong there "
			       "(MTCHECK_RULES_DIR names others)",
			       (int)(strrchr(exe, '/') - exe), exe, MTCHECK_TEST_RULES_FROM_BINDIR,
			       exe);

	assert_int_equal(mtc_default_rules_dir(&dir, &err), -ENOENT);
	assert_null(dir);
	assert_string_equal(err.message, want);
	free(want);
	if (copy)
		assert_int_equal(setenv("MTCHECK_RULES_DIR", copy, 1), 0);
	else
		assert_int_equal(unsetenv("MTCHECK_RULES_DIR"), 0);
	free(copy);
}

static const char *match_id(const struct mtc_ruleset *rs, struct mtc_overlap_facts f)
{
	const struct mtc_rule *r = mtc_ruleset_match(rs, &f);

	return r ? r->id : "(none)";
}

#define K(k) (1u << MTC_KIND_##k)

static void test_match_facts(void **state)
{
	(void)state;
	struct mtc_ruleset *rs = tu_rules();

	/* MT001: a pointer wide, whatever overlays it */
	assert_string_equal(match_id(rs, (struct mtc_overlap_facts){
						 .wide_kind = MTC_KIND_POINTER,
						 .narrow_kinds = K(INT), .partial = true }),
			    "MT001");
	assert_string_equal(match_id(rs, (struct mtc_overlap_facts){
						 .wide_kind = MTC_KIND_POINTER,
						 .narrow_kinds = K(INT), .narrow_bitfield = true }),
			    "MT001");
	assert_string_equal(match_id(rs, (struct mtc_overlap_facts){
						 .wide_kind = MTC_KIND_POINTER,
						 .narrow_kinds = K(INT), .byte_array = true }),
			    "MT001");
	assert_string_equal(match_id(rs, (struct mtc_overlap_facts){
						 .wide_kind = MTC_KIND_FUNC_POINTER,
						 .narrow_kinds = K(INT) | K(ENUM) }),
			    "MT001");
	/* MT003: bitfields over integers, or a bitfield wide */
	assert_string_equal(match_id(rs, (struct mtc_overlap_facts){
						 .wide_kind = MTC_KIND_INT,
						 .narrow_kinds = K(INT), .narrow_bitfield = true }),
			    "MT003");
	assert_string_equal(match_id(rs, (struct mtc_overlap_facts){
						 .wide_kind = MTC_KIND_INT, .wide_bitfield = true,
						 .narrow_kinds = K(INT) }),
			    "MT003");
	assert_string_equal(match_id(rs, (struct mtc_overlap_facts){
						 .wide_kind = MTC_KIND_ENUM,
						 .narrow_kinds = K(BOOL), .narrow_bitfield = true,
						 .partial = true }),
			    "MT003");
	/* MT004: char arrays over integers and floats */
	assert_string_equal(match_id(rs, (struct mtc_overlap_facts){
						 .wide_kind = MTC_KIND_INT,
						 .narrow_kinds = K(INT), .byte_array = true }),
			    "MT004");
	assert_string_equal(match_id(rs, (struct mtc_overlap_facts){
						 .wide_kind = MTC_KIND_FLOAT,
						 .narrow_kinds = K(INT), .byte_array = true,
						 .partial = true }),
			    "MT004");
	/* MT002: the rest */
	assert_string_equal(match_id(rs, (struct mtc_overlap_facts){
						 .wide_kind = MTC_KIND_INT, .narrow_kinds = K(INT) }),
			    "MT002");
	assert_string_equal(match_id(rs, (struct mtc_overlap_facts){
						 .wide_kind = MTC_KIND_FLOAT,
						 .narrow_kinds = K(INT), .partial = true }),
			    "MT002");
	assert_string_equal(match_id(rs, (struct mtc_overlap_facts){
						 .wide_kind = MTC_KIND_ENUM,
						 .narrow_kinds = K(INT) | K(BOOL) }),
			    "MT002");
	assert_string_equal(match_id(rs, (struct mtc_overlap_facts){
						 .wide_kind = MTC_KIND_BOOL, .narrow_kinds = K(INT) }),
			    "MT002");
	/* an overlap on some targets only is MT010's when it is loaded */
	assert_string_equal(match_id(rs, (struct mtc_overlap_facts){
						 .wide_kind = MTC_KIND_POINTER,
						 .narrow_kinds = K(INT),
						 .target_dependent = true }),
			    tu_have_mt010() ? "MT010" : "MT001");
	/* nothing classifies a wide value that is no scalar */
	assert_string_equal(match_id(rs, (struct mtc_overlap_facts){
						 .wide_kind = MTC_KIND_STRUCT,
						 .narrow_kinds = K(INT) }),
			    "(none)");
	mtc_ruleset_free(rs);

	/* an empty ruleset matches nothing */
	rs = mtc_ruleset_new();
	assert_int_equal(mtc_ruleset_count(rs), 0);
	assert_string_equal(match_id(rs, (struct mtc_overlap_facts){
						 .wide_kind = MTC_KIND_POINTER }),
			    "(none)");
	mtc_ruleset_free(rs);
}

static void test_user_rules(void **state)
{
	const char *dir = *state;
	struct mtc_ruleset *rs = tu_rules();
	struct mtc_error err = { 0 };
	size_t before = mtc_ruleset_count(rs);
	/* a refined MT004: a warning, and ahead of every shipped rule */
	char *mt004 = tu_write(dir, "MT004.yaml",
			       "# SPDX-License-Identifier: MIT\n"
			       "id: MT004\n"
			       "name: byte-view-strict\n"
			       "severity: warning\n"
			       "precedence: 1\n"
			       "summary: Byte views are not allowed here.\n"
			       "match:\n"
			       "  - wide: [integer]\n"
			       "    byte_array: true\n");

	assert_int_equal(mtc_ruleset_load(rs, mt004, &err), 0);
	assert_int_equal(err.code, 0);
	size_t shipped = mtc_ruleset_count(rs);
	bool has10 = tu_have_mt010();
	char *ids;
	const struct mtc_rule *r = mtc_ruleset_find(rs, "MT004");

	assert_string_equal(r->name, "byte-view-strict");
	assert_int_equal(r->severity, MTC_SEV_WARNING);
	assert_string_equal(r->file, mt004);
	/* optional texts read as empty strings */
	assert_string_equal(r->explanation, "");
	assert_string_equal(r->bad_example, "");
	assert_string_equal(r->good_example, "");
	assert_string_equal(r->fix, "");
	/* replaced, not added, and sorted again */
	assert_int_equal(shipped, before);
	ids = tu_rule_ids(rs);
	assert_string_equal(ids, has10 ? "MT004,MT010,MT001,MT003,MT002"
				       : "MT004,MT001,MT003,MT002");
	free(ids);
	/* its match is the new one: not for pointers */
	assert_string_equal(match_id(rs, (struct mtc_overlap_facts){
						 .wide_kind = MTC_KIND_INT,
						 .narrow_kinds = K(INT), .byte_array = true }),
			    "MT004");
	assert_string_equal(match_id(rs, (struct mtc_overlap_facts){
						 .wide_kind = MTC_KIND_FLOAT,
						 .narrow_kinds = K(INT), .byte_array = true }),
			    "(none)");
	assert_string_equal(match_id(rs, (struct mtc_overlap_facts){
						 .wide_kind = MTC_KIND_POINTER,
						 .narrow_kinds = K(INT), .byte_array = true }),
			    "MT001");

	/*
	 * A new rule from a directory: every narrow kind must be listed, and a
	 * tie in precedence goes to the lower id.
	 */
	char *sub = tu_printf("%s/more", dir);

	assert_int_equal(mkdir(sub, 0700), 0);
	free(tu_write(sub, "b.yaml",
		      "id: MT100\n"
		      "name: ints-only\n"
		      "severity: error\n"
		      "precedence: 15\n"
		      "summary: Integers over integers.\n"
		      "match:\n"
		      "  - wide: [integer]\n"
		      "    narrow: [integer]\n"
		      "    narrow_bitfield: false\n"
		      "    partial: no\n"));
	free(tu_write(sub, "a.yaml",
		      "id: MT099\n"
		      "name: tie\n"
		      "severity: note\n"
		      "precedence: 15\n"
		      "summary: Partly written floats.\n"
		      "match:\n"
		      "  - wide: [float]\n"
		      "    partial: true\n"));
	/* not rule files: wrong suffix, hidden */
	free(tu_write(sub, "notes.txt", "not yaml: [\n"));
	free(tu_write(sub, ".hidden.yaml", "not yaml: [\n"));
	assert_int_equal(mtc_ruleset_load(rs, sub, &err), 0);
	assert_int_equal(mtc_ruleset_count(rs), before + 2);
	ids = tu_rule_ids(rs);
	assert_string_equal(ids, has10 ? "MT004,MT010,MT001,MT099,MT100,MT003,MT002"
				       : "MT004,MT001,MT099,MT100,MT003,MT002");
	free(ids);
	assert_int_equal(mtc_ruleset_find(rs, "MT100")->severity, MTC_SEV_ERROR);
	assert_string_equal(match_id(rs, (struct mtc_overlap_facts){
						 .wide_kind = MTC_KIND_INT, .narrow_kinds = K(INT) }),
			    "MT100");
	/* an enum among the narrow kinds is not "integers only" */
	assert_string_equal(match_id(rs, (struct mtc_overlap_facts){
						 .wide_kind = MTC_KIND_INT,
						 .narrow_kinds = K(INT) | K(ENUM) }),
			    "MT002");
	assert_string_equal(match_id(rs, (struct mtc_overlap_facts){
						 .wide_kind = MTC_KIND_INT, .narrow_kinds = K(INT),
						 .partial = true }),
			    "MT002");
	assert_string_equal(match_id(rs, (struct mtc_overlap_facts){
						 .wide_kind = MTC_KIND_INT, .narrow_kinds = K(INT),
						 .narrow_bitfield = true }),
			    "MT003");
	assert_string_equal(match_id(rs, (struct mtc_overlap_facts){
						 .wide_kind = MTC_KIND_FLOAT, .narrow_kinds = K(INT),
						 .partial = true }),
			    "MT099");
	assert_string_equal(match_id(rs, (struct mtc_overlap_facts){
						 .wide_kind = MTC_KIND_FLOAT, .narrow_kinds = K(INT) }),
			    "MT002");
	free(sub);
	free(mt004);
	mtc_ruleset_free(rs);
}

/*
 * Load @text as a rule file into a ruleset holding the shipped rules: the
 * load fails with @code and "FILE:" followed by @want, and leaves the
 * ruleset as it was.
 */
static void check_bad_rule(const char *dir, const char *name, const char *text, int code,
			   const char *want)
{
	char *path = tu_write(dir, name, text);
	char *msg = tu_printf("%s%s", path, want);
	struct mtc_ruleset *rs = tu_rules();
	struct mtc_error err = { 0 };
	size_t before = mtc_ruleset_count(rs);

	assert_int_equal(mtc_ruleset_load(rs, path, &err), code);
	assert_int_equal(err.code, code);
	assert_string_equal(err.message, msg);
	assert_int_equal(mtc_ruleset_count(rs), before);
	assert_string_equal(mtc_ruleset_find(rs, "MT001")->name, "pointer-overlaid-by-narrow");
	mtc_ruleset_free(rs);
	free(msg);
	free(path);
}

static void test_malformed_rules(void **state)
{
	const char *dir = *state;

	check_bad_rule(dir, "unknown-key.yaml",
		       RULE_HEAD RULE_BODY "colour: red\nmatch:\n  - wide: [integer]\n", -EINVAL,
		       ":7:1: unknown key 'colour' (id, name, severity, precedence, summary, "
		       "explanation, bad, good, fix, match)");
	check_bad_rule(dir, "bad-severity.yaml",
		       RULE_HEAD "id: MT001\nname: x\nseverity: loud\n", -EINVAL,
		       ":4:11: severity must be note, warning or error, not 'loud'");
	/* rule severities cannot switch a rule off: that is the config's job */
	check_bad_rule(dir, "severity-off.yaml", RULE_HEAD "severity: off\n", -EINVAL,
		       ":2:11: severity must be note, warning or error, not 'off'");
	check_bad_rule(dir, "missing-id.yaml",
		       RULE_HEAD "name: test-rule\nseverity: warning\nprecedence: 50\n"
				 "summary: A test rule.\nmatch:\n  - wide: [integer]\n",
		       -EINVAL, ":2:1: rule has no 'id'");
	check_bad_rule(dir, "missing-severity.yaml",
		       RULE_HEAD "id: MT900\nname: n\nprecedence: 50\nsummary: s\n"
				 "match:\n  - wide: [integer]\n",
		       -EINVAL, ":2:1: rule has no 'severity'");
	check_bad_rule(dir, "missing-match.yaml", RULE_HEAD RULE_BODY, -EINVAL,
		       ":2:1: rule has no 'match'");
	check_bad_rule(dir, "unknown-kind.yaml",
		       RULE_HEAD RULE_BODY "match:\n  - wide: [pointer, widget]\n", -EINVAL,
		       ":8:21: unknown kind 'widget' (integer, bool, enum, float, pointer, "
		       "function-pointer)");
	check_bad_rule(dir, "empty-match.yaml", RULE_HEAD RULE_BODY "match: []\n", -EINVAL,
		       ":7:8: 'match' must be a non-empty list of conditions");
	check_bad_rule(dir, "match-mapping.yaml",
		       RULE_HEAD RULE_BODY "match:\n  wide: [integer]\n", -EINVAL,
		       ":8:3: 'match' must be a non-empty list of conditions");
	check_bad_rule(dir, "match-entry.yaml", RULE_HEAD RULE_BODY "match:\n  - wide\n",
		       -EINVAL, ":8:5: each 'match' entry must be a mapping");
	check_bad_rule(dir, "match-key.yaml", RULE_HEAD RULE_BODY "match:\n  - size: 8\n",
		       -EINVAL,
		       ":8:5: unknown match key 'size' (wide, narrow, wide_bitfield, "
		       "narrow_bitfield, byte_array, partial, target_dependent)");
	check_bad_rule(dir, "match-bool.yaml",
		       RULE_HEAD RULE_BODY "match:\n  - wide: [integer]\n    partial: maybe\n",
		       -EINVAL, ":9:14: 'partial' must be true or false, not 'maybe'");
	check_bad_rule(dir, "kinds-scalar.yaml", RULE_HEAD RULE_BODY "match:\n  - wide: pointer\n",
		       -EINVAL, ":8:11: 'wide' must be a list of kinds");
	check_bad_rule(dir, "precedence.yaml",
		       RULE_HEAD "id: MT900\nprecedence: high\n", -EINVAL,
		       ":3:13: precedence must be a number from 0 to 100000, not 'high'");
	check_bad_rule(dir, "bad-id.yaml",
		       RULE_HEAD "id: mt-1\nname: n\nseverity: note\nprecedence: 1\nsummary: s\n"
				 "match:\n  - wide: [integer]\n",
		       -EINVAL,
		       ":2:1: rule id 'mt-1' must be up to 32 capital letters, digits, '-' or '_'");
	check_bad_rule(dir, "text-list.yaml", RULE_HEAD "id: MT900\nsummary: [a, b]\n", -EINVAL,
		       ":3:10: 'summary' must be a single value");
	check_bad_rule(dir, "not-mapping.yaml", "- id: MT900\n- name: x\n", -EINVAL,
		       ":1:1: expected a mapping of keys to values");
	check_bad_rule(dir, "scalar.yaml", RULE_HEAD "just text\n", -EINVAL,
		       ":2:1: expected a mapping of keys to values");
	check_bad_rule(dir, "invalid.yaml", RULE_HEAD "id: [MT001\n", -EINVAL,
		       ":3:1: did not find expected ',' or ']'");
	check_bad_rule(dir, "indent.yaml", RULE_HEAD "id: MT900\n  name: x\n", -EINVAL,
		       ":3:7: mapping values are not allowed in this context");
	check_bad_rule(dir, "empty.yaml", "", -EINVAL, ": empty file");
	check_bad_rule(dir, "comment-only.yaml", RULE_HEAD, -EINVAL, ": empty file");

	/* a missing file, an empty directory, a bad file among good ones */
	struct mtc_ruleset *rs = mtc_ruleset_new();
	struct mtc_error err = { 0 };
	char *missing = tu_printf("%s/nonexistent.yaml", dir);
	char *want = tu_printf("%s: No such file or directory", missing);

	assert_int_equal(mtc_ruleset_load(rs, missing, &err), -ENOENT);
	assert_string_equal(err.message, want);
	free(want);
	free(missing);

	char *empty = tu_printf("%s/empty-dir", dir);

	assert_int_equal(mkdir(empty, 0700), 0);
	free(tu_write(empty, "README", "no rules here\n"));
	want = tu_printf("%s: no rule files (*.yaml) in this directory", empty);
	assert_int_equal(mtc_ruleset_load(rs, empty, &err), -ENOENT);
	assert_string_equal(err.message, want);
	free(want);
	free(tu_write(empty, "a.yaml", RULE_BODY "match:\n  - wide: [integer]\n"));
	free(tu_write(empty, "b.yaml", RULE_BODY "match: []\n"));
	want = tu_printf("%s/b.yaml:6:8: 'match' must be a non-empty list of conditions", empty);
	assert_int_equal(mtc_ruleset_load(rs, empty, &err), -EINVAL);
	assert_string_equal(err.message, want);
	free(want);
	free(empty);
	mtc_ruleset_free(rs);
}

/*
 * Rules from memory load as from their files: the shipped catalogue read
 * into buffers gives the same rules, each named as given; the text needs no
 * NUL at its end, and errors name the name with line and column.
 */
static void test_load_text(void **state)
{
	(void)state;
	struct mtc_ruleset *from_dir = tu_rules();
	struct mtc_ruleset *rs = mtc_ruleset_new();
	struct mtc_error err = { 0 };

	for (size_t i = 0; i < mtc_ruleset_count(from_dir); i++) {
		const struct mtc_rule *want = mtc_ruleset_at(from_dir, i);
		FILE *f = fopen(want->file, "rb");
		char buf[16384];

		assert_non_null(f);
		size_t len = fread(buf, 1, sizeof(buf) - 16, f);

		assert_true(feof(f) && len > 0);
		fclose(f);
		/* what follows the text is not read: here, YAML that would not parse */
		memcpy(buf + len, "\n  : [x\n", 9);
		char *name = tu_printf("memory/%s.yaml", want->id);

		assert_int_equal(mtc_ruleset_load_text(rs, name, buf, len, &err), 0);
		free(name);
	}
	assert_int_equal(mtc_ruleset_count(rs), mtc_ruleset_count(from_dir));
	for (size_t i = 0; i < mtc_ruleset_count(rs); i++) {
		const struct mtc_rule *a = mtc_ruleset_at(rs, i), *b = mtc_ruleset_at(from_dir, i);
		char *name = tu_printf("memory/%s.yaml", b->id);

		assert_string_equal(a->id, b->id);
		assert_string_equal(a->name, b->name);
		assert_int_equal(a->severity, b->severity);
		assert_int_equal(a->precedence, b->precedence);
		assert_string_equal(a->summary, b->summary);
		assert_string_equal(a->explanation, b->explanation);
		assert_string_equal(a->bad_example, b->bad_example);
		assert_string_equal(a->good_example, b->good_example);
		assert_string_equal(a->fix, b->fix);
		assert_string_equal(a->file, name);
		free(name);
	}
	/* a rule of the same id replaces the loaded one, as from a file */
	static const char refine[] = RULE_BODY "match:\n  - wide: [integer]\n";
	char *body = tu_printf("%s", refine);

	memcpy(body + strlen("id: "), "MT004", 5);	/* id: MT900 becomes MT004 */
	assert_int_equal(mtc_ruleset_load_text(rs, "mine", body, strlen(body), &err), 0);
	assert_int_equal(mtc_ruleset_count(rs), mtc_ruleset_count(from_dir));
	assert_string_equal(mtc_ruleset_find(rs, "MT004")->name, "test-rule");
	assert_string_equal(mtc_ruleset_find(rs, "MT004")->file, "mine");
	free(body);
	static const char bad[] = RULE_HEAD RULE_BODY "match: []\n";

	assert_int_equal(mtc_ruleset_load_text(rs, "built-in/MT900.yaml", bad, strlen(bad), &err),
			 -EINVAL);
	assert_string_equal(err.message,
			    "built-in/MT900.yaml:7:8: 'match' must be a non-empty list of conditions");
	assert_int_equal(mtc_ruleset_load_text(rs, "nothing", "", 0, &err), -EINVAL);
	assert_string_equal(err.message, "nothing: empty file");
	mtc_ruleset_free(rs);
	mtc_ruleset_free(from_dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_shipped),
		cmocka_unit_test(test_default_rules_dir),
		cmocka_unit_test(test_load_text),
		cmocka_unit_test(test_match_facts),
		cmocka_unit_test_setup_teardown(test_user_rules, scratch_setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_malformed_rules, scratch_setup,
						scratch_teardown),
	};

	return cmocka_run_group_tests_name("rules", tests, NULL, NULL);
}
