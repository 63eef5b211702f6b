// SPDX-License-Identifier: MIT
/* The maple node with its overlay allowed in the configuration, and MT004 raised to an error. */
/* mtcheck-options: --config=configs/allow-maple.yaml */
#include <stdint.h>

struct maple_metadata {
	unsigned char end;
	unsigned char gap;
};

struct maple_range_64 {
	void *parent;
	unsigned long pivot[15];
	union {
		void *slot[16];
		struct {
			void *pad[15];
			struct maple_metadata meta;
		};
	};
};

union ipv4 {
	uint32_t addr;
	unsigned char bytes[4]; /* expect: MT004 'union ipv4' addr <- bytes[0] bytes[1] bytes[2] bytes[3] severity=error confidence=low */
};

struct maple_range_64 node;
union ipv4 a;
