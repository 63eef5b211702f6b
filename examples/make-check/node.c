// SPDX-License-Identifier: MIT
#include <string.h>

#include "node.h"

void node_init(struct node *n)
{
	memset(n, 0, sizeof(*n));
}

int node_insert(struct node *n, unsigned long key, void *value)
{
	unsigned char i = n->meta.count;

	if (i >= NODE_SLOTS - 1)
		return -1;
	n->keys[i] = key;
	n->slot[i] = value;
	n->meta.count = i + 1;
	return 0;
}

void *node_find(const struct node *n, unsigned long key)
{
	for (unsigned char i = 0; i < n->meta.count; i++)
		if (n->keys[i] == key)
			return n->slot[i];
	return NULL;
}
