// SPDX-License-Identifier: MIT
/* A union known only by its typedef: findings are named after the typedef. */
#include <stdint.h>

typedef union {
	uint32_t v;
	uint16_t h[2]; /* expect: MT002 'u32_halves' v@0 <- h[0]@0 h[1]@2 confidence=medium */
} u32_halves;

u32_halves halves;
