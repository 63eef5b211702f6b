// SPDX-License-Identifier: MIT
/*
 * API tests: every public function with exact expected values, on trees of
 * heights 1 to 5, at the index edges 0 and ULONG_MAX.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "maple_seed.h"
#include "test_util.h"

#define V(x)	xa_mk_value(x)
#define ENODE_BITS(root)	((uintptr_t)(root) & MAPLE_NODE_MASK)

static unsigned long baseline_nodes;

static int group_setup(void **state)
{
	(void)state;
	baseline_nodes = mt_nr_allocated();
	return 0;
}

/* Every test must give back every node it allocated. */
static int test_teardown(void **state)
{
	(void)state;
	assert_int_equal(mt_nr_allocated(), baseline_nodes);
	return 0;
}

static struct maple_node *root_node(const struct maple_tree *mt)
{
	return (struct maple_node *)((uintptr_t)mt->ma_root & ~MAPLE_NODE_MASK);
}

static unsigned long count_entries(struct maple_tree *mt)
{
	unsigned long index = 0, n = 0;
	void *entry;

	mt_for_each(mt, entry, index, ULONG_MAX)
		n++;
	return n;
}

/* Ranges [10 i, 10 i + 4] = V(i), i < n: two slots per range. */
static void build_seq(struct maple_tree *mt, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		assert_int_equal(mtree_store_range(mt, 10 * i, 10 * i + 4, V(i),
						   GFP_KERNEL), 0);
}

/* ------------------------------------------------------------------ */

static void test_layout(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct maple_node), 256);
	assert_int_equal(sizeof(struct maple_range_64), 256);
	assert_int_equal(sizeof(struct maple_metadata), 2);
	assert_true(sizeof(struct maple_arange_64) <= 256);
	assert_int_equal(offsetof(struct maple_range_64, meta),
			 offsetof(struct maple_range_64,
				  slot[MAPLE_RANGE64_SLOTS - 1]));
	assert_int_equal(offsetof(struct maple_range_64, meta) +
			 sizeof(void *), 256);
	assert_int_equal(offsetof(struct maple_node, mr64.pivot),
			 sizeof(void *));
	assert_int_equal(offsetof(struct maple_arange_64, gap),
			 offsetof(struct maple_arange_64, slot) +
			 MAPLE_ARANGE64_SLOTS * sizeof(void *));
	if (sizeof(long) == 8) {
		assert_int_equal(MAPLE_NODE_SLOTS, 31);
		assert_int_equal(MAPLE_RANGE64_SLOTS, 16);
		assert_int_equal(MAPLE_ARANGE64_SLOTS, 10);
		assert_int_equal(offsetof(struct maple_range_64, meta), 248);
		assert_int_equal(sizeof(struct maple_arange_64), 248);
	} else {
		assert_int_equal(MAPLE_NODE_SLOTS, 63);
		assert_int_equal(MAPLE_RANGE64_SLOTS, 32);
		assert_int_equal(MAPLE_ARANGE64_SLOTS, 21);
		assert_int_equal(offsetof(struct maple_range_64, meta), 252);
		assert_int_equal(sizeof(struct maple_arange_64), 256);
	}
}

/* The metadata really sits in the last slot of a live, non-full leaf. */
static void test_layout_overlay_live(void **state)
{
	DEFINE_MTREE(mt);
	struct maple_node *node;
	unsigned long word;

	(void)state;
	build_seq(&mt, 3);	/* 0-4, 5-9 NULL, 10-14, 15-19, 20-24, NULL */
	assert_int_equal(mt_height(&mt), 1);
	node = root_node(&mt);
	assert_int_equal(node->mr64.meta.end, 5);
	assert_int_equal(node->mr64.meta.gap, 0);
	word = (unsigned long)node->mr64.slot[MAPLE_RANGE64_SLOTS - 1];
	assert_int_equal(word, mt_seed_meta_word(5, 0));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	assert_int_equal(word, 0x5);
#elif defined(__BYTE_ORDER__)
	assert_int_equal(word, 0x5UL << (8 * (sizeof(long) - 1)));
#endif
	assert_int_equal(node->mr64.pivot[5], ULONG_MAX);
	assert_int_equal(node->mr64.pivot[4], 24);
	mtree_destroy(&mt);
}

static void test_encoding(void **state)
{
	struct maple_tree mt;
	uintptr_t root;
	struct maple_node *node, *child;
	unsigned long i;

	(void)state;
	mt_init(&mt);
	build_seq(&mt, 2);
	root = (uintptr_t)mt.ma_root;
	/* node | maple_leaf_64 << 3 | 0x4, marked as root with bit 1. */
	assert_int_equal(ENODE_BITS(root), (maple_leaf_64 << 3) | 0x4 | 0x2);
	assert_int_equal((uintptr_t)root_node(&mt)->parent, (uintptr_t)&mt | 1);
	mtree_destroy(&mt);

	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	build_seq(&mt, 40);
	assert_int_equal(mt_height(&mt), 2);
	root = (uintptr_t)mt.ma_root;
	assert_int_equal(ENODE_BITS(root), (maple_arange_64 << 3) | 0x4 | 0x2);
	node = root_node(&mt);
	for (i = 0; i <= node->ma64.meta.end; i++) {
		uintptr_t slot = (uintptr_t)node->ma64.slot[i];

		assert_int_equal(ENODE_BITS(slot), (maple_leaf_64 << 3) | 0x4);
		child = (struct maple_node *)(slot & ~MAPLE_NODE_MASK);
		/* parent | slot << 3 | 0x6 */
		assert_int_equal((uintptr_t)child->parent,
				 (uintptr_t)node | (i << 3) | 0x6);
		/* Every leaf here has a free run of 5 (a hole between ranges). */
		assert_true(node->ma64.gap[i] >= 5);
	}
	assert_int_equal(node->ma64.gap[node->ma64.meta.end], ULONG_MAX - 395 + 1);
	assert_int_equal(node->ma64.meta.gap, node->ma64.meta.end);
	mtree_destroy(&mt);

	mt_init(&mt);
	build_seq(&mt, 40);
	assert_int_equal(ENODE_BITS(mt.ma_root), (maple_range_64 << 3) | 0x4 | 0x2);
	mtree_destroy(&mt);
}

static void test_empty(void **state)
{
	DEFINE_MTREE(mt);
	unsigned long index = 0;

	(void)state;
	assert_true(mtree_empty(&mt));
	assert_int_equal(mt_height(&mt), 0);
	assert_null(mtree_load(&mt, 0));
	assert_null(mtree_load(&mt, ULONG_MAX));
	assert_null(mtree_erase(&mt, 7));
	assert_null(mt_find(&mt, &index, ULONG_MAX));
	assert_int_equal(index, 0);
	assert_null(mt_next(&mt, 0, ULONG_MAX));
	assert_null(mt_prev(&mt, ULONG_MAX, 0));
	assert_int_equal(mt_validate(&mt), 0);
	mtree_destroy(&mt);
	assert_true(mtree_empty(&mt));
}

static void test_root_entry(void **state)
{
	DEFINE_MTREE(mt);
	MA_STATE(mas, &mt, 0, 0);

	(void)state;
	/* A lone entry at 0 is kept in ma_root itself. */
	assert_int_equal(mtree_store(&mt, 0, V(1), GFP_KERNEL), 0);
	assert_ptr_equal(mt.ma_root, V(1));
	assert_int_equal(mt_height(&mt), 0);
	assert_int_equal(mt_nr_allocated(), baseline_nodes);
	assert_ptr_equal(mtree_load(&mt, 0), V(1));
	assert_null(mtree_load(&mt, 1));
	assert_int_equal(mtree_insert(&mt, 0, V(2), GFP_KERNEL), -EEXIST);

	mas_lock(&mas);
	assert_ptr_equal(mas_walk(&mas), V(1));
	assert_true(mas.node == MAS_ROOT);
	assert_null(mas_next(&mas, ULONG_MAX));
	mas_set(&mas, 5);
	assert_null(mas_walk(&mas));
	assert_int_equal(mas.index, 1);
	assert_int_equal(mas.last, ULONG_MAX);
	assert_true(mas_is_none(&mas));
	mas_set(&mas, 5);
	assert_ptr_equal(mas_prev(&mas, 0), V(1));
	assert_int_equal(mas.index, 0);
	mas_set(&mas, 9);
	assert_ptr_equal(mas_find_rev(&mas, 0), V(1));
	mas_unlock(&mas);

	/* Anything more needs a node. */
	assert_int_equal(mtree_store(&mt, 1, V(2), GFP_KERNEL), 0);
	assert_int_equal(mt_height(&mt), 1);
	assert_int_equal(mt_nr_allocated(), baseline_nodes + 1);
	assert_ptr_equal(mtree_load(&mt, 0), V(1));
	assert_ptr_equal(mtree_load(&mt, 1), V(2));
	assert_ptr_equal(mtree_erase(&mt, 1), V(2));
	assert_ptr_equal(mtree_erase(&mt, 0), V(1));
	assert_true(mtree_empty(&mt));
	assert_int_equal(mt_height(&mt), 0);

	/* Internal-looking entries are never kept in ma_root. */
	assert_int_equal(mtree_store(&mt, 0, XA_ZERO_ENTRY, GFP_KERNEL), 0);
	assert_int_equal(mt_height(&mt), 1);
	assert_null(mtree_load(&mt, 0));
	assert_int_equal(mt_validate(&mt), 0);
	mtree_destroy(&mt);
}

static void test_store_edges(void **state)
{
	DEFINE_MTREE(mt);
	MA_STATE(mas, &mt, 0, 0);

	(void)state;
	assert_int_equal(mtree_store_range(&mt, 0, 0, V(1), GFP_KERNEL), 0);
	assert_int_equal(mtree_store_range(&mt, ULONG_MAX, ULONG_MAX, V(2),
					   GFP_KERNEL), 0);
	assert_int_equal(mtree_store_range(&mt, 5, 10, V(3), GFP_KERNEL), 0);
	assert_ptr_equal(mtree_load(&mt, 0), V(1));
	assert_null(mtree_load(&mt, 1));
	assert_null(mtree_load(&mt, 4));
	assert_ptr_equal(mtree_load(&mt, 5), V(3));
	assert_ptr_equal(mtree_load(&mt, 10), V(3));
	assert_null(mtree_load(&mt, 11));
	assert_null(mtree_load(&mt, ULONG_MAX - 1));
	assert_ptr_equal(mtree_load(&mt, ULONG_MAX), V(2));

	mas_lock(&mas);
	mas_set(&mas, 7);
	assert_ptr_equal(mas_walk(&mas), V(3));
	assert_int_equal(mas.index, 5);
	assert_int_equal(mas.last, 10);
	mas_set(&mas, 100);
	assert_null(mas_walk(&mas));
	assert_int_equal(mas.index, 11);
	assert_int_equal(mas.last, ULONG_MAX - 1);
	mas_unlock(&mas);
	assert_int_equal(mt_validate(&mt), 0);

	/* One range over everything, then NULL over everything. */
	assert_int_equal(mtree_store_range(&mt, 0, ULONG_MAX, V(4), GFP_KERNEL), 0);
	assert_ptr_equal(mtree_load(&mt, 0), V(4));
	assert_ptr_equal(mtree_load(&mt, ULONG_MAX / 3), V(4));
	assert_ptr_equal(mtree_load(&mt, ULONG_MAX), V(4));
	assert_int_equal(count_entries(&mt), 1);
	assert_int_equal(mt_validate(&mt), 0);
	assert_int_equal(mtree_store_range(&mt, 0, ULONG_MAX, NULL, GFP_KERNEL), 0);
	assert_true(mtree_empty(&mt));
	assert_int_equal(mt_nr_allocated(), baseline_nodes);
}

static void test_overwrite_partial(void **state)
{
	DEFINE_MTREE(mt);
	MA_STATE(mas, &mt, 0, 0);

	(void)state;
	assert_int_equal(mtree_store_range(&mt, 10, 100, V(1), GFP_KERNEL), 0);
	assert_int_equal(mtree_store_range(&mt, 20, 30, V(2), GFP_KERNEL), 0);
	assert_ptr_equal(mtree_load(&mt, 19), V(1));
	assert_ptr_equal(mtree_load(&mt, 20), V(2));
	assert_ptr_equal(mtree_load(&mt, 30), V(2));
	assert_ptr_equal(mtree_load(&mt, 31), V(1));
	assert_ptr_equal(mtree_load(&mt, 100), V(1));
	assert_null(mtree_load(&mt, 101));

	assert_int_equal(mtree_store_range(&mt, 5, 25, V(3), GFP_KERNEL), 0);
	assert_null(mtree_load(&mt, 4));
	assert_ptr_equal(mtree_load(&mt, 5), V(3));
	assert_ptr_equal(mtree_load(&mt, 25), V(3));
	assert_ptr_equal(mtree_load(&mt, 26), V(2));
	assert_ptr_equal(mtree_load(&mt, 31), V(1));

	mas_lock(&mas);
	mas_set(&mas, 50);
	assert_ptr_equal(mas_walk(&mas), V(1));
	assert_int_equal(mas.index, 31);
	assert_int_equal(mas.last, 100);
	mas_set(&mas, 26);
	assert_ptr_equal(mas_walk(&mas), V(2));
	assert_int_equal(mas.index, 26);
	assert_int_equal(mas.last, 30);
	mas_unlock(&mas);
	assert_int_equal(count_entries(&mt), 3);
	assert_int_equal(mt_validate(&mt), 0);

	/* Same entry stored twice side by side stays two ranges. */
	assert_int_equal(mtree_store_range(&mt, 101, 110, V(1), GFP_KERNEL), 0);
	assert_int_equal(count_entries(&mt), 4);
	mtree_destroy(&mt);
}

static void test_erase_inside(void **state)
{
	DEFINE_MTREE(mt);
	MA_STATE(mas, &mt, 0, 0);

	(void)state;
	assert_int_equal(mtree_store_range(&mt, 10, 100, V(1), GFP_KERNEL), 0);
	/* mtree_erase() removes the whole range holding the index. */
	assert_ptr_equal(mtree_erase(&mt, 50), V(1));
	assert_null(mtree_load(&mt, 10));
	assert_null(mtree_load(&mt, 100));
	assert_null(mtree_erase(&mt, 50));
	assert_true(mtree_empty(&mt));

	/* Storing NULL erases exactly the indices given. */
	assert_int_equal(mtree_store_range(&mt, 10, 100, V(1), GFP_KERNEL), 0);
	assert_int_equal(mtree_store_range(&mt, 40, 60, NULL, GFP_KERNEL), 0);
	assert_ptr_equal(mtree_load(&mt, 39), V(1));
	assert_null(mtree_load(&mt, 40));
	assert_null(mtree_load(&mt, 60));
	assert_ptr_equal(mtree_load(&mt, 61), V(1));
	mas_lock(&mas);
	mas_set(&mas, 45);
	assert_null(mas_walk(&mas));
	assert_int_equal(mas.index, 40);
	assert_int_equal(mas.last, 60);
	mas_unlock(&mas);

	/* Erasing next to a hole joins the holes into one NULL range. */
	assert_ptr_equal(mtree_erase(&mt, 39), V(1));
	mas_lock(&mas);
	mas_set(&mas, 45);
	assert_null(mas_walk(&mas));
	assert_int_equal(mas.index, 0);
	assert_int_equal(mas.last, 60);
	mas_unlock(&mas);
	assert_int_equal(mt_validate(&mt), 0);
	mtree_destroy(&mt);
}

static void test_insert(void **state)
{
	DEFINE_MTREE(mt);

	(void)state;
	assert_int_equal(mtree_insert_range(&mt, 10, 20, V(1), GFP_KERNEL), 0);
	assert_int_equal(mtree_insert(&mt, 15, V(2), GFP_KERNEL), -EEXIST);
	assert_int_equal(mtree_insert_range(&mt, 5, 10, V(2), GFP_KERNEL), -EEXIST);
	assert_int_equal(mtree_insert_range(&mt, 20, 25, V(2), GFP_KERNEL), -EEXIST);
	assert_int_equal(mtree_insert_range(&mt, 0, ULONG_MAX, V(2), GFP_KERNEL),
			 -EEXIST);
	assert_int_equal(mtree_insert_range(&mt, 21, 30, V(2), GFP_KERNEL), 0);
	assert_int_equal(mtree_insert_range(&mt, 0, 9, V(3), GFP_KERNEL), 0);
	assert_int_equal(mtree_insert(&mt, ULONG_MAX, V(4), GFP_KERNEL), 0);
	assert_int_equal(mtree_insert(&mt, ULONG_MAX, V(5), GFP_KERNEL), -EEXIST);
	assert_int_equal(mtree_insert_range(&mt, 31, ULONG_MAX - 1, V(5),
					    GFP_KERNEL), 0);
	assert_int_equal(mtree_insert(&mt, 12345, V(6), GFP_KERNEL), -EEXIST);
	assert_ptr_equal(mtree_load(&mt, 9), V(3));
	assert_ptr_equal(mtree_load(&mt, 10), V(1));
	assert_ptr_equal(mtree_load(&mt, 21), V(2));
	assert_ptr_equal(mtree_load(&mt, 31), V(5));
	assert_ptr_equal(mtree_load(&mt, ULONG_MAX), V(4));
	assert_int_equal(count_entries(&mt), 5);
	assert_int_equal(mt_validate(&mt), 0);
	mtree_destroy(&mt);
}

static void test_einval(void **state)
{
	DEFINE_MTREE(mt);
	MA_STATE(mas, &mt, 10, 5);

	(void)state;
	assert_int_equal(mtree_store_range(&mt, 5, 4, V(1), GFP_KERNEL), -EINVAL);
	assert_int_equal(mtree_insert_range(&mt, 5, 4, V(1), GFP_KERNEL), -EINVAL);
	assert_int_equal(mtree_store(&mt, 1, XA_RETRY_ENTRY, GFP_KERNEL), -EINVAL);
	assert_int_equal(mtree_store(&mt, 1, xa_mk_internal(3), GFP_KERNEL),
			 -EINVAL);
	assert_int_equal(mtree_insert(&mt, 1, xa_mk_internal(0), GFP_KERNEL),
			 -EINVAL);
	assert_true(mtree_empty(&mt));

	mas_lock(&mas);
	assert_null(mas_store(&mas, V(1)));
	assert_true(mas_is_err(&mas));
	assert_int_equal(xa_err(mas.node), -EINVAL);
	mas_set_range(&mas, 10, 5);
	assert_int_equal(mas_store_gfp(&mas, V(1), GFP_KERNEL), -EINVAL);
	mas_unlock(&mas);
	assert_true(mtree_empty(&mt));
}

/* XA_ZERO_ENTRY reserves a range but reads back as NULL. */
static void test_zero_entry(void **state)
{
	DEFINE_MTREE(mt);
	MA_STATE(mas, &mt, 7, 7);
	unsigned long index = 0;

	(void)state;
	assert_int_equal(mtree_store_range(&mt, 5, 9, XA_ZERO_ENTRY, GFP_KERNEL), 0);
	assert_int_equal(mtree_store(&mt, 20, V(1), GFP_KERNEL), 0);
	assert_null(mtree_load(&mt, 7));
	assert_int_equal(mtree_insert(&mt, 7, V(2), GFP_KERNEL), -EEXIST);
	assert_ptr_equal(mt_find(&mt, &index, ULONG_MAX), V(1));
	assert_int_equal(index, 21);
	assert_ptr_equal(mt_next(&mt, 0, ULONG_MAX), V(1));
	mas_lock(&mas);
	assert_ptr_equal(mas_walk(&mas), XA_ZERO_ENTRY);
	/* Zero entries occupy their range: [5, 9] is not free. */
	assert_int_equal(mas_empty_area(&mas, 5, 19, 5), 0);
	assert_int_equal(mas.index, 10);
	mas_unlock(&mas);
	assert_null(mtree_erase(&mt, 6));
	assert_null(mtree_load(&mt, 6));
	assert_int_equal(mtree_insert(&mt, 7, V(2), GFP_KERNEL), 0);
	mtree_destroy(&mt);
}

/* The probes every tree height must pass; ranges as build_seq(n). */
static void probe_tree(struct maple_tree *mt, unsigned long n)
{
	MA_STATE(mas, mt, 0, 0);
	unsigned long i, index = 0, count = 0;
	void *entry;

	assert_int_equal(mt_validate(mt), 0);
	for (i = 0; i < n; i += 1 + n / 64) {
		assert_ptr_equal(mtree_load(mt, 10 * i), V(i));
		assert_ptr_equal(mtree_load(mt, 10 * i + 4), V(i));
		assert_null(mtree_load(mt, 10 * i + 5));
		assert_null(mtree_load(mt, 10 * i + 9));
	}
	assert_ptr_equal(mtree_load(mt, 10 * (n - 1) + 4), V(n - 1));
	assert_null(mtree_load(mt, ULONG_MAX));

	mt_for_each(mt, entry, index, ULONG_MAX) {
		assert_ptr_equal(entry, V(count));
		assert_int_equal(index, 10 * count + 5);
		count++;
	}
	assert_int_equal(count, n);

	mas_lock(&mas);
	mas_set(&mas, ULONG_MAX);
	for (i = n; i-- > 0;) {
		assert_ptr_equal(mas_find_rev(&mas, 0), V(i));
		assert_int_equal(mas.index, 10 * i);
		assert_int_equal(mas.last, 10 * i + 4);
	}
	assert_null(mas_find_rev(&mas, 0));

	mas_reset(&mas);
	assert_int_equal(mas_empty_area(&mas, 0, ULONG_MAX, 5), 0);
	assert_int_equal(mas.index, 5);
	assert_int_equal(mas.last, 9);
	assert_int_equal(mas_empty_area(&mas, 0, ULONG_MAX, 6), 0);
	assert_int_equal(mas.index, 10 * n - 5);
	assert_int_equal(mas_empty_area(&mas, 12, ULONG_MAX, 5), 0);
	assert_int_equal(mas.index, 15);
	assert_int_equal(mas_empty_area_rev(&mas, 0, 10 * n, 5), 0);
	assert_int_equal(mas.index, 10 * n - 4);
	assert_int_equal(mas.last, 10 * n);
	assert_int_equal(mas_empty_area_rev(&mas, 0, 10 * (n - 1), 5), 0);
	assert_int_equal(mas.index, 10 * n - 15);
	assert_int_equal(mas.last, 10 * n - 11);
	assert_int_equal(mas_empty_area(&mas, 0, 10 * (n - 1), 6), -EBUSY);
	assert_int_equal(mas_empty_area_rev(&mas, 0, 10 * (n - 1), 6), -EBUSY);
	mas_unlock(&mas);
}

/* Overwrite and erase ranges spanning most of the tree. */
static void probe_span(struct maple_tree *mt, unsigned long n)
{
	unsigned long hi = 10 * (n - 2) + 2;
	MA_STATE(mas, mt, 0, 0);

	assert_int_equal(mtree_store_range(mt, 17, hi, V(999999), GFP_KERNEL), 0);
	assert_int_equal(mt_validate(mt), 0);
	assert_ptr_equal(mtree_load(mt, 14), V(1));
	assert_null(mtree_load(mt, 15));
	assert_null(mtree_load(mt, 16));
	assert_ptr_equal(mtree_load(mt, 17), V(999999));
	assert_ptr_equal(mtree_load(mt, hi), V(999999));
	assert_ptr_equal(mtree_load(mt, hi + 1), V(n - 2));
	assert_ptr_equal(mtree_load(mt, 10 * (n - 1)), V(n - 1));
	assert_int_equal(count_entries(mt), 5);

	assert_ptr_equal(mtree_erase(mt, 17), V(999999));
	assert_int_equal(mt_validate(mt), 0);
	assert_int_equal(count_entries(mt), 4);
	mas_lock(&mas);
	mas_set(&mas, 17);
	assert_null(mas_walk(&mas));
	assert_int_equal(mas.index, 15);
	assert_int_equal(mas.last, hi);
	mas_unlock(&mas);
	/* Nine ranges left: at most a leaf and a short rightmost leaf. */
	assert_true(mt_height(mt) <= 2);
}

static void test_heights(void **state)
{
	unsigned int flags[2] = { 0, MT_FLAGS_ALLOC_RANGE }, f, h;

	(void)state;
	for (f = 0; f < 2; f++) {
		struct maple_tree mt;
		unsigned long n = 0;

		mt_init_flags(&mt, flags[f]);
		for (h = 1; h <= 5; h++) {
			/* Grow one range at a time until the tree is h high. */
			while (mt_height(&mt) < h || n < 5) {
				assert_int_equal(mtree_store_range(&mt, 10 * n,
						10 * n + 4, V(n), GFP_KERNEL), 0);
				n++;
			}
			assert_int_equal(mt_height(&mt), h);
			probe_tree(&mt, n);
			{
				struct maple_tree copy;

				mt_init_flags(&copy, flags[f]);
				build_seq(&copy, n);
				assert_int_equal(mt_height(&copy), h);
				probe_span(&copy, n);
				mtree_destroy(&copy);
			}
		}
		assert_true(n > 1000);
		mtree_destroy(&mt);
	}
}

/* Random-order inserts end with the same contents as ascending ones. */
static void test_random_order_build(void **state)
{
	struct maple_tree mt;
	unsigned long n = 20000, i, *order = malloc(n * sizeof(*order));
	uint64_t rs = 42;

	(void)state;
	assert_non_null(order);
	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = n; i > 1; i--) {
		unsigned long j = rnd_below(&rs, i), t = order[i - 1];

		order[i - 1] = order[j];
		order[j] = t;
	}
	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	for (i = 0; i < n; i++)
		assert_int_equal(mtree_insert_range(&mt, 10 * order[i],
				 10 * order[i] + 4, V(order[i]), GFP_KERNEL), 0);
	assert_true(mt_height(&mt) >= 4);
	probe_tree(&mt, n);
	/* Erase every other range, then the rest: the tree shrinks away. */
	for (i = 0; i < n; i += 2)
		assert_ptr_equal(mtree_erase(&mt, 10 * order[i] + 1), V(order[i]));
	assert_int_equal(mt_validate(&mt), 0);
	assert_int_equal(count_entries(&mt), n / 2);
	for (i = 1; i < n; i += 2)
		assert_ptr_equal(mtree_erase(&mt, 10 * order[i]), V(order[i]));
	assert_true(mtree_empty(&mt));
	assert_int_equal(mt_height(&mt), 0);
	free(order);
}

static void test_mt_find(void **state)
{
	DEFINE_MTREE(mt);
	unsigned long index = 0;
	void *entry;
	int n = 0;

	(void)state;
	mtree_store_range(&mt, 10, 19, V(1), GFP_KERNEL);
	mtree_store_range(&mt, 30, 39, V(2), GFP_KERNEL);
	mtree_store_range(&mt, ULONG_MAX - 5, ULONG_MAX, V(3), GFP_KERNEL);

	assert_ptr_equal(mt_find(&mt, &index, ULONG_MAX), V(1));
	assert_int_equal(index, 20);
	assert_ptr_equal(mt_find_after(&mt, &index, ULONG_MAX), V(2));
	assert_int_equal(index, 40);
	assert_ptr_equal(mt_find_after(&mt, &index, ULONG_MAX), V(3));
	assert_int_equal(index, 0);	/* wrapped past ULONG_MAX */
	assert_null(mt_find_after(&mt, &index, ULONG_MAX));

	index = 15;	/* inside a range: that range */
	assert_ptr_equal(mt_find(&mt, &index, 25), V(1));
	assert_int_equal(index, 20);
	assert_null(mt_find(&mt, &index, 25));
	assert_int_equal(index, 20);
	index = 26;
	assert_null(mt_find(&mt, &index, 25));	/* index > max */
	index = 25;
	assert_ptr_equal(mt_find(&mt, &index, 30), V(2));

	index = 0;
	mt_for_each(&mt, entry, index, ULONG_MAX)
		n++;
	assert_int_equal(n, 3);
	n = 0;
	index = 0;
	mt_for_each(&mt, entry, index, 35)
		n++;
	assert_int_equal(n, 2);
	mtree_destroy(&mt);
}

static void test_mt_next_prev(void **state)
{
	DEFINE_MTREE(mt);

	(void)state;
	mtree_store_range(&mt, 10, 19, V(1), GFP_KERNEL);
	mtree_store_range(&mt, 30, 39, V(2), GFP_KERNEL);
	assert_ptr_equal(mt_next(&mt, 10, ULONG_MAX), V(2));
	assert_ptr_equal(mt_next(&mt, 0, ULONG_MAX), V(1));
	assert_ptr_equal(mt_next(&mt, 25, ULONG_MAX), V(2));
	assert_null(mt_next(&mt, 25, 29));
	assert_null(mt_next(&mt, 35, ULONG_MAX));
	assert_ptr_equal(mt_prev(&mt, 35, 0), V(1));
	assert_ptr_equal(mt_prev(&mt, 25, 0), V(1));
	assert_ptr_equal(mt_prev(&mt, 25, 19), V(1));
	assert_null(mt_prev(&mt, 25, 20));
	assert_null(mt_prev(&mt, 10, 0));
	assert_ptr_equal(mt_prev(&mt, ULONG_MAX, 0), V(2));
	mtree_destroy(&mt);
}

static void test_mas_find(void **state)
{
	DEFINE_MTREE(mt);
	MA_STATE(mas, &mt, 0, 0);
	void *entry;
	unsigned long i, n = 0;

	(void)state;
	build_seq(&mt, 100);
	mas_lock(&mas);
	/* Starting inside a range returns that range. */
	mas_set(&mas, 12);
	assert_ptr_equal(mas_find(&mas, ULONG_MAX), V(1));
	assert_int_equal(mas.index, 10);
	assert_int_equal(mas.last, 14);
	assert_ptr_equal(mas_find(&mas, ULONG_MAX), V(2));
	/* The limit applies to where a range starts. */
	assert_null(mas_find(&mas, 29));
	assert_true(mas.node == MAS_OVERFLOW);
	/* A wider limit continues where we stopped, without repeats. */
	assert_ptr_equal(mas_find(&mas, 35), V(3));
	assert_int_equal(mas.index, 30);

	mas_set(&mas, 0);
	mas_for_each(&mas, entry, ULONG_MAX) {
		assert_ptr_equal(entry, V(n));
		n++;
	}
	assert_int_equal(n, 100);
	assert_true(mas.node == MAS_OVERFLOW);

	/* Pause, drop the lock, let the tree change, continue. */
	mas_set(&mas, 0);
	for (i = 0; i < 50; i++) {
		assert_ptr_equal(mas_find(&mas, ULONG_MAX), V(i));
		mas_pause(&mas);
		mas_unlock(&mas);
		if (i == 10)
			mtree_store_range(&mt, 505, 507, V(12345), GFP_KERNEL);
		mas_lock(&mas);
	}
	assert_ptr_equal(mas_find(&mas, ULONG_MAX), V(50));
	assert_ptr_equal(mas_find(&mas, ULONG_MAX), V(12345));
	assert_int_equal(mas.index, 505);
	assert_ptr_equal(mas_find(&mas, ULONG_MAX), V(51));

	/* mas_find_range() stops on holes too. */
	mas_set(&mas, 0);
	assert_ptr_equal(mas_find_range(&mas, ULONG_MAX), V(0));
	assert_null(mas_find_range(&mas, ULONG_MAX));
	assert_int_equal(mas.index, 5);
	assert_int_equal(mas.last, 9);
	assert_ptr_equal(mas_find_range(&mas, ULONG_MAX), V(1));
	mas_unlock(&mas);
	mtree_destroy(&mt);
}

static void test_mas_find_rev(void **state)
{
	DEFINE_MTREE(mt);
	MA_STATE(mas, &mt, 47, 47);

	(void)state;
	build_seq(&mt, 100);
	mas_lock(&mas);
	assert_ptr_equal(mas_find_rev(&mas, 0), V(4));
	assert_int_equal(mas.index, 40);
	assert_ptr_equal(mas_find_rev(&mas, 0), V(3));
	assert_ptr_equal(mas_find_rev(&mas, 24), V(2));	/* ends at 24 */
	assert_null(mas_find_rev(&mas, 24));
	assert_true(mas.node == MAS_UNDERFLOW);
	assert_ptr_equal(mas_find_rev(&mas, 0), V(1));
	mas_set(&mas, 43);	/* inside a range */
	assert_ptr_equal(mas_find_rev(&mas, 0), V(4));
	mas_set(&mas, ULONG_MAX);
	assert_ptr_equal(mas_find_rev(&mas, 0), V(99));
	mas_pause(&mas);
	assert_ptr_equal(mas_find_rev(&mas, 0), V(98));
	mas_set(&mas, 7);
	assert_ptr_equal(mas_find_range_rev(&mas, 0), V(0));
	mas_set(&mas, 17);
	assert_ptr_equal(mas_find_range_rev(&mas, 0), V(1));
	assert_null(mas_find_range_rev(&mas, 0));
	assert_int_equal(mas.index, 5);
	assert_int_equal(mas.last, 9);
	mas_unlock(&mas);
	mtree_destroy(&mt);
}

static void test_mas_next_prev(void **state)
{
	DEFINE_MTREE(mt);
	MA_STATE(mas, &mt, 0, 0);
	unsigned long i;

	(void)state;
	build_seq(&mt, 500);
	mas_lock(&mas);
	/* From START, mas_next() skips the range the index is in. */
	mas_set(&mas, 12);
	assert_ptr_equal(mas_next(&mas, ULONG_MAX), V(2));
	assert_int_equal(mas.index, 20);
	assert_int_equal(mas.last, 24);
	for (i = 3; i < 500; i++)
		assert_ptr_equal(mas_next(&mas, ULONG_MAX), V(i));
	assert_null(mas_next(&mas, ULONG_MAX));
	assert_true(mas.node == MAS_OVERFLOW);
	/* After an overflow the entry we were on comes back first. */
	assert_ptr_equal(mas_prev(&mas, 0), V(499));
	for (i = 499; i-- > 0;)
		assert_ptr_equal(mas_prev(&mas, 0), V(i));
	assert_null(mas_prev(&mas, 0));
	assert_true(mas.node == MAS_UNDERFLOW);
	assert_int_equal(mas.index, 0);
	/* After an underflow the entry we were on comes next. */
	assert_ptr_equal(mas_next(&mas, ULONG_MAX), V(0));
	assert_ptr_equal(mas_next(&mas, ULONG_MAX), V(1));

	/* Limits. */
	mas_set(&mas, 100);
	assert_null(mas_next(&mas, 109));
	assert_true(mas.node == MAS_OVERFLOW);
	assert_ptr_equal(mas_next(&mas, 110), V(11));
	mas_set(&mas, 100);
	assert_ptr_equal(mas_prev(&mas, 94), V(9));
	assert_null(mas_prev(&mas, 94));
	assert_true(mas.node == MAS_UNDERFLOW);

	/* _range variants return holes as NULL with their bounds. */
	mas_set(&mas, 100);
	assert_null(mas_next_range(&mas, ULONG_MAX));
	assert_int_equal(mas.index, 105);
	assert_int_equal(mas.last, 109);
	assert_ptr_equal(mas_next_range(&mas, ULONG_MAX), V(11));
	assert_null(mas_prev_range(&mas, 0));
	assert_int_equal(mas.index, 105);
	assert_ptr_equal(mas_prev_range(&mas, 0), V(10));
	assert_int_equal(mas.index, 100);
	mas_unlock(&mas);
	mtree_destroy(&mt);
}

static void test_mas_store(void **state)
{
	DEFINE_MTREE(mt);
	MA_STATE(mas, &mt, 10, 20);
	void *entry;

	(void)state;
	mas_lock(&mas);
	assert_null(mas_store(&mas, V(1)));
	assert_false(mas_is_err(&mas));
	assert_int_equal(mas.index, 10);
	assert_int_equal(mas.last, 20);
	mas_set_range(&mas, 15, 30);
	assert_ptr_equal(mas_store(&mas, V(2)), V(1));
	/* The state is left on what was written: iteration continues. */
	mtree_unlock(&mt);
	mtree_lock(&mt);
	mas_set_range(&mas, 40, 50);
	assert_int_equal(mas_store_gfp(&mas, V(3), GFP_KERNEL), 0);
	mas_set(&mas, 0);
	assert_ptr_equal(mas_find(&mas, ULONG_MAX), V(1));
	assert_int_equal(mas.last, 14);
	/* Store NULL while iterating: the walk carries on after it. */
	assert_ptr_equal(mas_find(&mas, ULONG_MAX), V(2));
	assert_ptr_equal(mas_store(&mas, NULL), V(2));
	assert_int_equal(mas.index, 15);
	assert_int_equal(mas.last, 39);
	assert_ptr_equal(mas_find(&mas, ULONG_MAX), V(3));
	/* mas_erase() erases the range holding index. */
	mas_set(&mas, 12);
	assert_ptr_equal(mas_erase(&mas), V(1));
	assert_int_equal(mas.index, 0);
	assert_int_equal(mas.last, 39);
	mas_set(&mas, 12);
	assert_null(mas_erase(&mas));
	mas_set(&mas, 0);
	entry = mas_find(&mas, ULONG_MAX);
	assert_ptr_equal(entry, V(3));
	mas_unlock(&mas);
	assert_int_equal(mt_validate(&mt), 0);
	mtree_destroy(&mt);
}

static void test_prealloc(void **state)
{
	struct maple_tree mt;
	MA_STATE(mas, &mt, 0, 0);
	unsigned long i;

	(void)state;
	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	build_seq(&mt, 3000);
	mas_lock(&mas);
	for (i = 0; i < 200; i++) {
		/* Spanning writes at every height use preallocated nodes. */
		mas_set_range(&mas, 7 * i, 7 * i + 90 * (i % 7));
		assert_int_equal(mas_preallocate(&mas, V(i), GFP_KERNEL), 0);
		assert_true(mt_nr_allocated() > baseline_nodes);
		mas_store_prealloc(&mas, V(100000 + i));
		assert_null(mas.alloc);
		{
			MA_STATE(check, &mt, 7 * i, 7 * i);

			assert_ptr_equal(mas_walk(&check), V(100000 + i));
		}
	}
	/* Preallocate, then change your mind. */
	mas_set_range(&mas, 5, 6);
	assert_int_equal(mas_preallocate(&mas, V(1), GFP_KERNEL), 0);
	mas_destroy(&mas);
	assert_null(mas.alloc);
	mas_unlock(&mas);
	assert_int_equal(mt_validate(&mt), 0);
	mtree_destroy(&mt);
}

static void test_empty_area(void **state)
{
	unsigned int flags[2] = { 0, MT_FLAGS_ALLOC_RANGE }, f;

	(void)state;
	for (f = 0; f < 2; f++) {
		struct maple_tree mt;
		MA_STATE(mas, &mt, 0, 0);

		mt_init_flags(&mt, flags[f]);
		mas_lock(&mas);
		/* Empty tree: the window itself. */
		assert_int_equal(mas_empty_area(&mas, 10, 100, 20), 0);
		assert_int_equal(mas.index, 10);
		assert_int_equal(mas.last, 29);
		assert_int_equal(mas_empty_area_rev(&mas, 10, 100, 20), 0);
		assert_int_equal(mas.index, 81);
		assert_int_equal(mas.last, 100);
		assert_int_equal(mas_empty_area(&mas, 0, ULONG_MAX, ULONG_MAX), 0);
		assert_int_equal(mas.index, 0);
		/* Bad windows. */
		assert_int_equal(mas_empty_area(&mas, 10, 9, 1), -EINVAL);
		assert_int_equal(mas_empty_area(&mas, 10, 20, 0), -EINVAL);
		assert_int_equal(mas_empty_area(&mas, 10, 20, 12), -EINVAL);
		assert_int_equal(mas_empty_area_rev(&mas, 10, 20, 12), -EINVAL);
		mas_unlock(&mas);

		/* A lone entry at 0. */
		mtree_store(&mt, 0, V(1), GFP_KERNEL);
		mas_lock(&mas);
		assert_int_equal(mas_empty_area(&mas, 0, 10, 3), 0);
		assert_int_equal(mas.index, 1);
		assert_int_equal(mas_empty_area(&mas, 0, 0, 1), -EBUSY);
		assert_int_equal(mas_empty_area_rev(&mas, 0, 10, 10), 0);
		assert_int_equal(mas.index, 1);
		assert_int_equal(mas_empty_area_rev(&mas, 0, 10, 11), -EBUSY);
		mas_unlock(&mas);

		/* Holes of 5 between [10i, 10i+4], at both ends of the space. */
		build_seq(&mt, 1000);
		mtree_store_range(&mt, ULONG_MAX - 9, ULONG_MAX, V(7), GFP_KERNEL);
		mas_lock(&mas);
		assert_int_equal(mas_empty_area(&mas, 0, ULONG_MAX, 5), 0);
		assert_int_equal(mas.index, 5);
		assert_int_equal(mas_empty_area(&mas, 6, ULONG_MAX, 5), 0);
		assert_int_equal(mas.index, 15);
		assert_int_equal(mas_empty_area(&mas, 6, 18, 3), 0);
		assert_int_equal(mas.index, 6);
		assert_int_equal(mas.last, 8);
		assert_int_equal(mas_empty_area(&mas, 7, 18, 4), 0);
		assert_int_equal(mas.index, 15);
		assert_int_equal(mas_empty_area(&mas, 0, 9994, 6), -EBUSY);
		assert_int_equal(mas_empty_area(&mas, 0, ULONG_MAX, 6), 0);
		assert_int_equal(mas.index, 9995);
		assert_int_equal(mas_empty_area_rev(&mas, 0, ULONG_MAX, 6), 0);
		assert_int_equal(mas.last, ULONG_MAX - 10);
		assert_int_equal(mas.index, ULONG_MAX - 15);
		assert_int_equal(mas_empty_area_rev(&mas, 0, 5000, 5), 0);
		assert_int_equal(mas.index, 4995);
		assert_int_equal(mas.last, 4999);
		assert_int_equal(mas_empty_area_rev(&mas, 0, 5003, 4), 0);
		assert_int_equal(mas.last, 4999);
		assert_int_equal(mas_empty_area_rev(&mas, 4985, 4996, 3), 0);
		assert_int_equal(mas.index, 4987);
		assert_int_equal(mas.last, 4989);
		assert_int_equal(mas_empty_area_rev(&mas, 0, 9994, 6), -EBUSY);
		assert_int_equal(mas_empty_area_rev(&mas, 5000, 5004, 1), -EBUSY);
		mas_unlock(&mas);
		mtree_destroy(&mt);
	}
}

static void test_alloc_range(void **state)
{
	struct maple_tree mt;
	unsigned long start = 0, i;

	(void)state;
	mt_init(&mt);
	assert_int_equal(mtree_alloc_range(&mt, &start, V(1), 10, 0, 100,
					   GFP_KERNEL), -EINVAL);
	mtree_destroy(&mt);

	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	for (i = 0; i < 10; i++) {
		assert_int_equal(mtree_alloc_range(&mt, &start, V(i), 10, 0, 99,
						   GFP_KERNEL), 0);
		assert_int_equal(start, 10 * i);
	}
	assert_int_equal(mtree_alloc_range(&mt, &start, V(11), 1, 0, 99,
					   GFP_KERNEL), -EBUSY);
	assert_ptr_equal(mtree_erase(&mt, 45), V(4));
	assert_int_equal(mtree_alloc_range(&mt, &start, V(12), 10, 0, 99,
					   GFP_KERNEL), 0);
	assert_int_equal(start, 40);
	assert_int_equal(mtree_alloc_range(&mt, &start, V(13), 0, 0, 99,
					   GFP_KERNEL), -EINVAL);
	assert_int_equal(mtree_alloc_range(&mt, &start, XA_ZERO_ENTRY, 1, 0, 999,
					   GFP_KERNEL), -EINVAL);

	assert_int_equal(mtree_alloc_rrange(&mt, &start, V(14), 10, 0, 1000,
					    GFP_KERNEL), 0);
	assert_int_equal(start, 991);
	assert_int_equal(mtree_alloc_rrange(&mt, &start, V(15), 10, 0, 1000,
					    GFP_KERNEL), 0);
	assert_int_equal(start, 981);
	assert_int_equal(mtree_alloc_rrange(&mt, &start, V(16), 5, 0, ULONG_MAX,
					    GFP_KERNEL), 0);
	assert_int_equal(start, ULONG_MAX - 4);
	assert_int_equal(mtree_alloc_rrange(&mt, &start, V(17), 882, 100, 981,
					    GFP_KERNEL), -EBUSY);
	assert_int_equal(mtree_alloc_rrange(&mt, &start, V(17), 881, 100, 981,
					    GFP_KERNEL), 0);
	assert_int_equal(start, 100);
	assert_ptr_equal(mtree_load(&mt, 980), V(17));
	assert_int_equal(mt_validate(&mt), 0);
	mtree_destroy(&mt);
}

static void test_destroy_reuse(void **state)
{
	DEFINE_MTREE(mt);

	(void)state;
	build_seq(&mt, 5000);
	/* 10000 slots need at least that many full leaves. */
	assert_true(mt_nr_allocated() >= baseline_nodes +
		    10000 / MAPLE_RANGE64_SLOTS);
	mtree_destroy(&mt);
	assert_true(mtree_empty(&mt));
	assert_int_equal(mt_height(&mt), 0);
	assert_int_equal(mt_nr_allocated(), baseline_nodes);
	build_seq(&mt, 10);
	assert_ptr_equal(mtree_load(&mt, 90), V(9));
	mtree_lock(&mt);
	__mt_destroy(&mt);
	mtree_unlock(&mt);
	assert_true(mtree_empty(&mt));
}

/* The validator must catch what it claims to check. */
static void test_validate_detects(void **state)
{
	struct maple_tree mt;
	struct maple_node *node, *leaf;
	unsigned long saved;
	void *saved_ptr;

	(void)state;
	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	build_seq(&mt, 60);
	assert_int_equal(mt_validate(&mt), 0);
	node = root_node(&mt);
	/* The rightmost leaf: not full, so it has metadata to corrupt. */
	leaf = (struct maple_node *)((uintptr_t)
		node->ma64.slot[node->ma64.meta.end] & ~MAPLE_NODE_MASK);
	assert_true(leaf->mr64.meta.end < MAPLE_RANGE64_SLOTS - 1);

	saved = leaf->mr64.pivot[1];
	leaf->mr64.pivot[1] = leaf->mr64.pivot[0];
	assert_int_equal(mt_validate(&mt), -EINVAL);
	leaf->mr64.pivot[1] = saved;

	leaf->mr64.meta.end ^= 1;
	assert_int_equal(mt_validate(&mt), -EINVAL);
	leaf->mr64.meta.end ^= 1;

	node->ma64.gap[0]++;
	assert_int_equal(mt_validate(&mt), -EINVAL);
	node->ma64.gap[0]--;

	node->ma64.meta.gap ^= 1;
	assert_int_equal(mt_validate(&mt), -EINVAL);
	node->ma64.meta.gap ^= 1;

	saved_ptr = leaf->parent;
	leaf->parent = (struct maple_pnode *)((uintptr_t)saved_ptr ^ (2 << 3));
	assert_int_equal(mt_validate(&mt), -EINVAL);
	leaf->parent = saved_ptr;

	saved_ptr = leaf->mr64.slot[0];
	leaf->mr64.slot[0] = NULL;	/* next to a hole: two NULLs */
	assert_int_equal(mt_validate(&mt), -EINVAL);
	leaf->mr64.slot[0] = saved_ptr;

	assert_int_equal(mt_validate(&mt), 0);
	mtree_destroy(&mt);
}

/* MT_BUG_ON dumps the tree and aborts. */
static void test_bug_on_aborts(void **state)
{
	int pipefd[2], status;
	char buf[4096];
	ssize_t len;
	pid_t pid;

	(void)state;
	assert_int_equal(pipe(pipefd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		DEFINE_MTREE(mt);

		dup2(pipefd[1], 2);
		mtree_store_range(&mt, 3, 4, V(1), GFP_KERNEL);
		MT_BUG_ON(&mt, mtree_load(&mt, 3) == V(1));
		_exit(0);
	}
	close(pipefd[1]);
	for (len = 0; len < (ssize_t)sizeof(buf) - 1;) {
		ssize_t got = read(pipefd[0], buf + len, sizeof(buf) - 1 - len);

		if (got <= 0)
			break;
		len += got;
	}
	close(pipefd[0]);
	assert_true(len > 0);
	buf[len] = '\0';
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
	assert_non_null(strstr(buf, "BUG at"));
	assert_non_null(strstr(buf, "maple_tree("));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_layout, test_teardown),
		cmocka_unit_test_teardown(test_layout_overlay_live, test_teardown),
		cmocka_unit_test_teardown(test_encoding, test_teardown),
		cmocka_unit_test_teardown(test_empty, test_teardown),
		cmocka_unit_test_teardown(test_root_entry, test_teardown),
		cmocka_unit_test_teardown(test_store_edges, test_teardown),
		cmocka_unit_test_teardown(test_overwrite_partial, test_teardown),
		cmocka_unit_test_teardown(test_erase_inside, test_teardown),
		cmocka_unit_test_teardown(test_insert, test_teardown),
		cmocka_unit_test_teardown(test_einval, test_teardown),
		cmocka_unit_test_teardown(test_zero_entry, test_teardown),
		cmocka_unit_test_teardown(test_heights, test_teardown),
		cmocka_unit_test_teardown(test_random_order_build, test_teardown),
		cmocka_unit_test_teardown(test_mt_find, test_teardown),
		cmocka_unit_test_teardown(test_mt_next_prev, test_teardown),
		cmocka_unit_test_teardown(test_mas_find, test_teardown),
		cmocka_unit_test_teardown(test_mas_find_rev, test_teardown),
		cmocka_unit_test_teardown(test_mas_next_prev, test_teardown),
		cmocka_unit_test_teardown(test_mas_store, test_teardown),
		cmocka_unit_test_teardown(test_prealloc, test_teardown),
		cmocka_unit_test_teardown(test_empty_area, test_teardown),
		cmocka_unit_test_teardown(test_alloc_range, test_teardown),
		cmocka_unit_test_teardown(test_destroy_reuse, test_teardown),
		cmocka_unit_test_teardown(test_validate_detects, test_teardown),
		cmocka_unit_test_teardown(test_bug_on_aborts, test_teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
