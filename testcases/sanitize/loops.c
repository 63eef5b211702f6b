// SPDX-License-Identifier: MIT
/*
 * The sanitizer's loop versioning: at -O2 the plugin checks the range a
 * loop's slot loads cover once before the loop, and runs a copy without
 * the per-load checks when nothing in the range is marked.  Each scenario
 * here must report exactly what checking every load would report:
 *
 *   loops SCENARIO
 *
 *   clean          walks over nodes whose metadata was never written: no
 *                  report (the fast copy runs)
 *   last-slot      the walk reads up to the slot the metadata overlays,
 *                  which was written: the last address of the range counts
 *   first-slot     a walk downwards whose lowest slot holds the metadata of
 *                  another layout: the lowest address of the range counts
 *   store-in-loop  the loop itself writes the metadata before reading the
 *                  slot: such a loop keeps its checks
 *   outer          a walk over many nodes, of which one has its metadata
 *                  written: one report, for that node
 *
 * run-sanitize holds each report to its exact text, and checks that the
 * -O2 build calls the range check.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 16
#define NODES 64

struct maple_metadata {
	unsigned char end;
	unsigned char gap;
};

/* the metadata in the last slot, as the maple tree's range nodes */
struct node {
	union {
		void *slot[SLOTS];
		struct {
			void *pad[SLOTS - 1];
			struct maple_metadata meta;
		};
	};
};

/* the metadata in the first slot */
struct head_node {
	union {
		void *slot[SLOTS];
		struct maple_metadata meta;
	};
};

static void set_meta(struct maple_metadata *meta, unsigned char end)
{
	meta->end = end;
}

/* Sums slots 0 to end of @node, as the maple tree reads them. */
static __attribute__((noipa)) uintptr_t walk_up(struct node *node, unsigned char end)
{
	void **slots = node->slot;
	uintptr_t sum = 0;

	for (unsigned char s = 0; s <= end; s++)
		sum += (uintptr_t)slots[s];
	return sum;
}

/* Sums slots end down to 0 of @node. */
static __attribute__((noipa)) uintptr_t walk_down(struct head_node *node, int end)
{
	void **slots = node->slot;
	uintptr_t sum = 0;

	for (int s = end; s >= 0; s--)
		sum += (uintptr_t)slots[s];
	return sum;
}

/* Writes each node's metadata, then reads its last slot. */
static __attribute__((noipa)) uintptr_t store_and_read(struct node *nodes, int n)
{
	uintptr_t sum = 0;

	for (int i = 0; i < n; i++) {
		struct maple_metadata *meta = &nodes[i].meta;

		meta->end = 0x0e;
		sum += (uintptr_t)nodes[i].slot[SLOTS - 1];
	}
	return sum;
}

/* Sums the first @end + 1 slots of every node. */
static __attribute__((noipa)) uintptr_t walk_all(struct node *nodes, int n, unsigned char end)
{
	uintptr_t sum = 0;

	for (int i = 0; i < n; i++) {
		void **slots = nodes[i].slot;

		for (unsigned char s = 0; s <= end; s++)
			sum += (uintptr_t)slots[s];
	}
	return sum;
}

int main(int argc, char **argv)
{
	struct node *nodes = calloc(NODES, sizeof(*nodes));
	struct head_node *head = calloc(1, sizeof(*head));
	uintptr_t sum = 0;

	if (argc != 2 || !nodes || !head)
		return 2;
	if (!strcmp(argv[1], "clean")) {
		for (int i = 0; i < NODES; i++)
			sum += walk_up(&nodes[i], SLOTS - 1);
	} else if (!strcmp(argv[1], "last-slot")) {
		set_meta(&nodes[3].meta, 0x0e);
		sum = walk_up(&nodes[3], SLOTS - 2) + walk_up(&nodes[3], SLOTS - 1);
	} else if (!strcmp(argv[1], "first-slot")) {
		set_meta(&head->meta, 0x0e);
		sum = walk_down(head, SLOTS - 1);
	} else if (!strcmp(argv[1], "store-in-loop")) {
		sum = store_and_read(nodes, NODES);
	} else if (!strcmp(argv[1], "outer")) {
		set_meta(&nodes[NODES / 2].meta, 0x0e);
		sum = walk_all(nodes, NODES, SLOTS - 1);
	} else {
		return 2;
	}
	printf("sum %#lx\n", (unsigned long)sum);
	free(head);
	free(nodes);
	return 0;
}

/*
 * check-value-little: 0x000000000000000e on this little-endian machine, 0x0e00000000000000 on big-endian
 * check-value-big: 0x0e00000000000000 on this big-endian machine, 0x000000000000000e on little-endian
 *
 * check-report-start clean
 * check-report-end
 *
 * check-report-start last-slot
mtcheck-rt: error: load of void * (8 bytes) reads bytes last written through a narrower member
mtcheck-rt:   load at loops.c:68:26 in walk_up
mtcheck-rt:   byte 0 of 8 written as 'end' (unsigned char) in struct maple_metadata at loops.c:58:12 in set_meta
mtcheck-rt:   overlay: struct node: 'meta.end' overlays pointer 'slot[15]' (bytes 120-127)
mtcheck-rt:   overlay: struct head_node: 'meta.end' overlays pointer 'slot[0]' (bytes 0-7)
mtcheck-rt:   value: {value}
mtcheck-rt: summary: 1 report
 * check-report-end
 *
 * check-report-start first-slot
mtcheck-rt: error: load of void * (8 bytes) reads bytes last written through a narrower member
mtcheck-rt:   load at loops.c:79:26 in walk_down
mtcheck-rt:   byte 0 of 8 written as 'end' (unsigned char) in struct maple_metadata at loops.c:58:12 in set_meta
mtcheck-rt:   overlay: struct node: 'meta.end' overlays pointer 'slot[15]' (bytes 120-127)
mtcheck-rt:   overlay: struct head_node: 'meta.end' overlays pointer 'slot[0]' (bytes 0-7)
mtcheck-rt:   value: {value}
mtcheck-rt: summary: 1 report
 * check-report-end
 *
 * check-report-start store-in-loop
mtcheck-rt: error: load of 'slot[15]' (void *, 8 bytes) in struct node reads bytes last written through a narrower member
mtcheck-rt:   load at loops.c:92:34 in store_and_read
mtcheck-rt:   byte 0 of 8 written as 'end' (unsigned char) in struct maple_metadata at loops.c:91:13 in store_and_read
mtcheck-rt:   overlay: struct node: 'meta.end' overlays pointer 'slot[15]' (bytes 120-127)
mtcheck-rt:   overlay: struct head_node: 'meta.end' overlays pointer 'slot[0]' (bytes 0-7)
mtcheck-rt:   value: {value}
mtcheck-rt: summary: 1 report
 * check-report-end
 *
 * check-report-start outer
mtcheck-rt: error: load of void * (8 bytes) reads bytes last written through a narrower member
mtcheck-rt:   load at loops.c:106:27 in walk_all
mtcheck-rt:   byte 0 of 8 written as 'end' (unsigned char) in struct maple_metadata at loops.c:58:12 in set_meta
mtcheck-rt:   overlay: struct node: 'meta.end' overlays pointer 'slot[15]' (bytes 120-127)
mtcheck-rt:   overlay: struct head_node: 'meta.end' overlays pointer 'slot[0]' (bytes 0-7)
mtcheck-rt:   value: {value}
mtcheck-rt: summary: 1 report
 * check-report-end
 */
