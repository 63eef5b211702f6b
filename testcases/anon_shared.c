// SPDX-License-Identifier: MIT
/*
 * Two unions whose anonymous structs have the same shape.  BTF
 * deduplication (pahole) makes them one type, yet they are declared in two
 * places: only the first sits under a byte-order conditional, so only its
 * overlay is adapted.  Each place keeps its own positions and confidence.
 */
#include <stdint.h>

union conditional32 {
	uint64_t v;
	struct {
#ifndef __BIG_ENDIAN_BITFIELD
		uint32_t lo; /* expect: MT002 'union conditional32' v <- s.lo s.hi confidence=low evidence=byte-order confidence-without-source=medium evidence-without-source=view */
		uint32_t hi;
#endif
	} s;
};

union plain32 {
	uint64_t v;
	struct {
		uint32_t lo; /* expect: MT002 'union plain32' v <- s.lo s.hi confidence=medium evidence=view */
		uint32_t hi;
	} s;
};

union conditional32 anon_a;
union plain32 anon_b;
