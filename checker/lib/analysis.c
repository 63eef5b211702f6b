// SPDX-License-Identifier: MIT
/*
 * The overlap analysis.
 *
 * Positions are handled in "allocation bits": bit 8 * byte for whole
 * scalars, and the allocation-order bit offset for bitfields.  In that
 * numbering the significance of a narrow scalar inside a wide one has one
 * closed form for both byte orders (see value_shift()), so bitfields and
 * bytes need no separate code.
 *
 * Arrays are not expanded into leaves.  A leaf "run" is one scalar repeated
 * at a fixed stride (the outermost array on its path, with any arrays of
 * scalars below it folded in); overlapping instances are found by division,
 * and wide instances that overlap alike are counted, not reported one by
 * one.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "mtcheck/analysis.h"
#include "strbuf.h"

#define MAX_DIMS 8
#define PLACEHOLDER '\x01'

struct leaf_run {
	const struct mtc_type *type;	/* the scalar */
	char *path_fmt;			/* PLACEHOLDER where the run's indexes go */
	uint64_t dims[MAX_DIMS];	/* counts of the folded arrays, outermost first */
	unsigned nr_dims;
	uint64_t alloc;			/* allocation bit of instance 0, from the named record */
	uint64_t stride;		/* bits between instances */
	uint64_t count;
	uint32_t bits;			/* width */
	bool bitfield;
	bool in_char_array;
	const struct mtc_member *decl;	/* declaration inside the named record, for locations */
	/*
	 * Which alternatives of nested unions the leaf sits in: "id:alt/"
	 * per union on its path.  Leaves whose views diverge can never hold
	 * values at the same time, so they are not reported together.
	 */
	char *view;
};

struct run_list {
	struct leaf_run *v;
	size_t n, cap;
};

struct walk {
	const struct mtc_model *model;
	const struct mtc_analysis_conf *conf;
	enum mtc_endian endian;
	const struct mtc_type *root;
	struct mtc_findings *out;
	int added;
	int err;
	struct strbuf view;	/* the view of the leaves being collected */
	unsigned next_union;	/* ids for nested unions met while collecting */
};

static void runs_free(struct run_list *l)
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

static void add_member_name(struct strbuf *path, const char *name)
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
	unsigned union_id = t->kind == MTC_KIND_UNION ? w->next_union++ : 0;

	for (size_t i = 0; i < t->nr_members && !w->err; i++) {
		const struct mtc_member *mb = &t->members[i];
		const struct mtc_member *d = in_scope ? mb : decl;
		size_t len = path->len, view_len = w->view.len;

		if (t->kind == MTC_KIND_UNION)
			sb_addf(&w->view, "%u:%zu/", union_id, i);

		if (mb->bit_size) {
			uint64_t alloc = mtc_bitfield_allocation(w->endian, mb->bit_offset,
								 mb->bit_size);

			add_member_name(path, mb->name);
			/* unnamed bitfields are padding: nothing reads them */
			if (mb->name && mb->type && mtc_kind_is_scalar(mb->type->kind))
				emit(w, out, mb->type, offset * 8 + alloc, mb->bit_size, true,
				     path, &rc, d);
		} else {
			add_member_name(path, mb->name);
			collect(w, out, mb->type, offset + mb->offset, path, rc, d, in_scope);
		}
		sb_truncate(path, len);
		sb_truncate(&w->view, view_len);
	}
}

/* Path of instance @i of @r, the run's indexes filled in. */
static char *instance_path(const struct leaf_run *r, uint64_t i)
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

/* One narrow instance over one wide instance. */
struct hit {
	size_t run;		/* index into the narrow run list */
	uint64_t instance;
	int64_t rel;		/* allocation bits from the wide instance's first bit */
};

struct family {
	struct hit *hits;
	size_t nr_hits;
	uint64_t first;		/* wide instance */
	uint64_t count;
	uint64_t hash;
};

struct family_set {
	struct family *v;
	size_t n, cap;
	/* the families the instance being analysed fell into */
	size_t touched[8];
	size_t nr_touched;	/* > 8: too many to remember */
};

static uint64_t signature_hash(const struct hit *h, size_t n)
{
	uint64_t x = 1469598103934665603ull;

	for (size_t i = 0; i < n; i++) {
		x = (x ^ h[i].run) * 1099511628211ull;
		x = (x ^ (uint64_t)h[i].rel) * 1099511628211ull;
	}
	return x;
}

static bool same_signature(const struct family *f, const struct hit *h, size_t n)
{
	if (f->nr_hits != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (f->hits[i].run != h[i].run || f->hits[i].rel != h[i].rel)
			return false;
	return true;
}

/*
 * Bits of the wide value a narrow scalar lands in.  A narrow scalar of
 * @wn bits, @rel allocation bits into a wide one of @ww bits, has its value
 * bit i at wide value bit rel + i on little-endian and ww - rel - wn + i on
 * big-endian.  The two agree only when the narrow one sits in the middle
 * (2 rel + wn == ww).
 */
static int64_t value_shift(enum mtc_endian e, int64_t rel, uint32_t wn, uint32_t ww)
{
	return e == MTC_ENDIAN_LITTLE ? rel : (int64_t)ww - rel - (int64_t)wn;
}

static void value_range(enum mtc_endian e, int64_t rel, uint32_t wn, uint32_t ww,
			uint32_t *lo, uint32_t *hi)
{
	int64_t s = value_shift(e, rel, wn, ww);
	int64_t a = s < 0 ? 0 : s, b = s + wn > ww ? ww : s + wn;

	*lo = (uint32_t)a;
	*hi = (uint32_t)(b > a ? b : a);
}

/*
 * The value the wide scalar reads, most significant first: "0x" and two
 * characters per byte when everything is whole bytes, "0b" and one per bit
 * when bitfields take part.  Each narrow scalar is drawn with its letter
 * (AA, BB, ...), bytes no narrow scalar writes as "??".
 */
static char *picture(enum mtc_endian e, const struct leaf_run *wide,
		     const struct leaf_run *runs, const struct hit *hits, size_t n)
{
	uint32_t ww = wide->bits;
	bool bits = wide->bitfield || ww % 8;
	struct strbuf sb;

	for (size_t i = 0; i < n; i++)
		if (runs[hits[i].run].bitfield || hits[i].rel % 8)
			bits = true;
	sb_init(&sb);
	sb_add(&sb, bits ? "0b" : "0x");
	uint32_t unit = bits ? 1 : 8;

	for (uint32_t v = ww / unit; v-- > 0;) {
		/* allocation bit (from the wide start) holding value bit v * unit */
		int64_t a = e == MTC_ENDIAN_LITTLE ? (int64_t)v * unit
						   : (int64_t)ww - (int64_t)(v + 1) * unit;
		char c = '?';

		for (size_t i = 0; i < n; i++) {
			uint32_t wn = runs[hits[i].run].bits;

			if (a >= hits[i].rel && a < hits[i].rel + (int64_t)wn) {
				c = mtc_picture_label(i);
				break;
			}
		}
		sb_addc(&sb, c);
		if (!bits)
			sb_addc(&sb, c);
	}
	return sb_detach(&sb);
}


static void set_loc(struct mtc_location *dst, const struct mtc_member *decl)
{
	memset(dst, 0, sizeof(*dst));
	if (decl) {
		*dst = decl->loc;
		if (decl->loc.file)
			dst->file = strdup(decl->loc.file);
	}
}

static int fill_leaf(struct walk *w, struct mtc_leaf *l, const struct leaf_run *r,
		     uint64_t instance)
{
	uint64_t alloc = r->alloc + instance * r->stride;

	l->path = instance_path(r, instance);
	l->type = strdup(r->type->name ? r->type->name : "?");
	if (!l->path || !l->type)
		return -ENOMEM;
	l->kind = r->type->kind;
	l->size = r->type->size;
	l->offset = alloc / 8;
	if (r->bitfield) {
		l->bit_size = r->bits;
		l->bit_offset = mtc_bitfield_physical(w->endian, alloc, r->bits);
	}
	l->in_char_array = r->in_char_array;
	set_loc(&l->loc, r->decl);
	return 0;
}

static bool allowed_in_source(const struct leaf_run *wide, const struct leaf_run *runs,
			      const struct hit *hits, size_t n)
{
	if (wide->decl && wide->decl->allow_reason)
		return true;
	for (size_t i = 0; i < n; i++) {
		const struct mtc_member *d = runs[hits[i].run].decl;

		if (d && d->allow_reason)
			return true;
	}
	return false;
}

static void report_family(struct walk *w, const struct leaf_run *wide,
			  const struct run_list *nl, const struct family *fam)
{
	uint32_t ww = wide->bits;
	struct mtc_overlap_facts facts = {
		.wide_kind = wide->type->kind,
		.wide_bitfield = wide->bitfield,
		.byte_array = true,
	};
	int64_t covered = 0, reach = 0;

	/*
	 * Narrow scalars of one member overlap each other only through nested
	 * unions; count each wide bit once.  The hits are sorted by position,
	 * so covering is one pass over merged intervals.
	 */
	for (size_t i = 0; i < fam->nr_hits; i++) {
		const struct leaf_run *r = &nl->v[fam->hits[i].run];
		int64_t a = fam->hits[i].rel, b = a + (int64_t)r->bits;

		if (a < reach)
			a = reach;
		if (b > (int64_t)ww)
			b = ww;
		if (b > a) {
			covered += b - a;
			reach = b;
		}
		facts.narrow_kinds |= 1u << r->type->kind;
		if (r->bitfield)
			facts.narrow_bitfield = true;
		if (!r->in_char_array)
			facts.byte_array = false;
	}
	facts.partial = covered < (int64_t)ww;
	if (allowed_in_source(wide, nl->v, fam->hits, fam->nr_hits))
		return;
	if (w->root->allow_reason)
		return;

	enum mtc_severity sev;
	const struct mtc_rule *rule = mtc_classify(w->conf->rules, w->conf->config, &facts, &sev);

	if (!rule || sev == MTC_SEV_NONE)
		return;

	struct mtc_finding *f = calloc(1, sizeof(*f));
	int err = -ENOMEM;

	if (!f)
		goto fail;
	f->narrow = calloc(fam->nr_hits, sizeof(*f->narrow));
	f->targets = calloc(1, sizeof(*f->targets));
	f->rule_id = strdup(rule->id);
	f->rule_name = strdup(rule->name);
	f->record = strdup(w->root->name);
	f->frontend = strdup(mtc_model_frontend(w->model));
	f->input = strdup(mtc_model_input(w->model));
	if (!f->narrow || !f->targets || !f->rule_id || !f->rule_name || !f->record ||
	    !f->frontend || !f->input)
		goto fail;
	f->severity = sev;
	f->nr_targets = 1;
	f->targets[0] = *mtc_model_target(w->model);
	f->instances = fam->count;
	f->partial = facts.partial;
	f->byte_array = facts.byte_array;
	f->narrow_bitfield = facts.narrow_bitfield;
	if ((err = fill_leaf(w, &f->wide, wide, fam->first)))
		goto fail;
	f->nr_narrow = fam->nr_hits;
	for (size_t i = 0; i < fam->nr_hits; i++) {
		const struct hit *h = &fam->hits[i];
		const struct leaf_run *r = &nl->v[h->run];
		struct mtc_leaf *l = &f->narrow[i];

		if ((err = fill_leaf(w, l, r, h->instance)))
			goto fail;
		value_range(MTC_ENDIAN_LITTLE, h->rel, r->bits, ww, &l->le_lo, &l->le_hi);
		value_range(MTC_ENDIAN_BIG, h->rel, r->bits, ww, &l->be_lo, &l->be_hi);
	}
	err = -ENOMEM;
	f->little_endian = picture(MTC_ENDIAN_LITTLE, wide, nl->v, fam->hits, fam->nr_hits);
	f->big_endian = picture(MTC_ENDIAN_BIG, wide, nl->v, fam->hits, fam->nr_hits);
	if (!f->little_endian || !f->big_endian)
		goto fail;
	bool oom = false;

	f->common_prefix = mtc_common_prefix(f->narrow, f->nr_narrow, &oom);
	if (oom)
		goto fail;
	/* the warning goes on the overlaying member, the note on the wide one */
	f->loc = f->narrow[0].loc;
	f->loc.file = f->loc.file ? strdup(f->loc.file) : NULL;
	if (f->narrow[0].loc.file && !f->loc.file)
		goto fail;
	if (w->conf->config && mtc_config_allows(w->conf->config, f)) {
		mtc_finding_free(f);
		return;
	}
	err = mtc_findings_add(w->out, f);
	if (err < 0) {
		f = NULL;	/* freed by the list */
		goto fail;
	}
	w->added += err;
	return;
fail:
	mtc_finding_free(f);
	w->err = err;
}

static int cmp_hit(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	if (x->rel != y->rel)
		return x->rel < y->rel ? -1 : 1;
	return x->run < y->run ? -1 : x->run > y->run;
}

static uint64_t div_floor(int64_t a, uint64_t b)
{
	/* a may be negative: floor toward minus infinity, clamped at 0 below */
	if (a < 0)
		return 0;
	return (uint64_t)a / b;
}

/* Count instance @i of the wide run under the family of its hits. */
static int record_family(struct family_set *fs, struct hit *hits, size_t nh, uint64_t i)
{
	qsort(hits, nh, sizeof(*hits), cmp_hit);
	uint64_t hsh = signature_hash(hits, nh);

	for (size_t k = 0; k < fs->n; k++)
		if (fs->v[k].hash == hsh && same_signature(&fs->v[k], hits, nh)) {
			fs->v[k].count++;
			if (fs->nr_touched < 8)
				fs->touched[fs->nr_touched] = k;
			fs->nr_touched++;
			return 0;
		}
	if (fs->n == fs->cap) {
		size_t ncap = fs->cap ? fs->cap * 2 : 8;
		struct family *nv = realloc(fs->v, ncap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		fs->v = nv;
		fs->cap = ncap;
	}
	struct family *fam = &fs->v[fs->n];

	fam->hits = malloc(nh * sizeof(*hits));
	if (!fam->hits)
		return -ENOMEM;
	memcpy(fam->hits, hits, nh * sizeof(*hits));
	fam->nr_hits = nh;
	fam->first = i;
	fam->count = 1;
	fam->hash = hsh;
	if (fs->nr_touched < 8)
		fs->touched[fs->nr_touched] = fs->n;
	fs->nr_touched++;
	fs->n++;
	return 0;
}

static bool any_dependent(const struct leaf_run *P, const struct run_list *nl,
			  const struct hit *hits, size_t nh)
{
	for (size_t k = 0; k < nh; k++)
		if (2 * hits[k].rel + (int64_t)nl->v[hits[k].run].bits != (int64_t)P->bits)
			return true;
	return false;
}

/* "3:1/7:0/" -> {3,1},{7,0}: which alternative of which nested union. */
struct choice {
	unsigned id, alt;
};

#define MAX_CHOICES 8		/* nested unions on one leaf's path that are told apart */
#define MAX_VIEW_UNIONS 16	/* nested unions among the hits on one wide scalar */
#define MAX_COMBINATIONS 256

static size_t parse_view(const char *v, struct choice *out)
{
	size_t n = 0;

	while (*v && n < MAX_CHOICES) {
		char *end;

		out[n].id = (unsigned)strtoul(v, &end, 10);
		if (*end != ':')
			break;
		out[n].alt = (unsigned)strtoul(end + 1, &end, 10);
		n++;
		v = *end == '/' ? end + 1 : end;
	}
	return n;
}

/*
 * Split the hits on one wide instance into views: leaves in different
 * alternatives of a nested union (in6_u.u6_addr8[0] and in6_u.u6_addr16[0])
 * never hold values together, so each combination of alternatives is its
 * own overlay.  Two leaves belong together when they pick the same
 * alternative of every nested union they both sit in; leaves outside nested
 * unions belong to every view.
 */
static int group_views(struct walk *w, struct family_set *fs, const struct leaf_run *P,
		       const struct run_list *nl, struct hit *hits, size_t nh, uint64_t i,
		       struct hit **scratch, size_t *scratch_cap)
{
	struct choice (*views)[MAX_CHOICES] = NULL;
	size_t *nviews = NULL;
	unsigned ids[MAX_VIEW_UNIONS], alts[MAX_VIEW_UNIONS][MAX_COMBINATIONS];
	size_t nids = 0, nalts[MAX_VIEW_UNIONS] = {0}, combos = 1;
	unsigned char *sets = NULL;	/* membership of each kept combination */
	size_t nsets = 0;
	bool any = false, too_many = false;
	int ret = 0;

	for (size_t k = 0; k < nh && !any; k++)
		any = nl->v[hits[k].run].view[0] != '\0';
	if (!any) {
		if (any_dependent(P, nl, hits, nh) && (ret = record_family(fs, hits, nh, i)))
			w->err = ret;
		return ret;
	}
	views = malloc(nh * sizeof(*views));
	nviews = malloc(nh * sizeof(*nviews));
	if (!views || !nviews)
		goto oom;
	/* the nested unions met, and the alternatives the hits use in each */
	for (size_t k = 0; k < nh; k++) {
		nviews[k] = parse_view(nl->v[hits[k].run].view, views[k]);
		for (size_t c = 0; c < nviews[k]; c++) {
			size_t u = 0, a = 0;

			while (u < nids && ids[u] != views[k][c].id)
				u++;
			if (u == nids) {
				if (nids == MAX_VIEW_UNIONS) {
					too_many = true;
					continue;
				}
				ids[nids++] = views[k][c].id;
			}
			while (a < nalts[u] && alts[u][a] != views[k][c].alt)
				a++;
			if (a == nalts[u])
				alts[u][nalts[u]++] = views[k][c].alt;
		}
	}
	for (size_t u = 0; u < nids && !too_many; u++) {
		combos *= nalts[u];
		if (combos > MAX_COMBINATIONS)
			too_many = true;
	}
	if (too_many)
		combos = 1;	/* too many to tell apart: report them together */
	sets = calloc(combos, nh);
	if (!sets)
		goto oom;
	for (size_t c = 0; c < combos; c++) {
		unsigned char *set = sets + nsets * nh;
		size_t r = c, members = 0;
		unsigned pick[MAX_VIEW_UNIONS];

		for (size_t u = 0; u < nids; u++) {
			pick[u] = alts[u][too_many ? 0 : r % nalts[u]];
			r /= nalts[u] ? nalts[u] : 1;
		}
		for (size_t k = 0; k < nh; k++) {
			bool fits = true;

			for (size_t v = 0; v < nviews[k] && fits && !too_many; v++)
				for (size_t u = 0; u < nids; u++)
					if (ids[u] == views[k][v].id && pick[u] != views[k][v].alt)
						fits = false;
			set[k] = fits;
			members += fits;
		}
		/* keep each distinct set once, and only the largest of nested ones */
		bool drop = !members;

		for (size_t o = 0; o < nsets && !drop; o++) {
			const unsigned char *other = sets + o * nh;
			bool sub = true, super = true;

			for (size_t k = 0; k < nh; k++) {
				if (set[k] && !other[k])
					sub = false;
				if (other[k] && !set[k])
					super = false;
			}
			if (sub)
				drop = true;
			else if (super)
				memset(sets + o * nh, 0, nh);	/* emptied: skipped below */
		}
		if (!drop)
			nsets++;
	}
	if (*scratch_cap < nh) {
		struct hit *n = realloc(*scratch, nh * sizeof(*n));

		if (!n)
			goto oom;
		*scratch = n;
		*scratch_cap = nh;
	}
	for (size_t o = 0; o < nsets && !ret; o++) {
		size_t n = 0;

		for (size_t k = 0; k < nh; k++)
			if (sets[o * nh + k])
				(*scratch)[n++] = hits[k];
		if (n && any_dependent(P, nl, *scratch, n))
			ret = record_family(fs, *scratch, n, i);
	}
	free(sets);
	free(views);
	free(nviews);
	if (ret)
		w->err = ret;
	return ret;
oom:
	free(sets);
	free(views);
	free(nviews);
	return w->err = -ENOMEM;
}

/*
 * Skipping alike array elements.  Where a wide run's element lies wholly
 * inside every narrow run it meets (or wholly outside it), the narrow
 * elements it overlaps repeat with a period of L wide elements, L the
 * least common multiple of stride_q / gcd(stride_p, stride_q); so once L
 * elements of such a stretch are analysed, the rest of the stretch only
 * adds to their families' counts.  The state of a wide element against a
 * narrow run only grows along the array (below, entering, inside,
 * leaving, above), so a stretch ends where a binary search says.
 */
enum { Q_BELOW, Q_ENTERING, Q_INSIDE, Q_LEAVING, Q_ABOVE };

#define MAX_PERIOD 4096

bool mtc_analysis_skipping = true;

static int q_state(const struct leaf_run *P, const struct leaf_run *Q, uint64_t i)
{
	uint64_t ws = P->alloc + i * P->stride, we = ws + P->bits;
	uint64_t q_end = Q->alloc + (Q->count - 1) * Q->stride + Q->bits;

	if (we <= Q->alloc)
		return Q_BELOW;
	if (ws >= q_end)
		return Q_ABOVE;
	if (Q->count == 1)
		return Q_ENTERING;
	/* no narrow element it overlaps is before the first or after the last */
	bool from_first = (int64_t)(ws + 1) - (int64_t)Q->bits - (int64_t)Q->alloc >
			  -(int64_t)Q->stride;
	bool to_last = we - 1 - Q->alloc < Q->count * Q->stride;

	if (from_first && to_last)
		return Q_INSIDE;
	return from_first ? Q_LEAVING : Q_ENTERING;
}

/* The last element from @i on whose state against @Q is still @state. */
static uint64_t last_in_state(const struct leaf_run *P, const struct leaf_run *Q, uint64_t i,
			      int state)
{
	uint64_t lo = i, hi = P->count - 1;

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo + 1) / 2;

		if (q_state(P, Q, mid) == state)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

static uint64_t gcd64(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/* The period of the overlaps of @P's elements, 0 when none is worth using. */
static uint64_t overlap_period(const struct leaf_run *P, const struct run_list *nl,
			       const size_t *cand, size_t nc)
{
	uint64_t L = 1;

	if (!mtc_analysis_skipping || P->count < 4 || !P->stride)
		return 0;
	for (size_t c = 0; c < nc; c++) {
		const struct leaf_run *Q = &nl->v[cand[c]];

		if (Q->count == 1)
			continue;
		uint64_t lq = Q->stride / gcd64(P->stride, Q->stride);

		L = L / gcd64(L, lq) * lq;
		if (L > MAX_PERIOD)
			return 0;
	}
	return L;
}

/* Wide scalars of @wl against narrower scalars of @nl. */
static void overlay(struct walk *w, const struct run_list *wl, unsigned wi_alt,
		    const struct run_list *nl, unsigned ni_alt)
{
	struct hit *hits = NULL;
	size_t cap = 0;
	struct family_set fs = {0};
	struct hit *scratch = NULL;
	size_t scratch_cap = 0;
	int *state = NULL;
	struct ring_slot {
		size_t fam[8];
		size_t n;
	} *ring = NULL;
	size_t *cand = malloc((nl->n ? nl->n : 1) * sizeof(*cand));

	if (!cand) {
		w->err = -ENOMEM;
		return;
	}
	for (size_t p = 0; p < wl->n && !w->err; p++) {
		const struct leaf_run *P = &wl->v[p];
		uint64_t p_end = P->alloc + (P->count - 1) * P->stride + P->bits;
		size_t nc = 0;

		for (size_t q = 0; q < nl->n; q++) {
			const struct leaf_run *Q = &nl->v[q];
			uint64_t q_end = Q->alloc + (Q->count - 1) * Q->stride + Q->bits;

			if (Q->bits > P->bits || Q->alloc >= p_end || q_end <= P->alloc)
				continue;
			cand[nc++] = q;
		}
		if (!nc)
			continue;
		fs.n = 0;
		/* the stretch of alike elements, and the families of its last L */
		uint64_t L = overlap_period(P, nl, cand, nc), stretch = 0;
		bool ring_ok = false;

		if (L && (!(state = realloc(state, nc * sizeof(*state))) ||
			  !(ring = realloc(ring, L * sizeof(*ring))))) {
			w->err = -ENOMEM;
			goto out;
		}
		for (uint64_t i = 0; i < P->count && !w->err; i++) {
			uint64_t ws = P->alloc + i * P->stride, we = ws + P->bits;
			size_t nh = 0;
			bool alike = L > 0;

			for (size_t c = 0; c < nc && L; c++) {
				int st = q_state(P, &nl->v[cand[c]], i);

				if (i == 0 || st != state[c]) {
					state[c] = st;
					stretch = i;
					ring_ok = true;
				}
				if (st == Q_ENTERING || st == Q_LEAVING)
					alike = false;
			}
			fs.nr_touched = 0;

			for (size_t c = 0; c < nc; c++) {
				const struct leaf_run *Q = &nl->v[cand[c]];
				uint64_t j0, j1;

				if (Q->count == 1) {
					j0 = 0;
					j1 = 0;
				} else {
					j0 = ws + 1 > Q->alloc + Q->bits
						     ? div_floor((int64_t)(ws + 1 - Q->bits - Q->alloc) +
									 (int64_t)Q->stride - 1,
								 Q->stride)
						     : 0;
					j1 = div_floor((int64_t)we - 1 - (int64_t)Q->alloc, Q->stride);
					if (j1 >= Q->count)
						j1 = Q->count - 1;
				}
				for (uint64_t j = j0; j <= j1; j++) {
					uint64_t qs = Q->alloc + j * Q->stride;

					if (qs >= we || qs + Q->bits <= ws)
						continue;
					/* the same bits read as the same type width: not an overlay */
					if (Q->bits == P->bits && (qs == ws || wi_alt > ni_alt))
						continue;
					if (nh == cap) {
						size_t ncap = cap ? cap * 2 : 16;
						struct hit *nhp = realloc(hits, ncap * sizeof(*nhp));

						if (!nhp) {
							w->err = -ENOMEM;
							goto out;
						}
						hits = nhp;
						cap = ncap;
					}
					int64_t rel = (int64_t)qs - (int64_t)ws;

					hits[nh++] = (struct hit){ cand[c], j, rel };
				}
			}
			if (nh && group_views(w, &fs, P, nl, hits, nh, i, &scratch, &scratch_cap))
				goto out;
			if (!alike)
				continue;
			struct ring_slot *slot = &ring[(i - stretch) % L];

			if (fs.nr_touched > 8)
				ring_ok = false;
			slot->n = fs.nr_touched;
			memcpy(slot->fam, fs.touched, (fs.nr_touched <= 8 ? fs.nr_touched : 0) *
							      sizeof(*slot->fam));
			if (!ring_ok || i + 1 - stretch < L)
				continue;
			/* L alike elements seen: count the rest of the stretch */
			uint64_t end = P->count - 1;

			for (size_t c = 0; c < nc; c++) {
				uint64_t e = last_in_state(P, &nl->v[cand[c]], i, state[c]);

				if (e < end)
					end = e;
			}
			if (end <= i)
				continue;
			uint64_t m = end - i, base = (i + 1 - stretch) % L;

			for (uint64_t r = 0; r < L; r++) {
				uint64_t n = m / L + ((r + L - base) % L < m % L ? 1 : 0);

				for (size_t k = 0; k < ring[r].n; k++)
					fs.v[ring[r].fam[k]].count += n;
			}
			i = end;
		}
		for (size_t k = 0; k < fs.n && !w->err; k++)
			report_family(w, P, nl, &fs.v[k]);
		for (size_t k = 0; k < fs.n; k++)
			free(fs.v[k].hits);
		fs.n = 0;
	}
out:
	for (size_t k = 0; k < fs.n; k++)
		free(fs.v[k].hits);
	free(fs.v);
	free(hits);
	free(scratch);
	free(state);
	free(ring);
	free(cand);
}

static void analyze_union(struct walk *w, const struct mtc_type *u, uint64_t offset,
			  struct strbuf *path, const struct mtc_member *decl, bool in_scope)
{
	if (u->order == MTC_ORDER_FIXED || u->allow_reason || u->nr_members < 2)
		return;
	struct run_list *alts = calloc(u->nr_members, sizeof(*alts));

	if (!alts) {
		w->err = -ENOMEM;
		return;
	}
	for (size_t i = 0; i < u->nr_members && !w->err; i++) {
		const struct mtc_member *mb = &u->members[i];
		size_t len = path->len;
		struct run_ctx rc = {0};

		add_member_name(path, mb->name);
		if (mb->bit_size) {
			if (mb->name && mb->type && mtc_kind_is_scalar(mb->type->kind))
				emit(w, &alts[i], mb->type,
				     offset * 8 + mtc_bitfield_allocation(w->endian, mb->bit_offset,
									  mb->bit_size),
				     mb->bit_size, true, path, &rc, in_scope ? mb : decl);
		} else {
			collect(w, &alts[i], mb->type, offset + mb->offset, path, rc,
				in_scope ? mb : decl, in_scope);
		}
		sb_truncate(path, len);
	}
	for (size_t a = 0; a < u->nr_members && !w->err; a++)
		for (size_t b = 0; b < u->nr_members && !w->err; b++)
			if (a != b && alts[a].n && alts[b].n)
				overlay(w, &alts[a], (unsigned)a, &alts[b], (unsigned)b);
	for (size_t i = 0; i < u->nr_members; i++)
		runs_free(&alts[i]);
	free(alts);
}

/*
 * Find the unions of a named record: the record itself, and anonymous
 * records below it.  Named record types are roots of their own, and a
 * union inside an array of records is looked at in element 0 only, so
 * that each is reported once per type.
 */
static void find_unions(struct walk *w, const struct mtc_type *t, uint64_t offset,
			struct strbuf *path)
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
		analyze_union(w, t, offset, path, NULL, true);
	for (size_t i = 0; i < t->nr_members && !w->err; i++) {
		const struct mtc_member *mb = &t->members[i];
		const struct mtc_type *mt = mb->type;

		while (mt && mt->kind == MTC_KIND_ARRAY)
			mt = mt->element;
		if (mb->bit_size || !mt || !mtc_kind_is_record(mt->kind) || mt->name)
			continue;
		size_t len = path->len;

		add_member_name(path, mb->name);
		find_unions(w, mb->type, offset + mb->offset, path);
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
	bool found = !conf->only_type;

	sb_init(&path);
	for (size_t i = 0; i < mtc_model_nr_records(m) && !w.err; i++) {
		const struct mtc_type *r = mtc_model_record_at(m, i);

		if (conf->only_type && !mtc_name_matches(r->name, conf->only_type))
			continue;
		found = true;
		w.root = r;
		sb_truncate(&path, 0);
		find_unions(&w, r, 0, &path);
	}
	sb_free(&path);
	sb_free(&w.view);
	if (w.err)
		return mtc_error_set(err, w.err, "%s: analysis failed: %s", mtc_model_input(m),
				     strerror(-w.err));
	if (!found)
		return mtc_error_set(err, -ENOENT, "%s: no record named '%s'", mtc_model_input(m),
				     conf->only_type);
	return w.added;
}

/* --explain: the record as a table, then the byte lanes of its unions. */

static void explain_members(FILE *out, const struct mtc_type *t, uint64_t base, int indent,
			    struct strbuf *path, int depth)
{
	for (size_t i = 0; i < t->nr_members; i++) {
		const struct mtc_member *mb = &t->members[i];
		const struct mtc_type *ty = mb->type;
		size_t len = path->len;
		uint64_t off = base + mb->offset;

		add_member_name(path, mb->name);
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
			char *p = instance_path(r, i);

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
	struct run_list *alts = calloc(u->nr_members, sizeof(*alts));
	struct strbuf path;
	uint64_t same = 0;
	unsigned printed = 0;

	if (!alts)
		return;
	sb_init(&path);
	for (size_t i = 0; i < u->nr_members; i++) {
		const struct mtc_member *mb = &u->members[i];
		struct run_ctx rc = {0};

		sb_truncate(&path, 0);
		sb_add(&path, where);
		add_member_name(&path, mb->name);
		if (mb->bit_size)
			emit(w, &alts[i], mb->type,
			     offset * 8 + mtc_bitfield_allocation(w->endian, mb->bit_offset, mb->bit_size),
			     mb->bit_size, true, &path, &rc, NULL);
		else
			collect(w, &alts[i], mb->type, offset + mb->offset, &path, rc, NULL, false);
	}
	fprintf(out, "\n  byte lanes of the union at %llu%s%s%s (%zu members, one column per byte):\n",
		(unsigned long long)offset, *where ? " ('" : "", where, *where ? "')" : "",
		u->nr_members);
	for (uint64_t row = offset; row < offset + u->size; row += lane) {
		uint64_t end = row + lane < offset + u->size ? row + lane : offset + u->size;
		struct strbuf lines[64], shapes[64];
		size_t nalt = u->nr_members < 64 ? u->nr_members : 64;
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
		runs_free(&alts[i]);
	free(alts);
	sb_free(&path);
}

static void explain_unions(FILE *out, struct walk *w, const struct mtc_type *t, uint64_t offset,
			   struct strbuf *path, int depth)
{
	if (depth > 8)
		return;
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
		add_member_name(path, mb->name);
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
}
