// SPDX-License-Identifier: MIT
/*
 * Reports read back, and merged (see report.h).
 *
 * A kernel build's report runs to tens of megabytes, so a report is never
 * held as one json-c tree.  A small scanner walks the frame of the
 * document (the top-level object, JSON's findings array, SARIF's runs and
 * results), copies one finding at a time into a buffer and hands that to
 * json-c; what the reader does not need (SARIF's rule help) is skipped
 * without being kept.  Each finding becomes a struct mtc_finding again,
 * from its facts, and goes into the findings list, which drops repeats.
 */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report_read_internal.h"

/* ---- the scanner ------------------------------------------------------- */

static uint64_t at(const struct rd *r)
{
	return r->before + r->pos;
}

int mtc_rd_fail(struct rd *r, int code, const char *fmt, ...)
{
	if (!r->ret) {
		char msg[sizeof(r->err->message)];
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		r->ret = mtc_error_set(r->err, code, "%s: %s", r->name, msg);
	}
	return r->ret;
}

static int syntax(struct rd *r, const char *what)
{
	return mtc_rd_fail(r, -EINVAL, "not valid JSON: %s at byte %llu", what,
		    (unsigned long long)at(r));
}

static int peek(struct rd *r)
{
	if (r->pos == r->len && !r->eof && !r->ret) {
		ssize_t n;

		if (r->in_mem) {
			size_t off = (size_t)(r->before + r->len);

			n = (ssize_t)(r->mem_len - off < sizeof(r->buf) ? r->mem_len - off
								      : sizeof(r->buf));
			memcpy(r->buf, r->mem + off, (size_t)n);
		} else {
			do
				n = read(r->fd, r->buf, sizeof(r->buf));
			while (n < 0 && errno == EINTR);
		}
		r->before += r->len;
		r->pos = r->len = 0;
		if (n < 0) {
			r->eof = true;
			mtc_rd_fail(r, -errno, "read error: %s", strerror(errno));
		} else if (n == 0) {
			r->eof = true;
		} else {
			r->len = (size_t)n;
		}
	}
	return r->pos < r->len ? r->buf[r->pos] : -1;
}

static int get(struct rd *r)
{
	int c = peek(r);

	if (c >= 0)
		r->pos++;
	return c;
}

static int skip_ws(struct rd *r)
{
	int c;

	while ((c = peek(r)) == ' ' || c == '\t' || c == '\n' || c == '\r')
		r->pos++;
	return c;
}

static bool scalar_char(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '-' || c == '+' || c == '.';
}

/* The rest of a string after its opening quote, into @keep when not NULL. */
static int scan_string(struct rd *r, struct strbuf *keep)
{
	for (;;) {
		int c = get(r);

		if (c < 0)
			return r->ret ? r->ret : syntax(r, "it ends inside a string");
		if (c < 0x20)
			return syntax(r, "a control character in a string");
		if (keep)
			sb_addc(keep, (char)c);
		if (c == '"')
			return 0;
		if (c == '\\') {
			if ((c = get(r)) < 0)
				return r->ret ? r->ret : syntax(r, "it ends inside a string");
			if (keep)
				sb_addc(keep, (char)c);
		}
	}
}

/*
 * One JSON value, copied into @keep when not NULL (to be parsed by json-c)
 * or only stepped over.  Strings, escapes and bracket nesting are tracked;
 * the rest of the syntax of a kept value is json-c's to check.
 */
static int scan_value(struct rd *r, struct strbuf *keep)
{
	char stack[MAX_DEPTH];
	size_t depth = 0;
	int c = skip_ws(r);

	if (c < 0)
		return r->ret ? r->ret : syntax(r, "it ends early");
	do {
		c = get(r);
		if (c < 0)
			return r->ret ? r->ret : syntax(r, "it ends early");
		if (keep)
			sb_addc(keep, (char)c);
		if (c == '"') {
			if (scan_string(r, keep))
				return r->ret;
		} else if (c == '{' || c == '[') {
			if (depth == MAX_DEPTH)
				return syntax(r, "nested too deeply");
			stack[depth++] = c == '{' ? '}' : ']';
		} else if (c == '}' || c == ']') {
			if (!depth || stack[depth - 1] != c) {
				r->pos--;
				return syntax(r, "unexpected bracket");
			}
			depth--;
		} else if (scalar_char(c)) {
			while (scalar_char(peek(r))) {
				c = get(r);
				if (keep)
					sb_addc(keep, (char)c);
			}
		} else if (!depth || !strchr(" \t\r\n,:", c)) {
			r->pos--;
			return syntax(r, "unexpected character");
		}
	} while (depth);
	return 0;
}

static int expect(struct rd *r, int want, const char *what)
{
	if (skip_ws(r) != want)
		return r->ret ? r->ret : syntax(r, what);
	r->pos++;
	return 0;
}

/* json-c's tree of the text in @sb, which must be exactly one value. */
static json_object *parse_kept(struct rd *r, struct strbuf *sb)
{
	if (sb->oom) {
		mtc_rd_fail(r, -ENOMEM, "out of memory");
		return NULL;
	}
	json_tokener_reset(r->tok);
	/* the terminating NUL ends a number that ends the text */
	json_object *o = json_tokener_parse_ex(r->tok, sb_str(sb), (int)(sb->len + 1));

	if (!o) {
		enum json_tokener_error e = json_tokener_get_error(r->tok);

		mtc_rd_fail(r, -EINVAL,
		     "not valid JSON: %s before byte %llu", json_tokener_error_desc(e),
		     (unsigned long long)at(r));
	}
	return o;
}

/* The key of an object member, decoded, and the ':' after it, into r->elem. */
static int scan_key(struct rd *r)
{
	sb_truncate(&r->elem, 0);
	if (skip_ws(r) != '"')
		return r->ret ? r->ret : syntax(r, "expected a key");
	if (scan_value(r, &r->elem))
		return r->ret;
	json_object *k = parse_kept(r, &r->elem);

	if (!k)
		return r->ret;
	sb_truncate(&r->elem, 0);
	sb_addn(&r->elem, json_object_get_string(k), (size_t)json_object_get_string_len(k));
	json_object_put(k);
	return expect(r, ':', "expected ':'");
}

/*
 * Call @member for each member of the object that starts here, with its
 * key in r->elem and the reader at its value, which @member must consume.
 */
static int each_member(struct rd *r, int (*member)(struct rd *r, void *arg), void *arg)
{
	if (expect(r, '{', "expected an object"))
		return r->ret;
	if (skip_ws(r) == '}') {
		r->pos++;
		return 0;
	}
	for (;;) {
		if (scan_key(r) || member(r, arg))
			return r->ret;
		int c = skip_ws(r);

		r->pos += c >= 0;
		if (c == '}')
			return 0;
		if (c != ',') {
			r->pos -= c >= 0;
			return r->ret ? r->ret : syntax(r, "expected ',' or '}'");
		}
	}
}

/* Call @element for each element of the array that starts here. */
static int each_element(struct rd *r, int (*element)(struct rd *r, void *arg), void *arg)
{
	if (expect(r, '[', "expected an array"))
		return r->ret;
	if (skip_ws(r) == ']') {
		r->pos++;
		return 0;
	}
	for (;;) {
		if (element(r, arg))
			return r->ret;
		int c = skip_ws(r);

		r->pos += c >= 0;
		if (c == ']')
			return 0;
		if (c != ',') {
			r->pos -= c >= 0;
			return r->ret ? r->ret : syntax(r, "expected ',' or ']'");
		}
	}
}

/* ---- the document ------------------------------------------------------- */

static void add(struct rd *r, struct mtc_finding *f)
{
	const char *skip = r->conf ? r->conf->skip_input : NULL;

	if (skip && f->input && !strcmp(f->input, skip)) {
		mtc_finding_free(f);
		return;
	}
	int ret = mtc_findings_add(r->out, f);	/* takes f, even on failure */

	if (ret < 0)
		mtc_rd_fail(r, ret, "out of memory");
	else
		r->added += ret;
}

/* A finding, held until the document's "version" says what it is. */
static void keep(struct rd *r, struct mtc_finding *f)
{
	if (r->nr_pending == r->cap_pending) {
		size_t cap = r->cap_pending ? 2 * r->cap_pending : 64;
		struct mtc_finding **p = realloc(r->pending, cap * sizeof(*p));

		if (!p) {
			mtc_finding_free(f);
			mtc_rd_fail(r, -ENOMEM, "out of memory");
			return;
		}
		r->pending = p;
		r->cap_pending = cap;
	}
	r->pending[r->nr_pending++] = f;
}

static void drop_pending(struct rd *r)
{
	for (size_t i = 0; i < r->nr_pending; i++)
		mtc_finding_free(r->pending[i]);
	r->nr_pending = 0;
}

/* One finding's JSON, from a JSON report's array or a SARIF result's properties. */
static int read_finding(struct rd *r, bool sarif_result)
{
	r->index++;
	sb_truncate(&r->elem, 0);
	if (scan_value(r, &r->elem))
		return r->ret;
	json_object *o = parse_kept(r, &r->elem), *props = o;

	if (!o)
		return r->ret;
	if (sarif_result &&
	    (!json_object_is_type(o, json_type_object) ||
	     !json_object_object_get_ex(o, "properties", &props) ||
	     !json_object_is_type(props, json_type_object) ||
	     !json_object_object_get_ex(props, "rule", NULL))) {
		json_object_put(o);
		return mtc_rd_fail(r, -EINVAL, "finding %zu: a SARIF result without mtcheck's finding in "
				    "its properties (SARIF from another tool, or from an older mtcheck)",
			    r->index);
	}
	struct mtc_finding *f = mtc_rd_finding(r, props);

	json_object_put(o);
	if (!f)
		return r->ret;
	if (r->ret)
		mtc_finding_free(f);
	else if (sarif_result ? r->sarif : r->json_v1)
		add(r, f);
	else
		keep(r, f);
	return r->ret;
}

static int json_finding_element(struct rd *r, void *arg)
{
	(void)arg;
	return read_finding(r, false);
}

static int sarif_result_element(struct rd *r, void *arg)
{
	(void)arg;
	return read_finding(r, true);
}

/* Whether the key just read is @key (a key holding a \u0000 is none of ours). */
static bool key_is(const struct rd *r, const char *key)
{
	return r->elem.len == strlen(key) && !memcmp(sb_str(&r->elem), key, r->elem.len);
}

static int run_member(struct rd *r, void *arg)
{
	(void)arg;
	if (key_is(r, "results"))
		return each_element(r, sarif_result_element, NULL);
	if (!key_is(r, "tool"))
		return scan_value(r, NULL);
	/* the tool: small next to the results (a dozen rules' help) */
	sb_truncate(&r->elem, 0);
	if (scan_value(r, &r->elem))
		return r->ret;
	json_object *tool = parse_kept(r, &r->elem), *driver, *name;

	if (!tool)
		return r->ret;
	if (json_object_object_get_ex(tool, "driver", &driver) &&
	    json_object_object_get_ex(driver, "name", &name) &&
	    json_object_is_type(name, json_type_string) &&
	    strcmp(json_object_get_string(name), "mtcheck"))
		mtc_rd_fail(r, -EINVAL, "SARIF from '%s', not from mtcheck", json_object_get_string(name));
	json_object_put(tool);
	return r->ret;
}

static int run_element(struct rd *r, void *arg)
{
	return each_member(r, run_member, arg);
}

static int document_member(struct rd *r, void *arg)
{
	(void)arg;
	if (key_is(r, "findings")) {
		r->has_findings = true;
		return each_element(r, json_finding_element, NULL);
	}
	if (key_is(r, "runs")) {
		r->has_runs = true;
		return each_element(r, run_element, NULL);
	}
	if (!key_is(r, "version"))
		return scan_value(r, NULL);
	sb_truncate(&r->elem, 0);
	if (scan_value(r, &r->elem))
		return r->ret;
	json_object *v = parse_kept(r, &r->elem);

	if (!v)
		return r->ret;
	if (json_object_is_type(v, json_type_int) && json_object_get_int64(v) == 1)
		r->json_v1 = true;
	else if (json_object_is_type(v, json_type_string) &&
		 !strcmp(json_object_get_string(v), "2.1.0"))
		r->sarif = true;
	else
		mtc_rd_fail(r, -EINVAL, "report version %s; this mtcheck reads JSON version 1 and "
				 "SARIF 2.1.0", json_object_to_json_string(v));
	json_object_put(v);
	/* the findings met before the version are this document's after all */
	for (size_t i = 0; i < r->nr_pending && !r->ret; i++) {
		add(r, r->pending[i]);
		r->pending[i] = NULL;
	}
	drop_pending(r);
	return r->ret;
}

/* One report: a JSON one, or a SARIF log. */
static int read_document(struct rd *r)
{
	r->json_v1 = r->sarif = r->has_findings = r->has_runs = false;
	if (skip_ws(r) != '{')
		return r->ret ? r->ret : syntax(r, "not an object");
	if (each_member(r, document_member, NULL))
		return r->ret;
	if (r->json_v1 && !r->has_findings)
		return mtc_rd_fail(r, -EINVAL, "the report has no findings array");
	if (!r->json_v1 && !(r->sarif && r->has_runs))
		return mtc_rd_fail(r, -EINVAL, "not an mtcheck report (JSON version 1 or mtcheck's SARIF)");
	return 0;
}

static int read_report(struct rd *r)
{
	int c = skip_ws(r);

	if (c < 0 && !r->ret) {
		if (r->conf && r->conf->empty_ok)
			return 0;
		return mtc_rd_fail(r, -EINVAL, "empty file, not a report");
	}
	/* JSON reports may follow one another (JSON Lines); a SARIF log stands alone */
	while (!read_document(r) && (c = skip_ws(r)) >= 0)
		if (r->sarif || c != '{')
			return syntax(r, "data after the report");
	return r->ret;
}

static int read_from(int fd, bool in_mem, const void *mem, size_t mem_len, const char *name,
		     struct mtc_findings *out, struct mtc_read_conf *conf, struct mtc_error *err)
{
	struct rd *r = calloc(1, sizeof(*r));
	int ret;

	if (!r)
		return mtc_error_set(err, -ENOMEM, "%s: out of memory", name);
	r->fd = fd;
	r->in_mem = in_mem;
	r->mem = mem;
	r->mem_len = mem_len;
	r->name = name;
	r->out = out;
	r->conf = conf;
	r->err = err;
	sb_init(&r->elem);
	if (!(r->tok = json_tokener_new()))
		mtc_rd_fail(r, -ENOMEM, "out of memory");
	else
		json_tokener_set_flags(r->tok, JSON_TOKENER_STRICT);
	if (!r->ret)
		read_report(r);
	ret = r->ret ? r->ret : r->added;
	drop_pending(r);
	free(r->pending);
	sb_free(&r->elem);
	if (r->tok)
		json_tokener_free(r->tok);
	free(r);
	return ret;
}

int mtc_report_read_fd(int fd, const char *name, struct mtc_findings *out,
		       struct mtc_read_conf *conf, struct mtc_error *err)
{
	return read_from(fd, false, NULL, 0, name, out, conf, err);
}

int mtc_report_read_mem(const void *data, size_t len, const char *name, struct mtc_findings *out,
			struct mtc_read_conf *conf, struct mtc_error *err)
{
	return read_from(-1, true, data, len, name, out, conf, err);
}

int mtc_report_read(const char *path, struct mtc_findings *out, struct mtc_read_conf *conf,
		    struct mtc_error *err)
{
	int fd = mtc_input_open(path, NULL, err);

	if (fd < 0)
		return fd;
	int ret = mtc_report_read_fd(fd, path, out, conf, err);

	close(fd);
	return ret;
}

int mtc_report_merge(const char *const *paths, size_t n, struct mtc_findings *out,
		     struct mtc_read_conf *conf, struct mtc_error *err)
{
	for (size_t i = 0; i < n; i++) {
		int ret = mtc_report_read(paths[i], out, conf, err);

		if (ret < 0)
			return ret;
	}
	/* reports of targets of both byte orders: what the source adapts is no hazard */
	if (n > 1 && mtc_findings_drop_adapted(out) < 0)
		return mtc_error_set(err, -ENOMEM, "out of memory");
	/*
	 * One report for several targets: every finding is written with its
	 * list of targets, so every message names them, as a multi-target run's
	 * do (a finding read from a single-target report would not, and would
	 * read back different).  The findings are @out's own.
	 */
	for (size_t i = 0; conf && conf->multi_target && i < mtc_findings_count(out); i++)
		((struct mtc_finding *)mtc_findings_at(out, i))->multi_target = true;
	mtc_findings_sort(out);
	return mtc_findings_count(out) > INT_MAX ? INT_MAX : (int)mtc_findings_count(out);
}

int mtc_findings_add_copies(struct mtc_findings *to, const struct mtc_findings *from,
			    struct mtc_error *err)
{
	for (size_t i = 0; i < mtc_findings_count(from); i++) {
		struct mtc_finding *f = mtc_finding_dup(mtc_findings_at(from, i));

		if (!f || mtc_findings_add(to, f) < 0)
			return mtc_error_set(err, -ENOMEM, "out of memory");
	}
	return 0;
}
