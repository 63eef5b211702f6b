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

/*
 * The report of narrow-wide, for run-sanitize; {value} is the value line.
 * type (bits 0-3 on little-endian, 28-31 on big-endian) and len share
 * byte 0 or byte 0-1; len, written last, owns both bytes.  On big-endian
 * type and len fill the word's top 16 bits: 0x30ab0000.
 *
 * check-value-little: 0x00000ab3 on this little-endian machine, 0xb30a0000 on big-endian
 * check-value-big: 0x30ab0000 on this big-endian machine, 0x0000ab30 on little-endian
 *
 * check-report-start member
mtcheck-rt: error: load of 'word' (uint32_t, 4 bytes) in union reg reads bytes last written through a narrower member
mtcheck-rt:   load at bitfield.c:51:12 in get_word
mtcheck-rt:   bytes 0-1 of 4 written as 'len' (uint32_t) in struct fields at bitfield.c:40:14 in set_fields
mtcheck-rt:   overlay: union reg: 'f.len' overlays integer 'word' (bytes 0-3)
mtcheck-rt:   value: {value}
mtcheck-rt: summary: 1 report
 * check-report-end
 *
 * check-report-start pointer
mtcheck-rt: error: load of uint32_t (4 bytes) reads bytes last written through a narrower member
mtcheck-rt:   load at bitfield.c:49:10 in get_word
mtcheck-rt:   bytes 0-1 of 4 written as 'len' (uint32_t) in struct fields at bitfield.c:37:10 in set_fields
mtcheck-rt:   overlay: union reg: 'f.len' overlays integer 'word' (bytes 0-3)
mtcheck-rt:   value: {value}
mtcheck-rt: summary: 1 report
 * check-report-end
 */
