// SPDX-License-Identifier: MIT
/* A flexible array member after a union: the union is still checked, the array adds nothing. */
#include <stdint.h>

struct msg {
	union {
		uint32_t word;
		uint16_t half[2]; /* expect: MT002 'struct msg' word <- half[0] half[1] confidence=medium */
	};
	unsigned char data[];
};

struct msg *m;
struct msg mm;
