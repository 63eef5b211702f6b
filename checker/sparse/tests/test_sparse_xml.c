// SPDX-License-Identifier: MIT
/*
 * The c2xml reader on canned documents shaped like sparse 0.6.4's c2xml
 * output (taken from real runs, attributes trimmed to what is read), so
 * these tests need neither sparse nor a compiler.  Each document carries
 * the probe's declarations the way c2xml prints them for one target.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sparse_xml.h"
#include "test_util.h"

/* The probe as c2xml prints it for one target (file "-", ids from 9000). */
struct probe {
	unsigned ptr, lng, llong_align, i128_align, dbl_align, ldbl, ldbl_align;
	bool big, char_unsigned;
	const char *arch;	/* NULL: no architecture macro sparse knows */
};

static const struct probe p_x86_64 = { 64, 64, 8, 8, 8, 128, 16, false, false, "x86_64" };
static const struct probe p_s390x = { 64, 64, 8, 8, 8, 64, 8, true, true, "s390" };
static const struct probe p_i386 = { 32, 32, 4, 4, 4, 96, 4, false, false, "i386" };
static const struct probe p_x32 = { 32, 32, 8, 8, 8, 128, 16, false, false, "x86_64" };
static const struct probe p_ppc64le = { 64, 64, 8, 8, 8, 128, 16, false, true, "powerpc" };
static const struct probe p_unknown = { 64, 64, 8, 8, 8, 128, 16, false, false, NULL };

static char *probe_xml(const struct probe *p)
{
	struct {
		const char *name;
		unsigned bits, align;
	} b[] = {
		{ "char", 8, 1 }, { "signed char", 8, 1 }, { "unsigned char", 8, 1 },
		{ "short", 16, 2 }, { "unsigned short", 16, 2 }, { "int", 32, 4 },
		{ "unsigned int", 32, 4 }, { "long", p->lng, p->lng / 8 },
		{ "unsigned long", p->lng, p->lng / 8 }, { "long long", 64, p->llong_align },
		{ "unsigned long long", 64, p->llong_align }, { "__int128", 128, p->i128_align },
		{ "unsigned __int128", 128, p->i128_align }, { "bool", 1, 1 },
		{ "float", 32, 4 }, { "double", 64, p->dbl_align },
		{ "long double", p->ldbl, p->ldbl_align },
	};
	char *s = tu_printf("  <symbol type='node' id='_9000' ident='__mtcheck_pointer' file='-' "
			    "start-line='2' start-col='15' bit-size='%u' alignment='%u' offset='0' "
			    "base-type='_9001'/>\n"
			    "  <symbol type='pointer' id='_9001' file='-' start-line='2' start-col='14' "
			    "bit-size='%u' alignment='%u' offset='0' base-type-builtin='void'/>\n",
			    p->ptr, p->ptr / 8, p->ptr, p->ptr / 8);

	for (size_t i = 0; i < sizeof(b) / sizeof(b[0]); i++) {
		char *n = tu_printf("%s  <symbol type='node' id='_%zu' ident='__mtcheck_builtin_%zu' "
				    "file='-' start-line='%zu' start-col='13' bit-size='%u' "
				    "alignment='%u' offset='0' base-type-builtin='%s'/>\n",
				    s, 9010 + i, i, 3 + i, b[i].bits, b[i].align, b[i].name);

		free(s);
		s = n;
	}
	const char *flags[] = { p->big ? "big_endian" : NULL,
				p->char_unsigned ? "char_unsigned" : NULL };

	for (size_t i = 0; i < 2; i++) {
		if (!flags[i])
			continue;
		char *n = tu_printf("%s  <symbol type='node' id='_%zu' ident='__mtcheck_%s' file='-' "
				    "start-line='30' start-col='13' bit-size='8' alignment='1' "
				    "offset='0' base-type-builtin='char'/>\n", s, 9040 + i, flags[i]);

		free(s);
		s = n;
	}
	if (p->arch) {
		char *n = tu_printf("%s  <symbol type='node' id='_9050' ident='__mtcheck_arch_%s' "
				    "file='-' start-line='40' start-col='13' bit-size='8' "
				    "alignment='1' offset='0' base-type-builtin='char'/>\n", s, p->arch);

		free(s);
		s = n;
	}
	return s;
}

static char *document(const char *body, const struct probe *p)
{
	char *probe = p ? probe_xml(p) : strdup("");
	char *doc = tu_printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<parse>\n%s%s</parse>\n",
			      body, probe);

	free(probe);
	return doc;
}

/* Read @body (with the probe for @p) as the file "mt.c"; asserts success. */
static struct mtc_model *load(const char *body, const struct probe *p)
{
	char *doc = document(body, p);
	struct mts_xml_conf conf = { .input = "mt.c", .tabstop = 8 };
	struct mtc_error err = { 0 };
	struct mtc_model *m = NULL;
	int ret = mts_model_from_xml(doc, strlen(doc), &conf, &m, &err);

	if (ret)
		fail_msg("mts_model_from_xml: %d %s", ret, err.message);
	free(doc);
	assert_non_null(m);
	return m;
}

/* Read @body, expecting failure with @code and a message containing @want. */
static void load_fails(const char *body, const struct probe *p, int code, const char *want)
{
	char *doc = document(body, p);
	struct mts_xml_conf conf = { .input = "mt.c", .tabstop = 8 };
	struct mtc_error err = { 0 };
	struct mtc_model *m = (struct mtc_model *)&err;	/* must be reset to NULL */

	assert_int_equal(mts_model_from_xml(doc, strlen(doc), &conf, &m, &err), code);
	assert_null(m);
	if (!strstr(err.message, want))
		fail_msg("message '%s' lacks '%s'", err.message, want);
	free(doc);
}

static const struct mtc_member *member(const struct mtc_type *r, size_t i, const char *name)
{
	assert_true(i < r->nr_members);
	if (name)
		assert_string_equal(r->members[i].name, name);
	else
		assert_null(r->members[i].name);
	return &r->members[i];
}

/* ---- the maple tree's range node, as c2xml prints maple_range.c ---- */

static const char maple_body[] =
	"  <symbol type='struct' id='_1' ident='maple_pnode' file='mt.c' start-line='3' start-col='8' bit-size='0' alignment='1' offset='0'/>\n"
	"  <symbol type='struct' id='_2' ident='maple_metadata' file='mt.c' start-line='5' start-col='8' end-line='8' end-col='2' bit-size='16' alignment='1' offset='0'>\n"
	"    <symbol type='node' id='_3' ident='end' file='mt.c' start-line='6' start-col='23' bit-size='8' alignment='1' offset='0' base-type-builtin='unsigned char'/>\n"
	"    <symbol type='node' id='_4' ident='gap' file='mt.c' start-line='7' start-col='23' bit-size='8' alignment='1' offset='1' base-type-builtin='unsigned char'/>\n"
	"  </symbol>\n"
	"  <symbol type='struct' id='_5' ident='maple_range_64' file='mt.c' start-line='11' start-col='8' end-line='21' end-col='2' bit-size='2048' alignment='8' offset='0'>\n"
	"    <symbol type='node' id='_6' ident='parent' file='mt.c' start-line='12' start-col='28' bit-size='64' alignment='8' offset='0' base-type='_7'/>\n"
	"    <symbol type='node' id='_8' ident='pivot' file='mt.c' start-line='13' start-col='23' bit-size='960' alignment='8' offset='8' base-type='_9'/>\n"
	"    <symbol type='node' id='_10' file='mt.c' start-line='20' start-col='10' bit-size='1024' alignment='8' offset='128' base-type='_11'/>\n"
	"  </symbol>\n"
	"  <symbol type='pointer' id='_7' file='mt.c' start-line='12' start-col='28' bit-size='64' alignment='8' offset='0' base-type='_1'/>\n"
	"  <symbol type='array' id='_9' file='mt.c' start-line='13' start-col='28' bit-size='960' alignment='8' offset='0' base-type-builtin='unsigned long' array-size='15'/>\n"
	"  <symbol type='union' id='_11' file='mt.c' start-line='14' start-col='15' end-line='20' end-col='10' bit-size='1024' alignment='8' offset='0'>\n"
	"    <symbol type='node' id='_12' ident='slot' file='mt.c' start-line='15' start-col='22' bit-size='1024' alignment='8' offset='0' base-type='_13'/>\n"
	"    <symbol type='node' id='_15' file='mt.c' start-line='19' start-col='18' bit-size='1024' alignment='8' offset='0' base-type='_16'/>\n"
	"  </symbol>\n"
	"  <symbol type='array' id='_13' file='mt.c' start-line='15' start-col='27' bit-size='1024' alignment='8' offset='0' base-type='_14' array-size='16'/>\n"
	"  <symbol type='pointer' id='_14' file='mt.c' start-line='15' start-col='22' bit-size='64' alignment='8' offset='0' base-type-builtin='void'/>\n"
	"  <symbol type='struct' id='_16' file='mt.c' start-line='16' start-col='24' end-line='19' end-col='18' bit-size='1024' alignment='8' offset='0'>\n"
	"    <symbol type='node' id='_17' ident='pad' file='mt.c' start-line='17' start-col='30' bit-size='960' alignment='8' offset='0' base-type='_18'/>\n"
	"    <symbol type='node' id='_20' ident='meta' file='mt.c' start-line='18' start-col='47' bit-size='16' alignment='1' offset='120' base-type='_2'/>\n"
	"  </symbol>\n"
	"  <symbol type='array' id='_18' file='mt.c' start-line='17' start-col='34' bit-size='960' alignment='8' offset='0' base-type='_19' array-size='15'/>\n"
	"  <symbol type='pointer' id='_19' file='mt.c' start-line='17' start-col='30' bit-size='64' alignment='8' offset='0' base-type-builtin='void'/>\n"
	"  <symbol type='node' id='_21' ident='mt_node' file='mt.c' start-line='23' start-col='23' bit-size='2048' alignment='8' offset='0' base-type='_5'/>\n";

static void test_target_from_probe(void **state)
{
	static const struct {
		const struct probe *p;
		enum mtc_endian endian;
		unsigned bits;
		bool char_signed;
		const char *triple;
	} cases[] = {
		{ &p_x86_64, MTC_ENDIAN_LITTLE, 64, true, "x86_64-linux-gnu" },
		{ &p_s390x, MTC_ENDIAN_BIG, 64, false, "s390x-linux-gnu" },
		{ &p_i386, MTC_ENDIAN_LITTLE, 32, true, "i686-linux-gnu" },
		{ &p_x32, MTC_ENDIAN_LITTLE, 32, true, "x86_64-linux-gnux32" },
		{ &p_ppc64le, MTC_ENDIAN_LITTLE, 64, false, "powerpc64le-linux-gnu" },
		{ &p_unknown, MTC_ENDIAN_LITTLE, 64, true, "" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mtc_model *m = load("", cases[i].p);
		const struct mtc_target *t = mtc_model_target(m);

		assert_int_equal(t->endian, cases[i].endian);
		assert_int_equal(t->pointer_bits, cases[i].bits);
		assert_int_equal(t->char_signed, cases[i].char_signed);
		assert_string_equal(t->triple, cases[i].triple);
		assert_string_equal(mtc_model_frontend(m), "sparse");
		assert_string_equal(mtc_model_input(m), "mt.c");
		assert_int_equal(mtc_model_nr_records(m), 0);
		mtc_model_free(m);
	}
}

static void test_maple_layout(void **state)
{
	struct mtc_model *m = load(maple_body, &p_x86_64);
	const struct mtc_type *node = mtc_model_find_record(m, "struct maple_range_64");

	(void)state;
	/* the named records, in document order; the forward declaration is none */
	assert_int_equal(mtc_model_nr_records(m), 2);
	assert_string_equal(mtc_model_record_at(m, 0)->name, "struct maple_metadata");
	assert_ptr_equal(mtc_model_record_at(m, 1), node);
	assert_int_equal(node->kind, MTC_KIND_STRUCT);
	assert_int_equal(node->size, 256);
	assert_int_equal(node->align, 8);
	assert_int_equal(node->nr_members, 3);

	const struct mtc_member *parent = member(node, 0, "parent");

	assert_int_equal(parent->type->kind, MTC_KIND_POINTER);
	assert_string_equal(parent->type->name, "struct maple_pnode *");
	assert_int_equal(parent->type->size, 8);
	assert_string_equal(parent->loc.file, "mt.c");
	assert_int_equal(parent->loc.line, 12);
	assert_int_equal(parent->loc.column, 28);

	const struct mtc_member *pivot = member(node, 1, "pivot");

	assert_int_equal(pivot->offset, 8);
	assert_int_equal(pivot->type->kind, MTC_KIND_ARRAY);
	assert_int_equal(pivot->type->count, 15);
	assert_int_equal(pivot->type->size, 120);
	assert_string_equal(pivot->type->element->name, "unsigned long");
	assert_false(pivot->type->element->is_signed);

	const struct mtc_member *anon = member(node, 2, NULL);
	const struct mtc_type *un = anon->type;

	assert_int_equal(anon->offset, 128);
	assert_int_equal(un->kind, MTC_KIND_UNION);
	assert_null(un->name);
	assert_int_equal(un->size, 128);
	const struct mtc_type *slot = member(un, 0, "slot")->type;

	assert_int_equal(slot->count, 16);
	assert_string_equal(slot->element->name, "void *");
	const struct mtc_type *inner = member(un, 1, NULL)->type;

	assert_int_equal(inner->kind, MTC_KIND_STRUCT);
	const struct mtc_member *meta = member(inner, 1, "meta");

	assert_int_equal(meta->offset, 120);
	assert_int_equal(meta->loc.line, 18);
	assert_int_equal(meta->loc.column, 47);
	assert_ptr_equal(meta->type, mtc_model_find_record(m, "struct maple_metadata"));
	assert_true(member(meta->type, 0, "end")->type->is_char);
	mtc_model_free(m);
}

/* The model gives the analysis what the other front ends give it. */
static void test_maple_finding(void **state)
{
	struct mtc_ruleset *rs = tu_rules();

	(void)state;
	for (int big = 0; big < 2; big++) {
		struct mtc_model *m = load(maple_body, big ? &p_s390x : &p_x86_64);
		struct mtc_findings *fs = tu_analyze(m, rs, NULL, NULL, 1);
		const struct mtc_finding *f = mtc_findings_at(fs, 0);

		assert_string_equal(f->rule_id, "MT001");
		assert_string_equal(f->record, "struct maple_range_64");
		tu_assert_leaf(&f->wide, "slot[15]", "void *", 248, 8);
		assert_int_equal(f->nr_narrow, 2);
		tu_assert_leaf(&f->narrow[0], "meta.end", "unsigned char", 248, 1);
		tu_assert_leaf(&f->narrow[1], "meta.gap", "unsigned char", 249, 1);
		assert_string_equal(f->little_endian, "0x????????????BBAA");
		assert_string_equal(f->big_endian, "0xAABB????????????");
		assert_string_equal(f->loc.file, "mt.c");
		assert_int_equal(f->loc.line, 18);
		assert_int_equal(f->loc.column, 47);
		assert_int_equal(f->targets[0].endian, big ? MTC_ENDIAN_BIG : MTC_ENDIAN_LITTLE);
		assert_string_equal(f->frontend, "sparse");
		mtc_findings_free(fs);
		mtc_model_free(m);
	}
	mtc_ruleset_free(rs);
}

/* ---- bitfields, base types, typedef names (u1.c of the README) ---- */

static const char u1_body[] =
	"  <symbol type='node' id='_0' ident='__le32' file='mt.c' start-line='1' start-col='47' end-line='1' end-col='53' bit-size='32' alignment='4' offset='0' base-type='_1'/>\n"
	"  <symbol type='restrict' id='_1' ident='__le32' file='builtin' start-line='0' start-col='0' bit-size='32' alignment='4' offset='0' base-type-builtin='unsigned int'/>\n"
	"  <symbol type='union' id='_3' ident='reg' file='mt.c' start-line='3' start-col='7' end-line='12' end-col='2' bit-size='64' alignment='4' offset='0'>\n"
	"    <symbol type='node' id='_4' ident='word' file='mt.c' start-line='4' start-col='22' bit-size='32' alignment='4' offset='0' base-type-builtin='unsigned int'/>\n"
	"    <symbol type='node' id='_5' ident='f' file='mt.c' start-line='11' start-col='11' bit-size='64' alignment='4' offset='0' base-type='_6'/>\n"
	"  </symbol>\n"
	"  <symbol type='struct' id='_6' file='mt.c' start-line='5' start-col='16' end-line='11' end-col='11' bit-size='64' alignment='4' offset='0'>\n"
	"    <symbol type='node' id='_7' ident='type' file='mt.c' start-line='6' start-col='30' bit-size='4' alignment='4' offset='0' bit-offset='0' base-type='_8'/>\n"
	"    <symbol type='node' id='_9' ident='len' file='mt.c' start-line='7' start-col='30' bit-size='12' alignment='4' offset='0' bit-offset='4' base-type='_10'/>\n"
	"    <symbol type='node' id='_11' file='mt.c' start-line='8' start-col='30' bit-size='0' alignment='4' offset='0' bit-offset='16' base-type='_12'/>\n"
	"    <symbol type='node' id='_13' file='mt.c' start-line='9' start-col='30' bit-size='3' alignment='4' offset='4' bit-offset='0' base-type='_14'/>\n"
	"    <symbol type='node' id='_15' ident='id' file='mt.c' start-line='10' start-col='30' bit-size='13' alignment='4' offset='4' bit-offset='3' base-type='_16'/>\n"
	"  </symbol>\n"
	"  <symbol type='bitfield' id='_8' ident='type' file='mt.c' start-line='6' start-col='35' bit-size='4' alignment='4' offset='0' bit-offset='0' base-type-builtin='unsigned int'/>\n"
	"  <symbol type='bitfield' id='_10' ident='len' file='mt.c' start-line='7' start-col='34' bit-size='12' alignment='4' offset='0' bit-offset='4' base-type-builtin='unsigned int'/>\n"
	"  <symbol type='bitfield' id='_12' file='mt.c' start-line='8' start-col='30' bit-size='0' alignment='4' offset='0' bit-offset='16' base-type-builtin='unsigned int'/>\n"
	"  <symbol type='bitfield' id='_14' file='mt.c' start-line='9' start-col='30' bit-size='3' alignment='4' offset='0' bit-offset='0' base-type-builtin='unsigned int'/>\n"
	"  <symbol type='bitfield' id='_16' ident='id' file='mt.c' start-line='10' start-col='33' bit-size='13' alignment='4' offset='0' bit-offset='3' base-type-builtin='signed int'/>\n"
	"  <symbol type='node' id='_17' ident='cmd_t' file='mt.c' start-line='13' start-col='80' end-line='13' end-col='85' bit-size='192' alignment='8' offset='0' base-type='_18'/>\n"
	"  <symbol type='struct' id='_18' ident='cmd_t' file='mt.c' start-line='13' start-col='16' end-line='13' end-col='80' bit-size='192' alignment='8' offset='0'>\n"
	"    <symbol type='node' id='_19' ident='raw' file='mt.c' start-line='13' start-col='25' bit-size='32' alignment='4' offset='0' base-type='_1'/>\n"
	"    <symbol type='node' id='_20' ident='fn' file='mt.c' start-line='13' start-col='35' bit-size='64' alignment='8' offset='8' base-type='_21'/>\n"
	"    <symbol type='node' id='_26' ident='ok' file='mt.c' start-line='13' start-col='61' bit-size='1' alignment='1' offset='16' base-type-builtin='bool'/>\n"
	"    <symbol type='node' id='_27' ident='tail' file='mt.c' start-line='13' start-col='70' bit-size='-1' alignment='1' offset='17' base-type='_28'/>\n"
	"  </symbol>\n"
	"  <symbol type='pointer' id='_21' file='mt.c' start-line='13' start-col='36' bit-size='64' alignment='8' offset='0' base-type='_22'/>\n"
	"  <symbol type='function' id='_22' file='mt.c' start-line='13' start-col='40' bit-size='-1' alignment='0' offset='0' base-type-builtin='void'>\n"
	"    <symbol type='node' id='_23' file='mt.c' start-line='13' start-col='41' bit-size='32' alignment='4' offset='0' base-type-builtin='int'/>\n"
	"    <symbol type='node' id='_24' file='mt.c' start-line='13' start-col='46' bit-size='64' alignment='8' offset='0' base-type='_25'/>\n"
	"  </symbol>\n"
	"  <symbol type='pointer' id='_25' file='mt.c' start-line='13' start-col='51' bit-size='64' alignment='8' offset='0' base-type-builtin='char'/>\n"
	"  <symbol type='array' id='_28' file='mt.c' start-line='13' start-col='74' bit-size='-1' alignment='1' offset='0' base-type-builtin='char'/>\n"
	"  <symbol type='node' id='_29' ident='e_t' file='mt.c' start-line='14' start-col='27' end-line='14' end-col='30' bit-size='32' alignment='4' offset='0' base-type='_30'/>\n"
	"  <symbol type='enum' id='_30' ident='e_t' file='mt.c' start-line='14' start-col='14' end-line='14' end-col='27' bit-size='32' alignment='4' offset='0' base-type-builtin='unsigned int'/>\n"
	"  <symbol type='struct' id='_31' ident='uses_e' file='mt.c' start-line='15' start-col='8' end-line='15' end-col='30' bit-size='32' alignment='4' offset='0'>\n"
	"    <symbol type='node' id='_32' ident='e' file='mt.c' start-line='15' start-col='21' bit-size='32' alignment='4' offset='0' base-type='_30'/>\n"
	"  </symbol>\n";

/*
 * sparse allocates bitfields from bit 0 on every target; the model holds
 * GCC's physical positions, which on big-endian start at the most
 * significant bit of the first byte.
 */
static void test_bitfields_physical(void **state)
{
	static const struct {
		const struct probe *p;
		uint32_t type, len, pad, id;
	} cases[] = {
		/* little-endian: allocation order is the physical order */
		{ &p_x86_64, 0, 4, 32, 35 },
		/* big-endian: the field's least significant bit, counted from the
		 * least significant bit of byte 0 (type: allocation bits 0-3 are the
		 * top nibble of byte 0, so its LSB is bit 4) */
		{ &p_s390x, 4, 8, 37, 40 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mtc_model *m = load(u1_body, cases[i].p);
		const struct mtc_type *f = member(mtc_model_find_record(m, "union reg"), 1, "f")->type;
		enum mtc_endian e = mtc_model_target(m)->endian;

		/* ':0' is only an alignment: it is not a member; ':3' is unnamed padding */
		assert_int_equal(f->nr_members, 4);
		const struct mtc_member *type = member(f, 0, "type"), *len = member(f, 1, "len");
		const struct mtc_member *pad = member(f, 2, NULL), *id = member(f, 3, "id");

		assert_int_equal(type->bit_size, 4);
		assert_int_equal(type->bit_offset, cases[i].type);
		assert_int_equal(type->bit_offset, mtc_bitfield_physical(e, 0, 4));
		assert_int_equal(len->bit_size, 12);
		assert_int_equal(len->bit_offset, cases[i].len);
		assert_int_equal(pad->bit_size, 3);
		assert_int_equal(pad->bit_offset, cases[i].pad);
		assert_int_equal(id->bit_size, 13);
		assert_int_equal(id->bit_offset, cases[i].id);
		/* the byte of its first allocated bit, 35, on either byte order */
		assert_int_equal(id->offset, 4);
		/* the declared type, "signed int" as int */
		assert_string_equal(type->type->name, "unsigned int");
		assert_string_equal(id->type->name, "int");
		assert_true(id->type->is_signed);
		assert_int_equal(id->type->size, 4);
		assert_int_equal(type->loc.line, 6);
		mtc_model_free(m);
	}
}

static void test_types(void **state)
{
	struct mtc_model *m = load(u1_body, &p_x86_64);
	const struct mtc_type *cmd = mtc_model_find_record(m, "cmd_t");

	(void)state;
	/* typedef struct { ... } cmd_t: the typedef names the record */
	assert_non_null(cmd);
	assert_string_equal(cmd->name, "cmd_t");
	assert_null(mtc_model_find_record(m, "struct cmd_t"));
	assert_int_equal(cmd->size, 24);
	/* __bitwise types keep their name */
	const struct mtc_type *raw = member(cmd, 0, "raw")->type;

	assert_int_equal(raw->kind, MTC_KIND_INT);
	assert_string_equal(raw->name, "__le32");
	assert_int_equal(raw->size, 4);
	assert_false(raw->is_signed);
	const struct mtc_type *fn = member(cmd, 1, "fn")->type;

	assert_int_equal(fn->kind, MTC_KIND_FUNC_POINTER);
	assert_string_equal(fn->name, "void (*)(int, char *)");
	assert_int_equal(fn->size, 8);
	/* sparse's _Bool is one bit; in memory, one byte */
	const struct mtc_type *ok = member(cmd, 2, "ok")->type;

	assert_int_equal(ok->kind, MTC_KIND_BOOL);
	assert_string_equal(ok->name, "_Bool");
	assert_int_equal(ok->size, 1);
	/* a flexible array member has no elements */
	const struct mtc_member *tail = member(cmd, 3, "tail");

	assert_int_equal(tail->offset, 17);
	assert_int_equal(tail->type->kind, MTC_KIND_ARRAY);
	assert_int_equal(tail->type->count, 0);
	assert_int_equal(tail->type->element->size, 1);
	assert_true(tail->type->element->is_signed);	/* plain char on x86-64 */
	/* an anonymous enum named by its typedef */
	const struct mtc_type *e = member(mtc_model_find_record(m, "struct uses_e"), 0, "e")->type;

	assert_int_equal(e->kind, MTC_KIND_ENUM);
	assert_string_equal(e->name, "e_t");
	assert_false(e->is_signed);
	assert_int_equal(e->size, 4);
	mtc_model_free(m);

	/* plain char is unsigned on s390x */
	m = load(u1_body, &p_s390x);
	cmd = mtc_model_find_record(m, "cmd_t");
	assert_false(member(cmd, 3, "tail")->type->element->is_signed);
	mtc_model_free(m);
}

/*
 * A typedef'd anonymous record from a header: c2xml does not print the
 * header's typedef, and sparse names the record after it, exactly as if
 * it were tagged.  The token at its position tells: '{' for the anonymous
 * one, the tag for the other.  Tabs count to sparse's tabstop.
 */
static void test_typedef_names_from_header(void **state)
{
	char *dir = tu_mkdtemp();
	char *hdr = tu_write(dir, "types.h",
			     "\ttypedef struct { int a; } anon_t;\n"
			     "typedef struct tagged { int b; } tagged_t;\n");
	/* after the tab, '{' is at column 24 with tabstop 8, 20 with tabstop 4 */
	char *body8 = tu_printf(
		"  <symbol type='struct' id='_0' ident='anon_t' file='%s' start-line='1' start-col='24' end-line='1' end-col='35' bit-size='32' alignment='4' offset='0'>\n"
		"    <symbol type='node' id='_1' ident='a' file='%s' start-line='1' start-col='30' bit-size='32' alignment='4' offset='0' base-type-builtin='int'/>\n"
		"  </symbol>\n"
		"  <symbol type='struct' id='_2' ident='tagged' file='%s' start-line='2' start-col='16' end-line='2' end-col='32' bit-size='32' alignment='4' offset='0'>\n"
		"    <symbol type='node' id='_3' ident='b' file='%s' start-line='2' start-col='29' bit-size='32' alignment='4' offset='0' base-type-builtin='int'/>\n"
		"  </symbol>\n", hdr, hdr, hdr, hdr);
	struct mtc_model *m = load(body8, &p_x86_64);

	(void)state;
	assert_int_equal(mtc_model_nr_records(m), 2);
	assert_string_equal(mtc_model_record_at(m, 0)->name, "anon_t");
	assert_string_equal(mtc_model_record_at(m, 1)->name, "struct tagged");
	assert_string_equal(mtc_model_record_at(m, 0)->members[0].loc.file, hdr);
	mtc_model_free(m);

	/* the same file read with -ftabstop=4 */
	char *body4 = tu_printf(
		"  <symbol type='struct' id='_0' ident='anon_t' file='%s' start-line='1' start-col='24' end-line='1' end-col='35' bit-size='32' alignment='4' offset='0'/>\n"
		"  <symbol type='struct' id='_1' ident='other_t' file='%s' start-line='1' start-col='20' end-line='1' end-col='31' bit-size='32' alignment='4' offset='0'/>\n",
		hdr, hdr);
	char *doc = document(body4, &p_x86_64);
	struct mts_xml_conf conf = { .input = "mt.c", .tabstop = 4 };
	struct mtc_error err = { 0 };

	assert_int_equal(mts_model_from_xml(doc, strlen(doc), &conf, &m, &err), 0);
	assert_string_equal(mtc_model_record_at(m, 0)->name, "struct anon_t");
	assert_string_equal(mtc_model_record_at(m, 1)->name, "other_t");
	mtc_model_free(m);
	free(doc);
	free(body4);
	free(body8);
	free(hdr);
	tu_rmtree(dir);
	free(dir);
}

/* typedef struct X { ... } X: the tag is bound first, so the record is printed first */
static void test_tagged_typedef_keeps_tag(void **state)
{
	static const char body[] =
		"  <symbol type='struct' id='_3' ident='B' file='nowhere.c' start-line='2' start-col='16' end-line='2' end-col='29' bit-size='32' alignment='4' offset='0'>\n"
		"    <symbol type='node' id='_4' ident='a' file='nowhere.c' start-line='2' start-col='22' bit-size='32' alignment='4' offset='0' base-type-builtin='int'/>\n"
		"  </symbol>\n"
		"  <symbol type='node' id='_5' ident='B' file='nowhere.c' start-line='2' start-col='29' bit-size='32' alignment='4' offset='0' base-type='_3'/>\n"
		/* a macro: every position is the invocation's, and the typedef comes first */
		"  <symbol type='node' id='_10' ident='M1' file='nowhere.c' start-line='5' start-col='1' bit-size='64' alignment='4' offset='0' base-type='_11'/>\n"
		"  <symbol type='struct' id='_11' ident='M1' file='nowhere.c' start-line='5' start-col='1' end-line='5' end-col='1' bit-size='64' alignment='4' offset='0'>\n"
		"    <symbol type='node' id='_12' ident='a' file='nowhere.c' start-line='5' start-col='1' bit-size='32' alignment='4' offset='0' base-type-builtin='int'/>\n"
		"  </symbol>\n";
	struct mtc_model *m = load(body, &p_x86_64);

	(void)state;
	assert_int_equal(mtc_model_nr_records(m), 2);
	assert_string_equal(mtc_model_record_at(m, 0)->name, "struct B");
	assert_string_equal(mtc_model_record_at(m, 1)->name, "M1");
	mtc_model_free(m);
}

static void test_packed(void **state)
{
	static const char body[] =
		"  <symbol type='struct' id='_0' ident='wire' file='mt.c' start-line='5' start-col='32' end-line='15' end-col='2' bit-size='72' alignment='1' offset='0'>\n"
		"    <symbol type='node' id='_1' ident='tag' file='mt.c' start-line='6' start-col='17' bit-size='8' alignment='1' offset='0' base-type-builtin='unsigned char'/>\n"
		"    <symbol type='node' id='_2' ident='raw' file='mt.c' start-line='7' start-col='17' bit-size='64' alignment='8' offset='1' base-type-builtin='unsigned long'/>\n"
		"  </symbol>\n"
		"  <symbol type='struct' id='_3' ident='plain' file='mt.c' start-line='9' start-col='8' end-line='9' end-col='30' bit-size='16' alignment='1' offset='0'>\n"
		"    <symbol type='node' id='_4' ident='a' file='mt.c' start-line='9' start-col='20' bit-size='8' alignment='1' offset='0' base-type-builtin='char'/>\n"
		"    <symbol type='node' id='_5' ident='b' file='mt.c' start-line='9' start-col='23' bit-size='8' alignment='1' offset='1' base-type-builtin='char'/>\n"
		"  </symbol>\n";
	struct mtc_model *m = load(body, &p_x86_64);
	const struct mtc_type *w = mtc_model_find_record(m, "struct wire");

	(void)state;
	/* sparse's layout of a packed record, as it is: no padding, byte alignment */
	assert_int_equal(w->size, 9);
	assert_int_equal(w->align, 1);
	assert_int_equal(member(w, 1, "raw")->offset, 1);
	assert_int_equal(member(w, 1, "raw")->type->size, 8);
	assert_int_equal(mtc_model_find_record(m, "struct plain")->size, 2);
	mtc_model_free(m);
}

/* A base type the probe lacks takes the size of the member declared with it. */
static void test_unknown_base_type(void **state)
{
	static const char ok[] =
		"  <symbol type='struct' id='_0' ident='f' file='mt.c' start-line='1' start-col='8' end-line='1' end-col='30' bit-size='128' alignment='16' offset='0'>\n"
		"    <symbol type='node' id='_1' ident='q' file='mt.c' start-line='1' start-col='20' bit-size='128' alignment='16' offset='0' base-type-builtin='float128'/>\n"
		"  </symbol>\n";
	static const char bad[] =
		"  <symbol type='struct' id='_0' ident='f' file='mt.c' start-line='1' start-col='8' end-line='1' end-col='30' bit-size='128' alignment='16' offset='0'>\n"
		"    <symbol type='node' id='_1' ident='q' file='mt.c' start-line='1' start-col='20' bit-size='128' alignment='16' offset='0' base-type='_2'/>\n"
		"  </symbol>\n"
		"  <symbol type='array' id='_2' file='mt.c' start-line='1' start-col='21' bit-size='-1' alignment='16' offset='0' base-type-builtin='float128'/>\n";
	struct mtc_model *m = load(ok, &p_x86_64);
	const struct mtc_type *q = member(mtc_model_find_record(m, "struct f"), 0, "q")->type;

	(void)state;
	assert_int_equal(q->kind, MTC_KIND_FLOAT);
	assert_int_equal(q->size, 16);
	mtc_model_free(m);
	load_fails(bad, &p_x86_64, -EINVAL, "mt.c:1:21: base type 'float128' of unknown size");
}

static void test_bad_documents(void **state)
{
	(void)state;
	load_fails("<symbol", &p_x86_64, -EINVAL, "mt.c: c2xml printed no valid XML (line ");
	load_fails(maple_body, NULL, -EINVAL,
		   "mt.c: c2xml's output lacks the target probe (did sparse parse standard input?)");
	load_fails("  <symbol type='struct' id='x1' ident='s' file='mt.c' start-line='1' start-col='8'/>\n",
		   &p_x86_64, -EINVAL, "mt.c:1:8: c2xml printed a symbol without a valid id");
	load_fails("  <symbol type='struct' id='_1' ident='s' file='mt.c' start-line='1' start-col='8' end-line='1' end-col='9' bit-size='-8' alignment='4' offset='0'/>\n",
		   &p_x86_64, -EINVAL, "mt.c:1:8: c2xml gives no usable size (a record over 256 MiB?)");
	load_fails("  <symbol type='struct' id='_1' ident='s' file='inc/s.h' start-line='1' start-col='8' end-line='2' end-col='2' bit-size='32' alignment='4' offset='0'>\n"
		   "    <symbol type='node' id='_2' ident='m' file='inc/s.h' start-line='1' start-col='20' bit-size='32' alignment='4' offset='0' base-type='_77'/>\n"
		   "  </symbol>\n",
		   &p_x86_64, -EINVAL, "mt.c: inc/s.h:1:20: c2xml names a base type it did not print");
	load_fails("  <symbol type='struct' id='_1' ident='s' file='mt.c' start-line='1' start-col='8'/>\n"
		   "  <symbol type='struct' id='_1' ident='t' file='mt.c' start-line='2' start-col='8'/>\n",
		   &p_x86_64, -EINVAL, "mt.c:2:8: c2xml printed two symbols with one id");

	static const char other[] = "<?xml version='1.0'?><other/>";
	struct mts_xml_conf conf = { .input = "mt.c", .tabstop = 8 };
	struct mtc_error err = { 0 };
	struct mtc_model *m = NULL;

	assert_int_equal(mts_model_from_xml(other, sizeof(other) - 1, &conf, &m, &err), -EINVAL);
	assert_null(m);
	assert_string_equal(err.message, "mt.c: c2xml's output is not a <parse> document");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_target_from_probe),
		cmocka_unit_test(test_maple_layout),
		cmocka_unit_test(test_maple_finding),
		cmocka_unit_test(test_bitfields_physical),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_typedef_names_from_header),
		cmocka_unit_test(test_tagged_typedef_keeps_tag),
		cmocka_unit_test(test_packed),
		cmocka_unit_test(test_unknown_base_type),
		cmocka_unit_test(test_bad_documents),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
