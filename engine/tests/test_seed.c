// SPDX-License-Identifier: MIT
/*
 * The 2022 bug, replayed: positioned on the last entry of a non-full leaf,
 * the next-entry call returns NULL, or, built with MAPLE_SEED_BUG, the
 * metadata overlaid on the last slot read as an entry.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "maple_seed.h"

static void check_next_entry(bool use_find)
{
	DEFINE_MTREE(mt);
	MA_STATE(mas, &mt, 0, 0);
	const unsigned char end = MAPLE_RANGE64_SLOTS - 2;
	unsigned long limit = 0, meta = mt_seed_meta_word(end, 0);
	struct maple_node *leaf;
	void *entry;

	assert_int_equal(mt_seed_build(&mt, &mas, &limit), 0);
	mas_lock(&mas);
	assert_true(mas_is_active(&mas));
	assert_int_equal(mas.offset, end);
	assert_int_equal(mt_seed_leaf_end(&mas), end);
	assert_true(mas.max < ULONG_MAX);
	assert_int_equal(mas.last, mas.max);
	assert_int_equal(limit, mas.max + 1);
	assert_true(mt_validate(&mt) == 0);

	/* The overlay: what the slot after the last entry holds. */
	leaf = (struct maple_node *)((uintptr_t)mas.node & ~MAPLE_NODE_MASK);
	assert_int_equal(leaf->mr64.meta.end, end);
	assert_int_equal((unsigned long)leaf->mr64.slot[end + 1], meta);

	entry = use_find ? mas_find(&mas, limit) : mas_next(&mas, limit);
	mas_unlock(&mas);
	print_message("%s() after the last entry of a leaf ending at %u "
		      "(%d slots): %p; metadata word here: %#lx\n",
		      use_find ? "mas_find" : "mas_next", end,
		      MAPLE_RANGE64_SLOTS, entry, meta);
	if (mt_seed_bug_enabled()) {
		assert_int_equal((unsigned long)entry, meta);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		/* Low bits 10: an internal entry, so x86 did not crash. */
		assert_int_equal((unsigned long)entry, end);
		assert_true(xa_is_internal(entry));
#elif defined(__BYTE_ORDER__)
		assert_int_equal((unsigned long)entry,
				 (unsigned long)end << (8 * (sizeof(long) - 1)));
		assert_false(xa_is_internal(entry));
#endif
	} else {
		assert_null(entry);
		assert_true(mas.node == MAS_OVERFLOW);
	}
	mtree_destroy(&mt);
}

static void test_seed_mas_next(void **state)
{
	(void)state;
	check_next_entry(false);
}

static void test_seed_mas_find(void **state)
{
	(void)state;
	check_next_entry(true);
}

/* The normal API walks the same path. */
static void test_seed_mt_next(void **state)
{
	DEFINE_MTREE(mt);
	MA_STATE(mas, &mt, 0, 0);
	unsigned long limit = 0;
	void *entry;

	(void)state;
	assert_int_equal(mt_seed_build(&mt, &mas, &limit), 0);
	entry = mt_next(&mt, limit - 1, limit);
	if (mt_seed_bug_enabled())
		assert_int_equal((unsigned long)entry,
				 mt_seed_meta_word(MAPLE_RANGE64_SLOTS - 2, 0));
	else
		assert_null(entry);
	/* With no limit in the way the real next entry follows the hole. */
	{
		unsigned long index = limit;
		void *after = mt_find(&mt, &index, ULONG_MAX);

		assert_non_null(after);
		assert_null(mtree_load(&mt, limit));
		entry = mt_next(&mt, limit - 1, ULONG_MAX);
		if (mt_seed_bug_enabled())
			assert_int_equal((unsigned long)entry, mt_seed_meta_word(
					 MAPLE_RANGE64_SLOTS - 2, 0));
		else
			assert_ptr_equal(entry, after);
	}
	assert_int_equal(mt_seed_build(&mt, &mas, &limit), -EINVAL);
	mtree_destroy(&mt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_mas_next),
		cmocka_unit_test(test_seed_mas_find),
		cmocka_unit_test(test_seed_mt_next),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
