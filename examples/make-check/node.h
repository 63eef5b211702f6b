/* SPDX-License-Identifier: MIT */
/*
 * A node of a small ordered table.  While the node is not full, its fill
 * count and a flag are kept in the bytes of the last slot pointer, as the
 * Linux maple tree keeps its metadata.  Which byte of the pointer the count
 * lands in depends on byte order, so code that reads the last slot of a
 * node that is not full sees a different value on big-endian machines.
 * Build with -DNODE_SEPARATE_META for the layout that keeps them apart.
 */
#ifndef NODE_H
#define NODE_H

#define NODE_SLOTS 8

struct node_meta {
	unsigned char count;
	unsigned char flags;
};

struct node {
	unsigned long keys[NODE_SLOTS];
#ifdef NODE_SEPARATE_META
	void *slot[NODE_SLOTS];
	struct node_meta meta;
#else
	union {
		void *slot[NODE_SLOTS];
		struct {
			void *used[NODE_SLOTS - 1];
			struct node_meta meta;
		};
	};
#endif
};

void node_init(struct node *n);
int node_insert(struct node *n, unsigned long key, void *value);
void *node_find(const struct node *n, unsigned long key);

#endif
