// SPDX-License-Identifier: MIT
/* Bitfields over a register word, and two differently laid bitfield views. */
#include <stdint.h>

union reg {
	uint32_t word;
	struct {
		uint32_t type : 4; /* expect: MT003 'union reg' word <- f.type f.len f.id confidence=medium */
		uint32_t len : 12;
		uint32_t id : 16;
	} f;
};

union two_views {
	struct {
		unsigned a : 4; /* expect: MT003 'union two_views' y.d <- x.a x.b confidence=medium */
		unsigned b : 4;
	} x;
	struct {
		unsigned c : 2; /* expect: MT003 'union two_views' x.a <- y.c confidence=medium */
		unsigned d : 6;
	} y;
};

union reg r;
union two_views tv;
