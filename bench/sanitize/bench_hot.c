// SPDX-License-Identifier: MIT
/*
 * Hot loops for the union sanitizer's benchmark (bench-sanitize builds this
 * file twice, with and without -fplugin-arg-mtcheck-sanitize, and divides).
 *
 *   flagged    a walk over leaves shaped like the maple tree's range nodes
 *              (metadata overlaid on the last slot): read the metadata, read
 *              every used slot and pivot, store the metadata back; every
 *              slot read is checked and every metadata store recorded
 *   flagged-ro the same walk without the metadata store: what the checks
 *              of the slot loads cost alone
 *   unflagged  the same amount of work on a linked list of records that
 *              hold no flagged overlay: nothing of it is instrumented
 *   void **    loads of void * through a pointer into a heap array, outside
 *              any flagged record: instrumented all the same, since a load
 *              of the wide member's type is checked wherever it comes from
 *
 * The walks are noipa, so that GCC neither inlines them nor, seeing them
 * pure, computes them once for all the rounds.
 *
 * Prints one line per loop: "NAME NS" (CPU nanoseconds per element, best
 * of five rounds) and a checksum that both builds must agree on (sums of
 * offsets, not of addresses, which differ from run to run).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define SLOTS	16
#define LEAVES	4096
#define ROUNDS	200

struct maple_metadata {
	unsigned char end;
	unsigned char gap;
};

struct leaf {
	struct leaf *parent;
	unsigned long pivot[SLOTS - 1];
	union {
		void *slot[SLOTS];
		struct {
			void *pad[SLOTS - 1];
			struct maple_metadata meta;
		};
	};
};

struct item {
	unsigned long key;
	struct item *next;
	unsigned long val;
};

static double now_ns(void)
{
	struct timespec ts;

	/* the process's CPU time: less disturbed by other loads on a shared machine */
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static struct maple_metadata *ma_meta(struct leaf *leaf)
{
	return &leaf->meta;
}

static __attribute__((noipa)) unsigned long walk_leaves(struct leaf *leaves, size_t n, int store)
{
	uintptr_t base = (uintptr_t)leaves;
	unsigned long sum = 0;

	for (size_t i = 0; i < n; i++) {
		struct leaf *leaf = &leaves[i];
		struct maple_metadata *meta = ma_meta(leaf);
		void **slots = leaf->slot;
		unsigned char end = meta->end;

		for (unsigned char s = 0; s <= end; s++)
			sum += (uintptr_t)slots[s] - base + leaf->pivot[s];
		if (store)
			meta->end = end;
	}
	return sum;
}

static __attribute__((noipa)) unsigned long walk_items(struct item *head)
{
	unsigned long sum = 0;

	for (struct item *it = head; it; it = it->next)
		sum += it->key + it->val;
	return sum;
}

static __attribute__((noipa)) unsigned long walk_pointers(void **v, size_t n, const void *base)
{
	unsigned long sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += (uintptr_t)v[i] - (uintptr_t)base;
	return sum;
}

int main(void)
{
	struct leaf *leaves = calloc(LEAVES, sizeof(*leaves));
	/* as many elements as the flagged walk reads slots: 11 a leaf */
	size_t nr_items = (size_t)LEAVES * 11;
	struct item *items = calloc(nr_items, sizeof(*items));
	void **ptrs = calloc(nr_items, sizeof(*ptrs));
	double best[4] = { 1e30, 1e30, 1e30, 1e30 };
	unsigned long check = 0;

	if (!leaves || !items || !ptrs)
		return 2;
	for (size_t i = 0; i < LEAVES; i++) {
		for (unsigned s = 0; s < 11; s++) {
			leaves[i].slot[s] = &leaves[(i * 7 + s) % LEAVES];
			leaves[i].pivot[s] = i * 16 + s;
		}
		leaves[i].meta.end = 10;
	}
	/* a list in memory order: a pointer chase the prefetcher can follow */
	for (size_t k = 0; k < nr_items; k++) {
		items[k].key = k;
		items[k].val = k * 3;
		items[k].next = k + 1 < nr_items ? &items[k + 1] : NULL;
		ptrs[k] = &items[(k * 31) % nr_items];
	}
	for (int round = 0; round < 5; round++) {
		double t = now_ns();

		for (int r = 0; r < ROUNDS; r++)
			check += walk_leaves(leaves, LEAVES, 1);
		t = (now_ns() - t) / ((double)ROUNDS * LEAVES * 11);
		best[0] = t < best[0] ? t : best[0];
		t = now_ns();
		for (int r = 0; r < ROUNDS; r++)
			check += walk_leaves(leaves, LEAVES, 0);
		t = (now_ns() - t) / ((double)ROUNDS * LEAVES * 11);
		best[3] = t < best[3] ? t : best[3];
		t = now_ns();
		for (int r = 0; r < ROUNDS; r++)
			check += walk_items(items);
		t = (now_ns() - t) / ((double)ROUNDS * nr_items);
		best[1] = t < best[1] ? t : best[1];
		t = now_ns();
		for (int r = 0; r < ROUNDS; r++)
			check += walk_pointers(ptrs, nr_items, items);
		t = (now_ns() - t) / ((double)ROUNDS * nr_items);
		best[2] = t < best[2] ? t : best[2];
	}
	printf("flagged %.3f\nflagged-ro %.3f\nunflagged %.3f\nvoid** %.3f\nchecksum %lu\n",
	       best[0], best[3], best[1], best[2], check);
	free(leaves);
	free(items);
	free(ptrs);
	return 0;
}
