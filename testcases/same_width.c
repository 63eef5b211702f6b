// SPDX-License-Identifier: MIT
/* Same-width overlays read the same value on every byte order: silent. */
#include <stdint.h>

union ptr_long {
	void *p;
	unsigned long l;
};

union dbl_u64 {
	double d;
	uint64_t u;
};

struct pt { int x, y; };
struct pt2 { int a, b; };

union same_layout {
	struct pt p;
	struct pt2 q;
};

union same_arrays {
	int32_t a[4];
	uint32_t b[4];
};

union ptr_long pl;
union dbl_u64 du;
union same_layout sl;
union same_arrays sa;
