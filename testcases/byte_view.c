// SPDX-License-Identifier: MIT
/* The byte-access idiom: a note, not a warning. */
#include <stdint.h>

union ipv4 {
	uint32_t addr;
	unsigned char bytes[4]; /* expect: MT004 'union ipv4' addr <- bytes[0] bytes[1] bytes[2] bytes[3] confidence=low */
};

union ipv4 a;
