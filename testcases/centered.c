// SPDX-License-Identifier: MIT
/*
 * A narrow member centred in a wide one lands on the same value bits on
 * both byte orders, so it is no finding; the bytes around it are unnamed
 * padding, which nothing reads.
 */
#include <stdint.h>

union __attribute__((packed)) centred {
	uint32_t v;
	struct __attribute__((packed)) {
		unsigned char : 8;
		uint16_t mid;
	} s;
};

union __attribute__((packed)) centred_wide {
	uint64_t v;
	struct __attribute__((packed)) {
		unsigned short : 16;
		uint32_t mid;
	} s;
};

union centred c1;
union centred_wide c2;
