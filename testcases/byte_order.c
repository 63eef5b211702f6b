// SPDX-License-Identifier: MIT
/*
 * A declaration under a byte-order conditional, as the kernel writes
 * network headers: the source adapts it, so the overlay has low confidence
 * where mtcheck can read the source (not from raw BTF, which has no
 * positions).  __BIG_ENDIAN_BITFIELD is the kernel's macro and undefined
 * here, so both byte orders compile the #else branch.
 */
#include <stdint.h>

union reg16 {
	uint32_t word;
	struct {
#ifdef __BIG_ENDIAN_BITFIELD
		uint16_t hi;
		uint16_t lo;
#else
		uint16_t lo; /* expect: MT002 'union reg16' word <- h.lo h.hi confidence=low evidence=byte-order confidence-without-source=medium evidence-without-source=view */
		uint16_t hi;
#endif
	} h;
};

/* the same layout without the conditional: a view of one value */
union plain16 {
	uint32_t word;
	struct {
		uint16_t low; /* expect: MT002 'union plain16' word <- h.low h.high confidence=medium evidence=view */
		uint16_t high;
	} h;
};

union reg16 a;
union plain16 b;
