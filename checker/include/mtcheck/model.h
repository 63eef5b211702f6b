/* SPDX-License-Identifier: MIT */
/*
 * The layout model: what every front end fills and the analysis reads.
 *
 * A model holds one target and the types that one input declares.  Types
 * form a graph (records point at their members' types); every object is
 * owned by the model and freed with it.  Front ends build it through the
 * mtc_model_* constructors below and know nothing of rules or reports.
 *
 * Positions: byte offsets are from the start of the enclosing record.  A
 * bitfield's position is physical for the target (see mtc_member), so the
 * analysis never needs to know which front end allocated it.
 */
#ifndef MTCHECK_MODEL_H
#define MTCHECK_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mtcheck/error.h"
#include "mtcheck/export.h"

#ifdef __cplusplus
extern "C" {
#endif

enum mtc_endian {
	MTC_ENDIAN_LITTLE,
	MTC_ENDIAN_BIG,
};

struct mtc_target {
	enum mtc_endian endian;
	unsigned pointer_bits;	/* 32 or 64 */
	bool char_signed;
	char triple[64];	/* "" when the input does not tell */
};

/* Name of a byte order as reports spell it: "little" or "big". */
MTC_API const char *mtc_endian_name(enum mtc_endian e);

enum mtc_kind {
	MTC_KIND_INT,		/* any integer, char and __int128 included */
	MTC_KIND_BOOL,
	MTC_KIND_ENUM,
	MTC_KIND_FLOAT,		/* float, double, long double, _Float128 */
	MTC_KIND_POINTER,	/* data pointers */
	MTC_KIND_FUNC_POINTER,	/* pointers to functions */
	MTC_KIND_STRUCT,
	MTC_KIND_UNION,
	MTC_KIND_ARRAY,		/* also vector and complex types: lanes in memory order */
	MTC_KIND_OPAQUE,	/* something with a size and no readable scalars */
};

enum mtc_storage_order {
	MTC_ORDER_TARGET,	/* the target's byte order */
	MTC_ORDER_FIXED,	/* scalar_storage_order: does not depend on the target */
};

struct mtc_location {
	const char *file;	/* NULL when unknown */
	unsigned line;
	unsigned column;	/* 0 when unknown */
	/*
	 * The front end's own handle for the position (GCC's location_t, a
	 * clang cursor index), carried unchanged into findings so that a
	 * front end can report through its host's diagnostics; 0 when unused.
	 */
	uint64_t handle;
};

struct mtc_type;

struct mtc_member {
	const char *name;	/* NULL for an anonymous struct or union member */
	struct mtc_type *type;
	uint64_t offset;	/* bytes from the start of the record */
	/*
	 * Bitfields (bit_size > 0): bit_offset is the physical position of the
	 * field's least significant bit, counted from bit 0 = the least
	 * significant bit of the record's first byte.  More significant bits of
	 * the field follow in the target's byte order.  `offset` is then the
	 * lowest-addressed byte the field occupies (the byte of its first
	 * allocated bit).  Use mtc_bitfield_physical() to convert from the
	 * allocation order that DWARF, BTF, clang and sparse report.
	 */
	uint32_t bit_offset;
	uint32_t bit_size;
	struct mtc_location loc;
	const char *allow_reason;	/* marked intended in the source */
};

/*
 * A type, made only by the mtc_model_* constructors below (the model keeps
 * more about each type than this).  The constructors set kind, size,
 * element, count, members and nr_members, and only they may change them;
 * front ends may fill in the attributes (align, is_char, packed, order,
 * loc, allow_reason) after construction.
 */
struct mtc_type {
	enum mtc_kind kind;
	const char *name;	/* spelling: "unsigned char", "void *", "struct foo", "uint32_t"; NULL if anonymous */
	uint64_t size;		/* bytes */
	uint32_t align;		/* bytes, 0 when unknown */
	bool is_signed;		/* integers and enums */
	bool is_char;		/* char, signed char, unsigned char, int8_t and friends */
	/* arrays */
	const struct mtc_type *element;
	uint64_t count;		/* 0 for flexible and zero-length arrays */
	/* records */
	const struct mtc_member *members;
	size_t nr_members;
	enum mtc_storage_order order;
	struct mtc_location loc;
	const char *allow_reason;	/* the whole record is marked intended */
};

struct mtc_model;

/* A new empty model for @target; NULL when out of memory. */
MTC_API struct mtc_model *mtc_model_new(const struct mtc_target *target);
MTC_API void mtc_model_free(struct mtc_model *m);
MTC_API const struct mtc_target *mtc_model_target(const struct mtc_model *m);

/* Input the model was read from, for messages ("vmlinux", "mt.o"). */
MTC_API void mtc_model_set_input(struct mtc_model *m, const char *input);
MTC_API const char *mtc_model_input(const struct mtc_model *m);
/* Front end that filled the model ("btf", "clang", "gcc", "sparse"). */
MTC_API void mtc_model_set_frontend(struct mtc_model *m, const char *name);
MTC_API const char *mtc_model_frontend(const struct mtc_model *m);

/* Copy @s into the model's storage; the copy lives as long as the model. */
MTC_API const char *mtc_model_strdup(struct mtc_model *m, const char *s);

/*
 * Type constructors.  They return NULL only when memory runs out.  A record
 * is created empty and completed with mtc_record_add_member(); it becomes a
 * root of the analysis when it has a name (tag or typedef).
 */
MTC_API struct mtc_type *mtc_model_scalar(struct mtc_model *m, enum mtc_kind kind,
					  const char *name, uint64_t size, bool is_signed);
MTC_API struct mtc_type *mtc_model_array(struct mtc_model *m, struct mtc_type *element,
					 uint64_t count);
MTC_API struct mtc_type *mtc_model_record(struct mtc_model *m, enum mtc_kind kind,
					  const char *name, uint64_t size, uint32_t align);
/* Opaque: bytes of known size that hold no scalar the analysis can read. */
MTC_API struct mtc_type *mtc_model_opaque(struct mtc_model *m, const char *name, uint64_t size);

/*
 * Append a member; @bit_size 0 means not a bitfield, and @bit_offset is then
 * ignored.  Returns the member (owned by the record) or NULL when out of
 * memory.  The pointer stays valid until the next append to that record.
 */
MTC_API struct mtc_member *mtc_record_add_member(struct mtc_model *m, struct mtc_type *record,
						 const char *name, struct mtc_type *type,
						 uint64_t offset, uint32_t bit_offset,
						 uint32_t bit_size);

/*
 * A type and the members of a record are read-only through struct
 * mtc_type; the model that owns them hands out writable ones, for a front
 * end completing attributes after construction (align, order, loc,
 * allow_reason).  NULL when @t is not one of @m's, or @i is out of range.
 */
MTC_API struct mtc_type *mtc_model_edit_type(struct mtc_model *m, const struct mtc_type *t);
MTC_API struct mtc_member *mtc_model_edit_member(struct mtc_model *m, const struct mtc_type *record,
						 size_t i);

/*
 * Convert a bitfield's position in allocation order (the first declared bit
 * is bit 0; on big-endian targets allocation starts at the most significant
 * bit of the first byte) into the model's physical bit_offset.
 */
MTC_API uint32_t mtc_bitfield_physical(enum mtc_endian endian, uint64_t alloc_bit_offset,
				       uint32_t bit_size);
/* The inverse: a physical bit_offset back to allocation order. */
MTC_API uint64_t mtc_bitfield_allocation(enum mtc_endian endian, uint32_t physical_bit_offset,
					 uint32_t bit_size);

/*
 * Records are named the same way by every front end: after their tag
 * ("struct foo", "union foo"), else after the first typedef that names
 * them (`typedef struct { ... } foo_t` is "foo_t"), else not at all.
 * mtc_model_named_record() is mtc_model_record() with that rule: @tag and
 * @typedef_name may be NULL or "".  NULL only when memory runs out.
 */
MTC_API struct mtc_type *mtc_model_named_record(struct mtc_model *m, enum mtc_kind kind,
					const char *tag, const char *typedef_name,
					uint64_t size, uint32_t align);
/*
 * Name anonymous record @r after typedef @typedef_name met once @r was
 * built; it becomes an analysis root.  A record that has a name keeps it,
 * so a tag, and then the first typedef, wins whatever order an input
 * lists its types in.  Returns 1 when named, 0 when kept, or -ENOMEM.
 */
MTC_API int mtc_record_name_by_typedef(struct mtc_model *m, struct mtc_type *r,
			       const char *typedef_name);

/*
 * Front ends build types recursively, one level per record or array (and
 * per other link their input can chain).  Past MTC_MAX_NESTING levels
 * mtc_model_check() would refuse the model anyway, so a front end stops
 * there: 0 while @depth is within the bound, else -E2BIG with the model
 * check's message, naming the input and @record (NULL: "a record").
 */
MTC_API int mtc_model_nesting(const struct mtc_model *m, unsigned depth, const char *record,
		      struct mtc_error *err);

/*
 * Type spellings for reports, the same from every front end: "unsigned
 * char", "void *", "char **", "struct foo", "union <anonymous>",
 * "int (*)[4]", "void (*)(int, ...)".  A front end walks its own type
 * representation and writes the pieces with these; a spelling is cut
 * with "..." past MTC_SPELL_MAX_DEPTH types inside one another or
 * MTC_SPELL_MAX_LEN characters, so that no input makes it costly.
 */
#define MTC_SPELL_MAX_DEPTH 16
#define MTC_SPELL_MAX_LEN 1023

struct mtc_spelling {
	char buf[MTC_SPELL_MAX_LEN + 1];
	size_t len;
	bool cut;		/* "..." ends it; nothing more is added */
};

MTC_API void mtc_spell_init(struct mtc_spelling *s);
MTC_API void mtc_spell_add(struct mtc_spelling *s, const char *text);
/*
 * Before spelling a type @depth levels down: false, with "..." added, when
 * it is too deep or the spelling is cut already; the caller then stops.
 */
MTC_API bool mtc_spell_enter(struct mtc_spelling *s, int depth);
/* "struct foo", "enum <anonymous>": @keyword is "struct", "union" or "enum". */
MTC_API void mtc_spell_tagged(struct mtc_spelling *s, const char *keyword, const char *tag);
/*
 * After the pointee's spelling: "char *", "char **", and "int (*)[4]" for
 * a pointer to an array.  mtc_spell_array() follows an element's spelling
 * with "[4]" (with @known false, "[]").
 */
MTC_API void mtc_spell_pointer(struct mtc_spelling *s);
MTC_API void mtc_spell_array(struct mtc_spelling *s, uint64_t count, bool known);
/*
 * A pointer to a function, after its return type: mtc_spell_func_open()
 * adds " (*)(", mtc_spell_func_param() goes before parameter @i (", "
 * from the second on), mtc_spell_func_close() ends the list of @nr_params
 * (", ...)" when @varargs, "void)" when there are none).
 */
MTC_API void mtc_spell_func_open(struct mtc_spelling *s);
MTC_API void mtc_spell_func_param(struct mtc_spelling *s, size_t i);
MTC_API void mtc_spell_func_close(struct mtc_spelling *s, size_t nr_params, bool varargs);

/* Records with a name, in the order they were added: the analysis roots. */
MTC_API size_t mtc_model_nr_records(const struct mtc_model *m);
MTC_API const struct mtc_type *mtc_model_record_at(const struct mtc_model *m, size_t i);
/* The named record called @name ("struct foo", "foo_t", or just "foo"). */
MTC_API const struct mtc_type *mtc_model_find_record(const struct mtc_model *m, const char *name);

/*
 * Bounds that every model satisfies once mtc_model_check() accepted it.
 * They are far above anything a C compiler lays out, and they keep the
 * analysis, which walks records recursively and draws scalars byte by
 * byte, within a few seconds and a few megabytes on any input.
 */
#define MTC_MAX_SCALAR_SIZE 64		/* bytes in one scalar (__int128 has 16) */
#define MTC_MAX_NESTING 256		/* records and arrays inside one another */
#define MTC_MAX_MEMBERS 65535		/* members of one record (BTF's own limit) */
#define MTC_MAX_EXPANDED (1u << 20)	/* members below one named record, nested records expanded */

/*
 * Check what the front end filled against the bounds above, and that no
 * record contains itself by value (directly or through other records and
 * arrays; pointers are scalars and break no rule).  Every front end runs it
 * on the model it produced before anything else walks the model.  Returns
 * 0, or -ELOOP (a record contains itself), -E2BIG (a bound is exceeded)
 * with one message that names the input, the record and the member.
 */
MTC_API int mtc_model_check(const struct mtc_model *m, struct mtc_error *err);

/* How messages name a scalar of kind @k: "pointer", "integer", "bitfield"... */
MTC_API const char *mtc_kind_word(enum mtc_kind k, bool bitfield);

/*
 * The name of a scalar kind as rules and JSON reports spell it: "integer",
 * "bool", "enum", "float", "pointer", "function-pointer"; NULL for kinds
 * that are not scalars.  mtc_kind_parse() is its inverse (-EINVAL).
 */
MTC_API const char *mtc_kind_name(enum mtc_kind k);
MTC_API int mtc_kind_parse(const char *name, enum mtc_kind *out);

/* True for kinds the analysis treats as one readable value. */
MTC_API bool mtc_kind_is_scalar(enum mtc_kind k);
MTC_API bool mtc_kind_is_record(enum mtc_kind k);

#ifdef __cplusplus
}
#endif
#endif
