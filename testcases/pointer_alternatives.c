// SPDX-License-Identifier: MIT
/*
 * Pointers to different types hold different kinds of object, so each is
 * a shape of its own: a union of an int and pointers to three types (like
 * the SysV semun, where the command picks the member) has four shapes and
 * is an alternative (low).  Qualifiers do not make a new shape: an int
 * beside a char * and a const char * is two shapes, a view (medium).
 */
#include <stdint.h>

struct ds;
struct info;

union sem_arg {
	uint32_t val; /* expect: MT001 'union sem_arg' buf <- val confidence=low evidence=alternatives */ /* expect: MT001 'union sem_arg' array <- val confidence=low evidence=alternatives */ /* expect: MT001 'union sem_arg' info <- val confidence=low evidence=alternatives */
	struct ds *buf;
	unsigned short *array;
	struct info *info;
};

union text {
	uint32_t offset; /* expect: MT001 'union text' str <- offset confidence=medium evidence=view */ /* expect: MT001 'union text' cstr <- offset confidence=medium evidence=view */
	char *str;
	const char *cstr;
};

union sem_arg sa;
union text tx;
