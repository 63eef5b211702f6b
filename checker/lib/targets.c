// SPDX-License-Identifier: MIT
/*
 * Several targets: the same sources laid out for little- and big-endian
 * machines, compared.
 *
 * The findings of each target are grouped by record, wide path and the set
 * of narrow paths.  In a group that holds both byte orders, each narrow
 * member's bits of the wide value are compared as each target really lays
 * them out (little-endian bits on a little-endian target, big-endian bits
 * on a big-endian one): when they agree everywhere, the source already
 * adapts to byte order (#if __BYTE_ORDER__ ...) and nothing is reported;
 * when they differ, one finding names every target, confirmed by layout.
 * An overlay of narrow members that some targets where the record exists
 * do not have at all is target-dependent (MT010).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "mtcheck/analysis.h"
#include "strbuf.h"

struct record_set {
	char **names;		/* sorted after mtc_multi_combine starts */
	size_t n, cap;
};

struct mtc_multi {
	size_t nr_targets;
	struct mtc_target *targets;
	struct mtc_findings **findings;
	struct record_set *records;
	pthread_mutex_t lock;
};

struct mtc_multi *mtc_multi_new(const struct mtc_target *targets, size_t n)
{
	struct mtc_multi *mm = calloc(1, sizeof(*mm));

	if (!mm)
		return NULL;
	mm->nr_targets = n;
	mm->targets = calloc(n, sizeof(*mm->targets));
	mm->findings = calloc(n, sizeof(*mm->findings));
	mm->records = calloc(n, sizeof(*mm->records));
	pthread_mutex_init(&mm->lock, NULL);
	if (!mm->targets || !mm->findings || !mm->records)
		goto fail;
	memcpy(mm->targets, targets, n * sizeof(*targets));
	for (size_t i = 0; i < n; i++)
		if (!(mm->findings[i] = mtc_findings_new()))
			goto fail;
	return mm;
fail:
	mtc_multi_free(mm);
	return NULL;
}

void mtc_multi_free(struct mtc_multi *mm)
{
	if (!mm)
		return;
	for (size_t i = 0; i < mm->nr_targets; i++) {
		if (mm->findings)
			mtc_findings_free(mm->findings[i]);
		if (mm->records) {
			for (size_t k = 0; k < mm->records[i].n; k++)
				free(mm->records[i].names[k]);
			free(mm->records[i].names);
		}
	}
	free(mm->findings);
	free(mm->records);
	free(mm->targets);
	pthread_mutex_destroy(&mm->lock);
	free(mm);
}

struct mtc_findings *mtc_multi_findings(struct mtc_multi *mm, size_t target)
{
	return target < mm->nr_targets ? mm->findings[target] : NULL;
}

int mtc_multi_add_records(struct mtc_multi *mm, size_t target, const struct mtc_model *m)
{
	struct record_set *rs = &mm->records[target];
	int ret = 0;

	pthread_mutex_lock(&mm->lock);
	/* the target as the front end found it (byte order, pointer width) */
	mm->targets[target] = *mtc_model_target(m);
	for (size_t i = 0; i < mtc_model_nr_records(m) && !ret; i++) {
		if (rs->n == rs->cap) {
			size_t cap = rs->cap ? rs->cap * 2 : 64;
			char **v = realloc(rs->names, cap * sizeof(*v));

			if (!v) {
				ret = -ENOMEM;
				break;
			}
			rs->names = v;
			rs->cap = cap;
		}
		if (!(rs->names[rs->n] = strdup(mtc_model_record_at(m, i)->name)))
			ret = -ENOMEM;
		else
			rs->n++;
	}
	pthread_mutex_unlock(&mm->lock);
	return ret;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_record(const struct record_set *rs, const char *name)
{
	return bsearch(&name, rs->names, rs->n, sizeof(*rs->names), cmp_str) != NULL;
}

/* One finding of one target, with its group keys. */
struct item {
	const struct mtc_finding *f;
	size_t target;
	enum mtc_endian endian;	/* the target's byte order */
	char *group;		/* record | wide | narrow paths, sorted */
	char *narrow_set;	/* record | narrow paths, sorted */
};

static int cmp_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *keys_of(const struct mtc_finding *f, bool with_wide)
{
	char **paths = malloc((f->nr_narrow ? f->nr_narrow : 1) * sizeof(*paths));
	struct strbuf sb;

	if (!paths)
		return NULL;
	for (size_t i = 0; i < f->nr_narrow; i++)
		paths[i] = f->narrow[i].path;
	qsort(paths, f->nr_narrow, sizeof(*paths), cmp_path);
	sb_init(&sb);
	/* the same path at another offset is another layout (32- and 64-bit) */
	if (with_wide)
		sb_addf(&sb, "%s|%s@%llu+%llu", f->record, f->wide.path,
			(unsigned long long)f->wide.offset, (unsigned long long)f->wide.size);
	else
		sb_addf(&sb, "%s|", f->record);
	for (size_t i = 0; i < f->nr_narrow; i++)
		sb_addf(&sb, "|%s", paths[i]);
	free(paths);
	return sb_detach(&sb);
}

static int cmp_item(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	int c = strcmp(x->group, y->group);

	if (c)
		return c;
	return x->target < y->target ? -1 : x->target > y->target;
}

static const struct mtc_leaf *narrow_by_path(const struct mtc_finding *f, const char *path)
{
	for (size_t i = 0; i < f->nr_narrow; i++)
		if (!strcmp(f->narrow[i].path, path))
			return &f->narrow[i];
	return NULL;
}

/* The bits a narrow member really lands in on its own target. */
static void actual_bits(const struct mtc_leaf *l, enum mtc_endian e, uint32_t *lo, uint32_t *hi)
{
	*lo = e == MTC_ENDIAN_BIG ? l->be_lo : l->le_lo;
	*hi = e == MTC_ENDIAN_BIG ? l->be_hi : l->le_hi;
}

static bool adaptive(const struct item *g, size_t n)
{
	const struct mtc_finding *ref = g[0].f;
	enum mtc_endian ref_e = g[0].endian;

	for (size_t k = 1; k < n; k++)
		for (size_t i = 0; i < ref->nr_narrow; i++) {
			const struct mtc_leaf *a = &ref->narrow[i];
			const struct mtc_leaf *b = narrow_by_path(g[k].f, a->path);
			uint32_t alo, ahi, blo, bhi;

			if (!b)
				return false;
			actual_bits(a, ref_e, &alo, &ahi);
			actual_bits(b, g[k].endian, &blo, &bhi);
			if (alo != blo || ahi != bhi)
				return false;
		}
	return true;
}

/* Build the one finding for group @g of @n items (one per target). */
static int combine_group(struct mtc_multi *mm, const struct item *g, size_t n,
			 const struct item *all, size_t nr_all, const struct mtc_ruleset *rules,
			 const struct mtc_config *config, struct mtc_findings *out)
{
	bool little = false, big = false;

	for (size_t k = 0; k < n; k++) {
		if (mm->targets[g[k].target].endian == MTC_ENDIAN_BIG)
			big = true;
		else
			little = true;
	}
	if (little && big && adaptive(g, n))
		return 0;

	/* targets on which the record exists but these members overlay nothing */
	struct mtc_target *absent = calloc(mm->nr_targets, sizeof(*absent));
	size_t nr_absent = 0;

	if (!absent)
		return -ENOMEM;
	for (size_t t = 0; t < mm->nr_targets; t++) {
		bool seen = false;

		if (!has_record(&mm->records[t], g[0].f->record))
			continue;
		for (size_t k = 0; k < nr_all && !seen; k++)
			seen = all[k].target == t && !strcmp(all[k].narrow_set, g[0].narrow_set);
		if (!seen)
			absent[nr_absent++] = mm->targets[t];
	}

	struct mtc_finding *f = mtc_finding_dup(g[0].f);
	int ret = -ENOMEM;

	if (!f) {
		free(absent);
		return -ENOMEM;
	}
	free(f->targets);
	f->targets = calloc(n, sizeof(*f->targets));
	if (!f->targets)
		goto fail;
	for (size_t k = 0; k < n; k++)
		f->targets[k] = mm->targets[g[k].target];
	f->nr_targets = n;
	f->confirmed = little && big;

	/* each byte order's picture and bits from a target of that order */
	for (size_t k = 0; k < n; k++) {
		const struct mtc_finding *o = g[k].f;

		if (mm->targets[g[k].target].endian != MTC_ENDIAN_BIG)
			continue;
		char *be = strdup(o->big_endian);

		if (!be)
			goto fail;
		free(f->big_endian);
		f->big_endian = be;
		for (size_t i = 0; i < f->nr_narrow; i++) {
			const struct mtc_leaf *l = narrow_by_path(o, f->narrow[i].path);

			if (l) {
				f->narrow[i].be_lo = l->be_lo;
				f->narrow[i].be_hi = l->be_hi;
			}
		}
		break;
	}

	f->multi_target = mm->nr_targets > 1;
	if (nr_absent) {
		struct mtc_overlap_facts facts;
		enum mtc_severity sev;

		f->absent_targets = absent;
		f->nr_absent = nr_absent;
		absent = NULL;
		/* now known to be target-dependent: classify again */
		mtc_finding_facts(f, &facts);
		const struct mtc_rule *r = mtc_classify(rules, config, &facts, &sev);

		if (r && sev == MTC_SEV_NONE) {
			mtc_finding_free(f);
			return 0;
		}
		if (r && strcmp(r->id, f->rule_id)) {
			char *id = strdup(r->id), *name = strdup(r->name);

			if (!id || !name) {
				free(id);
				free(name);
				goto fail;
			}
			free(f->rule_id);
			free(f->rule_name);
			f->rule_id = id;
			f->rule_name = name;
			f->severity = sev;
		}
	}
	free(absent);
	ret = mtc_findings_add(out, f);
	return ret < 0 ? ret : 0;
fail:
	free(absent);
	mtc_finding_free(f);
	return ret;
}

int mtc_multi_combine(struct mtc_multi *mm, const struct mtc_ruleset *rules,
		      const struct mtc_config *config, struct mtc_findings *out,
		      struct mtc_error *err)
{
	size_t nr = 0, k = 0;
	int ret = 0;

	for (size_t t = 0; t < mm->nr_targets; t++) {
		nr += mtc_findings_count(mm->findings[t]);
		qsort(mm->records[t].names, mm->records[t].n, sizeof(char *), cmp_str);
	}
	struct item *items = calloc(nr ? nr : 1, sizeof(*items));

	if (!items)
		return mtc_error_set(err, -ENOMEM, "out of memory");
	for (size_t t = 0; t < mm->nr_targets; t++)
		for (size_t i = 0; i < mtc_findings_count(mm->findings[t]); i++) {
			struct item *it = &items[k++];

			it->f = mtc_findings_at(mm->findings[t], i);
			it->target = t;
			it->endian = mm->targets[t].endian;
			it->group = keys_of(it->f, true);
			it->narrow_set = keys_of(it->f, false);
			if (!it->group || !it->narrow_set)
				ret = -ENOMEM;
		}
	if (!ret)
		qsort(items, nr, sizeof(*items), cmp_item);
	for (size_t i = 0; i < nr && !ret;) {
		size_t j = i + 1;

		while (j < nr && !strcmp(items[j].group, items[i].group))
			j++;
		ret = combine_group(mm, &items[i], j - i, items, nr, rules, config, out);
		i = j;
	}
	for (size_t i = 0; i < nr; i++) {
		free(items[i].group);
		free(items[i].narrow_set);
	}
	free(items);
	if (ret)
		return mtc_error_set(err, ret, "combining the targets' findings: %s", strerror(-ret));
	return 0;
}

/* What mtc_findings_drop_adapted() drops, by index. */
static bool not_dropped(const struct mtc_finding *f, size_t i, void *arg)
{
	(void)f;
	return !((const bool *)arg)[i];
}

int mtc_findings_drop_adapted(struct mtc_findings *fs)
{
	size_t n = mtc_findings_count(fs), nr = 0;
	struct item *items = calloc(n ? n : 1, sizeof(*items));
	bool *drop = calloc(n ? n : 1, sizeof(*drop));
	int ret = 0, dropped = 0;

	if (!items || !drop) {
		ret = -ENOMEM;
		goto out;
	}
	/* a finding of one target, as each single-target report holds */
	for (size_t i = 0; i < n && !ret; i++) {
		const struct mtc_finding *f = mtc_findings_at(fs, i);

		if (f->nr_targets != 1)
			continue;
		struct item *it = &items[nr++];

		it->f = f;
		it->target = i;
		it->endian = f->targets[0].endian;
		if (!(it->group = keys_of(f, true)))
			ret = -ENOMEM;
	}
	if (ret)
		goto out;
	qsort(items, nr, sizeof(*items), cmp_item);
	for (size_t i = 0; i < nr;) {
		size_t j = i + 1;
		bool little = items[i].endian != MTC_ENDIAN_BIG, big = !little;

		while (j < nr && !strcmp(items[j].group, items[i].group)) {
			if (items[j].endian == MTC_ENDIAN_BIG)
				big = true;
			else
				little = true;
			j++;
		}
		if (little && big && adaptive(&items[i], j - i))
			for (size_t k = i; k < j; k++, dropped++)
				drop[items[k].target] = true;
		i = j;
	}
	if (dropped && mtc_findings_retain(fs, not_dropped, drop))
		ret = -ENOMEM;
out:
	for (size_t i = 0; items && i < nr; i++)
		free(items[i].group);
	free(items);
	free(drop);
	return ret ? ret : dropped;
}
