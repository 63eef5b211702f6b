// SPDX-License-Identifier: MIT
/* Text, JSON (version 1) and SARIF 2.1.0 reports; Code Quality in report_codeclimate.c. */
#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "json_build.h"
#include "mtcheck/report.h"
#include "report_internal.h"
#include "strbuf.h"

#ifndef MTCHECK_VERSION
#define MTCHECK_VERSION "0.0.0"
#endif

const char *mtc_version(void)
{
	return MTCHECK_VERSION;
}

int mtc_format_parse(const char *s, enum mtc_format *out)
{
	static const char *const names[] = { "text", "json", "sarif", "codeclimate" };

	for (int i = 0; i < 4; i++)
		if (!strcmp(s, names[i])) {
			*out = (enum mtc_format)i;
			return 0;
		}
	return -EINVAL;
}

/* "file:line:col: " where a line of the text report goes, escaped. */
static void text_loc(FILE *out, const struct mtc_location *loc, const char *fallback)
{
	struct strbuf sb;

	sb_init(&sb);
	mtc_location_prefix(&sb, loc, fallback);
	fputs(sb_str(&sb), out);
	sb_free(&sb);
}

/* One shown finding: its place in the sorted list and its record's group. */
struct shown {
	const struct mtc_finding *f;
	size_t index;		/* in the sorted list: the tie-breaker everywhere */
	size_t group;		/* index of the first finding of its record */
	unsigned best;		/* the record's highest rank */
};

static int cmp_by_record(const void *pa, const void *pb)
{
	const struct shown *a = pa, *b = pb;
	int c = strcmp(a->f->record, b->f->record);

	return c ? c : a->index < b->index ? -1 : a->index > b->index;
}

/* Records by their best rank, then findings by rank; list order breaks ties. */
static int cmp_by_rank(const void *pa, const void *pb)
{
	const struct shown *a = pa, *b = pb;

	if (a->best != b->best)
		return a->best > b->best ? -1 : 1;
	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	if (a->f->rank != b->f->rank)
		return a->f->rank > b->f->rank ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

/* Why a hidden finding was hidden, as the closing line counts it. */
static const char *hidden_class(const struct mtc_finding *f)
{
	switch (f->nr_evidence ? f->evidence[0].kind : 0) {
	case MTC_EV_TAG_ENUM:
	case MTC_EV_TAG_NAME:
		return "tag-selected";
	case MTC_EV_ALTERNATIVES:
		return "alternatives";
	case MTC_EV_PADDING:
		return "padding";
	case MTC_EV_CHAR_ARRAY:
		return "byte arrays";
	case MTC_EV_REUSE:
		return "lifetime reuse";
	case MTC_EV_BYTE_ORDER:
		return "adapted";
	case MTC_EV_TWIN:
		return "twins";
	case MTC_EV_VIEW:
		return "views";
	case MTC_EV_MIRRORED:
	case MTC_EV_MIRRORED_TYPES:
		return "co-live";
	default:
		return "unclassified";
	}
}

static void level_counts(struct strbuf *sb, const size_t counts[4])
{
	const char *sep = " (";

	for (int c = MTC_CONF_HIGH; c >= MTC_CONF_LOW; c--)
		if (counts[c]) {
			sb_addf(sb, "%s%zu %s", sep, counts[c], mtc_confidence_name(c));
			sep = ", ";
		}
	if (strcmp(sep, " ("))
		sb_addc(sb, ')');
}

static int finding_text(FILE *out, const struct mtc_finding *f)
{
	char *msg = mtc_finding_message(f, 0), *note = mtc_finding_note(f);
	char *why = mtc_finding_confidence_text(f);
	int ret = 0;

	if (msg && note && why) {
		const struct mtc_location *at = f->nr_evidence && f->evidence[0].loc.file
							? &f->evidence[0].loc : &f->loc;

		text_loc(out, &f->loc, f->input);
		fprintf(out, "%s: %s%s\n", mtc_severity_name(f->severity), msg,
			f->baseline == MTC_BASELINE_NEW ? " [new]" : "");
		text_loc(out, &f->wide.loc, f->input);
		fprintf(out, "note: %s\n", note);
		text_loc(out, at, f->input);
		fprintf(out, "note: %s\n", why);
	} else {
		ret = -ENOMEM;
	}
	free(msg);
	free(note);
	free(why);
	return ret;
}

/*
 * The text report for people: findings of at least the threshold, grouped
 * by record (records with the highest ranked finding first), each record
 * under one header line with its counts, and a closing line with what was
 * shown and what was hidden, and why.  Compared with a baseline, new
 * findings are marked and the closing line counts new, unchanged and
 * absent findings of at least the threshold; absent ones are not listed.
 */
static int write_text(FILE *out, const struct mtc_findings *fs,
		      const struct mtc_report_conf *conf)
{
	enum mtc_confidence min = conf->min_confidence;
	size_t n = mtc_findings_count(fs), nshown = 0, nabsent = 0;
	size_t by_state[MTC_BASELINE_ABSENT + 1] = { 0 };
	struct shown *v = calloc(n ? n : 1, sizeof(*v));
	size_t shown_by[4] = { 0 };
	static const char *const classes[] = {
		"views", "co-live", "tag-selected", "alternatives", "byte arrays", "padding",
		"lifetime reuse", "adapted", "twins", "unclassified",
	};
	size_t hidden_class_n[sizeof(classes) / sizeof(classes[0])] = { 0 };
	struct strbuf sb;
	int ret = 0;

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const struct mtc_finding *f = mtc_findings_at(fs, i);
		unsigned c = f->confidence <= MTC_CONF_HIGH ? f->confidence : 0;

		if (f->baseline == MTC_BASELINE_ABSENT) {
			nabsent++;
			by_state[f->baseline] += f->confidence >= min;
			continue;
		}
		if (f->confidence >= min) {
			v[nshown++] = (struct shown){ .f = f, .index = i };
			shown_by[c]++;
			by_state[f->baseline <= MTC_BASELINE_ABSENT ? f->baseline : 0]++;
			continue;
		}
		for (size_t k = 0; k < sizeof(classes) / sizeof(classes[0]); k++)
			if (!strcmp(classes[k], hidden_class(f)))
				hidden_class_n[k]++;
	}
	/* each record's group: its first finding in list order, and its best rank */
	qsort(v, nshown, sizeof(*v), cmp_by_record);
	for (size_t i = 0, start = 0; i <= nshown; i++) {
		if (i < nshown && !strcmp(v[i].f->record, v[start].f->record))
			continue;
		unsigned best = 0;

		for (size_t k = start; k < i; k++)
			best = v[k].f->rank > best ? v[k].f->rank : best;
		for (size_t k = start; k < i; k++) {
			v[k].group = v[start].index;
			v[k].best = best;
		}
		start = i;
	}
	qsort(v, nshown, sizeof(*v), cmp_by_rank);
	sb_init(&sb);
	for (size_t i = 0; i < nshown && !ret; i++) {
		const struct mtc_finding *f = v[i].f;

		if (!i || v[i - 1].group != v[i].group) {
			size_t counts[4] = { 0 }, hidden = 0, k;

			for (k = i; k < nshown && v[k].group == v[i].group; k++)
				counts[v[k].f->confidence <= MTC_CONF_HIGH ? v[k].f->confidence : 0]++;
			for (size_t j = 0; j < n; j++) {
				const struct mtc_finding *h = mtc_findings_at(fs, j);

				hidden += h->confidence < min && h->baseline != MTC_BASELINE_ABSENT &&
					  !strcmp(h->record, f->record);
			}
			sb_truncate(&sb, 0);
			sb_add(&sb, "'");
			sb_add_escaped(&sb, f->record);
			sb_addf(&sb, "': %zu finding%s shown", k - i, k - i == 1 ? "" : "s");
			level_counts(&sb, counts);
			if (hidden)
				sb_addf(&sb, ", %zu hidden", hidden);
			text_loc(out, &f->record_loc, f->input);
			fprintf(out, "%s\n", sb_str(&sb));
		}
		ret = finding_text(out, f);
	}
	if (!ret && (n > nabsent || conf->baseline)) {
		size_t hidden = n - nabsent - nshown;

		sb_truncate(&sb, 0);
		sb_addf(&sb, "mtcheck: %zu finding%s shown", nshown, nshown == 1 ? "" : "s");
		level_counts(&sb, shown_by);
		if (hidden) {
			const char *sep = ": ";

			sb_addf(&sb, "; %zu hidden", hidden);
			for (size_t k = 0; k < sizeof(classes) / sizeof(classes[0]); k++)
				if (hidden_class_n[k]) {
					sb_addf(&sb, "%s%zu %s", sep, hidden_class_n[k], classes[k]);
					sep = ", ";
				}
			sb_add(&sb, " (--all shows them)");
		}
		if (conf->baseline)
			sb_addf(&sb, "; baseline: %zu new, %zu unchanged, %zu absent",
				by_state[MTC_BASELINE_NEW], by_state[MTC_BASELINE_UNCHANGED],
				by_state[MTC_BASELINE_ABSENT]);
		fprintf(out, "%s\n", sb_str(&sb));
	}
	if (!ret && sb.oom)
		ret = -ENOMEM;
	sb_free(&sb);
	free(v);
	return ret;
}

static json_object *json_target(struct jb *b, const struct mtc_target *t)
{
	json_object *o = json_object_new_object();

	jadd(b, o, "endian", jstr(mtc_endian_name(t->endian)), false);
	jadd(b, o, "pointer_bits", json_object_new_int((int)t->pointer_bits), false);
	jadd(b, o, "triple", t->triple[0] ? jstr(t->triple) : NULL, true);
	return o;
}

static json_object *json_location(struct jb *b, const struct mtc_location *loc)
{
	if (!loc->file)
		return NULL;
	json_object *o = json_object_new_object();

	jadd(b, o, "file", jstr(loc->file), false);
	jadd(b, o, "line", json_object_new_int((int)loc->line), false);
	jadd(b, o, "column", loc->column ? json_object_new_int((int)loc->column) : NULL, true);
	return o;
}

static json_object *json_range(struct jb *b, uint32_t lo, uint32_t hi)
{
	json_object *a = json_object_new_array();

	/* bits of a uint32_t: not an int's range */
	jpush(b, a, json_object_new_int64((int64_t)lo));
	jpush(b, a, json_object_new_int64((int64_t)hi - 1));
	return a;
}

static json_object *json_leaf(struct jb *b, const struct mtc_leaf *l, bool narrow)
{
	json_object *o = json_object_new_object();

	jadd(b, o, "path", jstr(l->path), false);
	jadd(b, o, "type", jstr(l->type), false);
	jadd(b, o, "kind", jstr(mtc_kind_name(l->kind) ? mtc_kind_name(l->kind) : "integer"), false);
	jadd(b, o, "offset", json_object_new_int64((int64_t)l->offset), false);
	jadd(b, o, "size", json_object_new_int64((int64_t)l->size), false);
	if (l->bit_size) {
		jadd(b, o, "bit_offset", json_object_new_int64(l->bit_offset), false);
		jadd(b, o, "bit_size", json_object_new_int64(l->bit_size), false);
	}
	if (narrow) {
		json_object *vb = json_object_new_object();

		jadd(b, vb, "little", json_range(b, l->le_lo, l->le_hi), false);
		jadd(b, vb, "big", json_range(b, l->be_lo, l->be_hi), false);
		jadd(b, o, "value_bits", vb, false);
	}
	jadd(b, o, "location", json_location(b, &l->loc), true);
	return o;
}

static json_object *json_evidence(struct jb *b, const struct mtc_evidence *e)
{
	json_object *o = json_object_new_object();
	char *text = mtc_evidence_text(e);

	jadd(b, o, "kind", jstr(mtc_evidence_kind_name(e->kind)), false);
	if (e->member)
		jadd(b, o, "member", jstr(e->member), false);
	if (e->other)
		jadd(b, o, mtc_evidence_other_key(e->kind), jstr(e->other), false);
	if (e->record)
		jadd(b, o, "record", jstr(e->record), false);
	if (e->count)
		jadd(b, o, "count", json_object_new_int64((int64_t)e->count), false);
	if (e->loc.file)
		jadd(b, o, "location", json_location(b, &e->loc), false);
	jadd(b, o, "text", jstr(text), false);
	free(text);
	return o;
}

static json_object *json_finding(struct jb *b, const struct mtc_finding *f, bool multi)
{
	json_object *o = json_object_new_object();

	jadd(b, o, "rule", jstr(f->rule_id), false);
	jadd(b, o, "name", jstr(f->rule_name), false);
	jadd(b, o, "severity", jstr(mtc_severity_name(f->severity)), false);
	jadd(b, o, "record", jstr(f->record), false);
	if (f->nr_targets == 1 && !multi) {
		jadd(b, o, "target", json_target(b, &f->targets[0]), false);
	} else {
		json_object *a = json_object_new_array();

		for (size_t i = 0; i < f->nr_targets; i++)
			jpush(b, a, json_target(b, &f->targets[i]));
		jadd(b, o, "target", a, false);
	}
	jadd(b, o, "wide", json_leaf(b, &f->wide, false), false);
	json_object *n = json_object_new_array();

	for (size_t i = 0; i < f->nr_narrow; i++)
		jpush(b, n, json_leaf(b, &f->narrow[i], true));
	jadd(b, o, "narrow", n, false);
	jadd(b, o, "little_endian", jstr(f->little_endian), false);
	jadd(b, o, "big_endian", jstr(f->big_endian), false);
	jadd(b, o, "instances", json_object_new_int64((int64_t)f->instances), false);
	if (f->more_in_union)
		jadd(b, o, "more_in_union", json_object_new_int64((int64_t)f->more_in_union), false);
	if (multi)
		jadd(b, o, "confirmed_by_layout", json_object_new_boolean(f->confirmed), false);
	if (f->nr_absent) {
		json_object *a = json_object_new_array();

		for (size_t i = 0; i < f->nr_absent; i++)
			jpush(b, a, json_target(b, &f->absent_targets[i]));
		jadd(b, o, "absent_targets", a, false);
	}
	jadd(b, o, "location", json_location(b, &f->loc), true);
	jadd(b, o, "record_location", json_location(b, &f->record_loc), true);
	jadd(b, o, "confidence", jstr(mtc_confidence_name(f->confidence)), false);
	jadd(b, o, "rank", json_object_new_int((int)f->rank), false);
	json_object *ev = json_object_new_array();

	for (size_t i = 0; i < f->nr_evidence; i++)
		jpush(b, ev, json_evidence(b, &f->evidence[i]));
	jadd(b, o, "evidence", ev, false);
	char *fp = mtc_finding_fingerprint(f);

	jadd(b, o, "fingerprint", jstr(fp), false);
	free(fp);
	if (f->baseline != MTC_BASELINE_NONE)
		jadd(b, o, "baseline", jstr(mtc_baseline_state_name(f->baseline)), false);
	jadd(b, o, "frontend", jstr(f->frontend), false);
	jadd(b, o, "input", jstr(f->input), false);
	char *msg = mtc_finding_message(f, 0), *note = mtc_finding_note(f);

	jadd(b, o, "message", jstr(msg), false);
	jadd(b, o, "note", jstr(note), false);
	free(msg);
	free(note);
	return o;
}

static json_object *json_tool(struct jb *b, const char *version)
{
	json_object *t = json_object_new_object();

	jadd(b, t, "name", jstr("mtcheck"), false);
	jadd(b, t, "version", jstr(version), false);
	return t;
}

/* SARIF wants URIs: relative paths stay relative to the source root. */
static char *file_uri(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	struct strbuf sb;

	sb_init(&sb);
	if (path[0] == '/')
		sb_add(&sb, "file://");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("/-._~", *p)) {
			sb_addc(&sb, (char)*p);
		} else {
			sb_addc(&sb, '%');
			sb_addc(&sb, hex[*p >> 4]);
			sb_addc(&sb, hex[*p & 15]);
		}
	}
	return sb_detach(&sb);
}

static const char *sarif_level(enum mtc_severity s)
{
	return s == MTC_SEV_ERROR ? "error" : s == MTC_SEV_WARNING ? "warning" : "note";
}

static json_object *jmsg(struct jb *b, const char *text)
{
	json_object *m = json_object_new_object();

	jadd(b, m, "text", jstr(text), false);
	return m;
}

static json_object *sarif_physical(struct jb *b, const char *file, unsigned line,
				   unsigned column)
{
	json_object *pl = json_object_new_object(), *al = json_object_new_object();
	char *uri = file_uri(file);

	if (!uri)
		b->oom = true;
	jadd(b, al, "uri", jstr(uri), false);
	free(uri);
	if (file[0] != '/')
		jadd(b, al, "uriBaseId", jstr("%SRCROOT%"), false);
	jadd(b, pl, "artifactLocation", al, false);
	if (line) {
		json_object *r = json_object_new_object();

		jadd(b, r, "startLine", json_object_new_int((int)line), false);
		if (column)
			jadd(b, r, "startColumn", json_object_new_int((int)column), false);
		jadd(b, pl, "region", r, false);
	}
	return pl;
}

static json_object *sarif_location(struct jb *b, const struct mtc_location *loc,
				   const char *input, const char *logical)
{
	json_object *l = json_object_new_object();

	if (loc->file)
		jadd(b, l, "physicalLocation", sarif_physical(b, loc->file, loc->line, loc->column),
		     false);
	else
		jadd(b, l, "physicalLocation", sarif_physical(b, input, 0, 0), false);
	json_object *lls = json_object_new_array(), *ll = json_object_new_object();

	jadd(b, ll, "fullyQualifiedName", jstr(logical), false);
	jadd(b, ll, "kind", jstr("member"), false);
	jpush(b, lls, ll);
	jadd(b, l, "logicalLocations", lls, false);
	return l;
}

static json_object *sarif_rule(struct jb *b, const struct mtc_rule *r)
{
	json_object *o = json_object_new_object();
	struct strbuf md, txt;

	jadd(b, o, "id", jstr(r->id), false);
	jadd(b, o, "name", jstr(r->name), false);
	jadd(b, o, "shortDescription", jmsg(b, r->summary), false);
	jadd(b, o, "fullDescription", jmsg(b, r->explanation), false);
	sb_init(&txt);
	sb_addf(&txt, "%s\n\n%s\nExample:\n%s\nFixed:\n%s\nFix: %s", r->summary, r->explanation,
		r->bad_example, r->good_example, r->fix);
	sb_init(&md);
	sb_addf(&md, "**%s**\n\n%s\n\nExample:\n\n```c\n%s```\n\nFixed:\n\n```c\n%s```\n\n%s",
		r->summary, r->explanation, r->bad_example, r->good_example, r->fix);
	json_object *help = json_object_new_object();

	jadd(b, help, "text", jstr(sb_str(&txt)), false);
	jadd(b, help, "markdown", jstr(sb_str(&md)), false);
	if (txt.oom || md.oom)
		b->oom = true;
	sb_free(&txt);
	sb_free(&md);
	jadd(b, o, "help", help, false);
	json_object *dc = json_object_new_object();

	jadd(b, dc, "level", jstr(sarif_level(r->severity)), false);
	jadd(b, o, "defaultConfiguration", dc, false);
	return o;
}

static json_object *build_sarif(struct jb *b, const struct mtc_findings *fs,
				const struct mtc_report_conf *conf)
{
	json_object *root = json_object_new_object();
	json_object *runs = json_object_new_array(), *run = json_object_new_object();
	json_object *tool = json_object_new_object(), *driver = json_object_new_object();
	json_object *rules = json_object_new_array(), *results = json_object_new_array();
	size_t nr = conf->rules ? mtc_ruleset_count(conf->rules) : 0;

	jadd(b, root, "$schema",
	     jstr("https://json.schemastore.org/sarif-2.1.0.json"), false);
	jadd(b, root, "version", jstr("2.1.0"), false);
	jadd(b, driver, "name", jstr("mtcheck"), false);
	jadd(b, driver, "version", jstr(conf->tool_version), false);
	jadd(b, driver, "semanticVersion", jstr(conf->tool_version), false);
	for (size_t i = 0; i < nr; i++)
		jpush(b, rules, sarif_rule(b, mtc_ruleset_at(conf->rules, i)));
	jadd(b, driver, "rules", rules, false);
	jadd(b, tool, "driver", driver, false);
	jadd(b, run, "tool", tool, false);

	for (size_t i = 0; i < mtc_findings_count(fs); i++) {
		const struct mtc_finding *f = mtc_findings_at(fs, i);
		json_object *r = json_object_new_object();
		struct strbuf sb;

		jadd(b, r, "ruleId", jstr(f->rule_id), false);
		for (size_t k = 0; k < nr; k++)
			if (!strcmp(mtc_ruleset_at(conf->rules, k)->id, f->rule_id))
				jadd(b, r, "ruleIndex", json_object_new_int((int)k), false);
		jadd(b, r, "level", jstr(sarif_level(f->severity)), false);
		char *msg = mtc_finding_message(f, 0), *note = mtc_finding_note(f);

		if (!msg || !note)
			b->oom = true;
		sb_init(&sb);
		sb_addf(&sb, "%s. %s.", msg ? msg : "", note ? note : "");
		jadd(b, r, "message", jmsg(b, sb_str(&sb)), false);
		sb_free(&sb);
		sb_init(&sb);
		sb_addf(&sb, "%s.%s", f->record, f->narrow[0].path);
		json_object *locs = json_object_new_array();

		jpush(b, locs, sarif_location(b, &f->loc, f->input, sb_str(&sb)));
		jadd(b, r, "locations", locs, false);
		sb_truncate(&sb, 0);
		sb_addf(&sb, "%s.%s", f->record, f->wide.path);
		json_object *rel = json_object_new_array();
		json_object *rl = sarif_location(b, &f->wide.loc, f->input, sb_str(&sb));

		jadd(b, rl, "id", json_object_new_int(1), false);
		jadd(b, rl, "message", jmsg(b, note ? note : ""), false);
		free(msg);
		free(note);
		jpush(b, rel, rl);
		jadd(b, r, "relatedLocations", rel, false);
		/* stable across runs and line moves: rule, record and paths */
		char *fpr = mtc_finding_fingerprint(f);
		json_object *fp = json_object_new_object();

		jadd(b, fp, "mtcheckOverlay/v1", jstr(fpr), false);
		free(fpr);
		jadd(b, r, "partialFingerprints", fp, false);
		if (f->baseline != MTC_BASELINE_NONE)
			jadd(b, r, "baselineState", jstr(mtc_baseline_state_name(f->baseline)),
			     false);
		jadd(b, r, "rank", json_object_new_double((double)f->rank), false);
		/* the finding's facts as in JSON version 1, so that the SARIF can be read back */
		jadd(b, r, "properties", json_finding(b, f, conf->multi_target), false);
		if (sb.oom)
			b->oom = true;
		sb_free(&sb);
		jpush(b, results, r);
	}
	jadd(b, run, "results", results, false);
	jpush(b, runs, run);
	jadd(b, root, "runs", runs, false);
	return root;
}

/*
 * The JSON report is written one finding at a time, so that a kernel's
 * thousands of findings never sit in memory as one document.  Only the
 * constant frame is printed here; every value goes through json-c.
 */
static int write_json(FILE *out, const struct mtc_findings *fs,
		      const struct mtc_report_conf *conf)
{
	struct jb b = { false };
	json_object *tool = json_tool(&b, conf->tool_version);

	if (!tool || b.oom) {
		json_object_put(tool);
		return -ENOMEM;
	}
	/* one line: json-c's plain form, as JSON Lines tools expect it */
	bool line = conf->one_line;
	int flags = line ? JSON_C_TO_STRING_PLAIN : JSON_FLAGS;

	fprintf(out, line ? "{\"version\":1,\"tool\":%s,\"findings\":["
			  : "{\n  \"version\": 1,\n  \"tool\": %s,\n  \"findings\": [",
		json_object_to_json_string_ext(tool, line ? JSON_C_TO_STRING_PLAIN
							 : JSON_C_TO_STRING_SPACED |
								   JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(tool);
	for (size_t i = 0; i < mtc_findings_count(fs); i++) {
		json_object *f = json_finding(&b, mtc_findings_at(fs, i), conf->multi_target);

		if (!f || b.oom) {
			json_object_put(f);
			return -ENOMEM;
		}
		fprintf(out, "%s%s%s", i ? "," : "", line ? "" : "\n",
			json_object_to_json_string_ext(f, flags));
		json_object_put(f);
	}
	fputs(line ? "]}\n" : mtc_findings_count(fs) ? "\n  ]\n}\n" : "]\n}\n", out);
	return 0;
}

int mtc_report_write(FILE *out, const struct mtc_findings *fs,
		     const struct mtc_report_conf *conf_in)
{
	struct jb b = { false };
	json_object *root = NULL;
	struct mtc_report_conf copy = *conf_in;
	const struct mtc_report_conf *conf = &copy;

	if (!copy.tool_version)
		copy.tool_version = mtc_version();

	if (conf->format == MTC_FORMAT_TEXT) {
		int ret = write_text(out, fs, conf);

		if (ret)
			return ret;
	} else if (conf->format == MTC_FORMAT_JSON) {
		int ret = write_json(out, fs, conf);

		if (ret)
			return ret;
	} else if (conf->format == MTC_FORMAT_CODECLIMATE) {
		int ret = mtc_write_codeclimate(out, fs);

		if (ret)
			return ret;
	} else {
		root = build_sarif(&b, fs, conf);
		if (!root || b.oom) {
			json_object_put(root);
			return -ENOMEM;
		}
		const char *s = json_object_to_json_string_ext(root, JSON_FLAGS);

		fputs(s, out);
		fputc('\n', out);
		json_object_put(root);
	}
	if (fflush(out) || ferror(out))
		return -EIO;
	return 0;
}
