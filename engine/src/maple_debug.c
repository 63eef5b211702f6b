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

#if defined(__GNUC__)
__attribute__((format(printf, 6, 7)))
#endif
static bool mt_invalid(struct mt_validator *v, struct maple_enode *enode,
		       unsigned long min, unsigned long max,
		       unsigned int depth, const char *fmt, ...)
{
	va_list ap;

	if (v->failed)
		return false;
	v->failed = true;
	fprintf(stderr, "mt_validate: tree %p: node %p [%lx, %lx] depth %u: ",
		(void *)v->mt, (void *)mte_to_node(enode), min, max, depth);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	mt_dump_node(stderr, v->mt, enode, min, max, depth, mt_dump_hex,
		     false);
	return false;
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
	struct maple_node *node = mte_to_node(enode);
	enum maple_type type = mte_node_type(enode);
	enum maple_type want_type;
	bool leaf = depth + 1 == v->height;
	unsigned long *pivots, *gaps, max_gap = 0;
	unsigned char end, i, gap_offset = 0;
	void **slots;

	if (!xa_is_internal(mte_mk_root(enode)) || ((uintptr_t)enode & 3) ||
	    !((uintptr_t)enode & MAPLE_ENODE_NULL))
		return mt_invalid(v, enode, min, max, depth,
				  "bad node encoding %p", (void *)enode);
	want_type = leaf ? maple_leaf_64 :
		(v->alloc ? maple_arange_64 : maple_range_64);
	if (type != want_type)
		return mt_invalid(v, enode, min, max, depth,
				  "type %u, expected %u", type, want_type);
	if (node->parent != want_parent)
		return mt_invalid(v, enode, min, max, depth,
				  "parent %p, expected %p",
				  (void *)node->parent, (void *)want_parent);

	pivots = ma_pivots(node, type);
	slots = ma_slots(node, type);
	gaps = ma_gaps(node, type);
	end = ma_data_end(node, type, pivots, max);
	if (end >= mt_slots[type])
		return mt_invalid(v, enode, min, max, depth,
				  "data end %u past %u slots", end,
				  mt_slots[type]);
	/* Only the rightmost node of a level may run short (appends). */
	if (depth && max != ULONG_MAX && end + 1 < mt_min_slots[type])
		return mt_invalid(v, enode, min, max, depth,
				  "%u slots used, minimum %u", end + 1,
				  mt_min_slots[type]);
	if (!depth && leaf && !end && !slots[0])
		return mt_invalid(v, enode, min, max, depth,
				  "root leaf holds only a NULL range");

	/* The metadata must agree with the pivots, in the slot it overlays. */
	if (type == maple_arange_64 || end < mt_slots[type] - 1) {
		struct maple_metadata *meta = ma_meta(node, type);

		if (meta->end != end)
			return mt_invalid(v, enode, min, max, depth,
					  "meta.end %u, data end %u",
					  meta->end, end);
		if (type != maple_arange_64 && meta->gap)
			return mt_invalid(v, enode, min, max, depth,
					  "meta.gap %u in a %s node", meta->gap,
					  mt_type_names[type]);
	}

	for (i = 0; i < mt_pivots[type]; i++) {
		unsigned long lo = i ? pivots[i - 1] + 1 : min;

		if (i < end) {
			if (pivots[i] < lo || (i && pivots[i] <= pivots[i - 1]))
				return mt_invalid(v, enode, min, max, depth,
						  "pivot %u = %lx not ascending",
						  i, pivots[i]);
			if (pivots[i] >= max)
				return mt_invalid(v, enode, min, max, depth,
						  "pivot %u = %lx not below max",
						  i, pivots[i]);
		} else if (i == end) {
			if (pivots[i] != max)
				return mt_invalid(v, enode, min, max, depth,
						  "last pivot %u = %lx, max %lx",
						  i, pivots[i], max);
		} else if (pivots[i]) {
			return mt_invalid(v, enode, min, max, depth,
					  "pivot %u = %lx past the end", i,
					  pivots[i]);
		}
	}
	for (i = end + 1; i < mt_slots[type]; i++) {
		if (type != maple_arange_64 && i == mt_slots[type] - 1)
			break;	/* the metadata */
		if (slots[i])
			return mt_invalid(v, enode, min, max, depth,
					  "slot %u = %p past the end", i,
					  slots[i]);
		if (gaps && gaps[i])
			return mt_invalid(v, enode, min, max, depth,
					  "gap %u = %lx past the end", i,
					  gaps[i]);
	}

	for (i = 0; i <= end; i++) {
		unsigned long smin = i ? pivots[i - 1] + 1 : min;
		unsigned long smax = i < end ? pivots[i] : max;
		unsigned long child_gap = 0;

		if (leaf) {
			if (!slots[i]) {
				if (v->prev_null && v->seen_slot)
					return mt_invalid(v, enode, min, max,
							  depth,
							  "NULL slot %u follows a NULL range",
							  i);
				child_gap = smax - smin + 1;
			}
			v->prev_null = !slots[i];
			v->seen_slot = true;
		} else {
			if (!slots[i])
				return mt_invalid(v, enode, min, max, depth,
						  "child %u is NULL", i);
			if (!mt_validate_node(v, slots[i],
					      mt_mk_parent(node, i), smin, smax,
					      depth + 1, &child_gap))
				return false;
			if (gaps && gaps[i] != child_gap)
				return mt_invalid(v, enode, min, max, depth,
						  "gap %u = %lx, child's largest %lx",
						  i, gaps[i], child_gap);
		}
		if (child_gap > max_gap) {
			max_gap = child_gap;
			gap_offset = i;
		}
	}
	if (type == maple_arange_64 && node->ma64.meta.gap != gap_offset)
		return mt_invalid(v, enode, min, max, depth,
				  "meta.gap %u, largest gap at %u",
				  node->ma64.meta.gap, gap_offset);
	*gap = max_gap;
	return true;
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
