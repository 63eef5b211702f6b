// SPDX-License-Identifier: MIT
/*
 * A byte-order conditional inside a named record that a union holds, as
 * the kernel's icmp6hdr holds struct icmpv6_nd_advt: the finding points at
 * the member of the union ('h'), yet the narrow members' own declarations
 * are adapted, so the overlay has low confidence where the source is read.
 */
#include <stdint.h>

union reg32 {
	uint32_t word;
	struct reg32_halves {
#ifdef __BIG_ENDIAN_BITFIELD
		uint16_t hi;
		uint16_t lo;
#else
		uint16_t lo;
		uint16_t hi;
#endif
	} h; /* expect: MT002 'union reg32' word <- h.lo h.hi confidence=low evidence=byte-order confidence-without-source=medium evidence-without-source=view */
};

union reg32 named_a;
