/* SPDX-License-Identifier: MIT */
/*
 * Reading the YAML files (rules, config) through libyaml's document API,
 * with every error naming file:line:column.
 */
#ifndef MTCHECK_YAML_DOC_H
#define MTCHECK_YAML_DOC_H

#include <stdbool.h>
#include <yaml.h>

#include "mtcheck/error.h"

struct ydoc {
	const char *file;
	yaml_document_t doc;
	bool loaded;
};

/* Bounds on the YAML files (rules, config); both far above any real one. */
#define MTC_YAML_MAX_SIZE ((size_t)16 << 20)	/* bytes */
#define MTC_YAML_MAX_DEPTH 64			/* nested sequences and mappings */

/*
 * Parse @file; its root must be a mapping.  -EINVAL with a located message
 * otherwise; -E2BIG when it nests deeper than MTC_YAML_MAX_DEPTH, -EFBIG
 * when it is larger than MTC_YAML_MAX_SIZE.
 */
int ydoc_load(struct ydoc *d, const char *file, struct mtc_error *err);
/*
 * The same for @len bytes of YAML at @text, which need not end in a NUL;
 * @name stands for the file in messages and must outlive @d.
 */
int ydoc_load_text(struct ydoc *d, const char *name, const char *text, size_t len,
		   struct mtc_error *err);
void ydoc_free(struct ydoc *d);
yaml_node_t *ydoc_root(struct ydoc *d);
yaml_node_t *ydoc_node(struct ydoc *d, int id);
/* An error located at @n: "file:line:col: message". */
int ydoc_error(struct ydoc *d, const yaml_node_t *n, struct mtc_error *err,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The scalar's text, or an error naming @what when @n is not a scalar. */
int ydoc_scalar(struct ydoc *d, yaml_node_t *n, const char *what, const char **out,
		struct mtc_error *err);
int ydoc_bool(struct ydoc *d, yaml_node_t *n, const char *what, bool *out,
	      struct mtc_error *err);

#endif
