// SPDX-License-Identifier: MIT
/*
 * Confidence, evidence and rank (confidence.c): each rule on a hand-built
 * model, with the exact level, evidence and rank it gives.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mtcheck/report.h"
#include "test_util.h"

static void assert_evidence(const struct mtc_evidence *e, enum mtc_evidence_kind kind,
			    const char *member, const char *other, uint64_t count)
{
	assert_int_equal(e->kind, kind);
	if (member)
		assert_string_equal(e->member, member);
	else
		assert_null(e->member);
	if (other)
		assert_string_equal(e->other, other);
	else
		assert_null(e->other);
	assert_int_equal(e->count, count);
}

static void assert_text(const struct mtc_finding *f, const char *want)
{
	char *t = mtc_finding_confidence_text(f);

	assert_non_null(t);
	assert_string_equal(t, want);
	free(t);
}

static void test_maple_is_high(void **state)
{
	(void)state;
	struct mtc_ruleset *rs = tu_rules();
	const struct mtc_target *targets[] = { &t_le64, &t_be64 };

	for (int i = 0; i < 2; i++) {
		struct maple_fixture mf;

		tu_maple(&mf, targets[i]);
		struct mtc_findings *fs = tu_analyze(mf.m, rs, NULL, NULL, 1);
		const struct mtc_finding *f = mtc_findings_at(fs, 0);

		assert_int_equal(f->confidence, MTC_CONF_HIGH);
		assert_int_equal(f->nr_evidence, 2);
		assert_evidence(&f->evidence[0], MTC_EV_MIRRORED_TYPES, "pad[0]", "slot[0]", 15);
		assert_string_equal(f->evidence[0].loc.file, "mt.c");
		assert_int_equal(f->evidence[0].loc.line, 12);
		assert_evidence(&f->evidence[1], MTC_EV_TAIL, NULL, NULL, 0);
		/* high 76, pointer 16, partial 4, same types 2, tail 1 */
		assert_int_equal(f->rank, 99);
		assert_int_equal(mtc_finding_rank(f), 99);
		assert_text(f, "high confidence: co-live: the 15 members before the overlay repeat "
			       "the wide side's by type ('pad[0]' as 'slot[0]'), so both are live "
			       "at once; the overlay is the last data of both members: stashed in "
			       "the tail");
		mtc_findings_free(fs);
		mtc_model_free(mf.m);
	}
	mtc_ruleset_free(rs);
}

static void test_u64_view_is_medium(void **state)
{
	(void)state;
	struct mtc_ruleset *rs = tu_rules();
	struct mtc_model *m = tu_model(&t_le64);

	tu_u64_halves(m, "union u64_halves");
	struct mtc_findings *fs = tu_analyze(m, rs, NULL, NULL, 1);
	const struct mtc_finding *f = mtc_findings_at(fs, 0);

	assert_int_equal(f->confidence, MTC_CONF_MEDIUM);
	assert_int_equal(f->nr_evidence, 1);
	assert_evidence(&f->evidence[0], MTC_EV_VIEW, NULL, NULL, 0);
	/* medium 48, integer 8, fully covered */
	assert_int_equal(f->rank, 56);
	assert_text(f, "medium confidence: views of one value: no tag selects them and nothing "
		       "is mirrored");
	mtc_findings_free(fs);
	mtc_model_free(m);
	mtc_ruleset_free(rs);
}

/* struct msg { enum msg_kind k; union { uint64_t num; struct { uint32_t a, b; } pair; }; } */
static void test_enum_sibling_is_a_tag(void **state)
{
	(void)state;
	struct mtc_ruleset *rs = tu_rules();
	struct mtc_model *m = tu_model(&t_le64);
	struct mtc_type *kind = mtc_model_scalar(m, MTC_KIND_ENUM, "enum msg_kind", 4, false);
	struct mtc_type *u32 = tu_int(m, "uint32_t", 4, false);
	struct mtc_type *u64 = tu_int(m, "uint64_t", 8, false);
	struct mtc_type *pair = tu_record(m, MTC_KIND_STRUCT, NULL, 8, 4);
	struct mtc_type *u = tu_record(m, MTC_KIND_UNION, NULL, 8, 8);
	struct mtc_type *msg = tu_record(m, MTC_KIND_STRUCT, "struct msg", 16, 8);

	tu_member(m, pair, "a", u32, 0);
	tu_member(m, pair, "b", u32, 4);
	tu_member(m, u, "num", u64, 0);
	tu_member(m, u, "pair", pair, 0);
	tu_set_loc(tu_member(m, msg, "k", kind, 0), "msg.h", 3, 16);
	tu_member(m, msg, NULL, u, 8);

	struct mtc_findings *fs = tu_analyze(m, rs, NULL, NULL, 1);
	const struct mtc_finding *f = mtc_findings_at(fs, 0);

	assert_int_equal(f->confidence, MTC_CONF_LOW);
	assert_int_equal(f->nr_evidence, 1);
	assert_evidence(&f->evidence[0], MTC_EV_TAG_ENUM, "k", "enum msg_kind", 0);
	assert_null(f->evidence[0].record);
	assert_string_equal(f->evidence[0].loc.file, "msg.h");
	assert_int_equal(f->evidence[0].loc.line, 3);
	/* low 20, integer 8 */
	assert_int_equal(f->rank, 28);
	assert_text(f, "low confidence: alternatives selected by the tag 'k' (enum msg_kind)");
	mtc_findings_free(fs);
	mtc_model_free(m);
	mtc_ruleset_free(rs);
}

/*
 * A named union is a root of its own; the record that holds it beside a
 * member named like a tag is found and named: struct acpi_resource { u32
 * type; union acpi_resource_data data; }.
 */
static void test_tag_in_the_holding_record(void **state)
{
	(void)state;
	struct mtc_ruleset *rs = tu_rules();
	struct mtc_model *m = tu_model(&t_le64);
	struct mtc_type *u32 = tu_int(m, "u32", 4, false);
	struct mtc_type *data = tu_u64_halves(m, "union acpi_resource_data");
	struct mtc_type *res = tu_record(m, MTC_KIND_STRUCT, "struct acpi_resource", 16, 8);

	tu_member(m, res, "type", u32, 0);
	tu_member(m, res, "data", data, 8);

	struct mtc_findings *fs = tu_analyze(m, rs, NULL, "union acpi_resource_data", 1);
	const struct mtc_finding *f = mtc_findings_at(fs, 0);

	assert_int_equal(f->confidence, MTC_CONF_LOW);
	assert_evidence(&f->evidence[0], MTC_EV_TAG_NAME, "type", "u32", 0);
	assert_string_equal(f->evidence[0].record, "struct acpi_resource");
	assert_text(f, "low confidence: alternatives selected by the tag 'type' (u32) in "
		       "'struct acpi_resource'");
	mtc_findings_free(fs);
	mtc_model_free(m);
	mtc_ruleset_free(rs);
}

/* union { struct { u32 type; u32 x; } a; struct { u32 type; u16 y, z; } b; } */
static void test_tag_in_the_common_initial_sequence(void **state)
{
	(void)state;
	struct mtc_ruleset *rs = tu_rules();
	struct mtc_model *m = tu_model(&t_le64);
	struct mtc_type *u32 = tu_int(m, "u32", 4, false);
	struct mtc_type *u16 = tu_int(m, "u16", 2, false);
	struct mtc_type *a = tu_record(m, MTC_KIND_STRUCT, NULL, 8, 4);
	struct mtc_type *b = tu_record(m, MTC_KIND_STRUCT, NULL, 8, 4);
	struct mtc_type *u = tu_record(m, MTC_KIND_UNION, "union ev", 8, 4);

	tu_member(m, a, "type", u32, 0);
	tu_member(m, a, "x", u32, 4);
	tu_member(m, b, "type", u32, 0);
	tu_member(m, b, "y", u16, 4);
	tu_member(m, b, "z", u16, 6);
	tu_member(m, u, "a", a, 0);
	tu_member(m, u, "b", b, 0);

	struct mtc_findings *fs = tu_analyze(m, rs, NULL, NULL, 1);
	const struct mtc_finding *f = mtc_findings_at(fs, 0);

	assert_string_equal(f->wide.path, "a.x");
	assert_int_equal(f->confidence, MTC_CONF_LOW);
	assert_evidence(&f->evidence[0], MTC_EV_TAG_NAME, "a.type", "u32", 0);
	mtc_findings_free(fs);
	mtc_model_free(m);
	mtc_ruleset_free(rs);
}

/* union three { uint64_t q; uint32_t w[2]; uint16_t h[4]; } */
static void test_three_shapes_are_alternatives(void **state)
{
	(void)state;
	struct mtc_ruleset *rs = tu_rules();
	struct mtc_model *m = tu_model(&t_le64);
	struct mtc_type *u = tu_record(m, MTC_KIND_UNION, "union three", 8, 8);

	tu_member(m, u, "q", tu_int(m, "uint64_t", 8, false), 0);
	tu_member(m, u, "w", tu_array(m, tu_int(m, "uint32_t", 4, false), 2), 0);
	tu_member(m, u, "h", tu_array(m, tu_int(m, "uint16_t", 2, false), 4), 0);

	struct mtc_findings *fs = tu_analyze(m, rs, NULL, NULL, 3);

	for (size_t i = 0; i < 3; i++) {
		const struct mtc_finding *f = mtc_findings_at(fs, i);

		assert_int_equal(f->confidence, MTC_CONF_LOW);
		assert_int_equal(f->nr_evidence, 1);
		assert_evidence(&f->evidence[0], MTC_EV_ALTERNATIVES, NULL, NULL, 3);
		assert_int_equal(f->rank, 28);
	}
	assert_text(mtc_findings_at(fs, 0),
		    "low confidence: alternatives: the union has 3 differently shaped members");
	mtc_findings_free(fs);
	mtc_model_free(m);
	mtc_ruleset_free(rs);
}

/* struct obj { union { struct callback_head rcu; struct { u32 refs, flags; } live; }; } */
static void test_rcu_head_is_reuse(void **state)
{
	(void)state;
	struct mtc_ruleset *rs = tu_rules();
	struct mtc_model *m = tu_model(&t_le64);
	struct mtc_type *u32 = tu_int(m, "uint32_t", 4, false);
	struct mtc_type *cb = tu_record(m, MTC_KIND_STRUCT, "struct callback_head", 16, 8);
	struct mtc_type *live = tu_record(m, MTC_KIND_STRUCT, NULL, 8, 4);
	struct mtc_type *u = tu_record(m, MTC_KIND_UNION, NULL, 16, 8);
	struct mtc_type *obj = tu_record(m, MTC_KIND_STRUCT, "struct obj", 16, 8);

	tu_member(m, cb, "next", tu_ptr(m, "struct callback_head *"), 0);
	tu_member(m, cb, "func", mtc_model_scalar(m, MTC_KIND_FUNC_POINTER,
						  "void (*)(struct callback_head *)", 8, false), 8);
	tu_member(m, live, "refs", u32, 0);
	tu_member(m, live, "flags", u32, 4);
	tu_set_loc(tu_member(m, u, "rcu", cb, 0), "obj.h", 9, 23);
	tu_member(m, u, "live", live, 0);
	tu_member(m, obj, NULL, u, 0);

	struct mtc_findings *fs = tu_analyze(m, rs, NULL, "struct obj", 1);
	const struct mtc_finding *f = mtc_findings_at(fs, 0);

	assert_string_equal(f->wide.path, "rcu.next");
	assert_int_equal(f->confidence, MTC_CONF_LOW);
	assert_evidence(&f->evidence[0], MTC_EV_REUSE, "rcu", "struct callback_head", 0);
	assert_int_equal(f->evidence[0].loc.line, 9);
	/* low 20, pointer 16 */
	assert_int_equal(f->rank, 36);
	assert_text(f, "low confidence: lifetime reuse: 'rcu' is struct callback_head");
	mtc_findings_free(fs);
	mtc_model_free(m);
	mtc_ruleset_free(rs);
}

/* union regs { uint64_t value; struct { uint32_t __reserved0, rsvd1; } r; } */
static void test_reserved_padding(void **state)
{
	(void)state;
	struct mtc_ruleset *rs = tu_rules();
	struct mtc_model *m = tu_model(&t_le64);
	struct mtc_type *u32 = tu_int(m, "uint32_t", 4, false);
	struct mtc_type *r = tu_record(m, MTC_KIND_STRUCT, NULL, 8, 4);
	struct mtc_type *u = tu_record(m, MTC_KIND_UNION, "union regs", 8, 8);

	tu_member(m, r, "__reserved0", u32, 0);
	tu_member(m, r, "rsvd1", u32, 4);
	tu_member(m, u, "value", tu_int(m, "uint64_t", 8, false), 0);
	tu_member(m, u, "r", r, 0);

	struct mtc_findings *fs = tu_analyze(m, rs, NULL, NULL, 1);
	const struct mtc_finding *f = mtc_findings_at(fs, 0);

	assert_int_equal(f->confidence, MTC_CONF_LOW);
	assert_evidence(&f->evidence[0], MTC_EV_PADDING, "r.__reserved0", NULL, 0);
	assert_int_equal(f->rank, 28);
	assert_text(f, "low confidence: the narrow side is padding ('r.__reserved0')");
	mtc_findings_free(fs);
	mtc_model_free(m);
	mtc_ruleset_free(rs);
}

/*
 * union u64_halves with its halves declared at @lo_line and @hi_line of
 * @file; the one finding's confidence.
 */
static struct mtc_findings *halves_at(struct mtc_ruleset *rs, const char *file, unsigned lo_line,
				      unsigned hi_line, struct mtc_model **mp)
{
	struct mtc_model *m = tu_model(&t_le64);
	struct mtc_type *u = tu_u64_halves(m, "union u64_halves");
	const struct mtc_type *s = u->members[1].type;

	tu_set_loc(mtc_model_edit_member(m, s, 0), file, lo_line, 12);
	tu_set_loc(mtc_model_edit_member(m, s, 1), file, hi_line, 12);
	*mp = m;
	return tu_analyze(m, rs, NULL, NULL, 1);
}

static void test_byte_order_conditional(void **state)
{
	(void)state;
	struct mtc_ruleset *rs = tu_rules();
	char *dir = tu_mkdtemp();
	char *path = tu_write(dir, "halves.h",
			      "union u64_halves {\n"			/* 1 */
			      "\tuint64_t v;\n"				/* 2 */
			      "\tstruct {\n"				/* 3 */
			      "#if defined(__BIG_ENDIAN_BITFIELD) || \\\n"	/* 4 */
			      "    0\n"					/* 5 */
			      "\t\tuint32_t hi, lo;\n"			/* 6 */
			      "#  else /* little */\n"			/* 7 */
			      "\t\tuint32_t lo;\n"			/* 8 */
			      "#ifdef EXTRA\n"				/* 9 */
			      "#endif\n"				/* 10 */
			      "\t\tuint32_t hi;\n"			/* 11 */
			      "#endif\n"				/* 12 */
			      "\t} s;\n"				/* 13 */
			      "};\n");					/* 14 */
	struct mtc_model *m;
	struct mtc_findings *fs = halves_at(rs, path, 8, 11, &m);
	const struct mtc_finding *f = mtc_findings_at(fs, 0);

	assert_int_equal(f->confidence, MTC_CONF_LOW);
	assert_int_equal(f->nr_evidence, 1);
	assert_evidence(&f->evidence[0], MTC_EV_BYTE_ORDER, "s.lo", "__BIG_ENDIAN_BITFIELD", 0);
	assert_string_equal(f->evidence[0].loc.file, path);
	assert_int_equal(f->evidence[0].loc.line, 4);
	assert_int_equal(f->rank, 28);
	assert_text(f, "low confidence: adapted: 's.lo' is declared under a byte-order "
		       "conditional (__BIG_ENDIAN_BITFIELD, line 4)");
	mtc_findings_free(fs);
	mtc_model_free(m);

	/* the same members outside the conditional (lines 2 and 13): a view */
	fs = halves_at(rs, path, 2, 13, &m);
	assert_int_equal(mtc_findings_at(fs, 0)->confidence, MTC_CONF_MEDIUM);
	mtc_findings_free(fs);
	mtc_model_free(m);

	/* a file that cannot be read tells nothing */
	char *gone = tu_printf("%s/gone.h", dir);

	fs = halves_at(rs, gone, 8, 11, &m);
	assert_int_equal(mtc_findings_at(fs, 0)->confidence, MTC_CONF_MEDIUM);
	mtc_findings_free(fs);
	mtc_model_free(m);
	free(gone);

	/* a directory is not a source file */
	fs = halves_at(rs, dir, 8, 11, &m);
	assert_int_equal(mtc_findings_at(fs, 0)->confidence, MTC_CONF_MEDIUM);
	mtc_findings_free(fs);
	mtc_model_free(m);
	tu_rmtree(dir);
	free(dir);
	free(path);
	mtc_ruleset_free(rs);
}

/* Evidence survives a copy; names and levels parse back. */
static void test_dup_and_names(void **state)
{
	(void)state;
	struct mtc_ruleset *rs = tu_rules();
	struct maple_fixture mf;
	enum mtc_confidence c;
	enum mtc_evidence_kind k;

	tu_maple(&mf, &t_le64);
	mf.node->loc = (struct mtc_location){ .file = "mt.c", .line = 8, .column = 8 };
	struct mtc_findings *fs = tu_analyze(mf.m, rs, NULL, NULL, 1);
	struct mtc_finding *d = mtc_finding_dup(mtc_findings_at(fs, 0));

	assert_non_null(d);
	assert_int_equal(d->nr_evidence, 2);
	assert_ptr_not_equal(d->evidence, mtc_findings_at(fs, 0)->evidence);
	assert_string_equal(d->evidence[0].member, "pad[0]");
	assert_string_equal(d->record_loc.file, "mt.c");
	assert_int_equal(d->record_loc.line, 8);
	char *fp = mtc_finding_fingerprint(d);

	assert_string_equal(fp, "MT001:struct maple_range_64:slot[15]:meta.end,meta.gap");
	free(fp);
	mtc_finding_free(d);
	mtc_findings_free(fs);
	mtc_model_free(mf.m);

	assert_int_equal(mtc_confidence_parse("medium", &c), 0);
	assert_int_equal(c, MTC_CONF_MEDIUM);
	assert_int_equal(mtc_confidence_parse("sure", &c), -EINVAL);
	assert_string_equal(mtc_confidence_name(MTC_CONF_HIGH), "high");
	assert_int_equal(mtc_evidence_kind_parse("byte-order", &k), 0);
	assert_int_equal(k, MTC_EV_BYTE_ORDER);
	assert_int_equal(mtc_evidence_kind_parse("hunch", &k), -EINVAL);
	assert_string_equal(mtc_evidence_kind_name(MTC_EV_MIRRORED_TYPES), "mirrored-types");
	mtc_ruleset_free(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_maple_is_high),
		cmocka_unit_test(test_u64_view_is_medium),
		cmocka_unit_test(test_enum_sibling_is_a_tag),
		cmocka_unit_test(test_tag_in_the_holding_record),
		cmocka_unit_test(test_tag_in_the_common_initial_sequence),
		cmocka_unit_test(test_three_shapes_are_alternatives),
		cmocka_unit_test(test_rcu_head_is_reuse),
		cmocka_unit_test(test_reserved_padding),
		cmocka_unit_test(test_byte_order_conditional),
		cmocka_unit_test(test_dup_and_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
