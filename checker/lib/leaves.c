// SPDX-License-Identifier: MIT
/*
 * Leaf runs: the scalars of one union member.
 *
 * Arrays are not expanded into leaves.  A leaf "run" is one scalar repeated
 * at a fixed stride (the outermost array on its path, with any arrays of
 * scalars below it folded in), so that a union of two arrays of a million
 * elements costs two runs.  Positions are allocation bits (see overlap.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analysis_internal.h"
#include "internal.h"

void an_runs_free(struct run_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].path_fmt);
		free(l->v[i].view);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static struct leaf_run *runs_push(struct walk *w, struct run_list *l)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;
		struct leaf_run *v = realloc(l->v, cap * sizeof(*v));

		if (!v) {
			w->err = -ENOMEM;
			return NULL;
		}
		l->v = v;
		l->cap = cap;
	}
	struct leaf_run *r = &l->v[l->n++];

	memset(r, 0, sizeof(*r));
	return r;
}

void an_add_member_name(struct strbuf *path, const char *name)
{
	if (!name)
		return;	/* anonymous members are transparent */
	if (path->len)
		sb_addc(path, '.');
	sb_add(path, name);
}

/* Run state while descending: the array chosen as the run, if any. */
struct run_ctx {
	bool active;
	uint64_t stride;	/* bytes */
	uint64_t count;
	uint64_t dims[MAX_DIMS];
	unsigned nr_dims;
	bool char_array;
};

static void collect(struct walk *w, struct run_list *out, const struct mtc_type *t,
		    uint64_t offset, struct strbuf *path, struct run_ctx rc,
		    const struct mtc_member *decl, bool in_scope);

static void emit(struct walk *w, struct run_list *out, const struct mtc_type *t,
		 uint64_t alloc, uint32_t bits, bool bitfield, const struct strbuf *path,
		 const struct run_ctx *rc, const struct mtc_member *decl)
{
	if (!bits)
		return;
	struct leaf_run *r = runs_push(w, out);

	if (!r)
		return;
	r->type = t;
	r->path_fmt = strdup(sb_str(path));
	r->view = strdup(sb_str(&w->view));
	if (!r->path_fmt || !r->view) {
		free(r->path_fmt);
		free(r->view);
		out->n--;
		w->err = -ENOMEM;
		return;
	}
	r->alloc = alloc;
	r->bits = bits;
	r->bitfield = bitfield;
	r->decl = decl;
	r->inner = w->inner;
	r->in_char_array = rc->char_array && t->is_char && !bitfield;
	if (rc->active) {
		r->stride = rc->stride * 8;
		r->count = rc->count;
		memcpy(r->dims, rc->dims, sizeof(r->dims));
		r->nr_dims = rc->nr_dims;
	} else {
		r->count = 1;
	}
}

static void collect_array(struct walk *w, struct run_list *out, const struct mtc_type *t,
			  uint64_t offset, struct strbuf *path, struct run_ctx rc,
			  const struct mtc_member *decl, bool in_scope)
{
	const struct mtc_type *el = t->element;

	if (!t->count || !el || !el->size)
		return;
	/*
	 * The outermost array becomes the run, and arrays directly below it
	 * (int a[4][8]) fold into it: their elements are consecutive.  Any
	 * further array below a record is enumerated index by index.
	 */
	bool fold = rc.active && rc.nr_dims < MAX_DIMS && rc.stride == t->size;

	if (!rc.active || fold) {
		if (!rc.active) {
			rc.active = true;
			rc.count = 1;
			rc.nr_dims = 0;
		}
		rc.dims[rc.nr_dims++] = t->count;
		rc.count *= t->count;
		rc.stride = el->size;
		rc.char_array = el->is_char;
		size_t len = path->len;

		sb_addc(path, '[');
		sb_addc(path, PLACEHOLDER);
		sb_addc(path, ']');
		collect(w, out, el, offset, path, rc, decl, in_scope);
		sb_truncate(path, len);
		return;
	}
	rc.char_array = el->is_char;
	for (uint64_t i = 0; i < t->count && !w->err; i++) {
		size_t len = path->len;

		sb_addf(path, "[%llu]", (unsigned long long)i);
		collect(w, out, el, offset + i * el->size, path, rc, decl, in_scope);
		sb_truncate(path, len);
	}
}

static void collect(struct walk *w, struct run_list *out, const struct mtc_type *t,
		    uint64_t offset, struct strbuf *path, struct run_ctx rc,
		    const struct mtc_member *decl, bool in_scope)
{
	if (w->err || !t)
		return;
	if (mtc_kind_is_scalar(t->kind)) {
		emit(w, out, t, offset * 8, (uint32_t)(t->size * 8), false, path, &rc, decl);
		return;
	}
	if (t->kind == MTC_KIND_ARRAY) {
		collect_array(w, out, t, offset, path, rc, decl, in_scope);
		return;
	}
	if (!mtc_kind_is_record(t->kind))
		return;
	/* a named record type is declared elsewhere: locations stop here */
	if (t->name)
		in_scope = false;
	rc.char_array = false;
	unsigned union_id = 0;

	if (t->kind == MTC_KIND_UNION) {
		union_id = w->next_union++;
		if (an_nested_add(w, t))
			return;
	}

	for (size_t i = 0; i < t->nr_members && !w->err; i++) {
		const struct mtc_member *mb = &t->members[i];
		const struct mtc_member *d = in_scope ? mb : decl;
		size_t len = path->len, view_len = w->view.len;

		w->inner = mb;

		if (t->kind == MTC_KIND_UNION)
			sb_addf(&w->view, "%u:%zu/", union_id, i);

		if (mb->bit_size) {
			uint64_t alloc = mtc_bitfield_allocation(w->endian, mb->bit_offset,
								 mb->bit_size);

			an_add_member_name(path, mb->name);
			/* unnamed bitfields are padding: nothing reads them */
			if (mb->name && mb->type && mtc_kind_is_scalar(mb->type->kind))
				emit(w, out, mb->type, offset * 8 + alloc, mb->bit_size, true,
				     path, &rc, d);
		} else {
			an_add_member_name(path, mb->name);
			collect(w, out, mb->type, offset + mb->offset, path, rc, d, in_scope);
		}
		sb_truncate(path, len);
		sb_truncate(&w->view, view_len);
	}
}

int an_nested_add(struct walk *w, const struct mtc_type *u)
{
	if (w->nr_nested == w->nested_cap) {
		size_t cap = w->nested_cap ? w->nested_cap * 2 : 16;
		const struct mtc_type **v = realloc(w->nested, cap * sizeof(*v));
		unsigned *s = v ? realloc(w->nested_shapes, cap * sizeof(*s)) : NULL;

		if (v)
			w->nested = v;
		if (!s) {
			w->err = -ENOMEM;
			return -ENOMEM;
		}
		w->nested_shapes = s;
		w->nested_cap = cap;
	}
	w->nested[w->nr_nested] = u;
	w->nested_shapes[w->nr_nested++] = 0;
	return 0;
}

char *an_instance_path(const struct leaf_run *r, uint64_t i)
{
	uint64_t idx[MAX_DIMS];
	struct strbuf sb;
	unsigned d = 0;

	for (unsigned k = r->nr_dims; k-- > 0;) {
		idx[k] = i % r->dims[k];
		i /= r->dims[k];
	}
	sb_init(&sb);
	for (const char *p = r->path_fmt; *p; p++) {
		if (*p == PLACEHOLDER && d < r->nr_dims)
			sb_addf(&sb, "%llu", (unsigned long long)idx[d++]);
		else
			sb_addc(&sb, *p);
	}
	return sb_detach(&sb);
}


struct run_list *an_union_alternatives(struct walk *w, const struct mtc_type *u, uint64_t offset,
				       struct strbuf *path, const struct mtc_member *decl,
				       bool in_scope)
{
	struct run_list *alts = calloc(u->nr_members ? u->nr_members : 1, sizeof(*alts));

	if (!alts) {
		w->err = -ENOMEM;
		return NULL;
	}
	for (size_t i = 0; i < u->nr_members && !w->err; i++) {
		const struct mtc_member *mb = &u->members[i];
		const struct mtc_member *d = in_scope ? mb : decl;
		size_t len = path->len;
		struct run_ctx rc = {0};

		w->inner = mb;

		an_add_member_name(path, mb->name);
		if (mb->bit_size) {
			/* unnamed bitfields are padding: nothing reads them */
			if (mb->name && mb->type && mtc_kind_is_scalar(mb->type->kind))
				emit(w, &alts[i], mb->type,
				     offset * 8 + mtc_bitfield_allocation(w->endian, mb->bit_offset,
									  mb->bit_size),
				     mb->bit_size, true, path, &rc, d);
		} else {
			collect(w, &alts[i], mb->type, offset + mb->offset, path, rc, d, in_scope);
		}
		sb_truncate(path, len);
	}
	return alts;
}
