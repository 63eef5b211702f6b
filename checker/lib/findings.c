// SPDX-License-Identifier: MIT
/* The findings list: owned findings, repeats dropped, one stable order. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "mtcheck/finding.h"
#include "strbuf.h"

struct mtc_findings {
	pthread_mutex_t lock;
	struct mtc_finding **v;
	size_t n, cap;
	/* open-addressing map of identity keys to the finding they name, for repeats */
	struct key {
		char *key;
		size_t idx;	/* in v */
	} *keys;
	size_t nr_keys, cap_keys;
};

static const char *const severity_names[] = {
	[MTC_SEV_NONE] = "none",
	[MTC_SEV_NOTE] = "note",
	[MTC_SEV_WARNING] = "warning",
	[MTC_SEV_ERROR] = "error",
};

int mtc_names_find(const char *const *names, size_t first, size_t n, const char *s)
{
	for (size_t i = first; i < n; i++)
		if (names[i] && !strcmp(s, names[i]))
			return (int)i;
	return -1;
}

const char *mtc_severity_name(enum mtc_severity s)
{
	return mtc_names_get(severity_names, 0, MTC_NAMES_LEN(severity_names), s, "?");
}

int mtc_severity_parse(const char *s, bool allow_off, enum mtc_severity *out)
{
	int i = mtc_names_find(severity_names, MTC_SEV_NOTE, MTC_NAMES_LEN(severity_names), s);

	if (i < 0 && allow_off && (!strcmp(s, "off") || !strcmp(s, "none")))
		i = MTC_SEV_NONE;
	if (i < 0)
		return -EINVAL;
	*out = (enum mtc_severity)i;
	return 0;
}

static const char *const confidence_names[] = {
	[MTC_CONF_LOW] = "low",
	[MTC_CONF_MEDIUM] = "medium",
	[MTC_CONF_HIGH] = "high",
};

const char *mtc_confidence_name(enum mtc_confidence c)
{
	return mtc_names_get(confidence_names, MTC_CONF_LOW, MTC_NAMES_LEN(confidence_names), c, "?");
}

int mtc_confidence_parse(const char *s, enum mtc_confidence *out)
{
	int i = mtc_names_find(confidence_names, MTC_CONF_LOW, MTC_NAMES_LEN(confidence_names), s);

	if (i < 0)
		return -EINVAL;
	*out = (enum mtc_confidence)i;
	return 0;
}

static const char *const evidence_names[] = {
	[MTC_EV_MIRRORED] = "mirrored",
	[MTC_EV_MIRRORED_TYPES] = "mirrored-types",
	[MTC_EV_TAIL] = "tail",
	[MTC_EV_VIEW] = "view",
	[MTC_EV_TAG_ENUM] = "tag-enum",
	[MTC_EV_TAG_NAME] = "tag-name",
	[MTC_EV_ALTERNATIVES] = "alternatives",
	[MTC_EV_PADDING] = "padding",
	[MTC_EV_CHAR_ARRAY] = "char-array",
	[MTC_EV_REUSE] = "reuse",
	[MTC_EV_BYTE_ORDER] = "byte-order",
	[MTC_EV_TWIN] = "twin",
};

const char *mtc_evidence_kind_name(enum mtc_evidence_kind k)
{
	return mtc_names_get(evidence_names, MTC_EV_MIRRORED, MTC_NAMES_LEN(evidence_names), k, "?");
}

int mtc_evidence_kind_parse(const char *s, enum mtc_evidence_kind *out)
{
	int i = mtc_names_find(evidence_names, MTC_EV_MIRRORED, MTC_NAMES_LEN(evidence_names), s);

	if (i < 0)
		return -EINVAL;
	*out = (enum mtc_evidence_kind)i;
	return 0;
}

unsigned mtc_finding_rank(const struct mtc_finding *f)
{
	/*
	 * Each step outweighs everything after it: a level is 28 points, the
	 * kind of value 8, partial cover 4, co-live strength up to 3.
	 */
	unsigned rank = f->confidence == MTC_CONF_HIGH	   ? 76
			: f->confidence == MTC_CONF_MEDIUM ? 48
							   : 20;

	if (f->wide.bit_size || f->narrow_bitfield)
		rank += 0;
	else if (f->wide.kind == MTC_KIND_POINTER || f->wide.kind == MTC_KIND_FUNC_POINTER)
		rank += 16;
	else
		rank += 8;
	if (f->partial)
		rank += 4;
	for (size_t i = 0; i < f->nr_evidence && f->confidence == MTC_CONF_HIGH; i++) {
		if (f->evidence[i].kind == MTC_EV_MIRRORED_TYPES)
			rank += 2;
		else if (f->evidence[i].kind == MTC_EV_TAIL)
			rank += 1;
	}
	return rank;
}

char *mtc_finding_fingerprint(const struct mtc_finding *f)
{
	struct strbuf sb;

	sb_init(&sb);
	sb_addf(&sb, "%s:%s:%s:", f->rule_id, f->record, f->wide.path);
	for (size_t i = 0; i < f->nr_narrow; i++)
		sb_addf(&sb, "%s%s", i ? "," : "", f->narrow[i].path);
	return sb_detach(&sb);
}

struct mtc_findings *mtc_findings_new(void)
{
	struct mtc_findings *fs = calloc(1, sizeof(*fs));

	if (fs)
		pthread_mutex_init(&fs->lock, NULL);
	return fs;
}

static void leaf_free(struct mtc_leaf *l)
{
	free(l->path);
	free(l->type);
	free((char *)l->loc.file);
}

static void evidence_free(struct mtc_evidence *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(e[i].member);
		free(e[i].other);
		free(e[i].record);
		free((char *)e[i].loc.file);
	}
	free(e);
}

void mtc_finding_free(struct mtc_finding *f)
{
	if (!f)
		return;
	free(f->rule_id);
	free(f->rule_name);
	free(f->record);
	leaf_free(&f->wide);
	for (size_t i = 0; i < f->nr_narrow; i++)
		leaf_free(&f->narrow[i]);
	free(f->narrow);
	free(f->common_prefix);
	free(f->little_endian);
	free(f->big_endian);
	free(f->targets);
	free(f->frontend);
	free(f->input);
	free((char *)f->loc.file);
	free(f->absent_targets);
	free((char *)f->record_loc.file);
	evidence_free(f->evidence, f->nr_evidence);
	free(f);
}

/* The longest whole-component prefix of the narrow paths: "meta" for meta.end, meta.gap. */
static size_t mtc_common_prefix_len(const struct mtc_leaf *leaves, size_t n)
{
	if (!n)
		return 0;
	const char *first = leaves[0].path;
	size_t len = strlen(first);

	for (size_t i = 1; i < n; i++) {
		size_t k = 0;

		while (k < len && leaves[i].path[k] == first[k])
			k++;
		len = k;
	}
	/* stop at a component boundary */
	if (n > 1) {
		bool whole = true;

		for (size_t i = 0; i < n; i++) {
			char c = leaves[i].path[len];

			if (c && c != '.' && c != '[')
				whole = false;
		}
		if (!whole)
			while (len && first[len - 1] != '.' && first[len - 1] != '[')
				len--;
		while (len && (first[len - 1] == '.' || first[len - 1] == '['))
			len--;
	}
	return len;
}

char *mtc_common_prefix(const struct mtc_leaf *leaves, size_t n, bool *oom)
{
	size_t len = mtc_common_prefix_len(leaves, n);
	char *p = len ? strndup(leaves[0].path, len) : NULL;

	if (len && !p)
		*oom = true;
	return p;
}

struct span {
	uint64_t lo, hi;
};

static int cmp_span(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

int mtc_finding_derive(struct mtc_finding *f)
{
	f->narrow_bitfield = false;
	for (size_t i = 0; i < f->nr_narrow; i++)
		if (f->narrow[i].bit_size)
			f->narrow_bitfield = true;
	/* the narrow leaves' little-endian value bits, merged, against the width */
	uint64_t width = f->wide.bit_size ? f->wide.bit_size : f->wide.size * 8;
	uint64_t covered = 0, reach = 0;
	struct span *sp = malloc((f->nr_narrow ? f->nr_narrow : 1) * sizeof(*sp));

	if (!sp)
		return -ENOMEM;
	for (size_t i = 0; i < f->nr_narrow; i++)
		sp[i] = (struct span){ f->narrow[i].le_lo, f->narrow[i].le_hi };
	qsort(sp, f->nr_narrow, sizeof(*sp), cmp_span);
	for (size_t i = 0; i < f->nr_narrow; i++) {
		uint64_t lo = sp[i].lo > reach ? sp[i].lo : reach;

		if (sp[i].hi > lo) {
			covered += sp[i].hi - lo;
			reach = sp[i].hi;
		}
	}
	free(sp);
	f->partial = covered < width;
	free(f->common_prefix);
	bool oom = false;

	f->common_prefix = mtc_common_prefix(f->narrow, f->nr_narrow, &oom);
	return oom ? -ENOMEM : 0;
}

static char *dup_or_null(const char *s, bool *oom)
{
	char *d = s ? strdup(s) : NULL;

	if (s && !d)
		*oom = true;
	return d;
}

static void leaf_dup(struct mtc_leaf *dst, const struct mtc_leaf *src, bool *oom)
{
	*dst = *src;
	dst->path = dup_or_null(src->path, oom);
	dst->type = dup_or_null(src->type, oom);
	dst->loc.file = dup_or_null(src->loc.file, oom);
}

struct mtc_finding *mtc_finding_dup(const struct mtc_finding *f)
{
	struct mtc_finding *d = calloc(1, sizeof(*d));
	bool oom = false;

	if (!d)
		return NULL;
	*d = *f;
	d->evidence = NULL;
	d->nr_evidence = 0;
	d->record_loc.file = NULL;
	d->narrow = calloc(f->nr_narrow ? f->nr_narrow : 1, sizeof(*d->narrow));
	d->targets = calloc(f->nr_targets ? f->nr_targets : 1, sizeof(*d->targets));
	d->absent_targets = f->nr_absent ? calloc(f->nr_absent, sizeof(*d->absent_targets)) : NULL;
	if (!d->narrow || !d->targets || (f->nr_absent && !d->absent_targets)) {
		free(d->narrow);
		free(d->targets);
		free(d->absent_targets);
		free(d);
		return NULL;
	}
	memcpy(d->targets, f->targets, f->nr_targets * sizeof(*d->targets));
	if (f->nr_absent)
		memcpy(d->absent_targets, f->absent_targets, f->nr_absent * sizeof(*d->absent_targets));
	d->rule_id = dup_or_null(f->rule_id, &oom);
	d->rule_name = dup_or_null(f->rule_name, &oom);
	d->record = dup_or_null(f->record, &oom);
	leaf_dup(&d->wide, &f->wide, &oom);
	for (size_t i = 0; i < f->nr_narrow; i++)
		leaf_dup(&d->narrow[i], &f->narrow[i], &oom);
	d->common_prefix = dup_or_null(f->common_prefix, &oom);
	d->little_endian = dup_or_null(f->little_endian, &oom);
	d->big_endian = dup_or_null(f->big_endian, &oom);
	d->frontend = dup_or_null(f->frontend, &oom);
	d->input = dup_or_null(f->input, &oom);
	d->loc.file = dup_or_null(f->loc.file, &oom);
	d->record_loc.file = dup_or_null(f->record_loc.file, &oom);
	d->evidence = f->nr_evidence ? calloc(f->nr_evidence, sizeof(*d->evidence)) : NULL;
	d->nr_evidence = d->evidence ? f->nr_evidence : 0;
	if (f->nr_evidence && !d->evidence)
		oom = true;
	for (size_t i = 0; i < d->nr_evidence; i++) {
		const struct mtc_evidence *e = &f->evidence[i];

		d->evidence[i] = *e;
		d->evidence[i].member = dup_or_null(e->member, &oom);
		d->evidence[i].other = dup_or_null(e->other, &oom);
		d->evidence[i].record = dup_or_null(e->record, &oom);
		d->evidence[i].loc.file = dup_or_null(e->loc.file, &oom);
	}
	if (oom) {
		mtc_finding_free(d);
		return NULL;
	}
	return d;
}

void mtc_findings_free(struct mtc_findings *fs)
{
	if (!fs)
		return;
	for (size_t i = 0; i < fs->n; i++)
		mtc_finding_free(fs->v[i]);
	for (size_t i = 0; i < fs->cap_keys; i++)
		free(fs->keys[i].key);
	free(fs->keys);
	free(fs->v);
	pthread_mutex_destroy(&fs->lock);
	free(fs);
}

/*
 * A finding's identity: rule, record, wide and narrow paths and targets
 * ("base"), and the file that declares it.  Two headers may each declare
 * their own `union u1`, so the file takes part; the same header seen in
 * many objects is still one finding.  A finding whose input has no source
 * positions (raw BTF) cannot tell, and is one with any finding of the same
 * base.  The set holds "F<base>\x1f<file>" for every finding and
 * "B<base>" once per base.
 */
static char *identity(const struct mtc_finding *f, char tag, const char *file)
{
	struct strbuf sb;

	sb_init(&sb);
	sb_addf(&sb, "%c%s|%s|%s", tag, f->rule_id, f->record, f->wide.path);
	for (size_t i = 0; i < f->nr_targets; i++)
		sb_addf(&sb, "|%s/%u", mtc_endian_name(f->targets[i].endian),
			f->targets[i].pointer_bits);
	for (size_t i = 0; i < f->nr_narrow; i++)
		sb_addf(&sb, "|%s", f->narrow[i].path);
	if (file)
		sb_addf(&sb, "\x1f%s", file);
	return sb_detach(&sb);
}

static uint64_t str_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

/* The index + 1 of the finding @key names, 0 when it is not held. */
static size_t key_held(const struct mtc_findings *fs, const char *key)
{
	if (!fs->cap_keys)
		return 0;
	for (size_t h = str_hash(key) & (fs->cap_keys - 1); fs->keys[h].key;
	     h = (h + 1) & (fs->cap_keys - 1))
		if (!strcmp(fs->keys[h].key, key))
			return fs->keys[h].idx + 1;
	return 0;
}

/* Insert @key, which is not held, for finding @idx, taking it; 0 or -ENOMEM (@key freed). */
static int key_insert(struct mtc_findings *fs, char *key, size_t idx)
{
	if (2 * (fs->nr_keys + 1) > fs->cap_keys) {
		size_t cap = fs->cap_keys ? fs->cap_keys * 2 : 64;
		struct key *nk = calloc(cap, sizeof(*nk));

		if (!nk) {
			free(key);
			return -ENOMEM;
		}
		for (size_t i = 0; i < fs->cap_keys; i++) {
			if (!fs->keys[i].key)
				continue;
			size_t h = str_hash(fs->keys[i].key) & (cap - 1);

			while (nk[h].key)
				h = (h + 1) & (cap - 1);
			nk[h] = fs->keys[i];
		}
		free(fs->keys);
		fs->keys = nk;
		fs->cap_keys = cap;
	}
	size_t h = str_hash(key) & (fs->cap_keys - 1);

	while (fs->keys[h].key)
		h = (h + 1) & (fs->cap_keys - 1);
	fs->keys[h] = (struct key){ key, idx };
	fs->nr_keys++;
	return 0;
}

/*
 * 1 when @f is new (its keys now held for index fs->n), 0 when a repeat
 * (*held is the index of the finding it repeats), -ENOMEM.
 */
static int identity_insert(struct mtc_findings *fs, const struct mtc_finding *f, size_t *held)
{
	char *full = identity(f, 'F', f->loc.file ? f->loc.file : "");
	char *base = identity(f, 'B', NULL);
	char *unplaced = f->loc.file ? identity(f, 'F', "") : NULL;
	size_t at;
	int ret = -ENOMEM;

	if (!full || !base || (f->loc.file && !unplaced))
		goto out;
	/* the same file, or (either way round) a finding of the same base without one */
	if ((at = key_held(fs, full)) || (at = unplaced ? key_held(fs, unplaced) : key_held(fs, base))) {
		*held = at - 1;
		ret = 0;
		goto out;
	}
	ret = key_insert(fs, full, fs->n);
	full = NULL;
	if (!ret && !key_held(fs, base)) {
		ret = key_insert(fs, base, fs->n);
		base = NULL;
	}
	ret = ret ? ret : 1;
out:
	free(full);
	free(base);
	free(unplaced);
	return ret;
}

/*
 * A repeat of a held finding: whichever order threads or make jobs add
 * them in, the report is the same.  The held one takes the first input by
 * name, and a repeat with a source position replaces one without.
 */
static void merge_repeat(struct mtc_findings *fs, size_t held, struct mtc_finding **f)
{
	struct mtc_finding *h = fs->v[held];

	if (!h->loc.file && (*f)->loc.file) {
		fs->v[held] = *f;
		*f = h;
		h = fs->v[held];
	}
	if ((*f)->input && h->input && strcmp((*f)->input, h->input) < 0) {
		char *t = h->input;

		h->input = (*f)->input;
		(*f)->input = t;
	}
}

int mtc_findings_add(struct mtc_findings *fs, struct mtc_finding *f)
{
	int ret;

	pthread_mutex_lock(&fs->lock);
	if (fs->n == fs->cap) {
		size_t cap = fs->cap ? fs->cap * 2 : 16;
		struct mtc_finding **v = realloc(fs->v, cap * sizeof(*v));

		if (!v) {
			ret = -ENOMEM;
			goto out;
		}
		fs->v = v;
		fs->cap = cap;
	}
	size_t held;

	ret = identity_insert(fs, f, &held);
	if (ret > 0)
		fs->v[fs->n++] = f;
	else if (ret == 0)
		merge_repeat(fs, held, &f);
out:
	pthread_mutex_unlock(&fs->lock);
	if (ret <= 0)
		mtc_finding_free(f);
	return ret;
}

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int cmp_finding(const void *pa, const void *pb)
{
	const struct mtc_finding *a = *(struct mtc_finding *const *)pa;
	const struct mtc_finding *b = *(struct mtc_finding *const *)pb;
	int c;

	if ((c = cmp_str(a->loc.file, b->loc.file)))
		return c;
	if (a->loc.line != b->loc.line)
		return a->loc.line < b->loc.line ? -1 : 1;
	if (a->loc.column != b->loc.column)
		return a->loc.column < b->loc.column ? -1 : 1;
	if ((c = cmp_str(a->record, b->record)))
		return c;
	if (a->wide.offset != b->wide.offset)
		return a->wide.offset < b->wide.offset ? -1 : 1;
	if ((c = cmp_str(a->wide.path, b->wide.path)))
		return c;
	if ((c = cmp_str(a->rule_id, b->rule_id)))
		return c;
	/* then everything else that tells findings apart, so that the order
	 * never depends on which input or thread came first */
	for (size_t i = 0; i < a->nr_targets && i < b->nr_targets; i++) {
		const struct mtc_target *x = &a->targets[i], *y = &b->targets[i];

		if (x->endian != y->endian)
			return x->endian < y->endian ? -1 : 1;
		if (x->pointer_bits != y->pointer_bits)
			return x->pointer_bits < y->pointer_bits ? -1 : 1;
		if ((c = strcmp(x->triple, y->triple)))
			return c;
	}
	if (a->nr_targets != b->nr_targets)
		return a->nr_targets < b->nr_targets ? -1 : 1;
	for (size_t i = 0; i < a->nr_narrow && i < b->nr_narrow; i++)
		if ((c = cmp_str(a->narrow[i].path, b->narrow[i].path)))
			return c;
	if (a->nr_narrow != b->nr_narrow)
		return a->nr_narrow < b->nr_narrow ? -1 : 1;
	/* a baseline's absent finding may share all of that with one found now */
	if (a->baseline != b->baseline)
		return a->baseline < b->baseline ? -1 : 1;
	return cmp_str(a->input, b->input);
}

void mtc_findings_sort(struct mtc_findings *fs)
{
	if (fs->n > 1)
		qsort(fs->v, fs->n, sizeof(*fs->v), cmp_finding);
}

size_t mtc_findings_count(const struct mtc_findings *fs)
{
	return fs->n;
}

const struct mtc_finding *mtc_findings_at(const struct mtc_findings *fs, size_t i)
{
	return i < fs->n ? fs->v[i] : NULL;
}

enum mtc_severity mtc_findings_max_severity_shown(const struct mtc_findings *fs,
						  enum mtc_confidence min)
{
	enum mtc_severity s = MTC_SEV_NONE;

	for (size_t i = 0; i < fs->n; i++) {
		const struct mtc_finding *f = fs->v[i];

		if (f->baseline != MTC_BASELINE_UNCHANGED && f->baseline != MTC_BASELINE_ABSENT &&
		    f->confidence >= min && f->severity > s)
			s = f->severity;
	}
	return s;
}

struct mtc_finding *mtc_findings_get(struct mtc_findings *fs, size_t i)
{
	return i < fs->n ? fs->v[i] : NULL;
}

int mtc_findings_append(struct mtc_findings *fs, struct mtc_finding *f)
{
	if (fs->n == fs->cap) {
		size_t cap = fs->cap ? fs->cap * 2 : 16;
		struct mtc_finding **v = realloc(fs->v, cap * sizeof(*v));

		if (!v) {
			mtc_finding_free(f);
			return -ENOMEM;
		}
		fs->v = v;
		fs->cap = cap;
	}
	fs->v[fs->n++] = f;
	return 0;
}

int mtc_findings_retain(struct mtc_findings *fs,
			bool (*keep)(const struct mtc_finding *f, size_t i, void *arg), void *arg)
{
	size_t n = 0;

	for (size_t i = 0; i < fs->n; i++) {
		if (keep(fs->v[i], i, arg))
			fs->v[n++] = fs->v[i];
		else
			mtc_finding_free(fs->v[i]);
	}
	if (n == fs->n)
		return 0;
	fs->n = n;
	/* the identity keys name indices: build them again for what is left */
	for (size_t i = 0; i < fs->cap_keys; i++)
		free(fs->keys[i].key);
	memset(fs->keys, 0, fs->cap_keys * sizeof(*fs->keys));
	fs->nr_keys = 0;
	for (size_t i = 0; i < n; i++) {
		size_t held, keep_n = fs->n;
		int ret;

		fs->n = i;	/* identity_insert() records the finding at index fs->n */
		ret = identity_insert(fs, fs->v[i], &held);
		fs->n = keep_n;
		if (ret < 0)
			return ret;
	}
	return 0;
}

enum mtc_severity mtc_findings_max_severity(const struct mtc_findings *fs)
{
	enum mtc_severity s = MTC_SEV_NONE;

	for (size_t i = 0; i < fs->n; i++)
		if (fs->v[i]->severity > s)
			s = fs->v[i]->severity;
	return s;
}
