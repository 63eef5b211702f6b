// SPDX-License-Identifier: MIT
/*
 * The node layout behind the 2022 maple tree crash on s390x and sparc64:
 * while a range node is not full, its metadata (end, gap) is kept in the
 * bytes of the last slot pointer.
 */
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
			struct maple_metadata meta;
		};
	};
};

/* A node read as an entry past its data end: 0xe here, 0x0e00000000000000 on s390x. */
void *mas_slot_past_end(struct maple_range_64 *node, unsigned char end)
{
	return node->slot[end + 1];
}
