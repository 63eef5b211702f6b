/* SPDX-License-Identifier: MIT */
#ifndef MAPLE_TEST_UTIL_H
#define MAPLE_TEST_UTIL_H
/*
 * Shared by the engine tests: a reference model of a range map (a sorted
 * array of disjoint ranges), a seeded PRNG, and an allocation-failure hook.
 */
#include "maple_tree.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct model_range {
	unsigned long first;
	unsigned long last;
	void *entry;
};

struct model {
	struct model_range *r;
	size_t n, cap;
};

static inline void model_init(struct model *m)
{
	memset(m, 0, sizeof(*m));
}

static inline void model_free(struct model *m)
{
	free(m->r);
	memset(m, 0, sizeof(*m));
}

/* First range whose last index is >= @index. */
static inline size_t model_lower(const struct model *m, unsigned long index)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->r[mid].last < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static inline void model_store(struct model *m, unsigned long first,
			       unsigned long last, void *entry)
{
	struct model_range add[3];
	size_t i = model_lower(m, first), j = i, nadd = 0;

	while (j < m->n && m->r[j].first <= last)
		j++;
	if (j > i && m->r[i].first < first)
		add[nadd++] = (struct model_range){ m->r[i].first, first - 1,
						    m->r[i].entry };
	if (entry)
		add[nadd++] = (struct model_range){ first, last, entry };
	if (j > i && m->r[j - 1].last > last)
		add[nadd++] = (struct model_range){ last + 1, m->r[j - 1].last,
						    m->r[j - 1].entry };
	if (m->n - (j - i) + nadd > m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		m->r = realloc(m->r, m->cap * sizeof(*m->r));
		if (!m->r)
			abort();
	}
	if (m->n > j)
		memmove(m->r + i + nadd, m->r + j, (m->n - j) * sizeof(*m->r));
	if (nadd)
		memcpy(m->r + i, add, nadd * sizeof(*m->r));
	m->n = m->n - (j - i) + nadd;
}

/* Entry at @index and the bounds of the range (or hole) holding it. */
static inline void *model_range_at(const struct model *m, unsigned long index,
				   unsigned long *lo, unsigned long *hi)
{
	size_t i = model_lower(m, index);

	if (i < m->n && m->r[i].first <= index) {
		*lo = m->r[i].first;
		*hi = m->r[i].last;
		return m->r[i].entry;
	}
	*lo = i ? m->r[i - 1].last + 1 : 0;
	*hi = i < m->n ? m->r[i].first - 1 : ULONG_MAX;
	return NULL;
}

static inline void *model_load(const struct model *m, unsigned long index)
{
	unsigned long lo, hi;

	return model_range_at(m, index, &lo, &hi);
}

static inline bool model_is_free(const struct model *m, unsigned long first,
				 unsigned long last)
{
	size_t i = model_lower(m, first);

	return i == m->n || m->r[i].first > last;
}

/* Lowest (!rev) or highest free run of @size in [min, max]. */
static inline int model_gap(const struct model *m, unsigned long min,
			    unsigned long max, unsigned long size, bool rev,
			    unsigned long *index, unsigned long *last)
{
	size_t g, ngaps = m->n + 1;

	if (min > max || !size || max - min < size - 1)
		return -EINVAL;
	for (g = 0; g < ngaps; g++) {
		size_t k = rev ? ngaps - 1 - g : g;
		unsigned long glo, ghi, lo, hi;

		if (k < m->n && k > 0) {
			glo = m->r[k - 1].last + 1;
			if (m->r[k].first == glo)
				continue;
			ghi = m->r[k].first - 1;
		} else if (k == 0) {
			glo = 0;
			if (m->n && m->r[0].first == 0)
				continue;
			ghi = m->n ? m->r[0].first - 1 : ULONG_MAX;
		} else {
			if (m->r[k - 1].last == ULONG_MAX)
				continue;
			glo = m->r[k - 1].last + 1;
			ghi = ULONG_MAX;
		}
		lo = glo > min ? glo : min;
		hi = ghi < max ? ghi : max;
		if (lo > hi || hi - lo < size - 1)
			continue;
		if (rev) {
			*last = hi;
			*index = hi - size + 1;
		} else {
			*index = lo;
			*last = lo + size - 1;
		}
		return 0;
	}
	return -EBUSY;
}

/* Every range of the tree, in order, against the model. */
static inline bool model_matches_tree(const struct model *m,
				      struct maple_tree *mt)
{
	MA_STATE(mas, mt, 0, 0);
	size_t i = 0;
	void *entry;
	bool ok = true;

	mas_lock(&mas);
	mas_for_each(&mas, entry, ULONG_MAX) {
		if (i >= m->n || m->r[i].first != mas.index ||
		    m->r[i].last != mas.last || m->r[i].entry != entry) {
			fprintf(stderr, "model mismatch at range %zu: tree "
				"[%lx, %lx] %p\n", i, mas.index, mas.last, entry);
			if (i < m->n)
				fprintf(stderr, "  model [%lx, %lx] %p\n",
					m->r[i].first, m->r[i].last,
					m->r[i].entry);
			ok = false;
			break;
		}
		i++;
		if (mas.last == ULONG_MAX)
			break;
	}
	mas_unlock(&mas);
	if (ok && i != m->n) {
		fprintf(stderr, "model has %zu ranges, tree %zu\n", m->n, i);
		ok = false;
	}
	return ok;
}

/* xorshift64*: reproducible from the seed printed on failure. */
static inline uint64_t rnd_next(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static inline unsigned long rnd_below(uint64_t *state, unsigned long n)
{
	return n ? (unsigned long)(rnd_next(state) % n) : 0;
}

/* Fail node allocations: the first @after succeed, then all fail. */
struct fail_after {
	long after;
	bool nowait_only;	/* fail only allocations that may not block */
	unsigned long failed;
};

static inline bool fail_after_hook(gfp_t gfp, void *data)
{
	struct fail_after *f = data;

	if (f->nowait_only && gfpflags_allow_blocking(gfp))
		return false;
	if (f->after > 0) {
		f->after--;
		return false;
	}
	f->failed++;
	return true;
}

#endif /* MAPLE_TEST_UTIL_H */
