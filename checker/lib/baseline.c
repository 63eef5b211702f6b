// SPDX-License-Identifier: MIT
/*
 * Baselines: this run's findings against an earlier report's (see
 * report.h, mtc_baseline_compare()).  A policy stage: it reads findings
 * and sets their state, it never looks at their words.
 *
 * Findings pair by fingerprint (rule, record, wide and narrow paths), so a
 * finding whose lines moved stays the same finding.  Two findings may
 * share a fingerprint (two headers that each declare their own `union u`,
 * or one record laid out for two targets), so pairing runs in three
 * passes, each over what the one before left: the same fingerprint, file
 * and targets; the same fingerprint and file; the same fingerprint.  Each
 * baseline finding pairs at most once.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "mtcheck/report.h"
#include "strbuf.h"

static const char *const state_names[] = {
	[MTC_BASELINE_NONE] = "none",
	[MTC_BASELINE_NEW] = "new",
	[MTC_BASELINE_UNCHANGED] = "unchanged",
	[MTC_BASELINE_ABSENT] = "absent",
};

const char *mtc_baseline_state_name(enum mtc_baseline_state s)
{
	return s <= MTC_BASELINE_ABSENT ? state_names[s] : "?";
}

int mtc_baseline_state_parse(const char *s, enum mtc_baseline_state *out)
{
	for (int i = MTC_BASELINE_NEW; i <= MTC_BASELINE_ABSENT; i++)
		if (!strcmp(s, state_names[i])) {
			*out = (enum mtc_baseline_state)i;
			return 0;
		}
	return -EINVAL;
}

enum pass { SAME_TARGETS, SAME_FILE, FINGERPRINT_ONLY };

/* The key two findings must share to pair in @pass; malloc'd or NULL. */
static char *pair_key(const struct mtc_finding *f, enum pass pass)
{
	char *fp = mtc_finding_fingerprint(f);
	struct strbuf sb;

	if (!fp)
		return NULL;
	sb_init(&sb);
	sb_add(&sb, fp);
	free(fp);
	if (pass <= SAME_FILE)
		sb_addf(&sb, "\x1f%s", f->loc.file ? f->loc.file : "");
	if (pass == SAME_TARGETS)
		for (size_t i = 0; i < f->nr_targets; i++)
			sb_addf(&sb, "\x1f%s/%u/%s", mtc_endian_name(f->targets[i].endian),
				f->targets[i].pointer_bits, f->targets[i].triple);
	return sb_detach(&sb);
}

struct entry {
	char *key;
	size_t idx;		/* in the baseline */
};

static int cmp_entry(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;
	int c = strcmp(a->key, b->key);

	/* the baseline's order among equal keys: the first unpaired pairs first */
	return c ? c : a->idx < b->idx ? -1 : a->idx > b->idx;
}

/*
 * One pass: pair each unpaired finding of @fs with the first unpaired
 * baseline finding of the same key.  @paired marks baseline findings.
 */
static int pair(struct mtc_findings *fs, const struct mtc_findings *base, bool *paired,
		enum pass pass)
{
	size_t nb = mtc_findings_count(base), ne = 0;
	struct entry *e = calloc(nb ? nb : 1, sizeof(*e));
	int ret = -ENOMEM;

	if (!e)
		return -ENOMEM;
	for (size_t i = 0; i < nb; i++) {
		if (paired[i])
			continue;
		if (!(e[ne].key = pair_key(mtc_findings_at(base, i), pass)))
			goto out;
		e[ne++].idx = i;
	}
	qsort(e, ne, sizeof(*e), cmp_entry);
	for (size_t i = 0; i < mtc_findings_count(fs); i++) {
		struct mtc_finding *f = mtc_findings_get(fs, i);

		if (f->baseline == MTC_BASELINE_UNCHANGED)
			continue;
		struct entry want = { .key = pair_key(f, pass), .idx = 0 };

		if (!want.key)
			goto out;
		/* the lowest index of this key, then the first of them still free */
		size_t lo = 0, hi = ne;

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (cmp_entry(&e[mid], &want) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < ne && !strcmp(e[lo].key, want.key); lo++)
			if (!paired[e[lo].idx]) {
				paired[e[lo].idx] = true;
				f->baseline = MTC_BASELINE_UNCHANGED;
				break;
			}
		free(want.key);
	}
	ret = 0;
out:
	for (size_t i = 0; i < ne; i++)
		free(e[i].key);
	free(e);
	return ret;
}

static bool not_absent(const struct mtc_finding *f, size_t i, void *arg)
{
	(void)i;
	(void)arg;
	return f->baseline != MTC_BASELINE_ABSENT;
}

int mtc_baseline_compare(struct mtc_findings *fs, const struct mtc_findings *baseline,
			 struct mtc_error *err)
{
	size_t nb = mtc_findings_count(baseline);
	bool *paired = calloc(nb ? nb : 1, sizeof(*paired));
	int ret = -ENOMEM, nr_new = 0;

	if (!paired || mtc_findings_retain(fs, not_absent, NULL))
		goto out;
	/* what the baseline report itself had as absent was not found then either */
	for (size_t i = 0; i < nb; i++)
		paired[i] = mtc_findings_at(baseline, i)->baseline == MTC_BASELINE_ABSENT;
	for (size_t i = 0; i < mtc_findings_count(fs); i++)
		mtc_findings_get(fs, i)->baseline = MTC_BASELINE_NEW;
	for (enum pass p = SAME_TARGETS; p <= FINGERPRINT_ONLY; p++)
		if (pair(fs, baseline, paired, p))
			goto out;
	for (size_t i = 0; i < mtc_findings_count(fs); i++)
		nr_new += mtc_findings_at(fs, i)->baseline == MTC_BASELINE_NEW;
	for (size_t i = 0; i < nb; i++) {
		if (paired[i])
			continue;
		struct mtc_finding *d = mtc_finding_dup(mtc_findings_at(baseline, i));

		if (!d || mtc_findings_append(fs, d))
			goto out;
		d->baseline = MTC_BASELINE_ABSENT;
	}
	mtc_findings_sort(fs);
	ret = nr_new;
out:
	free(paired);
	if (ret < 0)
		mtc_error_set(err, ret, "out of memory comparing with the baseline");
	return ret;
}
