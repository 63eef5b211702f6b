// SPDX-License-Identifier: MIT
#include <stdio.h>

#include "node.h"

int main(void)
{
	static struct node n;
	static int values[3];

	node_init(&n);
	for (unsigned long k = 0; k < 3; k++)
		node_insert(&n, k * 10, &values[k]);
	printf("%s\n", node_find(&n, 20) == &values[2] ? "ok" : "wrong");
	return node_find(&n, 20) != &values[2];
}
