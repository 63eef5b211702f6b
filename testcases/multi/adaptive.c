// SPDX-License-Identifier: MIT
/* Laid out for a little- and a big-endian target, these unions show which
 * overlays the source already adapts to byte order. */
#include <stdint.h>

/* Adapts: lo is the low half of v on every target. */
union adaptive {
	uint64_t v;
	struct {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		uint32_t lo, hi;
#else
		uint32_t hi, lo;
#endif
	} s;
};

/* Does not adapt: lo is the low half on little-endian, the high half on big-endian. */
union fixed {
	uint64_t v;
	struct {
		uint32_t lo, hi;
	} s;
};

/* Bitfields declared in reverse for big-endian, as network headers do. */
union adaptive_bits {
	uint8_t byte;
	struct {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		uint8_t ihl : 4, version : 4;
#else
		uint8_t version : 4, ihl : 4;
#endif
	} f;
};

/* The same bitfields without the #if. */
union fixed_bits {
	uint8_t byte;
	struct {
		uint8_t ihl : 4, version : 4;
	} f;
};

union adaptive a;
union fixed b;
union adaptive_bits c;
union fixed_bits d;
