// SPDX-License-Identifier: MIT
/*
 * Readers and writers on one tree at once through the normal API.  Each
 * writer owns a window of indices and keeps a model of it; every entry
 * encodes the range it was stored at, so a reader can check that what it
 * sees lies inside a range that was really stored (later writes may clip
 * it), and at the end the tree must equal the writers' models exactly.  Run it
 * under ThreadSanitizer (MAPLE_TSAN) to check the locking.
 *
 * Usage: maple_test_stress [writer-ops]
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>

#include "test_util.h"

#define WRITERS		2
#define READERS		2
#define KEY_BITS	(sizeof(long) == 8 ? 20 : 13)
#define WINDOW		(1UL << KEY_BITS)

static unsigned long opt_ops = 20000;
static struct maple_tree tree;
static atomic_int writers_left;
static atomic_ulong errors, reads, hits;

/* (first, last) of a range inside one window, as an XArray value. */
static void *encode(unsigned long first, unsigned long last)
{
	return xa_mk_value(((first % WINDOW) << KEY_BITS) | (last - first));
}

static void decode(const void *entry, unsigned long base, unsigned long *first,
		   unsigned long *last)
{
	unsigned long v = xa_to_value(entry);

	*first = base + (v >> KEY_BITS);
	*last = *first + (v & (WINDOW - 1));
}

struct writer {
	pthread_t thread;
	unsigned int id;
	struct model m;
};

static void *writer_main(void *arg)
{
	struct writer *w = arg;
	unsigned long base = w->id * WINDOW, i;
	uint64_t rs = 1000 + w->id;

	for (i = 0; i < opt_ops; i++) {
		unsigned long first = base + rnd_below(&rs, WINDOW - 64);
		unsigned long last = first + rnd_below(&rs, 40), lo, hi, start;
		unsigned long op = rnd_below(&rs, 10);
		void *entry = encode(first, last);

		if (op < 5) {
			if (mtree_store_range(&tree, first, last, entry, GFP_KERNEL))
				atomic_fetch_add(&errors, 1);
			model_store(&w->m, first, last, entry);
		} else if (op < 7) {
			void *want = model_range_at(&w->m, first, &lo, &hi);

			if (mtree_erase(&tree, first) != want)
				atomic_fetch_add(&errors, 1);
			if (want)
				model_store(&w->m, lo, hi, NULL);
		} else if (op < 9) {
			int want = model_is_free(&w->m, first, last) ? 0 : -EEXIST;

			if (mtree_insert_range(&tree, first, last, entry,
					       GFP_KERNEL) != want)
				atomic_fetch_add(&errors, 1);
			if (!want)
				model_store(&w->m, first, last, entry);
		} else {
			unsigned long size = 1 + rnd_below(&rs, 8), gi = 0, gl = 0;
			int want = model_gap(&w->m, base, base + WINDOW - 1, size,
					     false, &gi, &gl);
			int ret;

			entry = encode(gi, gi + size - 1);
			ret = mtree_alloc_range(&tree, &start, entry, size, base,
						base + WINDOW - 1, GFP_KERNEL);
			if (ret != want || (!ret && start != gi))
				atomic_fetch_add(&errors, 1);
			if (!ret)
				model_store(&w->m, gi, gi + size - 1, entry);
		}
	}
	atomic_fetch_sub(&writers_left, 1);
	return NULL;
}

static void *reader_main(void *arg)
{
	uint64_t rs = 77 + (uintptr_t)arg;

	while (atomic_load(&writers_left) > 0) {
		unsigned long w = rnd_below(&rs, WRITERS), base = w * WINDOW;
		unsigned long index = base + rnd_below(&rs, WINDOW), first, last;
		void *entry = mtree_load(&tree, index);
		int n;

		atomic_fetch_add(&reads, 1);
		if (entry) {
			atomic_fetch_add(&hits, 1);
			decode(entry, base, &first, &last);
			if (index < first || index > last)
				atomic_fetch_add(&errors, 1);
		}
		/* A short mt_find() walk: ranges ascend and match their values. */
		for (n = 0; n < 8; n++) {
			unsigned long prev = index;

			entry = mt_find(&tree, &index, base + WINDOW - 1);
			if (!entry)
				break;
			decode(entry, base, &first, &last);
			/* Later writes may have clipped the stored range. */
			if (index - 1 < first || index - 1 > last ||
			    index - 1 < prev)
				atomic_fetch_add(&errors, 1);
		}
	}
	return NULL;
}

static void test_concurrent(void **state)
{
	struct writer writers[WRITERS];
	pthread_t readers[READERS];
	unsigned long total = 0, before = mt_nr_allocated();
	MA_STATE(mas, &tree, 0, 0);
	unsigned int i;
	size_t r;
	void *entry;

	(void)state;
	mt_init_flags(&tree, MT_FLAGS_ALLOC_RANGE);
	atomic_store(&writers_left, WRITERS);
	for (i = 0; i < WRITERS; i++) {
		writers[i].id = i;
		model_init(&writers[i].m);
		assert_int_equal(pthread_create(&writers[i].thread, NULL,
						writer_main, &writers[i]), 0);
	}
	for (i = 0; i < READERS; i++)
		assert_int_equal(pthread_create(&readers[i], NULL, reader_main,
						(void *)(uintptr_t)i), 0);
	for (i = 0; i < WRITERS; i++)
		pthread_join(writers[i].thread, NULL);
	for (i = 0; i < READERS; i++)
		pthread_join(readers[i], NULL);

	assert_int_equal(atomic_load(&errors), 0);
	assert_int_equal(mt_validate(&tree), 0);
	for (i = 0; i < WRITERS; i++) {
		for (r = 0; r < writers[i].m.n; r++) {
			const struct model_range *mr = &writers[i].m.r[r];

			mas_set(&mas, mr->first);
			mas_lock(&mas);
			entry = mas_walk(&mas);
			mas_unlock(&mas);
			assert_ptr_equal(entry, mr->entry);
			assert_int_equal(mas.index, mr->first);
			assert_int_equal(mas.last, mr->last);
		}
		total += writers[i].m.n;
		model_free(&writers[i].m);
	}
	mas_set(&mas, 0);
	r = 0;
	mas_lock(&mas);
	mas_for_each(&mas, entry, ULONG_MAX)
		r++;
	mas_unlock(&mas);
	assert_int_equal(r, total);
	print_message("%d writers x %lu ops, %lu reads (%lu hits) alongside, "
		      "%lu ranges left\n", WRITERS, opt_ops,
		      atomic_load(&reads), atomic_load(&hits), total);
	mtree_destroy(&tree);
	assert_int_equal(mt_nr_allocated(), before);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_concurrent),
	};

	if (argc > 1)
		opt_ops = strtoul(argv[1], NULL, 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
