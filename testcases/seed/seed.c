// SPDX-License-Identifier: MIT
/*
 * The 2022 maple tree bug as a program, in the spirit of the original
 * report: a tree of more than MAPLE_RANGE64_SLOTS - 2 ranges (an address
 * space's mappings), a maple state on the last entry of a leaf that is not
 * full, and one call to the next-entry function.
 *
 * In a leaf that is not full the last slot pointer holds the metadata
 * (struct maple_metadata { end, gap }).  When the leaf's data ends at
 * offset MAPLE_RANGE64_SLOTS - 2, the slot after the last entry is that
 * last slot.  The bug (MAPLE_SEED_BUG in the engine) left out the check
 * that the offset is past the data end, so mas_next() returned the
 * metadata's bytes as an entry: 0xe on x86-64, an XArray internal entry
 * that callers skip, and 0x0e00000000000000 on s390x and sparc64, a
 * plausible pointer that mmap_region() dereferenced.  The fixed engine
 * returns NULL there.
 *
 * The program only reports; testcases/seed/run-seed compares the entry
 * with what mtcheck predicts for the target.  Exit status 0, or 2 if the
 * tree could not be shaped.
 */
#include <stdint.h>
#include <stdio.h>

#include "maple_seed.h"

int main(void)
{
	DEFINE_MTREE(mt);
	MA_STATE(mas, &mt, 0, 0);
	unsigned long limit = 0, ranges = 0, index = 0, first, last;
	const int digits = (int)(2 * sizeof(void *));
	unsigned char end, offset;
	void *entry;
	int ret;

	printf("target: %s-endian, %d-bit pointers, engine built with%s "
	       "MAPLE_SEED_BUG\n",
	       __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ ? "big" : "little",
	       (int)(8 * sizeof(void *)), mt_seed_bug_enabled() ? "" : "out");

	/* Ranges of 64 indices; the first leaf is shaped to end at 14 (30). */
	ret = mt_seed_build(&mt, &mas, &limit);
	if (ret) {
		fprintf(stderr, "seed: mt_seed_build: error %d\n", ret);
		return 2;
	}
	mt_for_each(&mt, entry, index, ULONG_MAX)
		ranges++;

	mas_lock(&mas);
	end = mt_seed_leaf_end(&mas);
	offset = mas.offset;
	first = mas.index;
	last = mas.last;
	printf("tree: %lu ranges, height %u; the first leaf covers [%#lx, %#lx] "
	       "and its data ends at offset %u of %d slots (not full)\n",
	       ranges, mt_height(&mt), mas.min, mas.max, end,
	       MAPLE_RANGE64_SLOTS);
	printf("mas: on the last entry of that leaf, offset %u, range "
	       "[%#lx, %#lx]; index %#lx is a hole\n", offset, first, last, limit);

	entry = mas_next(&mas, limit);
	mas_unlock(&mas);

	printf("mas_next(&mas, %#lx) = 0x%0*lx%s\n", limit, digits,
	       (unsigned long)(uintptr_t)entry,
	       !entry ? " (NULL: nothing up to the limit)" :
	       xa_is_internal(entry) ? " (an internal entry: callers skip it)" :
	       " (looks like a pointer: dereferencing it oopsed the kernel)");
	mtree_destroy(&mt);
	return 0;
}
