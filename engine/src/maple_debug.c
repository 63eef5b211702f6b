// SPDX-License-Identifier: MIT
/*
 * Whole-tree validation, dumps and the assert handler.
 *
 * mt_validate() re-derives every invariant from the nodes alone, without
 * trusting anything the write path computed: node types per depth, pivot
 * order and limits, the metadata in the overlaid last slot, gaps, parent
 * pointers and slots, leaf depth, minimum occupancy (but for the rightmost
 * node of each level) and the rule that two
 * NULL ranges never touch.
 */
#include "maple_internal.h"

#include <stdarg.h>
#include <stdlib.h>

static const char *const mt_type_names[] = {
	[maple_dense]		= "dense",
	[maple_leaf_64]		= "leaf",
	[maple_range_64]	= "range",
	[maple_arange_64]	= "arange",
};

static void mt_dump_range(FILE *out, unsigned long min, unsigned long max,
			  unsigned int depth, enum mt_dump_format format)
{
	fprintf(out, "%*s", (int)depth * 2, "");
	if (format == mt_dump_hex)
		fprintf(out, "%lx-%lx: ", min, max);
	else
		fprintf(out, "%lu-%lu: ", min, max);
}

void mt_dump_node(FILE *out, const struct maple_tree *mt,
		  struct maple_enode *enode, unsigned long min,
		  unsigned long max, unsigned int depth,
		  enum mt_dump_format format, bool recurse)
{
	struct maple_node *node = mte_to_node(enode);
	enum maple_type type = mte_node_type(enode);
	unsigned long *pivots, *gaps;
	unsigned char end, i;
	void **slots;

	mt_dump_range(out, min, max, depth, format);
	if (type > maple_arange_64 || type == maple_dense) {
		fprintf(out, "node %p: bad type %u\n", (void *)node, type);
		return;
	}
	pivots = ma_pivots(node, type);
	slots = ma_slots(node, type);
	gaps = ma_gaps(node, type);
	end = ma_data_end(node, type, pivots, max);
	fprintf(out, "node %p depth %u type %s parent %p end %u",
		(void *)node, depth, mt_type_names[type], (void *)node->parent,
		end);
	if (type == maple_arange_64 || end < mt_slots[type] - 1)
		fprintf(out, " meta {end %u gap %u}", ma_meta(node, type)->end,
			ma_meta(node, type)->gap);
	fprintf(out, "\n");
	if (end >= mt_slots[type]) {
		fprintf(out, "%*s  (end past the slots)\n", (int)depth * 2, "");
		return;
	}
	for (i = 0; i <= end; i++) {
		unsigned long smin = i ? pivots[i - 1] + 1 : min;
		unsigned long smax = i < end ? pivots[i] : max;

		if (ma_is_leaf(type)) {
			mt_dump_range(out, smin, smax, depth + 1, format);
			fprintf(out, "%p", slots[i]);
			if (xa_is_value(slots[i]))
				fprintf(out, " value %lu", xa_to_value(slots[i]));
			fprintf(out, "\n");
		} else if (recurse) {
			if (gaps) {
				fprintf(out, "%*s  gap %lu\n", (int)depth * 2,
					"", gaps[i]);
			}
			mt_dump_node(out, mt, slots[i], smin, smax, depth + 1,
				     format, true);
		} else {
			mt_dump_range(out, smin, smax, depth + 1, format);
			fprintf(out, "child %p", slots[i]);
			if (gaps)
				fprintf(out, " gap %lu", gaps[i]);
			fprintf(out, "\n");
		}
	}
}

static void mt_dump_to(FILE *out, const struct maple_tree *mt,
		       enum mt_dump_format format)
{
	void *root = mt->ma_root;

	fprintf(out, "maple_tree(%p) flags %x, height %u root %p\n",
		(const void *)mt, mt->ma_flags, mt_height(mt), root);
	if (!root)
		return;
	if (!xa_is_node(root)) {
		mt_dump_range(out, 0, 0, 0, format);
		fprintf(out, "%p\n", root);
		return;
	}
	mt_dump_node(out, mt, mte_safe_root(root), 0, ULONG_MAX, 0, format,
		     true);
}

void mt_dump(const struct maple_tree *mt, enum mt_dump_format format)
{
	mt_dump_to(stderr, mt, format);
}

void mas_dump(const struct ma_state *mas)
{
	fprintf(stderr, "ma_state tree %p index %lx last %lx node %p "
		"min %lx max %lx alloc %p depth %u offset %u flags %x\n",
		(void *)mas->tree, mas->index, mas->last, (void *)mas->node,
		mas->min, mas->max, (void *)mas->alloc, mas->depth,
		mas->offset, mas->mas_flags);
	if (mas_is_active(mas) && !xa_is_err(mas->node))
		mt_dump_node(stderr, mas->tree, mas->node, mas->min, mas->max,
			     mas->depth, mt_dump_hex, false);
}

void mt_bug(const struct maple_tree *mt, const struct ma_state *mas,
	    const char *cond, const char *file, int line, const char *func)
{
	fprintf(stderr, "maple_tree: BUG at %s:%d in %s(): %s\n", file, line,
		func, cond);
	if (mas)
		mas_dump(mas);
	if (mt)
		mt_dump(mt, mt_dump_hex);
	fflush(stderr);
	abort();
}

/* ------------------------------------------------------------------ */

struct mt_validator {
	struct maple_tree *mt;
	unsigned int height;
	bool alloc;
	bool failed;
	bool prev_null;		/* last slot seen, in index order, was NULL */
	bool seen_slot;
};

/* The node under check, and what is read from it once its type is known. */
struct mt_vnode {
	struct maple_enode *enode;
	struct maple_node *node;
	enum maple_type type;
	unsigned long min, max;
	unsigned int depth;
	bool leaf;
	unsigned long *pivots, *gaps;
	void **slots;
	unsigned char end;
};

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static bool mt_invalid(struct mt_validator *v, const struct mt_vnode *n,
		       const char *fmt, ...)
{
	va_list ap;

	if (v->failed)
		return false;
	v->failed = true;
	fprintf(stderr, "mt_validate: tree %p: node %p [%lx, %lx] depth %u: ",
		(void *)v->mt, (void *)n->node, n->min, n->max, n->depth);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	mt_dump_node(stderr, v->mt, n->enode, n->min, n->max, n->depth,
		     mt_dump_hex, false);
	return false;
}

/*
 * What must hold before anything else of the node can be read: a node
 * encoding, the type its depth calls for, and a parent pointer naming
 * the parent and slot it hangs from.
 */
static bool mt_validate_head(struct mt_validator *v, const struct mt_vnode *n,
			     struct maple_pnode *want_parent)
{
	enum maple_type want_type;

	if (!xa_is_internal(mte_mk_root(n->enode)) ||
	    ((uintptr_t)n->enode & 3) ||
	    !((uintptr_t)n->enode & MAPLE_ENODE_NULL))
		return mt_invalid(v, n, "bad node encoding %p",
				  (void *)n->enode);
	want_type = n->leaf ? maple_leaf_64 :
		(v->alloc ? maple_arange_64 : maple_range_64);
	if (n->type != want_type)
		return mt_invalid(v, n, "type %u, expected %u", n->type,
				  want_type);
	if (n->node->parent != want_parent)
		return mt_invalid(v, n, "parent %p, expected %p",
				  (void *)n->node->parent, (void *)want_parent);
	return true;
}

/*
 * The data end: inside the node, at least the minimum occupancy, and
 * what the metadata in the overlaid last slot says.
 */
static bool mt_validate_end(struct mt_validator *v, const struct mt_vnode *n)
{
	enum maple_type type = n->type;

	if (n->end >= mt_slots[type])
		return mt_invalid(v, n, "data end %u past %u slots", n->end,
				  mt_slots[type]);
	/* Only the rightmost node of a level may run short (appends). */
	if (n->depth && n->max != ULONG_MAX && n->end + 1 < mt_min_slots[type])
		return mt_invalid(v, n, "%u slots used, minimum %u",
				  n->end + 1, mt_min_slots[type]);
	if (!n->depth && n->leaf && !n->end && !n->slots[0])
		return mt_invalid(v, n, "root leaf holds only a NULL range");

	/* The metadata must agree with the pivots, in the slot it overlays. */
	if (type == maple_arange_64 || n->end < mt_slots[type] - 1) {
		struct maple_metadata *meta = ma_meta(n->node, type);

		if (meta->end != n->end)
			return mt_invalid(v, n, "meta.end %u, data end %u",
					  meta->end, n->end);
		if (type != maple_arange_64 && meta->gap)
			return mt_invalid(v, n, "meta.gap %u in a %s node",
					  meta->gap, mt_type_names[type]);
	}
	return true;
}

/*
 * Pivots ascend inside [min, max), the one at the data end is max, and
 * every slot past the end is zero (but the metadata's), gaps included.
 */
static bool mt_validate_pivots(struct mt_validator *v,
			       const struct mt_vnode *n)
{
	const unsigned long *pivots = n->pivots;
	unsigned char end = n->end, i;

	for (i = 0; i < mt_pivots[n->type]; i++) {
		unsigned long lo = i ? pivots[i - 1] + 1 : n->min;

		if (i < end) {
			if (pivots[i] < lo || (i && pivots[i] <= pivots[i - 1]))
				return mt_invalid(v, n,
						  "pivot %u = %lx not ascending",
						  i, pivots[i]);
			if (pivots[i] >= n->max)
				return mt_invalid(v, n,
						  "pivot %u = %lx not below max",
						  i, pivots[i]);
		} else if (i == end) {
			if (pivots[i] != n->max)
				return mt_invalid(v, n,
						  "last pivot %u = %lx, max %lx",
						  i, pivots[i], n->max);
		} else if (pivots[i]) {
			return mt_invalid(v, n, "pivot %u = %lx past the end",
					  i, pivots[i]);
		}
	}
	for (i = end + 1; i < mt_slots[n->type]; i++) {
		if (n->type != maple_arange_64 && i == mt_slots[n->type] - 1)
			break;	/* the metadata */
		if (n->slots[i])
			return mt_invalid(v, n, "slot %u = %p past the end", i,
					  n->slots[i]);
		if (n->gaps && n->gaps[i])
			return mt_invalid(v, n, "gap %u = %lx past the end", i,
					  n->gaps[i]);
	}
	return true;
}

static bool mt_validate_node(struct mt_validator *v, struct maple_enode *enode,
			     struct maple_pnode *want_parent,
			     unsigned long min, unsigned long max,
			     unsigned int depth, unsigned long *gap);

/*
 * Each slot's range: a leaf's NULL ranges never touch (across leaves
 * too, hence the validator's memory of the last slot) and are its gaps;
 * a child is checked whole and must have the gap its parent records.
 * *@gap gets the node's largest, which meta.gap must point at.
 */
static bool mt_validate_slots(struct mt_validator *v, const struct mt_vnode *n,
			      unsigned long *gap)
{
	unsigned long max_gap = 0;
	unsigned char i, gap_offset = 0;

	for (i = 0; i <= n->end; i++) {
		unsigned long smin = i ? n->pivots[i - 1] + 1 : n->min;
		unsigned long smax = i < n->end ? n->pivots[i] : n->max;
		unsigned long child_gap = 0;
		void *slot = n->slots[i];

		if (n->leaf) {
			if (!slot) {
				if (v->prev_null && v->seen_slot)
					return mt_invalid(v, n,
							  "NULL slot %u follows a NULL range",
							  i);
				child_gap = smax - smin + 1;
			}
			v->prev_null = !slot;
			v->seen_slot = true;
		} else {
			if (!slot)
				return mt_invalid(v, n, "child %u is NULL", i);
			if (!mt_validate_node(v, slot,
					      mt_mk_parent(n->node, i), smin,
					      smax, n->depth + 1, &child_gap))
				return false;
			if (n->gaps && n->gaps[i] != child_gap)
				return mt_invalid(v, n,
						  "gap %u = %lx, child's largest %lx",
						  i, n->gaps[i], child_gap);
		}
		if (child_gap > max_gap) {
			max_gap = child_gap;
			gap_offset = i;
		}
	}
	if (n->type == maple_arange_64 && n->node->ma64.meta.gap != gap_offset)
		return mt_invalid(v, n, "meta.gap %u, largest gap at %u",
				  n->node->ma64.meta.gap, gap_offset);
	*gap = max_gap;
	return true;
}

/*
 * Check one subtree covering [min, max]; *@gap gets its largest free run.
 * Returns false at the first violation.
 */
static bool mt_validate_node(struct mt_validator *v, struct maple_enode *enode,
			     struct maple_pnode *want_parent,
			     unsigned long min, unsigned long max,
			     unsigned int depth, unsigned long *gap)
{
	struct mt_vnode n = {
		.enode = enode,
		.node = mte_to_node(enode),
		.type = mte_node_type(enode),
		.min = min,
		.max = max,
		.depth = depth,
		.leaf = depth + 1 == v->height,
	};

	if (!mt_validate_head(v, &n, want_parent))
		return false;
	n.pivots = ma_pivots(n.node, n.type);
	n.slots = ma_slots(n.node, n.type);
	n.gaps = ma_gaps(n.node, n.type);
	n.end = ma_data_end(n.node, n.type, n.pivots, max);
	return mt_validate_end(v, &n) && mt_validate_pivots(v, &n) &&
		mt_validate_slots(v, &n, gap);
}

int mt_validate(struct maple_tree *mt)
{
	struct mt_validator v = { mt, mt_height(mt), mt_is_alloc(mt),
				  false, false, false };
	void *root = mt->ma_root;
	struct maple_enode *enode;
	unsigned long gap;

	if (!xa_is_node(root)) {
		if (v.height) {
			fprintf(stderr, "mt_validate: tree %p: height %u "
				"without a root node\n", (void *)mt, v.height);
			return -EINVAL;
		}
		if (xa_is_internal(root)) {
			fprintf(stderr, "mt_validate: tree %p: internal "
				"entry %p as the root\n", (void *)mt, root);
			return -EINVAL;
		}
		return 0;
	}
	if (!v.height || v.height > MAPLE_HEIGHT_MAX) {
		fprintf(stderr, "mt_validate: tree %p: height %u with a root "
			"node\n", (void *)mt, v.height);
		return -EINVAL;
	}
	enode = mte_safe_root(root);
	if (!mt_validate_node(&v, enode, (struct maple_pnode *)
			      ((uintptr_t)mt | MA_ROOT_PARENT),
			      0, ULONG_MAX, 0, &gap))
		return -EINVAL;
	return 0;
}
