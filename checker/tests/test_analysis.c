// SPDX-License-Identifier: MIT
/*
 * The overlap analysis on hand-built models: which overlaps are findings,
 * and the exact paths, offsets, value bits, pictures and text of each.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "test_util.h"

struct fixture {
	struct mtc_ruleset *rs;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	fx->rs = tu_rules();
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	if (!fx)
		return 0;
	mtc_ruleset_free(fx->rs);
	free(fx);
	return 0;
}

static const struct mtc_ruleset *rules(void **state)
{
	return ((struct fixture *)*state)->rs;
}

static void assert_target(const struct mtc_finding *f, const struct mtc_target *t)
{
	assert_int_equal(f->nr_targets, 1);
	assert_int_equal(f->targets[0].endian, t->endian);
	assert_int_equal(f->targets[0].pointer_bits, t->pointer_bits);
	assert_int_equal(f->targets[0].char_signed, t->char_signed);
	assert_string_equal(f->targets[0].triple, t->triple);
}

static void assert_loc(const struct mtc_location *l, const char *file, unsigned line,
		       unsigned column)
{
	if (!file) {
		assert_null(l->file);
		assert_int_equal(l->line, 0);
		assert_int_equal(l->column, 0);
		return;
	}
	assert_non_null(l->file);
	assert_string_equal(l->file, file);
	assert_int_equal(l->line, line);
	assert_int_equal(l->column, column);
}

/* The maple range node: the motivating case, on any target. */
static void check_maple(const struct mtc_ruleset *rs, const struct mtc_target *t,
			const char *wide_path, uint64_t wide_off, const char *le,
			const char *be, const char *message, const char *note)
{
	struct maple_fixture fx;
	unsigned w = t->pointer_bits;

	tu_maple(&fx, t);
	struct mtc_findings *fs = tu_analyze(fx.m, rs, NULL, NULL, 1);
	const struct mtc_finding *f = mtc_findings_at(fs, 0);

	assert_string_equal(f->rule_id, "MT001");
	assert_string_equal(f->rule_name, "pointer-overlaid-by-narrow");
	assert_int_equal(f->severity, MTC_SEV_WARNING);
	assert_string_equal(f->record, "struct maple_range_64");

	tu_assert_leaf(&f->wide, wide_path, "void *", wide_off, w / 8);
	assert_int_equal(f->wide.kind, MTC_KIND_POINTER);
	assert_int_equal(f->wide.bit_size, 0);
	assert_false(f->wide.in_char_array);
	assert_loc(&f->wide.loc, "mt.c", 10, 11);

	assert_int_equal(f->nr_narrow, 2);
	tu_assert_leaf(&f->narrow[0], "meta.end", "unsigned char", wide_off, 1);
	tu_assert_leaf(&f->narrow[1], "meta.gap", "unsigned char", wide_off + 1, 1);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(f->narrow[i].kind, MTC_KIND_INT);
		assert_int_equal(f->narrow[i].bit_size, 0);
		assert_false(f->narrow[i].in_char_array);
		/* leaves of the named struct maple_metadata point at 'meta' */
		assert_loc(&f->narrow[i].loc, "mt.c", 13, 29);
	}
	tu_assert_bits(&f->narrow[0], 0, 8, w - 8, w);
	tu_assert_bits(&f->narrow[1], 8, 16, w - 16, w - 8);

	assert_int_equal(f->instances, 1);
	assert_true(f->partial);
	assert_false(f->byte_array);
	assert_false(f->narrow_bitfield);
	assert_string_equal(f->common_prefix, "meta");
	assert_string_equal(f->little_endian, le);
	assert_string_equal(f->big_endian, be);
	assert_target(f, t);
	assert_string_equal(f->frontend, "test");
	assert_string_equal(f->input, "mt.o");
	assert_loc(&f->loc, "mt.c", 13, 29);
	/* the front end's own handles travel with the locations */
	assert_int_equal(f->loc.handle, 13029);
	assert_int_equal(f->wide.loc.handle, 10011);
	assert_int_equal(f->narrow[0].loc.handle, 13029);
	assert_int_equal(f->narrow[1].loc.handle, 13029);
	tu_assert_message(f, message);
	tu_assert_note(f, note);
	assert_int_equal(mtc_findings_max_severity(fs), MTC_SEV_WARNING);
	mtc_findings_free(fs);
	mtc_model_free(fx.m);
}

#define MAPLE64_MESSAGE                                                                    \
	"[MT001] 'meta.end', 'meta.gap' overlay bytes 248-249 of pointer 'slot[15]' in "  \
	"'struct maple_range_64'; its value depends on byte order"
#define MAPLE64_NOTE                                                                       \
	"'slot[15]' reads 0x????????????BBAA on little-endian and 0xAABB???????????? on " \
	"big-endian (AA = meta.end, BB = meta.gap, ?? = bytes not written through 'meta')"
#define MAPLE32_MESSAGE                                                                    \
	"[MT001] 'meta.end', 'meta.gap' overlay bytes 252-253 of pointer 'slot[31]' in "  \
	"'struct maple_range_64'; its value depends on byte order"
#define MAPLE32_NOTE                                                                       \
	"'slot[31]' reads 0x????BBAA on little-endian and 0xAABB???? on big-endian "       \
	"(AA = meta.end, BB = meta.gap, ?? = bytes not written through 'meta')"

static void test_maple_le64(void **state)
{
	check_maple(rules(state), &t_le64, "slot[15]", 248, "0x????????????BBAA",
		    "0xAABB????????????", MAPLE64_MESSAGE, MAPLE64_NOTE);
}

static void test_maple_be64(void **state)
{
	/* the same bytes alias on a big-endian target: the same finding */
	check_maple(rules(state), &t_be64, "slot[15]", 248, "0x????????????BBAA",
		    "0xAABB????????????", MAPLE64_MESSAGE, MAPLE64_NOTE);
}

static void test_maple_32bit(void **state)
{
	check_maple(rules(state), &t_le32, "slot[31]", 252, "0x????BBAA", "0xAABB????",
		    MAPLE32_MESSAGE, MAPLE32_NOTE);
	check_maple(rules(state), &t_be32, "slot[31]", 252, "0x????BBAA", "0xAABB????",
		    MAPLE32_MESSAGE, MAPLE32_NOTE);
}

/* The rule's "good" layout: meta after the slots, in bytes of its own. */
static void test_maple_meta_outside_slots_silent(void **state)
{
	struct mtc_model *m = tu_model(&t_le64);
	struct mtc_type *voidp = tu_ptr(m, "void *");
	struct mtc_type *uchar = tu_int(m, "unsigned char", 1, false);
	struct mtc_type *meta = tu_record(m, MTC_KIND_STRUCT, "struct maple_metadata", 2, 1);
	struct mtc_type *anon = tu_record(m, MTC_KIND_STRUCT, NULL, 136, 8);
	struct mtc_type *un = tu_record(m, MTC_KIND_UNION, NULL, 136, 8);
	struct mtc_type *node = tu_record(m, MTC_KIND_STRUCT, "struct maple_range_64", 264, 8);

	tu_member(m, meta, "end", uchar, 0);
	tu_member(m, meta, "gap", uchar, 1);
	tu_member(m, anon, "pad", tu_array(m, voidp, 16), 0);
	tu_member(m, anon, "meta", meta, 128);
	tu_member(m, un, "slot", tu_array(m, voidp, 16), 0);
	tu_member(m, un, NULL, anon, 0);
	tu_member(m, node, "pivot", tu_array(m, tu_int(m, "unsigned long", 8, false), 16), 0);
	tu_member(m, node, NULL, un, 128);
	mtc_findings_free(tu_analyze(m, rules(state), NULL, NULL, 0));
	mtc_model_free(m);
}

/* uint64_t over two uint32_t: MT002, halves swap with byte order. */
static void test_u64_halves(void **state)
{
	const struct mtc_target *targets[] = { &t_le64, &t_be64, &t_le32 };

	for (size_t k = 0; k < 3; k++) {
		struct mtc_model *m = tu_model(targets[k]);

		tu_u64_halves(m, "union u64_halves");
		struct mtc_findings *fs = tu_analyze(m, rules(state), NULL, NULL, 1);
		const struct mtc_finding *f = mtc_findings_at(fs, 0);

		assert_string_equal(f->rule_id, "MT002");
		assert_string_equal(f->rule_name, "mixed-width-scalars");
		assert_int_equal(f->severity, MTC_SEV_WARNING);
		assert_string_equal(f->record, "union u64_halves");
		tu_assert_leaf(&f->wide, "v", "uint64_t", 0, 8);
		assert_int_equal(f->wide.kind, MTC_KIND_INT);
		assert_int_equal(f->nr_narrow, 2);
		tu_assert_leaf(&f->narrow[0], "s.lo", "uint32_t", 0, 4);
		tu_assert_leaf(&f->narrow[1], "s.hi", "uint32_t", 4, 4);
		tu_assert_bits(&f->narrow[0], 0, 32, 32, 64);
		tu_assert_bits(&f->narrow[1], 32, 64, 0, 32);
		assert_false(f->partial);
		assert_false(f->byte_array);
		assert_false(f->narrow_bitfield);
		assert_int_equal(f->instances, 1);
		assert_string_equal(f->common_prefix, "s");
		assert_string_equal(f->little_endian, "0xBBBBBBBBAAAAAAAA");
		assert_string_equal(f->big_endian, "0xAAAAAAAABBBBBBBB");
		assert_target(f, targets[k]);
		/* no declaration locations in this model */
		assert_loc(&f->loc, NULL, 0, 0);
		assert_loc(&f->wide.loc, NULL, 0, 0);
		tu_assert_message(f,
				    "[MT002] 's.lo', 's.hi' overlay bytes 0-7 of integer 'v' in "
				    "'union u64_halves'; its value depends on byte order");
		tu_assert_note(f,
				    "'v' reads 0xBBBBBBBBAAAAAAAA on little-endian and "
				    "0xAAAAAAAABBBBBBBB on big-endian (AA = s.lo, BB = s.hi)");
		mtc_findings_free(fs);
		mtc_model_free(m);
	}
}

/* Bitfield positions: allocation order to physical and back. */
static void test_bitfield_positions(void **state)
{
	(void)state;
	static const struct {
		uint64_t alloc;
		uint32_t size, be;
	} be_cases[] = {
		{ 0, 4, 4 },	/* high nibble of byte 0: its lsb is bit 4 */
		{ 4, 12, 8 },	/* low nibble of byte 0 and all of byte 1 */
		{ 16, 16, 24 },	/* bytes 2-3: lsb is bit 0 of byte 3 */
		{ 0, 1, 7 },	/* the msb of byte 0 */
		{ 7, 1, 0 },	/* the lsb of byte 0 */
		{ 3, 10, 11 },	/* bits 3..12: spans bytes 0-1, lsb bit 3 of byte 1 */
		{ 5, 8, 11 },	/* spans bytes 0-1 */
		{ 0, 32, 24 },
		{ 33, 3, 36 },	/* byte 4, allocation bits 1..3 */
		{ 60, 9, 67 },	/* spans bytes 7-8 */
		{ 0, 64, 56 },
	};

	for (size_t i = 0; i < sizeof(be_cases) / sizeof(be_cases[0]); i++) {
		uint32_t p = mtc_bitfield_physical(MTC_ENDIAN_BIG, be_cases[i].alloc,
						   be_cases[i].size);

		assert_int_equal(p, be_cases[i].be);
		assert_int_equal(mtc_bitfield_allocation(MTC_ENDIAN_BIG, p, be_cases[i].size),
				 be_cases[i].alloc);
		/* little-endian allocation is physical */
		assert_int_equal(mtc_bitfield_physical(MTC_ENDIAN_LITTLE, be_cases[i].alloc,
						       be_cases[i].size),
				 be_cases[i].alloc);
		assert_int_equal(mtc_bitfield_allocation(MTC_ENDIAN_LITTLE,
							 (uint32_t)be_cases[i].alloc,
							 be_cases[i].size),
				 be_cases[i].alloc);
	}
	/*
	 * Every position and width round-trips, and on big-endian the physical
	 * lsb is the last allocated bit, numbered from the byte's lsb.
	 */
	for (uint64_t a = 0; a < 256; a++) {
		for (uint32_t w = 1; w <= 64; w++) {
			uint64_t last = a + w - 1;
			uint32_t p = mtc_bitfield_physical(MTC_ENDIAN_BIG, a, w);

			assert_int_equal(p / 8, last / 8);
			assert_int_equal(p % 8, 7 - last % 8);
			assert_int_equal(mtc_bitfield_allocation(MTC_ENDIAN_BIG, p, w), a);
			assert_int_equal(mtc_bitfield_allocation(
						 MTC_ENDIAN_LITTLE,
						 mtc_bitfield_physical(MTC_ENDIAN_LITTLE, a, w), w),
					 a);
		}
	}
}

/*
 * union bf { uint32_t word; struct { uint32_t type:4, len:12, id:16; } f; }
 * laid out for @t, with bitfields placed as that target's compiler does.
 */
static struct mtc_model *bitfield_word(const struct mtc_target *t)
{
	struct mtc_model *m = tu_model(t);
	struct mtc_type *u32 = tu_int(m, "uint32_t", 4, false);
	struct mtc_type *s = tu_record(m, MTC_KIND_STRUCT, NULL, 4, 4);
	struct mtc_type *u = tu_record(m, MTC_KIND_UNION, "union bf", 4, 4);

	tu_bitfield(m, s, "type", u32, 0, 4);
	tu_bitfield(m, s, "len", u32, 4, 12);
	tu_bitfield(m, s, "id", u32, 16, 16);
	tu_member(m, u, "word", u32, 0);
	tu_member(m, u, "f", s, 0);
	return m;
}

static void test_bitfields_over_u32(void **state)
{
	const struct mtc_target *targets[] = { &t_le64, &t_be64 };
	/* physical bit offsets of type, len, id on each byte order */
	static const uint32_t phys[2][3] = { { 0, 4, 16 }, { 4, 8, 24 } };

	for (size_t k = 0; k < 2; k++) {
		struct mtc_model *m = bitfield_word(targets[k]);
		struct mtc_findings *fs = tu_analyze(m, rules(state), NULL, NULL, 1);
		const struct mtc_finding *f = mtc_findings_at(fs, 0);

		assert_string_equal(f->rule_id, "MT003");
		assert_string_equal(f->rule_name, "bitfield-overlay");
		assert_int_equal(f->severity, MTC_SEV_WARNING);
		assert_string_equal(f->record, "union bf");
		tu_assert_leaf(&f->wide, "word", "uint32_t", 0, 4);
		assert_int_equal(f->wide.bit_size, 0);
		assert_int_equal(f->nr_narrow, 3);
		tu_assert_leaf(&f->narrow[0], "f.type", "uint32_t", 0, 4);
		tu_assert_leaf(&f->narrow[1], "f.len", "uint32_t", 0, 4);
		tu_assert_leaf(&f->narrow[2], "f.id", "uint32_t", 2, 4);
		assert_int_equal(f->narrow[0].bit_size, 4);
		assert_int_equal(f->narrow[1].bit_size, 12);
		assert_int_equal(f->narrow[2].bit_size, 16);
		for (int i = 0; i < 3; i++)
			assert_int_equal(f->narrow[i].bit_offset, phys[k][i]);
		tu_assert_bits(&f->narrow[0], 0, 4, 28, 32);
		tu_assert_bits(&f->narrow[1], 4, 16, 16, 28);
		tu_assert_bits(&f->narrow[2], 16, 32, 0, 16);
		assert_true(f->narrow_bitfield);
		assert_false(f->partial);
		assert_false(f->byte_array);
		assert_string_equal(f->little_endian, "0bCCCCCCCCCCCCCCCCBBBBBBBBBBBBAAAA");
		assert_string_equal(f->big_endian, "0bAAAABBBBBBBBBBBBCCCCCCCCCCCCCCCC");
		tu_assert_message(f,
				    "[MT003] 'f.type', 'f.len', 'f.id' overlay bytes 0-3 of "
				    "integer 'word' in 'union bf'; its value depends on byte order");
		tu_assert_note(f,
				    "'word' reads 0bCCCCCCCCCCCCCCCCBBBBBBBBBBBBAAAA on little-endian "
				    "and 0bAAAABBBBBBBBBBBBCCCCCCCCCCCCCCCC on big-endian "
				    "(A = f.type, B = f.len, C = f.id)");
		mtc_findings_free(fs);
		mtc_model_free(m);
	}
}

/* Bitfields filling one byte of a uint32_t: partial, drawn bit by bit. */
static void test_bitfields_partial(void **state)
{
	const struct mtc_target *targets[] = { &t_le64, &t_be64 };
	static const uint32_t phys[2][2] = { { 0, 3 }, { 5, 0 } };

	for (size_t k = 0; k < 2; k++) {
		struct mtc_model *m = tu_model(targets[k]);
		struct mtc_type *u32 = tu_int(m, "uint32_t", 4, false);
		struct mtc_type *s = tu_record(m, MTC_KIND_STRUCT, NULL, 4, 4);
		struct mtc_type *u = tu_record(m, MTC_KIND_UNION, "union bf8", 4, 4);

		tu_bitfield(m, s, "a", u32, 0, 3);
		tu_bitfield(m, s, "b", u32, 3, 5);
		tu_member(m, u, "word", u32, 0);
		tu_member(m, u, "f", s, 0);

		struct mtc_findings *fs = tu_analyze(m, rules(state), NULL, NULL, 1);
		const struct mtc_finding *f = mtc_findings_at(fs, 0);

		assert_string_equal(f->rule_id, "MT003");
		assert_int_equal(f->nr_narrow, 2);
		assert_int_equal(f->narrow[0].bit_offset, phys[k][0]);
		assert_int_equal(f->narrow[1].bit_offset, phys[k][1]);
		tu_assert_bits(&f->narrow[0], 0, 3, 29, 32);
		tu_assert_bits(&f->narrow[1], 3, 8, 24, 29);
		assert_true(f->partial);
		assert_string_equal(f->common_prefix, "f");
		assert_string_equal(f->little_endian, "0b????????????????????????BBBBBAAA");
		assert_string_equal(f->big_endian, "0bAAABBBBB????????????????????????");
		tu_assert_message(f,
				    "[MT003] 'f.a', 'f.b' overlay byte 0 of integer 'word' in "
				    "'union bf8'; its value depends on byte order");
		tu_assert_note(f,
				    "'word' reads 0b????????????????????????BBBBBAAA on little-endian "
				    "and 0bAAABBBBB???????????????????????? on big-endian "
				    "(A = f.a, B = f.b, ? = bits not written through 'f')");
		mtc_findings_free(fs);
		mtc_model_free(m);
	}
}

/* A 16-bit bitfield overlaid by two 8-bit ones: the wide leaf is a bitfield. */
static void test_bitfield_wide(void **state)
{
	const struct mtc_target *targets[] = { &t_le64, &t_be64 };
	static const uint32_t wide_phys[2] = { 0, 8 };
	static const uint32_t narrow_phys[2][2] = { { 0, 8 }, { 0, 8 } };

	for (size_t k = 0; k < 2; k++) {
		struct mtc_model *m = tu_model(targets[k]);
		struct mtc_type *u32 = tu_int(m, "unsigned int", 4, false);
		struct mtc_type *a = tu_record(m, MTC_KIND_STRUCT, NULL, 4, 4);
		struct mtc_type *b = tu_record(m, MTC_KIND_STRUCT, NULL, 4, 4);
		struct mtc_type *u = tu_record(m, MTC_KIND_UNION, "union wb", 4, 4);

		tu_bitfield(m, a, "x", u32, 0, 16);
		tu_bitfield(m, b, "y", u32, 0, 8);
		tu_bitfield(m, b, "z", u32, 8, 8);
		tu_member(m, u, "a", a, 0);
		tu_member(m, u, "b", b, 0);

		struct mtc_findings *fs = tu_analyze(m, rules(state), NULL, NULL, 1);
		const struct mtc_finding *f = mtc_findings_at(fs, 0);

		assert_string_equal(f->rule_id, "MT003");
		tu_assert_leaf(&f->wide, "a.x", "unsigned int", 0, 4);
		assert_int_equal(f->wide.bit_size, 16);
		assert_int_equal(f->wide.bit_offset, wide_phys[k]);
		assert_int_equal(f->nr_narrow, 2);
		tu_assert_leaf(&f->narrow[0], "b.y", "unsigned int", 0, 4);
		tu_assert_leaf(&f->narrow[1], "b.z", "unsigned int", 1, 4);
		assert_int_equal(f->narrow[0].bit_offset, narrow_phys[k][0]);
		assert_int_equal(f->narrow[1].bit_offset, narrow_phys[k][1]);
		tu_assert_bits(&f->narrow[0], 0, 8, 8, 16);
		tu_assert_bits(&f->narrow[1], 8, 16, 0, 8);
		assert_false(f->partial);
		assert_string_equal(f->little_endian, "0bBBBBBBBBAAAAAAAA");
		assert_string_equal(f->big_endian, "0bAAAAAAAABBBBBBBB");
		tu_assert_message(f,
				    "[MT003] 'b.y', 'b.z' overlay bytes 0-1 of bitfield 'a.x' in "
				    "'union wb'; its value depends on byte order");
		mtc_findings_free(fs);
		mtc_model_free(m);
	}
}

/*
 * union pad { uint32_t w; struct { uint32_t :4; uint32_t x:4; } s; uint32_t b:4; }:
 * unnamed bitfields are padding, and a bitfield can be a union member itself.
 */
static void test_bitfield_padding_and_union_member(void **state)
{
	const struct mtc_target *targets[] = { &t_le64, &t_be64 };

	for (size_t k = 0; k < 2; k++) {
		struct mtc_model *m = tu_model(targets[k]);
		struct mtc_type *u32 = tu_int(m, "uint32_t", 4, false);
		struct mtc_type *s = tu_record(m, MTC_KIND_STRUCT, NULL, 4, 4);
		struct mtc_type *u = tu_record(m, MTC_KIND_UNION, "union pad", 4, 4);

		tu_bitfield(m, s, NULL, u32, 0, 4);
		tu_bitfield(m, s, "x", u32, 4, 4);
		tu_member(m, u, "w", u32, 0);
		tu_member(m, u, "s", s, 0);
		tu_bitfield(m, u, "b", u32, 0, 4);

		/* w <- s.x, w <- b, and s.x against b: neither is wider */
		struct mtc_findings *fs = tu_analyze(m, rules(state), NULL, NULL, 2);
		const struct mtc_finding *f = mtc_findings_at(fs, 0);

		/* sorted by the first narrow path: "b" before "s.x" */
		assert_string_equal(f->rule_id, "MT003");
		tu_assert_leaf(&f->wide, "w", "uint32_t", 0, 4);
		assert_int_equal(f->nr_narrow, 1);
		tu_assert_leaf(&f->narrow[0], "b", "uint32_t", 0, 4);
		assert_int_equal(f->narrow[0].bit_offset, k ? 4 : 0);
		tu_assert_bits(&f->narrow[0], 0, 4, 28, 32);

		f = mtc_findings_at(fs, 1);
		assert_string_equal(f->rule_id, "MT003");
		assert_int_equal(f->nr_narrow, 1);
		tu_assert_leaf(&f->narrow[0], "s.x", "uint32_t", 0, 4);
		assert_int_equal(f->narrow[0].bit_size, 4);
		assert_int_equal(f->narrow[0].bit_offset, k ? 0 : 4);
		tu_assert_bits(&f->narrow[0], 4, 8, 24, 28);
		assert_true(f->partial);
		assert_string_equal(f->little_endian, "0b????????????????????????AAAA????");
		assert_string_equal(f->big_endian, "0b????AAAA????????????????????????");
		tu_assert_message(f,
				    "[MT003] 's.x' overlays byte 0 of integer 'w' in 'union pad'; "
				    "its value depends on byte order");
		mtc_findings_free(fs);
		mtc_model_free(m);
	}
}

/* Narrow members without a common parent: the note says so. */
static void test_note_without_common_prefix(void **state)
{
	struct mtc_model *m = tu_model(&t_le64);
	struct mtc_type *u16 = tu_int(m, "uint16_t", 2, false);
	struct mtc_type *s = tu_record(m, MTC_KIND_STRUCT, NULL, 4, 2);
	struct mtc_type *u = tu_record(m, MTC_KIND_UNION, "union np", 8, 8);

	tu_member(m, s, "a", u16, 0);
	tu_member(m, s, "b", u16, 2);
	tu_member(m, u, "q", tu_int(m, "uint64_t", 8, false), 0);
	tu_member(m, u, NULL, s, 0);

	struct mtc_findings *fs = tu_analyze(m, rules(state), NULL, NULL, 1);
	const struct mtc_finding *f = mtc_findings_at(fs, 0);

	assert_null(f->common_prefix);
	assert_true(f->partial);
	tu_assert_message(f,
			    "[MT002] 'a', 'b' overlay bytes 0-3 of integer 'q' in 'union np'; its "
			    "value depends on byte order");
	tu_assert_note(f,
			    "'q' reads 0x????????BBBBAAAA on little-endian and 0xAAAABBBB???????? on "
			    "big-endian (AA = a, BB = b, ?? = bytes not written by these members)");
	mtc_findings_free(fs);
	mtc_model_free(m);
}

/* The common parent ends at a whole name: "m", not "m.len_". */
static void test_note_common_prefix_whole_names(void **state)
{
	struct mtc_model *m = tu_model(&t_le64);
	struct mtc_type *u16 = tu_int(m, "uint16_t", 2, false);
	struct mtc_type *s = tu_record(m, MTC_KIND_STRUCT, NULL, 4, 2);
	struct mtc_type *u = tu_record(m, MTC_KIND_UNION, "union cp", 8, 8);

	tu_member(m, s, "len_lo", u16, 0);
	tu_member(m, s, "len_hi", u16, 2);
	tu_member(m, u, "q", tu_int(m, "uint64_t", 8, false), 0);
	tu_member(m, u, "m", s, 0);

	struct mtc_findings *fs = tu_analyze(m, rules(state), NULL, NULL, 1);
	const struct mtc_finding *f = mtc_findings_at(fs, 0);

	assert_string_equal(f->common_prefix, "m");
	tu_assert_note(f,
			    "'q' reads 0x????????BBBBAAAA on little-endian and 0xAAAABBBB???????? on "
			    "big-endian (AA = m.len_lo, BB = m.len_hi, ?? = bytes not written "
			    "through 'm')");
	mtc_findings_free(fs);
	mtc_model_free(m);
}

/* Opaque bytes and flexible arrays hold nothing to read: silent, unlike b[4]. */
static void test_opaque_and_flexible_silent(void **state)
{
	struct mtc_model *m = tu_model(&t_le64);
	struct mtc_type *u8 = tu_int(m, "uint8_t", 1, false);
	struct mtc_type *u1 = tu_record(m, MTC_KIND_UNION, "union flex", 4, 4);
	struct mtc_type *u2 = tu_record(m, MTC_KIND_UNION, "union opaque", 8, 8);
	struct mtc_type *u3 = tu_record(m, MTC_KIND_UNION, "union one", 8, 8);

	tu_member(m, u1, "v", tu_int(m, "uint32_t", 4, false), 0);
	tu_member(m, u1, "b", tu_array(m, u8, 0), 0);
	tu_member(m, u2, "q", tu_int(m, "uint64_t", 8, false), 0);
	tu_member(m, u2, "page", mtc_model_opaque(m, "struct page", 4), 0);
	/* a union of one member overlays nothing */
	tu_member(m, u3, "h", tu_array(m, tu_int(m, "uint16_t", 2, false), 4), 0);
	mtc_findings_free(tu_analyze(m, rules(state), NULL, NULL, 0));
	mtc_model_free(m);
}

/*
 * struct in6 { union { uint8_t u6_addr8[16]; uint16_t u6_addr16[8];
 *                      uint32_t u6_addr32[4]; } in6_u; };
 * union address { uint32_t a4; struct in6 in6; };
 * The alternatives of in6_u never hold values together: over a4, the bytes
 * and the halves are separate overlays, and u6_addr32[0] is silent.
 */
static void test_nested_union_views(void **state)
{
	struct mtc_model *m = tu_model(&t_le64);
	struct mtc_type *u32 = tu_int(m, "uint32_t", 4, false);
	struct mtc_type *in6_u = tu_record(m, MTC_KIND_UNION, NULL, 16, 4);
	struct mtc_type *in6 = tu_record(m, MTC_KIND_STRUCT, "struct in6", 16, 4);
	struct mtc_type *addr = tu_record(m, MTC_KIND_UNION, "union address", 16, 4);

	tu_member(m, in6_u, "u6_addr8", tu_array(m, tu_int(m, "uint8_t", 1, false), 16), 0);
	tu_member(m, in6_u, "u6_addr16", tu_array(m, tu_int(m, "uint16_t", 2, false), 8), 0);
	tu_member(m, in6_u, "u6_addr32", tu_array(m, u32, 4), 0);
	tu_member(m, in6, "in6_u", in6_u, 0);
	tu_member(m, addr, "a4", u32, 0);
	tu_member(m, addr, "in6", in6, 0);

	struct mtc_findings *fs = tu_analyze(m, rules(state), NULL, NULL, 5);
	static const struct {
		const char *rule, *record, *wide;
		size_t nr_narrow;
		const char *first, *last, *le;
		uint64_t instances;
	} want[] = {
		{ "MT004", "struct in6", "in6_u.u6_addr16[0]", 2, "in6_u.u6_addr8[0]",
		  "in6_u.u6_addr8[1]", "0xBBAA", 8 },
		{ "MT002", "struct in6", "in6_u.u6_addr32[0]", 2, "in6_u.u6_addr16[0]",
		  "in6_u.u6_addr16[1]", "0xBBBBAAAA", 4 },
		{ "MT004", "struct in6", "in6_u.u6_addr32[0]", 4, "in6_u.u6_addr8[0]",
		  "in6_u.u6_addr8[3]", "0xDDCCBBAA", 4 },
		{ "MT002", "union address", "a4", 2, "in6.in6_u.u6_addr16[0]",
		  "in6.in6_u.u6_addr16[1]", "0xBBBBAAAA", 1 },
		{ "MT004", "union address", "a4", 4, "in6.in6_u.u6_addr8[0]",
		  "in6.in6_u.u6_addr8[3]", "0xDDCCBBAA", 1 },
	};

	for (size_t i = 0; i < 5; i++) {
		const struct mtc_finding *f = mtc_findings_at(fs, i);

		assert_string_equal(f->rule_id, want[i].rule);
		assert_string_equal(f->record, want[i].record);
		assert_string_equal(f->wide.path, want[i].wide);
		assert_int_equal(f->nr_narrow, want[i].nr_narrow);
		assert_string_equal(f->narrow[0].path, want[i].first);
		assert_string_equal(f->narrow[f->nr_narrow - 1].path, want[i].last);
		assert_string_equal(f->little_endian, want[i].le);
		assert_int_equal(f->instances, want[i].instances);
		assert_false(f->partial);
	}
	tu_assert_message(mtc_findings_at(fs, 0),
			    "[MT004] 'in6_u.u6_addr8[0]', 'in6_u.u6_addr8[1]' overlay bytes 0-1 of "
			    "integer 'in6_u.u6_addr16[0]' in 'struct in6'; its value depends on "
			    "byte order (8 elements overlap alike; the first is named)");
	mtc_findings_free(fs);
	mtc_model_free(m);
}

/*
 * union U { uint64_t q; union { uint32_t a; uint16_t h[2]; } x[2]; }: each
 * alternative of the element union is its own overlay of q, and the element
 * union is reported once, through x[0].
 */
static void test_array_of_unions_alternative(void **state)
{
	struct mtc_model *m = tu_model(&t_le64);
	struct mtc_type *x = tu_record(m, MTC_KIND_UNION, NULL, 4, 4);
	struct mtc_type *u = tu_record(m, MTC_KIND_UNION, "union U", 8, 8);

	tu_member(m, x, "a", tu_int(m, "uint32_t", 4, false), 0);
	tu_member(m, x, "h", tu_array(m, tu_int(m, "uint16_t", 2, false), 2), 0);
	tu_member(m, u, "q", tu_int(m, "uint64_t", 8, false), 0);
	tu_member(m, u, "x", tu_array(m, x, 2), 0);

	struct mtc_findings *fs = tu_analyze(m, rules(state), NULL, NULL, 3);
	const struct mtc_finding *f = mtc_findings_at(fs, 0);

	assert_string_equal(f->wide.path, "q");
	assert_int_equal(f->nr_narrow, 2);
	assert_string_equal(f->narrow[0].path, "x[0].a");
	assert_string_equal(f->narrow[1].path, "x[1].a");
	assert_string_equal(f->little_endian, "0xBBBBBBBBAAAAAAAA");
	f = mtc_findings_at(fs, 1);
	assert_string_equal(f->wide.path, "q");
	assert_int_equal(f->nr_narrow, 4);
	assert_string_equal(f->narrow[0].path, "x[0].h[0]");
	assert_string_equal(f->narrow[3].path, "x[1].h[1]");
	assert_string_equal(f->little_endian, "0xDDDDCCCCBBBBAAAA");
	f = mtc_findings_at(fs, 2);
	tu_assert_leaf(&f->wide, "x[0].a", "uint32_t", 0, 4);
	assert_int_equal(f->nr_narrow, 2);
	tu_assert_leaf(&f->narrow[1], "x[0].h[1]", "uint16_t", 2, 2);
	assert_int_equal(f->instances, 1);
	for (size_t i = 0; i < 3; i++) {
		assert_string_equal(mtc_findings_at(fs, i)->rule_id, "MT002");
		assert_false(mtc_findings_at(fs, i)->partial);
	}
	mtc_findings_free(fs);
	mtc_model_free(m);
}

/* union bv { uint32_t v; unsigned char b[4]; }: the byte-view idiom, a note. */
static void test_byte_view(void **state)
{
	struct mtc_model *m = tu_model(&t_be64);
	struct mtc_type *u = tu_record(m, MTC_KIND_UNION, "union bv", 4, 4);

	tu_member(m, u, "v", tu_int(m, "uint32_t", 4, false), 0);
	tu_member(m, u, "b", tu_array(m, tu_int(m, "unsigned char", 1, false), 4), 0);

	struct mtc_findings *fs = tu_analyze(m, rules(state), NULL, NULL, 1);
	const struct mtc_finding *f = mtc_findings_at(fs, 0);

	assert_string_equal(f->rule_id, "MT004");
	assert_string_equal(f->rule_name, "byte-view");
	assert_int_equal(f->severity, MTC_SEV_NOTE);
	assert_int_equal(mtc_findings_max_severity(fs), MTC_SEV_NOTE);
	tu_assert_leaf(&f->wide, "v", "uint32_t", 0, 4);
	assert_int_equal(f->nr_narrow, 4);
	for (unsigned i = 0; i < 4; i++) {
		char path[8];

		snprintf(path, sizeof(path), "b[%u]", i);
		tu_assert_leaf(&f->narrow[i], path, "unsigned char", i, 1);
		assert_true(f->narrow[i].in_char_array);
		tu_assert_bits(&f->narrow[i], 8 * i, 8 * i + 8, 24 - 8 * i, 32 - 8 * i);
	}
	assert_true(f->byte_array);
	assert_false(f->partial);
	assert_string_equal(f->common_prefix, "b");
	assert_string_equal(f->little_endian, "0xDDCCBBAA");
	assert_string_equal(f->big_endian, "0xAABBCCDD");
	tu_assert_message(f,
			    "[MT004] 'b[0]', 'b[1]', 'b[2]', 'b[3]' overlay bytes 0-3 of integer "
			    "'v' in 'union bv'; its value depends on byte order");
	tu_assert_note(f,
			    "'v' reads 0xDDCCBBAA on little-endian and 0xAABBCCDD on big-endian "
			    "(AA = b[0], BB = b[1], CC = b[2], DD = b[3])");
	mtc_findings_free(fs);
	mtc_model_free(m);
}

/* Precedence on real overlaps: a pointer wins over byte arrays and bitfields. */
static void test_pointer_precedence(void **state)
{
	struct mtc_model *m = tu_model(&t_le64);
	struct mtc_type *voidp = tu_ptr(m, "void *");
	struct mtc_type *uchar = tu_int(m, "unsigned char", 1, false);
	struct mtc_type *ulong = tu_int(m, "unsigned long", 8, false);
	struct mtc_type *bytes = tu_record(m, MTC_KIND_UNION, "union pbytes", 8, 8);
	struct mtc_type *tags = tu_record(m, MTC_KIND_UNION, "union ptag", 8, 8);
	struct mtc_type *ts = tu_record(m, MTC_KIND_STRUCT, NULL, 8, 8);
	struct mtc_type *fn = tu_record(m, MTC_KIND_UNION, "union fn", 8, 8);
	struct mtc_type *fp = mtc_model_scalar(m, MTC_KIND_FUNC_POINTER, "void (*)(void)", 8,
					       false);

	tu_member(m, bytes, "p", voidp, 0);
	tu_member(m, bytes, "b", tu_array(m, uchar, 8), 0);
	tu_bitfield(m, ts, "tag", ulong, 0, 2);
	tu_member(m, tags, "p", voidp, 0);
	tu_member(m, tags, "t", ts, 0);
	tu_member(m, fn, "cb", fp, 0);
	tu_member(m, fn, "w", tu_array(m, tu_int(m, "uint16_t", 2, false), 4), 0);

	struct mtc_findings *fs = tu_analyze(m, rules(state), NULL, NULL, 3);
	/* no locations: sorted by record name */
	const struct mtc_finding *f = mtc_findings_at(fs, 0);

	assert_string_equal(f->record, "union fn");
	assert_string_equal(f->rule_id, "MT001");
	assert_int_equal(f->wide.kind, MTC_KIND_FUNC_POINTER);
	assert_string_equal(f->little_endian, "0xDDDDCCCCBBBBAAAA");
	tu_assert_message(f,
			    "[MT001] 'w[0]', 'w[1]', 'w[2]', 'w[3]' overlay bytes 0-7 of function "
			    "pointer 'cb' in 'union fn'; its value depends on byte order");

	f = mtc_findings_at(fs, 1);
	assert_string_equal(f->record, "union pbytes");
	assert_string_equal(f->rule_id, "MT001");
	assert_true(f->byte_array);
	assert_int_equal(f->nr_narrow, 8);
	assert_string_equal(f->little_endian, "0xHHGGFFEEDDCCBBAA");
	assert_string_equal(f->big_endian, "0xAABBCCDDEEFFGGHH");

	f = mtc_findings_at(fs, 2);
	assert_string_equal(f->record, "union ptag");
	assert_string_equal(f->rule_id, "MT001");
	assert_true(f->narrow_bitfield);
	assert_int_equal(f->nr_narrow, 1);
	tu_assert_leaf(&f->narrow[0], "t.tag", "unsigned long", 0, 8);
	assert_int_equal(f->narrow[0].bit_size, 2);
	tu_assert_bits(&f->narrow[0], 0, 2, 62, 64);
	assert_string_equal(f->little_endian,
			    "0b??????????????????????????????????????????????????????????????AA");
	assert_string_equal(f->big_endian,
			    "0bAA??????????????????????????????????????????????????????????????");
	tu_assert_message(f,
			    "[MT001] 't.tag' overlays byte 0 of pointer 'p' in 'union ptag'; its "
			    "value depends on byte order");
	mtc_findings_free(fs);
	mtc_model_free(m);
}

/* Bytes and a uint16_t over a uint32_t: not every narrow leaf is a byte, MT002. */
static void test_mixed_bytes_is_mt002(void **state)
{
	struct mtc_model *m = tu_model(&t_le64);
	struct mtc_type *u8 = tu_int(m, "uint8_t", 1, false);
	struct mtc_type *s = tu_record(m, MTC_KIND_STRUCT, NULL, 4, 2);
	struct mtc_type *u = tu_record(m, MTC_KIND_UNION, "union mixed", 4, 4);

	tu_member(m, s, "b", tu_array(m, u8, 2), 0);
	tu_member(m, s, "x", tu_int(m, "uint16_t", 2, false), 2);
	tu_member(m, u, "v", tu_int(m, "uint32_t", 4, false), 0);
	tu_member(m, u, "s", s, 0);

	struct mtc_findings *fs = tu_analyze(m, rules(state), NULL, NULL, 1);
	const struct mtc_finding *f = mtc_findings_at(fs, 0);

	assert_string_equal(f->rule_id, "MT002");
	assert_false(f->byte_array);
	assert_int_equal(f->nr_narrow, 3);
	tu_assert_leaf(&f->narrow[0], "s.b[0]", "uint8_t", 0, 1);
	tu_assert_leaf(&f->narrow[1], "s.b[1]", "uint8_t", 1, 1);
	tu_assert_leaf(&f->narrow[2], "s.x", "uint16_t", 2, 2);
	assert_true(f->narrow[0].in_char_array);
	assert_false(f->narrow[2].in_char_array);
	assert_string_equal(f->little_endian, "0xCCCCBBAA");
	assert_string_equal(f->big_endian, "0xAABBCCCC");
	assert_string_equal(f->common_prefix, "s");
	mtc_findings_free(fs);
	mtc_model_free(m);
}

/* A double over two uint32_t is MT002, worded for a floating-point value. */
static void test_float_wide(void **state)
{
	struct mtc_model *m = tu_model(&t_le64);
	struct mtc_type *u = tu_record(m, MTC_KIND_UNION, "union fw", 8, 8);

	tu_member(m, u, "d", mtc_model_scalar(m, MTC_KIND_FLOAT, "double", 8, true), 0);
	tu_member(m, u, "w", tu_array(m, tu_int(m, "uint32_t", 4, false), 2), 0);

	struct mtc_findings *fs = tu_analyze(m, rules(state), NULL, NULL, 1);
	const struct mtc_finding *f = mtc_findings_at(fs, 0);

	assert_string_equal(f->rule_id, "MT002");
	assert_int_equal(f->wide.kind, MTC_KIND_FLOAT);
	tu_assert_message(f,
			    "[MT002] 'w[0]', 'w[1]' overlay bytes 0-7 of floating-point value 'd' "
			    "in 'union fw'; its value depends on byte order");
	mtc_findings_free(fs);
	mtc_model_free(m);
}

/* Each rule fires, and stays silent when switched off. */
static void test_rules_switched_off(void **state)
{
	static const char *const ids[] = { "MT001", "MT002", "MT003", "MT004" };

	for (size_t k = 0; k < 4; k++) {
		struct mtc_model *m;
		struct maple_fixture mf;
		struct mtc_config *cfg = mtc_config_new();
		struct mtc_error err = { 0 };

		switch (k) {
		case 0:
			tu_maple(&mf, &t_le64);
			m = mf.m;
			break;
		case 1:
			m = tu_model(&t_le64);
			tu_u64_halves(m, "union u64_halves");
			break;
		case 2:
			m = bitfield_word(&t_le64);
			break;
		default: {
			m = tu_model(&t_le64);
			struct mtc_type *u = tu_record(m, MTC_KIND_UNION, "union bv", 4, 4);

			tu_member(m, u, "v", tu_int(m, "uint32_t", 4, false), 0);
			tu_member(m, u, "b", tu_array(m, tu_int(m, "char", 1, true), 4), 0);
			break;
		}
		}
		struct mtc_findings *fs = tu_analyze(m, rules(state), cfg, NULL, 1);

		assert_string_equal(mtc_findings_at(fs, 0)->rule_id, ids[k]);
		mtc_findings_free(fs);
		assert_int_equal(mtc_config_set_rules(cfg, rules(state), ids[k], false, &err), 0);
		/* switched off, the overlap falls to no other rule */
		mtc_findings_free(tu_analyze(m, rules(state), cfg, NULL, 0));
		assert_int_equal(mtc_config_set_rules(cfg, rules(state), ids[k], true, &err), 0);
		mtc_findings_free(tu_analyze(m, rules(state), cfg, NULL, 1));
		mtc_config_free(cfg);
		mtc_model_free(m);
	}
}

/* Same-width overlays are no findings; the pair shows the one that is. */
static void test_same_width_silent(void **state)
{
	/* void * and unsigned long, double and uint64_t, on LP64 */
	struct mtc_model *m = tu_model(&t_le64);
	struct mtc_type *pl = tu_record(m, MTC_KIND_UNION, "union pl", 8, 8);
	struct mtc_type *du = tu_record(m, MTC_KIND_UNION, "union du", 8, 8);
	struct mtc_type *u32 = tu_int(m, "uint32_t", 4, false);

	tu_member(m, pl, "p", tu_ptr(m, "void *"), 0);
	tu_member(m, pl, "l", tu_int(m, "unsigned long", 8, false), 0);
	tu_member(m, du, "d", mtc_model_scalar(m, MTC_KIND_FLOAT, "double", 8, true), 0);
	tu_member(m, du, "u", tu_int(m, "uint64_t", 8, false), 0);

	/* two structs of the same shape */
	struct mtc_type *x = tu_record(m, MTC_KIND_STRUCT, NULL, 8, 4);
	struct mtc_type *y = tu_record(m, MTC_KIND_STRUCT, NULL, 8, 4);
	struct mtc_type *xy = tu_record(m, MTC_KIND_UNION, "union xy", 8, 4);

	tu_member(m, x, "a", u32, 0);
	tu_member(m, x, "b", u32, 4);
	tu_member(m, y, "c", u32, 0);
	tu_member(m, y, "d", tu_int(m, "int", 4, true), 4);
	tu_member(m, xy, "x", x, 0);
	tu_member(m, xy, "y", y, 0);
	/* a named struct type used twice */
	struct mtc_type *pair = tu_record(m, MTC_KIND_STRUCT, "struct pair", 8, 4);
	struct mtc_type *pp = tu_record(m, MTC_KIND_UNION, "union pp", 8, 4);

	tu_member(m, pair, "a", u32, 0);
	tu_member(m, pair, "b", u32, 4);
	tu_member(m, pp, "one", pair, 0);
	tu_member(m, pp, "two", pair, 0);
	mtc_findings_free(tu_analyze(m, rules(state), NULL, NULL, 0));
	mtc_model_free(m);

	/* a pointer over a uint32_t: silent with 32-bit pointers, MT001 with 64 */
	const struct mtc_target *targets[] = { &t_le32, &t_be32, &t_le64 };

	for (size_t k = 0; k < 3; k++) {
		m = tu_model(targets[k]);
		uint64_t ps = targets[k]->pointer_bits / 8;
		struct mtc_type *u = tu_record(m, MTC_KIND_UNION, "union pu", ps, (uint32_t)ps);

		tu_member(m, u, "p", tu_ptr(m, "void *"), 0);
		tu_member(m, u, "u", tu_int(m, "uint32_t", 4, false), 0);
		struct mtc_findings *fs = tu_analyze(m, rules(state), NULL, NULL, k == 2);

		if (k == 2) {
			const struct mtc_finding *f = mtc_findings_at(fs, 0);

			assert_string_equal(f->rule_id, "MT001");
			assert_string_equal(f->little_endian, "0x????????AAAAAAAA");
			assert_string_equal(f->big_endian, "0xAAAAAAAA????????");
			tu_assert_message(f,
					    "[MT001] 'u' overlays bytes 0-3 of pointer 'p' in 'union pu'; "
					    "its value depends on byte order");
		}
		mtc_findings_free(fs);
		mtc_model_free(m);
	}
}

/* A narrow scalar in the middle of a wide one reads the same bits on both orders. */
static void test_centred_silent(void **state)
{
	for (int centred = 1; centred >= 0; centred--) {
		struct mtc_model *m = tu_model(&t_le64);
		struct mtc_type *u16 = tu_int(m, "uint16_t", 2, false);
		struct mtc_type *u32 = tu_int(m, "uint32_t", 4, false);
		struct mtc_type *s1 = tu_record(m, MTC_KIND_STRUCT, NULL, 4, 1);
		struct mtc_type *u1 = tu_record(m, MTC_KIND_UNION, "union c32", 4, 4);
		struct mtc_type *s2 = tu_record(m, MTC_KIND_STRUCT, NULL, 8, 1);
		struct mtc_type *u2 = tu_record(m, MTC_KIND_UNION, "union c64", 8, 8);
		struct mtc_type *s3 = tu_record(m, MTC_KIND_STRUCT, NULL, 2, 2);
		struct mtc_type *u3 = tu_record(m, MTC_KIND_UNION, "union c16", 2, 2);

		/* uint16_t at byte 1 of a uint32_t */
		tu_member(m, s1, "mid", u16, centred ? 1 : 0);
		tu_member(m, u1, "v", u32, 0);
		tu_member(m, u1, "s", s1, 0);
		/* uint32_t at byte 2 of a uint64_t */
		tu_member(m, s2, "mid", u32, centred ? 2 : 4);
		tu_member(m, u2, "v", tu_int(m, "uint64_t", 8, false), 0);
		tu_member(m, u2, "s", s2, 0);
		/* an 8-bit field at allocation bit 4 of a 16-bit value */
		tu_bitfield(m, s3, "mid", u16, centred ? 4 : 0, 8);
		tu_member(m, u3, "v", u16, 0);
		tu_member(m, u3, "s", s3, 0);

		struct mtc_findings *fs = tu_analyze(m, rules(state), NULL, NULL, centred ? 0 : 3);

		if (!centred) {
			assert_string_equal(mtc_findings_at(fs, 0)->record, "union c16");
			assert_string_equal(mtc_findings_at(fs, 0)->rule_id, "MT003");
			assert_string_equal(mtc_findings_at(fs, 1)->record, "union c32");
			assert_string_equal(mtc_findings_at(fs, 1)->little_endian, "0x????AAAA");
			assert_string_equal(mtc_findings_at(fs, 2)->record, "union c64");
			assert_string_equal(mtc_findings_at(fs, 2)->little_endian,
					    "0xAAAAAAAA????????");
		}
		mtc_findings_free(fs);
		mtc_model_free(m);
	}
}

/* scalar_storage_order fixes the byte order: nothing depends on the target. */
static void test_storage_order_fixed_silent(void **state)
{
	const struct mtc_target *targets[] = { &t_le64, &t_be64 };

	for (size_t k = 0; k < 2; k++) {
		struct mtc_model *m = tu_model(targets[k]);
		struct mtc_type *u = tu_u64_halves(m, "union u64_halves");

		mtc_findings_free(tu_analyze(m, rules(state), NULL, NULL, 1));
		u->order = MTC_ORDER_FIXED;
		mtc_findings_free(tu_analyze(m, rules(state), NULL, NULL, 0));
		mtc_model_free(m);
	}
}

/* Overlays marked intended in the source are not reported. */
static void test_allowed_in_source_silent(void **state)
{
	struct maple_fixture fx;

	/* on the overlaying member */
	tu_maple(&fx, &t_le64);
	fx.meta->allow_reason = "metadata only lives there while the node is not full";
	mtc_findings_free(tu_analyze(fx.m, rules(state), NULL, NULL, 0));
	fx.meta->allow_reason = NULL;
	mtc_findings_free(tu_analyze(fx.m, rules(state), NULL, NULL, 1));
	/* on the wide member */
	fx.slot->allow_reason = "slot 15 is checked before it is read";
	mtc_findings_free(tu_analyze(fx.m, rules(state), NULL, NULL, 0));
	fx.slot->allow_reason = NULL;
	/* on the union type */
	fx.un->allow_reason = "intended";
	mtc_findings_free(tu_analyze(fx.m, rules(state), NULL, NULL, 0));
	fx.un->allow_reason = NULL;
	/* on the whole record */
	fx.node->allow_reason = "intended";
	mtc_findings_free(tu_analyze(fx.m, rules(state), NULL, NULL, 0));
	fx.node->allow_reason = NULL;
	mtc_findings_free(tu_analyze(fx.m, rules(state), NULL, NULL, 1));
	mtc_model_free(fx.m);
}

static double elapsed(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* Two arrays of a million elements: counted by arithmetic, reported once. */
static void test_million_elements(void **state)
{
	struct mtc_model *m = tu_model(&t_le64);
	struct mtc_type *u = tu_record(m, MTC_KIND_UNION, "union big", 8000000, 8);
	struct mtc_analysis_conf conf = { .rules = rules(state) };
	struct mtc_findings *fs = mtc_findings_new();
	struct mtc_error err = { 0 };
	struct timespec t0, t1;

	tu_member(m, u, "q", tu_array(m, tu_int(m, "uint64_t", 8, false), 1000000), 0);
	tu_member(m, u, "h", tu_array(m, tu_int(m, "uint16_t", 2, false), 1000000), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int ret = mtc_analyze(m, &conf, fs, &err);

	clock_gettime(CLOCK_MONOTONIC, &t1);
	/* a figure to read, not a timed assertion */
	print_message("mtc_analyze on two arrays of 10^6 elements: %.6f s\n", elapsed(&t0, &t1));
	assert_int_equal(ret, 1);
	assert_int_equal(mtc_findings_count(fs), 1);

	const struct mtc_finding *f = mtc_findings_at(fs, 0);

	assert_string_equal(f->rule_id, "MT002");
	assert_int_equal(f->instances, 250000);
	tu_assert_leaf(&f->wide, "q[0]", "uint64_t", 0, 8);
	assert_int_equal(f->nr_narrow, 4);
	tu_assert_leaf(&f->narrow[0], "h[0]", "uint16_t", 0, 2);
	tu_assert_leaf(&f->narrow[1], "h[1]", "uint16_t", 2, 2);
	tu_assert_leaf(&f->narrow[2], "h[2]", "uint16_t", 4, 2);
	tu_assert_leaf(&f->narrow[3], "h[3]", "uint16_t", 6, 2);
	assert_false(f->partial);
	assert_string_equal(f->little_endian, "0xDDDDCCCCBBBBAAAA");
	assert_string_equal(f->big_endian, "0xAAAABBBBCCCCDDDD");
	tu_assert_message(f,
			    "[MT002] 'h[0]', 'h[1]', 'h[2]', 'h[3]' overlay bytes 0-7 of integer "
			    "'q[0]' in 'union big'; its value depends on byte order (250000 "
			    "elements overlap alike; the first is named)");
	mtc_findings_free(fs);
	mtc_model_free(m);
}

/* Multi-dimensional arrays fold into one run; element paths name every index. */
static void test_array_instances(void **state)
{
	struct mtc_model *m = tu_model(&t_le64);
	struct mtc_type *u64 = tu_int(m, "uint64_t", 8, false);
	struct mtc_type *u32 = tu_int(m, "uint32_t", 4, false);
	struct mtc_type *q2 = tu_record(m, MTC_KIND_UNION, "union q2", 32, 8);
	struct mtc_type *q4 = tu_record(m, MTC_KIND_UNION, "union q4", 32, 8);

	tu_member(m, q2, "q", tu_array(m, tu_array(m, u64, 2), 2), 0);
	tu_member(m, q2, "w", tu_array(m, u32, 8), 0);
	/* five uint32_t over four uint64_t: two alike, one half-written */
	tu_member(m, q4, "q", tu_array(m, u64, 4), 0);
	tu_member(m, q4, "w", tu_array(m, u32, 5), 0);

	struct mtc_findings *fs = tu_analyze(m, rules(state), NULL, NULL, 3);
	const struct mtc_finding *f = mtc_findings_at(fs, 0);

	assert_string_equal(f->record, "union q2");
	tu_assert_leaf(&f->wide, "q[0][0]", "uint64_t", 0, 8);
	assert_int_equal(f->instances, 4);
	assert_int_equal(f->nr_narrow, 2);
	tu_assert_leaf(&f->narrow[0], "w[0]", "uint32_t", 0, 4);
	tu_assert_leaf(&f->narrow[1], "w[1]", "uint32_t", 4, 4);
	tu_assert_message(f,
			    "[MT002] 'w[0]', 'w[1]' overlay bytes 0-7 of integer 'q[0][0]' in "
			    "'union q2'; its value depends on byte order (4 elements overlap "
			    "alike; the first is named)");

	f = mtc_findings_at(fs, 1);
	assert_string_equal(f->record, "union q4");
	tu_assert_leaf(&f->wide, "q[0]", "uint64_t", 0, 8);
	assert_int_equal(f->instances, 2);
	assert_false(f->partial);
	assert_int_equal(f->nr_narrow, 2);

	f = mtc_findings_at(fs, 2);
	assert_string_equal(f->record, "union q4");
	tu_assert_leaf(&f->wide, "q[2]", "uint64_t", 16, 8);
	assert_int_equal(f->instances, 1);
	assert_true(f->partial);
	assert_int_equal(f->nr_narrow, 1);
	tu_assert_leaf(&f->narrow[0], "w[4]", "uint32_t", 16, 4);
	assert_string_equal(f->little_endian, "0x????????AAAAAAAA");
	assert_string_equal(f->big_endian, "0xAAAAAAAA????????");
	tu_assert_message(f,
			    "[MT002] 'w[4]' overlays bytes 16-19 of integer 'q[2]' in 'union q4'; "
			    "its value depends on byte order");
	tu_assert_note(f,
			    "'q[2]' reads 0x????????AAAAAAAA on little-endian and "
			    "0xAAAAAAAA???????? on big-endian (AA = w[4], ?? = bytes not written "
			    "through 'w[4]')");
	mtc_findings_free(fs);
	mtc_model_free(m);
}

/* A packed uint32_t straddling two wide elements is seen from both. */
static void test_straddling_narrow(void **state)
{
	struct mtc_model *m = tu_model(&t_le64);
	struct mtc_type *u8 = tu_int(m, "uint8_t", 1, false);
	struct mtc_type *u32 = tu_int(m, "uint32_t", 4, false);
	struct mtc_type *s = tu_record(m, MTC_KIND_STRUCT, NULL, 8, 1);
	struct mtc_type *u = tu_record(m, MTC_KIND_UNION, "union straddle", 8, 4);

	tu_member(m, s, "a", u8, 0);
	tu_member(m, s, "b", u32, 1);
	tu_member(m, s, "c", tu_array(m, u8, 3), 5);
	tu_member(m, u, "v", tu_array(m, u32, 2), 0);
	tu_member(m, u, "s", s, 0);

	struct mtc_findings *fs = tu_analyze(m, rules(state), NULL, NULL, 2);
	const struct mtc_finding *f = mtc_findings_at(fs, 0);

	assert_string_equal(f->rule_id, "MT002");
	tu_assert_leaf(&f->wide, "v[0]", "uint32_t", 0, 4);
	assert_int_equal(f->nr_narrow, 2);
	tu_assert_leaf(&f->narrow[0], "s.a", "uint8_t", 0, 1);
	tu_assert_leaf(&f->narrow[1], "s.b", "uint32_t", 1, 4);
	tu_assert_bits(&f->narrow[0], 0, 8, 24, 32);
	tu_assert_bits(&f->narrow[1], 8, 32, 0, 24);
	assert_false(f->partial);
	assert_string_equal(f->little_endian, "0xBBBBBBAA");
	assert_string_equal(f->big_endian, "0xAABBBBBB");
	tu_assert_message(f,
			    "[MT002] 's.a', 's.b' overlay bytes 0-3 of integer 'v[0]' in "
			    "'union straddle'; its value depends on byte order");

	f = mtc_findings_at(fs, 1);
	assert_string_equal(f->rule_id, "MT002");
	tu_assert_leaf(&f->wide, "v[1]", "uint32_t", 4, 4);
	assert_int_equal(f->nr_narrow, 4);
	tu_assert_leaf(&f->narrow[0], "s.b", "uint32_t", 1, 4);
	tu_assert_leaf(&f->narrow[1], "s.c[0]", "uint8_t", 5, 1);
	tu_assert_leaf(&f->narrow[2], "s.c[1]", "uint8_t", 6, 1);
	tu_assert_leaf(&f->narrow[3], "s.c[2]", "uint8_t", 7, 1);
	tu_assert_bits(&f->narrow[0], 0, 8, 24, 32);
	tu_assert_bits(&f->narrow[1], 8, 16, 16, 24);
	tu_assert_bits(&f->narrow[2], 16, 24, 8, 16);
	tu_assert_bits(&f->narrow[3], 24, 32, 0, 8);
	assert_false(f->byte_array);
	assert_string_equal(f->little_endian, "0xDDCCBBAA");
	assert_string_equal(f->big_endian, "0xAABBCCDD");
	tu_assert_message(f,
			    "[MT002] 's.b', 's.c[0]', 's.c[1]', 's.c[2]' overlay bytes 4-7 of "
			    "integer 'v[1]' in 'union straddle'; its value depends on byte order");
	mtc_findings_free(fs);
	mtc_model_free(m);
}

/*
 * struct outer { struct { uint32_t tag; union { uint32_t v; uint16_t h[2]; }; } e[4]; }:
 * the union is reported once, through element 0.
 */
static void test_union_in_array_of_structs(void **state)
{
	struct mtc_model *m = tu_model(&t_be64);
	struct mtc_type *u32 = tu_int(m, "uint32_t", 4, false);
	struct mtc_type *un = tu_record(m, MTC_KIND_UNION, NULL, 4, 4);
	struct mtc_type *el = tu_record(m, MTC_KIND_STRUCT, NULL, 8, 4);
	struct mtc_type *outer = tu_record(m, MTC_KIND_STRUCT, "struct outer", 32, 4);

	tu_member(m, un, "v", u32, 0);
	tu_member(m, un, "h", tu_array(m, tu_int(m, "uint16_t", 2, false), 2), 0);
	tu_member(m, el, "tag", u32, 0);
	tu_member(m, el, NULL, un, 4);
	tu_member(m, outer, "e", tu_array(m, el, 4), 0);

	struct mtc_findings *fs = tu_analyze(m, rules(state), NULL, NULL, 1);
	const struct mtc_finding *f = mtc_findings_at(fs, 0);

	assert_string_equal(f->rule_id, "MT002");
	assert_string_equal(f->record, "struct outer");
	tu_assert_leaf(&f->wide, "e[0].v", "uint32_t", 4, 4);
	assert_int_equal(f->nr_narrow, 2);
	tu_assert_leaf(&f->narrow[0], "e[0].h[0]", "uint16_t", 4, 2);
	tu_assert_leaf(&f->narrow[1], "e[0].h[1]", "uint16_t", 6, 2);
	assert_int_equal(f->instances, 1);
	assert_string_equal(f->little_endian, "0xBBBBAAAA");
	assert_string_equal(f->big_endian, "0xAAAABBBB");
	tu_assert_message(f,
			    "[MT002] 'e[0].h[0]', 'e[0].h[1]' overlay bytes 4-7 of integer "
			    "'e[0].v' in 'struct outer'; its value depends on byte order");
	mtc_findings_free(fs);
	mtc_model_free(m);
}

/* A union inside a named record type belongs to that type, not to its users. */
static void test_named_nested_not_descended(void **state)
{
	for (int inner_first = 0; inner_first < 2; inner_first++) {
		struct mtc_model *m = tu_model(&t_le64);
		struct mtc_type *u32 = tu_int(m, "uint32_t", 4, false);
		struct mtc_type *outer = NULL, *inner;

		if (!inner_first)
			outer = tu_record(m, MTC_KIND_STRUCT, "struct outer", 40, 8);
		inner = tu_record(m, MTC_KIND_STRUCT, "struct inner", 8, 4);
		if (inner_first)
			outer = tu_record(m, MTC_KIND_STRUCT, "struct outer", 40, 8);

		struct mtc_type *un = tu_record(m, MTC_KIND_UNION, NULL, 4, 4);

		tu_member(m, un, "v", u32, 0);
		tu_member(m, un, "h", tu_array(m, tu_int(m, "uint16_t", 2, false), 2), 0);
		tu_member(m, inner, "x", u32, 0);
		tu_member(m, inner, "u", un, 4);
		tu_member(m, outer, "a", tu_int(m, "uint64_t", 8, false), 0);
		tu_member(m, outer, "in", inner, 8);
		tu_member(m, outer, "arr", tu_array(m, inner, 3), 16);

		struct mtc_findings *fs = tu_analyze(m, rules(state), NULL, NULL, 1);
		const struct mtc_finding *f = mtc_findings_at(fs, 0);

		assert_string_equal(f->record, "struct inner");
		tu_assert_leaf(&f->wide, "u.v", "uint32_t", 4, 4);
		tu_assert_leaf(&f->narrow[0], "u.h[0]", "uint16_t", 4, 2);
		mtc_findings_free(fs);
		/* the outer record alone has nothing of its own */
		mtc_findings_free(tu_analyze(m, rules(state), NULL, "struct outer", 0));
		mtc_model_free(m);
	}
}

/* --type: one record by full or short name, -ENOENT for an unknown one. */
static void test_only_type(void **state)
{
	struct mtc_model *m = tu_model(&t_le64);
	struct mtc_type *u32 = tu_int(m, "uint32_t", 4, false);
	struct mtc_type *bv = tu_record(m, MTC_KIND_UNION, "union bv", 4, 4);

	tu_u64_halves(m, "union u64_halves");
	tu_member(m, bv, "v", u32, 0);
	tu_member(m, bv, "b", tu_array(m, tu_int(m, "uint8_t", 1, false), 4), 0);

	mtc_findings_free(tu_analyze(m, rules(state), NULL, NULL, 2));

	struct mtc_findings *fs = tu_analyze(m, rules(state), NULL, "bv", 1);

	assert_string_equal(mtc_findings_at(fs, 0)->record, "union bv");
	mtc_findings_free(fs);
	fs = tu_analyze(m, rules(state), NULL, "union u64_halves", 1);
	assert_string_equal(mtc_findings_at(fs, 0)->record, "union u64_halves");
	mtc_findings_free(fs);
	/* a full name of the wrong kind does not match */
	struct mtc_analysis_conf conf = { .rules = rules(state), .only_type = "struct bv" };
	struct mtc_error err = { 0 };

	fs = mtc_findings_new();
	assert_int_equal(mtc_analyze(m, &conf, fs, &err), -ENOENT);
	assert_int_equal(err.code, -ENOENT);
	assert_string_equal(err.message, "mt.o: no record named 'struct bv'");
	conf.only_type = "nosuch";
	assert_int_equal(mtc_analyze(m, &conf, fs, NULL), -ENOENT);
	assert_int_equal(mtc_findings_count(fs), 0);
	mtc_findings_free(fs);
	mtc_model_free(m);
}

/* The same overlap seen twice (two objects, one header) is one finding. */
static void test_dedupe(void **state)
{
	struct mtc_analysis_conf conf = { .rules = rules(state) };
	struct mtc_findings *fs = mtc_findings_new();
	struct maple_fixture a, b, be;
	struct mtc_error err = { 0 };

	tu_maple(&a, &t_le64);
	tu_maple(&b, &t_le64);
	tu_maple(&be, &t_be64);
	mtc_model_set_input(b.m, "other.o");
	assert_int_equal(mtc_analyze(a.m, &conf, fs, &err), 1);
	assert_int_equal(mtc_analyze(a.m, &conf, fs, &err), 0);
	assert_int_equal(mtc_analyze(b.m, &conf, fs, &err), 0);
	assert_int_equal(mtc_findings_count(fs), 1);
	/* the first input it was seen in is kept */
	assert_string_equal(mtc_findings_at(fs, 0)->input, "mt.o");
	/* another byte order is another layout */
	assert_int_equal(mtc_analyze(be.m, &conf, fs, &err), 1);
	assert_int_equal(mtc_analyze(be.m, &conf, fs, &err), 0);
	assert_int_equal(mtc_findings_count(fs), 2);
	mtc_findings_sort(fs);
	assert_int_equal(mtc_findings_at(fs, 0)->targets[0].endian, MTC_ENDIAN_LITTLE);
	assert_int_equal(mtc_findings_at(fs, 1)->targets[0].endian, MTC_ENDIAN_BIG);
	assert_null(mtc_findings_at(fs, 2));
	mtc_findings_free(fs);
	mtc_model_free(a.m);
	mtc_model_free(b.m);
	mtc_model_free(be.m);
}

struct job {
	const struct mtc_ruleset *rs;
	struct mtc_findings *fs;
	int added;
};

static void *analyze_copy(void *arg)
{
	struct job *j = arg;
	struct mtc_analysis_conf conf = { .rules = j->rs };
	struct maple_fixture fx;

	/* the models are private to the thread, the list is shared */
	tu_maple(&fx, &t_le64);
	tu_u64_halves(fx.m, "union u64_halves");
	j->added = mtc_analyze(fx.m, &conf, j->fs, NULL);
	mtc_model_free(fx.m);
	return NULL;
}

/* Inputs analysed at once (mtcheck -j) into one list: each finding once. */
static void test_concurrent_analysis(void **state)
{
	enum { N = 8 };
	struct mtc_findings *fs = mtc_findings_new();
	struct job jobs[N];
	pthread_t th[N];
	int total = 0;

	for (int i = 0; i < N; i++) {
		jobs[i] = (struct job){ .rs = rules(state), .fs = fs };
		assert_int_equal(pthread_create(&th[i], NULL, analyze_copy, &jobs[i]), 0);
	}
	for (int i = 0; i < N; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_true(jobs[i].added >= 0 && jobs[i].added <= 2);
		total += jobs[i].added;
	}
	assert_int_equal(total, 2);
	assert_int_equal(mtc_findings_count(fs), 2);
	mtc_findings_sort(fs);
	assert_string_equal(mtc_findings_at(fs, 0)->record, "union u64_halves");
	assert_string_equal(mtc_findings_at(fs, 1)->record, "struct maple_range_64");
	mtc_findings_free(fs);
}

/* --explain draws the record and the byte lanes of its union. */
static void test_explain(void **state)
{
	(void)state;
	struct mtc_model *m = tu_model(&t_le64);
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	tu_u64_halves(m, "union u64_halves");
	assert_non_null(out);
	mtc_explain(out, m, mtc_model_find_record(m, "u64_halves"));
	assert_int_equal(fclose(out), 0);
	assert_non_null(buf);
	static const char head[] =
		"union u64_halves: 8 bytes (x86_64-linux-gnu, little-endian, 64-bit pointers)\n"
		"  offset      size  member                         type\n"
		"       0         8  v                              uint64_t\n"
		"       0         4  s.lo                           uint32_t\n"
		"       4         4  s.hi                           uint32_t\n"
		"\n"
		"  byte lanes of the union at 0 (2 members, one column per byte):\n";

	assert_true(strlen(buf) > strlen(head));
	buf[strlen(head)] = '\0';
	assert_string_equal(buf, head);
	free(buf);
	mtc_model_free(m);
}

/* --explain says which members of a wide union it leaves out of the lanes. */
static void test_explain_says_what_it_leaves_out(void **state)
{
	(void)state;
	struct mtc_model *m = tu_model(&t_le64);
	struct mtc_type *u = tu_record(m, MTC_KIND_UNION, "union many", 8, 8);
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	tu_member(m, u, "w", tu_int(m, "uint64_t", 8, false), 0);
	for (int i = 0; i < 69; i++) {
		char name[16];

		snprintf(name, sizeof(name), "b%d", i);
		tu_member(m, u, name, tu_int(m, "uint8_t", 1, false), (uint64_t)(i % 8));
	}
	assert_non_null(out);
	mtc_explain(out, m, u);
	assert_int_equal(fclose(out), 0);
	assert_non_null(strstr(buf, "  byte lanes of the union at 0 (70 members, one column per "
				    "byte):\n    (the lanes of the first 64 members are drawn, 6 are "
				    "not)\n"));
	free(buf);
	mtc_model_free(m);
}

/* A value wider than 16 bytes is drawn in part: 16 bytes from the lowest one written. */
static void test_wide_picture_is_cut(void **state)
{
	(void)state;
	struct mtc_ruleset *rs = tu_rules();

	for (int be = 0; be < 2; be++) {
		struct mtc_model *m = tu_model(be ? &t_be64 : &t_le64);
		struct mtc_type *u = tu_record(m, MTC_KIND_UNION, "union wide", 32, 8);

		tu_member(m, u, "v", tu_int(m, "big_t", 32, false), 0);
		tu_member(m, u, "b", tu_int(m, "uint8_t", 1, false), 0);
		struct mtc_findings *fs = tu_analyze(m, rs, NULL, NULL, 1);
		const struct mtc_finding *f = mtc_findings_at(fs, 0);

		/* the same pictures whichever byte order laid it out */
		assert_string_equal(f->little_endian,
				    "0x[16 bytes]??????????????????????????????AA");
		assert_string_equal(f->big_endian,
				    "0xAA??????????????????????????????[16 bytes]");
		assert_true(f->partial);
		/* a finding read back derives the same facts from its value bits */
		struct mtc_finding *copy = mtc_finding_dup(f);

		assert_non_null(copy);
		copy->partial = false;
		assert_int_equal(mtc_finding_derive(copy), 0);
		assert_true(copy->partial);
		assert_string_equal(copy->common_prefix, "b");
		mtc_finding_free(copy);
		mtc_findings_free(fs);
		mtc_model_free(m);
	}
	mtc_ruleset_free(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_maple_le64),
		cmocka_unit_test(test_maple_be64),
		cmocka_unit_test(test_maple_32bit),
		cmocka_unit_test(test_maple_meta_outside_slots_silent),
		cmocka_unit_test(test_u64_halves),
		cmocka_unit_test(test_bitfield_positions),
		cmocka_unit_test(test_bitfields_over_u32),
		cmocka_unit_test(test_bitfields_partial),
		cmocka_unit_test(test_bitfield_wide),
		cmocka_unit_test(test_bitfield_padding_and_union_member),
		cmocka_unit_test(test_note_without_common_prefix),
		cmocka_unit_test(test_wide_picture_is_cut),
		cmocka_unit_test(test_explain_says_what_it_leaves_out),
		cmocka_unit_test(test_note_common_prefix_whole_names),
		cmocka_unit_test(test_opaque_and_flexible_silent),
		cmocka_unit_test(test_nested_union_views),
		cmocka_unit_test(test_array_of_unions_alternative),
		cmocka_unit_test(test_byte_view),
		cmocka_unit_test(test_pointer_precedence),
		cmocka_unit_test(test_mixed_bytes_is_mt002),
		cmocka_unit_test(test_float_wide),
		cmocka_unit_test(test_rules_switched_off),
		cmocka_unit_test(test_same_width_silent),
		cmocka_unit_test(test_centred_silent),
		cmocka_unit_test(test_storage_order_fixed_silent),
		cmocka_unit_test(test_allowed_in_source_silent),
		cmocka_unit_test(test_million_elements),
		cmocka_unit_test(test_array_instances),
		cmocka_unit_test(test_straddling_narrow),
		cmocka_unit_test(test_union_in_array_of_structs),
		cmocka_unit_test(test_named_nested_not_descended),
		cmocka_unit_test(test_only_type),
		cmocka_unit_test(test_dedupe),
		cmocka_unit_test(test_concurrent_analysis),
		cmocka_unit_test(test_explain),
	};

	return cmocka_run_group_tests_name("analysis", tests, setup, teardown);
}
