// SPDX-License-Identifier: MIT
/* Two arrays of a million elements: one finding for 250000 alike elements, found by arithmetic. */
#include <stdint.h>

union big {
	uint64_t q[1000000];
	uint16_t h[1000000]; /* expect: MT002 'union big' q[0]@0 <- h[0]@0 h[1]@2 h[2]@4 h[3]@6 instances=250000 confidence=medium */
};

union big *bp;
union big bb;
