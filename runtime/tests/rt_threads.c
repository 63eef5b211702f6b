// SPDX-License-Identifier: MIT
/*
 * The run-time under threads: `rt_threads N [ITERATIONS]` (N <= 16, default
 * 3000 iterations) starts N threads
 * that at once
 *   - on nodes of their own: store the metadata, load the last slot
 *     (a report per thread: each thread has its own load site), clear it,
 *     load again (no report), copy the node and load the copy (a report
 *     per thread), free and allocate again;
 *   - on nodes they all share: each thread stores and clears its own byte
 *     of the same granules (the same shadow bytes, the same stripes), while
 *     all load the slots nobody marks (no report);
 *   - first of all, in a 16 MiB buffer nothing was stored in yet, each its
 *     own granule of every MiB: the threads race to create the same shadow
 *     leaves.
 * Then the shared nodes' shadow must hold exactly each thread's last
 * store.  test_runtime.py asserts the 2N reports, one per load site, and
 * ThreadSanitizer's build runs it (ctest -L threads).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* fork, waitpid under -std=c11 */
#endif
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mtcheck_rt.h"
#include "rt_internal.h"

#define MAX_THREADS 16
#define NR_SHARED 64

struct maple_metadata {
	unsigned char end;
	unsigned char gap;
};

struct node {
	union {
		void *slot[16];
		struct {
			void *pad[15];
			struct maple_metadata meta;
		};
	};
};

static unsigned char st_end_id, st_gap_id;
static const struct mtcheck_rt_site st_end = {
	MTCHECK_RT_ABI, MTCHECK_RT_NARROW_STORE, "threads.c", "set_meta", 20, 12,
	"unsigned char", "end", "struct maple_metadata", NULL, &st_end_id
};
static const struct mtcheck_rt_site st_gap = {
	MTCHECK_RT_ABI, MTCHECK_RT_NARROW_STORE, "threads.c", "set_meta", 21, 12,
	"unsigned char", "gap", "struct maple_metadata", NULL, &st_gap_id
};
static const struct mtcheck_rt_site ld_shared = {
	MTCHECK_RT_ABI, MTCHECK_RT_WIDE_LOAD, "threads.c", "shared_reader", 90, 1,
	"void *", NULL, NULL, NULL, NULL
};
/* per thread, filled in before the threads start */
static struct mtcheck_rt_site st_byte[MAX_THREADS], ld_own[MAX_THREADS], ld_copy[MAX_THREADS];
static unsigned char st_byte_id[MAX_THREADS];

static struct node shared[NR_SHARED];
#define FRESH_MIB 16
static unsigned char fresh[FRESH_MIB << 20];
static pthread_barrier_t start;
static int nthreads, iterations = 3000;

/* Thread t's byte of every shared node: among the last 16, which no load reads. */
static unsigned char *shared_byte(int k, int t)
{
	return (unsigned char *)&shared[k] + sizeof(shared[k]) - 1 - t;
}

static struct node *node_new(void)
{
	struct node *n = calloc(1, sizeof(*n));

	if (!n)
		exit(99);
	__mtcheck_rt_clear(n, sizeof(*n));
	return n;
}

static void node_free(struct node *n)
{
	__mtcheck_rt_free(n);
	free(n);
}

static void *worker(void *arg)
{
	int t = (int)(intptr_t)arg, i, k;
	struct node *a = node_new(), *b = node_new();

	pthread_barrier_wait(&start);
	for (k = 0; k < FRESH_MIB; k++)
		__mtcheck_rt_store(&fresh[((size_t)k << 20) + 8 * (size_t)t], 1, &st_byte[t]);

	for (i = 0; i < iterations; i++) {
		a->meta.end = 14;
		__mtcheck_rt_store(&a->meta.end, 1, &st_end);
		a->meta.gap = 0;
		__mtcheck_rt_store(&a->meta.gap, 1, &st_gap);
		__mtcheck_rt_load(&a->slot[15], sizeof(void *), &ld_own[t]);

		*b = *a;
		__mtcheck_rt_copy(b, a, sizeof(*b));
		__mtcheck_rt_load(&b->slot[15], sizeof(void *), &ld_copy[t]);

		a->slot[15] = NULL;
		__mtcheck_rt_clear(&a->slot[15], sizeof(void *));
		__mtcheck_rt_load(&a->slot[15], sizeof(void *), &ld_own[t]);

		for (k = 0; k < NR_SHARED; k++) {
			unsigned char *p = shared_byte(k, t);

			*p = (unsigned char)i;
			if ((i + k) % 3 == 0) {
				__mtcheck_rt_clear(p, 1);
			} else {
				__mtcheck_rt_store(p, 1, &st_byte[t]);
			}
			__mtcheck_rt_load(&shared[k].slot[i % 8], sizeof(void *), &ld_shared);
		}
		if (i % 500 == 499) {
			node_free(b);
			b = node_new();
		}
	}
	node_free(a);
	node_free(b);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t threads[MAX_THREADS];
	const struct mtcheck_rt_site *sites[64];
	int t, k, w, failures = 0;

	printf("main\n");
	nthreads = argc >= 2 ? atoi(argv[1]) : 0;
	if (argc == 3)
		iterations = atoi(argv[2]);
	if (nthreads < 1 || nthreads > MAX_THREADS || iterations < 1 || argc > 3) {
		fprintf(stderr, "usage: rt_threads N (1 to %d) [ITERATIONS]\n", MAX_THREADS);
		return 2;
	}
	for (t = 0; t < nthreads; t++) {
		st_byte[t] = st_end;
		st_byte[t].line = 200 + t;
		st_byte[t].id = &st_byte_id[t];
		ld_own[t] = ld_shared;
		ld_own[t].function = "own_reader";
		ld_own[t].line = 100 + t;
		ld_copy[t] = ld_own[t];
		ld_copy[t].function = "copy_reader";
	}
	__mtcheck_rt_clear(shared, sizeof(shared));
	pthread_barrier_init(&start, NULL, (unsigned)nthreads);
	for (t = 0; t < nthreads; t++)
		if (pthread_create(&threads[t], NULL, worker, (void *)(intptr_t)t))
			return 99;
	for (t = 0; t < nthreads; t++)
		pthread_join(threads[t], NULL);

	/* the last iteration, i = iterations - 1, cleared where (i + k) % 3 == 0 */
	for (k = 0; k < NR_SHARED; k++) {
		unsigned char *tail = (unsigned char *)&shared[k] + sizeof(shared[k]) - 64;
		uint64_t want = 0, got = mtc_rt_marked_bytes(tail, 64, sites);
		int i = iterations - 1;

		for (t = 0; t < nthreads; t++) {
			size_t off = (size_t)(shared_byte(k, t) - tail);

			if ((i + k) % 3 == 0)
				continue;
			want |= UINT64_C(1) << off;
			if (sites[off] != &st_byte[t]) {
				printf("FAIL: shared node %d, thread %d: wrong store site\n", k, t);
				failures++;
			}
		}
		if (got != want || mtc_rt_marked_bytes(&shared[k], sizeof(shared[k]) - 16, NULL)) {
			printf("FAIL: shared node %d: marks %#llx, expected %#llx\n", k,
			       (unsigned long long)got, (unsigned long long)want);
			failures++;
		}
	}
	/* each thread's granule of every MiB, 8 threads to a 64-byte window */
	for (k = 0; k < FRESH_MIB; k++) {
		for (w = 0; w < MAX_THREADS / 8; w++) {
			unsigned char *win = &fresh[((size_t)k << 20) + 64 * (size_t)w];
			uint64_t got = mtc_rt_marked_bytes(win, 64, sites), want = 0;

			for (t = 8 * w; t < nthreads && t < 8 * w + 8; t++) {
				want |= UINT64_C(1) << (8 * (t - 8 * w));
				if (sites[8 * (t - 8 * w)] != &st_byte[t]) {
					printf("FAIL: fresh MiB %d, thread %d: wrong store site\n", k, t);
					failures++;
				}
			}
			if (got != want) {
				printf("FAIL: fresh MiB %d, threads %d-%d: marks %#llx, expected %#llx\n",
				       k, 8 * w, 8 * w + 7, (unsigned long long)got,
				       (unsigned long long)want);
				failures++;
			}
		}
	}
	printf("threads: %d done\n", nthreads);
	return failures ? 1 : 0;
}
