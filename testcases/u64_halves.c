// SPDX-License-Identifier: MIT
/* A 64-bit value and its two 32-bit halves, without byte-order care. */
#include <stdint.h>

union u64_halves {
	uint64_t v;
	struct {
		uint32_t lo; /* expect: MT002 'union u64_halves' v@0 <- s.lo@0 s.hi@4 confidence=medium */
		uint32_t hi;
	} s;
};

union u64_halves halves;
