/* SPDX-License-Identifier: MIT */
/* An overlay in a header reached through -isystem. */
#include <stdint.h>

union sys_halves {
	uint32_t v;
	uint16_t h[2];
};
