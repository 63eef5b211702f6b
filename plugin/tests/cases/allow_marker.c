// SPDX-License-Identifier: MIT
/* MTCHECK_ALLOW on a member and on a record silences exactly those overlays. */
#include <stdint.h>

#include "mtcheck.h"

struct handle {
	int kind;
	union {
		void *ptr;
		uint32_t id MTCHECK_ALLOW("ids are only stored by the 32-bit build");
	};
};

union MTCHECK_ALLOW("the bytes are a wire format, read with ntohl") ipv4 {
	uint32_t addr;
	unsigned char bytes[4];
};

struct unmarked {
	int kind;
	union {
		void *ptr;
		uint32_t id;
	};
};

struct handle h;
union ipv4 a;
struct unmarked u;
