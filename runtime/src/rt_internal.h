/* SPDX-License-Identifier: MIT */
#ifndef MTCHECK_RT_INTERNAL_H
#define MTCHECK_RT_INTERNAL_H
/*
 * What the run-time's files share: the shadow (rt_shadow.c) hands the
 * bytes a wide load found marked to the reporter (rt_report.c), which
 * owns the options, the once-per-pair memory and the output.
 *
 * Every symbol here is prefixed mtc_rt_ and hidden from programs that
 * link libmtcheck_rt.a only by convention: the archive is linked into
 * instrumented programs, whose own names must not collide with ours.
 */
#include <stddef.h>
#include <stdint.h>

#include "mtcheck_rt.h"

#define MTC_RT_HIDDEN __attribute__((visibility("hidden")))

#if defined(__GNUC__)
#define mtc_rt_likely(x) __builtin_expect(!!(x), 1)
#define mtc_rt_unlikely(x) __builtin_expect(!!(x), 0)
#else
#define mtc_rt_likely(x) (x)
#define mtc_rt_unlikely(x) (x)
#endif

/* The largest wide load whose value a report prints (bigger ones: the first bytes). */
#define MTC_RT_MAX_VALUE 32

/* One wide load that read marked bytes, as the shadow found it. */
struct mtc_rt_hit {
	const struct mtcheck_rt_site *load;
	size_t size;				/* bytes loaded */
	unsigned char value[MTC_RT_MAX_VALUE];	/* the first min(size, MTC_RT_MAX_VALUE) bytes, in memory order */
	size_t nr_marked;
	/* per marked byte: its offset in the load and the store site that wrote it */
	struct mtc_rt_mark {
		size_t offset;
		const struct mtcheck_rt_site *store;
	} *marks;
};

/* Report a hit, unless each of its (load, store) pairs was reported already. */
MTC_RT_HIDDEN void mtc_rt_report(const struct mtc_rt_hit *hit);

/* A site whose abi field this library does not know: one message, exit 2. */
MTC_RT_HIDDEN _Noreturn void mtc_rt_bad_abi(const struct mtcheck_rt_site *site);

/* Out of memory in the run-time itself: one message, exit 2. */
MTC_RT_HIDDEN _Noreturn void mtc_rt_oom(const char *what);

/*
 * For the run-time's own tests: bit i of the result says whether byte
 * addr + i (i < size <= 64) is marked, and *sites[i] (when sites is not
 * NULL) which store site marked it.
 */
uint64_t mtc_rt_marked_bytes(const void *addr, size_t size,
			     const struct mtcheck_rt_site **sites);

#endif /* MTCHECK_RT_INTERNAL_H */
