// SPDX-License-Identifier: MIT
/*
 * The DWARF positions reader: an ELF object's DWARF, matched against a
 * model that holds the records of testcases/maple_range.c and nested.c (the
 * seed objects are compiled from those), so that the matching of anonymous
 * members by path runs as well as the walk.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "frontend_internal.h"
#include "fuzz.h"

static struct mtc_model *model(void)
{
	struct mtc_target t = { .endian = MTC_ENDIAN_LITTLE, .pointer_bits = 64,
				.char_signed = true };
	struct mtc_model *m = mtc_model_new(&t);

	if (!m)
		abort();
	struct mtc_type *uchar = mtc_model_scalar(m, MTC_KIND_INT, "unsigned char", 1, false);
	struct mtc_type *u16 = mtc_model_scalar(m, MTC_KIND_INT, "uint16_t", 2, false);
	struct mtc_type *u32 = mtc_model_scalar(m, MTC_KIND_INT, "uint32_t", 4, false);
	struct mtc_type *u64 = mtc_model_scalar(m, MTC_KIND_INT, "uint64_t", 8, false);
	struct mtc_type *ulong = mtc_model_scalar(m, MTC_KIND_INT, "unsigned long", 8, false);
	struct mtc_type *ptr = mtc_model_scalar(m, MTC_KIND_POINTER, "void *", 8, false);

	/* struct maple_range_64: metadata in the last slot */
	struct mtc_type *meta = mtc_model_record(m, MTC_KIND_STRUCT, "struct maple_metadata", 2, 1);
	struct mtc_type *tail = mtc_model_record(m, MTC_KIND_STRUCT, NULL, 128, 8);
	struct mtc_type *slots = mtc_model_record(m, MTC_KIND_UNION, NULL, 128, 8);
	struct mtc_type *range = mtc_model_record(m, MTC_KIND_STRUCT, "struct maple_range_64",
						  256, 8);

	mtc_record_add_member(m, meta, "end", uchar, 0, 0, 0);
	mtc_record_add_member(m, meta, "gap", uchar, 1, 0, 0);
	mtc_record_add_member(m, tail, "pad", mtc_model_array(m, ptr, 15), 0, 0, 0);
	mtc_record_add_member(m, tail, "meta", meta, 120, 0, 0);
	mtc_record_add_member(m, slots, "slot", mtc_model_array(m, ptr, 16), 0, 0, 0);
	mtc_record_add_member(m, slots, NULL, tail, 0, 0, 0);
	mtc_record_add_member(m, range, "parent", ptr, 0, 0, 0);
	mtc_record_add_member(m, range, "pivot", mtc_model_array(m, ulong, 15), 8, 0, 0);
	mtc_record_add_member(m, range, NULL, slots, 128, 0, 0);

	/* struct packet: anonymous unions inside anonymous structs */
	struct mtc_type *ports = mtc_model_record(m, MTC_KIND_STRUCT, NULL, 4, 2);
	struct mtc_type *cookie = mtc_model_record(m, MTC_KIND_UNION, NULL, 8, 8);
	struct mtc_type *inner = mtc_model_record(m, MTC_KIND_STRUCT, NULL, 16, 8);
	struct mtc_type *outer = mtc_model_record(m, MTC_KIND_UNION, NULL, 16, 8);
	struct mtc_type *packet = mtc_model_record(m, MTC_KIND_STRUCT, "struct packet", 24, 8);

	mtc_record_add_member(m, ports, "port", u16, 0, 0, 0);
	mtc_record_add_member(m, ports, "proto", u16, 2, 0, 0);
	mtc_record_add_member(m, cookie, "cookie", u64, 0, 0, 0);
	mtc_record_add_member(m, cookie, NULL, ports, 0, 0, 0);
	mtc_record_add_member(m, inner, NULL, cookie, 0, 0, 0);
	mtc_record_add_member(m, inner, "seq", u32, 8, 0, 0);
	mtc_record_add_member(m, outer, NULL, inner, 0, 0, 0);
	mtc_record_add_member(m, outer, "token", u64, 0, 0, 0);
	mtc_record_add_member(m, packet, "len", u32, 0, 0, 0);
	mtc_record_add_member(m, packet, NULL, outer, 8, 0, 0);
	return m;
}

/* Read back every position the reader set, so that a bad pointer shows. */
static size_t touch(const struct mtc_type *t, int depth)
{
	size_t n = t->loc.file ? strlen(t->loc.file) : 0;

	for (size_t i = 0; depth < 8 && i < t->nr_members; i++) {
		const struct mtc_member *mb = &t->members[i];

		n += mb->loc.file ? strlen(mb->loc.file) + mb->loc.line : 0;
		if (mtc_kind_is_record(mb->type->kind))
			n += touch(mb->type, depth + 1);
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fds = fuzz_fds_mark();
	const char *path = fuzz_path(data, size);
	struct mtc_model *m = model();
	struct mtc_error err = { 0 };
	volatile size_t sink = 0;

	int ret = mtc_dwarf_locations(path, m, &err);

	for (size_t i = 0; !ret && i < mtc_model_nr_records(m); i++)
		sink += touch(mtc_model_record_at(m, i), 0);
	/* a reader that placed nothing has not read this DWARF */
	if (!ret && !sink)
		ret = mtc_error_set(&err, -ENODATA, "no position for any member");
	fuzz_outcome(ret, &err);
	fuzz_fds_check(fds);
	(void)sink;
	mtc_model_free(m);
	return 0;
}
