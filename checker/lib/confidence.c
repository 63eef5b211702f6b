// SPDX-License-Identifier: MIT
/*
 * Confidence: how sure a finding is to be a byte-order hazard, and the
 * evidence that decided it (docs/confidence.md has the rules in words).
 *
 * Every overlay the analysis finds is a fact; this stage weighs it with
 * what else the layout model (and, where positions are known, the source
 * file) says about the union: a tag beside it, alternatives that are
 * differently shaped, padding, lifetime reuse, a byte-order conditional,
 * or the opposite, a narrow alternative that repeats the wide one's
 * members up to the overlay, so that both are live at once.
 *
 * The first rule that holds decides, in this order:
 *   low   byte-order  the narrow members sit in a byte-order conditional
 *   low   reuse       one side is rcu_head and the like
 *   low   tag         a tag member beside the union (or mirrored inside it)
 *   low   twin        the two members are laid out alike (struct_group)
 *   high  mirrored    the members before the overlay are repeated by type
 *   low   padding     the narrow members are padding or char arrays, or
 *                     the wide one is padding
 *   low   alternatives  three or more differently shaped members, in the union,
 *                     or in a union inside a member holding the wide scalar
 *                     or all the narrow ones
 *   medium view       none of these: untagged views of one value
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analysis_internal.h"
#include "internal.h"

/* ---- names ---------------------------------------------------------- */

/* Words of a member name, split at '_' and digits, compared lowercased. */
static bool name_has_word(const char *name, const char *const *words, bool type_suffix)
{
	const char *p = name;

	while (*p) {
		while (*p && (*p == '_' || (*p >= '0' && *p <= '9')))
			p++;
		const char *start = p;

		while (*p && *p != '_' && !(*p >= '0' && *p <= '9'))
			p++;
		size_t n = (size_t)(p - start);
		char word[32];

		if (!n || n >= sizeof(word))
			continue;
		for (size_t i = 0; i < n; i++)
			word[i] = (char)(start[i] >= 'A' && start[i] <= 'Z' ? start[i] + 32 : start[i]);
		word[n] = '\0';
		for (size_t i = 0; words[i]; i++)
			if (!strcmp(word, words[i]))
				return true;
		/* subtype, ftype, msgtype */
		if (type_suffix && n > 4 && !strcmp(word + n - 4, "type"))
			return true;
	}
	return false;
}

/* A name that says it selects an alternative (docs/confidence.md). */
static bool tag_name(const char *name)
{
	static const char *const words[] = {
		"type", "kind", "tag", "op", "opc", "opcode", "cmd", "command", "code", "id",
		"format", "fmt", "mode", "reason", "which", NULL,
	};

	return name && name_has_word(name, words, true);
}

static bool word_sep(char c)
{
	return c == '_' || (c >= '0' && c <= '9');
}

/*
 * A name that says nothing reads it: its last word is pad, reserved,
 * dummy, ... (__reserved2, rsvd_1, _si_pad; not pad_len), or it is
 * __align, a member that only aligns (a plain "align" may hold a value).
 */
static bool padding_name(const char *name, size_t len)
{
	static const char *const words[] = {
		"pad", "padding", "reserved", "rsvd", "resv", "rsv", "unused", "dummy", "spare",
		"filler", NULL,
	};
	bool underscore = len && *name == '_';
	char buf[32];

	while (len && word_sep(name[len - 1]))
		len--;
	size_t start = len;

	while (start && !word_sep(name[start - 1]))
		start--;
	len -= start;
	if (!len || len >= sizeof(buf))
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = name[start + i];

		buf[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	buf[len] = '\0';
	for (size_t i = 0; words[i]; i++)
		if (!strcmp(buf, words[i]))
			return true;
	/* the whole name, underscores aside */
	for (size_t i = 0; i < start; i++)
		if (name[i] != '_')
			return false;
	return underscore && !strcmp(buf, "align");
}

/* Some component of @path ("u.__reserved[3]") is a padding name. */
static bool padding_path(const char *path)
{
	while (*path) {
		size_t n = strcspn(path, ".[");

		if (n && padding_name(path, n))
			return true;
		path += n;
		if (*path == '[')
			path += strcspn(path, "]");
		if (*path)
			path++;
	}
	return false;
}

/* Records whose members hold memory only until it is freed or queued. */
static bool reuse_type(const struct mtc_type *t)
{
	static const char *const names[] = {
		"rcu_head", "callback_head", "llist_node", "list_head", "work_struct", NULL,
	};

	if (!t || !t->name || t->kind != MTC_KIND_STRUCT)
		return false;
	const char *n = t->name;

	if (!strncmp(n, "struct ", 7))
		n += 7;
	for (size_t i = 0; names[i]; i++)
		if (!strcmp(n, names[i]))
			return true;
	return false;
}

static const struct mtc_type *strip_arrays(const struct mtc_type *t)
{
	while (t && t->kind == MTC_KIND_ARRAY)
		t = t->element;
	return t;
}

/* ---- evidence ------------------------------------------------------- */

static int ev_set(struct mtc_evidence *e, enum mtc_evidence_kind kind, const char *member,
		  const char *other, const char *record, uint64_t count,
		  const struct mtc_location *loc)
{
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->count = count;
	e->member = member ? strdup(member) : NULL;
	e->other = other ? strdup(other) : NULL;
	e->record = record ? strdup(record) : NULL;
	if (loc) {
		e->loc = *loc;
		e->loc.handle = 0;
		e->loc.file = loc->file ? strdup(loc->file) : NULL;
	}
	if ((member && !e->member) || (other && !e->other) || (record && !e->record) ||
	    (loc && loc->file && !e->loc.file))
		return -ENOMEM;
	return 0;
}

static void ev_clear(struct mtc_evidence *e)
{
	free(e->member);
	free(e->other);
	free(e->record);
	free((char *)e->loc.file);
	memset(e, 0, sizeof(*e));
}

static int ev_copy(struct mtc_evidence *dst, const struct mtc_evidence *src)
{
	return ev_set(dst, src->kind, src->member, src->other, src->record, src->count,
		      src->loc.file || src->loc.line ? &src->loc : NULL);
}

/* ---- tags ----------------------------------------------------------- */

/*
 * A tag among the members of @rec other than @skip (the member holding the
 * union): a scalar of enum type, or one named like a tag; anonymous
 * structs in @rec are looked through.  Fills @e (path from @prefix).
 */
static int find_tag(const struct mtc_type *rec, const struct mtc_type *skip, const char *prefix,
		    const char *record, struct mtc_evidence *e, int depth)
{
	struct strbuf path;
	int found = 0;

	if (!rec || depth > 4)
		return 0;
	sb_init(&path);
	for (int pass = 0; pass < 2 && !found; pass++)
		for (size_t i = 0; i < rec->nr_members && !found; i++) {
			const struct mtc_member *mb = &rec->members[i];
			const struct mtc_type *t = mb->type;

			if (!t || strip_arrays(t) == skip)
				continue;
			sb_truncate(&path, 0);
			sb_add(&path, prefix);
			an_add_member_name(&path, mb->name);
			if (!mb->name && t->kind == MTC_KIND_STRUCT) {
				if (pass == 1)
					found = find_tag(t, skip, sb_str(&path), record, e, depth + 1);
				continue;
			}
			if (!mb->name || !mtc_kind_is_scalar(t->kind) || t->kind == MTC_KIND_POINTER ||
			    t->kind == MTC_KIND_FUNC_POINTER || t->kind == MTC_KIND_FLOAT)
				continue;
			/* enums first (pass 0), then names (pass 1) */
			if (pass == 0 && t->kind == MTC_KIND_ENUM)
				found = ev_set(e, MTC_EV_TAG_ENUM, sb_str(&path), t->name, record, 0,
					       &mb->loc) ? -ENOMEM : 1;
			else if (pass == 1 && tag_name(mb->name))
				found = ev_set(e, MTC_EV_TAG_NAME, sb_str(&path), t->name, record, 0,
					       &mb->loc) ? -ENOMEM : 1;
		}
	if (path.oom && found >= 0)
		found = -ENOMEM;
	sb_free(&path);
	return found;
}

/* Named unions that some record holds beside a tag, found once per model. */
struct tag_index {
	struct tag_entry {
		const struct mtc_type *u;
		struct mtc_evidence ev;
	} *v;
	size_t n, cap;
};

static int cmp_entry(const void *a, const void *b)
{
	const struct tag_entry *x = a, *y = b;

	return x->u < y->u ? -1 : x->u > y->u;
}

static int index_record(struct tag_index *ix, const struct mtc_type *rec, const char *record,
			int depth)
{
	if (depth > 8)
		return 0;
	for (size_t i = 0; i < rec->nr_members; i++) {
		const struct mtc_type *t = strip_arrays(rec->members[i].type);

		if (!t || !mtc_kind_is_record(t->kind) || rec->members[i].bit_size)
			continue;
		if (!t->name) {
			int ret = index_record(ix, t, record, depth + 1);

			if (ret)
				return ret;
			continue;
		}
		if (t->kind != MTC_KIND_UNION)
			continue;
		struct mtc_evidence ev;
		int found = find_tag(rec, t, "", record, &ev, 0);

		if (found < 0) {
			ev_clear(&ev);
			return found;
		}
		if (!found)
			continue;
		if (ix->n == ix->cap) {
			size_t cap = ix->cap ? ix->cap * 2 : 64;
			struct tag_entry *v = realloc(ix->v, cap * sizeof(*v));

			if (!v) {
				ev_clear(&ev);
				return -ENOMEM;
			}
			ix->v = v;
			ix->cap = cap;
		}
		ix->v[ix->n].u = t;
		ix->v[ix->n++].ev = ev;
	}
	return 0;
}

static int tag_index_build(struct walk *w)
{
	struct tag_index *ix = calloc(1, sizeof(*ix));

	if (!ix)
		return -ENOMEM;
	w->tags = ix;
	for (size_t i = 0; i < mtc_model_nr_records(w->model); i++) {
		const struct mtc_type *r = mtc_model_record_at(w->model, i);
		int ret = index_record(ix, r, r->name, 0);

		if (ret)
			return ret;
	}
	/* the first record found for each union wins: a stable sort keeps it */
	for (size_t i = 1; i < ix->n; i++) {
		struct tag_entry e = ix->v[i];
		size_t j = i;

		while (j > 0 && cmp_entry(&ix->v[j - 1], &e) > 0) {
			ix->v[j] = ix->v[j - 1];
			j--;
		}
		ix->v[j] = e;
	}
	return 0;
}

static void tag_index_free(struct tag_index *ix)
{
	if (!ix)
		return;
	for (size_t i = 0; i < ix->n; i++)
		ev_clear(&ix->v[i].ev);
	free(ix->v);
	free(ix);
}

/* The tag that selects the union's alternative, once per union. */
static int union_tag(struct walk *w, const struct mtc_evidence **out)
{
	struct union_state *us = &w->cur;

	*out = NULL;
	if (!us->tag_done) {
		us->tag_done = true;
		if (us->container) {
			char *prefix = strndup(us->path, us->container_path_len);
			int found = prefix ? find_tag(us->container, us->unit, prefix, NULL,
						      &us->tag, 0) : -ENOMEM;

			free(prefix);
			if (found < 0)
				return found;
			us->has_tag = found > 0;
		} else if (us->unit == w->root) {
			if (!w->tags) {
				int ret = tag_index_build(w);

				if (ret)
					return ret;
			}
			struct tag_entry key = { .u = us->unit };
			const struct tag_entry *e = w->tags->n ? bsearch(&key, w->tags->v,
									 w->tags->n, sizeof(key),
									 cmp_entry)
							       : NULL;

			/* bsearch may land on any equal entry: step back to the first */
			while (e && e > w->tags->v && e[-1].u == us->unit)
				e--;
			if (e) {
				if (ev_copy(&us->tag, &e->ev))
					return -ENOMEM;
				us->has_tag = true;
			}
		}
	}
	if (us->has_tag)
		*out = &us->tag;
	return 0;
}

/* ---- shapes and reuse ------------------------------------------------ */

#define MAX_SHAPES 16	/* differently shaped members are counted up to this many */

/* The next word of a type's spelling that is not a qualifier, and its length. */
static const char *spelling_word(const char *s, size_t *len)
{
	for (;;) {
		while (*s == ' ')
			s++;
		size_t n = *s == '*' || *s == '(' || *s == ')' || *s == '[' || *s == ']'
				   ? 1 : strcspn(s, " *()[]");

		if ((n == 5 && !strncmp(s, "const", 5)) || (n == 8 && !strncmp(s, "volatile", 8)) ||
		    (n == 8 && !strncmp(s, "restrict", 8))) {
			s += n;
			continue;
		}
		*len = n;
		return s;
	}
}

/* Pointers to the same type, qualifiers aside ("const T *" and "T *"). */
static bool same_pointee(const struct mtc_type *a, const struct mtc_type *b)
{
	if (a == b)
		return true;
	if (!a->name || !b->name)
		return !a->name && !b->name;
	const char *p = a->name, *q = b->name;

	for (;;) {
		size_t m, n;

		p = spelling_word(p, &m);
		q = spelling_word(q, &n);
		if (m != n || strncmp(p, q, m))
			return false;
		if (!m)
			return true;
		p += m;
		q += n;
	}
}

/*
 * Scalars laid out alike: positions, widths, bitfields, and for pointers
 * what they point to, since pointers to different types hold different
 * kinds of object (alternatives), not views of one value.
 */
static bool same_shape(const struct run_list *a, const struct run_list *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++) {
		const struct leaf_run *x = &a->v[i], *y = &b->v[i];

		if (x->alloc != y->alloc || x->bits != y->bits || x->count != y->count ||
		    (x->count > 1 && x->stride != y->stride) || x->bitfield != y->bitfield)
			return false;
		bool xp = x->type && (x->type->kind == MTC_KIND_POINTER ||
				      x->type->kind == MTC_KIND_FUNC_POINTER);
		bool yp = y->type && (y->type->kind == MTC_KIND_POINTER ||
				      y->type->kind == MTC_KIND_FUNC_POINTER);

		if (xp != yp || (xp && !same_pointee(x->type, y->type)))
			return false;
	}
	return true;
}

/* Differently shaped members of union @u: each one unlike every one before it. */
static unsigned count_shapes(const struct mtc_type *u, const struct run_list *alts)
{
	unsigned shapes = 0;

	for (size_t a = 0; a < u->nr_members && shapes < MAX_SHAPES; a++) {
		bool seen = !alts[a].n;

		for (size_t b = 0; b < a && !seen; b++)
			seen = alts[b].n && same_shape(&alts[a], &alts[b]);
		shapes += !seen;
	}
	return shapes;
}

/* Differently shaped members of the nested union with id @id, worked out once. */
static unsigned nested_shapes(struct walk *w, unsigned id)
{
	if (id < w->nested_base || id - w->nested_base >= w->nr_nested)
		return 0;
	size_t i = id - w->nested_base;

	if (w->nested_shapes[i])
		return w->nested_shapes[i] - 1;
	const struct mtc_type *u = w->nested[i];
	struct strbuf path;

	/* its members' runs from offset 0: shapes are relative */
	sb_init(&path);
	struct run_list *alts = an_union_alternatives(w, u, 0, &path, NULL, false);
	unsigned shapes = alts ? count_shapes(u, alts) : 0;

	for (size_t k = 0; alts && k < u->nr_members; k++)
		an_runs_free(&alts[k]);
	free(alts);
	sb_free(&path);
	w->nested_shapes[i] = shapes + 1;
	return shapes;
}

/*
 * The most differently shaped union, nested in the narrow member, that
 * holds narrow leaf @r: its shapes (0 when the leaf is in none).
 */
static unsigned leaf_nested_shapes(struct walk *w, const struct leaf_run *r)
{
	unsigned best = 0;

	for (const char *p = r->view; p && *p;) {
		char *end;
		unsigned long id = strtoul(p, &end, 10);

		if (end == p || *end != ':')
			break;
		unsigned s = nested_shapes(w, (unsigned)id);

		if (s > best)
			best = s;
		p = strchr(end, '/');
		if (p)
			p++;
	}
	return best;
}

void an_union_begin(struct walk *w, const struct mtc_type *u, const struct run_list *alts,
		    const struct mtc_type *container, const char *path, size_t container_path_len)
{
	struct union_state *us = &w->cur;

	an_union_end(w);
	us->unit = u;
	us->alts = alts;
	us->container = container;
	us->container_path_len = container_path_len;
	us->path = strdup(path);
	if (!us->path)
		w->err = -ENOMEM;
	us->shapes = count_shapes(u, alts);
}

void an_union_end(struct walk *w)
{
	free(w->cur.path);
	ev_clear(&w->cur.tag);
	memset(&w->cur, 0, sizeof(w->cur));
}

/*
 * Union member @alt when it is lifetime reuse: of a reuse type, or a
 * struct with a member of one (anonymous structs looked through).  Fills
 * @e with the member's path and type.
 */
static int alt_reuse(struct walk *w, unsigned alt, struct mtc_evidence *e)
{
	const struct mtc_member *am = &w->cur.unit->members[alt];
	const struct mtc_type *t = strip_arrays(am->type);
	struct strbuf path;
	const struct mtc_member *hit = NULL;
	const struct mtc_type *stack[4];
	size_t sp = 0;

	if (!t)
		return 0;
	sb_init(&path);
	sb_add(&path, w->cur.path);
	an_add_member_name(&path, am->name);
	if (reuse_type(t)) {
		hit = am;
	} else if (t->kind == MTC_KIND_STRUCT) {
		stack[sp++] = t;
		while (sp && !hit) {
			const struct mtc_type *r = stack[--sp];

			for (size_t i = 0; i < r->nr_members && !hit; i++) {
				const struct mtc_member *mb = &r->members[i];
				const struct mtc_type *mt = strip_arrays(mb->type);

				if (reuse_type(mt)) {
					hit = mb;
					an_add_member_name(&path, mb->name);
				} else if (!mb->name && mt && mt->kind == MTC_KIND_STRUCT && !mt->name &&
					   sp < 4) {
					stack[sp++] = mt;
				}
			}
		}
	}
	int ret = 0;

	if (hit)
		ret = ev_set(e, MTC_EV_REUSE, sb_str(&path), strip_arrays(hit->type)->name, NULL, 0,
			     &hit->loc) || path.oom ? -ENOMEM : 1;
	sb_free(&path);
	return ret;
}

/* ---- co-live -------------------------------------------------------- */

/* The same kind of value: pointers and integers of one width are one word. */
static bool same_family(const struct leaf_run *a, const struct leaf_run *b)
{
	enum mtc_kind x = a->type->kind, y = b->type->kind;
	bool xf = x == MTC_KIND_FLOAT, yf = y == MTC_KIND_FLOAT;

	return a->bits == b->bits && !a->bitfield && !b->bitfield && xf == yf;
}

struct span {
	uint64_t lo, hi;	/* instance indexes [lo, hi) */
	size_t q;
	uint64_t qi;		/* the matching instance of q at lo */
};

static int cmp_span(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Last path component of a leaf run, without indexes: "type" for "hdr.type". */
static void last_name(const struct leaf_run *r, struct strbuf *sb)
{
	const char *p = strrchr(r->path_fmt, '.');

	p = p ? p + 1 : r->path_fmt;
	sb_truncate(sb, 0);
	sb_addn(sb, p, strcspn(p, "["));
}

/*
 * Does the narrow alternative repeat, by width and kind, every scalar of
 * the wide alternative that lies wholly before bit @s (the wide scalar's
 * first allocation bit)?  1 with @e filled (or a tag among the repeated
 * members in @tag), 0 when not, or -ENOMEM.
 */
static bool same_type_name(const struct leaf_run *a, const struct leaf_run *b)
{
	return a->type == b->type ||
	       (a->type->name && b->type->name && !strcmp(a->type->name, b->type->name));
}

/* No scalar of either member starts at or after bit @end: the overlay is their tail. */
static bool at_tail(const struct walk *w, uint64_t end)
{
	const struct run_list *l[2] = { &w->cur.alts[w->cur.wide_alt],
					&w->cur.alts[w->cur.narrow_alt] };

	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < l[k]->n; i++) {
			const struct leaf_run *r = &l[k]->v[i];

			if (r->alloc + (r->count - 1) * r->stride >= end)
				return false;
		}
	return true;
}

static int mirrored(struct walk *w, uint64_t s, struct mtc_evidence *e, struct mtc_evidence *tag)
{
	const struct run_list *W = &w->cur.alts[w->cur.wide_alt];
	const struct run_list *N = &w->cur.alts[w->cur.narrow_alt];
	struct span *sp = malloc((N->n ? N->n : 1) * sizeof(*sp));
	uint64_t matched = 0, first = UINT64_MAX;
	const struct leaf_run *fw = NULL, *fn = NULL;
	uint64_t fwi = 0, fni = 0;
	int ret = 1;
	bool exact = true;
	struct strbuf name;

	if (!sp)
		return -ENOMEM;
	sb_init(&name);
	for (size_t r = 0; r < W->n && ret == 1; r++) {
		const struct leaf_run *R = &W->v[r];

		if (R->alloc + R->bits > s)
			continue;
		/* instances of R wholly before s */
		uint64_t k = R->count == 1 || !R->stride ? 1
				 : (s - R->alloc - R->bits) / R->stride + 1;

		if (k > R->count)
			k = R->count;
		size_t ns = 0;

		for (size_t q = 0; q < N->n; q++) {
			const struct leaf_run *Q = &N->v[q];
			uint64_t lo, n;

			if (!same_family(R, Q))
				continue;
			if (R->count == 1) {
				/* one scalar: some instance of Q at its place */
				if (Q->alloc > R->alloc)
					continue;
				uint64_t d = R->alloc - Q->alloc;
				uint64_t j = Q->count == 1 || !Q->stride ? 0 : d / Q->stride;

				if (j >= Q->count || Q->alloc + j * Q->stride != R->alloc)
					continue;
				sp[ns++] = (struct span){ 0, 1, q, j };
				continue;
			}
			if (Q->count == 1) {
				if (Q->alloc < R->alloc || (Q->alloc - R->alloc) % R->stride)
					continue;
				lo = (Q->alloc - R->alloc) / R->stride;
				n = 1;
			} else {
				if (Q->stride != R->stride)
					continue;
				if (Q->alloc >= R->alloc) {
					if ((Q->alloc - R->alloc) % R->stride)
						continue;
					lo = (Q->alloc - R->alloc) / R->stride;
					n = Q->count;
				} else {
					if ((R->alloc - Q->alloc) % R->stride)
						continue;
					uint64_t skip = (R->alloc - Q->alloc) / R->stride;

					if (skip >= Q->count)
						continue;
					sp[ns++] = (struct span){ 0, Q->count - skip, q, skip };
					continue;
				}
			}
			sp[ns++] = (struct span){ lo, lo + n, q, 0 };
		}
		qsort(sp, ns, sizeof(*sp), cmp_span);
		uint64_t reach = 0;

		for (size_t i = 0; i < ns && reach < k; i++)
			if (sp[i].lo <= reach && sp[i].hi > reach) {
				if (reach == 0 && R->alloc < first) {
					first = R->alloc;
					fw = R;
					fwi = 0;
					fn = &N->v[sp[i].q];
					fni = sp[i].qi;
				}
				reach = sp[i].hi;
				if (!same_type_name(R, &N->v[sp[i].q]))
					exact = false;
			}
		if (reach < k) {
			ret = 0;
			break;
		}
		matched += k;
		/* a tag among the repeated members: the common initial sequence is tagged */
		if (!tag->kind) {
			last_name(R, &name);
			if (R->type->kind == MTC_KIND_ENUM || tag_name(sb_str(&name))) {
				char *p = an_instance_path(R, 0);

				if (!p || ev_set(tag, R->type->kind == MTC_KIND_ENUM ? MTC_EV_TAG_ENUM
										: MTC_EV_TAG_NAME,
						 p, R->type->name, NULL, 0,
						 R->decl ? &R->decl->loc : NULL))
					ret = -ENOMEM;
				free(p);
			}
		}
	}
	free(sp);
	sb_free(&name);
	if (ret != 1 || !matched)
		return ret < 0 ? ret : 0;
	char *np = an_instance_path(fn, fni), *wp = an_instance_path(fw, fwi);

	if (!np || !wp || ev_set(e, exact ? MTC_EV_MIRRORED_TYPES : MTC_EV_MIRRORED, np, wp, NULL, matched,
				 fn->decl ? &fn->decl->loc : NULL))
		ret = -ENOMEM;
	free(np);
	free(wp);
	return ret;
}

/* ---- byte-order conditionals in the source --------------------------- */

/*
 * A narrow leaf declared inside a byte-order conditional.  The leaf's own
 * declaration decides, also when it sits in a named record declared
 * elsewhere (struct icmpv6_nd_advt inside icmp6hdr), whose position the
 * finding does not show.
 */
static int byte_order(struct walk *w, const struct run_list *nl, const struct family *fam,
		      const struct mtc_finding *f, struct mtc_evidence *e)
{
	for (size_t i = 0; i < f->nr_narrow; i++) {
		const struct leaf_run *r = i < fam->nr_hits ? &nl->v[fam->hits[i].run] : NULL;
		const struct mtc_location *locs[2] = {
			r && r->inner && r->inner != r->decl ? &r->inner->loc : NULL,
			&f->narrow[i].loc,
		};

		for (size_t j = 0; j < 2; j++) {
			const struct mtc_location *loc = locs[j];

			if (!loc || !loc->file || !loc->line)
				continue;
			size_t n = 0;
			const struct source_region *v = an_source_regions(&w->sources, loc->file, &n);

			for (size_t k = 0; k < n; k++) {
				if (loc->line > v[k].start && loc->line < v[k].end) {
					struct mtc_location at = { .file = loc->file, .line = v[k].if_line };

					return ev_set(e, MTC_EV_BYTE_ORDER, f->narrow[i].path, v[k].macro,
						      NULL, 0, &at) ? -ENOMEM : 1;
				}
			}
		}
	}
	return 0;
}

/* ---- the decision ---------------------------------------------------- */

void an_confidence_free(struct walk *w)
{
	an_union_end(w);
	free(w->nested);
	free(w->nested_shapes);
	w->nested = NULL;
	w->nested_shapes = NULL;
	w->nr_nested = w->nested_cap = 0;
	tag_index_free(w->tags);
	w->tags = NULL;
	an_source_cache_free(w->sources);
	w->sources = NULL;
}

static int decide(struct walk *w, const struct leaf_run *wide, const struct run_list *nl,
		  const struct family *fam, struct mtc_finding *f, struct mtc_evidence *e, size_t *nr)
{
	const struct mtc_evidence *tag;
	struct mtc_evidence intag = { 0 };
	int ret;

	f->confidence = MTC_CONF_LOW;
	if ((ret = byte_order(w, nl, fam, f, e)))
		return ret;
	if ((ret = alt_reuse(w, w->cur.wide_alt, e)) || (ret = alt_reuse(w, w->cur.narrow_alt, e)))
		return ret;
	if ((ret = union_tag(w, &tag)))
		return ret;
	if (tag)
		return ev_copy(e, tag) ? -ENOMEM : 1;
	/* twins mirror everything; the overlay is an inner union's, seen twice */
	if (same_shape(&w->cur.alts[w->cur.wide_alt], &w->cur.alts[w->cur.narrow_alt]))
		return ev_set(e, MTC_EV_TWIN, f->narrow[0].path, f->wide.path, NULL, 0, NULL)
			       ? -ENOMEM : 1;
	uint64_t s = wide->alloc + fam->first * wide->stride;

	ret = mirrored(w, s, e, &intag);
	if (ret < 0 || (ret && intag.kind)) {
		ev_clear(e);
		*e = intag;
		return ret;
	}
	ev_clear(&intag);
	/*
	 * Co-live only when the overlaid scalar is an element of an array whose
	 * earlier elements the narrow side repeats (void *pad[15] beside
	 * slot[0..14]): data stashed in the unused end of live data.  A
	 * repeated prefix before a lone scalar is the common initial sequence
	 * of alternatives (C11 6.5.2.3), which says nothing of co-liveness.
	 */
	if (ret && !(wide->count > 1 && fam->first > 0)) {
		ev_clear(e);
		ret = 0;
	}
	if (ret) {
		f->confidence = MTC_CONF_HIGH;
		if (at_tail(w, s + wide->bits)) {
			*nr = 2;
			return ev_set(&e[1], MTC_EV_TAIL, NULL, NULL, NULL, 0, NULL) ? -ENOMEM : 1;
		}
		return 1;
	}
	/* only padding, or only char arrays, on the narrow side */
	size_t pad = SIZE_MAX, chars = SIZE_MAX;
	bool all = true;

	for (size_t i = 0; i < f->nr_narrow && all; i++) {
		if (padding_path(f->narrow[i].path)) {
			if (pad == SIZE_MAX)
				pad = i;
		} else if (f->narrow[i].in_char_array) {
			if (chars == SIZE_MAX)
				chars = i;
		} else {
			all = false;
		}
	}
	if (all && f->nr_narrow) {
		size_t i = pad != SIZE_MAX ? pad : chars;

		return ev_set(e, pad != SIZE_MAX ? MTC_EV_PADDING : MTC_EV_CHAR_ARRAY,
			      f->narrow[i].path, NULL, NULL, 0, NULL) ? -ENOMEM : 1;
	}
	/* nothing reads the wide scalar: count 1 says it is the wide side */
	if (padding_path(f->wide.path))
		return ev_set(e, MTC_EV_PADDING, f->wide.path, NULL, NULL, 1, NULL) ? -ENOMEM : 1;
	if (w->cur.shapes >= 3)
		return ev_set(e, MTC_EV_ALTERNATIVES, NULL, NULL, NULL, w->cur.shapes, NULL)
			       ? -ENOMEM : 1;
	/*
	 * The wide scalar, or every narrow scalar, is one alternative of a
	 * union inside its member that has three or more shapes (struct
	 * page's, seen through folio): which of them holds data, something
	 * else says.
	 */
	unsigned wide_shapes = leaf_nested_shapes(w, wide), least = MAX_SHAPES;

	if (w->err)
		return w->err;
	if (wide_shapes >= 3)
		return ev_set(e, MTC_EV_ALTERNATIVES, f->wide.path, NULL, NULL, wide_shapes, NULL)
			       ? -ENOMEM : 1;

	for (size_t i = 0; i < f->nr_narrow && i < fam->nr_hits && least >= 3; i++) {
		unsigned sh = leaf_nested_shapes(w, &nl->v[fam->hits[i].run]);

		if (w->err)
			return w->err;
		if (sh < least)
			least = sh;
	}
	if (f->nr_narrow && fam->nr_hits >= f->nr_narrow && least >= 3)
		return ev_set(e, MTC_EV_ALTERNATIVES, f->narrow[0].path, NULL, NULL, least, NULL)
			       ? -ENOMEM : 1;
	f->confidence = MTC_CONF_MEDIUM;
	return ev_set(e, MTC_EV_VIEW, NULL, NULL, NULL, 0, NULL) ? -ENOMEM : 1;
}

int an_confidence(struct walk *w, const struct leaf_run *wide, const struct run_list *nl,
		  const struct family *fam, struct mtc_finding *f)
{
	struct mtc_evidence e[2] = { 0 };
	size_t nr = 1;
	int ret = decide(w, wide, nl, fam, f, e, &nr);

	if (ret >= 0 && !(f->evidence = calloc(nr, sizeof(*f->evidence))))
		ret = -ENOMEM;
	if (ret < 0) {
		ev_clear(&e[0]);
		ev_clear(&e[1]);
		return ret;
	}
	memcpy(f->evidence, e, nr * sizeof(*e));
	f->nr_evidence = nr;
	f->rank = mtc_finding_rank(f);
	return 0;
}
