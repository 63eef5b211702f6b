// SPDX-License-Identifier: MIT
/* Every scalar overlaid by a char array, so that each leaf's type spelling is reported. */
#include <stdint.h>

enum color { RED, GREEN };
typedef struct s s_t;
typedef void handler_t(int);

union spellings {
	unsigned char bytes[16];
	void *p;
	const char *cp;
	char **pp;
	char *const cpc;
	const volatile int cvi;
	void (*fn)(int, char *);
	void (*vf)(int, ...);
	handler_t *h;
	int (*pa)[3];
	unsigned long ul;
	long long ll;
	uint32_t u32;
	unsigned __int128 i128;
	enum color c;
	double d;
	s_t *self;
	union spellings *up;
	struct { int a; } *anon;
};
