// SPDX-License-Identifier: MIT
/* A record with a variably modified member has no static layout: skipped, no error. */
#include <stdint.h>

uint32_t f(int n);
uint32_t f(int n)
{
	union vm {
		uint32_t w;
		uint16_t h[n];
	} x;

	x.w = 0;
	return x.w;
}
