// SPDX-License-Identifier: MIT
/*
 * The overlap sweep: every wide leaf run of one union member against the
 * narrower runs of another.
 *
 * Positions are handled in "allocation bits": bit 8 * byte for whole
 * scalars, and the allocation-order bit offset for bitfields.  In that
 * numbering the significance of a narrow scalar inside a wide one has one
 * closed form for both byte orders (see value_shift()), so bitfields and
 * bytes need no separate code.
 *
 * Arrays are not expanded into leaves.  A leaf "run" is one scalar repeated
 * at a fixed stride (the outermost array on its path, with any arrays of
 * scalars below it folded in); overlapping instances are found by division,
 * and wide instances that overlap alike are counted, not reported one by
 * one.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analysis_internal.h"
#include "internal.h"

static uint64_t signature_hash(const struct hit *h, size_t n)
{
	uint64_t x = 1469598103934665603ull;

	for (size_t i = 0; i < n; i++) {
		x = (x ^ h[i].run) * 1099511628211ull;
		x = (x ^ (uint64_t)h[i].rel) * 1099511628211ull;
	}
	return x;
}

static bool same_signature(const struct family *f, const struct hit *h, size_t n)
{
	if (f->nr_hits != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (f->hits[i].run != h[i].run || f->hits[i].rel != h[i].rel)
			return false;
	return true;
}

static int cmp_hit(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	if (x->rel != y->rel)
		return x->rel < y->rel ? -1 : 1;
	return x->run < y->run ? -1 : x->run > y->run;
}

static uint64_t div_floor(int64_t a, uint64_t b)
{
	/* a may be negative: floor toward minus infinity, clamped at 0 below */
	if (a < 0)
		return 0;
	return (uint64_t)a / b;
}

/* Count instance @i of the wide run under the family of its hits. */
static int record_family(struct family_set *fs, struct hit *hits, size_t nh, uint64_t i)
{
	qsort(hits, nh, sizeof(*hits), cmp_hit);
	uint64_t hsh = signature_hash(hits, nh);

	for (size_t k = 0; k < fs->n; k++)
		if (fs->v[k].hash == hsh && same_signature(&fs->v[k], hits, nh)) {
			fs->v[k].count++;
			if (fs->nr_touched < 8)
				fs->touched[fs->nr_touched] = k;
			fs->nr_touched++;
			return 0;
		}
	if (fs->n == fs->cap) {
		size_t ncap = fs->cap ? fs->cap * 2 : 8;
		struct family *nv = realloc(fs->v, ncap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		fs->v = nv;
		fs->cap = ncap;
	}
	struct family *fam = &fs->v[fs->n];

	fam->hits = malloc(nh * sizeof(*hits));
	if (!fam->hits)
		return -ENOMEM;
	memcpy(fam->hits, hits, nh * sizeof(*hits));
	fam->nr_hits = nh;
	fam->first = i;
	fam->count = 1;
	fam->hash = hsh;
	if (fs->nr_touched < 8)
		fs->touched[fs->nr_touched] = fs->n;
	fs->nr_touched++;
	fs->n++;
	return 0;
}

static bool any_dependent(const struct leaf_run *P, const struct run_list *nl,
			  const struct hit *hits, size_t nh)
{
	for (size_t k = 0; k < nh; k++)
		if (2 * hits[k].rel + (int64_t)nl->v[hits[k].run].bits != (int64_t)P->bits)
			return true;
	return false;
}

/* "3:1/7:0/" -> {3,1},{7,0}: which alternative of which nested union. */
struct choice {
	unsigned id, alt;
};

#define MAX_CHOICES 8		/* nested unions on one leaf's path that are told apart */
#define MAX_VIEW_UNIONS 16	/* nested unions among the hits on one wide scalar */
#define MAX_COMBINATIONS 256

static size_t parse_view(const char *v, struct choice *out)
{
	size_t n = 0;

	while (*v && n < MAX_CHOICES) {
		char *end;

		out[n].id = (unsigned)strtoul(v, &end, 10);
		if (*end != ':')
			break;
		out[n].alt = (unsigned)strtoul(end + 1, &end, 10);
		n++;
		v = *end == '/' ? end + 1 : end;
	}
	return n;
}

/*
 * Split the hits on one wide instance into views: leaves in different
 * alternatives of a nested union (in6_u.u6_addr8[0] and in6_u.u6_addr16[0])
 * never hold values together, so each combination of alternatives is its
 * own overlay.  Two leaves belong together when they pick the same
 * alternative of every nested union they both sit in; leaves outside nested
 * unions belong to every view.
 */
static int group_views(struct walk *w, struct family_set *fs, const struct leaf_run *P,
		       const struct run_list *nl, struct hit *hits, size_t nh, uint64_t i,
		       struct hit **scratch, size_t *scratch_cap)
{
	struct choice (*views)[MAX_CHOICES] = NULL;
	size_t *nviews = NULL;
	unsigned ids[MAX_VIEW_UNIONS], alts[MAX_VIEW_UNIONS][MAX_COMBINATIONS];
	size_t nids = 0, nalts[MAX_VIEW_UNIONS] = {0}, combos = 1;
	unsigned char *sets = NULL;	/* membership of each kept combination */
	size_t nsets = 0;
	bool any = false, too_many = false;
	int ret = 0;

	for (size_t k = 0; k < nh && !any; k++)
		any = nl->v[hits[k].run].view[0] != '\0';
	if (!any) {
		if (any_dependent(P, nl, hits, nh) && (ret = record_family(fs, hits, nh, i)))
			w->err = ret;
		return ret;
	}
	views = malloc(nh * sizeof(*views));
	nviews = malloc(nh * sizeof(*nviews));
	if (!views || !nviews)
		goto oom;
	/* the nested unions met, and the alternatives the hits use in each */
	for (size_t k = 0; k < nh; k++) {
		nviews[k] = parse_view(nl->v[hits[k].run].view, views[k]);
		for (size_t c = 0; c < nviews[k]; c++) {
			size_t u = 0, a = 0;

			while (u < nids && ids[u] != views[k][c].id)
				u++;
			if (u == nids) {
				if (nids == MAX_VIEW_UNIONS) {
					too_many = true;
					continue;
				}
				ids[nids++] = views[k][c].id;
			}
			while (a < nalts[u] && alts[u][a] != views[k][c].alt)
				a++;
			if (a == nalts[u])
				alts[u][nalts[u]++] = views[k][c].alt;
		}
	}
	for (size_t u = 0; u < nids && !too_many; u++) {
		combos *= nalts[u];
		if (combos > MAX_COMBINATIONS)
			too_many = true;
	}
	if (too_many)
		combos = 1;	/* too many to tell apart: report them together */
	sets = calloc(combos, nh);
	if (!sets)
		goto oom;
	for (size_t c = 0; c < combos; c++) {
		unsigned char *set = sets + nsets * nh;
		size_t r = c, members = 0;
		unsigned pick[MAX_VIEW_UNIONS];

		for (size_t u = 0; u < nids; u++) {
			pick[u] = alts[u][too_many ? 0 : r % nalts[u]];
			r /= nalts[u] ? nalts[u] : 1;
		}
		for (size_t k = 0; k < nh; k++) {
			bool fits = true;

			for (size_t v = 0; v < nviews[k] && fits && !too_many; v++)
				for (size_t u = 0; u < nids; u++)
					if (ids[u] == views[k][v].id && pick[u] != views[k][v].alt)
						fits = false;
			set[k] = fits;
			members += fits;
		}
		/* keep each distinct set once, and only the largest of nested ones */
		bool drop = !members;

		for (size_t o = 0; o < nsets && !drop; o++) {
			const unsigned char *other = sets + o * nh;
			bool sub = true, super = true;

			for (size_t k = 0; k < nh; k++) {
				if (set[k] && !other[k])
					sub = false;
				if (other[k] && !set[k])
					super = false;
			}
			if (sub)
				drop = true;
			else if (super)
				memset(sets + o * nh, 0, nh);	/* emptied: skipped below */
		}
		if (!drop)
			nsets++;
	}
	if (*scratch_cap < nh) {
		struct hit *n = realloc(*scratch, nh * sizeof(*n));

		if (!n)
			goto oom;
		*scratch = n;
		*scratch_cap = nh;
	}
	for (size_t o = 0; o < nsets && !ret; o++) {
		size_t n = 0;

		for (size_t k = 0; k < nh; k++)
			if (sets[o * nh + k])
				(*scratch)[n++] = hits[k];
		if (n && any_dependent(P, nl, *scratch, n))
			ret = record_family(fs, *scratch, n, i);
	}
	free(sets);
	free(views);
	free(nviews);
	if (ret)
		w->err = ret;
	return ret;
oom:
	free(sets);
	free(views);
	free(nviews);
	return w->err = -ENOMEM;
}

/*
 * Skipping alike array elements.  Where a wide run's element lies wholly
 * inside every narrow run it meets (or wholly outside it), the narrow
 * elements it overlaps repeat with a period of L wide elements, L the
 * least common multiple of stride_q / gcd(stride_p, stride_q); so once L
 * elements of such a stretch are analysed, the rest of the stretch only
 * adds to their families' counts.  The state of a wide element against a
 * narrow run only grows along the array (below, entering, inside,
 * leaving, above), so a stretch ends where a binary search says.
 */
enum { Q_BELOW, Q_ENTERING, Q_INSIDE, Q_LEAVING, Q_ABOVE };

#define MAX_PERIOD 4096

static int q_state(const struct leaf_run *P, const struct leaf_run *Q, uint64_t i)
{
	uint64_t ws = P->alloc + i * P->stride, we = ws + P->bits;
	uint64_t q_end = Q->alloc + (Q->count - 1) * Q->stride + Q->bits;

	if (we <= Q->alloc)
		return Q_BELOW;
	if (ws >= q_end)
		return Q_ABOVE;
	if (Q->count == 1)
		return Q_ENTERING;
	/* no narrow element it overlaps is before the first or after the last */
	bool from_first = (int64_t)(ws + 1) - (int64_t)Q->bits - (int64_t)Q->alloc >
			  -(int64_t)Q->stride;
	bool to_last = we - 1 - Q->alloc < Q->count * Q->stride;

	if (from_first && to_last)
		return Q_INSIDE;
	return from_first ? Q_LEAVING : Q_ENTERING;
}

/* The last element from @i on whose state against @Q is still @state. */
static uint64_t last_in_state(const struct leaf_run *P, const struct leaf_run *Q, uint64_t i,
			      int state)
{
	uint64_t lo = i, hi = P->count - 1;

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo + 1) / 2;

		if (q_state(P, Q, mid) == state)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

static uint64_t gcd64(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/* The period of the overlaps of @P's elements, 0 when none is worth using. */
static uint64_t overlap_period(const struct walk *w, const struct leaf_run *P,
			       const struct run_list *nl, const size_t *cand, size_t nc)
{
	uint64_t L = 1;

	if (w->conf->count_each_element || P->count < 4 || !P->stride)
		return 0;
	for (size_t c = 0; c < nc; c++) {
		const struct leaf_run *Q = &nl->v[cand[c]];

		if (Q->count == 1)
			continue;
		uint64_t lq = Q->stride / gcd64(P->stride, Q->stride);

		L = L / gcd64(L, lq) * lq;
		if (L > MAX_PERIOD)
			return 0;
	}
	return L;
}

/* Wide scalars of @wl against narrower scalars of @nl. */
void an_overlay(struct walk *w, const struct run_list *wl, unsigned wi_alt,
		    const struct run_list *nl, unsigned ni_alt)
{
	struct hit *hits = NULL;
	size_t cap = 0;
	struct family_set fs = {0};
	struct hit *scratch = NULL;
	size_t scratch_cap = 0;
	int *state = NULL;
	struct ring_slot {
		size_t fam[8];
		size_t n;
	} *ring = NULL;
	size_t *cand = malloc((nl->n ? nl->n : 1) * sizeof(*cand));

	if (!cand) {
		w->err = -ENOMEM;
		return;
	}
	for (size_t p = 0; p < wl->n && !w->err; p++) {
		const struct leaf_run *P = &wl->v[p];
		uint64_t p_end = P->alloc + (P->count - 1) * P->stride + P->bits;
		size_t nc = 0;

		for (size_t q = 0; q < nl->n; q++) {
			const struct leaf_run *Q = &nl->v[q];
			uint64_t q_end = Q->alloc + (Q->count - 1) * Q->stride + Q->bits;

			if (Q->bits > P->bits || Q->alloc >= p_end || q_end <= P->alloc)
				continue;
			cand[nc++] = q;
		}
		if (!nc)
			continue;
		fs.n = 0;
		/* the stretch of alike elements, and the families of its last L */
		uint64_t L = overlap_period(w, P, nl, cand, nc), stretch = 0;
		bool ring_ok = false;

		if (L && (!(state = realloc(state, nc * sizeof(*state))) ||
			  !(ring = realloc(ring, L * sizeof(*ring))))) {
			w->err = -ENOMEM;
			goto out;
		}
		for (uint64_t i = 0; i < P->count && !w->err; i++) {
			uint64_t ws = P->alloc + i * P->stride, we = ws + P->bits;
			size_t nh = 0;
			bool alike = L > 0;

			for (size_t c = 0; c < nc && L; c++) {
				int st = q_state(P, &nl->v[cand[c]], i);

				if (i == 0 || st != state[c]) {
					state[c] = st;
					stretch = i;
					ring_ok = true;
				}
				if (st == Q_ENTERING || st == Q_LEAVING)
					alike = false;
			}
			fs.nr_touched = 0;

			for (size_t c = 0; c < nc; c++) {
				const struct leaf_run *Q = &nl->v[cand[c]];
				uint64_t j0, j1;

				if (Q->count == 1) {
					j0 = 0;
					j1 = 0;
				} else {
					j0 = ws + 1 > Q->alloc + Q->bits
						     ? div_floor((int64_t)(ws + 1 - Q->bits - Q->alloc) +
									 (int64_t)Q->stride - 1,
								 Q->stride)
						     : 0;
					j1 = div_floor((int64_t)we - 1 - (int64_t)Q->alloc, Q->stride);
					if (j1 >= Q->count)
						j1 = Q->count - 1;
				}
				for (uint64_t j = j0; j <= j1; j++) {
					uint64_t qs = Q->alloc + j * Q->stride;

					if (qs >= we || qs + Q->bits <= ws)
						continue;
					/* the same bits read as the same type width: not an overlay */
					if (Q->bits == P->bits && (qs == ws || wi_alt > ni_alt))
						continue;
					if (nh == cap) {
						size_t ncap = cap ? cap * 2 : 16;
						struct hit *nhp = realloc(hits, ncap * sizeof(*nhp));

						if (!nhp) {
							w->err = -ENOMEM;
							goto out;
						}
						hits = nhp;
						cap = ncap;
					}
					int64_t rel = (int64_t)qs - (int64_t)ws;

					hits[nh++] = (struct hit){ cand[c], j, rel };
				}
			}
			if (nh && group_views(w, &fs, P, nl, hits, nh, i, &scratch, &scratch_cap))
				goto out;
			if (!alike)
				continue;
			struct ring_slot *slot = &ring[(i - stretch) % L];

			if (fs.nr_touched > 8)
				ring_ok = false;
			slot->n = fs.nr_touched;
			memcpy(slot->fam, fs.touched, (fs.nr_touched <= 8 ? fs.nr_touched : 0) *
							      sizeof(*slot->fam));
			if (!ring_ok || i + 1 - stretch < L)
				continue;
			/* L alike elements seen: count the rest of the stretch */
			uint64_t end = P->count - 1;

			for (size_t c = 0; c < nc; c++) {
				uint64_t e = last_in_state(P, &nl->v[cand[c]], i, state[c]);

				if (e < end)
					end = e;
			}
			if (end <= i)
				continue;
			uint64_t m = end - i, base = (i + 1 - stretch) % L;

			for (uint64_t r = 0; r < L; r++) {
				uint64_t n = m / L + ((r + L - base) % L < m % L ? 1 : 0);

				for (size_t k = 0; k < ring[r].n; k++)
					fs.v[ring[r].fam[k]].count += n;
			}
			i = end;
		}
		for (size_t k = 0; k < fs.n && !w->err; k++)
			an_report_family(w, P, nl, &fs.v[k]);
		for (size_t k = 0; k < fs.n; k++)
			free(fs.v[k].hits);
		fs.n = 0;
	}
out:
	for (size_t k = 0; k < fs.n; k++)
		free(fs.v[k].hits);
	free(fs.v);
	free(hits);
	free(scratch);
	free(state);
	free(ring);
	free(cand);
}

