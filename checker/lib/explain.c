// SPDX-License-Identifier: MIT
/* --explain: one record drawn for a terminal, members and byte lanes. */
#include <inttypes.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analysis_internal.h"
#include "internal.h"

/* --explain: the record as a table, then the byte lanes of its unions. */

/* A drawing for a terminal stays readable: what these leave out is said. */
#define EXPLAIN_MAX_MEMBERS 64	/* union members drawn as lanes */
#define EXPLAIN_MAX_DEPTH 8	/* records inside one another searched for unions */

static void explain_members(FILE *out, const struct mtc_type *t, uint64_t base, int indent,
			    struct strbuf *path, int depth)
{
	for (size_t i = 0; i < t->nr_members; i++) {
		const struct mtc_member *mb = &t->members[i];
		const struct mtc_type *ty = mb->type;
		size_t len = path->len;
		uint64_t off = base + mb->offset;

		an_add_member_name(path, mb->name);
		if (mb->bit_size) {
			fprintf(out, "  %6llu  %3u bits  %*s%-*s %s (physical bit %u)\n",
				(unsigned long long)off, mb->bit_size, indent, "", 30 - indent,
				sb_str(path), ty && ty->name ? ty->name : "?",
				(unsigned)(base * 8 + mb->bit_offset));
			sb_truncate(path, len);
			continue;
		}
		const struct mtc_type *el = ty;
		uint64_t n = 1;

		while (el && el->kind == MTC_KIND_ARRAY) {
			n *= el->count;
			el = el->element;
		}
		if (ty && ty->kind == MTC_KIND_ARRAY)
			sb_addf(path, "[0..%llu]", (unsigned long long)(n ? n - 1 : 0));
		if (el && mtc_kind_is_record(el->kind) && ty == el && depth < 6 &&
		    (el->kind == MTC_KIND_UNION || !el->name || depth < 3)) {
			if (el->kind == MTC_KIND_UNION) {
				fprintf(out, "  %6llu  %8llu  %*sunion%s%s {  (%zu members)\n",
					(unsigned long long)off, (unsigned long long)el->size, indent,
					"", mb->name ? " " : "", mb->name ? sb_str(path) : "",
					el->nr_members);
				explain_members(out, el, off, indent + 2, path, depth + 1);
				fprintf(out, "  %6s  %8s  %*s}\n", "", "", indent, "");
			} else {
				explain_members(out, el, off, indent, path, depth + 1);
			}
		} else {
			char what[96];

			if (ty && ty->kind == MTC_KIND_ARRAY && el)
				snprintf(what, sizeof(what), "%s  (%llu x %llu)",
					 el->name ? el->name : "<anonymous>", (unsigned long long)n,
					 (unsigned long long)el->size);
			else
				snprintf(what, sizeof(what), "%s",
					 ty && ty->name ? ty->name : "<anonymous>");
			fprintf(out, "  %6llu  %8llu  %*s%-*s %s\n", (unsigned long long)off,
				(unsigned long long)(ty ? ty->size : 0), indent, "", 30 - indent,
				sb_str(path), what);
		}
		sb_truncate(path, len);
	}
}

/* Index of the instance of @r covering allocation bit @bit, or UINT64_MAX. */
static uint64_t covering(const struct leaf_run *r, uint64_t bit)
{
	if (bit < r->alloc)
		return UINT64_MAX;
	uint64_t i = r->count == 1 ? 0 : (bit - r->alloc) / r->stride;

	if (i >= r->count || bit >= r->alloc + i * r->stride + r->bits)
		return UINT64_MAX;
	return i;
}

/* Label of one byte of one union member: the leaves that cover it. */
static void byte_label(const struct run_list *alt, uint64_t byte, struct strbuf *sb)
{
	for (size_t k = 0; k < alt->n; k++) {
		const struct leaf_run *r = &alt->v[k];

		for (uint64_t bit = byte * 8; bit < byte * 8 + 8; bit++) {
			uint64_t i = covering(r, bit);

			if (i == UINT64_MAX)
				continue;
			char *p = an_instance_path(r, i);

			if (p) {
				if (sb->len)
					sb_addc(sb, ',');
				sb_add(sb, p);
				free(p);
			}
			break;
		}
	}
}

static void explain_union(FILE *out, struct walk *w, const struct mtc_type *u, uint64_t offset,
			  const char *where)
{
	unsigned lane = mtc_model_target(w->model)->pointer_bits / 8;
	struct run_list *alts;
	struct strbuf path;
	uint64_t same = 0;
	unsigned printed = 0;

	sb_init(&path);
	sb_add(&path, where);
	alts = an_union_alternatives(w, u, offset, &path, NULL, false);
	if (!alts) {
		sb_free(&path);
		return;
	}
	fprintf(out, "\n  byte lanes of the union at %llu%s%s%s (%zu members, one column per byte):\n",
		(unsigned long long)offset, *where ? " ('" : "", where, *where ? "')" : "",
		u->nr_members);
	if (u->nr_members > EXPLAIN_MAX_MEMBERS)
		fprintf(out, "    (the lanes of the first %d members are drawn, %zu are not)\n",
			EXPLAIN_MAX_MEMBERS, u->nr_members - EXPLAIN_MAX_MEMBERS);
	for (uint64_t row = offset; row < offset + u->size; row += lane) {
		uint64_t end = row + lane < offset + u->size ? row + lane : offset + u->size;
		struct strbuf lines[EXPLAIN_MAX_MEMBERS], shapes[EXPLAIN_MAX_MEMBERS];
		size_t nalt = u->nr_members < EXPLAIN_MAX_MEMBERS ? u->nr_members : EXPLAIN_MAX_MEMBERS;
		bool differ = false;

		for (size_t a = 0; a < nalt; a++) {
			struct strbuf prev, cur;

			sb_init(&lines[a]);
			sb_init(&shapes[a]);
			sb_init(&prev);
			sb_addc(&lines[a], '|');
			uint64_t seg = row;

			for (uint64_t b = row; b <= end; b++) {
				sb_init(&cur);
				if (b < end)
					byte_label(&alts[a], b, &cur);
				bool boundary = b == end || b == row ||
						strcmp(sb_str(&cur), sb_str(&prev)) || !cur.len;

				/* the shape: where scalars start, what is covered, not their names */
				if (b < end)
					sb_addc(&shapes[a], !cur.len ? '.' : boundary ? '[' : '-');
				if (b > row && boundary) {
					int width = (int)(b - seg) * 9 - 1;
					const char *lab = prev.len ? sb_str(&prev) : ".";

					sb_addf(&lines[a], "%-*.*s|", width, width, lab);
					seg = b;
				}
				sb_free(&prev);
				prev = cur;
			}
			sb_free(&prev);
		}
		/* the same widths at the same places under other names is no difference */
		for (size_t a = 1; a < nalt; a++)
			if (strcmp(sb_str(&shapes[a]), sb_str(&shapes[0])))
				differ = true;
		for (size_t a = 0; a < nalt; a++)
			sb_free(&shapes[a]);
		if (!differ) {
			same++;
		} else if (printed < 32) {
			if (same)
				fprintf(out, "    (%llu rows above lay out the same widths in every member)\n",
					(unsigned long long)same);
			same = 0;
			fprintf(out, "    %6llu ", (unsigned long long)row);
			for (uint64_t b = row; b < end; b++)
				fprintf(out, " +%-7llu", (unsigned long long)(b - row));
			fputc('\n', out);
			for (size_t a = 0; a < nalt; a++)
				fprintf(out, "    %6s %s\n", "", sb_str(&lines[a]));
			printed++;
		} else if (printed++ == 32) {
			fprintf(out, "    ... more rows differ\n");
		}
		for (size_t a = 0; a < nalt; a++)
			sb_free(&lines[a]);
	}
	if (same)
		fprintf(out, "    (%llu rows lay out the same widths in every member)\n",
			(unsigned long long)same);
	for (size_t i = 0; i < u->nr_members; i++)
		an_runs_free(&alts[i]);
	free(alts);
	sb_free(&path);
}

static void explain_unions(FILE *out, struct walk *w, const struct mtc_type *t, uint64_t offset,
			   struct strbuf *path, int depth)
{
	if (depth > EXPLAIN_MAX_DEPTH) {
		fprintf(out, "\n  (records nested more than %d deep in '%s' are not drawn)\n",
			EXPLAIN_MAX_DEPTH, sb_str(path));
		return;
	}
	if (t->kind == MTC_KIND_UNION)
		explain_union(out, w, t, offset, sb_str(path));
	for (size_t i = 0; i < t->nr_members; i++) {
		const struct mtc_member *mb = &t->members[i];
		const struct mtc_type *mt = mb->type;
		size_t len = path->len;

		while (mt && mt->kind == MTC_KIND_ARRAY)
			mt = mt->element;
		if (mb->bit_size || !mt || !mtc_kind_is_record(mt->kind))
			continue;
		an_add_member_name(path, mb->name);
		if (mb->type != mt)
			sb_add(path, "[0]");
		explain_unions(out, w, mt, offset + mb->offset, path, depth + 1);
		sb_truncate(path, len);
	}
}

void mtc_explain(FILE *out, const struct mtc_model *m, const struct mtc_type *record)
{
	const struct mtc_target *t = mtc_model_target(m);
	struct walk w = { .model = m, .endian = t->endian, .root = record };
	struct strbuf path;

	fprintf(out, "%s: %llu bytes (%s%s%s-endian, %u-bit pointers)\n",
		record->name, (unsigned long long)record->size,
		t->triple[0] ? t->triple : "", t->triple[0] ? ", " : "",
		mtc_endian_name(t->endian), t->pointer_bits);
	fprintf(out, "  %6s  %8s  %-30s %s\n", "offset", "size", "member", "type");
	sb_init(&path);
	explain_members(out, record, 0, 0, &path, 0);
	sb_truncate(&path, 0);
	explain_unions(out, &w, record, 0, &path, 0);
	sb_free(&path);
	sb_free(&w.view);
	free(w.nested);
	free(w.nested_shapes);
}

