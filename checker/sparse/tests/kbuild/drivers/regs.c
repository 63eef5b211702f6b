// SPDX-License-Identifier: MIT
#include <linux/types.h>

/* a device's status register, read as a word or as fields */
union dev_status {
	u32 word;
	struct {
		u32 ready : 1;
		u32 code : 7;
		u32 count : 24;
	} bits;
};

u32 dev_status_count(union dev_status *s);

u32 dev_status_count(union dev_status *s)
{
	return s->bits.ready ? s->bits.count : 0;
}
