// SPDX-License-Identifier: MIT
/*
 * Regressions: library bugs that the unit tests found, kept as tests after
 * their fixes (nested-union views, and a sort order that must not depend on
 * the order findings arrive in).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "test_util.h"

/*
 * union reg { uint16_t w; struct { union { uint8_t lo; [int8_t slo;] };
 *                                  union { uint8_t hi; [int8_t shi;] }; }; }
 * Two sibling unions in one alternative are independent: a member of each
 * is live at the same time, so lo and hi together overlay w, exactly as
 * in struct { uint8_t lo, hi; }.
 */
static struct mtc_model *sibling_unions(bool twins)
{
	struct mtc_model *m = tu_model(&t_le64);
	struct mtc_type *u8 = tu_int(m, "uint8_t", 1, false);
	struct mtc_type *s8 = tu_int(m, "int8_t", 1, true);
	struct mtc_type *a = tu_record(m, MTC_KIND_UNION, NULL, 1, 1);
	struct mtc_type *b = tu_record(m, MTC_KIND_UNION, NULL, 1, 1);
	struct mtc_type *s = tu_record(m, MTC_KIND_STRUCT, NULL, 2, 1);
	struct mtc_type *u = tu_record(m, MTC_KIND_UNION, "union reg", 2, 2);

	tu_member(m, a, "lo", u8, 0);
	tu_member(m, b, "hi", u8, 0);
	if (twins) {
		tu_member(m, a, "slo", s8, 0);
		tu_member(m, b, "shi", s8, 0);
	}
	tu_member(m, s, NULL, a, 0);
	tu_member(m, s, NULL, b, 1);
	tu_member(m, u, "w", tu_int(m, "uint16_t", 2, false), 0);
	tu_member(m, u, NULL, s, 0);
	return m;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_sibling_nested_unions_are_one_overlay(void **state)
{
	(void)state;
	struct mtc_ruleset *rs = tu_rules();

	/* single-member wrappers change nothing: one overlay of both bytes */
	struct mtc_model *m = sibling_unions(false);
	struct mtc_findings *fs = tu_analyze(m, rs, NULL, NULL, 1);
	const struct mtc_finding *f = mtc_findings_at(fs, 0);

	assert_int_equal(f->nr_narrow, 2);
	tu_assert_leaf(&f->narrow[0], "lo", "uint8_t", 0, 1);
	tu_assert_leaf(&f->narrow[1], "hi", "uint8_t", 1, 1);
	assert_false(f->partial);
	assert_string_equal(f->little_endian, "0xBBAA");
	assert_string_equal(f->big_endian, "0xAABB");
	tu_assert_message(f,
			    "[MT002] 'lo', 'hi' overlay bytes 0-1 of integer 'w' in 'union reg'; "
			    "its value depends on byte order");
	mtc_findings_free(fs);
	mtc_model_free(m);

	/* two alternatives each: every combination is an overlay of both bytes */
	m = sibling_unions(true);
	fs = tu_analyze(m, rs, NULL, NULL, 4);
	char *pairs[4];

	for (size_t i = 0; i < 4; i++) {
		f = mtc_findings_at(fs, i);
		assert_int_equal(f->nr_narrow, 2);
		assert_false(f->partial);
		assert_int_equal(f->narrow[0].offset, 0);
		assert_int_equal(f->narrow[1].offset, 1);
		pairs[i] = tu_printf("%s+%s", f->narrow[0].path, f->narrow[1].path);
	}
	qsort(pairs, 4, sizeof(*pairs), cmp_str);
	assert_string_equal(pairs[0], "lo+hi");
	assert_string_equal(pairs[1], "lo+shi");
	assert_string_equal(pairs[2], "slo+hi");
	assert_string_equal(pairs[3], "slo+shi");
	for (size_t i = 0; i < 4; i++)
		free(pairs[i]);
	mtc_findings_free(fs);
	mtc_model_free(m);
	mtc_ruleset_free(rs);
}

/*
 * The same overlap from an LP64 and an ILP32 object (mtcheck -j on an
 * x86-64 and an i686 build of one header): the sorted list must not
 * depend on which input was analysed first.
 */
static void test_sort_independent_of_insertion(void **state)
{
	(void)state;
	struct mtc_ruleset *rs = tu_rules();
	struct mtc_analysis_conf conf = { .rules = rs };
	unsigned order[2][2];

	for (int k = 0; k < 2; k++) {
		struct mtc_findings *fs = mtc_findings_new();
		struct mtc_model *first = tu_model(k ? &t_le32 : &t_le64);
		struct mtc_model *second = tu_model(k ? &t_le64 : &t_le32);

		tu_u64_halves(first, "union u64_halves");
		tu_u64_halves(second, "union u64_halves");
		assert_int_equal(mtc_analyze(first, &conf, fs, NULL), 1);
		assert_int_equal(mtc_analyze(second, &conf, fs, NULL), 1);
		mtc_findings_sort(fs);
		order[k][0] = mtc_findings_at(fs, 0)->targets[0].pointer_bits;
		order[k][1] = mtc_findings_at(fs, 1)->targets[0].pointer_bits;
		mtc_findings_free(fs);
		mtc_model_free(first);
		mtc_model_free(second);
	}
	assert_int_equal(order[0][0], order[1][0]);
	assert_int_equal(order[0][1], order[1][1]);
	mtc_ruleset_free(rs);
}

/* A random scalar type of 1, 2, 4 or 8 bytes. */
static struct mtc_type *rnd_scalar(struct mtc_model *m, unsigned *seed)
{
	static const char *const names[] = { "uint8_t", "uint16_t", "uint32_t", "uint64_t" };
	unsigned k = (unsigned)rand_r(seed) % 4;

	return tu_int(m, names[k], 1u << k, false);
}

/*
 * One union member: an array of scalars or of small records, after a few
 * bytes of padding so that its elements meet the other member's at every
 * phase.
 */
static struct mtc_type *rnd_member(struct mtc_model *m, unsigned *seed, uint64_t *size)
{
	struct mtc_type *el;

	if (rand_r(seed) % 2) {
		el = rnd_scalar(m, seed);
	} else {
		uint64_t off = 0;

		el = tu_record(m, MTC_KIND_STRUCT, NULL, 0, 1);
		for (int f = 0, n = 1 + rand_r(seed) % 3; f < n; f++) {
			struct mtc_type *t = rnd_scalar(m, seed);

			char name[16];

			snprintf(name, sizeof(name), "f%d", f);
			tu_member(m, el, name, t, off);
			off += t->size + (uint64_t)(rand_r(seed) % 3);
		}
		el->size = off;
	}
	uint64_t count = 1 + (uint64_t)(rand_r(seed) % 400);
	uint64_t pad = (uint64_t)(rand_r(seed) % 9);
	struct mtc_type *holder = tu_record(m, MTC_KIND_STRUCT, NULL, pad + el->size * count, 1);

	tu_member(m, holder, "a", tu_array(m, el, count), pad);
	*size = holder->size;
	return holder;
}

static char *findings_text(const struct mtc_findings *fs)
{
	size_t n = mtc_findings_count(fs);
	char **lines = calloc(n + 1, sizeof(*lines)), *all = strdup("");

	for (size_t i = 0; i < n; i++) {
		const struct mtc_finding *f = mtc_findings_at(fs, i);

		char *msg = mtc_finding_message(f, 0);

		assert_non_null(msg);
		lines[i] = tu_printf("%s %s %llu", f->rule_id, msg, (unsigned long long)f->instances);
		free(msg);
	}
	qsort(lines, n, sizeof(*lines), cmp_str);
	for (size_t i = 0; i < n; i++) {
		char *joined = tu_printf("%s%s\n", all, lines[i]);

		free(all);
		free(lines[i]);
		all = joined;
	}
	free(lines);
	return all;
}

/*
 * Arrays whose elements overlap alike are counted by their period instead
 * of one by one.  On random unions of arrays (scalars and records, with
 * padding, at every phase) both ways must give the same findings and
 * counts.
 */
static void test_skipping_alike_elements_changes_nothing(void **state)
{
	(void)state;
	struct mtc_ruleset *rs = tu_rules();
	unsigned compared = 0, with_findings = 0;

	for (unsigned s = 1; s <= 400; s++) {
		unsigned seed = s;
		struct mtc_model *m = tu_model(s % 2 ? &t_le64 : &t_be64);
		uint64_t sa, sb;
		struct mtc_type *a = rnd_member(m, &seed, &sa), *b = rnd_member(m, &seed, &sb);
		char name[32];

		snprintf(name, sizeof(name), "union r%u", s);
		struct mtc_type *u = tu_record(m, MTC_KIND_UNION, name, sa > sb ? sa : sb, 1);
		char *text[2];

		tu_member(m, u, "x", a, 0);
		tu_member(m, u, "y", b, 0);
		for (int skip = 0; skip < 2; skip++) {
			struct mtc_findings *fs = mtc_findings_new();
			struct mtc_analysis_conf conf = { .rules = rs, .count_each_element = !skip };
			struct mtc_error err = { 0 };

			assert_true(mtc_analyze(m, &conf, fs, &err) >= 0);
			mtc_findings_sort(fs);
			text[skip] = findings_text(fs);
			mtc_findings_free(fs);
		}
		if (strcmp(text[0], text[1]))
			fail_msg("seed %u:\none by one:\n%s\nskipping:\n%s", s, text[0], text[1]);
		with_findings += *text[0] != '\0';
		compared++;
		free(text[0]);
		free(text[1]);
		mtc_model_free(m);
	}
	/* the comparison means something only if most unions have findings */
	assert_int_equal(compared, 400);
	assert_true(with_findings > 300);
	mtc_ruleset_free(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sibling_nested_unions_are_one_overlay),
		cmocka_unit_test(test_sort_independent_of_insertion),
		cmocka_unit_test(test_skipping_alike_elements_changes_nothing),
	};

	return cmocka_run_group_tests_name("regressions", tests, NULL, NULL);
}
