// SPDX-License-Identifier: MIT
#include <linux/maple_tree.h>

unsigned char ma_meta_end(struct maple_range_64 *mr)
{
	return READ_ONCE(mr->meta.end);
}
