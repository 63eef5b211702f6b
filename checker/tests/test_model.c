// SPDX-License-Identifier: MIT
/* The layout model: constructors, record lookup, string lifetime, scale. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

static void test_model_target_and_names(void **state)
{
	(void)state;
	struct mtc_target t = t_be64;
	struct mtc_model *m = mtc_model_new(&t);
	char input[32];

	assert_non_null(m);
	/* the model keeps its own copy of the target */
	t.endian = MTC_ENDIAN_LITTLE;
	t.pointer_bits = 32;
	assert_int_equal(mtc_model_target(m)->endian, MTC_ENDIAN_BIG);
	assert_int_equal(mtc_model_target(m)->pointer_bits, 64);
	assert_false(mtc_model_target(m)->char_signed);
	assert_string_equal(mtc_model_target(m)->triple, "s390x-linux-gnu");

	/* unset input and front end read as empty strings, not NULL */
	assert_string_equal(mtc_model_input(m), "");
	assert_string_equal(mtc_model_frontend(m), "");
	strcpy(input, "vmlinux");
	mtc_model_set_input(m, input);
	strcpy(input, "overwritten");
	assert_string_equal(mtc_model_input(m), "vmlinux");
	mtc_model_set_frontend(m, "btf");
	assert_string_equal(mtc_model_frontend(m), "btf");

	assert_string_equal(mtc_endian_name(MTC_ENDIAN_LITTLE), "little");
	assert_string_equal(mtc_endian_name(MTC_ENDIAN_BIG), "big");
	assert_int_equal(mtc_model_nr_records(m), 0);
	assert_null(mtc_model_record_at(m, 0));
	assert_null(mtc_model_find_record(m, "anything"));
	mtc_model_free(m);
	mtc_model_free(NULL);
}

static void test_model_scalar(void **state)
{
	(void)state;
	struct mtc_model *m = tu_model(&t_le64);
	char name[32];

	strcpy(name, "unsigned char");
	struct mtc_type *uc = mtc_model_scalar(m, MTC_KIND_INT, name, 1, false);

	strcpy(name, "XXXXXXXXXXXXX");
	assert_non_null(uc);
	assert_int_equal(uc->kind, MTC_KIND_INT);
	assert_string_equal(uc->name, "unsigned char");
	assert_ptr_not_equal(uc->name, name);
	assert_int_equal(uc->size, 1);
	assert_int_equal(uc->align, 1);
	assert_false(uc->is_signed);
	assert_true(uc->is_char);
	assert_null(uc->element);
	assert_int_equal(uc->nr_members, 0);
	assert_null(uc->members);

	struct mtc_type *i8 = mtc_model_scalar(m, MTC_KIND_INT, "int8_t", 1, true);

	assert_true(i8->is_signed);
	assert_true(i8->is_char);

	/* only one-byte integers are chars: not _Bool, not wider integers */
	struct mtc_type *b = mtc_model_scalar(m, MTC_KIND_BOOL, "_Bool", 1, false);

	assert_int_equal(b->kind, MTC_KIND_BOOL);
	assert_false(b->is_char);
	struct mtc_type *s16 = mtc_model_scalar(m, MTC_KIND_INT, "short", 2, true);

	assert_false(s16->is_char);
	assert_int_equal(s16->align, 2);

	struct mtc_type *d = mtc_model_scalar(m, MTC_KIND_FLOAT, "double", 8, true);

	assert_int_equal(d->kind, MTC_KIND_FLOAT);
	assert_int_equal(d->size, 8);
	assert_false(d->is_char);

	struct mtc_type *fp = mtc_model_scalar(m, MTC_KIND_FUNC_POINTER, "void (*)(void)", 8,
					       false);

	assert_int_equal(fp->kind, MTC_KIND_FUNC_POINTER);
	assert_string_equal(fp->name, "void (*)(void)");

	/* an unnamed scalar stays unnamed */
	struct mtc_type *anon = mtc_model_scalar(m, MTC_KIND_ENUM, NULL, 4, false);

	assert_null(anon->name);
	/* scalars are not analysis roots */
	assert_int_equal(mtc_model_nr_records(m), 0);
	mtc_model_free(m);
}

static void test_model_array_and_opaque(void **state)
{
	(void)state;
	struct mtc_model *m = tu_model(&t_le64);
	struct mtc_type *u16 = tu_int(m, "uint16_t", 2, false);
	struct mtc_type *a = mtc_model_array(m, u16, 1000000);

	assert_non_null(a);
	assert_int_equal(a->kind, MTC_KIND_ARRAY);
	assert_null(a->name);
	assert_ptr_equal(a->element, u16);
	assert_int_equal(a->count, 1000000);
	assert_int_equal(a->size, 2000000);
	assert_int_equal(a->align, 2);

	/* arrays of arrays multiply out */
	struct mtc_type *aa = mtc_model_array(m, mtc_model_array(m, u16, 8), 4);

	assert_int_equal(aa->size, 64);
	assert_int_equal(aa->count, 4);
	assert_int_equal(aa->element->count, 8);

	/* flexible array: no elements, no bytes */
	struct mtc_type *flex = mtc_model_array(m, u16, 0);

	assert_int_equal(flex->count, 0);
	assert_int_equal(flex->size, 0);

	struct mtc_type *o = mtc_model_opaque(m, "struct page", 64);

	assert_non_null(o);
	assert_int_equal(o->kind, MTC_KIND_OPAQUE);
	assert_string_equal(o->name, "struct page");
	assert_int_equal(o->size, 64);
	/* an opaque type is no root, even with a name */
	assert_int_equal(mtc_model_nr_records(m), 0);
	mtc_model_free(m);
}

static void test_model_record_and_members(void **state)
{
	(void)state;
	struct mtc_model *m = tu_model(&t_le64);
	struct mtc_type *u32 = tu_int(m, "uint32_t", 4, false);
	struct mtc_type *anon = mtc_model_record(m, MTC_KIND_UNION, NULL, 8, 4);
	struct mtc_type *r = mtc_model_record(m, MTC_KIND_STRUCT, "struct foo", 16, 8);

	assert_non_null(anon);
	assert_non_null(r);
	assert_int_equal(anon->kind, MTC_KIND_UNION);
	assert_null(anon->name);
	assert_int_equal(r->kind, MTC_KIND_STRUCT);
	assert_string_equal(r->name, "struct foo");
	assert_int_equal(r->size, 16);
	assert_int_equal(r->align, 8);
	assert_int_equal(r->order, MTC_ORDER_TARGET);
	assert_null(r->allow_reason);
	assert_int_equal(r->nr_members, 0);
	/* only the named record is a root */
	assert_int_equal(mtc_model_nr_records(m), 1);
	assert_ptr_equal(mtc_model_record_at(m, 0), r);
	assert_null(mtc_model_record_at(m, 1));

	/* a plain member: the bit offset is ignored */
	struct mtc_member *a = mtc_record_add_member(m, r, "a", u32, 4, 99, 0);

	assert_non_null(a);
	assert_string_equal(a->name, "a");
	assert_ptr_equal(a->type, u32);
	assert_int_equal(a->offset, 4);
	assert_int_equal(a->bit_offset, 0);
	assert_int_equal(a->bit_size, 0);
	assert_null(a->loc.file);
	assert_null(a->allow_reason);

	/* a bitfield: the byte offset follows the physical bit offset */
	struct mtc_member *bf = mtc_record_add_member(m, r, "flags", u32, 1234, 75, 3);

	assert_int_equal(bf->offset, 9);
	assert_int_equal(bf->bit_offset, 75);
	assert_int_equal(bf->bit_size, 3);

	/* NULL and "" both make an anonymous member */
	struct mtc_member *n1 = mtc_record_add_member(m, r, NULL, anon, 8, 0, 0);

	assert_null(n1->name);
	struct mtc_member *n2 = mtc_record_add_member(m, r, "", anon, 8, 0, 0);

	assert_null(n2->name);
	assert_int_equal(r->nr_members, 4);

	/* members keep their order and values as the array grows */
	for (unsigned i = 0; i < 1000; i++) {
		char name[16];

		snprintf(name, sizeof(name), "m%u", i);
		assert_non_null(mtc_record_add_member(m, anon, name, u32, i * 4, 0, 0));
	}
	assert_int_equal(anon->nr_members, 1000);
	for (unsigned i = 0; i < 1000; i++) {
		char name[16];

		snprintf(name, sizeof(name), "m%u", i);
		assert_string_equal(anon->members[i].name, name);
		assert_int_equal(anon->members[i].offset, i * 4);
	}
	assert_string_equal(r->members[0].name, "a");
	assert_int_equal(r->members[1].bit_offset, 75);
	mtc_model_free(m);
}

static void test_model_find_record(void **state)
{
	(void)state;
	struct mtc_model *m = tu_model(&t_le64);
	struct mtc_type *foo = tu_record(m, MTC_KIND_STRUCT, "struct foo", 4, 4);
	struct mtc_type *bar = tu_record(m, MTC_KIND_UNION, "union bar", 4, 4);
	struct mtc_type *foo_t = tu_record(m, MTC_KIND_STRUCT, "foo_t", 4, 4);
	struct mtc_type *ufoo = tu_record(m, MTC_KIND_UNION, "union foo", 4, 4);

	assert_ptr_equal(mtc_model_find_record(m, "foo"), foo);
	assert_ptr_equal(mtc_model_find_record(m, "struct foo"), foo);
	assert_ptr_equal(mtc_model_find_record(m, "bar"), bar);
	assert_ptr_equal(mtc_model_find_record(m, "union bar"), bar);
	assert_ptr_equal(mtc_model_find_record(m, "foo_t"), foo_t);
	/* a full name only finds its own kind */
	assert_ptr_equal(mtc_model_find_record(m, "union foo"), ufoo);
	assert_null(mtc_model_find_record(m, "struct bar"));
	/* no prefixes, no tag keyword alone, no empty name */
	assert_null(mtc_model_find_record(m, "fo"));
	assert_null(mtc_model_find_record(m, "struct"));
	assert_null(mtc_model_find_record(m, "struct "));
	assert_null(mtc_model_find_record(m, ""));
	assert_null(mtc_model_find_record(m, "struct foo_t"));
	mtc_model_free(m);
}

static void test_model_strdup_lifetime(void **state)
{
	(void)state;
	struct mtc_model *m = tu_model(&t_le64);
	/* bigger than one arena chunk, then many small ones across chunks */
	size_t big_len = 200 * 1024;
	char *big = malloc(big_len + 1);
	const char *copies[5000];
	char buf[32];

	assert_non_null(big);
	memset(big, 'x', big_len);
	big[big_len] = '\0';
	const char *big_copy = mtc_model_strdup(m, big);

	memset(big, 'y', big_len);
	free(big);
	assert_non_null(big_copy);
	assert_int_equal(strlen(big_copy), big_len);
	assert_int_equal(big_copy[0], 'x');
	assert_int_equal(big_copy[big_len - 1], 'x');

	for (int i = 0; i < 5000; i++) {
		snprintf(buf, sizeof(buf), "name-%d", i);
		copies[i] = mtc_model_strdup(m, buf);
		assert_non_null(copies[i]);
		assert_ptr_not_equal(copies[i], buf);
	}
	strcpy(buf, "gone");
	for (int i = 0; i < 5000; i++) {
		char want[32];

		snprintf(want, sizeof(want), "name-%d", i);
		assert_string_equal(copies[i], want);
	}
	assert_null(mtc_model_strdup(m, NULL));
	assert_string_equal(mtc_model_strdup(m, ""), "");

	/* member and record names are copies too */
	char rname[32] = "struct tmp", mname[32] = "field";
	struct mtc_type *r = tu_record(m, MTC_KIND_STRUCT, rname, 4, 4);
	struct mtc_member *mb = tu_member(m, r, mname, tu_int(m, "int", 4, true), 0);

	strcpy(rname, "struct changed");
	strcpy(mname, "changed");
	assert_string_equal(r->name, "struct tmp");
	assert_string_equal(mb->name, "field");
	assert_ptr_equal(mtc_model_find_record(m, "tmp"), r);
	mtc_model_free(m);
}

static void test_model_many_records(void **state)
{
	(void)state;
	enum { N = 100000 };
	struct mtc_model *m = tu_model(&t_le64);
	struct mtc_type *u32 = tu_int(m, "uint32_t", 4, false);
	char name[32];

	for (unsigned i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "struct r%u", i);
		struct mtc_type *r = mtc_model_record(m, i % 2 ? MTC_KIND_UNION : MTC_KIND_STRUCT,
						      name, 8, 4);

		assert_non_null(r);
		assert_non_null(mtc_record_add_member(m, r, "a", u32, 0, 0, 0));
		assert_non_null(mtc_record_add_member(m, r, "b", u32, i % 2 ? 0 : 4, 0, 0));
		/* anonymous records are owned too, but are no roots */
		assert_non_null(mtc_model_record(m, MTC_KIND_STRUCT, NULL, 4, 4));
	}
	assert_int_equal(mtc_model_nr_records(m), N);
	for (unsigned i = 0; i < N; i += 9973) {
		snprintf(name, sizeof(name), "struct r%u", i);
		assert_string_equal(mtc_model_record_at(m, i)->name, name);
		assert_int_equal(mtc_model_record_at(m, i)->nr_members, 2);
	}
	const struct mtc_type *last = mtc_model_find_record(m, "r99999");

	assert_non_null(last);
	assert_ptr_equal(last, mtc_model_record_at(m, N - 1));
	assert_int_equal(last->kind, MTC_KIND_UNION);
	assert_null(mtc_model_record_at(m, N));
	assert_null(mtc_model_find_record(m, "r100000"));
	mtc_model_free(m);
}

static void test_kind_predicates(void **state)
{
	(void)state;
	static const enum mtc_kind scalars[] = { MTC_KIND_INT, MTC_KIND_BOOL, MTC_KIND_ENUM,
						 MTC_KIND_FLOAT, MTC_KIND_POINTER,
						 MTC_KIND_FUNC_POINTER };
	static const enum mtc_kind others[] = { MTC_KIND_STRUCT, MTC_KIND_UNION,
						MTC_KIND_ARRAY, MTC_KIND_OPAQUE };

	for (size_t i = 0; i < sizeof(scalars) / sizeof(scalars[0]); i++) {
		assert_true(mtc_kind_is_scalar(scalars[i]));
		assert_false(mtc_kind_is_record(scalars[i]));
	}
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		assert_false(mtc_kind_is_scalar(others[i]));
	assert_true(mtc_kind_is_record(MTC_KIND_STRUCT));
	assert_true(mtc_kind_is_record(MTC_KIND_UNION));
	assert_false(mtc_kind_is_record(MTC_KIND_ARRAY));
	assert_false(mtc_kind_is_record(MTC_KIND_OPAQUE));
}

/* mtc_model_check: containment cycles and every documented bound, with their messages. */
static void check_fails(struct mtc_model *m, int code, const char *message)
{
	struct mtc_error err = { 0 };

	assert_int_equal(mtc_model_check(m, &err), code);
	assert_int_equal(err.code, code);
	assert_string_equal(err.message, message);
}

static void test_model_check_cycles(void **state)
{
	(void)state;
	struct mtc_model *m = tu_model(&t_le64);
	struct mtc_type *i32 = tu_int(m, "int", 4, true);

	mtc_model_set_input(m, "in.btf");
	/* union u { int a; union u self; } */
	struct mtc_type *u = tu_record(m, MTC_KIND_UNION, "union u", 4, 4);

	tu_member(m, u, "a", i32, 0);
	tu_member(m, u, "self", u, 0);
	check_fails(m, -ELOOP, "in.btf: 'union u' contains itself through 'self'");
	mtc_model_free(m);

	/* struct a { struct b b; }; struct b { struct { struct a x[2]; } inner; } */
	m = tu_model(&t_le64);
	mtc_model_set_input(m, "pair.o");
	struct mtc_type *a = tu_record(m, MTC_KIND_STRUCT, "struct a", 8, 4);
	struct mtc_type *b = tu_record(m, MTC_KIND_STRUCT, "struct b", 8, 4);
	struct mtc_type *anon = tu_record(m, MTC_KIND_STRUCT, NULL, 8, 4);

	tu_member(m, a, "b", b, 0);
	tu_member(m, b, "inner", anon, 0);
	tu_member(m, anon, "x", tu_array(m, a, 2), 0);
	check_fails(m, -ELOOP, "pair.o: 'struct a' contains itself through 'b.inner.x[]'");
	mtc_model_free(m);

	/* an anonymous record that holds itself is named by where it sits */
	m = tu_model(&t_le64);
	mtc_model_set_input(m, "anon.o");
	struct mtc_type *outer = tu_record(m, MTC_KIND_STRUCT, "struct outer", 8, 4);

	anon = tu_record(m, MTC_KIND_UNION, NULL, 8, 4);
	tu_member(m, outer, "u", anon, 0);
	tu_member(m, anon, "again", anon, 0);
	check_fails(m, -ELOOP, "anon.o: 'an anonymous union in 'struct outer'' contains itself "
			       "through 'again'");
	mtc_model_free(m);

	/* pointers to itself, and one record used twice, are fine */
	m = tu_model(&t_le64);
	struct mtc_type *node = tu_record(m, MTC_KIND_STRUCT, "struct node", 16, 8);
	struct mtc_type *pair = tu_record(m, MTC_KIND_STRUCT, "struct pair", 32, 8);

	tu_member(m, node, "next", tu_ptr(m, "struct node *"), 0);
	tu_member(m, node, "v", tu_int(m, "long", 8, true), 8);
	tu_member(m, pair, "l", node, 0);
	tu_member(m, pair, "r", node, 16);
	assert_int_equal(mtc_model_check(m, NULL), 0);
	mtc_model_free(m);
}

static void test_model_check_bounds(void **state)
{
	(void)state;
	struct mtc_model *m = tu_model(&t_le64);

	mtc_model_set_input(m, "big.btf");
	/* the widest scalar allowed, then one byte more */
	struct mtc_type *w = tu_record(m, MTC_KIND_UNION, "union w", 65, 1);
	struct mtc_type *in = tu_record(m, MTC_KIND_STRUCT, NULL, 65, 1);

	tu_member(m, w, "ok", tu_int(m, "wide_t", MTC_MAX_SCALAR_SIZE, false), 0);
	tu_member(m, w, "in", in, 0);
	assert_int_equal(mtc_model_check(m, NULL), 0);
	tu_member(m, in, "x", tu_int(m, "huge_t", MTC_MAX_SCALAR_SIZE + 1, false), 0);
	check_fails(m, -E2BIG, "big.btf: 'union w' member 'in.x' is a 65-byte integer "
				"('huge_t'); mtcheck reads scalars of at most 64 bytes");
	mtc_model_free(m);

	/* an array of huge scalars is refused the same way */
	m = tu_model(&t_le64);
	mtc_model_set_input(m, "arr.o");
	w = tu_record(m, MTC_KIND_STRUCT, "struct s", 1 << 20, 1);
	tu_member(m, w, "v", tu_array(m, tu_int(m, "v_t", 1 << 19, false), 2), 0);
	check_fails(m, -E2BIG, "arr.o: 'struct s' member 'v[]' is a 524288-byte integer ('v_t'); "
				"mtcheck reads scalars of at most 64 bytes");
	mtc_model_free(m);

	/* nesting: 256 levels pass, 257 do not */
	for (int levels = MTC_MAX_NESTING; levels <= MTC_MAX_NESTING + 1; levels++) {
		m = tu_model(&t_le64);
		mtc_model_set_input(m, "deep.o");
		struct mtc_type *t = tu_int(m, "int", 4, true);

		for (int i = 0; i < levels; i++) {
			char name[32];

			snprintf(name, sizeof(name), "struct s%d", i);
			struct mtc_type *r = tu_record(m, MTC_KIND_STRUCT, name, 4, 4);

			tu_member(m, r, "m", t, 0);
			t = r;
		}
		if (levels == MTC_MAX_NESTING)
			assert_int_equal(mtc_model_check(m, NULL), 0);
		else
			check_fails(m, -E2BIG, "deep.o: 'struct s256' nests records and arrays "
						"more than 256 deep");
		mtc_model_free(m);
	}

	/* shared records expand: 2^21 members below the root through 21 levels of pairs */
	m = tu_model(&t_le64);
	mtc_model_set_input(m, "fan.o");
	struct mtc_type *t = tu_int(m, "char", 1, true);

	for (int i = 0; i < 21; i++) {
		char name[32];

		snprintf(name, sizeof(name), "struct f%d", i);
		struct mtc_type *r = tu_record(m, MTC_KIND_STRUCT, name, t->size * 2, 1);

		tu_member(m, r, "l", t, 0);
		tu_member(m, r, "r", t, t->size);
		t = r;
	}
	check_fails(m, -E2BIG, "fan.o: 'struct f19' has more than 1048576 members with its "
				"nested records expanded");
	mtc_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model_target_and_names),
		cmocka_unit_test(test_model_scalar),
		cmocka_unit_test(test_model_array_and_opaque),
		cmocka_unit_test(test_model_record_and_members),
		cmocka_unit_test(test_model_find_record),
		cmocka_unit_test(test_model_strdup_lifetime),
		cmocka_unit_test(test_model_many_records),
		cmocka_unit_test(test_kind_predicates),
		cmocka_unit_test(test_model_check_cycles),
		cmocka_unit_test(test_model_check_bounds),
	};

	return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
