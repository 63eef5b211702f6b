// SPDX-License-Identifier: MIT
/* Enums and _Bool take part like any scalar. */
#include <stdint.h>

enum color { RED, GREEN, BLUE };

union status {
	enum color c;
	_Bool flags[4]; /* expect: MT002 'union status' c <- flags[0] flags[1] flags[2] flags[3] confidence=medium */
};

union colors {
	uint64_t all;
	enum color each[2]; /* expect: MT002 'union colors' all <- each[0] each[1] confidence=medium */
};

union status st;
union colors co;
