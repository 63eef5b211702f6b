// SPDX-License-Identifier: MIT
/*
 * scalar_storage_order fixes a union's byte order, so its overlay reads the
 * same on every target; the attribute does not reach a union nested in a
 * record that has it, so that one is still reported.
 */
#include <stdint.h>

union __attribute__((scalar_storage_order("big-endian"))) wire_be {
	uint32_t word;
	uint16_t half[2];
};

union __attribute__((scalar_storage_order("little-endian"))) wire_le {
	uint64_t word;
	uint8_t bytes[8];
};

struct __attribute__((scalar_storage_order("big-endian"))) outer {
	union {
		uint32_t word;
		uint16_t half[2];
	} inner;
};

union native {
	uint32_t word;
	uint16_t half[2];
};
