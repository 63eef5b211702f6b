// SPDX-License-Identifier: MIT
/*
 * The overlap analysis: for every union reachable from a named record, the
 * leaf runs of each member (leaves.c) are swept against each other's
 * (overlap.c), and every family of alike overlaps is classified into a
 * finding (classify.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analysis_internal.h"
#include "internal.h"

/*
 * A union gives at most one finding per alternative, and never fewer than
 * this many: ordinary unions are reported whole, and a union of thousands
 * of members (generated code, a hostile input) gives a report that grows
 * with its size, not with its size squared.
 */
#define UNION_MIN_FINDINGS 256

/*
 * How many alternatives @t holds: the members of every union in it, nested
 * unions included, since each of their members is a view of its own.  The
 * model check bounds how far records expand, so this stays cheap.
 */
static size_t alternatives(const struct mtc_type *t)
{
	size_t n = 0;

	while (t && t->kind == MTC_KIND_ARRAY)
		t = t->element;
	if (!t || !mtc_kind_is_record(t->kind))
		return 0;
	if (t->kind == MTC_KIND_UNION)
		n += t->nr_members;
	for (size_t i = 0; i < t->nr_members; i++)
		n += alternatives(t->members[i].type);
	return n;
}

static void analyze_union(struct walk *w, const struct mtc_type *u, uint64_t offset,
			  struct strbuf *path, const struct mtc_type *container,
			  size_t container_path_len)
{
	if (u->order == MTC_ORDER_FIXED || u->allow_reason || u->nr_members < 2)
		return;
	w->nested_base = w->next_union;
	w->nr_nested = 0;
	struct run_list *alts = an_union_alternatives(w, u, offset, path, NULL, true);

	if (!alts)
		return;
	w->union_found = 0;
	w->union_limit = alternatives(u);
	if (w->union_limit < UNION_MIN_FINDINGS)
		w->union_limit = UNION_MIN_FINDINGS;
	w->union_more = 0;
	w->union_last = NULL;
	an_union_begin(w, u, alts, container, sb_str(path), container_path_len);
	for (size_t a = 0; a < u->nr_members && !w->err; a++)
		for (size_t b = 0; b < u->nr_members && !w->err; b++)
			if (a != b && alts[a].n && alts[b].n) {
				w->cur.wide_alt = (unsigned)a;
				w->cur.narrow_alt = (unsigned)b;
				an_overlay(w, &alts[a], (unsigned)a, &alts[b], (unsigned)b);
			}
	if (w->union_more && w->union_last)
		w->union_last->more_in_union = w->union_more;
	an_union_end(w);
	for (size_t i = 0; i < u->nr_members; i++)
		an_runs_free(&alts[i]);
	free(alts);
}

/*
 * Find the unions of a named record: the record itself, and anonymous
 * records below it.  Named record types are roots of their own, and a
 * union inside an array of records is looked at in element 0 only, so
 * that each is reported once per type.
 */
static void find_unions(struct walk *w, const struct mtc_type *t, uint64_t offset,
			struct strbuf *path, const struct mtc_type *container,
			size_t container_path_len)
{
	if (w->err || !t)
		return;
	while (t->kind == MTC_KIND_ARRAY) {
		if (!t->count || !t->element)
			return;
		sb_add(path, "[0]");
		t = t->element;
	}
	if (!mtc_kind_is_record(t->kind))
		return;
	if (t->kind == MTC_KIND_UNION)
		analyze_union(w, t, offset, path, container, container_path_len);
	for (size_t i = 0; i < t->nr_members && !w->err; i++) {
		const struct mtc_member *mb = &t->members[i];
		const struct mtc_type *mt = mb->type;

		while (mt && mt->kind == MTC_KIND_ARRAY)
			mt = mt->element;
		if (mb->bit_size || !mt || !mtc_kind_is_record(mt->kind) || mt->name)
			continue;
		size_t len = path->len;

		an_add_member_name(path, mb->name);
		find_unions(w, mb->type, offset + mb->offset, path, t, len);
		sb_truncate(path, len);
	}
}

int mtc_analyze(const struct mtc_model *m, const struct mtc_analysis_conf *conf,
		struct mtc_findings *out, struct mtc_error *err)
{
	struct walk w = {
		.model = m,
		.conf = conf,
		.endian = mtc_model_target(m)->endian,
		.out = out,
	};
	struct strbuf path;
	bool found = !conf->only_type && !conf->only_record;

	sb_init(&path);
	for (size_t i = 0; i < mtc_model_nr_records(m) && !w.err; i++) {
		const struct mtc_type *r = mtc_model_record_at(m, i);

		if (conf->only_type && !mtc_name_matches(r->name, conf->only_type))
			continue;
		if (conf->only_record && r != conf->only_record)
			continue;
		found = true;
		w.root = r;
		sb_truncate(&path, 0);
		find_unions(&w, r, 0, &path, NULL, 0);
	}
	sb_free(&path);
	sb_free(&w.view);
	an_confidence_free(&w);
	if (w.err)
		return mtc_error_set(err, w.err, "%s: analysis failed: %s", mtc_model_input(m),
				     strerror(-w.err));
	if (!found && !conf->only_type)
		return mtc_error_set(err, -ENOENT, "%s: the record to analyse is not in the model",
				     mtc_model_input(m));
	if (!found)
		return mtc_error_set(err, -ENOENT, "%s: no record named '%s'", mtc_model_input(m),
				     conf->only_type);
	return w.added;
}

