// SPDX-License-Identifier: MIT
/* Overlays in system headers are GCC's business only with -Wsystem-headers. */
#include <overlay.h>

union user_halves {
	uint32_t v;
	uint16_t h[2];
};
