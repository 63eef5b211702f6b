/* SPDX-License-Identifier: MIT */
/*
 * What the files of the overlap analysis share; not installed.
 *
 *   leaves.c    a union member's scalars as leaf runs (arrays kept whole)
 *   overlap.c   the sweep: wide runs against narrower ones, families of
 *               alike overlaps, nested-union views, alike array elements
 *   classify.c  facts -> rule -> finding, with value bits and pictures
 *   analysis.c  the walk over named records and their unions
 *   explain.c   --explain's drawing
 */
#ifndef MTCHECK_ANALYSIS_INTERNAL_H
#define MTCHECK_ANALYSIS_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "mtcheck/analysis.h"
#include "strbuf.h"

#define MAX_DIMS 8
#define PLACEHOLDER '\x01'

struct leaf_run {
	const struct mtc_type *type;	/* the scalar */
	char *path_fmt;			/* PLACEHOLDER where the run's indexes go */
	uint64_t dims[MAX_DIMS];	/* counts of the folded arrays, outermost first */
	unsigned nr_dims;
	uint64_t alloc;			/* allocation bit of instance 0, from the named record */
	uint64_t stride;		/* bits between instances */
	uint64_t count;
	uint32_t bits;			/* width */
	bool bitfield;
	bool in_char_array;
	const struct mtc_member *decl;	/* declaration inside the named record, for locations */
	const struct mtc_member *inner;	/* the member that declares the scalar, in whatever record */
	/*
	 * Which alternatives of nested unions the leaf sits in: "id:alt/"
	 * per union on its path.  Leaves whose views diverge can never hold
	 * values at the same time, so they are not reported together.
	 */
	char *view;
};

struct run_list {
	struct leaf_run *v;
	size_t n, cap;
};

/* The union being analysed, for confidence.c; set by analyze_union. */
struct union_state {
	const struct mtc_type *unit;
	const struct run_list *alts;		/* leaf runs of each member */
	const struct mtc_type *container;	/* the record holding it; NULL when it is the root */
	char *path;				/* its path from the named record */
	size_t container_path_len;		/* the container's path: a prefix of path */
	unsigned wide_alt, narrow_alt;		/* the members an_overlay is comparing */
	unsigned shapes;			/* differently shaped members, counted up to MAX_SHAPES */
	bool tag_done, has_tag;
	struct mtc_evidence tag;
};

struct tag_index;
struct source_cache;

/* A block of a source file under a byte-order conditional: lines (start, end), the #if's line and the macro it names. */
struct source_region {
	unsigned start, end, if_line;
	char macro[64];
};

/*
 * The byte-order conditionals of @path, read and scanned on first use into
 * *@cache (source_regions.c); none (and *@n = 0) for a file that cannot be
 * read, is not a regular file, or is over 8 MiB.
 */
const struct source_region *an_source_regions(struct source_cache **cache, const char *path, size_t *n);
void an_source_cache_free(struct source_cache *c);

struct walk {
	const struct mtc_model *model;
	const struct mtc_analysis_conf *conf;
	enum mtc_endian endian;
	const struct mtc_type *root;
	struct mtc_findings *out;
	int added;
	int err;
	struct strbuf view;	/* the view of the leaves being collected */
	unsigned next_union;	/* ids for nested unions met while collecting */
	/*
	 * The nested unions met since the union being analysed began: id
	 * nested_base + i is nested[i], and nested_shapes[i] is 1 + its
	 * count of differently shaped members once worked out, else 0.
	 */
	unsigned nested_base;
	const struct mtc_type **nested;
	unsigned *nested_shapes;
	size_t nr_nested, nested_cap;
	/*
	 * The union being analysed gives at most union_limit findings (one
	 * per alternative, at least UNION_MIN_FINDINGS); the rest are counted in union_more and the last
	 * finding kept, union_last, says how many there were.
	 */
	size_t union_found, union_limit;
	uint64_t union_more;
	struct mtc_finding *union_last;
	struct union_state cur;
	struct tag_index *tags;		/* named unions held beside a tag, built when needed */
	struct source_cache *sources;	/* byte-order conditionals of the files read */
	const struct mtc_member *inner;	/* while collecting leaves: the member being entered */
};

/* One narrow instance over one wide instance. */
struct hit {
	size_t run;		/* index into the narrow run list */
	uint64_t instance;
	int64_t rel;		/* allocation bits from the wide instance's first bit */
};

struct family {
	struct hit *hits;
	size_t nr_hits;
	uint64_t first;		/* wide instance */
	uint64_t count;
	uint64_t hash;
};

struct family_set {
	struct family *v;
	size_t n, cap;
	/* the families the instance being analysed fell into */
	size_t touched[8];
	size_t nr_touched;	/* > 8: too many to remember */
};

/* Leaf runs (leaves.c). */
void an_runs_free(struct run_list *l);
/* Append "." and @name to a path; anonymous members are transparent. */
void an_add_member_name(struct strbuf *path, const char *name);
/*
 * The leaf runs of each member of union @u at @offset, one list per member
 * (calloc'd, u->nr_members of them; free each with an_runs_free).  @decl
 * and @in_scope say where locations come from.  NULL when out of memory
 * (w->err is set).
 */
struct run_list *an_union_alternatives(struct walk *w, const struct mtc_type *u, uint64_t offset,
				       struct strbuf *path, const struct mtc_member *decl,
				       bool in_scope);
/* Remember nested union @u under id w->next_union - 1; -ENOMEM (and w->err). */
int an_nested_add(struct walk *w, const struct mtc_type *u);
/* Path of instance @i of @r, the run's indexes filled in; malloc'd. */
char *an_instance_path(const struct leaf_run *r, uint64_t i);

/* Wide scalars of @wl against narrower scalars of @nl (overlap.c). */
void an_overlay(struct walk *w, const struct run_list *wl, unsigned wi_alt,
		const struct run_list *nl, unsigned ni_alt);

/* Classify one family of alike overlaps and add its finding (classify.c). */
void an_report_family(struct walk *w, const struct leaf_run *wide, const struct run_list *nl,
		      const struct family *fam);

/*
 * Confidence (confidence.c).  an_union_begin() describes the union whose
 * members an_overlay() compares next; an_confidence() sets a new finding's
 * confidence, evidence and rank; an_confidence_free() frees what the walk
 * gathered.
 */
void an_union_begin(struct walk *w, const struct mtc_type *u, const struct run_list *alts,
		    const struct mtc_type *container, const char *path, size_t container_path_len);
void an_union_end(struct walk *w);
int an_confidence(struct walk *w, const struct leaf_run *wide, const struct run_list *nl,
		  const struct family *fam, struct mtc_finding *f);
void an_confidence_free(struct walk *w);

#endif
