// SPDX-License-Identifier: MIT
/*
 * Maple tree: walks, iteration and writes.
 *
 * Nodes, encodings and metadata placement are the kernel's (see
 * maple_tree.h and maple_internal.h).  The write path is our own:
 *
 *  - A write [index, last] first walks the two root-to-leaf paths to index
 *    and to last (mt_wr_locate).  A NULL write is widened over neighbouring
 *    NULL ranges (mt_wr_widen_left/right, also across leaves), which is
 *    what keeps "no two adjacent NULL ranges" true without a separate
 *    merge pass.
 *  - If the result (mt_wr_leaf_entries) fits the one leaf it lands in, the
 *    leaf is rewritten in place (mt_wr_in_place; the kernel does the same
 *    for trees not in RCU mode).
 *  - Otherwise, level by level from the leaves up (mt_wr_rebuild), the
 *    kept entries left of the left path, the nodes built one level below
 *    and the kept entries right of the right path are gathered in a "big
 *    node" (mt_wr_ascend) and split into one to three new nodes
 *    (mt_wr_build_level).  A big node below the minimum occupancy takes in
 *    a whole neighbour (mt_wr_pull_neighbour).  The climb stops where a
 *    single node was replaced by a single node: the parent just gets the
 *    new pointer (mt_wr_replace_child).
 *  - Every new node is allocated before the tree is touched, so -ENOMEM
 *    leaves the old tree intact (mt_wr_abort).  Then one commit step
 *    reparents children, installs the top (mt_wr_set_root), marks
 *    replaced nodes dead (parent pointing to itself, as in the kernel) and
 *    frees them together with the subtrees the write covered.
 *
 * Readers and writers are serialised by the tree's mutex: the normal API
 * takes it, the advanced API expects the caller to hold it.
 */
#include "maple_internal.h"

#include <stdlib.h>

const unsigned char mt_slots[] = {
	[maple_dense]		= MAPLE_NODE_SLOTS,
	[maple_leaf_64]		= MAPLE_RANGE64_SLOTS,
	[maple_range_64]	= MAPLE_RANGE64_SLOTS,
	[maple_arange_64]	= MAPLE_ARANGE64_SLOTS,
};

const unsigned char mt_pivots[] = {
	[maple_dense]		= 0,
	[maple_leaf_64]		= MAPLE_RANGE64_SLOTS - 1,
	[maple_range_64]	= MAPLE_RANGE64_SLOTS - 1,
	[maple_arange_64]	= MAPLE_ARANGE64_SLOTS - 1,
};

const unsigned char mt_min_slots[] = {
	[maple_dense]		= MAPLE_NODE_SLOTS / 2,
	[maple_leaf_64]		= (MAPLE_RANGE64_SLOTS / 2) - 2,
	[maple_range_64]	= (MAPLE_RANGE64_SLOTS / 2) - 2,
	[maple_arange_64]	= (MAPLE_ARANGE64_SLOTS / 2) - 1,
};

/*
 * A level of a write gathers at most (slots - 1) kept entries on each side,
 * three new nodes from below and, when short, one whole neighbour.
 */
#define MAPLE_BIG_SLOTS		(3 * MAPLE_RANGE64_SLOTS + 4)
#define MT_MAX_NEW		(3 * MAPLE_HEIGHT_MAX + 4)
#define MT_MAX_USED		(4 * MAPLE_HEIGHT_MAX + 4)

static inline bool mas_is_start(const struct ma_state *mas)
{
	return mas->node == MAS_START;
}

static inline bool mas_is_ptr(const struct ma_state *mas)
{
	return mas->node == MAS_ROOT;
}

static inline bool mas_is_overflow(const struct ma_state *mas)
{
	return mas->node == MAS_OVERFLOW;
}

static inline bool mas_is_underflow(const struct ma_state *mas)
{
	return mas->node == MAS_UNDERFLOW;
}

static inline void mas_set_err(struct ma_state *mas, long err)
{
	mas->node = MA_ERROR(err);
}

bool mas_is_err(struct ma_state *mas)
{
	return xa_is_err(mas->node);
}

static inline enum maple_type mt_internal_type(const struct maple_tree *mt)
{
	return mt_is_alloc(mt) ? maple_arange_64 : maple_range_64;
}

static inline void mt_set_height(struct maple_tree *mt, unsigned int height)
{
	mt->ma_flags = (mt->ma_flags & ~MT_FLAGS_HEIGHT_MASK) |
		(height << MT_FLAGS_HEIGHT_OFFSET);
}

static inline unsigned long slot_min(const unsigned long *pivots,
				     unsigned char offset, unsigned long min)
{
	return offset ? pivots[offset - 1] + 1 : min;
}

static inline unsigned long slot_max(const unsigned long *pivots,
				     unsigned char offset, unsigned char end,
				     unsigned long max)
{
	return offset < end ? pivots[offset] : max;
}

/* The kernel scans pivots linearly too: 15 compares beat a branchy search. */
static inline unsigned char pivot_offset(const unsigned long *pivots,
					 unsigned char end, unsigned long index)
{
	unsigned char offset = 0;

	while (offset < end && pivots[offset] < index)
		offset++;
	return offset;
}

/* ------------------------------------------------------------------ */
/* Reads.                                                               */

/*
 * The load fast path.  It needs no data end: below the end pivots ascend,
 * and a node that is not full stores its maximum in pivot[end], so the
 * first pivot >= index is always the right slot, and a full node falls
 * through to its last slot.  Pulling in all four cache lines of the child
 * at once lets their misses overlap instead of following the scan.
 */
static void *mt_lookup(struct maple_tree *mt, unsigned long index)
{
	void *root = mt->ma_root;
	struct maple_enode *enode;

	if (!xa_is_node(root))
		return index ? NULL : root;

	enode = mte_safe_root(root);
	for (;;) {
		struct maple_node *node = mte_to_node(enode);
		enum maple_type type = mte_node_type(enode);
		unsigned long *pivots = ma_pivots(node, type);
		unsigned char count = mt_pivots[type], offset = 0;
		const char *next;

		while (offset < count && pivots[offset] < index)
			offset++;
		enode = ma_slots(node, type)[offset];
		if (ma_is_leaf(type))
			return enode;
		next = (const char *)mte_to_node(enode);
		__builtin_prefetch(next);
		__builtin_prefetch(next + 64);
		__builtin_prefetch(next + 128);
		__builtin_prefetch(next + 192);
	}
}

/*
 * Walk a tree whose root is a node down to the slot holding @index; leave
 * the state on it with index/last set to that slot's range.
 */
static void *mas_descend(struct ma_state *mas, unsigned long index)
{
	struct maple_enode *enode = mte_safe_root(mas->tree->ma_root);
	unsigned long min = 0, max = ULONG_MAX;
	unsigned char depth = 0;

	for (;;) {
		struct maple_node *node = mte_to_node(enode);
		enum maple_type type = mte_node_type(enode);
		unsigned long *pivots = ma_pivots(node, type);
		unsigned char end = ma_data_end(node, type, pivots, max);
		unsigned char offset = pivot_offset(pivots, end, index);
		unsigned long smin = slot_min(pivots, offset, min);
		unsigned long smax = slot_max(pivots, offset, end, max);
		void **slots = ma_slots(node, type);

		if (ma_is_leaf(type)) {
			mas->node = enode;
			mas->min = min;
			mas->max = max;
			mas->depth = depth;
			mas->offset = offset;
			mas->index = smin;
			mas->last = smax;
			return slots[offset];
		}
		enode = slots[offset];
		min = smin;
		max = smax;
		depth++;
	}
}

static void *mas_state_walk(struct ma_state *mas)
{
	void *root = mas->tree->ma_root;

	mas->offset = 0;
	if (!root) {
		mas->node = MAS_NONE;
		return NULL;
	}
	if (!xa_is_node(root)) {
		mas->node = MAS_ROOT;
		return mas->index ? NULL : root;
	}
	return mas_descend(mas, mas->index);
}

void *mas_walk(struct ma_state *mas)
{
	void *entry;

	mas->node = MAS_START;
	entry = mas_state_walk(mas);
	if (mas_is_none(mas)) {
		mas->index = 0;
		mas->last = ULONG_MAX;
	} else if (mas_is_ptr(mas)) {
		if (!mas->index) {
			mas->last = 0;
			return entry;
		}
		mas->index = 1;
		mas->last = ULONG_MAX;
		mas->node = MAS_NONE;
		return NULL;
	}
	return entry;
}

unsigned char mt_leaf_end(const struct ma_state *mas)
{
	struct maple_node *node = mte_to_node(mas->node);
	enum maple_type type = mte_node_type(mas->node);

	return ma_data_end(node, type, ma_pivots(node, type), mas->max);
}

/*
 * Step to the slot after the current one; with !@empty, keep going past
 * NULL ranges.  Runs past @max into MAS_OVERFLOW.
 */
static void *mas_next_slot(struct ma_state *mas, unsigned long max, bool empty)
{
	for (;;) {
		struct maple_node *node = mte_to_node(mas->node);
		enum maple_type type = mte_node_type(mas->node);
		unsigned long *pivots = ma_pivots(node, type);
		void **slots = ma_slots(node, type);
		unsigned char end = ma_data_end(node, type, pivots, mas->max);
		void *entry;

		if (mas->offset >= end) {
#ifdef MAPLE_SEED_BUG
			/*
			 * Deliberately wrong (CMake MAPLE_SEED_BUG): the 2022
			 * next-entry path lacked the "offset > end" check and
			 * took the slot after the last one for an entry.  In a
			 * range leaf ending at offset MAPLE_RANGE64_SLOTS - 2
			 * that slot is struct maple_metadata.
			 */
			if (end + 1 < mt_slots[type] && slots[end + 1]) {
				mas->offset = end + 1;
				mas->index = mas->max + 1;
				mas->last = mas->offset < mt_pivots[type] ?
					pivots[mas->offset] : mas->max;
				return slots[mas->offset];
			}
#endif
			if (mas->max >= max)
				goto overflow;
			entry = mas_descend(mas, mas->max + 1);
		} else {
			if (pivots[mas->offset] >= max)
				goto overflow;
			mas->offset++;
			mas->index = pivots[mas->offset - 1] + 1;
			mas->last = slot_max(pivots, mas->offset, end, mas->max);
			entry = slots[mas->offset];
		}
		if (entry || empty)
			return entry;
		if (mas->last >= max)
			goto overflow;
	}
overflow:
	mas->node = MAS_OVERFLOW;
	return NULL;
}

/* Mirror of mas_next_slot(): runs below @min into MAS_UNDERFLOW. */
static void *mas_prev_slot(struct ma_state *mas, unsigned long min, bool empty)
{
	for (;;) {
		struct maple_node *node = mte_to_node(mas->node);
		enum maple_type type = mte_node_type(mas->node);
		unsigned long *pivots = ma_pivots(node, type);
		void **slots = ma_slots(node, type);
		void *entry;

		if (!mas->offset) {
			if (mas->min <= min)
				goto underflow;
			entry = mas_descend(mas, mas->min - 1);
		} else {
			if (slot_min(pivots, mas->offset, mas->min) <= min)
				goto underflow;
			mas->offset--;
			mas->index = slot_min(pivots, mas->offset, mas->min);
			mas->last = pivots[mas->offset];
			entry = slots[mas->offset];
		}
		if (entry || empty)
			return entry;
		if (mas->index <= min)
			goto underflow;
	}
underflow:
	mas->node = MAS_UNDERFLOW;
	return NULL;
}

static bool mas_next_setup(struct ma_state *mas, unsigned long max,
			   void **entry)
{
	*entry = NULL;
	if (mas->last >= max) {
		mas->node = MAS_OVERFLOW;
		return true;
	}
	if (mas_is_active(mas))
		return false;

	if (mas_is_underflow(mas)) {
		/* We stopped before the entry we are on: it comes next. */
		*entry = mas_walk(mas);
		if (*entry)
			return true;
	} else if (!mas_is_err(mas)) {
		/* START, NONE, PAUSE, OVERFLOW: walk back to where we were. */
		mas_walk(mas);
	}

	if (mas_is_ptr(mas)) {
		mas->index = 1;
		mas->last = ULONG_MAX;
		mas->node = MAS_NONE;
		return true;
	}
	return !mas_is_active(mas);
}

void *mas_next(struct ma_state *mas, unsigned long max)
{
	void *entry;

	if (mas_next_setup(mas, max, &entry))
		return entry;
	return mas_next_slot(mas, max, false);
}

void *mas_next_range(struct ma_state *mas, unsigned long max)
{
	void *entry;

	if (mas_next_setup(mas, max, &entry))
		return entry;
	return mas_next_slot(mas, max, true);
}

static bool mas_prev_setup(struct ma_state *mas, unsigned long min,
			   void **entry)
{
	*entry = NULL;
	if (mas->index <= min) {
		mas->node = MAS_UNDERFLOW;
		return true;
	}
	if (mas_is_active(mas))
		return false;

	if (mas_is_overflow(mas)) {
		/* We ran past the entry we are on: it comes first backwards. */
		*entry = mas_walk(mas);
		if (*entry)
			return true;
	} else if (!mas_is_err(mas)) {
		mas_walk(mas);
	}

	if (mas_is_ptr(mas)) {
		/* On index 0 of a lone root entry: nothing before it. */
		mas->node = MAS_NONE;
		return true;
	}
	if (mas_is_none(mas)) {
		void *root = mas->tree->ma_root;

		/* Past a lone root entry: it is the previous one. */
		if (root && !xa_is_node(root) && mas->index && !min) {
			mas->index = mas->last = 0;
			mas->node = MAS_ROOT;
			*entry = root;
		}
		return true;
	}
	return !mas_is_active(mas);
}

void *mas_prev(struct ma_state *mas, unsigned long min)
{
	void *entry;

	if (mas_prev_setup(mas, min, &entry))
		return entry;
	return mas_prev_slot(mas, min, false);
}

void *mas_prev_range(struct ma_state *mas, unsigned long min)
{
	void *entry;

	if (mas_prev_setup(mas, min, &entry))
		return entry;
	return mas_prev_slot(mas, min, true);
}

static bool mas_find_setup(struct ma_state *mas, unsigned long max,
			   void **entry)
{
	*entry = NULL;
	if (mas_is_active(mas)) {
		if (mas->last < max)
			return false;
		mas->node = MAS_OVERFLOW;
		return true;
	}

	if (mas_is_paused(mas) || mas_is_overflow(mas)) {
		/* Continue after the range we stopped on. */
		if (mas->last >= max)
			return true;
		mas->index = ++mas->last;
		mas->node = MAS_START;
	} else if (mas_is_none(mas)) {
		if (mas->last >= max)
			return true;
		mas->index = mas->last;
		mas->node = MAS_START;
	} else if (mas_is_underflow(mas)) {
		mas->node = MAS_START;
	} else if (mas_is_ptr(mas)) {
		goto ptr_out_of_range;
	} else if (mas_is_err(mas)) {
		return true;
	}

	if (mas->index > max)
		return true;
	*entry = mas_walk(mas);
	if (*entry)
		return true;

	if (!mas_is_active(mas)) {
		if (mas_is_ptr(mas))
			goto ptr_out_of_range;
		return true;
	}
	if (mas->last >= max) {
		mas->node = MAS_OVERFLOW;
		return true;
	}
	return false;

ptr_out_of_range:
	mas->node = MAS_NONE;
	mas->index = 1;
	mas->last = ULONG_MAX;
	return true;
}

void *mas_find(struct ma_state *mas, unsigned long max)
{
	void *entry;

	if (mas_find_setup(mas, max, &entry))
		return entry;
	return mas_next_slot(mas, max, false);
}

void *mas_find_range(struct ma_state *mas, unsigned long max)
{
	void *entry;

	if (mas_find_setup(mas, max, &entry))
		return entry;
	return mas_next_slot(mas, max, true);
}

static bool mas_find_rev_setup(struct ma_state *mas, unsigned long min,
			       void **entry)
{
	*entry = NULL;
	if (mas_is_active(mas)) {
		if (mas->index > min)
			return false;
		mas->node = MAS_UNDERFLOW;
		return true;
	}

	if (mas_is_paused(mas) || mas_is_underflow(mas)) {
		/* Continue before the range we stopped on. */
		if (mas->index <= min)
			return true;
		mas->last = --mas->index;
		mas->node = MAS_START;
	} else if (mas_is_none(mas)) {
		if (mas->index <= min)
			return true;
		mas->last = mas->index;
		mas->node = MAS_START;
	} else if (mas_is_overflow(mas)) {
		mas->node = MAS_START;
	} else if (mas_is_ptr(mas)) {
		mas->node = MAS_NONE;
		return true;
	} else if (mas_is_err(mas)) {
		return true;
	}

	if (mas->index < min)
		return true;
	*entry = mas_walk(mas);
	if (*entry)
		return true;

	if (!mas_is_active(mas)) {
		void *root = mas->tree->ma_root;

		/* Walked past a lone root entry: that is the one before. */
		if (mas_is_none(mas) && root && !xa_is_node(root) && !min) {
			mas->index = mas->last = 0;
			mas->node = MAS_ROOT;
			*entry = root;
		}
		return true;
	}
	if (mas->index <= min) {
		mas->node = MAS_UNDERFLOW;
		return true;
	}
	return false;
}

void *mas_find_rev(struct ma_state *mas, unsigned long min)
{
	void *entry;

	if (mas_find_rev_setup(mas, min, &entry))
		return entry;
	return mas_prev_slot(mas, min, false);
}

void *mas_find_range_rev(struct ma_state *mas, unsigned long min)
{
	void *entry;

	if (mas_find_rev_setup(mas, min, &entry))
		return entry;
	return mas_prev_slot(mas, min, true);
}

void mas_pause(struct ma_state *mas)
{
	mas->node = MAS_PAUSE;
}

/* ------------------------------------------------------------------ */
/* Node allocation lists hung off a maple state.                        */

/*
 * As in the kernel, ->alloc either points to a stack of nodes (viewed as
 * struct maple_alloc, ->total counting the stack) or, with bit 0 set,
 * carries the number of nodes the last write asked for.
 */
static unsigned long mas_allocated(const struct ma_state *mas)
{
	if (!mas->alloc || ((uintptr_t)mas->alloc & 1))
		return 0;
	return mas->alloc->total;
}

static void mas_set_alloc_req(struct ma_state *mas, unsigned long count)
{
	if (!mas->alloc || ((uintptr_t)mas->alloc & 1))
		mas->alloc = (struct maple_alloc *)((count << 1) | 1);
	else
		mas->alloc->request_count = (unsigned int)count;
}

static unsigned long mas_alloc_req(const struct ma_state *mas)
{
	if ((uintptr_t)mas->alloc & 1)
		return (uintptr_t)mas->alloc >> 1;
	return mas->alloc ? mas->alloc->request_count : 0;
}

static struct maple_node *mas_pop_node(struct ma_state *mas)
{
	struct maple_alloc *head = mas->alloc;
	unsigned long total = mas_allocated(mas);

	if (!total)
		return NULL;
	mas->alloc = total > 1 ? head->slot[0] : NULL;
	if (mas->alloc) {
		mas->alloc->total = total - 1;
		mas->alloc->request_count = 0;
	}
	memset(head, 0, sizeof(struct maple_node));
	return (struct maple_node *)head;
}

static void mas_push_node(struct ma_state *mas, struct maple_node *node)
{
	struct maple_alloc *head = (struct maple_alloc *)node;
	unsigned long total = mas_allocated(mas);

	memset(node, 0, sizeof(*node));
	head->slot[0] = total ? mas->alloc : NULL;
	head->total = total + 1;
	mas->alloc = head;
}

static int mas_alloc_nodes(struct ma_state *mas, unsigned long count,
			   gfp_t gfp)
{
	if ((uintptr_t)mas->alloc & 1)
		mas->alloc = NULL;
	while (mas_allocated(mas) < count) {
		struct maple_node *node = mt_node_alloc(gfp);

		if (!node)
			return -ENOMEM;
		mas_push_node(mas, node);
	}
	return 0;
}

void mas_destroy(struct ma_state *mas)
{
	struct maple_node *node;

	while ((node = mas_pop_node(mas)))
		mt_node_free(node);
	mas->alloc = NULL;
}

bool mas_nomem(struct ma_state *mas, gfp_t gfp)
{
	unsigned long request;

	if (mas->node != MA_ERROR(-ENOMEM)) {
		mas_destroy(mas);
		return false;
	}
	request = mas_alloc_req(mas);
	if (mas_alloc_nodes(mas, request, gfp)) {
		mas_destroy(mas);
		return false;
	}
	mas->node = MAS_START;
	return true;
}

/* Worst case of one write: three new nodes a level and a new root. */
static unsigned long mt_worst_case_nodes(const struct maple_tree *mt)
{
	unsigned int height = mt_height(mt);

	return 3UL * (height ? height : 1) + 1;
}

int mas_preallocate(struct ma_state *mas, void *entry, gfp_t gfp)
{
	(void)entry;
	if (mas_alloc_nodes(mas, mt_worst_case_nodes(mas->tree), gfp)) {
		mas_destroy(mas);
		mas_reset(mas);
		return -ENOMEM;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Writes.                                                              */

struct mt_path {
	struct maple_enode *node;
	unsigned long min;
	unsigned long max;
	unsigned char offset;	/* slot on the way down */
	unsigned char end;	/* data end of @node */
};

/* Pivot, slot and gap of each entry of one level of a write. */
struct maple_big {
	unsigned long pivot[MAPLE_BIG_SLOTS];
	void *slot[MAPLE_BIG_SLOTS];
	unsigned long gap[MAPLE_BIG_SLOTS];
	unsigned int n;
};

/* A node the write replaces; its fields outlive the dead marking. */
struct mt_used {
	struct maple_node *node;
	enum maple_type type;
	unsigned char end;
	unsigned long max;
};

struct mt_wr {
	struct ma_state *mas;
	struct maple_tree *mt;
	struct maple_enode *root;
	struct maple_node *vroot;	/* stand-in leaf for a nodeless tree */
	unsigned int height;
	unsigned int leaf;		/* depth of the leaves: height - 1 */
	bool alloc;
	unsigned long index, last;	/* the range written, once widened */
	void *entry;
	struct mt_path l[MAPLE_HEIGHT_MAX + 1];
	struct mt_path r[MAPLE_HEIGHT_MAX + 1];
	struct maple_enode *new_nodes[MT_MAX_NEW];
	unsigned long new_max[MT_MAX_NEW];
	unsigned int nr_new;
	struct mt_used used[MT_MAX_USED];
	unsigned int nr_used;
};

/*
 * One level of the rebuild: its entries, the range they cover, and the
 * one to three nodes built from them, which the level above takes in.
 */
struct mt_level {
	struct maple_big big;
	unsigned long span_min, span_max;
	enum maple_type type;
	bool append;		/* growing at the right end of the tree */
	int depth;
	unsigned int k;		/* nodes built */
	struct maple_enode *nodes[3];
	unsigned long maxs[3], gaps[3];
};

static void mt_walk_path(const struct mt_wr *wr, unsigned long index,
			 struct mt_path *path)
{
	struct maple_enode *enode = wr->root;
	unsigned long min = 0, max = ULONG_MAX;
	unsigned int depth;

	for (depth = 0;; depth++) {
		struct maple_node *node = mte_to_node(enode);
		enum maple_type type = mte_node_type(enode);
		unsigned long *pivots = ma_pivots(node, type);
		unsigned char end = ma_data_end(node, type, pivots, max);
		unsigned char offset = pivot_offset(pivots, end, index);
		unsigned long smin;

		path[depth] = (struct mt_path){ enode, min, max, offset, end };
		if (ma_is_leaf(type))
			return;
		smin = slot_min(pivots, offset, min);
		max = slot_max(pivots, offset, end, max);
		min = smin;
		enode = ma_slots(node, type)[offset];
	}
}

static inline void big_push(struct maple_big *big, unsigned long pivot,
			    void *slot, unsigned long gap)
{
	big->pivot[big->n] = pivot;
	big->slot[big->n] = slot;
	big->gap[big->n] = gap;
	big->n++;
}

/* Append slots [from, to] of a path node. */
static void big_copy(struct maple_big *big, const struct mt_path *p,
		     int from, int to)
{
	struct maple_node *node = mte_to_node(p->node);
	enum maple_type type = mte_node_type(p->node);
	unsigned long *pivots = ma_pivots(node, type);
	unsigned long *gaps = ma_gaps(node, type);
	void **slots = ma_slots(node, type);
	int i;

	for (i = from; i <= to; i++)
		big_push(big, slot_max(pivots, (unsigned char)i, p->end, p->max),
			 slots[i], gaps ? gaps[i] : 0);
}

/* Put every slot of a path node in front of what @big holds. */
static void big_prepend(struct maple_big *big, const struct mt_path *p)
{
	unsigned int count = p->end + 1u, n = big->n;

	memmove(big->pivot + count, big->pivot, n * sizeof(big->pivot[0]));
	memmove(big->slot + count, big->slot, n * sizeof(big->slot[0]));
	memmove(big->gap + count, big->gap, n * sizeof(big->gap[0]));
	big->n = 0;
	big_copy(big, p, 0, p->end);
	big->n = n + count;
}

/*
 * Write @cnt entries of @big from @start into @node as a node of @type
 * covering [@nmin, @nmax]; the parent pointer is kept.  Returns the node's
 * largest gap when the tree tracks gaps.
 */
static unsigned long mt_fill_node(const struct maple_tree *mt,
				  struct maple_node *node, enum maple_type type,
				  const struct maple_big *big, unsigned int start,
				  unsigned int cnt, unsigned long nmin,
				  unsigned long nmax)
{
	struct maple_pnode *parent = node->parent;
	unsigned long *pivots = ma_pivots(node, type);
	unsigned long *gaps = ma_gaps(node, type);
	void **slots = ma_slots(node, type);
	unsigned long max_gap = 0, lo = nmin;
	unsigned char gap_offset = 0;
	bool leaf_gaps = mt_is_alloc(mt) && ma_is_leaf(type);
	unsigned int i;

	MT_BUG_ON(mt, cnt == 0 || cnt > mt_slots[type]);
	MT_BUG_ON(mt, big->pivot[start + cnt - 1] != nmax);

	memset(node, 0, sizeof(*node));
	node->parent = parent;
	for (i = 0; i < cnt; i++) {
		unsigned long pivot = big->pivot[start + i];

		MT_BUG_ON(mt, pivot < lo);
		MT_BUG_ON(mt, !ma_is_leaf(type) && !big->slot[start + i]);
		slots[i] = big->slot[start + i];
		if (i < mt_pivots[type])
			pivots[i] = pivot;
		if (gaps) {
			gaps[i] = big->gap[start + i];
			if (gaps[i] > max_gap) {
				max_gap = gaps[i];
				gap_offset = (unsigned char)i;
			}
		} else if (leaf_gaps && !slots[i] && pivot - lo + 1 > max_gap) {
			max_gap = pivot - lo + 1;
		}
		lo = pivot + 1;
	}

	if (type == maple_arange_64) {
		node->ma64.meta.end = (unsigned char)(cnt - 1);
		node->ma64.meta.gap = gap_offset;
	} else if (cnt < mt_slots[type]) {
		/* Not full: the last slot becomes the metadata. */
		node->mr64.meta.end = (unsigned char)(cnt - 1);
		node->mr64.meta.gap = 0;
	}
	return max_gap;
}

/* After slot @wr->l[depth].offset's gap changed to @gap, fix ancestors. */
static void mt_update_gaps(struct mt_wr *wr, int depth, unsigned long gap)
{
	for (; depth >= 0; depth--) {
		struct mt_path *p = &wr->l[depth];
		struct maple_node *node = mte_to_node(p->node);
		unsigned long *gaps = node->ma64.gap;
		unsigned char end = node->ma64.meta.end, i, best = 0;

		if (gaps[p->offset] == gap)
			return;
		gaps[p->offset] = gap;
		for (i = 1; i <= end; i++)
			if (gaps[i] > gaps[best])
				best = i;
		node->ma64.meta.gap = best;
		gap = gaps[best];
	}
}

static void mt_used_add(struct mt_wr *wr, const struct mt_path *p)
{
	struct maple_node *node = mte_to_node(p->node);
	unsigned int i;

	if (node == wr->vroot)
		return;
	for (i = 0; i < wr->nr_used; i++)
		if (wr->used[i].node == node)
			return;
	MT_BUG_ON(wr->mt, wr->nr_used >= MT_MAX_USED);
	wr->used[wr->nr_used++] = (struct mt_used){
		node, mte_node_type(p->node), p->end, p->max };
}

static struct maple_node *mt_wr_alloc(struct mt_wr *wr, enum maple_type type,
				      unsigned long max)
{
	struct maple_node *node = mas_pop_node(wr->mas);

	if (!node)
		node = mt_node_alloc(GFP_NOWAIT | __GFP_NOWARN);
	if (!node)
		return NULL;
	MT_BUG_ON(wr->mt, wr->nr_new >= MT_MAX_NEW);
	wr->new_max[wr->nr_new] = max;
	wr->new_nodes[wr->nr_new++] = mt_mk_node(node, type);
	return node;
}

/* Free a subtree the write covered; skip what was kept or replaced. */
static void mt_free_covered(struct maple_node *parent, struct maple_enode *enode,
			    unsigned long max)
{
	struct maple_node *node = mte_to_node(enode);
	enum maple_type type = mte_node_type(enode);

	if (mt_parent_node(node) != parent)
		return;
	if (!ma_is_leaf(type)) {
		unsigned long *pivots = ma_pivots(node, type);
		void **slots = ma_slots(node, type);
		unsigned char end = ma_data_end(node, type, pivots, max), i;

		for (i = 0; i <= end; i++)
			mt_free_covered(node, slots[i],
					slot_max(pivots, i, end, max));
	}
	mt_node_free(node);
}

static void mt_free_all(struct maple_enode *enode, unsigned long max)
{
	struct maple_node *node = mte_to_node(enode);
	enum maple_type type = mte_node_type(enode);

	if (!ma_is_leaf(type)) {
		unsigned long *pivots = ma_pivots(node, type);
		void **slots = ma_slots(node, type);
		unsigned char end = ma_data_end(node, type, pivots, max), i;

		for (i = 0; i <= end; i++)
			mt_free_all(slots[i], slot_max(pivots, i, end, max));
	}
	mt_node_free(node);
}

/* Set the parent pointers of every child of the new internal nodes. */
static void mt_adopt_children(struct mt_wr *wr)
{
	unsigned int i;

	for (i = 0; i < wr->nr_new; i++) {
		struct maple_enode *enode = wr->new_nodes[i];
		struct maple_node *node;
		enum maple_type type;
		unsigned char end, j;
		void **slots;

		if (!enode)
			continue;
		node = mte_to_node(enode);
		type = mte_node_type(enode);
		if (ma_is_leaf(type))
			continue;
		slots = ma_slots(node, type);
		end = ma_data_end(node, type, ma_pivots(node, type),
				  wr->new_max[i]);
		for (j = 0; j <= end; j++)
			mte_to_node(slots[j])->parent = mt_mk_parent(node, j);
	}
}

/* Replaced nodes die; the subtrees the write covered go with them. */
static void mt_free_used(struct mt_wr *wr)
{
	unsigned int i;

	for (i = 0; i < wr->nr_used; i++)
		wr->used[i].node->parent =
			(struct maple_pnode *)wr->used[i].node;
	for (i = 0; i < wr->nr_used; i++) {
		struct mt_used *u = &wr->used[i];
		unsigned long *pivots;
		void **slots;
		unsigned char j;

		if (ma_is_leaf(u->type))
			continue;
		pivots = ma_pivots(u->node, u->type);
		slots = ma_slots(u->node, u->type);
		for (j = 0; j <= u->end; j++)
			mt_free_covered(u->node, slots[j],
					slot_max(pivots, j, u->end, u->max));
	}
	for (i = 0; i < wr->nr_used; i++)
		mt_node_free(wr->used[i].node);
}

/* Drop a node built by this write that the result does not need. */
static void mt_forget_new(struct mt_wr *wr, struct maple_node *node)
{
	unsigned int i;

	for (i = 0; i < wr->nr_new; i++)
		if (wr->new_nodes[i] && mte_to_node(wr->new_nodes[i]) == node)
			wr->new_nodes[i] = NULL;
	mt_node_free(node);
}

/* A leaf holding a single NULL range: what an emptied root leaf is. */
static bool mt_leaf_is_empty(struct maple_enode *enode)
{
	struct maple_node *node = mte_to_node(enode);

	return ma_is_leaf(mte_node_type(enode)) &&
		ma_data_end(node, maple_leaf_64, node->mr64.pivot, ULONG_MAX) == 0 &&
		!node->mr64.slot[0];
}

/* How many nodes, of what sizes, @n entries become. */
static unsigned int mt_split(unsigned int n, enum maple_type type, bool append,
			     unsigned int sizes[3])
{
	unsigned int cap = mt_slots[type];
	unsigned int k, i;

	if (n <= cap) {
		sizes[0] = n;
		return 1;
	}
	/*
	 * Growing at the right end of the tree (ascending inserts, the
	 * common case for address spaces): fill the left node completely and
	 * start a new rightmost node, instead of leaving two half-empty ones.
	 * The rightmost node of a level is the only one allowed below the
	 * minimum occupancy; the next appends fill it.
	 */
	if (append && n <= 2 * cap) {
		sizes[0] = cap;
		sizes[1] = n - cap;
		return 2;
	}
	k = (n + cap - 1) / cap;
	for (i = 0; i < k; i++)
		sizes[i] = n / k + (i < n % k);
	return k;
}

/*
 * Set up @wr for a write of @entry over [mas->index, mas->last].  A tree
 * without a root node keeps a lone entry at 0 in ma_root itself, as the
 * kernel does: that write is finished here and true returned.  Any other
 * write to such a tree goes through @vroot, a stand-in leaf holding what
 * ma_root held, so the rest of the write path sees only trees of nodes.
 */
static bool mt_wr_start(struct mt_wr *wr, struct ma_state *mas, void *entry,
			struct maple_node *vroot, void **content)
{
	struct maple_tree *mt = mas->tree;
	void *root = mt->ma_root;

	wr->mas = mas;
	wr->mt = mt;
	wr->alloc = mt_is_alloc(mt);
	wr->nr_new = wr->nr_used = 0;
	wr->vroot = NULL;
	wr->index = mas->index;
	wr->last = mas->last;
	wr->entry = entry;

	if (xa_is_node(root)) {
		wr->root = mte_safe_root(root);
		wr->height = mt_height(mt);
		wr->leaf = wr->height - 1;
		return false;
	}
	if (!wr->index && !wr->last && !xa_is_internal(entry)) {
		if (content)
			*content = root;
		mt->ma_root = entry;
		mt_set_height(mt, 0);
		return true;
	}
	memset(vroot, 0, sizeof(*vroot));
	if (root) {
		vroot->mr64.slot[0] = root;
		vroot->mr64.pivot[0] = 0;
		vroot->mr64.pivot[1] = ULONG_MAX;
		vroot->mr64.meta.end = 1;
	} else {
		vroot->mr64.pivot[0] = ULONG_MAX;
	}
	wr->vroot = vroot;
	wr->root = mt_mk_node(vroot, maple_leaf_64);
	wr->height = 1;
	wr->leaf = 0;
	return false;
}

/*
 * Find the leaf slots of index and last: the left and right paths every
 * later step works from.  When last falls in index's leaf the right path
 * is a copy of the left one and needs no second walk.  *@content gets the
 * entry at index before the write.
 */
static void mt_wr_locate(struct mt_wr *wr, void **content)
{
	struct mt_path *lp;
	unsigned long *pivots;

	mt_walk_path(wr, wr->index, wr->l);
	lp = &wr->l[wr->leaf];
	if (content)
		*content = ma_slots(mte_to_node(lp->node),
				    maple_leaf_64)[lp->offset];
	if (wr->last <= lp->max) {
		memcpy(wr->r, wr->l, wr->height * sizeof(wr->r[0]));
		pivots = ma_pivots(mte_to_node(lp->node), maple_leaf_64);
		wr->r[wr->leaf].offset = pivot_offset(pivots, lp->end, wr->last);
	} else {
		mt_walk_path(wr, wr->last, wr->r);
	}
}

/*
 * A NULL write takes in the NULL range that ends just before index, in
 * the same leaf or the one before, so that two NULL ranges never touch.
 */
static void mt_wr_widen_left(struct mt_wr *wr)
{
	struct mt_path *lp = &wr->l[wr->leaf];
	struct mt_path q[MAPLE_HEIGHT_MAX + 1];
	unsigned long *pivots = ma_pivots(mte_to_node(lp->node), maple_leaf_64);
	void **slots = ma_slots(mte_to_node(lp->node), maple_leaf_64);
	unsigned long smin = slot_min(pivots, lp->offset, lp->min);
	struct mt_path *qp = &q[wr->leaf];

	if (!slots[lp->offset]) {
		wr->index = smin;
	} else if (wr->index == smin && lp->offset) {
		if (!slots[lp->offset - 1]) {
			lp->offset--;
			wr->index = slot_min(pivots, lp->offset, lp->min);
		}
	} else if (wr->index == smin && smin) {
		mt_walk_path(wr, smin - 1, q);
		pivots = ma_pivots(mte_to_node(qp->node), maple_leaf_64);
		slots = ma_slots(mte_to_node(qp->node), maple_leaf_64);
		if (!slots[qp->offset]) {
			wr->index = slot_min(pivots, qp->offset, qp->min);
			memcpy(wr->l, q, wr->height * sizeof(q[0]));
		}
	}
}

/* The same on the right: the NULL range that starts just after last. */
static void mt_wr_widen_right(struct mt_wr *wr)
{
	struct mt_path *rp = &wr->r[wr->leaf];
	struct mt_path q[MAPLE_HEIGHT_MAX + 1];
	unsigned long *pivots = ma_pivots(mte_to_node(rp->node), maple_leaf_64);
	void **slots = ma_slots(mte_to_node(rp->node), maple_leaf_64);
	unsigned long smax = slot_max(pivots, rp->offset, rp->end, rp->max);
	struct mt_path *qp = &q[wr->leaf];

	if (!slots[rp->offset]) {
		wr->last = smax;
	} else if (wr->last == smax && rp->offset < rp->end) {
		if (!slots[rp->offset + 1]) {
			rp->offset++;
			wr->last = slot_max(pivots, rp->offset, rp->end,
					    rp->max);
		}
	} else if (wr->last == smax && smax != ULONG_MAX) {
		mt_walk_path(wr, smax + 1, q);
		pivots = ma_pivots(mte_to_node(qp->node), maple_leaf_64);
		slots = ma_slots(mte_to_node(qp->node), maple_leaf_64);
		if (!slots[qp->offset]) {
			wr->last = slot_max(pivots, qp->offset, qp->end,
					    qp->max);
			memcpy(wr->r, q, wr->height * sizeof(q[0]));
		}
	}
}

/*
 * The leaf level's new entries: what the left leaf keeps before index
 * (part of a range cut at index too), the new range, and what the right
 * leaf keeps after last.  This is the first level the rebuild splits.
 */
static void mt_wr_leaf_entries(struct mt_wr *wr, struct mt_level *lv)
{
	struct mt_path *lp = &wr->l[wr->leaf], *rp = &wr->r[wr->leaf];
	struct maple_big *big = &lv->big;
	unsigned long *pivots, smax;
	unsigned int right_kept, i;
	void **slots;

	big->n = 0;
	big_copy(big, lp, 0, (int)lp->offset - 1);
	pivots = ma_pivots(mte_to_node(lp->node), maple_leaf_64);
	slots = ma_slots(mte_to_node(lp->node), maple_leaf_64);
	if (slot_min(pivots, lp->offset, lp->min) < wr->index)
		big_push(big, wr->index - 1, slots[lp->offset], 0);
	big_push(big, wr->last, wr->entry, 0);
	pivots = ma_pivots(mte_to_node(rp->node), maple_leaf_64);
	slots = ma_slots(mte_to_node(rp->node), maple_leaf_64);
	smax = slot_max(pivots, rp->offset, rp->end, rp->max);
	right_kept = rp->end - rp->offset;
	if (smax > wr->last) {
		big_push(big, smax, slots[rp->offset], 0);
		right_kept++;
	}
	big_copy(big, rp, rp->offset + 1, rp->end);

	lv->type = maple_leaf_64;
	lv->depth = (int)wr->leaf;
	lv->span_min = lp->min;
	lv->span_max = rp->max;
	lv->append = lv->span_max == ULONG_MAX && right_kept <= 1;
	for (i = 1; i < big->n; i++)
		MT_BUG_ON(wr->mt, !big->slot[i] && !big->slot[i - 1]);
}

/*
 * The cheap case: the entries fit the one leaf they came from without
 * leaving it short, so it is rewritten in place and only the gaps above
 * change.  Needs no allocation.  Returns false when the leaf must be
 * rebuilt instead.
 */
static bool mt_wr_in_place(struct mt_wr *wr, const struct maple_big *big)
{
	struct mt_path *lp = &wr->l[wr->leaf], *rp = &wr->r[wr->leaf];
	enum maple_type type = maple_leaf_64;
	unsigned long gap;

	if (wr->vroot || lp->node != rp->node || big->n > mt_slots[type])
		return false;
	if (wr->leaf ? big->n < mt_min_slots[type] && lp->max != ULONG_MAX :
	    big->n <= 1 && !big->slot[0])
		return false;
	gap = mt_fill_node(wr->mt, mte_to_node(lp->node), type, big, 0,
			   big->n, lp->min, lp->max);
	if (wr->alloc && wr->leaf)
		mt_update_gaps(wr, (int)wr->leaf - 1, gap);
	return true;
}

/*
 * Entries too few for one node that is not the rightmost of its level (the
 * one node allowed to run short): take in the whole neighbour at this
 * depth, the left one if there is one, so the split can meet the minimum.
 * The neighbour is replaced too, and the path on its side moves to it.
 */
static void mt_wr_pull_neighbour(struct mt_wr *wr, struct mt_level *lv)
{
	struct mt_path q[MAPLE_HEIGHT_MAX + 1];
	struct mt_path *qp = &q[lv->depth];

	if (lv->span_min) {
		mt_walk_path(wr, lv->span_min - 1, q);
		big_prepend(&lv->big, qp);
		lv->span_min = qp->min;
		mt_used_add(wr, qp);
		/* A pulled neighbour rules out a pointer swap. */
		memcpy(wr->l, q, (lv->depth + 1) * sizeof(q[0]));
	} else {
		mt_walk_path(wr, lv->span_max + 1, q);
		big_copy(&lv->big, qp, 0, qp->end);
		lv->span_max = qp->max;
		mt_used_add(wr, qp);
		memcpy(wr->r, q, (lv->depth + 1) * sizeof(q[0]));
		lv->append = false;
	}
}

/*
 * Split this level's entries into one to three new nodes and fill them.
 * Nodes come from the preallocated stack, else the allocator; -ENOMEM
 * when neither has one (mt_wr_abort() frees what was built).
 */
static int mt_wr_build_level(struct mt_wr *wr, struct mt_level *lv)
{
	unsigned long lo = lv->span_min;
	unsigned int sizes[3], start = 0, i;

	lv->k = mt_split(lv->big.n, lv->type, lv->append, sizes);
	MT_BUG_ON(wr->mt, lv->k > 3);
	for (i = 0; i < lv->k; i++) {
		struct maple_node *node;

		lv->maxs[i] = lv->big.pivot[start + sizes[i] - 1];
		node = mt_wr_alloc(wr, lv->type, lv->maxs[i]);
		if (!node)
			return -ENOMEM;
		lv->gaps[i] = mt_fill_node(wr->mt, node, lv->type, &lv->big,
					   start, sizes[i], lo, lv->maxs[i]);
		lv->nodes[i] = mt_mk_node(node, lv->type);
		lo = lv->maxs[i] + 1;
		start += sizes[i];
	}
	MT_BUG_ON(wr->mt, start != lv->big.n ||
		  lv->maxs[lv->k - 1] != lv->span_max);
	return 0;
}

/*
 * One level up: the parent level's entries are what the left parent keeps
 * left of its path, the nodes just built, and what the right parent keeps
 * right of its path.  Both parents are replaced.
 */
static void mt_wr_ascend(struct mt_wr *wr, struct mt_level *lv)
{
	struct mt_path *lp, *rp;
	unsigned int i;

	lv->depth--;
	lv->type = mt_internal_type(wr->mt);
	lp = &wr->l[lv->depth];
	rp = &wr->r[lv->depth];
	lv->big.n = 0;
	big_copy(&lv->big, lp, 0, (int)lp->offset - 1);
	for (i = 0; i < lv->k; i++)
		big_push(&lv->big, lv->maxs[i], lv->nodes[i], lv->gaps[i]);
	big_copy(&lv->big, rp, rp->offset + 1, rp->end);
	lv->append = lv->append && rp->offset == rp->end &&
		rp->max == ULONG_MAX;
	lv->span_min = lp->min;
	lv->span_max = rp->max;
	mt_used_add(wr, lp);
	mt_used_add(wr, rp);
}

/*
 * Build new nodes level by level from the leaves up, until a level whose
 * single old node became a single new one (lv->depth > 0 on return: the
 * parent only needs the new pointer) or the root level (lv->depth == 0).
 * Touches nothing in the tree.  Returns 0 or -ENOMEM.
 */
static int mt_wr_rebuild(struct mt_wr *wr, struct mt_level *lv)
{
	for (;;) {
		if (lv->depth && lv->big.n < mt_min_slots[lv->type] &&
		    lv->span_max != ULONG_MAX)
			mt_wr_pull_neighbour(wr, lv);
		if (mt_wr_build_level(wr, lv))
			return -ENOMEM;
		if (!lv->depth)
			return 0;
		if (wr->l[lv->depth].node == wr->r[lv->depth].node &&
		    lv->k == 1)
			return 0;
		mt_wr_ascend(wr, lv);
	}
}

/*
 * Commit a rebuild that stopped below the root: point the parent's slot
 * at the new node, free what it replaced and fix the gaps above.
 */
static void mt_wr_replace_child(struct mt_wr *wr, const struct mt_level *lv)
{
	struct mt_path *pp = &wr->l[lv->depth - 1];
	struct maple_node *parent = mte_to_node(pp->node);

	mt_adopt_children(wr);
	ma_slots(parent, mte_node_type(pp->node))[pp->offset] = lv->nodes[0];
	mte_to_node(lv->nodes[0])->parent = mt_mk_parent(parent, pp->offset);
	mt_free_used(wr);
	if (wr->alloc)
		mt_update_gaps(wr, lv->depth - 1, lv->gaps[0]);
}

/*
 * The root level split into several nodes: put a new root above them,
 * the last allocation of the write.  Returns 0 or -ENOMEM.
 */
static int mt_wr_grow_root(struct mt_wr *wr, struct mt_level *lv)
{
	enum maple_type type = mt_internal_type(wr->mt);
	struct maple_node *node = mt_wr_alloc(wr, type, ULONG_MAX);
	unsigned int i;

	if (!node)
		return -ENOMEM;
	lv->big.n = 0;
	for (i = 0; i < lv->k; i++)
		big_push(&lv->big, lv->maxs[i], lv->nodes[i], lv->gaps[i]);
	mt_fill_node(wr->mt, node, type, &lv->big, 0, lv->k, 0, ULONG_MAX);
	lv->nodes[0] = mt_mk_node(node, type);
	lv->k = 1;
	return 0;
}

/*
 * Commit a rebuild that reached the root: install @top as the root of a
 * tree of @height, after dropping roots with a single child (a shrinking
 * tree) and a leaf holding one NULL range (an emptied tree), then free
 * what the write replaced.
 */
static void mt_wr_set_root(struct mt_wr *wr, struct maple_enode *top,
			   unsigned int height)
{
	struct maple_tree *mt = wr->mt;

	mt_adopt_children(wr);
	while (!ma_is_leaf(mte_node_type(top))) {
		struct maple_node *node = mte_to_node(top);
		enum maple_type type = mte_node_type(top);

		if (ma_data_end(node, type, ma_pivots(node, type), ULONG_MAX))
			break;
		top = ma_slots(node, type)[0];
		mt_forget_new(wr, node);
		height--;
	}
	if (mt_leaf_is_empty(top)) {
		mt_forget_new(wr, mte_to_node(top));
		mt->ma_root = NULL;
		height = 0;
	} else {
		mte_to_node(top)->parent = (struct maple_pnode *)
			((uintptr_t)mt | MA_ROOT_PARENT);
		mt->ma_root = mte_mk_root(top);
	}
	mt_set_height(mt, height);
	mt_free_used(wr);
}

/*
 * Out of nodes before the tree was touched: free the nodes built so far
 * and record how many mas_nomem() should get.
 */
static int mt_wr_abort(struct mt_wr *wr)
{
	unsigned int i;

	for (i = 0; i < wr->nr_new; i++)
		if (wr->new_nodes[i])
			mt_node_free(mte_to_node(wr->new_nodes[i]));
	mas_set_alloc_req(wr->mas, mt_worst_case_nodes(wr->mt));
	return -ENOMEM;
}

/*
 * Store @entry over [mas->index, mas->last].  On success mas->index and
 * mas->last hold the range written (wider for a NULL joining NULLs) and
 * *@content the entry that was at mas->index.  Returns 0 or -ENOMEM, in
 * which case the tree is unchanged and the state records how many nodes
 * mas_nomem() should get.
 */
static int mt_write(struct ma_state *mas, void *entry, void **content)
{
	_Alignas(MAPLE_NODE_SIZE) struct maple_node vroot;
	struct mt_level lv;
	struct mt_wr wr;
	unsigned int height;

	if (mt_wr_start(&wr, mas, entry, &vroot, content))
		return 0;
	mt_wr_locate(&wr, content);
	if (!entry) {
		mt_wr_widen_left(&wr);
		mt_wr_widen_right(&wr);
	}
	mt_wr_leaf_entries(&wr, &lv);
	if (!mt_wr_in_place(&wr, &lv.big)) {
		mt_used_add(&wr, &wr.l[wr.leaf]);
		mt_used_add(&wr, &wr.r[wr.leaf]);
		if (mt_wr_rebuild(&wr, &lv))
			return mt_wr_abort(&wr);
		if (lv.depth) {
			mt_wr_replace_child(&wr, &lv);
		} else {
			height = wr.height;
			if (lv.k > 1) {
				if (mt_wr_grow_root(&wr, &lv))
					return mt_wr_abort(&wr);
				height++;
			}
			mt_wr_set_root(&wr, lv.nodes[0], height);
		}
	}
	mas->index = wr.index;
	mas->last = wr.last;
	return 0;
}

/* Leave the state on the range just written, as the kernel does. */
static void mas_wr_reposition(struct ma_state *mas)
{
	unsigned long index = mas->index, last = mas->last;

	if (xa_is_node(mas->tree->ma_root)) {
		mas_descend(mas, index);
		mas->index = index;
		mas->last = last;
	} else {
		mas->node = MAS_START;
	}
}

void *mas_store(struct ma_state *mas, void *entry)
{
	void *content = NULL;
	int ret;

	if (mas->index > mas->last) {
		mas_set_err(mas, -EINVAL);
		return NULL;
	}
	ret = mt_write(mas, entry, &content);
	if (ret) {
		mas_set_err(mas, ret);
		return content;
	}
	mas_wr_reposition(mas);
	return content;
}

int mas_store_gfp(struct ma_state *mas, void *entry, gfp_t gfp)
{
	if (mas->index > mas->last) {
		mas_set_err(mas, -EINVAL);
		return -EINVAL;
	}
retry:
	mas_store(mas, entry);
	if (mas_nomem(mas, gfp))
		goto retry;
	if (mas_is_err(mas))
		return xa_err(mas->node);
	return 0;
}

void mas_store_prealloc(struct ma_state *mas, void *entry)
{
	mas_store(mas, entry);
	MAS_BUG_ON(mas, mas_is_err(mas));
	mas_destroy(mas);
}

void *mas_erase(struct ma_state *mas)
{
	void *entry = mas_walk(mas);

	if (!entry)
		return NULL;
retry:
	mas_store(mas, NULL);
	if (mas_nomem(mas, GFP_KERNEL))
		goto retry;
	return entry;
}

/* Store unless any index of [index, last] is in use (-EEXIST). */
static void mas_insert(struct ma_state *mas, void *entry)
{
	unsigned long index = mas->index, last = mas->last;
	void *cur = mas_walk(mas);
	int ret;

	/* NULL ranges never touch, so one free range must cover it all. */
	if (cur || mas->last < last) {
		mas->index = index;
		mas->last = last;
		mas_set_err(mas, -EEXIST);
		return;
	}
	mas->index = index;
	mas->last = last;
	ret = mt_write(mas, entry, NULL);
	if (ret)
		mas_set_err(mas, ret);
	else
		mas->node = MAS_START;
}

/* ------------------------------------------------------------------ */
/* Gap search.                                                          */

struct mt_gap_search {
	struct ma_state *mas;
	unsigned long min, max, size;
	bool use_gaps;
};

static bool mt_gap_fwd(struct mt_gap_search *gs, struct maple_enode *enode,
		       unsigned long nmin, unsigned long nmax)
{
	struct maple_node *node = mte_to_node(enode);
	enum maple_type type = mte_node_type(enode);
	unsigned long *pivots = ma_pivots(node, type);
	unsigned long *gaps = gs->use_gaps ? ma_gaps(node, type) : NULL;
	unsigned char end = ma_data_end(node, type, pivots, nmax), i;
	void **slots = ma_slots(node, type);

	for (i = pivot_offset(pivots, end, gs->min); i <= end; i++) {
		unsigned long smin = slot_min(pivots, i, nmin);
		unsigned long smax = slot_max(pivots, i, end, nmax);

		if (smin > gs->max)
			break;
		if (ma_is_leaf(type)) {
			unsigned long lo = smin > gs->min ? smin : gs->min;
			unsigned long hi = smax < gs->max ? smax : gs->max;

			if (slots[i] || hi - lo < gs->size - 1)
				continue;
			gs->mas->node = enode;
			gs->mas->min = nmin;
			gs->mas->max = nmax;
			gs->mas->offset = i;
			gs->mas->index = lo;
			gs->mas->last = lo + gs->size - 1;
			return true;
		}
		if (gaps && gaps[i] < gs->size)
			continue;
		if (mt_gap_fwd(gs, slots[i], smin, smax))
			return true;
	}
	return false;
}

static bool mt_gap_rev(struct mt_gap_search *gs, struct maple_enode *enode,
		       unsigned long nmin, unsigned long nmax)
{
	struct maple_node *node = mte_to_node(enode);
	enum maple_type type = mte_node_type(enode);
	unsigned long *pivots = ma_pivots(node, type);
	unsigned long *gaps = gs->use_gaps ? ma_gaps(node, type) : NULL;
	unsigned char end = ma_data_end(node, type, pivots, nmax);
	void **slots = ma_slots(node, type);
	int i;

	for (i = pivot_offset(pivots, end, gs->max); i >= 0; i--) {
		unsigned long smin = slot_min(pivots, (unsigned char)i, nmin);
		unsigned long smax = slot_max(pivots, (unsigned char)i, end, nmax);

		if (smax < gs->min)
			break;
		if (ma_is_leaf(type)) {
			unsigned long lo = smin > gs->min ? smin : gs->min;
			unsigned long hi = smax < gs->max ? smax : gs->max;

			if (slots[i] || hi - lo < gs->size - 1)
				continue;
			gs->mas->node = enode;
			gs->mas->min = nmin;
			gs->mas->max = nmax;
			gs->mas->offset = (unsigned char)i;
			gs->mas->last = hi;
			gs->mas->index = hi - gs->size + 1;
			return true;
		}
		if (gaps && gaps[i] < gs->size)
			continue;
		if (mt_gap_rev(gs, slots[i], smin, smax))
			return true;
	}
	return false;
}

static int mas_empty_area_common(struct ma_state *mas, unsigned long min,
				 unsigned long max, unsigned long size, bool rev)
{
	struct mt_gap_search gs = { mas, min, max, size,
				    mt_is_alloc(mas->tree) };
	void *root = mas->tree->ma_root;
	bool found;

	if (min > max || size == 0 || max - min < size - 1)
		return -EINVAL;

	if (!xa_is_node(root)) {
		/* Everything is free but index 0 when a lone entry is there. */
		unsigned long lo = (root && !min) ? 1 : min;

		if (lo > max || max - lo < size - 1)
			return -EBUSY;
		mas->node = root ? MAS_ROOT : MAS_NONE;
		if (rev) {
			mas->last = max;
			mas->index = max - size + 1;
		} else {
			mas->index = lo;
			mas->last = lo + size - 1;
		}
		return 0;
	}

	found = rev ? mt_gap_rev(&gs, mte_safe_root(root), 0, ULONG_MAX) :
		mt_gap_fwd(&gs, mte_safe_root(root), 0, ULONG_MAX);
	if (!found) {
		mas->node = MAS_START;
		return -EBUSY;
	}
	return 0;
}

int mas_empty_area(struct ma_state *mas, unsigned long min, unsigned long max,
		   unsigned long size)
{
	return mas_empty_area_common(mas, min, max, size, false);
}

int mas_empty_area_rev(struct ma_state *mas, unsigned long min,
		       unsigned long max, unsigned long size)
{
	return mas_empty_area_common(mas, min, max, size, true);
}

/* ------------------------------------------------------------------ */
/* Normal API.                                                          */

void *mtree_load(struct maple_tree *mt, unsigned long index)
{
	void *entry;

	mtree_lock(mt);
	entry = mt_lookup(mt, index);
	mtree_unlock(mt);
	return xa_is_zero(entry) ? NULL : entry;
}

int mtree_store_range(struct maple_tree *mt, unsigned long index,
		      unsigned long last, void *entry, gfp_t gfp)
{
	MA_STATE(mas, mt, index, last);
	int ret;

	if (xa_is_advanced(entry) || index > last)
		return -EINVAL;

	mtree_lock(mt);
retry:
	ret = mt_write(&mas, entry, NULL);
	if (ret)
		mas_set_err(&mas, ret);
	if (mas_nomem(&mas, gfp))
		goto retry;
	mtree_unlock(mt);
	return mas_is_err(&mas) ? xa_err(mas.node) : 0;
}

int mtree_store(struct maple_tree *mt, unsigned long index, void *entry,
		gfp_t gfp)
{
	return mtree_store_range(mt, index, index, entry, gfp);
}

int mtree_insert_range(struct maple_tree *mt, unsigned long first,
		       unsigned long last, void *entry, gfp_t gfp)
{
	MA_STATE(mas, mt, first, last);

	if (xa_is_advanced(entry) || first > last)
		return -EINVAL;

	mtree_lock(mt);
retry:
	mas_insert(&mas, entry);
	if (mas_nomem(&mas, gfp))
		goto retry;
	mtree_unlock(mt);
	return mas_is_err(&mas) ? xa_err(mas.node) : 0;
}

int mtree_insert(struct maple_tree *mt, unsigned long index, void *entry,
		 gfp_t gfp)
{
	return mtree_insert_range(mt, index, index, entry, gfp);
}

static int mtree_alloc_common(struct maple_tree *mt, unsigned long *startp,
			      void *entry, unsigned long size,
			      unsigned long min, unsigned long max, gfp_t gfp,
			      bool rev)
{
	MA_STATE(mas, mt, 0, 0);
	int ret;

	if (mt_is_reserved(entry))
		return -EINVAL;

	mtree_lock(mt);
	/* Under the lock: writers update the height bits of ma_flags. */
	if (!mt_is_alloc(mt)) {
		ret = -EINVAL;
		goto unlock;
	}
retry:
	ret = mas_empty_area_common(&mas, min, max, size, rev);
	if (ret)
		goto unlock;
	mas_insert(&mas, entry);
	if (mas_nomem(&mas, gfp))
		goto retry;
	if (mas_is_err(&mas))
		ret = xa_err(mas.node);
	else
		*startp = mas.index;
unlock:
	mas_destroy(&mas);
	mtree_unlock(mt);
	return ret;
}

int mtree_alloc_range(struct maple_tree *mt, unsigned long *startp,
		      void *entry, unsigned long size, unsigned long min,
		      unsigned long max, gfp_t gfp)
{
	return mtree_alloc_common(mt, startp, entry, size, min, max, gfp, false);
}

int mtree_alloc_rrange(struct maple_tree *mt, unsigned long *startp,
		       void *entry, unsigned long size, unsigned long min,
		       unsigned long max, gfp_t gfp)
{
	return mtree_alloc_common(mt, startp, entry, size, min, max, gfp, true);
}

void *mtree_erase(struct maple_tree *mt, unsigned long index)
{
	MA_STATE(mas, mt, index, index);
	void *entry;

	mtree_lock(mt);
	entry = mas_erase(&mas);
	if (mas_is_err(&mas))
		entry = NULL;
	mtree_unlock(mt);
	return xa_is_zero(entry) ? NULL : entry;
}

void __mt_destroy(struct maple_tree *mt)
{
	void *root = mt->ma_root;

	if (xa_is_node(root))
		mt_free_all(mte_safe_root(root), ULONG_MAX);
	mt->ma_root = NULL;
	mt_set_height(mt, 0);
}

void mtree_destroy(struct maple_tree *mt)
{
	mtree_lock(mt);
	__mt_destroy(mt);
	mtree_unlock(mt);
}

void *mt_find(struct maple_tree *mt, unsigned long *index, unsigned long max)
{
	MA_STATE(mas, mt, *index, *index);
	void *entry;

	if (*index > max)
		return NULL;

	mtree_lock(mt);
	entry = mas_walk(&mas);
	if (xa_is_zero(entry))
		entry = NULL;
	while (!entry && mas_is_active(&mas) && mas.last < max) {
		entry = mas_next_slot(&mas, max, false);
		if (xa_is_zero(entry))
			entry = NULL;
	}
	mtree_unlock(mt);

	if (entry)
		*index = mas.last + 1;
	return entry;
}

void *mt_find_after(struct maple_tree *mt, unsigned long *index,
		    unsigned long max)
{
	/* *index wrapped to 0: the previous entry ended at ULONG_MAX. */
	if (!*index)
		return NULL;
	return mt_find(mt, index, max);
}

void *mt_next(struct maple_tree *mt, unsigned long index, unsigned long max)
{
	MA_STATE(mas, mt, index, index);
	void *entry;

	mtree_lock(mt);
	do {
		entry = mas_next(&mas, max);
	} while (xa_is_zero(entry));
	mtree_unlock(mt);
	return entry;
}

void *mt_prev(struct maple_tree *mt, unsigned long index, unsigned long min)
{
	MA_STATE(mas, mt, index, index);
	void *entry;

	mtree_lock(mt);
	do {
		entry = mas_prev(&mas, min);
	} while (xa_is_zero(entry));
	mtree_unlock(mt);
	return entry;
}
