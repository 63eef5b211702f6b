// SPDX-License-Identifier: MIT
/* A 128-bit integer and its 64-bit halves. */
#include <stdint.h>

union wide128 {
	unsigned __int128 v;
	uint64_t half[2]; /* expect: MT002 'union wide128' v@0 <- half[0]@0 half[1]@8 confidence=medium */
};

union wide128 w128;
