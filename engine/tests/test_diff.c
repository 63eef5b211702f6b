// SPDX-License-Identifier: MIT
/*
 * Differential test: random operation sequences on the maple tree and on a
 * sorted-array model of the same range map, compared after every step.
 *
 * Cost control: mt_validate() and a full tree-against-model comparison run
 * after every step while the model holds fewer than VALIDATE_SMALL ranges,
 * and every VALIDATE_EVERY steps (and at the end) above that.  Every
 * operation's own result is compared at every step.
 *
 * Usage: maple_test_diff [seeds [ops-per-seed [first-seed]]]
 * Defaults: 200 seeds x 5000 operations = 1,000,000 operations.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_util.h"

#define VALIDATE_SMALL	256
#define VALIDATE_EVERY	128

static unsigned long opt_seeds = 200;
static unsigned long opt_ops = 5000;
static unsigned long opt_first_seed = 1;
static unsigned int max_height_seen;

struct diff_cfg {
	unsigned long keyspace;
	bool high;	/* also use indices just below ULONG_MAX */
	bool alloc;	/* MT_FLAGS_ALLOC_RANGE */
	bool sparse;	/* short ranges only, so the tree keeps growing */
};

struct diff_run {
	uint64_t rs;
	unsigned long seed, step;
	const struct diff_cfg *cfg;
	struct maple_tree mt;
	struct model m;
	unsigned long id;
	unsigned long ops;
};

#define CHECK(run, cond, ...) do {					\
	if (!(cond)) {							\
		fprintf(stderr, "seed %lu step %lu: %s: ", (run)->seed,	\
			(run)->step, #cond);				\
		fprintf(stderr, __VA_ARGS__);				\
		fprintf(stderr, "\n");					\
		mt_dump(&(run)->mt, mt_dump_hex);			\
		fail_msg("differential test failed (seed %lu)", (run)->seed); \
	}								\
} while (0)

static unsigned long pick_index(struct diff_run *run)
{
	unsigned long k = rnd_below(&run->rs, run->cfg->keyspace);

	if (run->cfg->high && (rnd_next(&run->rs) & 1))
		return ULONG_MAX - k;
	/* Now and then an existing range's edge, to hit exact boundaries. */
	if (run->m.n && rnd_below(&run->rs, 4) == 0) {
		struct model_range *r = &run->m.r[rnd_below(&run->rs, run->m.n)];

		switch (rnd_below(&run->rs, 4)) {
		case 0: return r->first;
		case 1: return r->last;
		case 2: return r->first ? r->first - 1 : 0;
		default: return r->last != ULONG_MAX ? r->last + 1 : r->last;
		}
	}
	return k;
}

static unsigned long pick_len(struct diff_run *run)
{
	unsigned long r = rnd_below(&run->rs, 100), ks = run->cfg->keyspace;

	if (run->cfg->sparse)
		return rnd_below(&run->rs, 64);
	if (r < 55)
		return rnd_below(&run->rs, 4);
	if (r < 92)
		return rnd_below(&run->rs, ks / 16 + 1);
	return rnd_below(&run->rs, ks);
}

static void pick_range(struct diff_run *run, unsigned long *first,
		       unsigned long *last)
{
	unsigned long len = pick_len(run);

	*first = pick_index(run);
	*last = *first + len;
	if (*last < *first)
		*last = ULONG_MAX;
}

static unsigned long clamp_add(unsigned long a, unsigned long b)
{
	return a + b < a ? ULONG_MAX : a + b;
}

static void *new_entry(struct diff_run *run)
{
	return xa_mk_value(++run->id);
}

static void op_store(struct diff_run *run)
{
	unsigned long first, last;
	void *entry = rnd_below(&run->rs, 5) ? new_entry(run) : NULL;
	int ret;

	pick_range(run, &first, &last);
	if (rnd_below(&run->rs, 4) == 0) {
		/* Through the advanced API, checking what it overwrote. */
		MA_STATE(mas, &run->mt, first, last);
		void *old, *want = model_load(&run->m, first);

		mas_lock(&mas);
		if (rnd_next(&run->rs) & 1) {
			old = mas_walk(&mas);
			mas_set_range(&mas, first, last);
			ret = mas_preallocate(&mas, entry, GFP_KERNEL);
			CHECK(run, ret == 0, "mas_preallocate %d", ret);
			mas_store_prealloc(&mas, entry);
		} else {
			old = mas_store(&mas, entry);
			CHECK(run, !mas_is_err(&mas), "mas_store error");
		}
		mas_unlock(&mas);
		CHECK(run, old == want, "[%lx, %lx] overwrote %p, want %p",
		      first, last, old, want);
	} else {
		ret = mtree_store_range(&run->mt, first, last, entry,
					GFP_KERNEL);
		CHECK(run, ret == 0, "store [%lx, %lx] = %d", first, last, ret);
	}
	model_store(&run->m, first, last, entry);
}

static void op_erase(struct diff_run *run)
{
	unsigned long index = pick_index(run), lo, hi;
	void *want = model_range_at(&run->m, index, &lo, &hi);
	void *got = mtree_erase(&run->mt, index);

	CHECK(run, got == want, "erase %lx = %p, want %p", index, got, want);
	if (want)
		model_store(&run->m, lo, hi, NULL);
}

static void op_insert(struct diff_run *run)
{
	unsigned long first, last;
	void *entry = new_entry(run);
	int want, ret;

	pick_range(run, &first, &last);
	want = model_is_free(&run->m, first, last) ? 0 : -EEXIST;
	ret = mtree_insert_range(&run->mt, first, last, entry, GFP_KERNEL);
	CHECK(run, ret == want, "insert [%lx, %lx] = %d, want %d", first, last,
	      ret, want);
	if (!ret)
		model_store(&run->m, first, last, entry);
}

static void op_load_walk(struct diff_run *run)
{
	unsigned long index = pick_index(run), lo, hi;
	void *want = model_range_at(&run->m, index, &lo, &hi);
	MA_STATE(mas, &run->mt, index, index);
	void *got = mtree_load(&run->mt, index);

	CHECK(run, got == want, "load %lx = %p, want %p", index, got, want);
	mas_lock(&mas);
	got = mas_walk(&mas);
	mas_unlock(&mas);
	CHECK(run, got == want, "walk %lx = %p, want %p", index, got, want);
	/* A lone root entry reports the hole after it as [1, ULONG_MAX]. */
	CHECK(run, mas.index == lo && mas.last == hi,
	      "walk %lx range [%lx, %lx], want [%lx, %lx]", index, mas.index,
	      mas.last, lo, hi);
}

/* mas_find() (or mt_find()) forwards from @start to @max. */
static void op_find(struct diff_run *run)
{
	unsigned long start = pick_index(run);
	unsigned long max = rnd_below(&run->rs, 3) ? clamp_add(start,
				pick_len(run)) : ULONG_MAX;
	size_t i = model_lower(&run->m, start);
	bool normal = rnd_below(&run->rs, 3) == 0;
	MA_STATE(mas, &run->mt, start, start);
	unsigned long index = start;
	int steps;

	for (steps = 0; steps < 24; steps++, i++) {
		const struct model_range *r = i < run->m.n &&
			run->m.r[i].first <= max ? &run->m.r[i] : NULL;
		void *got;

		if (normal) {
			got = steps ? mt_find_after(&run->mt, &index, max) :
				mt_find(&run->mt, &index, max);
			CHECK(run, got == (r ? r->entry : NULL),
			      "mt_find from %lx max %lx step %d = %p", start,
			      max, steps, got);
			if (!r)
				break;
			CHECK(run, index == r->last + 1, "mt_find index %lx",
			      index);
			continue;
		}
		mas_lock(&mas);
		got = mas_find(&mas, max);
		mas_unlock(&mas);
		CHECK(run, got == (r ? r->entry : NULL),
		      "mas_find from %lx max %lx step %d = %p [%lx, %lx], "
		      "want %p", start, max, steps, got, mas.index, mas.last,
		      r ? r->entry : NULL);
		if (!r)
			break;
		CHECK(run, mas.index == r->first && mas.last == r->last,
		      "mas_find range [%lx, %lx], want [%lx, %lx]", mas.index,
		      mas.last, r->first, r->last);
		if (rnd_below(&run->rs, 8) == 0)
			mas_pause(&mas);
	}
}

/* mas_find_rev() backwards from @start down to @min. */
static void op_find_rev(struct diff_run *run)
{
	unsigned long start = pick_index(run), len = pick_len(run);
	unsigned long min = rnd_below(&run->rs, 3) ?
		(start > len ? start - len : 0) : 0;
	size_t i = model_lower(&run->m, start);
	MA_STATE(mas, &run->mt, start, start);
	long j;
	int steps;

	/* The range holding start, or the last one before it. */
	if (i == run->m.n || run->m.r[i].first > start)
		j = (long)i - 1;
	else
		j = (long)i;
	for (steps = 0; steps < 24; steps++, j--) {
		const struct model_range *r = j >= 0 &&
			run->m.r[j].last >= min ? &run->m.r[j] : NULL;
		void *got;

		mas_lock(&mas);
		got = mas_find_rev(&mas, min);
		mas_unlock(&mas);
		CHECK(run, got == (r ? r->entry : NULL),
		      "mas_find_rev from %lx min %lx step %d = %p", start, min,
		      steps, got);
		if (!r)
			break;
		CHECK(run, mas.index == r->first && mas.last == r->last,
		      "mas_find_rev range [%lx, %lx], want [%lx, %lx]",
		      mas.index, mas.last, r->first, r->last);
		if (rnd_below(&run->rs, 8) == 0)
			mas_pause(&mas);
	}
}

/* mas_next()/mas_prev() from the range holding @start. */
static void op_next_prev(struct diff_run *run)
{
	unsigned long start = pick_index(run), lo, hi, len = pick_len(run);
	bool forward = rnd_next(&run->rs) & 1;
	MA_STATE(mas, &run->mt, start, start);
	int steps;

	model_range_at(&run->m, start, &lo, &hi);
	if (forward) {
		unsigned long max = clamp_add(start, len);
		size_t i = model_lower(&run->m, start);

		if (i < run->m.n && run->m.r[i].first <= start)
			i++;
		for (steps = 0; steps < 16; steps++, i++) {
			const struct model_range *r = i < run->m.n &&
				run->m.r[i].first <= max ? &run->m.r[i] : NULL;
			void *got;

			mas_lock(&mas);
			got = mas_next(&mas, max);
			mas_unlock(&mas);
			CHECK(run, got == (r ? r->entry : NULL),
			      "mas_next from %lx max %lx step %d = %p", start,
			      max, steps, got);
			if (!r) {
				CHECK(run, mas.node == MAS_OVERFLOW ||
				      mas.node == MAS_NONE, "state %p",
				      (void *)mas.node);
				break;
			}
			CHECK(run, mas.index == r->first && mas.last == r->last,
			      "mas_next range [%lx, %lx]", mas.index, mas.last);
		}
	} else {
		unsigned long min = start > len ? start - len : 0;
		long j = (long)model_lower(&run->m, start) - 1;

		for (steps = 0; steps < 16; steps++, j--) {
			const struct model_range *r = j >= 0 &&
				run->m.r[j].last >= min ? &run->m.r[j] : NULL;
			void *got;

			mas_lock(&mas);
			got = mas_prev(&mas, min);
			mas_unlock(&mas);
			CHECK(run, got == (r ? r->entry : NULL),
			      "mas_prev from %lx min %lx step %d = %p", start,
			      min, steps, got);
			if (!r)
				break;
			CHECK(run, mas.index == r->first && mas.last == r->last,
			      "mas_prev range [%lx, %lx]", mas.index, mas.last);
		}
	}
}

/* mas_next_range()/mas_prev_range(): every slot, holes included. */
static void op_ranges(struct diff_run *run)
{
	unsigned long start = pick_index(run), lo, hi, len = pick_len(run);
	bool forward = rnd_next(&run->rs) & 1;
	MA_STATE(mas, &run->mt, start, start);
	int steps;

	if (!mt_height(&run->mt))
		return;	/* a lone root entry has no slots to step through */
	model_range_at(&run->m, start, &lo, &hi);
	mas_lock(&mas);
	mas_walk(&mas);
	mas_unlock(&mas);
	for (steps = 0; steps < 16; steps++) {
		unsigned long limit, nlo, nhi;
		void *want, *got;

		if (forward) {
			limit = clamp_add(start, len);
			if (hi >= limit || hi == ULONG_MAX)
				break;
			want = model_range_at(&run->m, hi + 1, &nlo, &nhi);
			mas_lock(&mas);
			got = mas_next_range(&mas, limit);
			mas_unlock(&mas);
		} else {
			limit = start > len ? start - len : 0;
			if (lo <= limit)
				break;
			want = model_range_at(&run->m, lo - 1, &nlo, &nhi);
			mas_lock(&mas);
			got = mas_prev_range(&mas, limit);
			mas_unlock(&mas);
		}
		CHECK(run, got == want && mas.index == nlo && mas.last == nhi,
		      "%s_range from %lx step %d = %p [%lx, %lx], want %p "
		      "[%lx, %lx]", forward ? "next" : "prev", start, steps, got,
		      mas.index, mas.last, want, nlo, nhi);
		lo = nlo;
		hi = nhi;
	}
}

static void op_gap(struct diff_run *run)
{
	unsigned long min = pick_index(run), max, size, windex = 0, wlast = 0;
	bool rev = rnd_next(&run->rs) & 1;
	MA_STATE(mas, &run->mt, 0, 0);
	int want, ret;

	max = rnd_below(&run->rs, 4) ? clamp_add(min, pick_len(run) * 4) :
		ULONG_MAX;
	if (rnd_below(&run->rs, 8) == 0) {
		unsigned long t = min;

		min = max;
		max = t;
	}
	size = 1 + rnd_below(&run->rs, run->cfg->keyspace / 8 + 1);
	want = model_gap(&run->m, min, max, size, rev, &windex, &wlast);

	if (run->cfg->alloc && rnd_below(&run->rs, 2)) {
		void *entry = new_entry(run);
		unsigned long startp = 0;

		ret = rev ? mtree_alloc_rrange(&run->mt, &startp, entry, size,
					       min, max, GFP_KERNEL) :
			mtree_alloc_range(&run->mt, &startp, entry, size, min,
					  max, GFP_KERNEL);
		CHECK(run, ret == want && (ret || startp == windex),
		      "alloc%s size %lx in [%lx, %lx] = %d at %lx, want %d at "
		      "%lx", rev ? "_rrange" : "_range", size, min, max, ret,
		      startp, want, windex);
		if (!ret)
			model_store(&run->m, windex, wlast, entry);
		return;
	}
	mas_lock(&mas);
	ret = rev ? mas_empty_area_rev(&mas, min, max, size) :
		mas_empty_area(&mas, min, max, size);
	mas_unlock(&mas);
	CHECK(run, ret == want, "empty_area%s size %lx in [%lx, %lx] = %d, "
	      "want %d", rev ? "_rev" : "", size, min, max, ret, want);
	if (!ret)
		CHECK(run, mas.index == windex && mas.last == wlast,
		      "empty_area%s size %lx in [%lx, %lx] = [%lx, %lx], want "
		      "[%lx, %lx]", rev ? "_rev" : "", size, min, max,
		      mas.index, mas.last, windex, wlast);
}

static void op_next_normal(struct diff_run *run)
{
	unsigned long start = pick_index(run), lo, hi, len = pick_len(run);
	bool forward = rnd_next(&run->rs) & 1;
	void *got, *want = NULL;
	size_t i;

	model_range_at(&run->m, start, &lo, &hi);
	if (forward) {
		unsigned long max = clamp_add(start, len);

		i = model_lower(&run->m, start);
		if (i < run->m.n && run->m.r[i].first <= start)
			i++;
		if (i < run->m.n && run->m.r[i].first <= max)
			want = run->m.r[i].entry;
		got = mt_next(&run->mt, start, max);
		CHECK(run, got == want, "mt_next %lx max %lx = %p, want %p",
		      start, max, got, want);
	} else {
		unsigned long min = start > len ? start - len : 0;
		long j = (long)model_lower(&run->m, start) - 1;

		if (j >= 0 && run->m.r[j].last >= min)
			want = run->m.r[j].entry;
		got = mt_prev(&run->mt, start, min);
		CHECK(run, got == want, "mt_prev %lx min %lx = %p, want %p",
		      start, min, got, want);
	}
}

static void check_whole(struct diff_run *run)
{
	CHECK(run, mt_validate(&run->mt) == 0, "mt_validate");
	CHECK(run, model_matches_tree(&run->m, &run->mt), "tree != model");
	if (mt_height(&run->mt) > max_height_seen)
		max_height_seen = mt_height(&run->mt);
}

static void run_seed(unsigned long seed, const struct diff_cfg *cfg,
		     unsigned long ops)
{
	struct diff_run run = { .seed = seed, .cfg = cfg };
	unsigned long before = mt_nr_allocated();

	run.rs = 0x9E3779B97F4A7C15ULL ^ (seed * 0xD1B54A32D192ED03ULL);
	if (!run.rs)
		run.rs = 1;
	mt_init_flags(&run.mt, cfg->alloc ? MT_FLAGS_ALLOC_RANGE : 0);
	model_init(&run.m);

	for (run.step = 0; run.step < ops; run.step++) {
		unsigned long op = rnd_below(&run.rs, 100);

		if (op < 30)
			op_store(&run);
		else if (op < 40)
			op_erase(&run);
		else if (op < 50)
			op_insert(&run);
		else if (op < 60)
			op_load_walk(&run);
		else if (op < 70)
			op_find(&run);
		else if (op < 75)
			op_find_rev(&run);
		else if (op < 81)
			op_next_prev(&run);
		else if (op < 85)
			op_ranges(&run);
		else if (op < 97)
			op_gap(&run);
		else
			op_next_normal(&run);
		run.ops++;
		if (run.m.n < VALIDATE_SMALL || run.step % VALIDATE_EVERY == 0)
			check_whole(&run);
	}
	check_whole(&run);
	mtree_destroy(&run.mt);
	model_free(&run.m);
	CHECK(&run, mt_nr_allocated() == before, "%lu nodes leaked",
	      mt_nr_allocated() - before);
}

/* Key spaces from tiny (constant overwriting) to wide (deep trees). */
static const struct diff_cfg cfgs[] = {
	{ 64, false, false, false },
	{ 1000, false, true, false },
	{ 20000, false, false, false },
	{ 400000, false, true, false },
	{ 500, true, false, false },
	{ 5000, true, true, false },
	{ 1UL << 30, false, true, true },	/* grows to height 4 */
};

static void test_differential(void **state)
{
	unsigned long s, total = 0;

	(void)state;
	for (s = 0; s < opt_seeds; s++) {
		unsigned long seed = opt_first_seed + s;
		const struct diff_cfg *cfg = &cfgs[seed % (sizeof(cfgs) /
							  sizeof(cfgs[0]))];

		run_seed(seed, cfg, opt_ops);
		total += opt_ops;
	}
	print_message("%lu seeds, %lu operations checked against the model, "
		      "trees up to height %u\n", opt_seeds, total,
		      max_height_seen);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_differential),
	};

	if (argc > 1)
		opt_seeds = strtoul(argv[1], NULL, 0);
	if (argc > 2)
		opt_ops = strtoul(argv[2], NULL, 0);
	if (argc > 3)
		opt_first_seed = strtoul(argv[3], NULL, 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
