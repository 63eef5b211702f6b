// SPDX-License-Identifier: MIT
/*
 * The run-time's scenarios: each calls the ABI by hand, as instrumented
 * code would, with static site descriptors like the plugin's.  Run as
 * `rt_scenarios NAME`; test_runtime.py runs every one (on the host, on
 * s390x under qemu-user, on i686) and asserts its exact output and exit
 * status.  What the reports cannot show (the shadow after a copy, a free,
 * an address above the shadow's range) the scenario checks itself through
 * mtc_rt_marked_bytes(), printing "FAIL: ..." and exiting 1 when wrong.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* fork, waitpid under -std=c11 */
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mtcheck_rt.h"
#include "rt_internal.h"

/* The maple tree's range node, reduced: metadata in the last slot's bytes. */
struct maple_metadata {
	unsigned char end;
	unsigned char gap;
};

struct maple_range_64 {
	union {
		void *slot[16];
		struct {
			void *pad[15];
			struct maple_metadata meta;
		};
	};
};

union u32_halves {
	uint32_t v;
	uint16_t h[2];
};

union u16_bytes {
	uint16_t w;
	uint8_t b[2];
};

#define OVERLAY_END "struct maple_range_64: 'meta.end' overlays pointer 'slot[15]' (bytes 248-255)"
#define OVERLAY_GAP "struct maple_range_64: 'meta.gap' overlays pointer 'slot[15]' (bytes 248-255)"

#define STORE(name, line, col, type, member, record, overlays)				\
	static unsigned char name##_id;							\
	static const struct mtcheck_rt_site name = {					\
		MTCHECK_RT_ABI, MTCHECK_RT_NARROW_STORE, "mt.c", "ma_set_meta", line,	\
		col, type, member, record, overlays, &name##_id }
#define LOAD(name, fn, line, col, type, member, record)					\
	static const struct mtcheck_rt_site name = {					\
		MTCHECK_RT_ABI, MTCHECK_RT_WIDE_LOAD, "mt.c", fn, line, col, type,	\
		member, record, NULL, NULL }

STORE(st_end, 20, 12, "unsigned char", "end", "struct maple_metadata", OVERLAY_END);
STORE(st_gap, 21, 12, "unsigned char", "gap", "struct maple_metadata", OVERLAY_GAP);
STORE(st_h1, 30, 7, "uint16_t", "h[1]", "union u32_halves",
      "union u32_halves: 'h[1]' overlays 'v' (bytes 0-3)");
STORE(st_b, 40, 9, "uint8_t", "b[0]", "union u16_bytes",
      "union u16_bytes: 'b[0]' overlays 'w' (bytes 0-1)\n"
      "union u16_bytes: 'b' overlays 'w' (bytes 0-1)\n");
STORE(st_any, 50, 3, "uint16_t", "lo", NULL, NULL);

LOAD(ld_slot, "mas_next_slot", 100, 10, "void *", "slot", "struct maple_range_64");
LOAD(ld_slots, "mas_slot_locked", 110, 22, "void *", NULL, NULL);
LOAD(ld_v, "u32_read", 120, 14, "uint32_t", NULL, NULL);
LOAD(ld_w, "u16_read", 130, 14, "uint16_t", "w", "union u16_bytes");
LOAD(ld_q, "q_read", 140, 5, "uint64_t", "q", NULL);
LOAD(ld_a, "reader_a", 150, 1, "void *", NULL, NULL);
LOAD(ld_b, "reader_b", 151, 1, "void *", NULL, NULL);
LOAD(ld_c, "reader_c", 152, 1, "void *", NULL, NULL);

static const struct mtcheck_rt_site st_noid = {
	MTCHECK_RT_ABI, MTCHECK_RT_NARROW_STORE, "mt.c", "f", 2, 1, "char", "c", NULL, NULL, NULL
};
static const struct mtcheck_rt_site bad_abi = {
	99, MTCHECK_RT_NARROW_STORE, "mt.c", "f", 1, 1, "char", "c", NULL, NULL, NULL
};

static int failures;

#define CHECK(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			printf("FAIL: %s:%d: ", __func__, __LINE__);	\
			printf(__VA_ARGS__);				\
			printf("\n");					\
			failures++;					\
		}							\
	} while (0)

/* meta.end = end, meta.gap = 0, as ma_set_meta() writes them. */
static void set_meta(struct maple_range_64 *n, unsigned char end)
{
	n->meta.end = end;
	__mtcheck_rt_store(&n->meta.end, 1, &st_end);
	n->meta.gap = 0;
	__mtcheck_rt_store(&n->meta.gap, 1, &st_gap);
}

static void *read_slot(struct maple_range_64 *n, int i, const struct mtcheck_rt_site *site)
{
	__mtcheck_rt_load(&n->slot[i], sizeof(n->slot[i]), site);
	return n->slot[i];
}

/* A fresh node: calloc'd memory is cleared. */
static struct maple_range_64 *node_new(void)
{
	struct maple_range_64 *n = calloc(1, sizeof(*n));

	if (!n)
		exit(99);
	__mtcheck_rt_clear(n, sizeof(*n));
	return n;
}

static void node_free(struct maple_range_64 *n)
{
	__mtcheck_rt_free(n);
	free(n);
}

static void sc_pointer(void)
{
	struct maple_range_64 *n = node_new();

	set_meta(n, 14);
	read_slot(n, 15, &ld_slot);
	node_free(n);
}

/* The kernel's shape: the slots through a void ** with nothing known of the record. */
static void sc_pointer_slots(void)
{
	struct maple_range_64 *n = node_new();
	void **slots = n->slot;

	set_meta(n, 14);
	__mtcheck_rt_load(&slots[15], sizeof(slots[15]), &ld_slots);
	node_free(n);
}

static void sc_int32(void)
{
	union u32_halves u = { .v = 0 };

	__mtcheck_rt_clear(&u, sizeof(u));
	u.h[1] = 0x1234;
	__mtcheck_rt_store(&u.h[1], sizeof(u.h[1]), &st_h1);
	__mtcheck_rt_load(&u.v, sizeof(u.v), &ld_v);
}

static void sc_int16(void)
{
	union u16_bytes u = { .w = 0 };

	__mtcheck_rt_clear(&u, sizeof(u));
	u.b[0] = 0xab;
	__mtcheck_rt_store(&u.b[0], 1, &st_b);
	__mtcheck_rt_load(&u.w, sizeof(u.w), &ld_w);
}

/*
 * A 2-byte store across a granule boundary (bytes 7-8 of an aligned
 * buffer), read by an unaligned 8-byte load of bytes 4-11: bytes 3-4 of
 * the load are marked, the rest not.
 */
static void sc_partial(void)
{
	_Alignas(8) unsigned char buf[24] = { 0 };
	uint16_t lo = 0x1234;

	__mtcheck_rt_clear(buf, sizeof(buf));
	memcpy(buf + 7, &lo, sizeof(lo));
	__mtcheck_rt_store(buf + 7, sizeof(lo), &st_any);
	/* the bytes around it are not marked: no report */
	__mtcheck_rt_load(buf, 7, &ld_q);
	__mtcheck_rt_load(buf + 9, 8, &ld_q);
	__mtcheck_rt_load(buf + 4, 8, &ld_q);
}

/* A load wider than a report prints: the value of its first 32 bytes. */
static void sc_wide40(void)
{
	_Alignas(8) unsigned char buf[40] = { 0 };

	__mtcheck_rt_clear(buf, sizeof(buf));
	buf[1] = 0x5a;
	__mtcheck_rt_store(buf + 1, 1, &st_b);
	buf[39] = 0x77;		/* beyond the bytes printed */
	__mtcheck_rt_load(buf, sizeof(buf), &ld_q);
}

/* One store site writing bytes 0 and 2 of a 4-byte load, byte 1 written by another. */
static void sc_scattered(void)
{
	union u32_halves u = { .v = 0 };
	unsigned char *p = (unsigned char *)&u;

	__mtcheck_rt_clear(&u, sizeof(u));
	p[0] = 0x11;
	__mtcheck_rt_store(p, 1, &st_b);
	p[1] = 0x22;
	__mtcheck_rt_store(p + 1, 1, &st_end);
	p[2] = 0x33;
	__mtcheck_rt_store(p + 2, 1, &st_b);
	__mtcheck_rt_load(&u.v, sizeof(u.v), &ld_v);
}

/* These give no report. */
static void sc_clean(void)
{
	struct maple_range_64 *n = node_new(), *m = node_new();
	union u16_bytes u = { .w = 0 };

	/* a load of bytes nothing narrow wrote, in a granule and a leaf that hold marks */
	set_meta(n, 14);
	read_slot(n, 14, &ld_slot);
	read_slot(n, 0, &ld_slot);
	u.b[0] = 1;
	__mtcheck_rt_store(&u.b[0], 1, &st_b);
	__mtcheck_rt_load((unsigned char *)&u + 1, 1, &ld_w);

	/* a wide store (a clear) over the marks */
	n->slot[15] = NULL;
	__mtcheck_rt_clear(&n->slot[15], sizeof(n->slot[15]));
	read_slot(n, 15, &ld_slot);
	CHECK(!mtc_rt_marked_bytes(n, 64, NULL), "marks left after the clear");

	/* a copy of a clean node over a marked one (memcpy, record assignment) */
	set_meta(n, 3);
	*n = *m;
	__mtcheck_rt_copy(n, m, sizeof(*n));
	read_slot(n, 15, &ld_slot);

	/* memset */
	set_meta(n, 3);
	memset(n, 0, sizeof(*n));
	__mtcheck_rt_clear(n, sizeof(*n));
	read_slot(n, 15, &ld_slot);

	/* free: the whole heap block forgets its marks */
	set_meta(n, 5);
	set_meta(m, 5);
	__mtcheck_rt_free(n);
	CHECK(!mtc_rt_marked_bytes(&n->slot[15], 8, NULL), "marks left after free");
	__mtcheck_rt_load(&n->slot[15], sizeof(n->slot[15]), &ld_slot);
	free(n);
	CHECK(mtc_rt_marked_bytes(&m->slot[15], 8, NULL) == 3, "free forgot another block's marks");
	node_free(m);
	CHECK(!failures, "%d failures", failures);
}

/* A clear of byte 0 only: the load reports gap, not end. */
static void sc_clear_partial(void)
{
	struct maple_range_64 *n = node_new();

	set_meta(n, 14);
	__mtcheck_rt_clear(&n->meta.end, 1);
	read_slot(n, 15, &ld_slot);
	node_free(n);
}

/* The copy of a marked node reports, naming the original store. */
static void sc_copy(void)
{
	struct maple_range_64 *n = node_new(), *m = node_new();

	set_meta(n, 14);
	*m = *n;
	__mtcheck_rt_copy(m, n, sizeof(*m));
	node_free(n);
	read_slot(m, 15, &ld_slot);
	node_free(m);
}

/* memmove's overlapping ranges, both ways, and a copy onto itself. */
static void sc_copy_overlap(void)
{
	_Alignas(8) unsigned char buf[64] = { 0 };
	const struct mtcheck_rt_site *sites[64];

	__mtcheck_rt_clear(buf, sizeof(buf));
	__mtcheck_rt_store(buf + 8, 2, &st_end);
	__mtcheck_rt_store(buf + 12, 1, &st_gap);
	memmove(buf + 5, buf, 40);
	__mtcheck_rt_copy(buf + 5, buf, 40);
	CHECK(mtc_rt_marked_bytes(buf, 64, sites) == ((UINT64_C(3) << 13) | (UINT64_C(1) << 17)),
	      "after the move up: %#llx", (unsigned long long)mtc_rt_marked_bytes(buf, 64, NULL));
	CHECK(sites[13] == &st_end && sites[14] == &st_end && sites[17] == &st_gap,
	      "the sites did not move with the marks");
	memmove(buf, buf + 11, 40);
	__mtcheck_rt_copy(buf, buf + 11, 40);
	CHECK(mtc_rt_marked_bytes(buf, 64, sites) == ((UINT64_C(3) << 2) | (UINT64_C(1) << 6)),
	      "after the move down: %#llx", (unsigned long long)mtc_rt_marked_bytes(buf, 64, NULL));
	__mtcheck_rt_copy(buf, buf, 64);
	CHECK(mtc_rt_marked_bytes(buf, 64, sites) == ((UINT64_C(3) << 2) | (UINT64_C(1) << 6)),
	      "after a copy onto itself");
	CHECK(sites[2] == &st_end && sites[3] == &st_end && sites[6] == &st_gap,
	      "the sites did not move back with the marks");
	CHECK(!failures, "%d failures", failures);
}

/* Once per pair: the same pair again is silent; a new load or store site reports. */
static void sc_dedupe(void)
{
	struct maple_range_64 *n = node_new();
	int i;

	for (i = 0; i < 3; i++) {
		set_meta(n, 14);
		read_slot(n, 15, &ld_a);
	}
	read_slot(n, 15, &ld_b);
	n->meta.end = 2;
	__mtcheck_rt_store(&n->meta.end, 1, &st_any);
	read_slot(n, 15, &ld_b);	/* (ld_b, st_any) is new, (ld_b, st_gap) is not */
	read_slot(n, 15, &ld_b);
	node_free(n);
}

/* Three pairs: report_limit and halt_on_error are tried on this one. */
static void sc_three(void)
{
	struct maple_range_64 *n = node_new();

	set_meta(n, 1);
	read_slot(n, 15, &ld_a);
	printf("after the first report\n");
	fflush(stdout);
	read_slot(n, 15, &ld_b);
	read_slot(n, 15, &ld_c);
	node_free(n);
}

/* Addresses above the shadow's direct range (64-bit): marked in the slow structure only. */
static void sc_high(void)
{
#if UINTPTR_MAX > 0xffffffffu
	/* never dereferenced: no load below finds a mark that would make it read */
	unsigned char *p = (unsigned char *)(uintptr_t)UINT64_C(0xfedc000000001230);

	__mtcheck_rt_load(p, 8, &ld_q);
	__mtcheck_rt_store(p + 6, 4, &st_any);
	CHECK(mtc_rt_marked_bytes(p, 16, NULL) == 0x3c0, "high marks: %#llx",
	      (unsigned long long)mtc_rt_marked_bytes(p, 16, NULL));
	__mtcheck_rt_load(p + 16, 8, &ld_q);	/* unmarked: no report, no read */
	__mtcheck_rt_clear(p + 8, 8);
	CHECK(mtc_rt_marked_bytes(p, 16, NULL) == 0xc0, "high marks after the clear: %#llx",
	      (unsigned long long)mtc_rt_marked_bytes(p, 16, NULL));
	__mtcheck_rt_copy(p + 32, p, 16);
	CHECK(mtc_rt_marked_bytes(p + 32, 16, NULL) == 0xc0, "high marks after the copy");
#endif
	/* and a low address: the shadow's first leaf */
	__mtcheck_rt_store((void *)(uintptr_t)0x10, 2, &st_any);
	CHECK(mtc_rt_marked_bytes((void *)(uintptr_t)0x8, 16, NULL) == 0x300, "low marks");
	__mtcheck_rt_clear((void *)(uintptr_t)0, 64);
	CHECK(!mtc_rt_marked_bytes((void *)(uintptr_t)0x8, 16, NULL), "low marks after the clear");

	/* a clear of the whole address space: quick, and nothing stays marked */
	__mtcheck_rt_store((void *)(uintptr_t)0x10, 2, &st_any);
#if UINTPTR_MAX > 0xffffffffu
	__mtcheck_rt_store(p, 1, &st_any);	/* before the range: stays */
	__mtcheck_rt_store(p + 0x100000, 1, &st_any);
	__mtcheck_rt_clear(p + 1, (size_t)1 << 40);
	CHECK(mtc_rt_marked_bytes(p, 16, NULL) == 0x1, "a long clear above the shadow: %#llx",
	      (unsigned long long)mtc_rt_marked_bytes(p, 16, NULL));
	CHECK(!mtc_rt_marked_bytes(p + 0x100000, 1, NULL), "a long clear above the shadow");
#endif
	__mtcheck_rt_clear((void *)(uintptr_t)0, SIZE_MAX);
	CHECK(!mtc_rt_marked_bytes((void *)(uintptr_t)0x8, 16, NULL), "after a clear of everything");
#if UINTPTR_MAX > 0xffffffffu
	CHECK(!mtc_rt_marked_bytes(p, 16, NULL), "high marks after a clear of everything");
#endif
	CHECK(!failures, "%d failures", failures);
}

/* A large clear and copy over memory that leaves and misses shadow leaves. */
static void sc_large(void)
{
	size_t size = (size_t)3 << 20;
	unsigned char *a = malloc(size), *b = malloc(size);
	size_t i;

	if (!a || !b)
		exit(99);
	__mtcheck_rt_clear(a, size);
	for (i = 0; i < size; i += 4096 + 3)
		__mtcheck_rt_store(a + i, 1, &st_end);
	__mtcheck_rt_copy(b, a, size);
	for (i = 0; i < size; i += 4096 + 3)
		CHECK(mtc_rt_marked_bytes(b + i, 1, NULL) == 1, "copy lost the mark at %zu", i);
	CHECK(!mtc_rt_marked_bytes(b + 1, 64, NULL), "copy marked bytes it should not");
	__mtcheck_rt_free(a);
	free(a);
	__mtcheck_rt_clear(b, size);
	for (i = 0; i < size; i += 4096 + 3)
		CHECK(!mtc_rt_marked_bytes(b + i, 1, NULL), "clear left the mark at %zu", i);
	__mtcheck_rt_free(b);
	free(b);
	CHECK(!failures, "%d failures", failures);
}

/* The sites of the bytes at p, as "end gap any -" letters (e, g, a, -). */
static const char *sites_of(const void *p, size_t n, char *buf)
{
	const struct mtcheck_rt_site *sites[64];
	size_t i;

	mtc_rt_marked_bytes(p, n, sites);
	for (i = 0; i < n; i++)
		buf[i] = sites[i] == &st_end ? 'e' : sites[i] == &st_gap ? 'g'
		       : sites[i] == &st_any ? 'a' : sites[i] ? '?' : '-';
	buf[n] = 0;
	return buf;
}

/*
 * A store that rewrites its own marks takes the run-time's fast path; one
 * by another site, or on bytes that lost their marks, or on a granule
 * whose record was reused for another, must not.
 */
static void sc_restore(void)
{
	struct maple_range_64 *n = node_new();
	unsigned char *meta = (unsigned char *)&n->slot[15];
	size_t size = (size_t)64 << 10, i;
	unsigned char *a = malloc(size), *b = malloc(size);
	char buf[65];

	if (!a || !b)
		exit(99);
	set_meta(n, 1);
	set_meta(n, 2);
	CHECK(!strcmp(sites_of(meta, 8, buf), "eg------"), "after two set_meta: %s", buf);
	__mtcheck_rt_store(meta, 2, &st_any);
	CHECK(!strcmp(sites_of(meta, 8, buf), "aa------"), "after the other site: %s", buf);
	__mtcheck_rt_store(meta + 1, 1, &st_gap);
	set_meta(n, 3);
	CHECK(!strcmp(sites_of(meta, 8, buf), "eg------"), "after set_meta again: %s", buf);
	__mtcheck_rt_store(meta + 1, 2, &st_gap);
	CHECK(!strcmp(sites_of(meta, 8, buf), "egg-----"), "a store wider than the marks: %s", buf);
	__mtcheck_rt_clear(&n->slot[15], 8);
	__mtcheck_rt_store(meta, 1, &st_end);
	CHECK(!strcmp(sites_of(meta, 8, buf), "e-------"), "after a clear: %s", buf);

	/* records freed by a clear are reused for other granules */
	__mtcheck_rt_clear(a, size);
	__mtcheck_rt_clear(b, size);
	for (i = 0; i < size; i += 8)
		__mtcheck_rt_store(a + i + 3, 1, &st_end);
	__mtcheck_rt_clear(a, size);
	for (i = 0; i < size; i += 8)
		__mtcheck_rt_store(b + i + 3, 1, &st_end);
	for (i = 0; i < size; i += 8)
		__mtcheck_rt_store(a + i + 3, 1, &st_end);
	for (i = 0; i < size && !failures; i += 8) {
		CHECK(!strcmp(sites_of(a + i, 8, buf), "---e----"), "a+%zu: %s", i, buf);
		CHECK(!strcmp(sites_of(b + i, 8, buf), "---e----"), "b+%zu: %s", i, buf);
	}
	__mtcheck_rt_free(a);
	free(a);
	__mtcheck_rt_free(b);
	free(b);
	node_free(n);
	CHECK(!failures, "%d failures", failures);
}

/* A forked child: the parent's pairs stay reported, its own count starts at 0. */
static void sc_fork(void)
{
	struct maple_range_64 *n = node_new();
	int status;
	pid_t pid;

	set_meta(n, 14);
	read_slot(n, 15, &ld_a);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		exit(99);
	if (!pid) {
		read_slot(n, 15, &ld_a);	/* reported by the parent */
		read_slot(n, 15, &ld_b);
		exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		printf("FAIL: the child ended with status %#x\n", status);
	node_free(n);
}

/* The granule's id byte, as the plugin's inline store check reads it (mtcheck_rt.h). */
static unsigned granule_id(const void *addr)
{
	uintptr_t a = (uintptr_t)addr;
	const unsigned char *p = __mtcheck_rt_shadow[a >> MTCHECK_RT_REGION_SHIFT];

	return p ? p[MTCHECK_RT_REGION_GRANULES + ((a >> 3) & (MTCHECK_RT_REGION_GRANULES - 1))]
		 : 0;
}

static void sc_ids(void)
{
	/* four granules: malloc's alignment is at least 8 */
	unsigned char *m = calloc(32, 1);

	if (!m)
		exit(99);
	__mtcheck_rt_clear(m, 32);
	__mtcheck_rt_store(m, 1, &st_end);
	CHECK(st_end_id != 0, "the first store gives its site an id");
	CHECK(granule_id(m) == st_end_id, "one site's marks: id %u, want %u", granule_id(m),
	      st_end_id);
	__mtcheck_rt_store(m + 1, 1, &st_gap);
	CHECK(st_gap_id != 0 && st_gap_id != st_end_id, "ids %u and %u", st_end_id, st_gap_id);
	CHECK(granule_id(m) == 0, "two sites' marks: id %u", granule_id(m));
	__mtcheck_rt_store(m, 2, &st_gap);
	CHECK(granule_id(m) == st_gap_id, "both bytes by gap: id %u, want %u", granule_id(m),
	      st_gap_id);
	__mtcheck_rt_copy(m + 16, m, 8);
	CHECK(granule_id(m + 16) == st_gap_id, "copied: id %u", granule_id(m + 16));
	__mtcheck_rt_clear(m, 1);
	CHECK(granule_id(m) == st_gap_id, "one of two cleared: id %u", granule_id(m));
	__mtcheck_rt_clear(m, 8);
	CHECK(granule_id(m) == 0, "all cleared: id %u", granule_id(m));
	CHECK(granule_id(m + 16) == st_gap_id, "the copy's: id %u", granule_id(m + 16));
	/* a site without an id byte never gives a granule an id */
	__mtcheck_rt_store(m + 8, 2, &st_noid);
	CHECK(granule_id(m + 8) == 0, "a site without an id: id %u", granule_id(m + 8));
	__mtcheck_rt_free(m);
	free(m);
}

/*
 * __mtcheck_rt_unmarked_range: the plugin's check of a loop's whole range.
 * One byte marked at every offset of a 256-byte block, against ranges
 * that end just before it, start just after it, or hold it, from every
 * offset: the word-at-a-time scan's edges, in either byte order.
 */
static void sc_range(void)
{
	unsigned char *m = calloc(256, 1);

	if (!m)
		exit(99);
	CHECK(__mtcheck_rt_unmarked_range(m, 256), "a block never marked");
	for (unsigned mark = 0; mark < 256; mark += 3) {
		unsigned g = mark & ~7u;	/* the marked byte's granule */

		__mtcheck_rt_clear(m, 256);
		__mtcheck_rt_store(m + mark, 1, &st_end);
		for (unsigned lo = 0; lo < 256; lo++) {
			for (unsigned hi = lo + 1; hi <= 256; hi += 1 + (hi > lo + 70) * 9) {
				/* a range is unmarked when it touches no byte of the marked granule */
				int want = hi <= g || lo >= g + 8;

				CHECK(__mtcheck_rt_unmarked_range(m + lo, hi - lo) == want,
				      "mark at %u, range [%u, %u): %d", mark, lo, hi, !want);
			}
		}
	}
	__mtcheck_rt_clear(m, 256);
	CHECK(__mtcheck_rt_unmarked_range(m, 256), "all cleared");
	CHECK(__mtcheck_rt_unmarked_range(m, 0), "an empty range");
	__mtcheck_rt_store(m + 200, 1, &st_end);
	CHECK(!__mtcheck_rt_unmarked_range(m + 200, 0) == 0, "an empty range at a mark");
	CHECK(!__mtcheck_rt_unmarked_range(m, MTCHECK_RT_RANGE_MAX + 1), "a range above the limit");
	CHECK(!__mtcheck_rt_unmarked_range((void *)(UINTPTR_MAX - 15), 32), "a range that wraps");
	__mtcheck_rt_free(m);
	free(m);

	/*
	 * Across the boundary of two regions (2^31 is one on every target):
	 * only the shadow is read and written, never the memory itself.
	 */
	unsigned char *b = (unsigned char *)((uintptr_t)1 << 31);

	__mtcheck_rt_store(b + 8, 1, &st_end);
	CHECK(__mtcheck_rt_unmarked_range(b - 64, 72), "up to the marked granule, from the region before");
	CHECK(!__mtcheck_rt_unmarked_range(b - 64, 73), "into the marked granule, from the region before");
	__mtcheck_rt_clear(b + 8, 1);
	__mtcheck_rt_store(b - 1, 1, &st_end);
	CHECK(!__mtcheck_rt_unmarked_range(b - 1, 100), "the region before's last byte");
	CHECK(__mtcheck_rt_unmarked_range(b, 100), "the region after, unmarked");
	__mtcheck_rt_clear(b - 1, 1);
	CHECK(__mtcheck_rt_unmarked_range(b - 4096, 8192), "both regions cleared");
}

static void sc_bad_abi(void)
{
	char c = 0;

	__mtcheck_rt_store(&c, 1, &bad_abi);
	printf("after the bad site\n");
}

static const struct {
	const char *name;
	void (*run)(void);
} scenarios[] = {
	{ "pointer", sc_pointer },
	{ "pointer_slots", sc_pointer_slots },
	{ "int32", sc_int32 },
	{ "int16", sc_int16 },
	{ "partial", sc_partial },
	{ "scattered", sc_scattered },
	{ "wide40", sc_wide40 },
	{ "clean", sc_clean },
	{ "clear_partial", sc_clear_partial },
	{ "copy", sc_copy },
	{ "copy_overlap", sc_copy_overlap },
	{ "dedupe", sc_dedupe },
	{ "three", sc_three },
	{ "high", sc_high },
	{ "large", sc_large },
	{ "fork", sc_fork },
	{ "restore", sc_restore },
	{ "ids", sc_ids },
	{ "range", sc_range },
	{ "bad_abi", sc_bad_abi },
};

int main(int argc, char **argv)
{
	size_t i;

	printf("main\n");
	if (argc == 2) {
		for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
			if (!strcmp(argv[1], scenarios[i].name)) {
				scenarios[i].run();
				return failures ? 1 : 0;
			}
		}
	}
	fprintf(stderr, "usage: rt_scenarios SCENARIO\n");
	return 2;
}
