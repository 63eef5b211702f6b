// SPDX-License-Identifier: MIT
#include <linux/types.h>

/* views of one word of the same width: no byte order shows through */
union cred_id {
	u32 uid;
	__le32 wire;
	int sid;
};

u32 cred_uid(const union cred_id *c);

u32 cred_uid(const union cred_id *c)
{
	return c->uid;
}
