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

/*
 * The report of narrow-wide, for run-sanitize; {value} is the value line,
 * which depends on the byte order of the machine that runs it.
 *
 * check-value-little: 0x000000000000050e on this little-endian machine, 0x0e05000000000000 on big-endian
 * check-value-big: 0x0e05000000000000 on this big-endian machine, 0x000000000000050e on little-endian
 *
 * check-report-start member
mtcheck-rt: error: load of 'slot' (void *, 8 bytes) in struct node reads bytes last written through a narrower member
mtcheck-rt:   load at pointer.c:71:19 in get_slot
mtcheck-rt:   byte 0 of 8 written as 'end' (unsigned char) in struct maple_metadata at pointer.c:59:18 in set_meta
mtcheck-rt:   byte 1 of 8 written as 'gap' (unsigned char) in struct maple_metadata at pointer.c:60:18 in set_meta
mtcheck-rt:   overlay: struct node: 'meta.end' overlays pointer 'slot[3]' (bytes 56-63)
mtcheck-rt:   overlay: struct node: 'meta.gap' overlays pointer 'slot[3]' (bytes 56-63)
mtcheck-rt:   value: {value}
mtcheck-rt: summary: 1 report
 * check-report-end
 *
 * check-report-start pointer
mtcheck-rt: error: load of void * (8 bytes) reads bytes last written through a narrower member
mtcheck-rt:   load at pointer.c:69:15 in get_slot
mtcheck-rt:   byte 0 of 8 written as 'end' (unsigned char) in struct maple_metadata at pointer.c:56:13 in set_meta
mtcheck-rt:   byte 1 of 8 written as 'gap' (unsigned char) in struct maple_metadata at pointer.c:57:13 in set_meta
mtcheck-rt:   overlay: struct node: 'meta.end' overlays pointer 'slot[3]' (bytes 56-63)
mtcheck-rt:   overlay: struct node: 'meta.gap' overlays pointer 'slot[3]' (bytes 56-63)
mtcheck-rt:   value: {value}
mtcheck-rt: summary: 1 report
 * check-report-end
 */
