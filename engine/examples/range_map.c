// SPDX-License-Identifier: MIT
/*
 * An address-space map on the maple tree: named regions stored as ranges,
 * looked up by address, listed in order, and placed in free space.
 *
 *   cc range_map.c $(pkg-config --cflags --libs maple_tree)
 */
#include <maple_tree.h>

#include <stdio.h>

struct region {
	const char *name;
	unsigned long start, last;
};

static void show(struct maple_tree *mt)
{
	unsigned long index = 0;
	struct region *r;

	mt_for_each(mt, r, index, ULONG_MAX)
		printf("  %#014lx-%#014lx %s\n", r->start, r->last, r->name);
}

static int add(struct maple_tree *mt, struct region *r)
{
	int ret = mtree_insert_range(mt, r->start, r->last, r, GFP_KERNEL);

	if (ret)
		fprintf(stderr, "range_map: %s [%#lx, %#lx]: %s\n", r->name,
			r->start, r->last, ret == -EEXIST ? "overlaps" : "error");
	return ret;
}

int main(void)
{
	struct region text = { "text", 0x400000, 0x40ffff };
	struct region heap = { "heap", 0x600000, 0x6fffff };
	struct region stack = { "stack", 0xbf000000UL, 0xbfffffffUL };
	struct region clash = { "clash", 0x40f000, 0x410fff };
	struct region lib = { "libc", 0, 0 }, *found;
	unsigned long start = 0, addr = 0x6abcde;
	struct maple_tree mt;
	int failed = 0;

	/* Gap tracking lets mtree_alloc_rrange() find room quickly. */
	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	failed |= add(&mt, &text);
	failed |= add(&mt, &heap);
	failed |= add(&mt, &stack);
	/* Overlapping an existing region is refused. */
	if (mtree_insert_range(&mt, clash.start, clash.last, &clash,
			       GFP_KERNEL) != -EEXIST)
		failed = 1;

	found = mtree_load(&mt, addr);
	printf("%#lx is in %s\n", addr, found ? found->name : "nothing");
	failed |= found != &heap;

	/* Highest free 2 MiB below the stack, like an mmap() without a hint. */
	if (mtree_alloc_rrange(&mt, &start, &lib, 0x200000, 0x10000,
			       stack.start - 1, GFP_KERNEL) == 0) {
		lib.start = start;
		lib.last = start + 0x200000 - 1;
	} else {
		failed = 1;
	}
	printf("placed %s at %#lx\n", lib.name, lib.start);
	failed |= lib.last != stack.start - 1;
	show(&mt);

	/* munmap() of the heap. */
	found = mtree_erase(&mt, heap.start + 5);
	failed |= found != &heap || mtree_load(&mt, addr) != NULL;
	printf("after erasing %s:\n", found ? found->name : "nothing");
	show(&mt);

	mtree_destroy(&mt);
	printf("range_map: %s\n", failed ? "FAILED" : "ok");
	return failed;
}
