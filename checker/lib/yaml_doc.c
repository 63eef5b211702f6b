// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "yaml_doc.h"

struct key_at {
	const char *key;
	size_t pair;		/* its place in the mapping */
};

static int cmp_key(const void *a, const void *b)
{
	const struct key_at *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : (x->pair > y->pair) - (x->pair < y->pair);
}

/*
 * YAML says keys are unique; libyaml keeps both, and the last would win
 * silently.  Sorted, so that a mapping of many keys costs n log n; the
 * error names the first key in the file that repeats an earlier one.
 */
static int no_duplicate_keys(struct ydoc *d, struct mtc_error *err)
{
	struct key_at *keys = NULL;
	size_t cap = 0;
	int ret = 0;

	for (yaml_node_t *n = d->doc.nodes.start; n < d->doc.nodes.top && !ret; n++) {
		if (n->type != YAML_MAPPING_NODE)
			continue;
		yaml_node_pair_t *pairs = n->data.mapping.pairs.start;
		size_t nk = 0, np = (size_t)(n->data.mapping.pairs.top - pairs), first = np;

		if (np > cap) {
			struct key_at *k = realloc(keys, np * sizeof(*k));

			if (!k) {
				ret = mtc_error_set(err, -ENOMEM, "%s: out of memory", d->file);
				break;
			}
			keys = k;
			cap = np;
		}
		for (size_t i = 0; i < np; i++) {
			yaml_node_t *k = ydoc_node(d, pairs[i].key);

			if (k && k->type == YAML_SCALAR_NODE)
				keys[nk++] = (struct key_at){ (const char *)k->data.scalar.value, i };
		}
		if (nk)	/* an empty mapping has no keys, and keys may be NULL */
			qsort(keys, nk, sizeof(*keys), cmp_key);
		for (size_t i = 1; i < nk; i++)
			if (!strcmp(keys[i - 1].key, keys[i].key) && keys[i].pair < first)
				first = keys[i].pair;
		if (first < np) {
			yaml_node_t *k = ydoc_node(d, pairs[first].key);

			ret = ydoc_error(d, k, err, "duplicate key '%s'",
					 (const char *)k->data.scalar.value);
		}
	}
	free(keys);
	return ret;
}

/*
 * libyaml keeps a stack of possible simple keys with one entry per open
 * flow collection and looks through all of it at every token, so deep
 * nesting costs the square of its depth.  The events are read once first,
 * without building anything, and the file is refused as soon as it nests
 * deeper than any configuration needs.
 */
static int check_depth(const char *file, const char *text, size_t len, struct mtc_error *err)
{
	yaml_parser_t p;
	int depth = 0, ret = 0;

	if (!yaml_parser_initialize(&p))
		return mtc_error_set(err, -ENOMEM, "%s: out of memory", file);
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	for (;;) {
		yaml_event_t e;

		/* a syntax error is reported by the real load, the same way */
		if (!yaml_parser_parse(&p, &e))
			break;
		yaml_event_type_t type = e.type;

		if (type == YAML_SEQUENCE_START_EVENT || type == YAML_MAPPING_START_EVENT) {
			if (++depth > MTC_YAML_MAX_DEPTH)
				ret = mtc_error_set(err, -E2BIG,
						    "%s:%zu:%zu: nests more than %d levels deep",
						    file, e.start_mark.line + 1,
						    e.start_mark.column + 1, MTC_YAML_MAX_DEPTH);
		} else if (type == YAML_SEQUENCE_END_EVENT || type == YAML_MAPPING_END_EVENT) {
			depth--;
		}
		yaml_event_delete(&e);
		if (ret || type == YAML_STREAM_END_EVENT)
			break;
	}
	yaml_parser_delete(&p);
	return ret;
}

int ydoc_load(struct ydoc *d, const char *file, struct mtc_error *err)
{
	char *text;
	size_t len;
	int ret;

	memset(d, 0, sizeof(*d));
	if ((ret = mtc_input_read(file, MTC_YAML_MAX_SIZE, &text, &len, err)))
		return ret;
	ret = ydoc_load_text(d, file, text, len, err);
	free(text);
	return ret;
}

int ydoc_load_text(struct ydoc *d, const char *name, const char *text, size_t len,
		   struct mtc_error *err)
{
	yaml_parser_t p;
	int ret;

	memset(d, 0, sizeof(*d));
	d->file = name;
	if (len > MTC_YAML_MAX_SIZE)
		return mtc_error_set(err, -EFBIG, "%s: %zu bytes; mtcheck reads at most %zu here",
				     name, len, MTC_YAML_MAX_SIZE);
	if ((ret = check_depth(name, text, len, err)))
		return ret;
	if (!yaml_parser_initialize(&p))
		return mtc_error_set(err, -ENOMEM, "%s: out of memory", name);
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	if (!yaml_parser_load(&p, &d->doc)) {
		ret = mtc_error_set(err, -EINVAL, "%s:%zu:%zu: %s", name,
				    p.problem_mark.line + 1, p.problem_mark.column + 1,
				    p.problem ? p.problem : "invalid YAML");
	} else {
		d->loaded = true;
		yaml_node_t *root = yaml_document_get_root_node(&d->doc);

		if (!root)
			ret = mtc_error_set(err, -EINVAL, "%s: empty file", name);
		else if (root->type != YAML_MAPPING_NODE)
			ret = ydoc_error(d, root, err, "expected a mapping of keys to values");
		else
			ret = no_duplicate_keys(d, err);
	}
	yaml_parser_delete(&p);
	if (ret)
		ydoc_free(d);
	return ret;
}

void ydoc_free(struct ydoc *d)
{
	if (d->loaded)
		yaml_document_delete(&d->doc);
	d->loaded = false;
}

yaml_node_t *ydoc_root(struct ydoc *d)
{
	return yaml_document_get_root_node(&d->doc);
}

yaml_node_t *ydoc_node(struct ydoc *d, int id)
{
	return yaml_document_get_node(&d->doc, id);
}

int ydoc_error(struct ydoc *d, const yaml_node_t *n, struct mtc_error *err,
	       const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return mtc_error_set(err, -EINVAL, "%s:%zu:%zu: %s", d->file, n->start_mark.line + 1,
			     n->start_mark.column + 1, msg);
}

int ydoc_scalar(struct ydoc *d, yaml_node_t *n, const char *what, const char **out,
		struct mtc_error *err)
{
	if (n->type != YAML_SCALAR_NODE)
		return ydoc_error(d, n, err, "'%s' must be a single value", what);
	*out = (const char *)n->data.scalar.value;
	return 0;
}

int ydoc_bool(struct ydoc *d, yaml_node_t *n, const char *what, bool *out,
	      struct mtc_error *err)
{
	const char *s = NULL;
	int ret = ydoc_scalar(d, n, what, &s, err);

	if (ret)
		return ret;
	if (!strcmp(s, "true") || !strcmp(s, "yes") || !strcmp(s, "on")) {
		*out = true;
		return 0;
	}
	if (!strcmp(s, "false") || !strcmp(s, "no") || !strcmp(s, "off")) {
		*out = false;
		return 0;
	}
	return ydoc_error(d, n, err, "'%s' must be true or false, not '%s'", what, s);
}
