// SPDX-License-Identifier: MIT
/* The twin of u64_halves.c with MT002 switched off: silent. */
/* mtcheck-options: --disable=MT002 */
#include <stdint.h>

union u64_halves {
	uint64_t v;
	struct {
		uint32_t lo;
		uint32_t hi;
	} s;
};

union u64_halves halves;
