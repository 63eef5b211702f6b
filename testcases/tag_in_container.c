// SPDX-License-Identifier: MIT
/*
 * A named union is judged with the records that hold it.  The enum beside
 * union body in struct packet says which member holds the value, so its
 * overlay is an alternative, not a hazard.  The GCC plugin meets union
 * body before struct packet exists; it decides once the unit is parsed,
 * as the front ends that read a whole program do.  union view has no tag
 * beside it and stays a view of one value.
 */
#include <stdint.h>

union body {
	uint64_t word;
	uint32_t half[2]; /* expect: MT002 'union body' word <- half[0] half[1] confidence=low evidence=tag-enum */
};

union view {
	uint64_t whole;
	uint32_t part[2]; /* expect: MT002 'union view' whole <- part[0] part[1] confidence=medium */
};

enum body_kind { BODY_WORD, BODY_HALVES };

struct packet {
	enum body_kind kind;
	union body b;
};

struct holder {
	uint32_t len;
	union view v;
};

struct packet p;
struct holder h;
