// SPDX-License-Identifier: MIT
/*
 * mtcheck's findings on the engine's node types, confirmed on the machine
 * the engine runs on.
 *
 * The build ran mtcheck on layout_types.c compiled for this target and
 * wrote maple_layout_asserts.h: static assertions on every offset and size
 * it reported (a layout that differs stops the compile, naming the record
 * and member) and one self-test per finding, which writes marker bytes
 * through the narrow members and compares what the wide member reads with
 * mtcheck's prediction for this byte order.  maple_layout_expect.h says
 * which self-test is the maple overlay ('meta' over the last slot of struct
 * maple_range_64) and what it predicts; the build checked that it exists.
 */
#include <stdint.h>
#include <stdio.h>

#include "maple_seed.h"
#include "maple_layout_asserts.h"
#include "maple_layout_expect.h"

_Static_assert(MAPLE_LAYOUT_META_SLOT == MAPLE_RANGE64_SLOTS - 1,
	       "maple_layout_expect.h names another slot than the last one of this "
	       "target: the header was generated for another target");

#if !MAPLE_LAYOUT_META_ACTIVE
#error "maple_layout_asserts.h was generated for another pointer width"
#endif

#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define WANT	MAPLE_LAYOUT_META_WANT_BIG
#define MASK	MAPLE_LAYOUT_META_MASK_BIG
#define ORDER	"big"
#else
#define WANT	MAPLE_LAYOUT_META_WANT_LITTLE
#define MASK	MAPLE_LAYOUT_META_MASK_LITTLE
#define ORDER	"little"
#endif

int main(void)
{
	/* The library's own code, through the union, on a zeroed node. */
	uint64_t word = mt_seed_meta_word(0xAA, 0xBB);
	int failed = 0;

	/* The untouched bytes are zero here, so the whole word must match. */
	if ((word & MASK) != WANT || word != WANT) {
		fprintf(stderr, "maple_test_layout: mt_seed_meta_word(0xAA, 0xBB) = %#llx, "
			"mtcheck predicts %#llx (mask %#llx) for slot[%d] on %s-endian\n",
			(unsigned long long)word, (unsigned long long)WANT,
			(unsigned long long)MASK, MAPLE_LAYOUT_META_SLOT, ORDER);
		failed++;
	}
	/* Every finding, the maple overlay (MAPLE_LAYOUT_META_INDEX) among them. */
	failed += mtcheck_selftest_all();
	printf("maple_test_layout: %s-endian, %d-bit: slot[%d] reads %#llx after "
	       "meta.end = 0xAA, meta.gap = 0xBB (mtcheck: %#llx); "
	       "%d self-tests, %d failed\n",
	       ORDER, (int)(8 * sizeof(void *)), MAPLE_LAYOUT_META_SLOT,
	       (unsigned long long)word, (unsigned long long)WANT,
	       MAPLE_LAYOUT_SELFTESTS, failed);
	return failed != 0;
}
