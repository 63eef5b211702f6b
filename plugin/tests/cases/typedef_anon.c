// SPDX-License-Identifier: MIT
/* Anonymous records are named by their first typedef; a tag wins over a typedef. */
#include <stdint.h>

typedef struct {
	union {
		uint64_t v;
		uint32_t w[2];
	};
} pair_t, other_name_t;

typedef union tagged {
	uint32_t v;
	uint8_t b[4];
} tagged_t;

typedef pair_t again_t;
