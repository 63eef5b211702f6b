// SPDX-License-Identifier: MIT
/* The maple range node sized as the kernel sizes it: 16 slots on 64-bit, 32 on 32-bit. */
struct maple_pnode;

struct maple_metadata {
	unsigned char end;
	unsigned char gap;
};

#if __SIZEOF_LONG__ == 8
#define MAPLE_RANGE64_SLOTS 16
#else
#define MAPLE_RANGE64_SLOTS 32
#endif

struct maple_range_64 {
	struct maple_pnode *parent;
	unsigned long pivot[MAPLE_RANGE64_SLOTS - 1];
	union {
		void *slot[MAPLE_RANGE64_SLOTS];
		struct {
			void *pad[MAPLE_RANGE64_SLOTS - 1];
			struct maple_metadata meta;
		};
	};
};

struct maple_range_64 node;
