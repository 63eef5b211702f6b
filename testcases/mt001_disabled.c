// SPDX-License-Identifier: MIT
/* The twin of ptr_u32.c with MT001 switched off: silent. */
/* mtcheck-options: --disable=MT001 */
#include <stdint.h>

struct handle {
	int kind;
	union {
		void *ptr;
		uint32_t id;
	};
};

struct handle h;
