// SPDX-License-Identifier: MIT
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_util.h"

const struct mtc_target t_le64 = {
	.endian = MTC_ENDIAN_LITTLE, .pointer_bits = 64, .char_signed = true, .triple = "x86_64-linux-gnu"
};
const struct mtc_target t_be64 = {
	.endian = MTC_ENDIAN_BIG, .pointer_bits = 64, .char_signed = false, .triple = "s390x-linux-gnu"
};
const struct mtc_target t_le32 = {
	.endian = MTC_ENDIAN_LITTLE, .pointer_bits = 32, .char_signed = true, .triple = "i686-linux-gnu"
};
const struct mtc_target t_be32 = {
	.endian = MTC_ENDIAN_BIG, .pointer_bits = 32, .char_signed = true, .triple = "mips-linux-gnu"
};

struct mtc_model *tu_model(const struct mtc_target *t)
{
	struct mtc_model *m = mtc_model_new(t);

	assert_non_null(m);
	mtc_model_set_input(m, "mt.o");
	mtc_model_set_frontend(m, "test");
	return m;
}

struct mtc_type *tu_int(struct mtc_model *m, const char *name, uint64_t size, bool is_signed)
{
	struct mtc_type *t = mtc_model_scalar(m, MTC_KIND_INT, name, size, is_signed);

	assert_non_null(t);
	return t;
}

struct mtc_type *tu_ptr(struct mtc_model *m, const char *name)
{
	struct mtc_type *t = mtc_model_scalar(m, MTC_KIND_POINTER, name,
					      mtc_model_target(m)->pointer_bits / 8, false);

	assert_non_null(t);
	return t;
}

struct mtc_type *tu_array(struct mtc_model *m, struct mtc_type *el, uint64_t count)
{
	struct mtc_type *t = mtc_model_array(m, el, count);

	assert_non_null(t);
	return t;
}

struct mtc_type *tu_record(struct mtc_model *m, enum mtc_kind kind, const char *name,
			   uint64_t size, uint32_t align)
{
	struct mtc_type *t = mtc_model_record(m, kind, name, size, align);

	assert_non_null(t);
	return t;
}

struct mtc_member *tu_member(struct mtc_model *m, struct mtc_type *rec, const char *name,
			     struct mtc_type *type, uint64_t offset)
{
	struct mtc_member *mb = mtc_record_add_member(m, rec, name, type, offset, 0, 0);

	assert_non_null(mb);
	return mb;
}

struct mtc_member *tu_bitfield(struct mtc_model *m, struct mtc_type *rec, const char *name,
			       struct mtc_type *type, uint64_t alloc_bit_offset,
			       uint32_t bit_size)
{
	enum mtc_endian e = mtc_model_target(m)->endian;
	struct mtc_member *mb = mtc_record_add_member(
		m, rec, name, type, 0, mtc_bitfield_physical(e, alloc_bit_offset, bit_size),
		bit_size);

	assert_non_null(mb);
	return mb;
}

void tu_set_loc(struct mtc_member *mb, const char *file, unsigned line, unsigned column)
{
	mb->loc.file = file;
	mb->loc.line = line;
	mb->loc.column = column;
}

void tu_maple(struct maple_fixture *fx, const struct mtc_target *t)
{
	struct mtc_model *m = tu_model(t);
	unsigned ps = t->pointer_bits / 8;
	unsigned n = t->pointer_bits == 64 ? 16 : 32;
	struct mtc_type *voidp = tu_ptr(m, "void *");
	struct mtc_type *pnode = tu_ptr(m, "struct maple_pnode *");
	struct mtc_type *ulong = tu_int(m, "unsigned long", ps, false);
	struct mtc_type *uchar = tu_int(m, "unsigned char", 1, false);

	memset(fx, 0, sizeof(*fx));
	fx->m = m;
	fx->nslots = n;
	fx->meta_type = tu_record(m, MTC_KIND_STRUCT, "struct maple_metadata", 2, 1);
	tu_set_loc(tu_member(m, fx->meta_type, "end", uchar, 0), "mt.c", 6, 16);
	tu_set_loc(tu_member(m, fx->meta_type, "gap", uchar, 1), "mt.c", 7, 16);

	fx->anon = tu_record(m, MTC_KIND_STRUCT, NULL, (uint64_t)ps * n, ps);
	tu_set_loc(tu_member(m, fx->anon, "pad", tu_array(m, voidp, n - 1), 0), "mt.c", 12, 31);
	fx->meta = tu_member(m, fx->anon, "meta", fx->meta_type, (uint64_t)ps * (n - 1));
	tu_set_loc(fx->meta, "mt.c", 13, 29);
	fx->meta->loc.handle = 13029;

	fx->un = tu_record(m, MTC_KIND_UNION, NULL, (uint64_t)ps * n, ps);
	fx->slot = tu_member(m, fx->un, "slot", tu_array(m, voidp, n), 0);
	tu_set_loc(fx->slot, "mt.c", 10, 11);
	fx->slot->loc.handle = 10011;
	/* the last append may move the member array: find 'slot' again below */
	tu_set_loc(tu_member(m, fx->un, NULL, fx->anon, 0), "mt.c", 11, 9);
	fx->slot = mtc_model_edit_member(m, fx->un, 0);

	fx->node = tu_record(m, MTC_KIND_STRUCT, "struct maple_range_64", 256, ps);
	tu_set_loc(tu_member(m, fx->node, "parent", pnode, 0), "mt.c", 8, 29);
	tu_set_loc(tu_member(m, fx->node, "pivot", tu_array(m, ulong, n - 1), ps), "mt.c", 9,
		   23);
	tu_set_loc(tu_member(m, fx->node, NULL, fx->un, (uint64_t)ps * n), "mt.c", 9, 9);
}

struct mtc_type *tu_u64_halves(struct mtc_model *m, const char *name)
{
	struct mtc_type *u64 = tu_int(m, "uint64_t", 8, false);
	struct mtc_type *u32 = tu_int(m, "uint32_t", 4, false);
	struct mtc_type *s = tu_record(m, MTC_KIND_STRUCT, NULL, 8, 4);
	struct mtc_type *u = tu_record(m, MTC_KIND_UNION, name, 8, 8);

	tu_member(m, s, "lo", u32, 0);
	tu_member(m, s, "hi", u32, 4);
	tu_member(m, u, "v", u64, 0);
	tu_member(m, u, "s", s, 0);
	return u;
}

struct mtc_ruleset *tu_rules(void)
{
	struct mtc_ruleset *rs = mtc_ruleset_new();
	struct mtc_error err = { 0 };

	assert_non_null(rs);
	if (mtc_ruleset_load(rs, MTCHECK_TEST_RULES_DIR, &err))
		fail_msg("loading %s: %s", MTCHECK_TEST_RULES_DIR, err.message);
	assert_int_equal(mtc_ruleset_count(rs), tu_have_mt010() ? 5 : 4);
	return rs;
}

bool tu_have_mt010(void)
{
	return access(MTCHECK_TEST_RULES_DIR "/MT010.yaml", F_OK) == 0;
}

char *tu_rule_ids(const struct mtc_ruleset *rs)
{
	char *ids = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&ids, &len);

	assert_non_null(f);
	for (size_t i = 0; i < mtc_ruleset_count(rs); i++)
		fprintf(f, "%s%s", i ? "," : "", mtc_ruleset_at(rs, i)->id);
	assert_int_equal(fclose(f), 0);
	return ids;
}

size_t tu_rule_index(const struct mtc_ruleset *rs, const char *id)
{
	for (size_t i = 0; i < mtc_ruleset_count(rs); i++)
		if (!strcmp(mtc_ruleset_at(rs, i)->id, id))
			return i;
	fail_msg("no rule %s", id);
	return 0;
}

struct mtc_findings *tu_analyze(const struct mtc_model *m, const struct mtc_ruleset *rs,
				const struct mtc_config *cfg, const char *only_type,
				int expect_added)
{
	struct mtc_analysis_conf conf = { .rules = rs, .config = cfg, .only_type = only_type };
	struct mtc_findings *fs = mtc_findings_new();
	struct mtc_error err = { 0 };
	int ret;

	assert_non_null(fs);
	ret = mtc_analyze(m, &conf, fs, &err);
	if (ret < 0)
		fail_msg("mtc_analyze: %d: %s", ret, err.message);
	assert_int_equal(ret, expect_added);
	assert_int_equal(mtc_findings_count(fs), (size_t)expect_added);
	mtc_findings_sort(fs);
	return fs;
}

void tu_assert_leaf(const struct mtc_leaf *l, const char *path, const char *type,
		    uint64_t offset, uint64_t size)
{
	assert_string_equal(l->path, path);
	assert_string_equal(l->type, type);
	assert_int_equal(l->offset, offset);
	assert_int_equal(l->size, size);
}

void tu_assert_bits(const struct mtc_leaf *l, uint32_t le_lo, uint32_t le_hi,
		    uint32_t be_lo, uint32_t be_hi)
{
	assert_int_equal(l->le_lo, le_lo);
	assert_int_equal(l->le_hi, le_hi);
	assert_int_equal(l->be_lo, be_lo);
	assert_int_equal(l->be_hi, be_hi);
}

char *tu_printf(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	assert_true(n >= 0);
	return s;
}

void tu_assert_message(const struct mtc_finding *f, const char *want)
{
	char *got = mtc_finding_message(f, 0);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

void tu_assert_note(const struct mtc_finding *f, const char *want)
{
	char *got = mtc_finding_note(f);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

char *tu_mkdtemp(void)
{
	const char *tmp = getenv("TMPDIR");
	char *tmpl = tu_printf("%s/mtcheck-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");

	if (!mkdtemp(tmpl))
		fail_msg("mkdtemp %s: %s", tmpl, strerror(errno));
	return tmpl;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void tu_rmtree(const char *dir)
{
	assert_int_equal(nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

char *tu_write(const char *dir, const char *name, const char *text)
{
	char *path = tu_printf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");

	if (!f)
		fail_msg("creating %s: %s", path, strerror(errno));
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	return path;
}
