// SPDX-License-Identifier: MIT
/* The layout model: types owned by one model, allocated from an arena. */
#include <errno.h>
#include <stddef.h>
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
	size_t cap_members;	/* room in type.members */
};

static struct type_node *node_of(struct mtc_type *t)
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
		free(m->types[i]->members);
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
	if (name) {
		if (grow((void **)&m->records, &m->cap_records, m->nr_records + 1,
			 sizeof(*m->records)))
			return NULL;
		m->records[m->nr_records++] = t;
	}
	return t;
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

	if (grow((void **)&record->members, &node->cap_members, record->nr_members + 1,
		 sizeof(*record->members)))
		return NULL;
	struct mtc_member *mb = &record->members[record->nr_members];

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

struct mtc_type *mtc_model_record_at(const struct mtc_model *m, size_t i)
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

struct mtc_type *mtc_model_find_record(const struct mtc_model *m, const char *name)
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
