// SPDX-License-Identifier: MIT
/* The layout model: types owned by one model, allocated from an arena. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "mtcheck/model.h"

#define ARENA_CHUNK (64 * 1024)

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	_Alignas(16) unsigned char data[];
};

/*
 * What the model keeps about a type beside the public struct mtc_type:
 * every type is allocated as one of these, so the constructors reach it
 * from the public pointer.
 */
struct type_node {
	struct mtc_type type;
	const struct mtc_model *owner;
	size_t cap_members;	/* room in type.members */
	struct mtc_member *members;	/* type.members, writable */
};

static struct type_node *node_of(const struct mtc_type *t)
{
	return (struct type_node *)((char *)t - offsetof(struct type_node, type));
}

struct mtc_model {
	struct mtc_target target;
	const char *input;
	const char *frontend;
	struct arena_chunk *chunks;
	/* every type, so that member arrays can be freed */
	struct mtc_type **types;
	size_t nr_types, cap_types;
	/* named records, the analysis roots */
	struct mtc_type **records;
	size_t nr_records, cap_records;
};

static void *arena_alloc(struct mtc_model *m, size_t size)
{
	struct arena_chunk *c = m->chunks;

	size = (size + 15) & ~(size_t)15;
	if (!c || c->size - c->used < size) {
		size_t want = size > ARENA_CHUNK ? size : ARENA_CHUNK;

		c = malloc(sizeof(*c) + want);
		if (!c)
			return NULL;
		c->size = want;
		c->used = 0;
		c->next = m->chunks;
		m->chunks = c;
	}
	void *p = c->data + c->used;

	c->used += size;
	memset(p, 0, size);
	return p;
}

static int grow(void **v, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap * 2 : 16;

	while (n < need)
		n *= 2;
	void *p = realloc(*v, n * elem);

	if (!p)
		return -ENOMEM;
	*v = p;
	*cap = n;
	return 0;
}

const char *mtc_endian_name(enum mtc_endian e)
{
	return e == MTC_ENDIAN_BIG ? "big" : "little";
}

struct mtc_model *mtc_model_new(const struct mtc_target *target)
{
	struct mtc_model *m = calloc(1, sizeof(*m));

	if (m)
		m->target = *target;
	return m;
}

void mtc_model_free(struct mtc_model *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nr_types; i++)
		free(node_of(m->types[i])->members);
	free(m->types);
	free(m->records);
	while (m->chunks) {
		struct arena_chunk *n = m->chunks->next;

		free(m->chunks);
		m->chunks = n;
	}
	free(m);
}

const struct mtc_target *mtc_model_target(const struct mtc_model *m)
{
	return &m->target;
}

void mtc_model_set_input(struct mtc_model *m, const char *input)
{
	m->input = mtc_model_strdup(m, input);
}

const char *mtc_model_input(const struct mtc_model *m)
{
	return m->input ? m->input : "";
}

void mtc_model_set_frontend(struct mtc_model *m, const char *name)
{
	m->frontend = mtc_model_strdup(m, name);
}

const char *mtc_model_frontend(const struct mtc_model *m)
{
	return m->frontend ? m->frontend : "";
}

const char *mtc_model_strdup(struct mtc_model *m, const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	char *p = arena_alloc(m, n);

	if (p)
		memcpy(p, s, n);
	return p;
}

static struct mtc_type *new_type(struct mtc_model *m, enum mtc_kind kind,
				 const char *name, uint64_t size)
{
	struct type_node *node = arena_alloc(m, sizeof(*node));

	if (!node)
		return NULL;
	struct mtc_type *t = &node->type;

	node->owner = m;
	if (mtc_kind_is_record(kind) &&
	    grow((void **)&m->types, &m->cap_types, m->nr_types + 1, sizeof(*m->types)))
		return NULL;
	t->kind = kind;
	t->size = size;
	if (name) {
		t->name = mtc_model_strdup(m, name);
		if (!t->name)
			return NULL;
	}
	if (mtc_kind_is_record(kind))
		m->types[m->nr_types++] = t;
	return t;
}

struct mtc_type *mtc_model_scalar(struct mtc_model *m, enum mtc_kind kind,
				  const char *name, uint64_t size, bool is_signed)
{
	struct mtc_type *t = new_type(m, kind, name, size);

	if (t) {
		t->is_signed = is_signed;
		t->align = (uint32_t)size;
		t->is_char = kind == MTC_KIND_INT && size == 1;
	}
	return t;
}

struct mtc_type *mtc_model_array(struct mtc_model *m, struct mtc_type *element,
				 uint64_t count)
{
	struct mtc_type *t = new_type(m, MTC_KIND_ARRAY, NULL, element->size * count);

	if (t) {
		t->element = element;
		t->count = count;
		t->align = element->align;
	}
	return t;
}

struct mtc_type *mtc_model_record(struct mtc_model *m, enum mtc_kind kind,
				  const char *name, uint64_t size, uint32_t align)
{
	struct mtc_type *t = new_type(m, kind, name, size);

	if (!t)
		return NULL;
	t->align = align;
	if (name && mtc_model_add_root(m, t))
		return NULL;
	return t;
}

int mtc_model_add_root(struct mtc_model *m, struct mtc_type *record)
{
	if (grow((void **)&m->records, &m->cap_records, m->nr_records + 1, sizeof(*m->records)))
		return -ENOMEM;
	m->records[m->nr_records++] = record;
	return 0;
}

struct mtc_type *mtc_model_opaque(struct mtc_model *m, const char *name, uint64_t size)
{
	return new_type(m, MTC_KIND_OPAQUE, name, size);
}

struct mtc_member *mtc_record_add_member(struct mtc_model *m, struct mtc_type *record,
					 const char *name, struct mtc_type *type,
					 uint64_t offset, uint32_t bit_offset,
					 uint32_t bit_size)
{
	struct type_node *node = node_of(record);

	if (grow((void **)&node->members, &node->cap_members, record->nr_members + 1,
		 sizeof(*node->members)))
		return NULL;
	record->members = node->members;
	struct mtc_member *mb = &node->members[record->nr_members];

	memset(mb, 0, sizeof(*mb));
	if (name && *name) {
		mb->name = mtc_model_strdup(m, name);
		if (!mb->name)
			return NULL;
	}
	mb->type = type;
	mb->bit_size = bit_size;
	if (bit_size) {
		mb->bit_offset = bit_offset;
		/* the lowest-addressed byte it occupies, on either byte order */
		mb->offset = mtc_bitfield_allocation(m->target.endian, bit_offset, bit_size) / 8;
	} else {
		mb->offset = offset;
	}
	record->nr_members++;
	return mb;
}

struct mtc_type *mtc_model_edit_type(struct mtc_model *m, const struct mtc_type *t)
{
	return t && node_of(t)->owner == m ? &node_of(t)->type : NULL;
}

struct mtc_member *mtc_model_edit_member(struct mtc_model *m, const struct mtc_type *record,
					 size_t i)
{
	struct mtc_type *r = mtc_model_edit_type(m, record);

	return r && i < r->nr_members ? &node_of(r)->members[i] : NULL;
}

/*
 * In allocation order a field occupies bits [a, a + size).  On little-endian
 * targets allocation bit a is memory bit a (bit a % 8 of byte a / 8) and the
 * first allocated bit is the least significant.  On big-endian targets
 * allocation starts at the most significant bit of byte 0, so allocation bit
 * a is bit 7 - a % 8 of byte a / 8, and the last allocated bit of a field is
 * its least significant one.
 */
uint32_t mtc_bitfield_physical(enum mtc_endian endian, uint64_t alloc_bit_offset,
			       uint32_t bit_size)
{
	if (endian == MTC_ENDIAN_LITTLE)
		return (uint32_t)alloc_bit_offset;
	uint64_t lsb = alloc_bit_offset + bit_size - 1;

	return (uint32_t)((lsb & ~7ull) | (7 - (lsb & 7)));
}

uint64_t mtc_bitfield_allocation(enum mtc_endian endian, uint32_t physical_bit_offset,
				 uint32_t bit_size)
{
	if (endian == MTC_ENDIAN_LITTLE)
		return physical_bit_offset;
	uint64_t lsb = (physical_bit_offset & ~7u) | (7 - (physical_bit_offset & 7));

	return lsb + 1 - bit_size;
}

size_t mtc_model_nr_records(const struct mtc_model *m)
{
	return m->nr_records;
}

const struct mtc_type *mtc_model_record_at(const struct mtc_model *m, size_t i)
{
	return i < m->nr_records ? m->records[i] : NULL;
}

bool mtc_name_matches(const char *full, const char *want)
{
	if (!strcmp(full, want))
		return true;
	/* "foo" finds "struct foo" and "union foo" */
	const char *sp = strchr(full, ' ');

	return sp && (!strncmp(full, "struct ", 7) || !strncmp(full, "union ", 6)) &&
	       !strcmp(sp + 1, want);
}

const struct mtc_type *mtc_model_find_record(const struct mtc_model *m, const char *name)
{
	for (size_t i = 0; i < m->nr_records; i++)
		if (mtc_name_matches(m->records[i]->name, name))
			return m->records[i];
	return NULL;
}

bool mtc_kind_is_scalar(enum mtc_kind k)
{
	return k <= MTC_KIND_FUNC_POINTER;
}

bool mtc_kind_is_record(enum mtc_kind k)
{
	return k == MTC_KIND_STRUCT || k == MTC_KIND_UNION;
}

static const char *const kind_names[] = {
	[MTC_KIND_INT] = "integer",
	[MTC_KIND_BOOL] = "bool",
	[MTC_KIND_ENUM] = "enum",
	[MTC_KIND_FLOAT] = "float",
	[MTC_KIND_POINTER] = "pointer",
	[MTC_KIND_FUNC_POINTER] = "function-pointer",
};

const char *mtc_kind_name(enum mtc_kind k)
{
	return mtc_names_get(kind_names, 0, MTC_NAMES_LEN(kind_names), k, NULL);
}

int mtc_kind_parse(const char *name, enum mtc_kind *out)
{
	int i = mtc_names_find(kind_names, 0, MTC_NAMES_LEN(kind_names), name);

	if (i < 0)
		return -EINVAL;
	*out = (enum mtc_kind)i;
	return 0;
}

const char *mtc_kind_word(enum mtc_kind k, bool bitfield)
{
	if (bitfield)
		return "bitfield";
	switch (k) {
	case MTC_KIND_POINTER: return "pointer";
	case MTC_KIND_FUNC_POINTER: return "function pointer";
	case MTC_KIND_BOOL: return "_Bool";
	case MTC_KIND_ENUM: return "enum";
	case MTC_KIND_FLOAT: return "floating-point value";
	default: return "integer";
	}
}

/*
 * mtc_model_check: one depth-first walk over by-value containment from
 * every named record.  A type is entered once; what it contributes (how
 * deep it nests, how many members it expands to) is kept in a table keyed
 * by its address, so shared types cost nothing the second time and the
 * walk is linear in the model's size.  A type met again while it is still
 * being walked contains itself.
 */
enum { TYPE_NEW, TYPE_ACTIVE, TYPE_DONE };

struct type_info {
	const struct mtc_type *t;	/* NULL: free slot */
	unsigned char state;
	uint32_t height;		/* records and arrays below it, itself included */
	uint64_t expanded;		/* members below it, saturated above the bound */
};

struct check_frame {
	const struct mtc_type *t;	/* a record or an array */
	const struct mtc_member *mb;	/* the member walked now (records) */
};

struct checker {
	const struct mtc_model *m;
	struct mtc_error *err;
	struct type_info *tab;
	size_t cap, used;
	struct check_frame frames[MTC_MAX_NESTING + 1];
	unsigned depth;
};

static size_t info_slot(const struct checker *c, const struct mtc_type *t)
{
	size_t h = (size_t)(((uintptr_t)t >> 4) * 0x9e3779b97f4a7c15ull);

	for (size_t i = h & (c->cap - 1);; i = (i + 1) & (c->cap - 1))
		if (!c->tab[i].t || c->tab[i].t == t)
			return i;
}

/* The entry for @t, added in state TYPE_NEW; NULL when out of memory. */
static struct type_info *info_of(struct checker *c, const struct mtc_type *t)
{
	if ((c->used + 1) * 2 > c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;
		struct type_info *old = c->tab, *tab = calloc(cap, sizeof(*tab));

		if (!tab)
			return NULL;
		size_t old_cap = c->cap;

		c->tab = tab;
		c->cap = cap;
		for (size_t i = 0; i < old_cap; i++)
			if (old[i].t)
				c->tab[info_slot(c, old[i].t)] = old[i];
		free(old);
	}
	struct type_info *e = &c->tab[info_slot(c, t)];

	if (!e->t) {
		e->t = t;
		c->used++;
	}
	return e;
}

/* How messages name the type of frame @i: its name, or where it sits. */
static void frame_name(const struct checker *c, unsigned i, char *buf, size_t len)
{
	const struct mtc_type *t = c->frames[i].t;

	if (t->name) {
		snprintf(buf, len, "%s", t->name);
		return;
	}
	const char *kind = t->kind == MTC_KIND_UNION ? "union" :
			   t->kind == MTC_KIND_STRUCT ? "struct" : "array";

	while (i-- > 0)
		if (c->frames[i].t->name) {
			snprintf(buf, len, "an anonymous %s in '%s'", kind, c->frames[i].t->name);
			return;
		}
	snprintf(buf, len, "an anonymous %s", kind);
}

/* Member names from frame @from down to the current one: "b.a", "slot[]". */
static void frame_path(const struct checker *c, unsigned from, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned i = from; i < c->depth && n < len; i++) {
		const struct mtc_member *mb = c->frames[i].mb;
		int w;

		if (c->frames[i].t->kind == MTC_KIND_ARRAY)
			w = snprintf(buf + n, len - n, "[]");
		else if (mb && mb->name)
			w = snprintf(buf + n, len - n, "%s%s", n ? "." : "", mb->name);
		else
			w = 0;
		if (w < 0)
			break;
		n += (size_t)w;
	}
	if (n >= len)
		buf[len - 1] = '\0';
}

/* The nearest named record above, and the member path from it, for a message. */
static unsigned named_frame(const struct checker *c)
{
	unsigned i = c->depth;

	while (i-- > 0)
		if (c->frames[i].t->name)
			return i;
	return 0;
}

static int check_scalar(struct checker *c, const struct mtc_type *t, uint32_t bit_size)
{
	if (t->size <= MTC_MAX_SCALAR_SIZE && bit_size <= MTC_MAX_SCALAR_SIZE * 8)
		return 0;
	char rec[300], path[600];
	unsigned at = named_frame(c);

	frame_name(c, at, rec, sizeof(rec));
	frame_path(c, at, path, sizeof(path));
	if (bit_size > MTC_MAX_SCALAR_SIZE * 8)
		return mtc_error_set(c->err, -E2BIG,
				     "%s: '%s' member '%s' is a %u-bit bitfield; mtcheck reads "
				     "scalars of at most %d bytes",
				     mtc_model_input(c->m), rec, path, bit_size, MTC_MAX_SCALAR_SIZE);
	return mtc_error_set(c->err, -E2BIG,
			     "%s: '%s' member '%s' is a %llu-byte %s ('%s'); mtcheck reads scalars "
			     "of at most %d bytes",
			     mtc_model_input(c->m), rec, path, (unsigned long long)t->size,
			     mtc_kind_word(t->kind, false), t->name ? t->name : "?",
			     MTC_MAX_SCALAR_SIZE);
}

static int member_past_end(struct checker *c, const struct mtc_type *t,
			   const struct mtc_member *mb)
{
	char rec[300], path[600];
	unsigned at = named_frame(c);

	frame_name(c, at, rec, sizeof(rec));
	frame_path(c, at, path, sizeof(path));
	return mtc_error_set(c->err, -EINVAL,
			     "%s: '%s' member '%s' (%llu bytes at byte %llu) ends past the end of "
			     "its %llu-byte %s",
			     mtc_model_input(c->m), rec, path, (unsigned long long)mb->type->size,
			     (unsigned long long)mb->offset, (unsigned long long)t->size,
			     t->kind == MTC_KIND_UNION ? "union" : "struct");
}

/* Walk @t; *height and *expanded receive what it contributes. */
static int check_type(struct checker *c, const struct mtc_type *t, uint32_t *height,
		      uint64_t *expanded)
{
	char name[300], path[600];

	*height = 0;
	*expanded = 0;
	if (!t || (!mtc_kind_is_record(t->kind) && t->kind != MTC_KIND_ARRAY))
		return 0;
	struct type_info *e = info_of(c, t);

	if (!e)
		return mtc_error_set(c->err, -ENOMEM, "%s: out of memory", mtc_model_input(c->m));
	if (e->state == TYPE_DONE) {
		*height = e->height;
		*expanded = e->expanded;
		return 0;
	}
	if (e->state == TYPE_ACTIVE) {
		unsigned from = 0;

		while (c->frames[from].t != t)
			from++;
		frame_name(c, from, name, sizeof(name));
		frame_path(c, from, path, sizeof(path));
		return mtc_error_set(c->err, -ELOOP, "%s: '%s' contains itself through '%s'",
				     mtc_model_input(c->m), name, path);
	}
	if (c->depth == MTC_MAX_NESTING) {
		unsigned at = named_frame(c);

		frame_name(c, at, name, sizeof(name));
		return mtc_error_set(c->err, -E2BIG,
				     "%s: '%s' nests records and arrays more than %d deep",
				     mtc_model_input(c->m), name, MTC_MAX_NESTING);
	}
	e->state = TYPE_ACTIVE;
	struct check_frame *f = &c->frames[c->depth++];
	uint32_t h = 0, ch;
	uint64_t x = 0, cx;
	int ret = 0;

	f->t = t;
	f->mb = NULL;
	if (t->kind == MTC_KIND_ARRAY) {
		ret = t->element && mtc_kind_is_scalar(t->element->kind)
			      ? check_scalar(c, t->element, 0)
			      : check_type(c, t->element, &h, &x);
	} else if (t->nr_members > MTC_MAX_MEMBERS) {
		frame_name(c, c->depth - 1, name, sizeof(name));
		ret = mtc_error_set(c->err, -E2BIG, "%s: '%s' has %zu members, more than %d",
				    mtc_model_input(c->m), name, t->nr_members, MTC_MAX_MEMBERS);
	} else {
		for (size_t i = 0; i < t->nr_members && !ret; i++) {
			const struct mtc_member *mb = &t->members[i];

			f->mb = mb;
			ch = 0;
			cx = 0;
			if (mb->type && mtc_kind_is_scalar(mb->type->kind))
				ret = check_scalar(c, mb->type, mb->bit_size);
			else
				ret = check_type(c, mb->type, &ch, &cx);
			/* the walk enumerates what a member holds: it must fit in the record */
			if (!ret && mb->type && !mb->bit_size &&
			    (mb->offset > t->size || mb->type->size > t->size - mb->offset))
				ret = member_past_end(c, t, mb);
			if (ret)
				break;
			if (ch > h)
				h = ch;
			x += 1 + cx;
			if (x > MTC_MAX_EXPANDED)
				x = MTC_MAX_EXPANDED + 1;
		}
	}
	c->depth--;
	if (ret)
		return ret;
	/* a type walked before may sit deeper here than where it was first met */
	if (c->depth + h + 1 > MTC_MAX_NESTING) {
		if (c->depth)
			frame_name(c, named_frame(c), name, sizeof(name));
		else
			snprintf(name, sizeof(name), "%s", t->name ? t->name : "?");
		return mtc_error_set(c->err, -E2BIG,
				     "%s: '%s' nests records and arrays more than %d deep",
				     mtc_model_input(c->m), name, MTC_MAX_NESTING);
	}
	/* the table may have moved while members were walked */
	e = info_of(c, t);
	e->state = TYPE_DONE;
	e->height = h + 1;
	e->expanded = x;
	*height = e->height;
	*expanded = x;
	return 0;
}

int mtc_model_check(const struct mtc_model *m, struct mtc_error *err)
{
	struct checker *c = calloc(1, sizeof(*c));
	int ret = 0;

	if (!c)
		return mtc_error_set(err, -ENOMEM, "%s: out of memory", mtc_model_input(m));
	c->m = m;
	c->err = err;
	for (size_t i = 0; i < m->nr_records && !ret; i++) {
		const struct mtc_type *r = m->records[i];
		uint32_t height;
		uint64_t expanded;

		ret = check_type(c, r, &height, &expanded);
		if (!ret && expanded > MTC_MAX_EXPANDED)
			ret = mtc_error_set(err, -E2BIG,
					    "%s: '%s' has more than %u members with its nested "
					    "records expanded",
					    mtc_model_input(m), r->name, MTC_MAX_EXPANDED);
	}
	free(c->tab);
	free(c);
	return ret;
}
