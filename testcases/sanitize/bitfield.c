// SPDX-License-Identifier: MIT
/*
 * The union sanitizer on a bitfield overlay: a register word and the
 * bitfields that describe it.  A bitfield store is recorded by the bytes
 * its bits touch.
 *
 *   bitfield SCENARIO SHAPE
 *
 * As pointer.c: SCENARIO narrow-wide (one report), same-view, memset,
 * copy, wide-write (none); SHAPE member (reg->f.type, reg->word) or
 * pointer (struct fields *f = &reg->f; f->type, and a uint32_t * to the
 * word).
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fields {
	uint32_t type : 4;
	uint32_t len : 12;
	uint32_t id : 16;
};

union reg {
	uint32_t word;
	struct fields f;
};

static void set_fields(union reg *reg, int pointer)
{
	if (pointer) {
		struct fields *f = &reg->f;

		f->type = 0x3;
		f->len = 0x0ab;
	} else {
		reg->f.type = 0x3;
		reg->f.len = 0x0ab;
	}
}

static uint32_t get_word(union reg *reg, int pointer)
{
	if (pointer) {
		uint32_t *w = &reg->word;

		return *w;
	}
	return reg->word;
}

static void set_word(union reg *reg, int pointer, uint32_t v)
{
	if (pointer) {
		uint32_t *w = &reg->word;

		*w = v;
	} else {
		reg->word = v;
	}
}

int main(int argc, char **argv)
{
	static union reg clean;
	union reg *reg = calloc(1, sizeof(*reg));
	int pointer;

	if (argc != 3 || !reg)
		return 2;
	pointer = !strcmp(argv[2], "pointer");
	set_fields(reg, pointer);
	if (!strcmp(argv[1], "narrow-wide")) {
		printf("word %#" PRIx32 "\n", get_word(reg, pointer));
	} else if (!strcmp(argv[1], "same-view")) {
		struct fields *f = &reg->f;

		printf("type %#x len %#x\n", pointer ? f->type : reg->f.type,
		       pointer ? f->len : reg->f.len);
	} else if (!strcmp(argv[1], "memset")) {
		memset(reg, 0, sizeof(*reg));
		printf("word %#" PRIx32 "\n", get_word(reg, pointer));
	} else if (!strcmp(argv[1], "copy")) {
		*reg = clean;
		printf("word %#" PRIx32 "\n", get_word(reg, pointer));
	} else if (!strcmp(argv[1], "wide-write")) {
		set_word(reg, pointer, 0x11223344);
		printf("word %#" PRIx32 "\n", get_word(reg, pointer));
	} else {
		return 2;
	}
	free(reg);
	return 0;
}
