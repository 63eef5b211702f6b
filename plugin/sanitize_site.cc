// SPDX-License-Identifier: MIT
/*
 * The union sanitizer's run-time declarations and site descriptors, and
 * which accesses may touch a flagged overlay (sanitize_impl.h): what the
 * GIMPLE rewriting (sanitize_gimple.cc) asks before and while it adds a
 * call.
 */
#include "sanitize_impl.h"

using namespace mtc_san;

tree mtc_san::roots[NR_ROOTS];
const struct ggc_root_tab mtc_san::root_tab[] = {
	{ &roots[0], NR_ROOTS, sizeof(roots[0]), &gt_ggc_mx_tree_node, &gt_pch_nx_tree_node },
	LAST_GGC_ROOT_TAB
};

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
		"overlays", "id",
	};
	enum { UINT, STRING, BYTE_PTR };
	static const int kind[] = {
		UINT, UINT, STRING, STRING, UINT, UINT, STRING, STRING, STRING, STRING, BYTE_PTR,
	};
	tree t = make_node(RECORD_TYPE), fields = NULL_TREE;

	/* finish_builtin_struct takes the fields last first */
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		tree f = build_decl(BUILTINS_LOCATION, FIELD_DECL, get_identifier(names[i]),
				    kind[i] == STRING ? const_char_ptr()
				    : kind[i] == BYTE_PTR ? build_pointer_type(unsigned_char_type_node)
				    : unsigned_type_node);

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

void mtc_san::build_decls(void)
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
	roots[ROOT_RANGE] = rt_decl("__mtcheck_rt_unmarked_range", build_function_type_list(
		integer_type_node, cptr, size_type_node, NULL_TREE));
	/* it reads the shadow and writes nothing */
	DECL_PURE_P(roots[ROOT_RANGE]) = 1;
}

bool mtc_san::get_shadow_layout(struct shadow_layout *l)
{
	switch (TYPE_PRECISION(ptr_type_node)) {
	case 32:
		*l = { 20, 4, (unsigned HOST_WIDE_INT)1 << 12, false };
		return true;
	case 64:
		*l = { 30, 8, (unsigned HOST_WIDE_INT)1 << 18, true };
		return true;
	default:
		return false;
	}
}

/* extern unsigned char *__mtcheck_rt_shadow[MTCHECK_RT_REGIONS + 1]; */
tree mtc_san::shadow_decl(const struct shadow_layout *l)
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

/* A new file-local artificial variable @name of @type, initialised by @init (NULL: zeros). */
static tree new_static(const char *name, tree type, tree init)
{
	tree var = build_decl(BUILTINS_LOCATION, VAR_DECL, get_identifier(name), type);

	TREE_STATIC(var) = 1;
	TREE_PUBLIC(var) = 0;
	DECL_EXTERNAL(var) = 0;
	DECL_ARTIFICIAL(var) = 1;
	DECL_IGNORED_P(var) = 1;
	TREE_READONLY(var) = init != NULL_TREE;
	TREE_ADDRESSABLE(var) = 1;
	DECL_INITIAL(var) = init;
	varpool_node::finalize_decl(var);
	return var;
}

/*
 * A new static read-only site descriptor for the statement at @loc; its
 * address.  A narrow store's points to a new writable byte for its id.
 */
tree mtc_san::new_site(struct mtc_sanitizer *s, location_t loc, const struct site_text *t)
{
	tree type = roots[ROOT_SITE_TYPE];
	expanded_location x = expand_location(loc);
	const char *fn = current_function_decl && DECL_NAME(current_function_decl)
		? IDENTIFIER_POINTER(DECL_NAME(current_function_decl)) : NULL;
	const unsigned values[] = { 4 /* MTCHECK_RT_ABI */, t->kind, 0, 0,
				    (unsigned)x.line, (unsigned)x.column };
	const char *strings[] = { NULL, NULL, x.file, fn, NULL, NULL, t->type, t->member,
				  t->record, t->overlays };
	vec<constructor_elt, va_gc> *elts = NULL;
	size_t i = 0;
	char name[48];

	for (tree f = TYPE_FIELDS(type); f; f = DECL_CHAIN(f), i++) {
		tree v;

		if (i >= sizeof(strings) / sizeof(strings[0])) {
			/* id */
			snprintf(name, sizeof(name), "__mtcheck_site_id.%u", s->nr_sites);
			v = t->kind == 1 /* MTCHECK_RT_NARROW_STORE */
				? build_fold_addr_expr(new_static(name, unsigned_char_type_node, NULL_TREE))
				: build_int_cst(TREE_TYPE(f), 0);
		} else if (i < sizeof(values) / sizeof(values[0]) && (i < 2 || i >= 4)) {
			v = build_int_cst(unsigned_type_node, values[i]);
		} else {
			v = string_or_null(strings[i]);
		}
		CONSTRUCTOR_APPEND_ELT(elts, f, v);
	}
	tree init = build_constructor(type, elts);

	TREE_CONSTANT(init) = 1;
	TREE_STATIC(init) = 1;
	snprintf(name, sizeof(name), "__mtcheck_site.%u", s->nr_sites++);
	return build_fold_addr_expr(new_static(name, type, init));
}

tree mtc_san::site_id_var(tree site)
{
	if (TREE_CODE(site) != ADDR_EXPR || TREE_CODE(TREE_OPERAND(site, 0)) != VAR_DECL)
		return NULL_TREE;
	tree init = DECL_INITIAL(TREE_OPERAND(site, 0));

	if (!init || TREE_CODE(init) != CONSTRUCTOR || !CONSTRUCTOR_NELTS(init))
		return NULL_TREE;
	tree id = CONSTRUCTOR_ELT(init, CONSTRUCTOR_NELTS(init) - 1)->value;

	return TREE_CODE(id) == ADDR_EXPR ? TREE_OPERAND(id, 0) : NULL_TREE;
}

/* ---------------------------------------------------------------------- */
/* Classifying accesses                                                    */

/* True when record or array type @t holds a tracked record by value. */
bool mtc_san::holds_tracked(struct mtc_sanitizer *s, tree t, int depth)
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
tree mtc_san::base_decl(tree ref)
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
bool mtc_san::may_overlay(struct mtc_sanitizer *s, tree ref)
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
tree mtc_san::named_field(tree ref)
{
	while (TREE_CODE(ref) == ARRAY_REF || TREE_CODE(ref) == ARRAY_RANGE_REF)
		ref = TREE_OPERAND(ref, 0);
	return TREE_CODE(ref) == COMPONENT_REF ? TREE_OPERAND(ref, 1) : NULL_TREE;
}

/* @m's member with @ref's constant indices: "h[1]", or "h" when an index varies. */
void mtc_san::member_text(const member_info *m, tree ref, char *buf, size_t size)
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
char *mtc_san::overlay_text(const member_info *m, tree ref)
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
unsigned HOST_WIDE_INT mtc_san::type_bytes(tree t)
{
	tree sz = TYPE_SIZE_UNIT(t);

	return sz && TREE_CODE(sz) == INTEGER_CST && tree_fits_uhwi_p(sz) ? tree_to_uhwi(sz) : 0;
}

