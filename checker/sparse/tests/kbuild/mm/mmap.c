// SPDX-License-Identifier: MIT
#include <linux/maple_tree.h>

int mmap_region_last(struct maple_range_64 *mr);

/* the 2022 bug read one slot past ma_meta_end() */
int mmap_region_last(struct maple_range_64 *mr)
{
	unsigned char end = ma_meta_end(mr);

	return end < MAPLE_RANGE64_SLOTS - 1 && mr->pivot[end] != 0;
}
