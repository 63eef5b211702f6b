// SPDX-License-Identifier: MIT
/* Anonymous unions inside anonymous structs inside a union. */
#include <stdint.h>

struct packet {
	uint32_t len;
	union {
		struct {
			union {
				uint64_t cookie;
				struct {
					uint16_t port; /* expect: MT002 'struct packet' cookie@8 <- port@8 proto@10 confidence=medium */ /* expect: MT002 'struct packet' token@8 <- port@8 proto@10 confidence=medium */
					uint16_t proto;
				};
			};
			uint32_t seq;
		};
		unsigned long long token;
	};
};

struct packet p;
