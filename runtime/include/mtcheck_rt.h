/* SPDX-License-Identifier: MIT */
#ifndef MTCHECK_RT_H
#define MTCHECK_RT_H
/*
 * The union sanitizer's run-time interface: the calls that
 * `gcc -fplugin=mtcheck.so -fplugin-arg-mtcheck-sanitize` inserts into
 * instrumented code, and that libmtcheck_rt.a implements.
 *
 * This header is the contract between the plugin (which emits the calls
 * and the site descriptors as static data) and the run-time library; code
 * never calls these by hand, except the run-time's own tests.  A change
 * of any declaration here, or of struct mtcheck_rt_site, bumps
 * MTCHECK_RT_ABI; the run-time refuses (one message, exit 2) a site whose
 * abi field it does not know.
 *
 * Which accesses are instrumented:
 *   - a store through a narrow member of a flagged overlay, however the
 *     pointer reached it (a store to a field of the narrow member's record
 *     type, or to the narrow member itself): __mtcheck_rt_store() after it;
 *   - a load of the wide member's type (the pointer or integer type of a
 *     flagged wide member), wherever it comes from: __mtcheck_rt_load()
 *     before it;
 *   - a store of the wide member's type: __mtcheck_rt_clear() after it;
 *   - memset, calloc'd or malloc'd memory: __mtcheck_rt_clear();
 *     memcpy, memmove, whole-record assignment: __mtcheck_rt_copy();
 *     free, realloc: __mtcheck_rt_free() before it.
 *
 * What the run-time does with these calls (the shadow, the text of a
 * report, MTCHECK_RT_OPTIONS, exit statuses) is described in
 * docs/sanitizer.md.
 */
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MTCHECK_RT_ABI 4

/*
 * The shadow's first level, which instrumented code reads inline to skip
 * the call to __mtcheck_rt_load() (and __mtcheck_rt_clear()) when nothing
 * near the address was ever marked (ABI 2), and the store sites' ids
 * that let it skip __mtcheck_rt_store() when the bytes carry its site
 * already (ABI 3).
 *
 * The address space is cut into regions of 2^MTCHECK_RT_REGION_SHIFT
 * bytes.  __mtcheck_rt_shadow[r] is NULL while no narrow store touched
 * region r; afterwards it points to the region's shadow: one byte per
 * 8-byte granule, bit i set when byte i of the granule is marked.
 * So for an access of SIZE bytes at address A that stays inside one
 * granule (A % 8 + SIZE <= 8), with
 *
 *	r = min(A >> MTCHECK_RT_REGION_SHIFT, MTCHECK_RT_REGIONS)
 *	p = __mtcheck_rt_shadow[r]
 *
 * the call may be skipped when p == NULL, or when r < MTCHECK_RT_REGIONS
 * and p[(A >> 3) & (MTCHECK_RT_REGION_GRANULES - 1)] == 0.  The last
 * entry, [MTCHECK_RT_REGIONS], stands for every address above the
 * directly mapped range (2^48 on 64-bit targets): NULL until such an
 * address is marked, then a readable region of zeros, so that those
 * accesses take the call.  Entries change from NULL to a pointer once
 * and never back; the shadow bytes change under the run-time's locks.
 * Instrumented code reads both with plain loads: a load that races with
 * a narrow store to the same bytes in another thread sees the shadow
 * before or after it, as the program's own load sees the memory.
 * Accesses that may straddle granules take the call.  (The plugin's
 * inline checks send every address above the direct range to the call.)
 *
 * A region's mapping (ABI 3) holds its MTCHECK_RT_REGION_GRANULES shadow
 * bytes, then as many id bytes: per granule, the id of the one narrow
 * store site that all its marked bytes carry, 0 when none is marked, they
 * carry different sites or that site has no id.  The run-time gives a
 * store site an id (1 to 255, in the order the sites first store; the
 * later ones get none) by writing it to the byte site->id points to.
 * So a narrow store by SITE of SIZE bytes at A inside one granule may
 * skip __mtcheck_rt_store() when, with p and the granule's index i as
 * above, the SIZE bits from A % 8 are set in p[i], *SITE->id != 0 and
 * p[MTCHECK_RT_REGION_GRANULES + i] == *SITE->id: those bytes carry this
 * site already, and the call would change nothing.
 */
#if defined(__SIZEOF_POINTER__) && __SIZEOF_POINTER__ == 4
#define MTCHECK_RT_REGION_SHIFT 20
#define MTCHECK_RT_REGIONS (1ul << 12)
#else
#define MTCHECK_RT_REGION_SHIFT 30
#define MTCHECK_RT_REGIONS (1ul << 18)
#endif
#define MTCHECK_RT_REGION_GRANULES (1ul << (MTCHECK_RT_REGION_SHIFT - 3))

extern unsigned char *__mtcheck_rt_shadow[MTCHECK_RT_REGIONS + 1];

/* The access kinds a site describes. */
enum mtcheck_rt_kind {
	MTCHECK_RT_NARROW_STORE = 1,	/* a store through a narrow member */
	MTCHECK_RT_WIDE_LOAD = 2,	/* a load of a wide member's type */
};

/*
 * One instrumented access in the source, emitted once per access as
 * static read-only data.  Strings are NUL-terminated and live as long as
 * the program.  Fields the plugin cannot know are NULL.
 */
struct mtcheck_rt_site {
	unsigned abi;			/* MTCHECK_RT_ABI */
	unsigned kind;			/* enum mtcheck_rt_kind */
	const char *file;		/* source file of the access */
	const char *function;		/* enclosing function */
	unsigned line, column;
	/*
	 * The type accessed, as C spells it: "unsigned char" for a narrow
	 * store to meta->end, "void *" for a wide load.
	 */
	const char *type;
	/*
	 * NARROW_STORE: the member written, as a path in the record whose
	 * field it is ("end" in "struct maple_metadata", "h[1]" in
	 * "union u32_halves"), and that record.
	 * WIDE_LOAD: the wide member and its record when the expression
	 * names them (node->slot[i]: "slot[15]" is not known statically, so
	 * "slot" and "struct maple_range_64"), else NULL (slots[offset]).
	 */
	const char *member;
	const char *record;
	/*
	 * NARROW_STORE only: the flagged overlays this narrow member takes
	 * part in, one per line, as mtcheck's finding names them:
	 * "struct maple_range_64: 'meta.end' overlays pointer 'slot[15]' (bytes 248-255)".
	 * NULL for loads.
	 */
	const char *overlays;
	/*
	 * NARROW_STORE: a writable byte, zero at first, where the run-time
	 * writes the site's id once it gives it one (above); NULL for loads,
	 * and for stores that never skip the call.
	 */
	unsigned char *id;
};

/* Bytes [addr, addr+size) were just written through a narrow member. */
void __mtcheck_rt_store(void *addr, size_t size, const struct mtcheck_rt_site *site);

/*
 * Bytes [addr, addr+size) are about to be read as the wide type.  Reports
 * when any of them was last written through a narrow member.  The common
 * case (nothing recorded near addr) returns after a few instructions and
 * takes no lock.
 */
void __mtcheck_rt_load(const void *addr, size_t size, const struct mtcheck_rt_site *site);

/* Bytes [addr, addr+size) were just written as a whole (wide store, memset, fresh allocation). */
void __mtcheck_rt_clear(void *addr, size_t size);

/* [dst, dst+size) was just copied from [src, src+size) (memcpy, memmove, record assignment): the shadow moves with it. */
void __mtcheck_rt_copy(void *dst, const void *src, size_t size);

/* The heap block at ptr is about to be freed or reallocated: its shadow is forgotten. */
void __mtcheck_rt_free(void *ptr);

/*
 * Nonzero when no byte of the granules that [addr, addr+size) touches is
 * marked, so that every inline load check in that range would skip its
 * call (ABI 4).  The plugin calls it once before a loop whose checked
 * addresses all lie in the range, and runs a copy of the loop without
 * those checks when it says so.  Zero also for a range above
 * MTCHECK_RT_RANGE_MAX bytes or one that wraps around the address space:
 * the checked loop runs then.  Reads the shadow only, takes no lock.
 */
int __mtcheck_rt_unmarked_range(const void *addr, size_t size);
#define MTCHECK_RT_RANGE_MAX ((size_t)1 << 24)

#ifdef __cplusplus
}
#endif

#endif /* MTCHECK_RT_H */
