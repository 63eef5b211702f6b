// SPDX-License-Identifier: MIT
/*
 * Allocation failure: every write is retried with the N-th node allocation
 * failing, for N = 0, 1, 2, ... until it succeeds.  Each failed attempt
 * must return -ENOMEM (NULL for mtree_erase()) and leave the tree exactly
 * as it was and valid; the successful one must match the model; and no
 * node may leak.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_util.h"

#define V(x)	xa_mk_value(x)

enum op_kind { OP_STORE, OP_ERASE, OP_INSERT, OP_ALLOC, OP_ALLOC_REV, OP_MAS };

struct op {
	enum op_kind kind;
	unsigned long first, last, size;
	void *entry;
};

/* Run @op once; returns its error code (erase: -ENOMEM if it did nothing). */
static int run_op(struct maple_tree *mt, const struct model *m,
		  const struct op *op, unsigned long *start)
{
	switch (op->kind) {
	case OP_STORE:
		return mtree_store_range(mt, op->first, op->last, op->entry,
					 GFP_KERNEL);
	case OP_ERASE: {
		void *want = model_load(m, op->first);
		void *got = mtree_erase(mt, op->first);

		if (want && !got)
			return -ENOMEM;
		assert_ptr_equal(got, want);
		return 0;
	}
	case OP_INSERT:
		return mtree_insert_range(mt, op->first, op->last, op->entry,
					  GFP_KERNEL);
	case OP_ALLOC:
		return mtree_alloc_range(mt, start, op->entry, op->size,
					 op->first, op->last, GFP_KERNEL);
	case OP_ALLOC_REV:
		return mtree_alloc_rrange(mt, start, op->entry, op->size,
					  op->first, op->last, GFP_KERNEL);
	case OP_MAS: {
		MA_STATE(mas, mt, op->first, op->last);
		int ret;

		mas_lock(&mas);
		ret = mas_preallocate(&mas, op->entry, GFP_KERNEL);
		if (!ret)
			mas_store_prealloc(&mas, op->entry);
		mas_unlock(&mas);
		assert_null(mas.alloc);
		return ret;
	}
	}
	return -EINVAL;
}

static void apply_op(struct model *m, const struct op *op, unsigned long start)
{
	unsigned long lo, hi;

	switch (op->kind) {
	case OP_STORE:
	case OP_INSERT:
	case OP_MAS:
		model_store(m, op->first, op->last, op->entry);
		break;
	case OP_ERASE:
		if (model_range_at(m, op->first, &lo, &hi))
			model_store(m, lo, hi, NULL);
		break;
	case OP_ALLOC:
	case OP_ALLOC_REV:
		model_store(m, start, start + op->size - 1, op->entry);
		break;
	}
}

static void random_op(uint64_t *rs, struct op *op, unsigned long id)
{
	unsigned long len;

	op->kind = (enum op_kind)rnd_below(rs, 6);
	op->first = rnd_below(rs, 40000);
	len = rnd_below(rs, 10) ? rnd_below(rs, 30) : rnd_below(rs, 3000);
	op->last = op->first + len;
	op->size = 1 + rnd_below(rs, 20);
	op->entry = (op->kind == OP_STORE && !rnd_below(rs, 3)) ? NULL : V(id);
	if (op->kind == OP_INSERT && !rnd_below(rs, 2))
		op->first = op->last = rnd_below(rs, 40000);
}

/* Each op with the N-th allocation failing, N = 0.., until it succeeds. */
static void test_every_failure_point(void **state)
{
	unsigned long before = mt_nr_allocated(), i, enomem = 0, ops = 0;
	struct maple_tree mt;
	struct model m;
	uint64_t rs = 7;

	(void)state;
	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	model_init(&m);
	for (i = 0; i < 3000; i++) {
		unsigned long first = 20 * i;

		mtree_store_range(&mt, first, first + 9, V(i), GFP_KERNEL);
		model_store(&m, first, first + 9, V(i));
	}

	for (i = 0; i < 1500; i++) {
		struct op op;
		long n;

		random_op(&rs, &op, 100000 + i);
		for (n = 0;; n++) {
			struct fail_after fail = { .after = n };
			unsigned long start = 0;
			int ret, want = 0;

			if (op.kind == OP_INSERT &&
			    !model_is_free(&m, op.first, op.last))
				want = -EEXIST;
			if (op.kind == OP_ALLOC || op.kind == OP_ALLOC_REV) {
				unsigned long gi, gl;

				want = model_gap(&m, op.first, op.last, op.size,
						 op.kind == OP_ALLOC_REV,
						 &gi, &gl);
			}
			mt_set_alloc_fail_hook(fail_after_hook, &fail);
			ret = run_op(&mt, &m, &op, &start);
			mt_set_alloc_fail_hook(NULL, NULL);
			assert_int_equal(mt_validate(&mt), 0);
			if (ret == -ENOMEM) {
				assert_true(fail.failed > 0);
				assert_true(model_matches_tree(&m, &mt));
				enomem++;
				continue;
			}
			assert_int_equal(ret, want);
			if (!ret)
				apply_op(&m, &op, start);
			assert_true(model_matches_tree(&m, &mt));
			ops++;
			break;
		}
	}
	print_message("%lu operations, %lu failed with -ENOMEM and left the "
		      "tree unchanged\n", ops, enomem);
	assert_true(enomem > 500);
	mtree_destroy(&mt);
	model_free(&m);
	assert_int_equal(mt_nr_allocated(), before);
}

/* GFP_NOWAIT failures are retried by mas_nomem() with the caller's gfp. */
static void test_nowait_retry(void **state)
{
	struct fail_after fail = { .after = 0, .nowait_only = true };
	unsigned long before = mt_nr_allocated(), i, start;
	struct maple_tree mt;

	(void)state;
	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	mt_set_alloc_fail_hook(fail_after_hook, &fail);
	for (i = 0; i < 2000; i++)
		assert_int_equal(mtree_store_range(&mt, 10 * i, 10 * i + 4, V(i),
						   GFP_KERNEL), 0);
	assert_int_equal(mtree_alloc_range(&mt, &start, V(1), 5, 0, ULONG_MAX,
					   GFP_KERNEL), 0);
	assert_int_equal(start, 5);
	/* A caller that cannot block gets the error instead. */
	assert_int_equal(mtree_store_range(&mt, 3, 20000, V(2), GFP_NOWAIT),
			 -ENOMEM);
	assert_ptr_equal(mtree_load(&mt, 3), V(0));
	assert_ptr_equal(mtree_load(&mt, 20000), NULL);
	for (i = 0; i < 2000; i += 2)
		assert_ptr_equal(mtree_erase(&mt, 10 * i), V(i));
	mt_set_alloc_fail_hook(NULL, NULL);
	assert_true(fail.failed > 100);
	assert_ptr_equal(mtree_load(&mt, 5), V(1));
	assert_ptr_equal(mtree_load(&mt, 10), V(1));	/* odd ranges stay */
	assert_ptr_equal(mtree_load(&mt, 15), NULL);
	assert_ptr_equal(mtree_load(&mt, 20), NULL);	/* even ones went */
	assert_ptr_equal(mtree_load(&mt, 30), V(3));
	assert_int_equal(mt_validate(&mt), 0);
	mtree_destroy(&mt);
	assert_int_equal(mt_nr_allocated(), before);
}

static void test_preallocate_fails(void **state)
{
	struct fail_after fail = { .after = 2 };
	unsigned long before = mt_nr_allocated(), i;
	struct maple_tree mt;
	MA_STATE(mas, &mt, 5, 500);

	(void)state;
	mt_init(&mt);
	for (i = 0; i < 500; i++)
		mtree_store_range(&mt, 10 * i, 10 * i + 4, V(i), GFP_KERNEL);
	before = mt_nr_allocated();
	mt_set_alloc_fail_hook(fail_after_hook, &fail);
	mas_lock(&mas);
	assert_int_equal(mas_preallocate(&mas, V(1), GFP_KERNEL), -ENOMEM);
	assert_null(mas.alloc);
	assert_true(mas.node == MAS_START);
	/* The plain store fails too, records its request, and mas_nomem()
	 * cannot satisfy it either. */
	mas_set_range(&mas, 5, 500);
	mas_store(&mas, V(1));
	assert_true(mas_is_err(&mas));
	assert_int_equal(xa_err(mas.node), -ENOMEM);
	assert_false(mas_nomem(&mas, GFP_KERNEL));
	assert_null(mas.alloc);
	mas_unlock(&mas);
	mt_set_alloc_fail_hook(NULL, NULL);
	assert_int_equal(mt_nr_allocated(), before);
	assert_ptr_equal(mtree_load(&mt, 10), V(1));
	assert_int_equal(mt_validate(&mt), 0);
	mtree_destroy(&mt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_failure_point),
		cmocka_unit_test(test_nowait_retry),
		cmocka_unit_test(test_preallocate_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
