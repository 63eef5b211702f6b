// SPDX-License-Identifier: MIT
/*
 * One union named in many declarations, and the same definition made by a
 * macro in several functions: one warning each, not one per mention.
 */
#include <stdint.h>

union u64_halves {
	uint64_t v;
	struct {
		uint32_t lo, hi;
	} s;
};

union u64_halves a, b, c;
union u64_halves *p;
union u64_halves get(union u64_halves x, union u64_halves *y);
struct holder {
	union u64_halves one, two[4];
};

#define SCRATCH() union scratch { uint32_t w; uint16_t h[2]; } scratch = { 0 }

uint32_t f1(void);
uint32_t f2(void);
uint32_t f1(void) { SCRATCH(); return scratch.w; }
uint32_t f2(void) { SCRATCH(); return scratch.w; }
