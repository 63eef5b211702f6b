// SPDX-License-Identifier: MIT
/*
 * The union sanitizer's shadow: which narrow store last wrote each byte of
 * watched memory, and the six entry points the plugin calls.
 *
 * Two structures, kept in step under one lock per stripe of granules:
 *
 *   - the shadow proper, one byte per 8-byte granule of address space,
 *     bit i set when byte i of the granule is marked (last written
 *     through a narrow member).  Its first level, __mtcheck_rt_shadow,
 *     is part of the interface (mtcheck_rt.h): one entry per region of
 *     1 GiB (1 MiB on 32-bit targets), NULL until the first narrow store
 *     into the region maps its shadow (128 MiB of address space, 128 KiB
 *     on 32-bit targets, MAP_NORESERVE: only the pages written take
 *     memory).  A wide load of memory where nothing narrow was ever
 *     stored finds a NULL entry or a zero byte: a few loads and no lock,
 *     no atomic read-modify-write, and instrumented code makes that test
 *     inline.  Nothing is reserved up front beyond the table in .bss
 *     (2 MiB, 16 KiB on 32-bit targets; untouched pages cost nothing), so
 *     it works on 32-bit targets and under qemu-user.
 *
 *   - per marked granule, the site of the store that marked each byte,
 *     in a record that is also published in the region (beside its shadow
 *     bytes) for the stores' lock-free fast path, and kept in a hash table
 *     split into stripes, each with its own mutex; the
 *     slow paths (narrow stores, clears and loads that meet marks, and
 *     reports) take the stripe of the granule they change.  A shadow
 *     byte is only written under its granule's stripe lock, so a plain
 *     atomic store suffices; the hot path reads it with a relaxed load.
 *
 * 64-bit addresses above 2^48 have no shadow byte: their marks live in
 * the hash table only, and one flag, set the first time such an address
 * is marked, sends their loads and clears to the slow path.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* strdup, strtok_r, malloc_usable_size: built alone too */
#endif
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "rt_internal.h"

#define GRANULE_SHIFT 3
#define GRANULE 8u
#define REGION_SHIFT MTCHECK_RT_REGION_SHIFT
#define REGION_BYTES ((size_t)MTCHECK_RT_REGION_GRANULES)
#define NR_REGIONS ((size_t)MTCHECK_RT_REGIONS)

typedef _Atomic unsigned char shadow_t;

/*
 * The first level, which instrumented code reads inline (mtcheck_rt.h):
 * entry r, r < NR_REGIONS, is region r's shadow or NULL; entry
 * NR_REGIONS stands for the addresses above the direct range.  Written
 * only under table_lock, with release stores; read with acquire loads
 * here (and plain loads, depending on the pointer, by instrumented code).
 */
unsigned char *__mtcheck_rt_shadow[MTCHECK_RT_REGIONS + 1];

#if UINTPTR_MAX > 0xffffffffu
#define DIRECT_BITS (REGION_SHIFT + 18)
#endif

/* Set once an address without a shadow byte has been marked. */
static atomic_bool overflow_used;

/* Serialises the creation of regions; never taken on a hot path. */
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

static inline bool out_of_range(uintptr_t a)
{
#ifdef DIRECT_BITS
	return (a >> DIRECT_BITS) != 0;
#else
	(void)a;
	return false;
#endif
}

static inline shadow_t *region_of(uintptr_t a)
{
	return (shadow_t *)__atomic_load_n(&__mtcheck_rt_shadow[a >> REGION_SHIFT], __ATOMIC_ACQUIRE);
}

/* The shadow byte of a's granule, or NULL when none was ever needed (or a is out of range). */
static inline shadow_t *shadow_of(uintptr_t a)
{
	shadow_t *region;

	if (out_of_range(a) || !(region = region_of(a)))
		return NULL;
	return &region[(a >> GRANULE_SHIFT) & (REGION_BYTES - 1)];
}

static void *map_zeroed(size_t size, const char *what)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		mtc_rt_oom(what);
	return p;
}

struct granule;

/*
 * A region's mapping: its shadow bytes, then per granule the id of the
 * one store site all its marked bytes carry (mtcheck_rt.h), then per
 * granule the pointer to its record of sites (below), or NULL, for the
 * store's fast path in here.
 */
#define REGION_IDS REGION_BYTES
#define REGION_RECS (2 * REGION_BYTES)
#define REGION_MAP (REGION_RECS + REGION_BYTES * sizeof(struct granule *))

/* Where the record of a's granule is published; NULL when a has no shadow (yet). */
static inline struct granule *_Atomic *rec_slot(uintptr_t a)
{
	shadow_t *region;

	if (out_of_range(a) || !(region = region_of(a)))
		return NULL;
	return &((struct granule *_Atomic *)(region + REGION_RECS))[(a >> GRANULE_SHIFT) &
								    (REGION_BYTES - 1)];
}

/* As shadow_of(), creating the region's shadow on the way; a must be in range. */
static shadow_t *shadow_create(uintptr_t a)
{
	shadow_t *s = shadow_of(a);
	unsigned char **entry = &__mtcheck_rt_shadow[a >> REGION_SHIFT];
	unsigned char *region;

	if (s)
		return s;
	pthread_mutex_lock(&table_lock);
	region = __atomic_load_n(entry, __ATOMIC_RELAXED);
	if (!region) {
		/* untouched pages of it cost nothing (MAP_NORESERVE: nor commit charge) */
		region = map_zeroed(REGION_MAP, "a shadow region");
		__atomic_store_n(entry, region, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&table_lock);
	return (shadow_t *)&region[(a >> GRANULE_SHIFT) & (REGION_BYTES - 1)];
}

/*
 * An address above the direct range was marked: from now on the inline
 * check of every such address must take the call.  The last entry gets a
 * region of zeros that is never written: the inline check reads a byte of
 * it (any one) before it looks at the range.
 */
static void overflow_mark(void)
{
	unsigned char **entry = &__mtcheck_rt_shadow[NR_REGIONS];

	if (atomic_load_explicit(&overflow_used, memory_order_relaxed))
		return;
	pthread_mutex_lock(&table_lock);
	if (!__atomic_load_n(entry, __ATOMIC_RELAXED))
		__atomic_store_n(entry, map_zeroed(REGION_BYTES, "a shadow region"), __ATOMIC_RELEASE);
	atomic_store_explicit(&overflow_used, true, memory_order_relaxed);
	pthread_mutex_unlock(&table_lock);
}

/* ---- the sites of marked bytes: a hash table in stripes ---------------- */

/*
 * A granule's record.  Records are never freed: a granule whose last mark
 * goes returns its record to its stripe's free list, for another granule
 * of the stripe, so that the store's fast path may read a record without
 * the lock (see __mtcheck_rt_store).  All fields are written under the
 * stripe's lock; base, gen and site are atomics for that reader.
 */
struct granule {
	_Atomic uintptr_t base;
	_Atomic unsigned long gen;	/* bumped each time the record is reused */
	const struct mtcheck_rt_site *_Atomic site[GRANULE];	/* NULL: byte not marked */
	struct granule *next;
};

/*
 * Store sites' ids (mtcheck_rt.h), 1 to MAX_SITE_ID, given out in the
 * order the sites first store; the later ones have none.
 */
#define MAX_SITE_ID 255u
static atomic_uint next_site_id = 1;

/* The id of @site, given it now if it has none and some are left; 0: none. */
static unsigned char site_id(const struct mtcheck_rt_site *site)
{
	unsigned char id = 0;
	unsigned n;

	if (!site->id)
		return 0;
	id = __atomic_load_n(site->id, __ATOMIC_RELAXED);
	if (mtc_rt_likely(id))
		return id;
	n = atomic_load_explicit(&next_site_id, memory_order_relaxed);
	do {
		if (n > MAX_SITE_ID)
			return 0;
	} while (!atomic_compare_exchange_weak_explicit(&next_site_id, &n, n + 1,
							 memory_order_relaxed, memory_order_relaxed));
	/* another thread storing through the same site may have given it one */
	if (!__atomic_compare_exchange_n(site->id, &id, (unsigned char)n, false, __ATOMIC_RELAXED,
					 __ATOMIC_RELAXED))
		return id;
	return (unsigned char)n;
}

/* The id of the one site all marked bytes of @g carry, 0 when they differ or it has none. */
static unsigned char granule_site_id(const struct granule *g)
{
	const struct mtcheck_rt_site *one = NULL, *site;
	unsigned i;

	for (i = 0; i < GRANULE; i++) {
		site = atomic_load_explicit(&g->site[i], memory_order_relaxed);
		if (!site)
			continue;
		if (one && site != one)
			return 0;
		one = site;
	}
	return one && one->id ? __atomic_load_n(one->id, __ATOMIC_RELAXED) : 0;
}

struct stripe {
	pthread_mutex_t lock;
	struct granule *free;		/* records of granules without marks, for reuse */
	struct granule **buckets;
	unsigned bits;			/* log2 of the number of buckets, 0: none yet */
	size_t nr;
} __attribute__((aligned(64)));

#define STRIPE_BITS 6
#define NR_STRIPES (1u << STRIPE_BITS)
#define STRIPE_INIT { .lock = PTHREAD_MUTEX_INITIALIZER }
#define STRIPE_INIT4 STRIPE_INIT, STRIPE_INIT, STRIPE_INIT, STRIPE_INIT
#define STRIPE_INIT16 STRIPE_INIT4, STRIPE_INIT4, STRIPE_INIT4, STRIPE_INIT4
static struct stripe stripes[NR_STRIPES] = {
	STRIPE_INIT16, STRIPE_INIT16, STRIPE_INIT16, STRIPE_INIT16
};

static inline uint64_t granule_hash(uintptr_t base)
{
	return (uint64_t)(base >> GRANULE_SHIFT) * UINT64_C(0x9e3779b97f4a7c15);
}

static inline struct stripe *stripe_of(uintptr_t base)
{
	return &stripes[granule_hash(base) >> (64 - STRIPE_BITS)];
}

/* The bucket under the stripe's bits of the hash: the next bits down. */
static inline size_t bucket_of(const struct stripe *st, uintptr_t base)
{
	return (size_t)((granule_hash(base) << STRIPE_BITS) >> (64 - st->bits));
}

static void stripe_grow(struct stripe *st)
{
	unsigned old_bits = st->bits, bits = old_bits ? old_bits + 1 : 8;
	struct granule **old = st->buckets;
	size_t i, old_n = old_bits ? (size_t)1 << old_bits : 0;

	st->buckets = calloc((size_t)1 << bits, sizeof(*st->buckets));
	if (!st->buckets)
		mtc_rt_oom("the sites of marked bytes");
	st->bits = bits;
	for (i = 0; i < old_n; i++) {
		struct granule *g = old[i], *next;

		for (; g; g = next) {
			size_t b = bucket_of(st, g->base);

			next = g->next;
			g->next = st->buckets[b];
			st->buckets[b] = g;
		}
	}
	free(old);
}

/* The granule's sites, under its stripe's lock; created when create. */
static struct granule *granule_find(struct stripe *st, uintptr_t base, bool create)
{
	struct granule *g;

	if (st->bits) {
		for (g = st->buckets[bucket_of(st, base)]; g; g = g->next)
			if (g->base == base)
				return g;
	}
	if (!create)
		return NULL;
	if (!st->bits || st->nr >= ((size_t)1 << st->bits))
		stripe_grow(st);
	if (st->free) {
		g = st->free;
		st->free = g->next;
		/*
		 * The new base and sites are release stores: a lock-free
		 * reader that reads one of them (an acquire load) reads this
		 * gen or a later one after it.
		 */
		atomic_store_explicit(&g->gen, atomic_load_explicit(&g->gen, memory_order_relaxed) + 1,
				      memory_order_relaxed);
	} else {
		g = calloc(1, sizeof(*g));
		if (!g)
			mtc_rt_oom("the sites of marked bytes");
	}
	atomic_store_explicit(&g->base, base, memory_order_release);
	g->next = st->buckets[bucket_of(st, base)];
	st->buckets[bucket_of(st, base)] = g;
	st->nr++;
	return g;
}

static void granule_remove(struct stripe *st, struct granule *g)
{
	struct granule **p = &st->buckets[bucket_of(st, g->base)];

	while (*p != g)
		p = &(*p)->next;
	*p = g->next;
	st->nr--;
	g->next = st->free;
	st->free = g;
}

static unsigned char granule_bits(const struct granule *g)
{
	unsigned char bits = 0;
	unsigned i;

	for (i = 0; i < GRANULE; i++)
		if (g->site[i])
			bits |= (unsigned char)(1u << i);
	return bits;
}

/*
 * Bytes [lo, hi) of the granule at base now belong to site (NULL: they
 * are unmarked); the shadow byte follows.  Takes the stripe's lock.
 */
static void granule_set(uintptr_t base, unsigned lo, unsigned hi,
			const struct mtcheck_rt_site *site)
{
	struct stripe *st = stripe_of(base);
	struct granule *g;
	struct granule *_Atomic *slot;
	shadow_t *s = NULL;
	unsigned char bits, id = 0;
	unsigned i;

	if (site) {
		if (out_of_range(base))
			overflow_mark();
		else
			s = shadow_create(base);
	} else {
		s = shadow_of(base);
	}
	slot = s ? rec_slot(base) : NULL;
	pthread_mutex_lock(&st->lock);
	g = granule_find(st, base, site != NULL);
	if (g) {
		for (i = lo; i < hi; i++)
			atomic_store_explicit(&g->site[i], site, memory_order_release);
		bits = granule_bits(g);
		if (!bits)
			granule_remove(st, g);
		else
			id = granule_site_id(g);
		if (slot)
			atomic_store_explicit(slot, bits ? g : NULL, memory_order_release);
	} else {
		bits = 0;
	}
	if (s) {
		/*
		 * Relaxed, in any order: a store's inline check that reads them
		 * races only with changes of other bytes of the granule (a
		 * change of its own bytes would be a data race in the program),
		 * and those never make the id say a byte carries a site it
		 * does not.
		 */
		atomic_store_explicit(s + REGION_IDS, id, memory_order_relaxed);
		atomic_store_explicit(s, bits, memory_order_relaxed);
	}
	pthread_mutex_unlock(&st->lock);
}

/* The marked bytes of the granule at base among [lo, hi), appended to marks. */
static size_t granule_gather(uintptr_t base, unsigned lo, unsigned hi, size_t offset,
			     struct mtc_rt_mark *marks, size_t nr)
{
	struct stripe *st = stripe_of(base);
	struct granule *g;
	unsigned i;

	pthread_mutex_lock(&st->lock);
	g = granule_find(st, base, false);
	for (i = lo; g && i < hi; i++) {
		if (g->site[i]) {
			marks[nr].offset = offset + (i - lo);
			marks[nr].store = g->site[i];
			nr++;
		}
	}
	pthread_mutex_unlock(&st->lock);
	return nr;
}

static inline unsigned char byte_mask(unsigned lo, unsigned hi)
{
	return (unsigned char)(((1u << (hi - lo)) - 1) << lo);
}

/*
 * Walks the granules of [a, a + size) that may hold marks, calling fn for
 * each with the bytes [lo, hi) of the granule inside the range and their
 * offset from a.  Missing tables are skipped a leaf at a time; granules out
 * of the shadow's range are visited only once one was ever marked.
 */
typedef void granule_fn(uintptr_t base, unsigned lo, unsigned hi, size_t offset, void *arg);

static int base_cmp(const void *x, const void *y)
{
	uintptr_t a = *(const uintptr_t *)x, b = *(const uintptr_t *)y;

	return a < b ? -1 : a > b;
}

/*
 * The marked granules among [first, last] (first a granule's base) that
 * have no shadow byte, found in the sites' table rather than one granule
 * at a time: a long range there would be billions of granules.
 */
static void walk_overflow(uintptr_t first, uintptr_t last, uintptr_t a, granule_fn *fn, void *arg)
{
	uintptr_t *bases = NULL;
	size_t nr = 0, cap = 0, i, b;

	for (i = 0; i < NR_STRIPES; i++) {
		struct stripe *st = &stripes[i];

		pthread_mutex_lock(&st->lock);
		for (b = 0; st->bits && b < ((size_t)1 << st->bits); b++) {
			struct granule *g;

			for (g = st->buckets[b]; g; g = g->next) {
				if (g->base < first || g->base > last)
					continue;
				if (nr == cap) {
					uintptr_t *n = realloc(bases, (cap = cap ? 2 * cap : 64) * sizeof(*n));

					if (!n)
						mtc_rt_oom("a walk of marked granules");
					bases = n;
				}
				bases[nr++] = g->base;
			}
		}
		pthread_mutex_unlock(&st->lock);
	}
	qsort(bases, nr, sizeof(*bases), base_cmp);
	for (i = 0; i < nr; i++) {
		unsigned lo = bases[i] < a ? (unsigned)(a - bases[i]) : 0;
		unsigned hi = last - bases[i] >= GRANULE ? GRANULE : (unsigned)(last - bases[i]) + 1;

		fn(bases[i], lo, hi, (size_t)(bases[i] + lo - a), arg);
	}
	free(bases);
}

static void walk_marked(uintptr_t a, size_t size, granule_fn *fn, void *arg)
{
	uintptr_t last, g;

	if (!size)
		return;
	last = a + (size - 1) < a ? UINTPTR_MAX : a + (size - 1);
	for (g = a & ~(uintptr_t)(GRANULE - 1);;) {
		unsigned lo = g < a ? (unsigned)(a - g) : 0;
		unsigned hi = last - g >= GRANULE ? GRANULE : (unsigned)(last - g) + 1;
		shadow_t *s = shadow_of(g);
		uintptr_t next;

		if (s) {
			if (atomic_load_explicit(s, memory_order_relaxed) & byte_mask(lo, hi))
				fn(g, lo, hi, (size_t)(g + lo - a), arg);
			next = g + GRANULE;
		} else if (out_of_range(g)) {
			/* the rest of the range is out of the shadow's range too */
			if (!atomic_load_explicit(&overflow_used, memory_order_relaxed))
				return;
			if ((last - g) / GRANULE >= 64) {
				walk_overflow(g, last, a, fn, arg);
				return;
			}
			fn(g, lo, hi, (size_t)(g + lo - a), arg);
			next = g + GRANULE;
		} else {
			/* no shadow for the region: nothing marked up to the next one */
			next = (g | (((uintptr_t)1 << REGION_SHIFT) - 1)) + 1;
		}
		if (next == 0 || next > last)
			return;
		g = next;
	}
}

static void unmark_fn(uintptr_t base, unsigned lo, unsigned hi, size_t offset, void *arg)
{
	(void)offset;
	(void)arg;
	granule_set(base, lo, hi, NULL);
}

struct gather {
	struct mtc_rt_mark *marks;
	size_t nr, cap;
	bool heap;
};

static void gather_fn(uintptr_t base, unsigned lo, unsigned hi, size_t offset, void *arg)
{
	struct gather *gt = arg;

	if (gt->nr + GRANULE > gt->cap) {
		size_t cap = gt->cap * 2;
		struct mtc_rt_mark *m = malloc(cap * sizeof(*m));

		if (!m)
			mtc_rt_oom("the marks of a copy");
		memcpy(m, gt->marks, gt->nr * sizeof(*m));
		if (gt->heap)
			free(gt->marks);
		gt->marks = m;
		gt->cap = cap;
		gt->heap = true;
	}
	gt->nr = granule_gather(base, lo, hi, offset, gt->marks, gt->nr);
}

static void mark_range(uintptr_t a, size_t size, const struct mtcheck_rt_site *site)
{
	uintptr_t g;
	size_t done = 0;

	while (done < size) {
		unsigned lo, hi;

		g = (a + done) & ~(uintptr_t)(GRANULE - 1);
		lo = (unsigned)(a + done - g);
		hi = size - done >= GRANULE - lo ? GRANULE : lo + (unsigned)(size - done);
		granule_set(g, lo, hi, site);
		done += hi - lo;
	}
}

/* ---- the entry points ------------------------------------------------- */

/*
 * The store's fast path: a store inside one granule whose bytes all carry
 * this site already (the same statement storing again, as a loop that
 * rewrites a node's metadata does) changes nothing, and returns without
 * the lock.  It reads the granule's record as published in the region,
 * without the stripe's lock, which is safe because:
 *
 *   - records are never freed, only reused (granule_remove), so reading
 *     one is always reading valid memory;
 *   - a record reused for another granule while it was read is detected:
 *     reuse bumps gen before it writes the new base and sites (release
 *     stores), and the reader reads gen, then base and the sites (acquire
 *     loads), then gen again: a changed gen means it may have mixed two
 *     granules' data, and the store takes the slow path;
 *   - otherwise the sites it read were the granule's at that moment.  In a
 *     program without a data race on these bytes, no other thread changes
 *     their sites during this store (only a store, copy or clear of these
 *     bytes does), so they still are; with a race, the store is ordered
 *     before the other thread's, as the memory's bytes may be too.
 *
 * Only a site equal to this one (never NULL) passes, so a byte that is
 * not marked always takes the slow path.
 */
static inline bool store_unchanged(uintptr_t a, size_t size, const struct mtcheck_rt_site *site)
{
	unsigned lo = (unsigned)(a & (GRANULE - 1)), i;
	struct granule *_Atomic *slot;
	struct granule *g;
	unsigned long gen;

	if (!size || size > GRANULE - lo || !(slot = rec_slot(a)))
		return false;
	g = atomic_load_explicit(slot, memory_order_acquire);
	if (!g)
		return false;
	gen = atomic_load_explicit(&g->gen, memory_order_acquire);
	if (atomic_load_explicit(&g->base, memory_order_acquire) != (a & ~(uintptr_t)(GRANULE - 1)))
		return false;
	for (i = lo; i < lo + size; i++)
		if (atomic_load_explicit(&g->site[i], memory_order_acquire) != site)
			return false;
	return atomic_load_explicit(&g->gen, memory_order_relaxed) == gen;
}

void __mtcheck_rt_store(void *addr, size_t size, const struct mtcheck_rt_site *site)
{
	if (mtc_rt_unlikely(site->abi != MTCHECK_RT_ABI))
		mtc_rt_bad_abi(site);
	if (mtc_rt_likely(store_unchanged((uintptr_t)addr, size, site)))
		return;
	/* before its marks: they record the id in the granules */
	site_id(site);
	mark_range((uintptr_t)addr, size, site);
}

static void __attribute__((noinline)) load_slow(uintptr_t a, size_t size,
						const struct mtcheck_rt_site *site)
{
	struct mtc_rt_mark local[4 * GRANULE];
	struct gather gt = { .marks = local, .cap = sizeof(local) / sizeof(local[0]) };
	struct mtc_rt_hit hit;

	walk_marked(a, size, gather_fn, &gt);
	if (gt.nr) {
		hit.load = site;
		hit.size = size;
		memcpy(hit.value, (const void *)a, size < MTC_RT_MAX_VALUE ? size : MTC_RT_MAX_VALUE);
		hit.nr_marked = gt.nr;
		hit.marks = gt.marks;
		mtc_rt_report(&hit);
	}
	if (gt.heap)
		free(gt.marks);
}

/*
 * The common path of a wide load or clear: [a, a+size) lies in one granule
 * and no byte of it is marked.  No lock, no read-modify-write.
 */
static inline bool unmarked(uintptr_t a, size_t size)
{
	unsigned lo = (unsigned)(a & (GRANULE - 1));

	if (mtc_rt_unlikely(size > GRANULE - lo))
		return false;
	shadow_t *s = shadow_of(a);

	if (mtc_rt_likely(s != NULL)) {
		unsigned char bits = atomic_load_explicit(s, memory_order_relaxed);

		/* most granules of a watched node hold no mark at all */
		return mtc_rt_likely(!bits) || !(bits & byte_mask(lo, lo + (unsigned)size));
	}
	return mtc_rt_likely(!out_of_range(a) ||
			     !atomic_load_explicit(&overflow_used, memory_order_relaxed));
}

void __mtcheck_rt_load(const void *addr, size_t size, const struct mtcheck_rt_site *site)
{
	uintptr_t a = (uintptr_t)addr;

	if (mtc_rt_unlikely(site->abi != MTCHECK_RT_ABI))
		mtc_rt_bad_abi(site);
	if (unmarked(a, size))
		return;
	load_slow(a, size, site);
}

void __mtcheck_rt_clear(void *addr, size_t size)
{
	uintptr_t a = (uintptr_t)addr;

	if (unmarked(a, size))
		return;
	walk_marked(a, size, unmark_fn, NULL);
}

void __mtcheck_rt_copy(void *dst, const void *src, size_t size)
{
	struct mtc_rt_mark local[4 * GRANULE];
	struct gather gt = { .marks = local, .cap = sizeof(local) / sizeof(local[0]) };
	uintptr_t d = (uintptr_t)dst;
	size_t i;

	/* gathered before dst is cleared: the ranges may overlap, as memmove's */
	walk_marked((uintptr_t)src, size, gather_fn, &gt);
	__mtcheck_rt_clear(dst, size);
	for (i = 0; i < gt.nr; i++)
		mark_range(d + gt.marks[i].offset, 1, gt.marks[i].store);
	if (gt.heap)
		free(gt.marks);
}

void __mtcheck_rt_free(void *ptr)
{
	if (ptr)
		__mtcheck_rt_clear(ptr, malloc_usable_size(ptr));
}

/*
 * The shadow read a word (uintptr_t, which every target loads atomically)
 * at a time, for __mtcheck_rt_unmarked_range: a region's shadow is one
 * mapping whose size is a multiple of the word, so the aligned word
 * around any of its bytes is readable.  may_alias: the bytes are written
 * as shadow_t.
 */
typedef uintptr_t __attribute__((may_alias)) shadow_word;
#define WORD sizeof(shadow_word)

/*
 * Masks of a word's bytes in memory order: the bytes from offset k on
 * (0 <= k < WORD), and the first k bytes (0 < k <= WORD).
 */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define BYTES_FROM(k) (~(uintptr_t)0 >> (8 * (k)))
#define BYTES_BEFORE(k) (~(uintptr_t)0 << (8 * (WORD - (k))))
#else
#define BYTES_FROM(k) (~(uintptr_t)0 << (8 * (k)))
#define BYTES_BEFORE(k) (~(uintptr_t)0 >> (8 * (WORD - (k))))
#endif

/* Whether the shadow bytes first to last (inclusive) are all zero. */
static inline bool shadow_clear(const shadow_t *first, const shadow_t *last)
{
	uintptr_t a = (uintptr_t)first, z = (uintptr_t)last;
	uintptr_t w = a & ~(uintptr_t)(WORD - 1), wz = z & ~(uintptr_t)(WORD - 1);
	uintptr_t v = __atomic_load_n((const shadow_word *)w, __ATOMIC_RELAXED) & BYTES_FROM(a - w);

	while (w != wz) {
		if (v)
			return false;
		w += WORD;
		v = __atomic_load_n((const shadow_word *)w, __ATOMIC_RELAXED);
	}
	return !(v & BYTES_BEFORE(z - wz + 1));
}

/* The shadow bytes of the granules from a's to last's, both in one region. */
static inline bool region_clear(shadow_t *region, uintptr_t a, uintptr_t last)
{
	return shadow_clear(&region[(a >> GRANULE_SHIFT) & (REGION_BYTES - 1)],
			    &region[(last >> GRANULE_SHIFT) & (REGION_BYTES - 1)]);
}

/* __mtcheck_rt_unmarked_range() for a range across regions, or out of the shadow's. */
static int __attribute__((noinline)) unmarked_range_slow(uintptr_t a, size_t size)
{
	uintptr_t last, g;

	if (!size)
		return 1;
	if (size > MTCHECK_RT_RANGE_MAX || a + (size - 1) < a)
		return 0;
	last = a + (size - 1);
	for (g = a;;) {
		if (out_of_range(g))
			/* marks up there are in the sites' table only */
			return !atomic_load_explicit(&overflow_used, memory_order_relaxed);
		shadow_t *region = region_of(g);
		uintptr_t end = g | (((uintptr_t)1 << REGION_SHIFT) - 1);

		if (region && !region_clear(region, g, end < last ? end : last))
			return 0;
		if (end >= last)
			return 1;
		g = end + 1;
	}
}

int __mtcheck_rt_unmarked_range(const void *addr, size_t size)
{
	uintptr_t a = (uintptr_t)addr, last = a + (size - 1);

	/* the common case, a node's slots: one region, and a size within the limit */
	if (mtc_rt_likely(size - 1 < MTCHECK_RT_RANGE_MAX &&
			  (a >> REGION_SHIFT) == (last >> REGION_SHIFT) && !out_of_range(a))) {
		shadow_t *region = region_of(a);

		return !region || region_clear(region, a, last);
	}
	return unmarked_range_slow(a, size);
}

/*
 * fork() in a threaded program: the child must not inherit a lock another
 * thread held.  No path holds two of these locks at once, so any order
 * works; the child then finds the shadow as the parent had it.
 */
static void fork_prepare(void)
{
	unsigned i;

	pthread_mutex_lock(&table_lock);
	for (i = 0; i < NR_STRIPES; i++)
		pthread_mutex_lock(&stripes[i].lock);
}

static void fork_done(void)
{
	unsigned i;

	for (i = NR_STRIPES; i-- > 0;)
		pthread_mutex_unlock(&stripes[i].lock);
	pthread_mutex_unlock(&table_lock);
}

static void __attribute__((constructor)) shadow_init(void)
{
	pthread_atfork(fork_prepare, fork_done, fork_done);
}

/* ---- for the run-time's tests ------------------------------------------ */

uint64_t mtc_rt_marked_bytes(const void *addr, size_t size, const struct mtcheck_rt_site **sites)
{
	struct mtc_rt_mark local[64 + GRANULE];
	struct gather gt = { .marks = local, .cap = sizeof(local) / sizeof(local[0]) };
	uint64_t bits = 0;
	size_t i;

	if (size > 64)
		size = 64;
	if (sites)
		memset(sites, 0, size * sizeof(*sites));
	walk_marked((uintptr_t)addr, size, gather_fn, &gt);
	for (i = 0; i < gt.nr; i++) {
		bits |= UINT64_C(1) << gt.marks[i].offset;
		if (sites)
			sites[gt.marks[i].offset] = gt.marks[i].store;
	}
	if (gt.heap)
		free(gt.marks);
	return bits;
}
