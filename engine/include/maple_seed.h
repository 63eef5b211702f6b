/* SPDX-License-Identifier: MIT */
#ifndef MAPLE_SEED_H
#define MAPLE_SEED_H
/*
 * Helpers to replay the 2022 maple tree bug on a live tree.
 *
 * The bug: positioned on the last entry of a range leaf that is not full,
 * the next-entry path read the slot after it.  In a leaf whose data ends at
 * offset MAPLE_RANGE64_SLOTS - 2, that slot is the last one, and its bytes
 * are struct maple_metadata { end, gap }.  Read as a pointer it is
 * 0x000000000000000e on x86-64, 0x0e00000000000000 on 64-bit big-endian
 * and 0x0000001e on i686.
 *
 * Recipe:
 *
 *	DEFINE_MTREE(mt);
 *	MA_STATE(mas, &mt, 0, 0);
 *	unsigned long limit;
 *
 *	mt_seed_build(&mt, &mas, &limit);	// > 14 ranges, mas on the last
 *						// entry of a non-full leaf
 *	mas_lock(&mas);
 *	void *e = mas_next(&mas, limit);	// or mas_find(&mas, limit)
 *	mas_unlock(&mas);
 *	// MAPLE_SEED_BUG=ON:  e == (void *)mt_seed_meta_word(
 *	//                          MAPLE_RANGE64_SLOTS - 2, 0)
 *	// MAPLE_SEED_BUG=OFF: e == NULL and mas.node == MAS_OVERFLOW
 */

#include "maple_tree.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Fill the empty tree @mt with more than MAPLE_RANGE64_SLOTS - 2 ranges so
 * that its first leaf is not full, ends at offset MAPLE_RANGE64_SLOTS - 2
 * on a non-NULL entry, and is followed by a leaf starting with a NULL
 * range.  Position @mas on that last entry and set *@limit to the first
 * index of the NULL range after it: a correct mas_next(@mas, *@limit)
 * returns NULL.  Returns 0, -EINVAL if @mt is not empty, or -ENOMEM.
 */
MT_API int mt_seed_build(struct maple_tree *mt, struct ma_state *mas,
			 unsigned long *limit);

/* Data end of the leaf @mas is on (the caller holds the lock). */
MT_API unsigned char mt_seed_leaf_end(const struct ma_state *mas);

/*
 * The word that slot[MAPLE_RANGE64_SLOTS - 1] of a zeroed range node reads
 * after meta.end = @end and meta.gap = @gap were written: what this
 * machine's byte order makes of the overlay.
 */
MT_API unsigned long mt_seed_meta_word(unsigned char end, unsigned char gap);

/* Whether this library was built with MAPLE_SEED_BUG. */
MT_API bool mt_seed_bug_enabled(void);

#ifdef __cplusplus
}
#endif

#endif /* MAPLE_SEED_H */
