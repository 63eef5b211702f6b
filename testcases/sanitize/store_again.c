// SPDX-License-Identifier: MIT
/*
 * The narrow store's inline fast path: a store whose bytes already carry
 * its own site skips the run-time call, a store from another site must
 * not.  Either way the report names the store that wrote the bytes last.
 *
 *   store_again SCENARIO
 *
 * SCENARIO: same-site (the metadata written three times by one statement,
 * then the slot read), other-site (written twice by one statement, then
 * once by another, then the slot read).  run-sanitize holds each report
 * to its exact text (check-report-start SCENARIO).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct maple_metadata {
	unsigned char end;
	unsigned char gap;
};

struct node {
	union {
		void *slot[2];
		struct {
			void *pad;
			struct maple_metadata meta;
		};
	};
};

/* An index the compiler cannot see through. */
static volatile int last = 1;

static void set_end(struct node *node, unsigned char end)
{
	node->meta.end = end;
}

static void set_end_again(struct node *node, unsigned char end)
{
	node->meta.end = end;
}

int main(int argc, char **argv)
{
	struct node *node = calloc(1, sizeof(*node));

	if (argc != 2 || !node)
		return 2;
	if (!strcmp(argv[1], "same-site")) {
		for (int i = 0; i < 3; i++)
			set_end(node, 0x0e);
	} else if (!strcmp(argv[1], "other-site")) {
		set_end(node, 0x0e);
		set_end(node, 0x0e);
		set_end_again(node, 0x0e);
	} else {
		return 2;
	}
	printf("slot %#lx\n", (unsigned long)node->slot[last]);
	free(node);
	return 0;
}

/*
 * check-value-little: 0x000000000000000e on this little-endian machine, 0x0e00000000000000 on big-endian
 * check-value-big: 0x0e00000000000000 on this big-endian machine, 0x000000000000000e on little-endian
 *
 * check-report-start same-site
mtcheck-rt: error: load of 'slot' (void *, 8 bytes) in struct node reads bytes last written through a narrower member
mtcheck-rt:   load at store_again.c:62:49 in main
mtcheck-rt:   byte 0 of 8 written as 'end' (unsigned char) in struct maple_metadata at store_again.c:38:17 in set_end
mtcheck-rt:   overlay: struct node: 'meta.end' overlays pointer 'slot[1]' (bytes 8-15)
mtcheck-rt:   value: {value}
mtcheck-rt: summary: 1 report
 * check-report-end
 *
 * check-report-start other-site
mtcheck-rt: error: load of 'slot' (void *, 8 bytes) in struct node reads bytes last written through a narrower member
mtcheck-rt:   load at store_again.c:62:49 in main
mtcheck-rt:   byte 0 of 8 written as 'end' (unsigned char) in struct maple_metadata at store_again.c:43:17 in set_end_again
mtcheck-rt:   overlay: struct node: 'meta.end' overlays pointer 'slot[1]' (bytes 8-15)
mtcheck-rt:   value: {value}
mtcheck-rt: summary: 1 report
 * check-report-end
 */
