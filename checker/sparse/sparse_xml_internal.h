/* SPDX-License-Identifier: MIT */
/*
 * What the files that read c2xml's XML share: the symbol index, the
 * conversion's state and the small accessors (sparse_xml.c), the target
 * probe (sparse_probe.c), the source files looked at for typedef names
 * (sparse_source.c).  Not installed.
 */
#ifndef MTCHECK_SPARSE_XML_INTERNAL_H
#define MTCHECK_SPARSE_XML_INTERNAL_H

#include <errno.h>
#include <libxml/tree.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "sparse_xml.h"

/* One <symbol> element. */
struct sym {
	xmlNode *node;
	const char *kind;	/* its "type": struct, union, node, pointer, ... */
	const char *ident;
	bool top;		/* a child of <parse> */
	bool typedef_named;	/* an anonymous record or enum named by its typedef */
	int state;		/* 0 new, 1 being converted, 2 converted */
	struct mtc_type *type;
};

/* A base type: its size and alignment as the probe showed them. */
struct builtin {
	const char *name;	/* sparse's spelling: "unsigned long", "bool" */
	unsigned bits, align;
	struct mtc_type *type;
};

/* A source file, read once to look at the token a record starts with. */
struct source {
	const char *name;	/* as c2xml spells it; the model's copy */
	char *text;		/* NULL when it cannot be read */
	size_t len;
	size_t *line_start;	/* offset of each line, [0] for line 1 */
	size_t nr_lines;
	bool read;		/* text was asked for */
};

struct conv {
	const struct mts_xml_conf *conf;
	struct mtc_model *m;
	enum mtc_endian endian;
	bool char_signed;
	struct sym *syms;	/* by id */
	size_t nr_syms;
	struct builtin builtins[24];
	size_t nr_builtins;
	struct source *sources;
	size_t nr_sources, cap_sources;
	const char *root;	/* the named record being converted, for messages */
	struct mtc_error *err;
	int ret;
};

static inline const char *attr(const xmlNode *n, const char *name)
{
	for (const xmlAttr *a = n->properties; a; a = a->next)
		if (!strcmp((const char *)a->name, name))
			return a->children && a->children->content
				       ? (const char *)a->children->content : "";
	return NULL;
}

/* A numeric attribute; false when it is missing or not a number. */
static inline bool num_attr(const xmlNode *n, const char *name, long long *out)
{
	const char *s = attr(n, name);
	char *end;

	if (!s || !*s)
		return false;
	errno = 0;
	*out = strtoll(s, &end, 10);
	return !*end && !errno;
}

static inline bool is_symbol(const xmlNode *n)
{
	return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, "symbol");
}

static inline bool kind_is(const struct sym *s, const char *k)
{
	return s->kind && !strcmp(s->kind, k);
}

static inline bool is_record_sym(const struct sym *s)
{
	return kind_is(s, "struct") || kind_is(s, "union");
}

/* Record the first error (@n: the symbol it is about, or NULL); returns it. */
int mts_fail(struct conv *c, int code, const xmlNode *n, const char *what);
int mts_oom(struct conv *c);
/* The symbol an id attribute ("_12") names; NULL when there is none. */
struct sym *mts_sym_by_ref(struct conv *c, const char *ref);
struct sym *mts_base_of(struct conv *c, const struct sym *s);

/* The target and the base types' sizes from the probe's declarations. */
int mts_read_probe(struct conv *c, struct mtc_target *t);

/*
 * The entry for a file name as c2xml spells it: one model copy of the name
 * for every location in it, and its text once @want_text asks for it.
 */
struct source *mts_source_for(struct conv *c, const char *name, bool want_text);
/* Mark the anonymous records and enums that sparse named after their typedef. */
void mts_find_typedef_names(struct conv *c);
void mts_free_sources(struct conv *c);

#endif
