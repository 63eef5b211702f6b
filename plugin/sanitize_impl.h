// SPDX-License-Identifier: MIT
/*
 * What the union sanitizer's three files share (internal to the plugin):
 *
 *  - sanitize.cc: from findings to the fields and types to watch, and the
 *    pass and its registration (the API of sanitize.h);
 *  - sanitize_site.cc: the run-time's declarations, the site descriptors
 *    and which accesses may touch a flagged overlay;
 *  - sanitize_gimple.cc: rewriting a function's GIMPLE;
 *  - sanitize_inline.cc: the inline fast paths around the calls;
 *  - sanitize_loop.cc: one check of a range before a loop instead of the
 *    fast paths of its loads.
 */
#ifndef MTCHECK_SANITIZE_IMPL_H
#define MTCHECK_SANITIZE_IMPL_H

#include "sanitize.h"

/* GCC's middle-end headers, in the order each assumes of the ones before it */
#include "context.h"
#include "tree-pass.h"
#include "function.h"
#include "basic-block.h"
#include "gimple.h"
#include "gimple-iterator.h"
#include "gimplify.h"
#include "gimplify-me.h"
#include "cgraph.h"
#include "stor-layout.h"
#include "fold-const.h"
#include "tree-eh.h"
#include "tree-cfg.h"
#include "ggc.h"
#include "builtins.h"
#include "cfghooks.h"
#include "cfgloop.h"
#include "predict.h"
#include "gimple-predict.h"

namespace mtc_san {

typedef int_hash<unsigned int, 0, UINT_MAX> uid_hash;

/* A uid as a key of uid_hash, whose empty key is 0. */
static inline unsigned int key(unsigned int uid)
{
	return uid + 1;
}

/* One flagged overlay a narrow field takes part in, as the site tells it. */
struct overlay_line {
	char *path;		/* the narrow path in the finding: "meta.end", "mr64.meta.end", "h[1]" */
	char *text;		/* "struct maple_range_64: 'meta.end' overlays pointer 'slot[15]' (bytes 248-255)" */
};

/* A member the pass names in site descriptors. */
struct member_info {
	char *member;		/* the path from the nearest named record, without the leaf's indices */
	char *record;		/* that record, NULL when none is named */
	char *type;		/* as the finding spells it */
	vec<overlay_line> lines;	/* narrow fields only */
};

static inline bool is_record(const_tree t)
{
	return t && (TREE_CODE(t) == RECORD_TYPE || TREE_CODE(t) == UNION_TYPE);
}

static inline tree strip_arrays(tree t)
{
	while (t && TREE_CODE(t) == ARRAY_TYPE)
		t = TREE_TYPE(t);
	return t;
}

} // namespace mtc_san

struct mtc_sanitizer {
	const char *plugin;
	enum mtc_confidence min;
	const struct mtc_gcc_names *names;
	mtc_guard_fn *guard;
	const char *crash_test;
	hash_map<mtc_san::uid_hash, mtc_san::member_info *> narrow;	/* DECL_UID: narrow leaf fields */
	hash_map<mtc_san::uid_hash, mtc_san::member_info *> wide;	/* DECL_UID: wide leaf fields */
	hash_map<mtc_san::uid_hash, char *> wide_types;	/* TYPE_UID of the main variant: its spelling */
	hash_set<mtc_san::uid_hash> tracked;		/* TYPE_UID: records on a flagged path */
	hash_map<mtc_san::uid_hash, bool> holds;	/* TYPE_UID: holds a tracked record (memo) */
	unsigned nr_sites;
};

namespace mtc_san {

/* ---- sanitize_site.cc ------------------------------------------------ */

/*
 * Trees the pass keeps from one function to the next, which GCC's garbage
 * collector must know about (root_tab): the site descriptor's type and the
 * run-time's declarations.
 */
enum { ROOT_SITE_TYPE, ROOT_STORE, ROOT_LOAD, ROOT_CLEAR, ROOT_COPY, ROOT_FREE, ROOT_SHADOW,
       ROOT_RANGE, NR_ROOTS };
extern tree roots[NR_ROOTS];
extern const struct ggc_root_tab root_tab[];

/* Declare the run-time's functions and the site type, once per compilation. */
void build_decls(void);

/*
 * The shadow's first level as mtcheck_rt.h lays it out for the target's
 * pointer width: false for a width it has no layout for (then every check
 * is a call).
 */
struct shadow_layout {
	unsigned shift;			/* MTCHECK_RT_REGION_SHIFT */
	unsigned ptr_bytes;		/* the target's pointer size */
	unsigned HOST_WIDE_INT regions;	/* MTCHECK_RT_REGIONS */
	bool overflow;			/* addresses above the direct range exist */
};
bool get_shadow_layout(struct shadow_layout *l);
/* extern unsigned char *__mtcheck_rt_shadow[MTCHECK_RT_REGIONS + 1]; */
tree shadow_decl(const struct shadow_layout *l);

/* What one site descriptor says. */
struct site_text {
	unsigned kind;
	const char *type, *member, *record;
	char *overlays;
};
/* A new static read-only site descriptor for the statement at @loc; its address. */
tree new_site(struct mtc_sanitizer *s, location_t loc, const struct site_text *t);
/* The writable id byte of the narrow store site at @site (its address), or NULL. */
tree site_id_var(tree site);

/* True when record or array type @t holds a tracked record by value. */
bool holds_tracked(struct mtc_sanitizer *s, tree t, int depth);
/* The declaration a reference's memory belongs to, or NULL for memory reached through a pointer. */
tree base_decl(tree ref);
/* Whether memory reference @ref may be part of a flagged overlay. */
bool may_overlay(struct mtc_sanitizer *s, tree ref);
/* The field a reference names, through its array indices: h of u.h[1]. */
tree named_field(tree ref);
/* @m's member with @ref's constant indices: "h[1]", or "h" when an index varies. */
void member_text(const member_info *m, tree ref, char *buf, size_t size);
/* The overlay lines of narrow field @m that concern the store to @ref (all when none does). */
char *overlay_text(const member_info *m, tree ref);
/* Constant size in bytes of type @t, or 0. */
unsigned HOST_WIDE_INT type_bytes(tree t);

/* ---- sanitize_gimple.cc ---------------------------------------------- */

/* One function's instrumentation. */
struct fn_job {
	struct mtc_sanitizer *s;
	function *fun;
	unsigned done;
	/*
	 * The calls that get an inline fast path (guard_calls): loads, clears
	 * and narrow stores of at most 8 bytes inside one granule.
	 */
	vec<gcall *> fast;
};

/* Instrument j->fun, a struct fn_job (run under the plugin's crash guard). */
void instrument_function(void *arg);

/* ---- sanitize_inline.cc ---------------------------------------------- */

/* Give each call of j->fast its inline fast path; empties j->fast. */
void guard_calls(struct fn_job *j);

/* ---- sanitize.cc and sanitize_loop.cc ------------------------------- */

/* One of the sanitizer's passes, as sanitize.cc registers it. */
struct pass_kind {
	const pass_data *data;
	const char *after;	/* the GCC pass it runs after */
	bool (*gate)(struct mtc_sanitizer *s, function *fun);
	/* its work on one function, under the crash guard: TODO flags */
	unsigned (*run)(struct mtc_sanitizer *s, function *fun);
	const char *doing;	/* what the crash guard says it was doing */
};

/* Checks a loop's range once instead of each load (sanitize_loop.cc). */
extern const struct pass_kind loop_pass_kind;

} // namespace mtc_san

#endif
