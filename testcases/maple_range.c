// SPDX-License-Identifier: MIT
/* The Linux maple tree's range node (v6.x): node metadata in the last slot. */
struct maple_pnode;

struct maple_metadata {
	unsigned char end;
	unsigned char gap;
};

#define MAPLE_RANGE64_SLOTS 16
struct maple_range_64 {
	struct maple_pnode *parent;
	unsigned long pivot[MAPLE_RANGE64_SLOTS - 1];
	union {
		void *slot[MAPLE_RANGE64_SLOTS];
		struct {
			void *pad[MAPLE_RANGE64_SLOTS - 1];
			struct maple_metadata meta; /* expect: MT001 'struct maple_range_64' slot[15]@248 <- meta.end@248 meta.gap@249 confidence=high evidence=mirrored-types */
		};
	};
};

struct maple_range_64 mt_node;
