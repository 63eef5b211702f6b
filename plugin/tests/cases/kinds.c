// SPDX-License-Identifier: MIT
/* Scalar kinds beyond int: vectors, complex numbers, enums, _Bool, __int128, function pointers. */
#include <stdint.h>

typedef int v4si __attribute__((vector_size(16)));

union vec {
	v4si v;
	long long q[2];
};

union cplx {
	_Complex float c;
	double d;
};

enum __attribute__((packed)) small { S0, S1 };

union flags {
	uint16_t all;
	enum small e[2];
};

union truth {
	uint32_t word;
	_Bool b[4];
};

union wide {
	unsigned __int128 v;
	uint32_t w[4];
};

union callback {
	void (*fn)(void);
	uint16_t cookie;
};

struct __attribute__((aligned(32))) padded {
	char tag;
	union {
		uint64_t raw;
		uint32_t half[2];
	} __attribute__((aligned(16)));
};
