// SPDX-License-Identifier: MIT
/*
 * A maple-tree-like node known only by its typedef: the metadata in the last
 * slot is reported against 'node_t'.
 */
typedef struct {
	unsigned long pivot[7];
	union {
		void *slot[8];
		struct {
			void *pad[7];
			struct {
				unsigned char end, gap; /* expect: MT001 'node_t' slot[7]@112 <- meta.end@112 meta.gap@113 confidence=high evidence=mirrored-types */
			} meta;
		};
	};
} node_t;

node_t node;
