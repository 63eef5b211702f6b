// SPDX-License-Identifier: MIT
/* A named union member inside an array of structs is reported once, for element 0. */
struct table {
	int n;
	struct {
		union {
			double d;
			float f[2]; /* expect: MT002 'struct table' e[0].v.d@8 <- e[0].v.f[0]@8 e[0].v.f[1]@12 confidence=low */
		} v;
		int tag;
	} e[8];
};

struct table t;
