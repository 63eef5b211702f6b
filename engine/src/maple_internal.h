/* SPDX-License-Identifier: MIT */
#ifndef MAPLE_INTERNAL_H
#define MAPLE_INTERNAL_H
/*
 * What the engine's source files share: node encodings and accessors.
 * Nothing here is installed.
 */

#include "maple_tree.h"

#include <stdint.h>
#include <stdio.h>

_Static_assert(sizeof(struct maple_node) == MAPLE_NODE_SIZE,
	       "a maple node is 256 bytes");
_Static_assert(sizeof(struct maple_range_64) == MAPLE_NODE_SIZE,
	       "a range node fills the node");
_Static_assert(sizeof(struct maple_arange_64) <= MAPLE_NODE_SIZE,
	       "an allocation-range node fits the node");
_Static_assert(offsetof(struct maple_range_64, meta) ==
	       offsetof(struct maple_range_64, slot[MAPLE_RANGE64_SLOTS - 1]),
	       "metadata overlays the last slot");

/* ma_root is a node pointer with this bit set (an XArray internal entry). */
#define MAPLE_ROOT_NODE		0x02UL
#define MAPLE_ENODE_TYPE_SHIFT	0x03
#define MAPLE_ENODE_NULL	0x04UL
/* The root node's parent is the tree, tagged with this bit. */
#define MA_ROOT_PARENT		1UL
/* Parent of a child of a range or arange node: slot in bits 3-7. */
#define MAPLE_PARENT_RANGE64	0x06UL
#define MAPLE_PARENT_SLOT_SHIFT	0x03
#define MAPLE_PARENT_SLOT_MASK	0xF8UL

extern const unsigned char mt_slots[];
extern const unsigned char mt_pivots[];
extern const unsigned char mt_min_slots[];

static inline struct maple_node *mte_to_node(const struct maple_enode *entry)
{
	return (struct maple_node *)((uintptr_t)entry & ~MAPLE_NODE_MASK);
}

static inline enum maple_type mte_node_type(const struct maple_enode *entry)
{
	return (enum maple_type)(((uintptr_t)entry >> MAPLE_ENODE_TYPE_SHIFT) &
				 MAPLE_NODE_TYPE_MASK);
}

static inline struct maple_enode *mt_mk_node(const struct maple_node *node,
					     enum maple_type type)
{
	return (struct maple_enode *)((uintptr_t)node |
			((uintptr_t)type << MAPLE_ENODE_TYPE_SHIFT) |
			MAPLE_ENODE_NULL);
}

static inline void *mte_mk_root(const struct maple_enode *node)
{
	return (void *)((uintptr_t)node | MAPLE_ROOT_NODE);
}

static inline struct maple_enode *mte_safe_root(const void *root)
{
	return (struct maple_enode *)((uintptr_t)root & ~MAPLE_ROOT_NODE);
}

/* A node pointer: internal entry above the reserved range. */
static inline bool xa_is_node(const void *entry)
{
	return xa_is_internal(entry) &&
		(uintptr_t)entry > MAPLE_RESERVED_RANGE;
}

static inline bool ma_is_leaf(enum maple_type type)
{
	return type < maple_range_64;
}

static inline bool mt_is_alloc(const struct maple_tree *mt)
{
	return mt->ma_flags & MT_FLAGS_ALLOC_RANGE;
}

static inline bool mt_is_reserved(const void *entry)
{
	return (uintptr_t)entry < MAPLE_RESERVED_RANGE &&
		xa_is_internal(entry);
}

static inline unsigned long *ma_pivots(struct maple_node *node,
				       enum maple_type type)
{
	switch (type) {
	case maple_arange_64:
		return node->ma64.pivot;
	case maple_range_64:
	case maple_leaf_64:
		return node->mr64.pivot;
	default:
		return NULL;
	}
}

static inline void **ma_slots(struct maple_node *node, enum maple_type type)
{
	switch (type) {
	case maple_arange_64:
		return node->ma64.slot;
	case maple_range_64:
	case maple_leaf_64:
		return node->mr64.slot;
	default:
		return node->slot;
	}
}

static inline unsigned long *ma_gaps(struct maple_node *node,
				     enum maple_type type)
{
	return type == maple_arange_64 ? node->ma64.gap : NULL;
}

static inline struct maple_metadata *ma_meta(struct maple_node *node,
					     enum maple_type type)
{
	return type == maple_arange_64 ? &node->ma64.meta : &node->mr64.meta;
}

/*
 * Offset of the last used slot.  A range node that is full has no metadata
 * (its last slot holds an entry); one whose last pivot equals its maximum
 * ends one slot earlier; otherwise the metadata says.
 */
static inline unsigned char ma_data_end(struct maple_node *node,
					enum maple_type type,
					const unsigned long *pivots,
					unsigned long max)
{
	unsigned char offset;

	if (type == maple_arange_64)
		return node->ma64.meta.end;
	offset = mt_pivots[type] - 1;
	if (!pivots[offset])
		return node->mr64.meta.end;
	if (pivots[offset] == max)
		return offset;
	return mt_pivots[type];
}

static inline struct maple_pnode *mt_mk_parent(const struct maple_node *parent,
					       unsigned char slot)
{
	return (struct maple_pnode *)((uintptr_t)parent |
			((uintptr_t)slot << MAPLE_PARENT_SLOT_SHIFT) |
			MAPLE_PARENT_RANGE64);
}

static inline struct maple_node *mt_parent_node(const struct maple_node *node)
{
	return (struct maple_node *)((uintptr_t)node->parent & ~MAPLE_NODE_MASK);
}

static inline unsigned char mt_parent_slot(const struct maple_node *node)
{
	return ((uintptr_t)node->parent & MAPLE_PARENT_SLOT_MASK) >>
		MAPLE_PARENT_SLOT_SHIFT;
}

static inline bool ma_is_root(const struct maple_node *node)
{
	return (uintptr_t)node->parent & MA_ROOT_PARENT;
}

/* Node allocator (maple_alloc.c). */
struct maple_node *mt_node_alloc(gfp_t gfp);
void mt_node_free(struct maple_node *node);

/* Debug output (maple_debug.c). */
void mt_dump_node(FILE *out, const struct maple_tree *mt,
		  struct maple_enode *enode, unsigned long min,
		  unsigned long max, unsigned int depth,
		  enum mt_dump_format format, bool recurse);

/* Test hooks inside the library (maple_seed.c uses them). */
unsigned char mt_leaf_end(const struct ma_state *mas);

#endif /* MAPLE_INTERNAL_H */
