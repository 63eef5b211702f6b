// SPDX-License-Identifier: MIT
/* unsigned long is 8 bytes on LP64 and 4 on ILP32: an overlay on some targets only. */
#include <stdint.h>

union lp {
	unsigned long v;
	uint32_t half;
};

union lp x;
