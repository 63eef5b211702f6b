// SPDX-License-Identifier: MIT
/*
 * Reports read back and merged (see merge.h): the JSON report's findings
 * become mtc_finding structures again, so that the findings list drops the
 * repeats and the core's reporters write the result.
 */
#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "merge.h"

#define JSON_FLAGS (JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | \
		    JSON_C_TO_STRING_NOSLASHESCAPE)

/* One report being read: where, and which finding, for messages. */
struct reader {
	const char *name;
	size_t index;
	struct mtc_error *err;
	int ret;
};

static void bad(struct reader *r, const char *what, const char *key)
{
	if (!r->ret)
		r->ret = mtc_error_set(r->err, -EINVAL, "%s: finding %zu: %s '%s'", r->name,
				       r->index + 1, what, key);
}

static json_object *member(struct reader *r, json_object *o, const char *key, json_type type,
			   bool optional)
{
	json_object *v = NULL;

	if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null)) {
		if (!optional)
			bad(r, "no", key);
		return NULL;
	}
	if (!json_object_is_type(v, type) &&
	    !(type == json_type_double && json_object_is_type(v, json_type_int))) {
		bad(r, "wrong type of", key);
		return NULL;
	}
	return v;
}

static char *string(struct reader *r, json_object *o, const char *key, bool optional)
{
	json_object *v = member(r, o, key, json_type_string, optional);
	char *s;

	if (!v)
		return NULL;
	if (!(s = strdup(json_object_get_string(v))) && !r->ret)
		r->ret = mtc_error_set(r->err, -ENOMEM, "out of memory");
	return s;
}

static uint64_t number(struct reader *r, json_object *o, const char *key, bool optional)
{
	json_object *v = member(r, o, key, json_type_int, optional);

	if (!v)
		return 0;
	int64_t n = json_object_get_int64(v);

	if (n < 0) {
		bad(r, "negative", key);
		return 0;
	}
	return (uint64_t)n;
}

static void location(struct reader *r, json_object *o, const char *key, struct mtc_location *loc)
{
	json_object *l = member(r, o, key, json_type_object, true);

	memset(loc, 0, sizeof(*loc));
	if (!l)
		return;
	loc->file = string(r, l, "file", false);
	loc->line = (unsigned)number(r, l, "line", false);
	loc->column = (unsigned)number(r, l, "column", true);
}

/* "value_bits": {"little": [lo, hi], "big": [lo, hi]}, hi inclusive */
static void value_bits(struct reader *r, json_object *leaf, struct mtc_leaf *l)
{
	json_object *vb = member(r, leaf, "value_bits", json_type_object, false);
	static const char *const orders[] = { "little", "big" };
	uint32_t *bounds[2][2] = { { &l->le_lo, &l->le_hi }, { &l->be_lo, &l->be_hi } };

	for (int i = 0; vb && i < 2; i++) {
		json_object *a = member(r, vb, orders[i], json_type_array, false);

		if (!a)
			return;
		if (json_object_array_length(a) != 2 ||
		    !json_object_is_type(json_object_array_get_idx(a, 0), json_type_int) ||
		    !json_object_is_type(json_object_array_get_idx(a, 1), json_type_int)) {
			bad(r, "malformed", "value_bits");
			return;
		}
		*bounds[i][0] = (uint32_t)json_object_get_int64(json_object_array_get_idx(a, 0));
		*bounds[i][1] = (uint32_t)json_object_get_int64(json_object_array_get_idx(a, 1)) + 1;
	}
}

static void leaf(struct reader *r, json_object *o, struct mtc_leaf *l, bool narrow)
{
	l->path = string(r, o, "path", false);
	l->type = string(r, o, "type", false);
	char *kind = string(r, o, "kind", true);

	/* reports from before "kind" was written: the words say "integer" */
	l->kind = MTC_KIND_INT;
	if (kind && mtc_kind_parse(kind, &l->kind))
		bad(r, "unknown kind in", "kind");
	free(kind);
	l->offset = number(r, o, "offset", false);
	l->size = number(r, o, "size", false);
	l->bit_offset = (uint32_t)number(r, o, "bit_offset", true);
	l->bit_size = (uint32_t)number(r, o, "bit_size", true);
	if (narrow)
		value_bits(r, o, l);
	location(r, o, "location", &l->loc);
}

static void target(struct reader *r, json_object *o, struct mtc_target *t)
{
	char *endian = string(r, o, "endian", false);
	char *triple = string(r, o, "triple", true);

	memset(t, 0, sizeof(*t));
	if (endian && strcmp(endian, "little") && strcmp(endian, "big"))
		bad(r, "unknown byte order in", "endian");
	t->endian = endian && !strcmp(endian, "big") ? MTC_ENDIAN_BIG : MTC_ENDIAN_LITTLE;
	t->pointer_bits = (unsigned)number(r, o, "pointer_bits", false);
	/* the char signedness is not in the report; it does not take part in findings */
	t->char_signed = true;
	if (triple)
		snprintf(t->triple, sizeof(t->triple), "%s", triple);
	free(endian);
	free(triple);
}

/*
 * "confidence", "rank", "evidence" and "record_location" (docs/json.md).
 * Reports from before they were written read as medium with no evidence;
 * a missing rank is worked out from the other fields.
 */
static void confidence(struct reader *r, json_object *o, struct mtc_finding *f)
{
	char *level = string(r, o, "confidence", true);
	json_object *v;

	f->confidence = MTC_CONF_MEDIUM;
	if (level && mtc_confidence_parse(level, &f->confidence))
		bad(r, "unknown level in", "confidence");
	free(level);
	location(r, o, "record_location", &f->record_loc);
	if ((v = member(r, o, "evidence", json_type_array, true))) {
		size_t n = json_object_array_length(v);

		f->evidence = n ? calloc(n, sizeof(*f->evidence)) : NULL;
		f->nr_evidence = f->evidence ? n : 0;
		if (n && !f->evidence && !r->ret)
			r->ret = mtc_error_set(r->err, -ENOMEM, "out of memory");
		for (size_t i = 0; i < f->nr_evidence; i++) {
			json_object *e = json_object_array_get_idx(v, i);
			struct mtc_evidence *ev = &f->evidence[i];
			char *kind;

			if (!json_object_is_type(e, json_type_object)) {
				bad(r, "not an object:", "evidence");
				break;
			}
			kind = string(r, e, "kind", false);
			if (kind && mtc_evidence_kind_parse(kind, &ev->kind))
				bad(r, "unknown kind in", "evidence");
			free(kind);
			ev->member = string(r, e, "member", true);
			ev->other = string(r, e,
					   ev->kind == MTC_EV_MIRRORED || ev->kind == MTC_EV_MIRRORED_TYPES
						   ? "mirrors"
					   : ev->kind == MTC_EV_BYTE_ORDER ? "macro" : "type",
					   true);
			ev->record = string(r, e, "record", true);
			ev->count = number(r, e, "count", true);
			location(r, e, "location", &ev->loc);
			/* "text" is words, made again from these fields */
		}
	}
	f->rank = mtc_finding_rank(f);
	if (member(r, o, "rank", json_type_int, true)) {
		uint64_t rank = number(r, o, "rank", true);

		if (rank > 100)
			bad(r, "out of range (0-100):", "rank");
		f->rank = (unsigned)rank;
	}
}

static struct mtc_finding *finding(struct reader *r, json_object *o, bool *multi_target)
{
	struct mtc_finding *f = calloc(1, sizeof(*f));
	json_object *v;

	if (!f) {
		r->ret = mtc_error_set(r->err, -ENOMEM, "out of memory");
		return NULL;
	}
	if (!json_object_is_type(o, json_type_object)) {
		bad(r, "not an object:", "finding");
		return f;
	}
	f->rule_id = string(r, o, "rule", false);
	f->rule_name = string(r, o, "name", false);
	char *sev = string(r, o, "severity", false);

	if (sev && mtc_severity_parse(sev, false, &f->severity))
		bad(r, "unknown severity in", "severity");
	free(sev);
	f->record = string(r, o, "record", false);
	if (json_object_object_get_ex(o, "target", &v) && json_object_is_type(v, json_type_array)) {
		size_t n = json_object_array_length(v);

		*multi_target = true;
		f->multi_target = true;
		f->targets = calloc(n ? n : 1, sizeof(*f->targets));
		f->nr_targets = f->targets ? n : 0;
		for (size_t i = 0; i < f->nr_targets; i++)
			target(r, json_object_array_get_idx(v, i), &f->targets[i]);
	} else if ((v = member(r, o, "target", json_type_object, false))) {
		f->targets = calloc(1, sizeof(*f->targets));
		f->nr_targets = f->targets ? 1 : 0;
		if (f->targets)
			target(r, v, &f->targets[0]);
	}
	if ((v = member(r, o, "wide", json_type_object, false)))
		leaf(r, v, &f->wide, false);
	if ((v = member(r, o, "narrow", json_type_array, false))) {
		size_t n = json_object_array_length(v);

		if (!n)
			bad(r, "empty", "narrow");
		f->narrow = calloc(n ? n : 1, sizeof(*f->narrow));
		f->nr_narrow = f->narrow ? n : 0;
		for (size_t i = 0; i < f->nr_narrow; i++) {
			json_object *l = json_object_array_get_idx(v, i);

			if (!json_object_is_type(l, json_type_object))
				bad(r, "not an object:", "narrow");
			else
				leaf(r, l, &f->narrow[i], true);
		}
	}
	f->little_endian = string(r, o, "little_endian", false);
	f->big_endian = string(r, o, "big_endian", false);
	f->instances = number(r, o, "instances", false);
	if ((v = member(r, o, "confirmed_by_layout", json_type_boolean, true)))
		f->confirmed = json_object_get_boolean(v);
	location(r, o, "location", &f->loc);
	f->frontend = string(r, o, "frontend", false);
	f->input = string(r, o, "input", false);
	/* "message" and "note" are words; the reporters make them again from the facts */
	if ((v = member(r, o, "absent_targets", json_type_array, true))) {
		size_t n = json_object_array_length(v);

		f->absent_targets = calloc(n ? n : 1, sizeof(*f->absent_targets));
		f->nr_absent = f->absent_targets ? n : 0;
		for (size_t i = 0; i < f->nr_absent; i++)
			target(r, json_object_array_get_idx(v, i), &f->absent_targets[i]);
		if (!f->absent_targets && !r->ret)
			r->ret = mtc_error_set(r->err, -ENOMEM, "out of memory");
	}
	if (!r->ret && mtc_finding_derive(f))
		r->ret = mtc_error_set(r->err, -ENOMEM, "out of memory");
	if (!r->ret)
		confidence(r, o, f);
	if (!r->ret && (!f->targets || (!f->narrow && f->nr_narrow)))
		r->ret = mtc_error_set(r->err, -ENOMEM, "out of memory");
	return f;
}

/* The findings array of a JSON report, or of a SARIF report written here. */
static json_object *findings_of(const char *name, json_object *root, struct mtc_error *err)
{
	json_object *v, *fs;

	if (!json_object_is_type(root, json_type_object))
		goto not_ours;
	if (json_object_object_get_ex(root, "runs", &v)) {
		json_object *run = json_object_is_type(v, json_type_array) &&
					   json_object_array_length(v) == 1
				   ? json_object_array_get_idx(v, 0) : NULL;
		json_object *props = NULL, *mt = NULL;

		if (!run || !json_object_object_get_ex(run, "properties", &props) ||
		    !json_object_object_get_ex(props, "mtcheck", &mt))
			return mtc_error_set(err, -EINVAL,
					     "%s: a SARIF report without mtcheck's findings in it "
					     "(only SARIF from mtcheck --merge or the GCC plugin can be merged; "
					     "merge the JSON reports instead)", name), NULL;
		root = mt;
	}
	if (!json_object_object_get_ex(root, "version", &v))
		goto not_ours;
	if (!json_object_is_type(v, json_type_int) || json_object_get_int(v) != 1)
		return mtc_error_set(err, -EINVAL, "%s: report version %s; this mtcheck reads version 1",
				     name, json_object_to_json_string(v)), NULL;
	if (!json_object_object_get_ex(root, "findings", &fs) ||
	    !json_object_is_type(fs, json_type_array))
		return mtc_error_set(err, -EINVAL, "%s: the report has no findings array", name), NULL;
	return fs;
not_ours:
	mtc_error_set(err, -EINVAL, "%s: not an mtcheck report (JSON version 1 or mtcheck's SARIF)",
		      name);
	return NULL;
}

int mtc_merge_parse(const char *name, const char *text, size_t len, const char *skip_input,
		    struct mtc_findings *fs, bool *multi_target, struct mtc_error *err)
{
	struct json_tokener *tok = json_tokener_new();
	json_object *root;
	int count = 0;

	if (!tok)
		return mtc_error_set(err, -ENOMEM, "out of memory");
	if (len > INT32_MAX) {
		json_tokener_free(tok);
		return mtc_error_set(err, -EFBIG, "%s: too large for a report", name);
	}
	root = json_tokener_parse_ex(tok, text, (int)len);
	enum json_tokener_error jerr = json_tokener_get_error(tok);
	size_t at = json_tokener_get_parse_end(tok);

	/* white space may follow the report, nothing else */
	while (root && at < len && strchr(" \t\r\n", text[at]))
		at++;
	if (!root || at < len) {
		mtc_error_set(err, -EINVAL, "%s: not valid JSON: %s at byte %zu", name,
			      root ? "data after the report"
				   : jerr == json_tokener_continue ? "it ends early"
								   : json_tokener_error_desc(jerr),
			      at);
		json_object_put(root);
		json_tokener_free(tok);
		return -EINVAL;
	}
	json_tokener_free(tok);

	json_object *arr = findings_of(name, root, err);
	struct reader r = { .name = name, .err = err };

	if (!arr) {
		json_object_put(root);
		return -EINVAL;
	}
	for (size_t i = 0; i < json_object_array_length(arr) && !r.ret; i++) {
		r.index = i;
		struct mtc_finding *f = finding(&r, json_object_array_get_idx(arr, i), multi_target);

		if (!f)
			break;
		if (r.ret || (skip_input && f->input && !strcmp(f->input, skip_input))) {
			mtc_finding_free(f);
			continue;
		}
		int ret = mtc_findings_add(fs, f);	/* takes f, even on failure */

		if (ret < 0)
			r.ret = mtc_error_set(err, ret, "out of memory");
		else
			count += ret;
	}
	json_object_put(root);
	return r.ret ? r.ret : count;
}

int mtc_merge_read_file(const char *path, struct mtc_findings *fs, bool *multi_target,
			struct mtc_error *err)
{
	FILE *f = fopen(path, "rb");
	struct stat st;

	if (!f)
		return mtc_error_set(err, -errno, "%s: %s", path, strerror(errno));
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
		fclose(f);
		return mtc_error_set(err, -EINVAL, "%s: not a regular file", path);
	}
	char *buf = malloc((size_t)st.st_size + 1);
	size_t n = buf ? fread(buf, 1, (size_t)st.st_size, f) : 0;
	int rd_err = ferror(f);

	fclose(f);
	if (!buf)
		return mtc_error_set(err, -ENOMEM, "%s: out of memory", path);
	if (rd_err) {
		free(buf);
		return mtc_error_set(err, -EIO, "%s: read error", path);
	}
	buf[n] = '\0';
	if (!n) {
		free(buf);
		return mtc_error_set(err, -EINVAL, "%s: empty file, not a report", path);
	}
	int ret = mtc_merge_parse(path, buf, n, NULL, fs, multi_target, err);

	free(buf);
	return ret;
}

/* A report written by the core's reporter, parsed back into json-c. */
static json_object *report_json(struct mtc_findings *fs, enum mtc_format format,
				const struct mtc_ruleset *rules, bool multi, struct mtc_error *err)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	struct mtc_report_conf rc = { .format = format, .rules = rules,
				      .tool_version = mtc_version(), .multi_target = multi };

	if (!mem) {
		mtc_error_set(err, -ENOMEM, "out of memory");
		return NULL;
	}
	int ret = mtc_report_write(mem, fs, &rc);

	if (fclose(mem) && !ret)
		ret = -ENOMEM;
	json_object *o = ret ? NULL : json_tokener_parse(buf);

	free(buf);
	if (!o)
		mtc_error_set(err, ret ? ret : -ENOMEM, "cannot build the report: %s",
			      strerror(ret ? -ret : ENOMEM));
	return o;
}

int mtc_merge_write(FILE *out, struct mtc_findings *fs, enum mtc_format format,
		    const struct mtc_ruleset *rules, bool multi_target, struct mtc_error *err)
{
	struct mtc_report_conf rc = { .format = format, .rules = rules,
				      .tool_version = mtc_version(), .multi_target = multi_target };

	mtc_findings_sort(fs);
	if (format != MTC_FORMAT_SARIF) {
		int ret = mtc_report_write(out, fs, &rc);

		return ret ? mtc_error_set(err, ret, "cannot write the report: %s", strerror(-ret)) : 0;
	}
	/* SARIF, with the JSON findings in the run's property bag */
	json_object *sarif = report_json(fs, MTC_FORMAT_SARIF, rules, multi_target, err);
	json_object *json = sarif ? report_json(fs, MTC_FORMAT_JSON, rules, multi_target, err) : NULL;
	json_object *runs, *run, *props = NULL;
	int ret = 0;

	if (!sarif || !json) {
		ret = err ? err->code : -ENOMEM;
		goto out;
	}
	if (!json_object_object_get_ex(sarif, "runs", &runs) ||
	    !(run = json_object_array_get_idx(runs, 0))) {
		ret = mtc_error_set(err, -EINVAL, "the SARIF report has no run");
		goto out;
	}
	if (!json_object_object_get_ex(run, "properties", &props)) {
		props = json_object_new_object();
		if (!props || json_object_object_add(run, "properties", props)) {
			json_object_put(props);
			ret = mtc_error_set(err, -ENOMEM, "out of memory");
			goto out;
		}
	}
	/* "mtcheck" takes the JSON report's frame: version, tool and findings */
	if (json_object_object_add(props, "mtcheck", json)) {
		ret = mtc_error_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	json = NULL;	/* owned by the SARIF now */
	const char *s = json_object_to_json_string_ext(sarif, JSON_FLAGS);

	if (!s) {
		ret = mtc_error_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	fputs(s, out);
	fputc('\n', out);
	if (fflush(out) || ferror(out))
		ret = mtc_error_set(err, -EIO, "cannot write the report: %s", strerror(EIO));
out:
	json_object_put(json);
	json_object_put(sarif);
	return ret;
}

int mtc_cli_merge(char *const *inputs, int nr_inputs, enum mtc_format format, const char *output,
		  const struct mtc_ruleset *rules, enum mtc_severity fail_on,
		  enum mtc_confidence min_confidence)
{
	struct mtc_findings *fs = mtc_findings_new();
	struct mtc_error err = { 0 };
	bool multi = false;
	int status = 2;

	if (!fs) {
		fprintf(stderr, "mtcheck: out of memory\n");
		return status;
	}
	for (int i = 0; i < nr_inputs; i++)
		if (mtc_merge_read_file(inputs[i], fs, &multi, &err) < 0) {
			fprintf(stderr, "mtcheck: %s\n", err.message);
			goto out;
		}
	FILE *out = output ? fopen(output, "w") : stdout;

	if (!out) {
		fprintf(stderr, "mtcheck: %s: %s\n", output, strerror(errno));
		goto out;
	}
	int ret;

	if (format == MTC_FORMAT_TEXT) {
		/* the text report for people: what is shown, grouped by record */
		struct mtc_report_conf rc = { .format = format, .rules = rules,
					      .tool_version = mtc_version(), .multi_target = multi,
					      .min_confidence = min_confidence };

		mtc_findings_sort(fs);
		ret = mtc_report_write(out, fs, &rc);
		if (ret)
			mtc_error_set(&err, ret, "cannot write the report: %s", strerror(-ret));
	} else {
		ret = mtc_merge_write(out, fs, format, rules, multi, &err);
	}

	if (out != stdout && fclose(out) && !ret)
		ret = mtc_error_set(&err, -errno, "cannot write the report: %s", strerror(errno));
	if (ret) {
		fprintf(stderr, "mtcheck: %s: %s\n", output ? output : "stdout", err.message);
		goto out;
	}
	status = mtc_findings_max_severity_shown(fs, min_confidence) >= fail_on ? 1 : 0;
out:
	mtc_findings_free(fs);
	return status;
}
