// SPDX-License-Identifier: MIT
/* A pointer that is sometimes a 32-bit id. */
#include <stdint.h>

struct handle {
	int kind;
	union {
		void *ptr;
		uint32_t id; /* expect: MT001 'struct handle' ptr@8 <- id@8 confidence=low */
	};
};

struct handle h;
