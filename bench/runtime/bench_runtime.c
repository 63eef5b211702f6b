// SPDX-License-Identifier: MIT
/*
 * The run-time's hot path: a loop that reads every slot of a few thousand
 * maple-tree-like nodes (what the plugin instruments: a load of the wide
 * member's type), plain and with __mtcheck_rt_load() before each load, as
 * instrumented code makes it:
 *
 *   plain        the loads alone (GCC vectorises them at -O2);
 *   scalar       the loads alone, one at a time, as a loop with a call in
 *                it runs (the ratios of the checked loops are to this);
 *   unmarked     each load checked, on memory where nothing narrow was
 *                ever stored (no shadow leaf: the common case);
 *   one granule  each load checked, on nodes whose last slot holds
 *                metadata written through a narrow member (a shadow leaf,
 *                one marked granule per node; the loop reads the other
 *                slots, which are not marked);
 *   empty call   each load preceded by a call to an empty function of the
 *                same signature: the floor any out-of-line check pays;
 *   clear        a wide store's __mtcheck_rt_clear() on unmarked memory.
 *
 * usage: bench_runtime [NODES [ROUNDS]]   (default 4096 nodes, 200 rounds)
 * Each figure is the best of 31 interleaved runs, in ns per load, with the
 * ratio to the scalar loop.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "mtcheck_rt.h"

#define RUNS 31

struct node {
	union {
		void *slot[16];
		struct {
			void *pad[15];
			unsigned char end, gap;
		};
	};
};

static unsigned char st_end_id;
static const struct mtcheck_rt_site st_end = {
	MTCHECK_RT_ABI, MTCHECK_RT_NARROW_STORE, "bench.c", "set_end", 1, 1, "unsigned char",
	"end", "struct node", "struct node: 'end' overlays pointer 'slot[15]' (bytes 120-127)",
	&st_end_id
};
static const struct mtcheck_rt_site ld_slot = {
	MTCHECK_RT_ABI, MTCHECK_RT_WIDE_LOAD, "bench.c", "walk", 2, 1, "void *", "slot",
	"struct node", NULL, NULL
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static uintptr_t __attribute__((noinline)) walk_plain(struct node *n, size_t nr, int slots)
{
	uintptr_t sum = 0;
	size_t i;
	int j;

	for (i = 0; i < nr; i++)
		for (j = 0; j < slots; j++)
			sum += (uintptr_t)n[i].slot[j];
	return sum;
}

static uintptr_t __attribute__((noinline)) walk_scalar(struct node *n, size_t nr, int slots)
{
	uintptr_t sum = 0;
	size_t i;
	int j;

	for (i = 0; i < nr; i++) {
		for (j = 0; j < slots; j++) {
			sum += (uintptr_t)n[i].slot[j];
			__asm__("" : "+r"(sum));	/* one load at a time: no vectors */
		}
	}
	return sum;
}

static uintptr_t __attribute__((noinline)) walk_checked(struct node *n, size_t nr, int slots)
{
	uintptr_t sum = 0;
	size_t i;
	int j;

	for (i = 0; i < nr; i++) {
		for (j = 0; j < slots; j++) {
			__mtcheck_rt_load(&n[i].slot[j], sizeof(void *), &ld_slot);
			sum += (uintptr_t)n[i].slot[j];
		}
	}
	return sum;
}

/* The cost of the call alone: what the plugin's call would cost if the run-time did nothing. */
void empty_check(const void *addr, size_t size, const struct mtcheck_rt_site *site);
void __attribute__((noinline)) empty_check(const void *addr, size_t size,
					    const struct mtcheck_rt_site *site)
{
	__asm__ volatile("" : : "r"(addr), "r"(size), "r"(site) : "memory");
}

static uintptr_t __attribute__((noinline)) walk_empty_call(struct node *n, size_t nr, int slots)
{
	uintptr_t sum = 0;
	size_t i;
	int j;

	for (i = 0; i < nr; i++) {
		for (j = 0; j < slots; j++) {
			empty_check(&n[i].slot[j], sizeof(void *), &ld_slot);
			sum += (uintptr_t)n[i].slot[j];
		}
	}
	return sum;
}

static uintptr_t __attribute__((noinline)) clear_all(struct node *n, size_t nr, int slots)
{
	size_t i;
	int j;

	for (i = 0; i < nr; i++) {
		for (j = 0; j < slots; j++) {
			n[i].slot[j] = &n[i];
			__mtcheck_rt_clear(&n[i].slot[j], sizeof(void *));
		}
	}
	return (uintptr_t)n[nr - 1].slot[0];
}

typedef uintptr_t walk_fn(struct node *n, size_t nr, int slots);

static volatile uintptr_t sink;

/* One timed run of fn, in ns per slot. */
static double measure(walk_fn *fn, struct node *n, size_t nr, int rounds)
{
	double t0 = now();
	int r;

	for (r = 0; r < rounds; r++)
		sink = fn(n, nr, 15);
	return (now() - t0) / ((double)rounds * (double)nr * 15);
}

static void keep_best(double *best, double t, int run)
{
	if (!run || t < *best)
		*best = t;
}

int main(int argc, char **argv)
{
	size_t nr = argc > 1 ? strtoul(argv[1], NULL, 10) : 4096, i;
	int rounds = argc > 2 ? atoi(argv[2]) : 200;
	struct node *clean, *marked;
	double plain = 0, scalar = 0, unmarked = 0, one = 0, clear = 0, empty = 0;
	int run;

	if (!nr || rounds < 1) {
		fprintf(stderr, "usage: bench_runtime [NODES [ROUNDS]]\n");
		return 2;
	}
	clean = calloc(nr, sizeof(*clean));
	marked = calloc(nr, sizeof(*marked));
	if (!clean || !marked)
		return 1;
	for (i = 0; i < nr; i++) {
		marked[i].end = 14;
		__mtcheck_rt_store(&marked[i].end, 1, &st_end);
	}
	/* interleaved, so that each ratio compares runs under the same load */
	for (run = 0; run < RUNS; run++) {
		keep_best(&plain, measure(walk_plain, clean, nr, rounds), run);
		keep_best(&unmarked, measure(walk_checked, clean, nr, rounds), run);
		keep_best(&scalar, measure(walk_scalar, clean, nr, rounds), run);
		keep_best(&one, measure(walk_checked, marked, nr, rounds), run);
		keep_best(&empty, measure(walk_empty_call, clean, nr, rounds), run);
		keep_best(&clear, measure(clear_all, clean, nr, rounds), run);
	}
	printf("bench_runtime: %zu nodes x 15 slots, %d rounds, best of %d interleaved runs\n",
	       nr, rounds, RUNS);
	printf("plain loads (vectorised)        %6.2f ns/load\n", plain);
	printf("plain loads, scalar             %6.2f ns/load  ratio 1\n", scalar);
	printf("empty call of the same shape    %6.2f ns/load  ratio %.2f\n", empty, empty / scalar);
	printf("checked, never-marked memory    %6.2f ns/load  ratio %.2f\n", unmarked,
	       unmarked / scalar);
	printf("checked, one marked granule     %6.2f ns/load  ratio %.2f\n", one, one / scalar);
	printf("wide store + clear, unmarked    %6.2f ns/store\n", clear);
	free(clean);
	free(marked);
	return 0;
}
