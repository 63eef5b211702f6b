// SPDX-License-Identifier: MIT
/*
 * Classification: the facts of an overlap decide its rule, and the
 * configuration its severity.  The analysis classifies what it finds, and
 * several targets classify again once they know an overlay is
 * target-dependent; both come here, with facts, never with text.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analysis_internal.h"
#include "internal.h"
#include "mtcheck/config.h"

void mtc_finding_facts(const struct mtc_finding *f, struct mtc_overlap_facts *facts)
{
	*facts = (struct mtc_overlap_facts){
		.wide_kind = f->wide.kind,
		.wide_bitfield = f->wide.bit_size > 0,
		.narrow_bitfield = f->narrow_bitfield,
		.byte_array = f->byte_array,
		.partial = f->partial,
		.target_dependent = f->nr_absent > 0,
	};
	for (size_t i = 0; i < f->nr_narrow; i++)
		facts->narrow_kinds |= 1u << f->narrow[i].kind;
}

const struct mtc_rule *mtc_classify(const struct mtc_ruleset *rules,
				    const struct mtc_config *config,
				    const struct mtc_overlap_facts *facts, enum mtc_severity *sev)
{
	const struct mtc_rule *rule = mtc_ruleset_match(rules, facts);

	*sev = MTC_SEV_NONE;
	if (!rule)
		return NULL;
	*sev = config ? mtc_config_severity(config, rule) : rule->severity;
	return rule;
}

/*
 * Bits of the wide value a narrow scalar lands in.  A narrow scalar of
 * @wn bits, @rel allocation bits into a wide one of @ww bits, has its value
 * bit i at wide value bit rel + i on little-endian and ww - rel - wn + i on
 * big-endian.  The two agree only when the narrow one sits in the middle
 * (2 rel + wn == ww).
 */
static int64_t value_shift(enum mtc_endian e, int64_t rel, uint32_t wn, uint32_t ww)
{
	return e == MTC_ENDIAN_LITTLE ? rel : (int64_t)ww - rel - (int64_t)wn;
}

static void value_range(enum mtc_endian e, int64_t rel, uint32_t wn, uint32_t ww,
			uint32_t *lo, uint32_t *hi)
{
	int64_t s = value_shift(e, rel, wn, ww);
	int64_t a = s < 0 ? 0 : s, b = s + wn > ww ? ww : s + wn;

	*lo = (uint32_t)a;
	*hi = (uint32_t)(b > a ? b : a);
}

/* A picture shows at most this many bytes of the wide value; wider ones are cut. */
#define PICTURE_BYTES 16

/*
 * The value the wide scalar reads, most significant first: "0x" and two
 * characters per byte when everything is whole bytes, "0b" and one per bit
 * when bitfields take part.  Each narrow scalar is drawn with its letter
 * (AA, BB, ...), bytes no narrow scalar writes as "??".  A value wider than
 * PICTURE_BYTES shows the PICTURE_BYTES from the lowest value byte a narrow
 * scalar writes, and counts the rest: "0x[40 bytes]AABB??...??[8 bytes]".
 */
static char *picture(enum mtc_endian e, const struct leaf_run *wide,
		     const struct leaf_run *runs, const struct hit *hits, size_t n)
{
	uint32_t ww = wide->bits;
	bool bits = wide->bitfield || ww % 8;

	for (size_t i = 0; i < n; i++)
		if (runs[hits[i].run].bitfield || hits[i].rel % 8)
			bits = true;
	uint32_t unit = bits ? 1 : 8, units = ww / unit, shown = PICTURE_BYTES * 8 / unit;
	/* the label of every value unit, least significant first */
	char *label = malloc(units ? units : 1);
	uint32_t lowest = units;

	if (!label)
		return NULL;
	for (uint32_t v = 0; v < units; v++) {
		/* allocation bit (from the wide start) holding value bit v * unit */
		int64_t a = e == MTC_ENDIAN_LITTLE ? (int64_t)v * unit
						   : (int64_t)ww - (int64_t)(v + 1) * unit;

		label[v] = '?';
		for (size_t i = 0; i < n; i++) {
			uint32_t wn = runs[hits[i].run].bits;

			if (a >= hits[i].rel && a < hits[i].rel + (int64_t)wn) {
				label[v] = mtc_picture_label(i);
				if (v < lowest)
					lowest = v;
				break;
			}
		}
	}
	uint32_t lo = 0, hi = units;

	if (units > shown) {
		lo = lowest < units - shown ? lowest : units - shown;
		hi = lo + shown;
	}
	const char *what = bits ? "bits" : "bytes";
	struct strbuf sb;

	sb_init(&sb);
	sb_add(&sb, bits ? "0b" : "0x");
	if (hi < units)
		sb_addf(&sb, "[%u %s]", units - hi, what);
	for (uint32_t v = hi; v-- > lo;) {
		sb_addc(&sb, label[v]);
		if (!bits)
			sb_addc(&sb, label[v]);
	}
	if (lo)
		sb_addf(&sb, "[%u %s]", lo, what);
	free(label);
	return sb_detach(&sb);
}

static void set_loc(struct mtc_location *dst, const struct mtc_member *decl)
{
	memset(dst, 0, sizeof(*dst));
	if (decl) {
		*dst = decl->loc;
		if (decl->loc.file)
			dst->file = strdup(decl->loc.file);
	}
}

static int fill_leaf(struct walk *w, struct mtc_leaf *l, const struct leaf_run *r,
		     uint64_t instance)
{
	uint64_t alloc = r->alloc + instance * r->stride;

	l->path = an_instance_path(r, instance);
	l->type = strdup(r->type->name ? r->type->name : "?");
	if (!l->path || !l->type)
		return -ENOMEM;
	l->kind = r->type->kind;
	l->size = r->type->size;
	l->offset = alloc / 8;
	if (r->bitfield) {
		l->bit_size = r->bits;
		l->bit_offset = mtc_bitfield_physical(w->endian, alloc, r->bits);
	}
	l->in_char_array = r->in_char_array;
	set_loc(&l->loc, r->decl);
	return 0;
}

static bool allowed_in_source(const struct leaf_run *wide, const struct leaf_run *runs,
			      const struct hit *hits, size_t n)
{
	if (wide->decl && wide->decl->allow_reason)
		return true;
	for (size_t i = 0; i < n; i++) {
		const struct mtc_member *d = runs[hits[i].run].decl;

		if (d && d->allow_reason)
			return true;
	}
	return false;
}

void an_report_family(struct walk *w, const struct leaf_run *wide,
			  const struct run_list *nl, const struct family *fam)
{
	uint32_t ww = wide->bits;
	struct mtc_overlap_facts facts = {
		.wide_kind = wide->type->kind,
		.wide_bitfield = wide->bitfield,
		.byte_array = true,
	};
	int64_t covered = 0, reach = 0;

	/*
	 * Narrow scalars of one member overlap each other only through nested
	 * unions; count each wide bit once.  The hits are sorted by position,
	 * so covering is one pass over merged intervals.
	 */
	for (size_t i = 0; i < fam->nr_hits; i++) {
		const struct leaf_run *r = &nl->v[fam->hits[i].run];
		int64_t a = fam->hits[i].rel, b = a + (int64_t)r->bits;

		if (a < reach)
			a = reach;
		if (b > (int64_t)ww)
			b = ww;
		if (b > a) {
			covered += b - a;
			reach = b;
		}
		facts.narrow_kinds |= 1u << r->type->kind;
		if (r->bitfield)
			facts.narrow_bitfield = true;
		if (!r->in_char_array)
			facts.byte_array = false;
	}
	facts.partial = covered < (int64_t)ww;
	if (allowed_in_source(wide, nl->v, fam->hits, fam->nr_hits))
		return;
	if (w->root->allow_reason)
		return;

	enum mtc_severity sev;
	const struct mtc_rule *rule = mtc_classify(w->conf->rules, w->conf->config, &facts, &sev);

	if (!rule || sev == MTC_SEV_NONE)
		return;

	struct mtc_finding *f = calloc(1, sizeof(*f));
	int err = -ENOMEM;

	if (!f)
		goto fail;
	f->narrow = calloc(fam->nr_hits, sizeof(*f->narrow));
	f->targets = calloc(1, sizeof(*f->targets));
	f->rule_id = strdup(rule->id);
	f->rule_name = strdup(rule->name);
	f->record = strdup(w->root->name);
	f->frontend = strdup(mtc_model_frontend(w->model));
	f->input = strdup(mtc_model_input(w->model));
	if (!f->narrow || !f->targets || !f->rule_id || !f->rule_name || !f->record ||
	    !f->frontend || !f->input)
		goto fail;
	f->severity = sev;
	f->nr_targets = 1;
	f->targets[0] = *mtc_model_target(w->model);
	f->instances = fam->count;
	f->partial = facts.partial;
	f->byte_array = facts.byte_array;
	f->narrow_bitfield = facts.narrow_bitfield;
	if ((err = fill_leaf(w, &f->wide, wide, fam->first)))
		goto fail;
	f->nr_narrow = fam->nr_hits;
	for (size_t i = 0; i < fam->nr_hits; i++) {
		const struct hit *h = &fam->hits[i];
		const struct leaf_run *r = &nl->v[h->run];
		struct mtc_leaf *l = &f->narrow[i];

		if ((err = fill_leaf(w, l, r, h->instance)))
			goto fail;
		value_range(MTC_ENDIAN_LITTLE, h->rel, r->bits, ww, &l->le_lo, &l->le_hi);
		value_range(MTC_ENDIAN_BIG, h->rel, r->bits, ww, &l->be_lo, &l->be_hi);
	}
	err = -ENOMEM;
	f->little_endian = picture(MTC_ENDIAN_LITTLE, wide, nl->v, fam->hits, fam->nr_hits);
	f->big_endian = picture(MTC_ENDIAN_BIG, wide, nl->v, fam->hits, fam->nr_hits);
	if (!f->little_endian || !f->big_endian)
		goto fail;
	bool oom = false;

	f->common_prefix = mtc_common_prefix(f->narrow, f->nr_narrow, &oom);
	if (oom)
		goto fail;
	/* the warning goes on the overlaying member, the note on the wide one */
	f->loc = f->narrow[0].loc;
	f->loc.file = f->loc.file ? strdup(f->loc.file) : NULL;
	if (f->narrow[0].loc.file && !f->loc.file)
		goto fail;
	if (w->conf->config && mtc_config_allows(w->conf->config, f)) {
		mtc_finding_free(f);
		return;
	}
	/* past the union's bound only counted, for the last one kept to say */
	if (w->union_found >= w->union_limit) {
		w->union_more++;
		mtc_finding_free(f);
		return;
	}
	set_loc(&f->record_loc, NULL);
	if (w->root->loc.file && !(f->record_loc.file = strdup(w->root->loc.file)))
		goto fail;
	f->record_loc.line = w->root->loc.line;
	f->record_loc.column = w->root->loc.column;
	if ((err = an_confidence(w, wide, nl, fam, f)))
		goto fail;
	err = -ENOMEM;
	err = mtc_findings_add(w->out, f);
	if (err < 0) {
		f = NULL;	/* freed by the list */
		goto fail;
	}
	w->added += err;
	if (err) {
		w->union_found++;
		w->union_last = f;
	}
	return;
fail:
	mtc_finding_free(f);
	w->err = err;
}

