// SPDX-License-Identifier: MIT
/* The twin of bitfield_word.c with MT003 switched off by configuration: silent. */
/* mtcheck-options: --config=configs/mt003-off.yaml */
#include <stdint.h>

union reg {
	uint32_t word;
	struct {
		uint32_t type : 4;
		uint32_t len : 12;
		uint32_t id : 16;
	} f;
};

union reg r;
