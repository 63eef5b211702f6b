// SPDX-License-Identifier: MIT
/*
 * --emit-asserts: the findings as a C header that checks them.
 *
 * For every finding the header holds static assertions on the offsets and
 * sizes that were reported, and a self-test that writes marker bytes
 * (0xAA, 0xBB, ... as in the pictures) through the narrow members, reads
 * the wide member, and compares it with the value predicted for the byte
 * order it is compiled for.  Compiled for a target whose layout differs,
 * the static assertions fail and name the record and member; compiled for
 * a target of another pointer width than the finding was made for, its
 * self-test reports itself as not applicable instead of a wrong answer.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mtcheck/report.h"
#include "strbuf.h"

/* Markers as the pictures letter them: AA, BB, ... */
static unsigned marker(size_t i)
{
	return i < 6 ? 0xAA + 0x11 * (unsigned)i : 0x11 * (unsigned)((i % 14) + 1);
}

/* Two 64-bit halves, enough for the widest scalar (16 bytes). */
struct u128 {
	uint64_t lo, hi;
};

static void set_bit(struct u128 *v, int64_t bit)
{
	if (bit < 0 || bit >= 128)
		return;
	if (bit < 64)
		v->lo |= 1ull << bit;
	else
		v->hi |= 1ull << (bit - 64);
}

/* Allocation bits of a leaf, from the start of the record. */
static int64_t alloc_bit(const struct mtc_leaf *l, enum mtc_endian e)
{
	if (!l->bit_size)
		return (int64_t)l->offset * 8;
	return (int64_t)mtc_bitfield_allocation(e, l->bit_offset, l->bit_size);
}

static uint32_t width(const struct mtc_leaf *l)
{
	return l->bit_size ? l->bit_size : (uint32_t)(l->size * 8);
}

/*
 * The value the wide member reads after the markers were written, and the
 * mask of the bits they wrote, for byte order @order.  Narrow member i,
 * `rel` allocation bits into the wide one, has its value bit k at wide bit
 * rel + k on little-endian and ww - rel - wn + k on big-endian.
 */
static void predict(const struct mtc_finding *f, enum mtc_endian layout, enum mtc_endian order,
		    struct u128 *value, struct u128 *mask)
{
	uint32_t ww = width(&f->wide);
	int64_t ws = alloc_bit(&f->wide, layout);

	memset(value, 0, sizeof(*value));
	memset(mask, 0, sizeof(*mask));
	for (size_t i = 0; i < f->nr_narrow; i++) {
		const struct mtc_leaf *n = &f->narrow[i];
		uint32_t wn = width(n);
		int64_t rel = alloc_bit(n, layout) - ws;
		int64_t shift = order == MTC_ENDIAN_LITTLE ? rel : (int64_t)ww - rel - wn;
		unsigned m = marker(i);

		for (uint32_t k = 0; k < wn; k++) {
			int64_t b = shift + k;

			if (b < 0 || b >= ww)
				continue;
			set_bit(mask, b);
			if ((m >> (k % 8)) & 1)
				set_bit(value, b);
		}
	}
}

static void c_string(struct strbuf *sb, const char *s)
{
	sb_addc(sb, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			sb_addc(sb, '\\');
		sb_addc(sb, *s);
	}
	sb_addc(sb, '"');
}

static void hex128(struct strbuf *sb, const struct u128 *v, uint32_t ww)
{
	if (ww > 64)
		sb_addf(sb, "MTCHECK_U128(0x%016llxull, 0x%016llxull)", (unsigned long long)v->hi,
			(unsigned long long)v->lo);
	else
		sb_addf(sb, "0x%llxull", (unsigned long long)v->lo);
}

/* The preprocessor test for targets whose layout the finding describes. */
static void layout_guard(struct strbuf *sb, const struct mtc_finding *f)
{
	bool p32 = false, p64 = false;

	for (size_t i = 0; i < f->nr_targets; i++) {
		if (f->targets[i].pointer_bits == 32)
			p32 = true;
		else
			p64 = true;
	}
	if (p32 && p64)
		sb_add(sb, "1");
	else
		sb_addf(sb, "__SIZEOF_POINTER__ == %d", p64 ? 8 : 4);
}

static void targets_comment(struct strbuf *sb, const struct mtc_finding *f)
{
	for (size_t i = 0; i < f->nr_targets; i++)
		sb_addf(sb, "%s%s", i ? ", " : "",
			f->targets[i].triple[0] ? f->targets[i].triple
						: mtc_endian_name(f->targets[i].endian));
}

static void leaf_asserts(struct strbuf *sb, const char *record, const struct mtc_leaf *l)
{
	if (l->bit_size)
		return;	/* neither sizeof nor offsetof can name a bitfield: the self-test checks it */
	sb_addf(sb, "MTCHECK_STATIC_ASSERT(sizeof(((%s *)0)->%s) == %llu,\n\t\"", record, l->path,
		(unsigned long long)l->size);
	sb_addf(sb, "mtcheck: %s: %s is not %llu bytes on this target; regenerate this header for it\");\n",
		record, l->path, (unsigned long long)l->size);
	sb_addf(sb, "MTCHECK_STATIC_ASSERT(offsetof(%s, %s) == %llu,\n\t\"", record, l->path,
		(unsigned long long)l->offset);
	sb_addf(sb, "mtcheck: %s: %s is not at offset %llu on this target; regenerate this header for it\");\n",
		record, l->path, (unsigned long long)l->offset);
}

static void selftest(struct strbuf *sb, const struct mtc_finding *f, size_t idx)
{
	enum mtc_endian layout = f->targets[0].endian;
	uint32_t ww = width(&f->wide);
	struct u128 le, be, mask_le, mask_be;

	predict(f, layout, MTC_ENDIAN_LITTLE, &le, &mask_le);
	predict(f, layout, MTC_ENDIAN_BIG, &be, &mask_be);

	sb_addf(sb, "\n/* %s: %s in '%s' (%s; ", f->rule_id, f->wide.path, f->record, f->rule_name);
	targets_comment(sb, f);
	sb_add(sb, ") */\n#if ");
	layout_guard(sb, f);
	sb_add(sb, "\n");
	leaf_asserts(sb, f->record, &f->wide);
	for (size_t i = 0; i < f->nr_narrow; i++)
		leaf_asserts(sb, f->record, &f->narrow[i]);
	sb_addf(sb, "#define MTCHECK_HAVE_TEST_%zu 1\n#endif\n\n", idx);

	sb_addf(sb, "static inline int mtcheck_selftest_%zu(void)\n{\n#if MTCHECK_HAVE_TEST_%zu\n",
		idx, idx);
	sb_addf(sb, "\t%s obj;\n\tMTCHECK_UWIDE got = 0;\n", f->record);
	sb_add(sb, "\n\tmemset(&obj, 0, sizeof(obj));\n");
	for (size_t i = 0; i < f->nr_narrow; i++) {
		const struct mtc_leaf *n = &f->narrow[i];

		if (n->bit_size)
			sb_addf(sb, "\tobj.%s = 0x%llxu;\n", n->path,
				(unsigned long long)(marker(i) * 0x0101010101010101ull &
						     (n->bit_size >= 64 ? ~0ull
									: (1ull << n->bit_size) - 1)));
		else
			sb_addf(sb, "\tmemset(&obj.%s, 0x%02X, sizeof(obj.%s));\n", n->path, marker(i),
				n->path);
	}
	if (f->wide.bit_size) {
		sb_addf(sb, "\tgot = obj.%s;\n", f->wide.path);
	} else {
		sb_addf(sb, "\t{\n\t\tunsigned char bytes[sizeof(obj.%s)];\n", f->wide.path);
		sb_addf(sb, "\t\tmemcpy(bytes, &obj.%s, sizeof(bytes));\n", f->wide.path);
		sb_add(sb, "\t\tgot = mtcheck_read_wide(bytes, sizeof(bytes));\n\t}\n");
	}
	sb_add(sb, "#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__\n\tconst MTCHECK_UWIDE want = ");
	hex128(sb, &be, ww);
	sb_add(sb, ", mask = ");
	hex128(sb, &mask_be, ww);
	sb_add(sb, ";\n#else\n\tconst MTCHECK_UWIDE want = ");
	hex128(sb, &le, ww);
	sb_add(sb, ", mask = ");
	hex128(sb, &mask_le, ww);
	sb_add(sb, ";\n#endif\n\tif ((got & mask) == want)\n\t\treturn 0;\n");
	sb_add(sb, "\tmtcheck_report_mismatch(");
	c_string(sb, f->record);
	sb_add(sb, ", ");
	c_string(sb, f->wide.path);
	sb_add(sb, ", ");
	{
		struct strbuf names;

		sb_init(&names);
		for (size_t i = 0; i < f->nr_narrow; i++)
			sb_addf(&names, "%s%s", i ? ", " : "", f->narrow[i].path);
		c_string(sb, sb_str(&names));
		sb_free(&names);
	}
	sb_add(sb, ", got & mask, want);\n\treturn 1;\n#else\n\treturn 0; /* laid out for ");
	targets_comment(sb, f);
	sb_add(sb, " only */\n#endif\n}\n");
}

int mtc_report_asserts(FILE *out, const struct mtc_findings *fs, const char *tool_version)
{
	struct strbuf sb;
	bool wide128 = false;

	for (size_t i = 0; i < mtc_findings_count(fs); i++)
		if (width(&mtc_findings_at(fs, i)->wide) > 64)
			wide128 = true;
	sb_init(&sb);
	sb_addf(&sb,
		"/* Generated by mtcheck %s: layout checks and self-tests for its findings.\n"
		" * Include it after the declarations of the records it names.  Do not edit. */\n"
		"#ifndef MTCHECK_ASSERTS_H\n#define MTCHECK_ASSERTS_H\n\n"
		"#include <stddef.h>\n#include <stdint.h>\n#include <stdio.h>\n#include <string.h>\n\n"
		"#ifdef __cplusplus\n#define MTCHECK_STATIC_ASSERT(c, m) static_assert(c, m)\n"
		"#else\n#define MTCHECK_STATIC_ASSERT(c, m) _Static_assert(c, m)\n#endif\n\n",
		tool_version);
	if (wide128)
		sb_add(&sb, "typedef unsigned __int128 MTCHECK_UWIDE;\n"
			    "#define MTCHECK_U128(hi, lo) (((MTCHECK_UWIDE)(hi) << 64) | (lo))\n"
			    "#define MTCHECK_PRINT(v) (unsigned long long)((v) >> 64), "
			    "(unsigned long long)(v)\n#define MTCHECK_FMT \"0x%016llx%016llx\"\n");
	else
		sb_add(&sb, "typedef uint64_t MTCHECK_UWIDE;\n"
			    "#define MTCHECK_PRINT(v) (unsigned long long)(v)\n"
			    "#define MTCHECK_FMT \"0x%llx\"\n");
	sb_add(&sb,
	       "\n/* The value a wide scalar holds, read as this machine reads it. */\n"
	       "static inline MTCHECK_UWIDE mtcheck_read_wide(const unsigned char *b, size_t n)\n{\n"
	       "\tMTCHECK_UWIDE v = 0;\n\n\tfor (size_t i = 0; i < n; i++)\n"
	       "#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__\n\t\tv = (v << 8) | b[i];\n#else\n"
	       "\t\tv |= (MTCHECK_UWIDE)b[i] << (8 * i);\n#endif\n\treturn v;\n}\n\n"
	       "static inline void mtcheck_report_mismatch(const char *record, const char *wide,\n"
	       "\t\t\t\t\t   const char *narrow, MTCHECK_UWIDE got, MTCHECK_UWIDE want)\n{\n"
	       "\tfprintf(stderr, \"mtcheck self-test: %s: '%s' read \" MTCHECK_FMT\n"
	       "\t\t\" after writing '%s', predicted \" MTCHECK_FMT \" for this byte order\\n\",\n"
	       "\t\trecord, wide, MTCHECK_PRINT(got), narrow, MTCHECK_PRINT(want));\n}\n");
	for (size_t i = 0; i < mtc_findings_count(fs); i++)
		selftest(&sb, mtc_findings_at(fs, i), i);
	sb_add(&sb, "\n/* Runs every self-test; returns the number that failed. */\n"
		    "static inline int mtcheck_selftest_all(void)\n{\n\tint failed = 0;\n\n");
	for (size_t i = 0; i < mtc_findings_count(fs); i++)
		sb_addf(&sb, "\tfailed += mtcheck_selftest_%zu();\n", i);
	sb_add(&sb, "\treturn failed;\n}\n\n#endif\n");
	if (sb.oom) {
		sb_free(&sb);
		return -ENOMEM;
	}
	fputs(sb_str(&sb), out);
	sb_free(&sb);
	return fflush(out) || ferror(out) ? -EIO : 0;
}
