// SPDX-License-Identifier: MIT
/*
 * The union sanitizer's instrumentation (-fplugin-arg-mtcheck-sanitize).
 *
 * What the analysis flagged becomes three sets, keyed by GCC's uids:
 *
 *  - narrow fields: the FIELD_DECL of every narrow leaf of a flagged
 *    overlay ("end" of struct maple_metadata for 'meta.end').  A store to
 *    that field, through whatever pointer, is a narrow store.
 *  - wide types: the type of every flagged wide member (void *, uint32_t),
 *    and the wide members that are bitfields.  A load of that type from
 *    memory is checked against the shadow, a store of it clears it.
 *  - tracked records: the flagged records and the records on the way to
 *    their leaves (struct maple_metadata, the anonymous struct and union);
 *    an assignment of a record holding one of them by value moves the
 *    shadow (or clears it, for an initialiser), and a local variable of
 *    such a type has its shadow cleared when its scope ends, since the
 *    stack slot will be reused.
 *
 * The calls, site descriptors and their meaning are runtime/include/
 * mtcheck_rt.h's.  The plugin adds only calls and read-only data: every
 * original statement is kept as it was, so an instrumented program
 * computes what the plain one does.
 */
#include "sanitize.h"

#include <errno.h>

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

typedef int_hash<unsigned int, 0, UINT_MAX> uid_hash;

static unsigned int key(unsigned int uid)
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

struct mtc_sanitizer {
	const char *plugin;
	enum mtc_confidence min;
	const struct mtc_gcc_names *names;
	mtc_guard_fn *guard;
	const char *crash_test;
	hash_map<uid_hash, member_info *> narrow;	/* DECL_UID: narrow leaf fields */
	hash_map<uid_hash, member_info *> wide;		/* DECL_UID: wide leaf fields */
	hash_map<uid_hash, char *> wide_types;		/* TYPE_UID of the main variant: its spelling */
	hash_set<uid_hash> tracked;			/* TYPE_UID: records on a flagged path */
	hash_map<uid_hash, bool> holds;			/* TYPE_UID: holds a tracked record (memo) */
	unsigned nr_sites;
};

/*
 * Trees the pass keeps from one function to the next, which GCC's garbage
 * collector must know about: the site descriptor's type and the run-time's
 * declarations.
 */
enum { ROOT_SITE_TYPE, ROOT_STORE, ROOT_LOAD, ROOT_CLEAR, ROOT_COPY, ROOT_FREE, ROOT_SHADOW,
       NR_ROOTS };
static tree roots[NR_ROOTS];
static const struct ggc_root_tab root_tab[] = {
	{ &roots[0], NR_ROOTS, sizeof(roots[0]), &gt_ggc_mx_tree_node, &gt_pch_nx_tree_node },
	LAST_GGC_ROOT_TAB
};

struct mtc_sanitizer *mtc_sanitizer_new(const char *plugin, enum mtc_confidence min,
					const struct mtc_gcc_names *names, mtc_guard_fn *guard,
					const char *crash_test)
{
	struct mtc_sanitizer *s = new mtc_sanitizer();

	s->plugin = plugin;
	s->min = min;
	s->names = names;
	s->guard = guard;
	s->crash_test = crash_test;
	return s;
}

static void free_info(member_info *m)
{
	free(m->member);
	free(m->record);
	free(m->type);
	for (unsigned i = 0; i < m->lines.length(); i++) {
		free(m->lines[i].path);
		free(m->lines[i].text);
	}
	m->lines.release();
	delete m;
}

void mtc_sanitizer_free(struct mtc_sanitizer *s)
{
	if (!s)
		return;
	for (hash_map<uid_hash, member_info *>::iterator it = s->narrow.begin();
	     it != s->narrow.end(); ++it)
		free_info((*it).second);
	for (hash_map<uid_hash, member_info *>::iterator it = s->wide.begin();
	     it != s->wide.end(); ++it)
		free_info((*it).second);
	for (hash_map<uid_hash, char *>::iterator it = s->wide_types.begin();
	     it != s->wide_types.end(); ++it)
		free((*it).second);
	delete s;
}

/* ---------------------------------------------------------------------- */
/* From findings to fields                                                 */

static bool is_record(const_tree t)
{
	return t && (TREE_CODE(t) == RECORD_TYPE || TREE_CODE(t) == UNION_TYPE);
}

static tree strip_arrays(tree t)
{
	while (t && TREE_CODE(t) == ARRAY_TYPE)
		t = TREE_TYPE(t);
	return t;
}

/*
 * The field called @name (@len bytes) of record @t, looking through
 * anonymous members as the model's paths do; each anonymous record passed
 * on the way is tracked.
 */
static tree find_field(struct mtc_sanitizer *s, tree t, const char *name, size_t len, int depth)
{
	if (depth > MTC_MAX_NESTING)
		return NULL_TREE;
	for (tree f = TYPE_FIELDS(t); f; f = DECL_CHAIN(f)) {
		if (TREE_CODE(f) != FIELD_DECL)
			continue;
		if (DECL_NAME(f)) {
			const char *n = IDENTIFIER_POINTER(DECL_NAME(f));

			if (strlen(n) == len && !memcmp(n, name, len))
				return f;
			continue;
		}
		tree ft = TREE_TYPE(f);

		if (is_record(ft) && COMPLETE_TYPE_P(ft)) {
			tree r = find_field(s, ft, name, len, depth + 1);

			if (r) {
				s->tracked.add(key(TYPE_UID(TYPE_MAIN_VARIANT(ft))));
				return r;
			}
		}
	}
	return NULL_TREE;
}

/* A leaf found from a finding's path. */
struct resolved {
	tree field;
	char record[MTC_GCC_NAME_MAX];	/* nearest named record holding it, "" when none */
	char member[512];		/* its path from there, without its own indices */
};

/*
 * Follow @path ("meta.end", "slot[15]", "u.h[1]") from record @root (named
 * @root_name) to its leaf field.  Every record entered is tracked.  False
 * when the path does not match the tree.
 */
static bool resolve(struct mtc_sanitizer *s, tree root, const char *root_name, const char *path,
		    struct resolved *out)
{
	tree t = root;
	char buf[MTC_GCC_NAME_MAX];
	size_t mlen = 0;
	const char *p = path;

	snprintf(out->record, sizeof(out->record), "%s", root_name);
	out->member[0] = '\0';
	out->field = NULL_TREE;
	s->tracked.add(key(TYPE_UID(TYPE_MAIN_VARIANT(root))));
	while (*p) {
		size_t len = strcspn(p, ".[");

		if (!is_record(t) || !COMPLETE_TYPE_P(t) || !len)
			return false;
		tree f = find_field(s, t, p, len, 0);

		if (!f)
			return false;
		mlen += snprintf(out->member + mlen, sizeof(out->member) - mlen, "%s%.*s",
				 mlen ? "." : "", (int)len, p);
		if (mlen >= sizeof(out->member))
			return false;
		p += len;
		t = TREE_TYPE(f);
		while (*p == '[') {
			const char *close = strchr(p, ']');

			if (!close || TREE_CODE(t) != ARRAY_TYPE)
				return false;
			p = close + 1;
			t = TREE_TYPE(t);
		}
		out->field = f;
		if (*p == '.')
			p++;
		else if (*p)
			return false;
		if (*p && is_record(t)) {
			t = TYPE_MAIN_VARIANT(t);
			s->tracked.add(key(TYPE_UID(t)));
			/* a named record starts the paths sites give */
			const char *n = mtc_gcc_record_name(s->names, t, buf);

			if (n) {
				snprintf(out->record, sizeof(out->record), "%s", n);
				mlen = 0;
				out->member[0] = '\0';
			}
		}
	}
	return out->field != NULL_TREE;
}

static member_info *info_for(hash_map<uid_hash, member_info *> &map, const struct resolved *r,
			     const char *type)
{
	bool existed;
	member_info *&m = map.get_or_insert(key(DECL_UID(r->field)), &existed);

	if (!existed) {
		m = new member_info();
		m->member = xstrdup(r->member);
		m->record = r->record[0] ? xstrdup(r->record) : NULL;
		m->type = xstrdup(type);
		m->lines = vNULL;
	}
	return m;
}

void mtc_sanitizer_add(struct mtc_sanitizer *s, tree type, const struct mtc_finding *f)
{
	struct resolved w, n;

	if (f->confidence < s->min || !f->record || !f->wide.path)
		return;
	type = TYPE_MAIN_VARIANT(type);
	if (!resolve(s, type, f->record, f->wide.path, &w))
		return;
	/* each narrow leaf must resolve too, or none of the finding is used */
	for (size_t i = 0; i < f->nr_narrow; i++)
		if (!resolve(s, type, f->record, f->narrow[i].path, &n))
			return;

	info_for(s->wide, &w, f->wide.type);
	if (!DECL_BIT_FIELD_TYPE(w.field)) {
		tree wt = TYPE_MAIN_VARIANT(strip_arrays(TREE_TYPE(w.field)));
		bool existed;
		char *&spelled = s->wide_types.get_or_insert(key(TYPE_UID(wt)), &existed);

		if (!existed)
			spelled = xstrdup(f->wide.type);
	}
	const char *what = mtc_kind_word(f->wide.kind, f->wide.bit_size != 0);
	char range[64];

	if (f->wide.bit_size)
		snprintf(range, sizeof(range), "bits %u-%u", f->wide.bit_offset,
			 f->wide.bit_offset + f->wide.bit_size - 1);
	else
		snprintf(range, sizeof(range), "bytes %llu-%llu", (unsigned long long)f->wide.offset,
			 (unsigned long long)(f->wide.offset + f->wide.size - 1));
	for (size_t i = 0; i < f->nr_narrow; i++) {
		const struct mtc_leaf *l = &f->narrow[i];

		resolve(s, type, f->record, l->path, &n);
		member_info *m = info_for(s->narrow, &n, l->type);
		char *text = xasprintf("%s: '%s' overlays %s '%s' (%s)", f->record, l->path, what,
				       f->wide.path, range);
		bool dup = false;

		for (unsigned k = 0; k < m->lines.length() && !dup; k++)
			dup = !strcmp(m->lines[k].text, text);
		if (dup) {
			free(text);
			continue;
		}
		overlay_line line = { xstrdup(l->path), text };

		m->lines.safe_push(line);
	}
}

/* ---------------------------------------------------------------------- */
/* The run-time's declarations and the site descriptors                    */

static tree const_char_ptr(void)
{
	return build_pointer_type(build_qualified_type(char_type_node, TYPE_QUAL_CONST));
}

/* struct mtcheck_rt_site, field for field as mtcheck_rt.h declares it. */
static tree site_type(void)
{
	static const char *const names[] = {
		"abi", "kind", "file", "function", "line", "column", "type", "member", "record",
		"overlays",
	};
	static const bool is_string[] = {
		false, false, true, true, false, false, true, true, true, true,
	};
	tree t = make_node(RECORD_TYPE), fields = NULL_TREE;

	/* finish_builtin_struct takes the fields last first */
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		tree f = build_decl(BUILTINS_LOCATION, FIELD_DECL, get_identifier(names[i]),
				    is_string[i] ? const_char_ptr() : unsigned_type_node);

		DECL_CHAIN(f) = fields;
		fields = f;
	}
	finish_builtin_struct(t, "mtcheck_rt_site", fields, NULL_TREE);
	return build_qualified_type(t, TYPE_QUAL_CONST);
}

static tree rt_decl(const char *name, tree type)
{
	tree decl = build_fn_decl(name, type);

	/* the run-time never calls back into the program, nor throws */
	TREE_NOTHROW(decl) = 1;
	DECL_ATTRIBUTES(decl) = tree_cons(get_identifier("leaf"), NULL_TREE, DECL_ATTRIBUTES(decl));
	return decl;
}

static void build_decls(void)
{
	if (roots[ROOT_SITE_TYPE])
		return;
	tree site = site_type();
	tree site_ptr = build_pointer_type(site);
	tree cptr = build_pointer_type(build_qualified_type(void_type_node, TYPE_QUAL_CONST));

	roots[ROOT_SITE_TYPE] = site;
	roots[ROOT_STORE] = rt_decl("__mtcheck_rt_store", build_function_type_list(
		void_type_node, ptr_type_node, size_type_node, site_ptr, NULL_TREE));
	roots[ROOT_LOAD] = rt_decl("__mtcheck_rt_load", build_function_type_list(
		void_type_node, cptr, size_type_node, site_ptr, NULL_TREE));
	roots[ROOT_CLEAR] = rt_decl("__mtcheck_rt_clear", build_function_type_list(
		void_type_node, ptr_type_node, size_type_node, NULL_TREE));
	roots[ROOT_COPY] = rt_decl("__mtcheck_rt_copy", build_function_type_list(
		void_type_node, ptr_type_node, cptr, size_type_node, NULL_TREE));
	roots[ROOT_FREE] = rt_decl("__mtcheck_rt_free", build_function_type_list(
		void_type_node, ptr_type_node, NULL_TREE));
}

/*
 * The shadow's first level as mtcheck_rt.h lays it out for the target's
 * pointer width: false for a width it has no layout for (then every check
 * is a call).
 */
struct shadow_layout {
	unsigned shift;			/* MTCHECK_RT_REGION_SHIFT */
	unsigned HOST_WIDE_INT regions;	/* MTCHECK_RT_REGIONS */
	bool overflow;			/* addresses above the direct range exist */
};

static bool get_shadow_layout(struct shadow_layout *l)
{
	switch (TYPE_PRECISION(ptr_type_node)) {
	case 32:
		*l = { 20, (unsigned HOST_WIDE_INT)1 << 12, false };
		return true;
	case 64:
		*l = { 30, (unsigned HOST_WIDE_INT)1 << 18, true };
		return true;
	default:
		return false;
	}
}

/* extern unsigned char *__mtcheck_rt_shadow[MTCHECK_RT_REGIONS + 1]; */
static tree shadow_decl(const struct shadow_layout *l)
{
	if (roots[ROOT_SHADOW])
		return roots[ROOT_SHADOW];
	tree type = build_array_type_nelts(build_pointer_type(unsigned_char_type_node),
					   l->regions + 1);
	tree var = build_decl(BUILTINS_LOCATION, VAR_DECL, get_identifier("__mtcheck_rt_shadow"),
			      type);

	TREE_PUBLIC(var) = 1;
	DECL_EXTERNAL(var) = 1;
	TREE_STATIC(var) = 0;
	DECL_ARTIFICIAL(var) = 1;
	DECL_IGNORED_P(var) = 1;
	roots[ROOT_SHADOW] = var;
	return var;
}

static tree string_or_null(const char *str)
{
	if (!str)
		return build_int_cst(const_char_ptr(), 0);
	return fold_convert(const_char_ptr(), build_string_literal(strlen(str) + 1, str));
}

/* What one site descriptor says. */
struct site_text {
	unsigned kind;
	const char *type, *member, *record;
	char *overlays;
};

/* A new static read-only site descriptor for the statement at @loc; its address. */
static tree new_site(struct mtc_sanitizer *s, location_t loc, const struct site_text *t)
{
	tree type = roots[ROOT_SITE_TYPE];
	expanded_location x = expand_location(loc);
	const char *fn = current_function_decl && DECL_NAME(current_function_decl)
		? IDENTIFIER_POINTER(DECL_NAME(current_function_decl)) : NULL;
	const unsigned values[] = { 2 /* MTCHECK_RT_ABI */, t->kind, 0, 0,
				    (unsigned)x.line, (unsigned)x.column };
	const char *strings[] = { NULL, NULL, x.file, fn, NULL, NULL, t->type, t->member,
				  t->record, t->overlays };
	vec<constructor_elt, va_gc> *elts = NULL;
	size_t i = 0;

	for (tree f = TYPE_FIELDS(type); f; f = DECL_CHAIN(f), i++) {
		tree v = i < sizeof(values) / sizeof(values[0]) && (i < 2 || i >= 4)
			? build_int_cst(unsigned_type_node, values[i]) : string_or_null(strings[i]);

		CONSTRUCTOR_APPEND_ELT(elts, f, v);
	}
	tree init = build_constructor(type, elts);

	TREE_CONSTANT(init) = 1;
	TREE_STATIC(init) = 1;
	char name[48];

	snprintf(name, sizeof(name), "__mtcheck_site.%u", s->nr_sites++);
	tree var = build_decl(BUILTINS_LOCATION, VAR_DECL, get_identifier(name), type);

	TREE_STATIC(var) = 1;
	TREE_PUBLIC(var) = 0;
	DECL_EXTERNAL(var) = 0;
	DECL_ARTIFICIAL(var) = 1;
	DECL_IGNORED_P(var) = 1;
	TREE_READONLY(var) = 1;
	TREE_ADDRESSABLE(var) = 1;
	DECL_INITIAL(var) = init;
	varpool_node::finalize_decl(var);
	return build_fold_addr_expr(var);
}

/* ---------------------------------------------------------------------- */
/* Classifying accesses                                                    */

/* True when record or array type @t holds a tracked record by value. */
static bool holds_tracked(struct mtc_sanitizer *s, tree t, int depth)
{
	t = strip_arrays(t);
	if (!is_record(t) || !COMPLETE_TYPE_P(t) || depth > MTC_MAX_NESTING)
		return false;
	t = TYPE_MAIN_VARIANT(t);
	unsigned int k = key(TYPE_UID(t));

	if (s->tracked.contains(k))
		return true;
	bool *memo = s->holds.get(k);

	if (memo)
		return *memo;
	bool r = false;

	for (tree f = TYPE_FIELDS(t); f && !r; f = DECL_CHAIN(f))
		if (TREE_CODE(f) == FIELD_DECL)
			r = holds_tracked(s, TREE_TYPE(f), depth + 1);
	s->holds.put(k, r);
	return r;
}

/* The declaration a reference's memory belongs to, or NULL for memory reached through a pointer. */
static tree base_decl(tree ref)
{
	tree base = get_base_address(ref);

	if (base && TREE_CODE(base) == MEM_REF && TREE_CODE(TREE_OPERAND(base, 0)) == ADDR_EXPR)
		base = TREE_OPERAND(TREE_OPERAND(base, 0), 0);
	return base && DECL_P(base) ? base : NULL_TREE;
}

/*
 * Whether memory reference @ref may be part of a flagged overlay: anything
 * reached through a pointer may be; a variable only when its type holds a
 * tracked record (a plain `void *` variable is no union member).  A
 * variable the pass may take the address of must be able to have one.
 */
static bool may_overlay(struct mtc_sanitizer *s, tree ref)
{
	if (!ref || TREE_CODE(ref) == SSA_NAME || is_gimple_reg(ref) ||
	    (!REFERENCE_CLASS_P(ref) && !DECL_P(ref)) || TREE_CODE(ref) == VIEW_CONVERT_EXPR ||
	    TREE_CODE(ref) == REALPART_EXPR || TREE_CODE(ref) == IMAGPART_EXPR ||
	    TREE_CODE(ref) == BIT_FIELD_REF)
		return false;
	tree base = get_base_address(ref);

	if (!base)
		return false;
	if ((TREE_CODE(base) == MEM_REF || TREE_CODE(base) == TARGET_MEM_REF) &&
	    TREE_CODE(TREE_OPERAND(base, 0)) != ADDR_EXPR)
		return true;	/* through a pointer */
	tree d = base_decl(ref);

	/* a string literal, a constant */
	if (!d)
		return false;
	if (TREE_CODE(d) == VAR_DECL && DECL_HARD_REGISTER(d))
		return false;
	/*
	 * A function's result may live in registers: its address is not
	 * taken (a record returned by value is a fresh value to its caller,
	 * whose assignment clears the shadow).
	 */
	if (TREE_CODE(d) != VAR_DECL && TREE_CODE(d) != PARM_DECL)
		return false;
	return holds_tracked(s, TREE_TYPE(d), 0);
}

/* The field a reference names, through its array indices: h of u.h[1]. */
static tree named_field(tree ref)
{
	while (TREE_CODE(ref) == ARRAY_REF || TREE_CODE(ref) == ARRAY_RANGE_REF)
		ref = TREE_OPERAND(ref, 0);
	return TREE_CODE(ref) == COMPONENT_REF ? TREE_OPERAND(ref, 1) : NULL_TREE;
}

/* @m's member with @ref's constant indices: "h[1]", or "h" when an index varies. */
static void member_text(const member_info *m, tree ref, char *buf, size_t size)
{
	char idx[128] = "";
	size_t n = 0;

	for (tree r = ref; TREE_CODE(r) == ARRAY_REF; r = TREE_OPERAND(r, 0)) {
		tree i = TREE_OPERAND(r, 1);
		char one[32];

		if (TREE_CODE(i) != INTEGER_CST || !tree_fits_shwi_p(i)) {
			n = 0;
			idx[0] = '\0';
			break;
		}
		int len = snprintf(one, sizeof(one), "[%lld]", (long long)tree_to_shwi(i));

		/* innermost index last: prepend */
		if (n + (size_t)len >= sizeof(idx))
			break;
		memmove(idx + len, idx, n + 1);
		memcpy(idx, one, (size_t)len);
		n += (size_t)len;
	}
	snprintf(buf, size, "%s%s", m->member, idx);
}

/*
 * The path a store names, from the outermost member it spells to the
 * field: "mr64.meta.end" for node->mr64.meta.end, "end" for meta->end,
 * "h[1]" for u->h[1] (a varying index is left out).  Anonymous members are
 * transparent, as in the findings' paths.
 */
static void access_path(tree ref, char *buf, size_t size)
{
	char tmp[512];

	buf[0] = '\0';
	for (;;) {
		const char *part = NULL;
		char idx[32];

		if (TREE_CODE(ref) == ARRAY_REF) {
			tree i = TREE_OPERAND(ref, 1);

			if (TREE_CODE(i) == INTEGER_CST && tree_fits_shwi_p(i))
				snprintf(idx, sizeof(idx), "[%lld]", (long long)tree_to_shwi(i));
			else
				idx[0] = '\0';
			snprintf(tmp, sizeof(tmp), "%s%s", idx, buf);
		} else if (TREE_CODE(ref) == COMPONENT_REF) {
			tree f = TREE_OPERAND(ref, 1);

			if (!DECL_NAME(f)) {
				ref = TREE_OPERAND(ref, 0);
				continue;
			}
			part = IDENTIFIER_POINTER(DECL_NAME(f));
			snprintf(tmp, sizeof(tmp), "%s%s%s", part,
				 buf[0] && buf[0] != '[' ? "." : "", buf);
		} else {
			return;
		}
		snprintf(buf, size, "%s", tmp);
		ref = TREE_OPERAND(ref, 0);
	}
}

/* @s without its array indices. */
static void strip_indices(const char *s, char *buf, size_t size)
{
	size_t n = 0;

	for (; *s && n + 1 < size; s++) {
		if (*s == '[') {
			s += strcspn(s, "]");
			if (!*s)
				break;
			continue;
		}
		buf[n++] = *s;
	}
	buf[n] = '\0';
}

/* Whether dotted path @a ends with @b, at a component boundary. */
static bool ends_with_path(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	return lb <= la && !strcmp(a + la - lb, b) && (la == lb || a[la - lb - 1] == '.');
}

/*
 * Whether the finding's narrow path @line concerns a store that spells
 * @access: one path ends with the other (node->mr64.meta.end concerns
 * 'meta.end' of struct maple_range_64 and 'mr64.meta.end' of struct
 * maple_node, not 'ma64.meta.end'), and constant indices of the field
 * itself agree.
 */
static bool concerns(const char *line, const char *access)
{
	char l[512], a[512];
	const char *ll = strrchr(line, '.'), *al = strrchr(access, '.');

	strip_indices(line, l, sizeof(l));
	strip_indices(access, a, sizeof(a));
	if (!ends_with_path(a, l) && !ends_with_path(l, a))
		return false;
	ll = ll ? ll + 1 : line;
	al = al ? al + 1 : access;
	return !strchr(ll, '[') || !strchr(al, '[') || !strcmp(ll, al);
}

/* The overlay lines of narrow field @m that concern the store to @ref (all when none does). */
static char *overlay_text(const member_info *m, tree ref)
{
	char access[512];
	bool any = false;
	char *out = NULL;

	access_path(ref, access, sizeof(access));
	for (int pass = 0; pass < 2 && !any; pass++) {
		for (unsigned i = 0; i < m->lines.length(); i++) {
			if (pass == 0 && access[0] && !concerns(m->lines[i].path, access))
				continue;
			char *grown = out ? concat(out, "\n", m->lines[i].text, NULL)
					  : xstrdup(m->lines[i].text);

			free(out);
			out = grown;
			any = true;
		}
	}
	return out;
}

/* Constant size in bytes of type @t, or 0. */
static unsigned HOST_WIDE_INT type_bytes(tree t)
{
	tree sz = TYPE_SIZE_UNIT(t);

	return sz && TREE_CODE(sz) == INTEGER_CST && tree_fits_uhwi_p(sz) ? tree_to_uhwi(sz) : 0;
}

/* ---------------------------------------------------------------------- */
/* Emitting                                                                */

/* One function's instrumentation. */
struct fn_job {
	struct mtc_sanitizer *s;
	function *fun;
	unsigned done;
	vec<gcall *> fast;	/* the calls that get the inline check (guard_calls) */
};

/*
 * Whether the check of @size bytes at @ref may be made inline first: the
 * target has a shadow layout and the bytes lie inside one granule, which
 * their alignment proves.
 */
static bool inline_checkable(tree ref, unsigned HOST_WIDE_INT size)
{
	struct shadow_layout l;
	tree f = TREE_CODE(ref) == COMPONENT_REF ? TREE_OPERAND(ref, 1) : NULL_TREE;

	if (!get_shadow_layout(&l) || size == 0 || size > 8 || (size & (size - 1)))
		return false;
	if (f && DECL_BIT_FIELD_TYPE(f))
		return false;
	return get_object_alignment(ref) / BITS_PER_UNIT >= size;
}

/* Make @expr a GIMPLE value, computed before the statement at @gsi. */
static tree before(gimple_stmt_iterator *gsi, tree expr)
{
	return force_gimple_operand_gsi(gsi, expr, true, NULL_TREE, true, GSI_SAME_STMT);
}

static void mark_base_addressable(tree ref)
{
	tree d = base_decl(ref);

	if (d && !TREE_ADDRESSABLE(d))
		mark_addressable(d);
}

/*
 * Address and size of the bytes @ref covers, computed before @gsi: a
 * bitfield by the bytes its bits touch.  False when they are not constant.
 */
static bool ref_bytes(gimple_stmt_iterator *gsi, tree ref, tree *addr, unsigned HOST_WIDE_INT *size)
{
	tree f = TREE_CODE(ref) == COMPONENT_REF ? TREE_OPERAND(ref, 1) : NULL_TREE;

	if (f && DECL_BIT_FIELD_TYPE(f)) {
		tree off = DECL_FIELD_OFFSET(f), bit = DECL_FIELD_BIT_OFFSET(f), bits = DECL_SIZE(f);

		if (!off || !bit || !bits || !tree_fits_uhwi_p(off) || !tree_fits_uhwi_p(bit) ||
		    !tree_fits_uhwi_p(bits))
			return false;
		unsigned HOST_WIDE_INT pos = tree_to_uhwi(off) * BITS_PER_UNIT + tree_to_uhwi(bit);
		unsigned HOST_WIDE_INT first = pos / BITS_PER_UNIT;
		unsigned HOST_WIDE_INT end = (pos + tree_to_uhwi(bits) + BITS_PER_UNIT - 1) / BITS_PER_UNIT;
		tree obj = TREE_OPERAND(ref, 0);

		mark_base_addressable(obj);
		*addr = before(gsi, fold_build_pointer_plus_hwi(
			build_fold_addr_expr(unshare_expr(obj)), first));
		*size = end - first;
		return *size != 0;
	}
	*size = type_bytes(TREE_TYPE(ref));
	if (!*size)
		return false;
	mark_base_addressable(ref);
	*addr = before(gsi, build_fold_addr_expr(unshare_expr(ref)));
	return true;
}

static gcall *call(tree decl, location_t loc, int n, tree a0, tree a1 = NULL_TREE,
		   tree a2 = NULL_TREE)
{
	gcall *c = n == 1 ? gimple_build_call(decl, 1, a0)
		 : n == 2 ? gimple_build_call(decl, 2, a0, a1) : gimple_build_call(decl, 3, a0, a1, a2);

	/*
	 * Not gimple_set_location(): in GCC 12 it calls copy_warning(), which
	 * cc1 of GCC 11 lacks, and a plugin loaded into the wrong GCC must get
	 * as far as plugin_init's version check to say so.  A new statement
	 * has no warning state to copy.
	 */
	c->location = loc;
	return c;
}

static tree size_cst(unsigned HOST_WIDE_INT n)
{
	return build_int_cst(size_type_node, n);
}

/*
 * A copy of @v that the statement at @gsi cannot change, for a call after
 * it (a call's lhs may be one of its own arguments).
 */
static tree keep(gimple_stmt_iterator *gsi, tree v)
{
	if (!v || is_gimple_min_invariant(v))
		return v;
	tree t = create_tmp_var(TREE_TYPE(v), "mtc");
	gsi_insert_before(gsi, gimple_build_assign(t, v), GSI_SAME_STMT);
	return t;
}

/* A load of a wide member's type (or of a wide bitfield) from @ref: check it first. */
static void instrument_load(struct fn_job *j, gimple_stmt_iterator *gsi, tree ref, location_t loc)
{
	struct mtc_sanitizer *s = j->s;
	tree field = named_field(ref);
	member_info **wf = field ? s->wide.get(key(DECL_UID(field))) : NULL;
	char **wt;

	if (!may_overlay(s, ref))
		return;
	/* reading a narrow member is reading the view that wrote it */
	if (field && s->narrow.get(key(DECL_UID(field))))
		return;
	if (field && DECL_BIT_FIELD_TYPE(field)) {
		if (!wf)
			return;
		wt = NULL;
	} else {
		wt = s->wide_types.get(key(TYPE_UID(TYPE_MAIN_VARIANT(TREE_TYPE(ref)))));
		if (!wt)
			return;
	}
	tree addr;
	unsigned HOST_WIDE_INT size;

	if (!ref_bytes(gsi, ref, &addr, &size))
		return;
	char member[600];
	struct site_text t = { 2 /* MTCHECK_RT_WIDE_LOAD */, wt ? *wt : (*wf)->type, NULL, NULL, NULL };

	if (wf) {
		member_text(*wf, ref, member, sizeof(member));
		t.member = member;
		t.record = (*wf)->record;
	}
	gcall *c = call(roots[ROOT_LOAD], loc, 3, addr, size_cst(size), new_site(s, loc, &t));

	gsi_insert_before(gsi, c, GSI_SAME_STMT);
	if (inline_checkable(ref, size))
		j->fast.safe_push(c);
	j->done++;
}

/*
 * A store to @lhs by the statement at @gsi: a narrow member's is recorded,
 * a wide one's clears the shadow.  The calls go into @after.
 */
static void instrument_store(struct fn_job *j, gimple_stmt_iterator *gsi, tree lhs, location_t loc,
			     gimple_seq *after)
{
	struct mtc_sanitizer *s = j->s;
	tree field = named_field(lhs);
	member_info **nf = field ? s->narrow.get(key(DECL_UID(field))) : NULL;

	if (!may_overlay(s, lhs))
		return;
	tree addr;
	unsigned HOST_WIDE_INT size;

	if (nf) {
		char member[600];

		if (!ref_bytes(gsi, lhs, &addr, &size))
			return;
		member_text(*nf, lhs, member, sizeof(member));
		struct site_text t = { 1 /* MTCHECK_RT_NARROW_STORE */, (*nf)->type, member,
				       (*nf)->record, overlay_text(*nf, lhs) };

		gimple_seq_add_stmt(after, call(roots[ROOT_STORE], loc, 3, addr, size_cst(size),
						new_site(s, loc, &t)));
		free(t.overlays);
		j->done++;
		return;
	}
	bool wide = field && DECL_BIT_FIELD_TYPE(field)
		? s->wide.get(key(DECL_UID(field))) != NULL
		: s->wide_types.get(key(TYPE_UID(TYPE_MAIN_VARIANT(TREE_TYPE(lhs))))) != NULL;

	if (!wide || !ref_bytes(gsi, lhs, &addr, &size))
		return;
	gcall *c = call(roots[ROOT_CLEAR], loc, 2, addr, size_cst(size));

	gimple_seq_add_stmt(after, c);
	if (inline_checkable(lhs, size))
		j->fast.safe_push(c);
	j->done++;
}

/* A whole-record assignment or initialisation of a type holding a tracked record. */
static void instrument_record_copy(struct fn_job *j, gimple_stmt_iterator *gsi, tree lhs,
				   tree rhs, location_t loc, gimple_seq *after)
{
	unsigned HOST_WIDE_INT size = type_bytes(TREE_TYPE(lhs));

	if (!size || is_gimple_reg(lhs) || !may_overlay(j->s, lhs))
		return;
	mark_base_addressable(lhs);
	tree dst = before(gsi, build_fold_addr_expr(unshare_expr(lhs)));

	if (rhs && may_overlay(j->s, rhs)) {
		mark_base_addressable(rhs);
		tree src = before(gsi, build_fold_addr_expr(unshare_expr(rhs)));

		gimple_seq_add_stmt(after, call(roots[ROOT_COPY], loc, 3, dst, src, size_cst(size)));
	} else {
		/* an initialiser, a call's result: fresh values */
		gimple_seq_add_stmt(after, call(roots[ROOT_CLEAR], loc, 2, dst, size_cst(size)));
	}
	j->done++;
}

/* size * (ptr != NULL): a failed allocation clears nothing. */
static tree size_if_allocated(tree ptr, tree size)
{
	tree ok = fold_build2(NE_EXPR, boolean_type_node, ptr, build_int_cst(TREE_TYPE(ptr), 0));

	return fold_build2(MULT_EXPR, size_type_node, fold_convert(size_type_node, size),
			   fold_convert(size_type_node, ok));
}

/* memset, memcpy, allocation and free, as calls or builtins. */
static void instrument_builtin(struct fn_job *j, gimple_stmt_iterator *gsi, gcall *stmt,
			       location_t loc, gimple_seq *after)
{
	tree fndecl = gimple_call_fndecl(stmt);
	tree lhs = gimple_call_lhs(stmt);

	if (!fndecl || !gimple_call_builtin_p(stmt, BUILT_IN_NORMAL))
		return;
	/* the result of an allocation: usable after the call only if it is a register */
	tree res = lhs && is_gimple_reg(lhs) ? lhs : NULL_TREE;
	gimple_seq seq = NULL;

	switch (DECL_FUNCTION_CODE(fndecl)) {
	case BUILT_IN_MEMSET:
	case BUILT_IN_MEMSET_CHK:
		gimple_seq_add_stmt(&seq, call(roots[ROOT_CLEAR], loc, 2,
					       keep(gsi, gimple_call_arg(stmt, 0)),
					       keep(gsi, gimple_call_arg(stmt, 2))));
		break;
	case BUILT_IN_BZERO:
		gimple_seq_add_stmt(&seq, call(roots[ROOT_CLEAR], loc, 2,
					       keep(gsi, gimple_call_arg(stmt, 0)),
					       keep(gsi, gimple_call_arg(stmt, 1))));
		break;
	case BUILT_IN_MEMCPY:
	case BUILT_IN_MEMCPY_CHK:
	case BUILT_IN_MEMMOVE:
	case BUILT_IN_MEMMOVE_CHK:
	case BUILT_IN_MEMPCPY:
	case BUILT_IN_MEMPCPY_CHK:
		gimple_seq_add_stmt(&seq, call(roots[ROOT_COPY], loc, 3,
					       keep(gsi, gimple_call_arg(stmt, 0)),
					       keep(gsi, gimple_call_arg(stmt, 1)),
					       keep(gsi, gimple_call_arg(stmt, 2))));
		break;
	case BUILT_IN_FREE:
		gsi_insert_before(gsi, call(roots[ROOT_FREE], loc, 1, gimple_call_arg(stmt, 0)),
				  GSI_SAME_STMT);
		break;
	case BUILT_IN_REALLOC:
		gsi_insert_before(gsi, call(roots[ROOT_FREE], loc, 1, gimple_call_arg(stmt, 0)),
				  GSI_SAME_STMT);
		if (res) {
			tree n = keep(gsi, gimple_call_arg(stmt, 1));

			gimple_seq_add_stmt(&seq, call(roots[ROOT_CLEAR], loc, 2, res,
						       size_if_allocated(res, n)));
		}
		break;
	case BUILT_IN_MALLOC:
		if (res)
			gimple_seq_add_stmt(&seq, call(roots[ROOT_CLEAR], loc, 2, res,
						       size_if_allocated(res,
									 keep(gsi, gimple_call_arg(stmt, 0)))));
		break;
	case BUILT_IN_CALLOC:
		if (res) {
			tree n = keep(gsi, gimple_call_arg(stmt, 0)), m = keep(gsi, gimple_call_arg(stmt, 1));

			gimple_seq_add_stmt(&seq, call(roots[ROOT_CLEAR], loc, 2, res,
						       size_if_allocated(res, fold_build2(
							       MULT_EXPR, size_type_node,
							       fold_convert(size_type_node, n),
							       fold_convert(size_type_node, m)))));
		}
		break;
	case BUILT_IN_ALIGNED_ALLOC:
		if (res)
			gimple_seq_add_stmt(&seq, call(roots[ROOT_CLEAR], loc, 2, res,
						       size_if_allocated(res,
									 keep(gsi, gimple_call_arg(stmt, 1)))));
		break;
	default:
		return;
	}
	gimple_seq_add_seq(after, seq);
	j->done++;
}

/*
 * The calls that follow a statement go after it; their operands are
 * GIMPLE values already, except the size expressions of allocations.
 */
static void insert_after(gimple_stmt_iterator *gsi, gimple_seq seq)
{
	for (gimple_stmt_iterator it = gsi_start(seq); !gsi_end_p(it); gsi_next(&it)) {
		gcall *c = as_a<gcall *>(gsi_stmt(it));

		for (unsigned i = 0; i < gimple_call_num_args(c); i++) {
			tree a = gimple_call_arg(c, i);

			if (!is_gimple_val(a)) {
				gimple_seq pre = NULL;

				a = force_gimple_operand(a, &pre, true, NULL_TREE);
				gimple_call_set_arg(c, i, a);
				gsi_insert_seq_before(&it, pre, GSI_SAME_STMT);
			}
		}
	}
	gsi_insert_seq_after(gsi, seq, GSI_CONTINUE_LINKING);
}

static void instrument_stmt(struct fn_job *j, gimple_stmt_iterator *gsi)
{
	gimple *stmt = gsi_stmt(*gsi);
	location_t loc = gimple_location(stmt);
	gimple_seq after = NULL;

	if (loc == UNKNOWN_LOCATION)
		loc = DECL_SOURCE_LOCATION(current_function_decl);
	if (gimple_clobber_p(stmt)) {
		/* the end of a local's scope: its stack slot will hold something else */
		tree v = gimple_assign_lhs(stmt);
		unsigned HOST_WIDE_INT size;

		if (TREE_CODE(v) == VAR_DECL && !TREE_STATIC(v) && !DECL_HARD_REGISTER(v) &&
		    holds_tracked(j->s, TREE_TYPE(v), 0) && (size = type_bytes(TREE_TYPE(v)))) {
			mark_addressable(v);
			tree addr = before(gsi, build_fold_addr_expr(v));

			gsi_insert_before(gsi, call(roots[ROOT_CLEAR], loc, 2, addr, size_cst(size)),
					  GSI_SAME_STMT);
			j->done++;
		}
		return;
	}
	if (is_gimple_assign(stmt) && gimple_assign_single_p(stmt)) {
		tree lhs = gimple_assign_lhs(stmt), rhs = gimple_assign_rhs1(stmt);

		if (AGGREGATE_TYPE_P(TREE_TYPE(lhs))) {
			if (holds_tracked(j->s, TREE_TYPE(lhs), 0))
				instrument_record_copy(j, gsi, lhs, rhs, loc, &after);
		} else {
			instrument_load(j, gsi, rhs, loc);
			instrument_store(j, gsi, lhs, loc, &after);
		}
	} else if (gcall *c = dyn_cast<gcall *>(stmt)) {
		tree lhs = gimple_call_lhs(c);

		instrument_builtin(j, gsi, c, loc, &after);
		if (lhs && AGGREGATE_TYPE_P(TREE_TYPE(lhs))) {
			if (holds_tracked(j->s, TREE_TYPE(lhs), 0))
				instrument_record_copy(j, gsi, lhs, NULL_TREE, loc, &after);
		} else if (lhs) {
			instrument_store(j, gsi, lhs, loc, &after);
		}
	}
	if (!after)
		return;
	/* a statement that may throw ends its block: nothing can follow it there */
	if (stmt_ends_bb_p(stmt)) {
		for (gimple_stmt_iterator it = gsi_start(after); !gsi_end_p(it); gsi_next(&it)) {
			unsigned ix;
			gcall *c;

			FOR_EACH_VEC_ELT(j->fast, ix, c)
				if (c == gsi_stmt(it))
					j->fast.unordered_remove(ix--);
		}
		return;
	}
	insert_after(gsi, after);
}

/* A new temporary of @type set to @rhs (an expression of one operation) before @gsi. */
static tree emit(gimple_stmt_iterator *gsi, location_t loc, tree type, tree_code code, tree op0,
		 tree op1 = NULL_TREE)
{
	tree t = create_tmp_var(type, "mtc");
	gassign *a = op1 ? gimple_build_assign(t, code, op0, op1) : gimple_build_assign(t, code, op0);

	a->location = loc;
	gsi_insert_before(gsi, a, GSI_SAME_STMT);
	return t;
}

static gcond *emit_cond(gimple_stmt_iterator *gsi, location_t loc, tree v)
{
	gcond *c = gimple_build_cond(NE_EXPR, v, build_int_cst(TREE_TYPE(v), 0), NULL_TREE,
				     NULL_TREE);

	c->location = loc;
	gsi_insert_before(gsi, c, GSI_SAME_STMT);
	return c;
}

/* The fallthrough edge @e, made the true edge of its block's condition, and its false edge to @to. */
static void branch(edge e, basic_block to, profile_probability taken)
{
	e->flags = (e->flags & ~EDGE_FALLTHRU) | EDGE_TRUE_VALUE;
	e->probability = taken;
	edge f = make_edge(e->src, to, EDGE_FALSE_VALUE);

	f->probability = taken.invert();
}

/*
 * Each call in j->fast (a check of at most 8 bytes inside one granule)
 * becomes, as mtcheck_rt.h describes the shadow's first level:
 *
 *	a = (size_t) addr; hi = a >> SHIFT; r = MIN (hi, REGIONS);
 *	p = __mtcheck_rt_shadow[r];
 *	if (p != 0) {
 *		v = p[(a >> 3) & (GRANULES - 1)];
 *		if (v != 0 | hi >= REGIONS)	// the second term on 64-bit targets
 *			call;			// cold
 *	}
 *
 * so that memory no narrow store ever touched costs a few instructions
 * and no call.  The run-time makes the exact check.  The function is not
 * in SSA form yet: the values are temporaries, and splitting blocks keeps
 * the loops up to date.
 */
static void guard_calls(struct fn_job *j)
{
	struct shadow_layout l;
	unsigned ix;
	gcall *c;

	if (j->fast.is_empty() || !get_shadow_layout(&l))
		return;
	tree table = shadow_decl(&l);
	tree uchar_ptr = build_pointer_type(unsigned_char_type_node);

	FOR_EACH_VEC_ELT(j->fast, ix, c) {
		gimple_stmt_iterator gsi = gsi_for_stmt(c);
		location_t loc = c->location;
		basic_block bb = gimple_bb(c);
		tree a = emit(&gsi, loc, sizetype, NOP_EXPR, gimple_call_arg(c, 0));
		tree hi = emit(&gsi, loc, sizetype, RSHIFT_EXPR, a,
			       build_int_cst(integer_type_node, l.shift));
		tree r = l.overflow ? emit(&gsi, loc, sizetype, MIN_EXPR, hi,
					   build_int_cst(sizetype, l.regions)) : hi;
		tree entry = build4(ARRAY_REF, uchar_ptr, table, r, NULL_TREE, NULL_TREE);

		TREE_THIS_NOTRAP(entry) = 1;
		tree p = emit(&gsi, loc, uchar_ptr, ARRAY_REF, entry);
		gcond *has_region = emit_cond(&gsi, loc, p);
		tree gran = emit(&gsi, loc, sizetype, RSHIFT_EXPR, a, build_int_cst(integer_type_node, 3));
		tree gi = emit(&gsi, loc, sizetype, BIT_AND_EXPR, gran,
			       build_int_cst(sizetype, ((unsigned HOST_WIDE_INT)1 << (l.shift - 3)) - 1));
		tree q = emit(&gsi, loc, uchar_ptr, POINTER_PLUS_EXPR, p, gi);
		tree byte = build2(MEM_REF, unsigned_char_type_node, q, build_int_cst(uchar_ptr, 0));

		TREE_THIS_NOTRAP(byte) = 1;
		tree v = emit(&gsi, loc, unsigned_char_type_node, MEM_REF, byte);
		tree hit = emit(&gsi, loc, boolean_type_node, NE_EXPR, v,
				build_int_cst(unsigned_char_type_node, 0));

		if (l.overflow) {
			tree above = emit(&gsi, loc, boolean_type_node, GE_EXPR, hi,
					  build_int_cst(sizetype, l.regions));

			hit = emit(&gsi, loc, boolean_type_node, BIT_IOR_EXPR, hit, above);
		}
		gcond *marked = emit_cond(&gsi, loc, hit);

		gsi_insert_before(&gsi, gimple_build_predict(PRED_COLD_LABEL, NOT_TAKEN), GSI_SAME_STMT);

		edge e1 = split_block(bb, has_region);
		edge e2 = split_block(e1->dest, marked);
		edge e3 = split_block(e2->dest, c);

		branch(e1, e3->dest, profile_probability::even());
		branch(e2, e3->dest, profile_probability::very_unlikely());
	}
	j->fast.release();
	free_dominance_info(CDI_DOMINATORS);
	free_dominance_info(CDI_POST_DOMINATORS);
	if (current_loops)
		loops_state_set(LOOPS_NEED_FIXUP);
}

static void instrument_function(void *arg)
{
	struct fn_job *j = (struct fn_job *)arg;
	const char *crash = j->s->crash_test;
	basic_block bb;

	if (crash && !strncmp(crash, "@sanitize:", 10) &&
	    !strcmp(crash + 10, function_name(j->fun))) {
		/* below mmap_min_addr: never mapped; volatile, so that GCC cannot see it */
		volatile int *volatile never = (volatile int *)(uintptr_t)16;

		*never = 0;
	}

	FOR_EACH_BB_FN(bb, j->fun) {
		for (gimple_stmt_iterator gsi = gsi_start_bb(bb); !gsi_end_p(gsi); gsi_next(&gsi))
			instrument_stmt(j, &gsi);
	}
	guard_calls(j);
}

/* ---------------------------------------------------------------------- */
/* The pass                                                                */

static const pass_data sanitize_pass_data = {
	GIMPLE_PASS,
	"mtcheck_sanitize",	/* -fdump-tree-mtcheck_sanitize */
	OPTGROUP_NONE,
	TV_NONE,
	PROP_gimple_any | PROP_cfg,
	0, 0, 0, 0,
};

class sanitize_pass : public gimple_opt_pass {
public:
	sanitize_pass(gcc::context *ctxt, struct mtc_sanitizer *san)
		: gimple_opt_pass(sanitize_pass_data, ctxt), s(san)
	{
	}

	opt_pass *clone() final override
	{
		return new sanitize_pass(m_ctxt, s);
	}

	/* nothing flagged in this unit: nothing to do, and no cost at all */
	bool gate(function *) final override
	{
		return s->narrow.elements() || s->wide_types.elements() || s->wide.elements();
	}

	unsigned int execute(function *fun) final override
	{
		struct fn_job j = { s, fun, 0, vNULL };
		char what[MTC_GCC_NAME_MAX + 64];

		build_decls();
		snprintf(what, sizeof(what), "while instrumenting '%s'", function_name(fun));
		s->guard(instrument_function, &j, DECL_SOURCE_LOCATION(fun->decl), s->plugin, what);
		return 0;
	}

private:
	struct mtc_sanitizer *s;
};

/*
 * Where the pass runs: right after the CFG is built ("cfg"), in the
 * lowering passes every function goes through at every -O level, before
 * the SSA form and every optimisation.  This is the only place that sees
 * the source's accesses at both -O0 and -O2: later, at -O2, memcpy of a
 * small constant size has become a load and store of an integer (which
 * would pass for a wide access), store merging has joined meta.end and
 * meta.gap into one 16-bit store that no longer names a narrow field, and
 * SRA has split local records into scalars.  Running before inlining also
 * means an inlined access keeps the site of the function it is written in,
 * and the calls, which are `leaf` and `nothrow`, only stop the optimiser
 * from dropping or moving the accesses they watch.  The functions are not
 * in SSA form yet, so the pass needs no SSA update; the variables whose
 * address it takes are marked addressable before SSA is built.
 */
void mtc_sanitizer_register(struct mtc_sanitizer *s)
{
	struct register_pass_info info;

	info.pass = new sanitize_pass(g, s);
	info.reference_pass_name = "cfg";
	info.ref_pass_instance_number = 1;
	info.pos_op = PASS_POS_INSERT_AFTER;
	register_callback(s->plugin, PLUGIN_PASS_MANAGER_SETUP, NULL, &info);
	register_callback(s->plugin, PLUGIN_REGISTER_GGC_ROOTS, NULL, (void *)root_tab);
}
