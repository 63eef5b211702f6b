// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "yaml_doc.h"

/* YAML says keys are unique; libyaml keeps both, and the last would win silently. */
static int no_duplicate_keys(struct ydoc *d, struct mtc_error *err)
{
	for (yaml_node_t *n = d->doc.nodes.start; n < d->doc.nodes.top; n++) {
		if (n->type != YAML_MAPPING_NODE)
			continue;
		for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
		     p < n->data.mapping.pairs.top; p++) {
			yaml_node_t *k = ydoc_node(d, p->key);

			if (!k || k->type != YAML_SCALAR_NODE)
				continue;
			for (yaml_node_pair_t *q = n->data.mapping.pairs.start; q < p; q++) {
				yaml_node_t *o = ydoc_node(d, q->key);

				if (o && o->type == YAML_SCALAR_NODE &&
				    !strcmp((const char *)o->data.scalar.value,
					    (const char *)k->data.scalar.value))
					return ydoc_error(d, k, err, "duplicate key '%s'",
							  (const char *)k->data.scalar.value);
			}
		}
	}
	return 0;
}

int ydoc_load(struct ydoc *d, const char *file, struct mtc_error *err)
{
	yaml_parser_t p;
	FILE *f = fopen(file, "rb");
	int ret = 0;

	struct stat st;

	memset(d, 0, sizeof(*d));
	d->file = file;
	if (!f)
		return mtc_error_set(err, -errno, "%s: %s", file, strerror(errno));
	if (!fstat(fileno(f), &st) && S_ISDIR(st.st_mode)) {
		fclose(f);
		return mtc_error_set(err, -EISDIR, "%s: %s", file, strerror(EISDIR));
	}
	if (!yaml_parser_initialize(&p)) {
		fclose(f);
		return mtc_error_set(err, -ENOMEM, "%s: out of memory", file);
	}
	yaml_parser_set_input_file(&p, f);
	if (!yaml_parser_load(&p, &d->doc)) {
		ret = mtc_error_set(err, -EINVAL, "%s:%zu:%zu: %s", file,
				    p.problem_mark.line + 1, p.problem_mark.column + 1,
				    p.problem ? p.problem : "invalid YAML");
	} else {
		d->loaded = true;
		yaml_node_t *root = yaml_document_get_root_node(&d->doc);

		if (!root)
			ret = mtc_error_set(err, -EINVAL, "%s: empty file", file);
		else if (root->type != YAML_MAPPING_NODE)
			ret = ydoc_error(d, root, err, "expected a mapping of keys to values");
		else
			ret = no_duplicate_keys(d, err);
	}
	yaml_parser_delete(&p);
	fclose(f);
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
	const char *s;
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
