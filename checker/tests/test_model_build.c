// SPDX-License-Identifier: MIT
/* What every front end builds with: record names, the nesting bound, spellings. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "test_util.h"

static void test_named_record(void **state)
{
	struct mtc_model *m = tu_model(&t_le64);
	struct mtc_type *s, *u, *t, *both, *anon;

	(void)state;
	s = mtc_model_named_record(m, MTC_KIND_STRUCT, "foo", NULL, 8, 4);
	u = mtc_model_named_record(m, MTC_KIND_UNION, "bar", "", 4, 4);
	t = mtc_model_named_record(m, MTC_KIND_UNION, "", "u32_halves", 4, 4);
	both = mtc_model_named_record(m, MTC_KIND_STRUCT, "tagged", "tagged_t", 4, 4);
	anon = mtc_model_named_record(m, MTC_KIND_STRUCT, NULL, NULL, 2, 1);
	assert_string_equal(s->name, "struct foo");
	assert_int_equal(s->size, 8);
	assert_int_equal(s->align, 4);
	assert_string_equal(u->name, "union bar");
	assert_int_equal(u->kind, MTC_KIND_UNION);
	/* a record without a tag is named after its typedef */
	assert_string_equal(t->name, "u32_halves");
	/* a tag wins over a typedef */
	assert_string_equal(both->name, "struct tagged");
	assert_null(anon->name);
	/* named records are roots, in order; the anonymous one is not */
	assert_int_equal(mtc_model_nr_records(m), 4);
	assert_ptr_equal(mtc_model_record_at(m, 2), t);
	assert_ptr_equal(mtc_model_find_record(m, "u32_halves"), t);
	mtc_model_free(m);
}

static void test_name_by_typedef(void **state)
{
	struct mtc_model *m = tu_model(&t_le64);
	struct mtc_type *anon = mtc_model_named_record(m, MTC_KIND_STRUCT, NULL, NULL, 16, 8);
	struct mtc_type *tagged = mtc_model_named_record(m, MTC_KIND_STRUCT, "n", NULL, 8, 8);
	struct mtc_type *i = tu_int(m, "int", 4, true);
	char name[16];

	(void)state;
	assert_int_equal(mtc_model_nr_records(m), 1);
	/* the model keeps its own copy of the name */
	strcpy(name, "node_t");
	assert_int_equal(mtc_record_name_by_typedef(m, anon, name), 1);
	strcpy(name, "changed");
	assert_string_equal(anon->name, "node_t");
	assert_int_equal(mtc_model_nr_records(m), 2);
	assert_ptr_equal(mtc_model_record_at(m, 1), anon);
	assert_ptr_equal(mtc_model_find_record(m, "node_t"), anon);
	/* the first typedef wins; a tag is kept; scalars and empty names change nothing */
	assert_int_equal(mtc_record_name_by_typedef(m, anon, "other_t"), 0);
	assert_string_equal(anon->name, "node_t");
	assert_int_equal(mtc_record_name_by_typedef(m, tagged, "n_t"), 0);
	assert_string_equal(tagged->name, "struct n");
	assert_int_equal(mtc_record_name_by_typedef(m, i, "int_t"), 0);
	assert_string_equal(i->name, "int");
	struct mtc_type *anon2 = mtc_model_named_record(m, MTC_KIND_UNION, NULL, NULL, 4, 4);

	assert_int_equal(mtc_record_name_by_typedef(m, anon2, ""), 0);
	assert_int_equal(mtc_record_name_by_typedef(m, anon2, NULL), 0);
	assert_null(anon2->name);
	assert_int_equal(mtc_model_nr_records(m), 2);
	mtc_model_free(m);
}

static void test_nesting(void **state)
{
	struct mtc_model *m = tu_model(&t_le64);
	struct mtc_error err = { 0 };

	(void)state;
	mtc_model_set_input(m, "deep.o");
	assert_int_equal(mtc_model_nesting(m, 0, "struct s", &err), 0);
	assert_int_equal(mtc_model_nesting(m, MTC_MAX_NESTING, "struct s", &err), 0);
	assert_int_equal(err.code, 0);
	assert_int_equal(mtc_model_nesting(m, MTC_MAX_NESTING + 1, "struct s", &err), -E2BIG);
	assert_string_equal(err.message,
			    "deep.o: 'struct s' nests records and arrays more than 256 deep");
	assert_int_equal(mtc_model_nesting(m, MTC_MAX_NESTING + 1, NULL, &err), -E2BIG);
	assert_string_equal(err.message,
			    "deep.o: a record nests records and arrays more than 256 deep");
	assert_int_equal(mtc_model_nesting(m, 100000, NULL, NULL), -E2BIG);
	mtc_model_free(m);
}

static void test_spell_pieces(void **state)
{
	struct mtc_spelling s;

	(void)state;
	mtc_spell_init(&s);
	assert_string_equal(s.buf, "");
	mtc_spell_add(&s, "char");
	mtc_spell_pointer(&s);
	assert_string_equal(s.buf, "char *");
	mtc_spell_pointer(&s);
	assert_string_equal(s.buf, "char **");

	mtc_spell_init(&s);
	mtc_spell_tagged(&s, "union", NULL);
	assert_string_equal(s.buf, "union <anonymous>");
	mtc_spell_init(&s);
	mtc_spell_tagged(&s, "enum", "color");
	mtc_spell_pointer(&s);
	assert_string_equal(s.buf, "enum color *");

	/* a pointer to an array: the star before all the bounds */
	mtc_spell_init(&s);
	mtc_spell_add(&s, "int");
	mtc_spell_array(&s, 4, true);
	assert_string_equal(s.buf, "int[4]");
	mtc_spell_pointer(&s);
	assert_string_equal(s.buf, "int (*)[4]");
	mtc_spell_init(&s);
	mtc_spell_add(&s, "char");
	mtc_spell_array(&s, 2, true);
	mtc_spell_array(&s, 0, false);
	mtc_spell_pointer(&s);
	assert_string_equal(s.buf, "char (*)[2][]");

	/* pointers to functions */
	mtc_spell_init(&s);
	mtc_spell_add(&s, "void");
	mtc_spell_func_open(&s);
	mtc_spell_func_param(&s, 0);
	mtc_spell_add(&s, "int");
	mtc_spell_func_param(&s, 1);
	mtc_spell_add(&s, "const char *");
	mtc_spell_func_close(&s, 2, true);
	assert_string_equal(s.buf, "void (*)(int, const char *, ...)");
	mtc_spell_init(&s);
	mtc_spell_add(&s, "int");
	mtc_spell_func_open(&s);
	mtc_spell_func_close(&s, 0, false);
	assert_string_equal(s.buf, "int (*)(void)");
	mtc_spell_init(&s);
	mtc_spell_add(&s, "int");
	mtc_spell_func_open(&s);
	mtc_spell_func_close(&s, 0, true);
	assert_string_equal(s.buf, "int (*)(...)");
}

static void test_spell_bounds(void **state)
{
	struct mtc_spelling s;
	char chunk[101];

	(void)state;
	/* too deep: "..." once, and the caller is told to stop */
	mtc_spell_init(&s);
	assert_true(mtc_spell_enter(&s, 0));
	assert_true(mtc_spell_enter(&s, MTC_SPELL_MAX_DEPTH));
	mtc_spell_add(&s, "int");
	assert_false(mtc_spell_enter(&s, MTC_SPELL_MAX_DEPTH + 1));
	assert_string_equal(s.buf, "int...");
	assert_false(s.cut);

	/* too long: cut at the bound with "...", then nothing more */
	memset(chunk, 'x', 100);
	chunk[100] = '\0';
	mtc_spell_init(&s);
	for (int i = 0; i < 20; i++)
		mtc_spell_add(&s, chunk);
	assert_true(s.cut);
	assert_int_equal(s.len, MTC_SPELL_MAX_LEN);
	assert_int_equal(strlen(s.buf), MTC_SPELL_MAX_LEN);
	assert_string_equal(s.buf + MTC_SPELL_MAX_LEN - 3, "...");
	assert_int_equal(s.buf[MTC_SPELL_MAX_LEN - 4], 'x');
	mtc_spell_add(&s, "y");
	mtc_spell_pointer(&s);
	mtc_spell_array(&s, 3, true);
	assert_int_equal(s.len, MTC_SPELL_MAX_LEN);
	assert_false(mtc_spell_enter(&s, 0));

	/* a pointer to an array that no longer fits is cut too */
	mtc_spell_init(&s);
	memset(s.buf, 'x', MTC_SPELL_MAX_LEN - 5);
	s.len = MTC_SPELL_MAX_LEN - 5;
	s.buf[s.len] = '\0';
	mtc_spell_array(&s, 1, true);
	assert_int_equal(s.len, MTC_SPELL_MAX_LEN - 2);
	mtc_spell_pointer(&s);
	assert_true(s.cut);
	assert_int_equal(strlen(s.buf), MTC_SPELL_MAX_LEN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_named_record),
		cmocka_unit_test(test_name_by_typedef),
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_spell_pieces),
		cmocka_unit_test(test_spell_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
