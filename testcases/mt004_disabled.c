// SPDX-License-Identifier: MIT
/* The twin of byte_view.c with MT004 switched off: silent. */
/* mtcheck-options: --disable=MT004 */
#include <stdint.h>

union ipv4 {
	uint32_t addr;
	unsigned char bytes[4];
};

union ipv4 a;
