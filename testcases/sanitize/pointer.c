// SPDX-License-Identifier: MIT
/*
 * The union sanitizer on a pointer overlay, the maple tree's shape: two
 * bytes of metadata in the last of a node's slot pointers.
 *
 *   pointer SCENARIO SHAPE
 *
 * SCENARIO: narrow-wide (metadata written, then the slot read: one
 * report), same-view, memset, copy, wide-write (no report).  SHAPE: member
 * (node->meta.end, node->slot[i]) or pointer (the kernel's
 * `struct maple_metadata *meta = ma_meta(node)` and `void **slots`).
 * Prints what it read, so that a plain and an instrumented build can be
 * compared.  run-sanitize holds the reports to their exact text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NR_SLOTS 4

struct maple_metadata {
	unsigned char end;
	unsigned char gap;
};

struct node {
	struct node *parent;
	unsigned long pivot[NR_SLOTS - 1];
	union {
		void *slot[NR_SLOTS];
		struct {
			void *pad[NR_SLOTS - 1];
			struct maple_metadata meta;
		};
	};
};

static struct maple_metadata *ma_meta(struct node *node)
{
	return &node->meta;
}

static void **ma_slots(struct node *node)
{
	return node->slot;
}

/* An index the compiler cannot see through. */
static volatile int last = NR_SLOTS - 1;

static void set_meta(struct node *node, int pointer)
{
	if (pointer) {
		struct maple_metadata *meta = ma_meta(node);

		meta->end = 0x0e;
		meta->gap = 0x05;
	} else {
		node->meta.end = 0x0e;
		node->meta.gap = 0x05;
	}
}

static void *get_slot(struct node *node, int pointer)
{
	if (pointer) {
		void **slots = ma_slots(node);

		return slots[last];
	}
	return node->slot[last];
}

static void set_slot(struct node *node, int pointer, void *entry)
{
	if (pointer) {
		void **slots = ma_slots(node);

		slots[last] = entry;
	} else {
		node->slot[last] = entry;
	}
}

int main(int argc, char **argv)
{
	static struct node clean;
	struct node *node = calloc(1, sizeof(*node));
	int pointer;

	if (argc != 3 || !node)
		return 2;
	pointer = !strcmp(argv[2], "pointer");
	set_meta(node, pointer);
	if (!strcmp(argv[1], "narrow-wide")) {
		printf("slot %#lx\n", (unsigned long)get_slot(node, pointer));
	} else if (!strcmp(argv[1], "same-view")) {
		struct maple_metadata *meta = ma_meta(node);

		printf("end %d gap %d\n", pointer ? meta->end : node->meta.end,
		       pointer ? meta->gap : node->meta.gap);
	} else if (!strcmp(argv[1], "memset")) {
		memset(node, 0, sizeof(*node));
		printf("slot %#lx\n", (unsigned long)get_slot(node, pointer));
	} else if (!strcmp(argv[1], "copy")) {
		*node = clean;
		printf("slot %#lx\n", (unsigned long)get_slot(node, pointer));
	} else if (!strcmp(argv[1], "wide-write")) {
		set_slot(node, pointer, &clean);
		printf("slot %s\n", get_slot(node, pointer) == &clean ? "&clean" : "?");
	} else {
		return 2;
	}
	free(node);
	return 0;
}
