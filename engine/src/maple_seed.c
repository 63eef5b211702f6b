// SPDX-License-Identifier: MIT
/*
 * Build the leaf shape of the 2022 maple tree bug with the public API, so
 * the same scenario runs against the real node layout on any target.
 */
#include "maple_internal.h"
#include "maple_seed.h"

/* Width of each range: wide enough to split a range when a leaf is short. */
#define SEED_WIDTH	64UL
#define SEED_RANGES	(3UL * MAPLE_RANGE64_SLOTS)

unsigned long mt_seed_meta_word(unsigned char end, unsigned char gap)
{
	struct maple_range_64 node;

	memset(&node, 0, sizeof(node));
	node.meta.end = end;
	node.meta.gap = gap;
	return (unsigned long)node.slot[MAPLE_RANGE64_SLOTS - 1];
}

bool mt_seed_bug_enabled(void)
{
#ifdef MAPLE_SEED_BUG
	return true;
#else
	return false;
#endif
}

unsigned char mt_seed_leaf_end(const struct ma_state *mas)
{
	return mt_leaf_end(mas);
}

/* Walk to the first leaf; report its data end, max and slot bounds. */
static void seed_first_leaf(struct maple_tree *mt, unsigned char *end,
			    unsigned long *max, unsigned long *first_wide)
{
	MA_STATE(mas, mt, 0, 0);
	unsigned char i;

	mtree_lock(mt);
	mas_walk(&mas);
	*end = mt_leaf_end(&mas);
	*max = mas.max;
	*first_wide = ULONG_MAX;
	/* The first entry wider than one index, short of the last slot. */
	for (i = 0; i < *end; i++) {
		if (mas.last > mas.index) {
			*first_wide = mas.index;
			break;
		}
		mas_next_range(&mas, ULONG_MAX);
	}
	mtree_unlock(mt);
}

int mt_seed_build(struct maple_tree *mt, struct ma_state *mas,
		  unsigned long *limit)
{
	const unsigned char target = MAPLE_RANGE64_SLOTS - 2;
	unsigned long i, max, wide, step = 0;
	unsigned char end;
	int ret;

	if (!mtree_empty(mt))
		return -EINVAL;
	for (i = 0; i < SEED_RANGES; i++) {
		ret = mtree_store_range(mt, i * SEED_WIDTH,
					i * SEED_WIDTH + SEED_WIDTH - 1,
					xa_mk_value(i), GFP_KERNEL);
		if (ret)
			return ret;
	}

	/*
	 * Make the first leaf end at the target offset: split a range in two
	 * to add a slot, or join the first two ranges to drop one.  Both
	 * rewrite the leaf in place, so it stays the first leaf.
	 */
	for (;;) {
		seed_first_leaf(mt, &end, &max, &wide);
		if (end == target)
			break;
		if (end < target) {
			if (wide == ULONG_MAX)
				return -EINVAL;
			ret = mtree_store(mt, wide, xa_mk_value(1000 + step),
					  GFP_KERNEL);
		} else {
			MA_STATE(two, mt, 0, 0);

			mtree_lock(mt);
			mas_walk(&two);
			mas_next_range(&two, ULONG_MAX);
			mtree_unlock(mt);
			ret = mtree_store_range(mt, 0, two.last,
						xa_mk_value(2000 + step),
						GFP_KERNEL);
		}
		if (ret)
			return ret;
		if (++step > 4UL * MAPLE_RANGE64_SLOTS)
			return -EINVAL;
	}

	/* The next leaf starts with a NULL range, as after an munmap(). */
	mtree_erase(mt, max + 1);

	mtree_lock(mt);
	mas->tree = mt;
	mas_set(mas, max);
	mas_walk(mas);
	mtree_unlock(mt);
	*limit = max + 1;
	return 0;
}
