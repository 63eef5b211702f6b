// SPDX-License-Identifier: MIT
/*
 * The union sanitizer on an integer overlay: a 64-bit word and the header
 * fields that overlay it.
 *
 *   integer SCENARIO SHAPE
 *
 * As pointer.c: SCENARIO narrow-wide (one report), same-view, memset,
 * copy, wide-write (none); SHAPE member (msg->hdr.seq, msg->word) or
 * pointer (struct hdr *h = &msg->hdr; h->seq, and a uint64_t * to the
 * word).
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct hdr {
	uint16_t seq;
	uint16_t flags;
};

union msg {
	uint64_t word;
	struct hdr hdr;
};

static void set_hdr(union msg *msg, int pointer)
{
	if (pointer) {
		struct hdr *h = &msg->hdr;

		h->seq = 0x1234;
		h->flags = 0x0001;
	} else {
		msg->hdr.seq = 0x1234;
		msg->hdr.flags = 0x0001;
	}
}

static uint64_t get_word(union msg *msg, int pointer)
{
	if (pointer) {
		uint64_t *w = &msg->word;

		return *w;
	}
	return msg->word;
}

static void set_word(union msg *msg, int pointer, uint64_t v)
{
	if (pointer) {
		uint64_t *w = &msg->word;

		*w = v;
	} else {
		msg->word = v;
	}
}

int main(int argc, char **argv)
{
	static union msg clean;
	union msg *msg = malloc(sizeof(*msg));
	int pointer;

	if (argc != 3 || !msg)
		return 2;
	memset(msg, 0, sizeof(*msg));
	pointer = !strcmp(argv[2], "pointer");
	set_hdr(msg, pointer);
	if (!strcmp(argv[1], "narrow-wide")) {
		printf("word %#" PRIx64 "\n", get_word(msg, pointer));
	} else if (!strcmp(argv[1], "same-view")) {
		struct hdr *h = &msg->hdr;

		printf("seq %#x flags %#x\n", pointer ? h->seq : msg->hdr.seq,
		       pointer ? h->flags : msg->hdr.flags);
	} else if (!strcmp(argv[1], "memset")) {
		memset(msg, 0, sizeof(*msg));
		printf("word %#" PRIx64 "\n", get_word(msg, pointer));
	} else if (!strcmp(argv[1], "copy")) {
		*msg = clean;
		printf("word %#" PRIx64 "\n", get_word(msg, pointer));
	} else if (!strcmp(argv[1], "wide-write")) {
		set_word(msg, pointer, 0x1122334455667788);
		printf("word %#" PRIx64 "\n", get_word(msg, pointer));
	} else {
		return 2;
	}
	free(msg);
	return 0;
}

/*
 * The report of narrow-wide, for run-sanitize; {value} is the value line.
 * A big-endian machine stores seq and flags most significant byte first.
 *
 * check-value-little: 0x0000000000011234 on this little-endian machine, 0x3412010000000000 on big-endian
 * check-value-big: 0x1234000100000000 on this big-endian machine, 0x0000000001003412 on little-endian
 *
 * check-report-start member
mtcheck-rt: error: load of 'word' (uint64_t, 8 bytes) in union msg reads bytes last written through a narrower member
mtcheck-rt:   load at integer.c:49:12 in get_word
mtcheck-rt:   bytes 0-1 of 8 written as 'seq' (uint16_t) in struct hdr at integer.c:37:16 in set_hdr
mtcheck-rt:   bytes 2-3 of 8 written as 'flags' (uint16_t) in struct hdr at integer.c:38:18 in set_hdr
mtcheck-rt:   overlay: union msg: 'hdr.seq' overlays integer 'word' (bytes 0-7)
mtcheck-rt:   overlay: union msg: 'hdr.flags' overlays integer 'word' (bytes 0-7)
mtcheck-rt:   value: {value}
mtcheck-rt: summary: 1 report
 * check-report-end
 *
 * check-report-start pointer
mtcheck-rt: error: load of uint64_t (8 bytes) reads bytes last written through a narrower member
mtcheck-rt:   load at integer.c:47:10 in get_word
mtcheck-rt:   bytes 0-1 of 8 written as 'seq' (uint16_t) in struct hdr at integer.c:34:10 in set_hdr
mtcheck-rt:   bytes 2-3 of 8 written as 'flags' (uint16_t) in struct hdr at integer.c:35:12 in set_hdr
mtcheck-rt:   overlay: union msg: 'hdr.seq' overlays integer 'word' (bytes 0-7)
mtcheck-rt:   overlay: union msg: 'hdr.flags' overlays integer 'word' (bytes 0-7)
mtcheck-rt:   value: {value}
mtcheck-rt: summary: 1 report
 * check-report-end
 */
