// SPDX-License-Identifier: MIT
/*
 * The GCC front end: a record as GCC laid it out, copied into the layout
 * model with the positions GCC computed for the target, so that nothing is
 * laid out twice:
 *
 *  - byte offsets from DECL_FIELD_OFFSET/DECL_FIELD_BIT_OFFSET;
 *  - bitfields from DECL_BIT_FIELD_TYPE (GCC clears DECL_BIT_FIELD on a
 *    bitfield that happens to fill whole aligned bytes, but it is still a
 *    bitfield to the analysis), their bit position converted from GCC's
 *    numbering (from the most significant bit of the first byte on
 *    big-endian targets, the allocation order) to the model's physical one;
 *  - vectors and complex numbers as arrays of their lanes;
 *  - scalar_storage_order as a fixed byte order.
 *
 * Every tree is checked before a GCC accessor that would assert on it is
 * used: a record GCC cannot lay out statically, or one an earlier error
 * broke, is declined with an error code, never an internal compiler error.
 */
#include "frontend_gcc.h"

#include <errno.h>

typedef mtc_uid_hash uid_hash;
#define uid_key mtc_uid_key

struct mtc_gcc_names {
	hash_map<uid_hash, char *> typedefs;
};

struct mtc_gcc_names *mtc_gcc_names_new(void)
{
	return new mtc_gcc_names();
}

void mtc_gcc_names_free(struct mtc_gcc_names *names)
{
	if (!names)
		return;
	for (hash_map<uid_hash, char *>::iterator it = names->typedefs.begin();
	     it != names->typedefs.end(); ++it)
		free((*it).second);
	delete names;
}

static bool is_named(const struct mtc_gcc_names *names, const_tree type);

bool mtc_gcc_names_add_typedef(struct mtc_gcc_names *names, tree type, const char *name)
{
	type = TYPE_MAIN_VARIANT(type);
	if (is_named(names, type))
		return false;
	names->typedefs.put(uid_key(type), xstrdup(name));
	return true;
}

/* The tag of a record, NULL when it has none. */
static const char *tag_of(const_tree type)
{
	tree n = TYPE_NAME(type);

	if (n && TREE_CODE(n) == TYPE_DECL)
		n = DECL_NAME(n);
	if (!n || TREE_CODE(n) != IDENTIFIER_NODE)
		return NULL;
	return IDENTIFIER_POINTER(n);
}

static const char *typedef_of(const struct mtc_gcc_names *names, const_tree type)
{
	char *const *t = const_cast<mtc_gcc_names *>(names)->typedefs.get(uid_key(type));

	return t ? *t : NULL;
}

static bool is_named(const struct mtc_gcc_names *names, const_tree type)
{
	return tag_of(type) || typedef_of(names, type);
}

const char *mtc_gcc_record_name(const struct mtc_gcc_names *names, const_tree type,
				char buf[MTC_GCC_NAME_MAX])
{
	type = TYPE_MAIN_VARIANT(type);
	const char *tag = tag_of(type), *td = tag ? NULL : typedef_of(names, type);
	struct mtc_spelling sp;

	if (!tag && !td)
		return NULL;
	/* the name every front end gives it */
	mtc_spell_init(&sp);
	if (tag)
		mtc_spell_tagged(&sp, TREE_CODE(type) == UNION_TYPE ? "union" : "struct", tag);
	else
		mtc_spell_add(&sp, td);
	memcpy(buf, sp.buf, sp.len + 1);
	return buf;
}

void mtc_gcc_target(struct mtc_target *target)
{
	memset(target, 0, sizeof(*target));
	target->endian = BYTES_BIG_ENDIAN ? MTC_ENDIAN_BIG : MTC_ENDIAN_LITTLE;
	target->pointer_bits = TYPE_PRECISION(ptr_type_node);
	target->char_signed = !TYPE_UNSIGNED(char_type_node);
	snprintf(target->triple, sizeof(target->triple), "%s", mtc_gcc_triple());
}

static bool is_record(const_tree t)
{
	return t && (TREE_CODE(t) == RECORD_TYPE || TREE_CODE(t) == UNION_TYPE);
}

/* The type below any arrays. */
static const_tree strip_arrays(const_tree t)
{
	while (t && TREE_CODE(t) == ARRAY_TYPE)
		t = TREE_TYPE(t);
	return t;
}

bool mtc_gcc_is_complete_record(const_tree type)
{
	return is_record(type) && COMPLETE_TYPE_P(type);
}

static bool has_union(const struct mtc_gcc_names *names, const_tree type, int depth)
{
	type = TYPE_MAIN_VARIANT(type);
	if (!is_record(type) || !COMPLETE_TYPE_P(type) || depth > MTC_MAX_NESTING)
		return false;
	if (TREE_CODE(type) == UNION_TYPE)
		return true;
	for (tree f = TYPE_FIELDS(type); f; f = DECL_CHAIN(f)) {
		if (TREE_CODE(f) != FIELD_DECL || DECL_BIT_FIELD_TYPE(f))
			continue;
		const_tree ft = strip_arrays(TREE_TYPE(f));

		if (is_record(ft) && !is_named(names, TYPE_MAIN_VARIANT(ft)) &&
		    has_union(names, ft, depth + 1))
			return true;
	}
	return false;
}

bool mtc_gcc_has_union(const struct mtc_gcc_names *names, const_tree type)
{
	return has_union(names, type, 0);
}

static bool holds_named_union(const struct mtc_gcc_names *names, const_tree type, int depth)
{
	if (depth > MTC_MAX_NESTING)
		return false;
	for (tree f = TYPE_FIELDS(type); f; f = DECL_CHAIN(f)) {
		if (TREE_CODE(f) != FIELD_DECL || DECL_BIT_FIELD_TYPE(f))
			continue;
		const_tree ft = strip_arrays(TREE_TYPE(f));

		if (!is_record(ft) || !COMPLETE_TYPE_P(ft))
			continue;
		ft = TYPE_MAIN_VARIANT(ft);
		if (!is_named(names, ft)) {
			if (holds_named_union(names, ft, depth + 1))
				return true;
		} else if (TREE_CODE(ft) == UNION_TYPE) {
			return true;
		}
	}
	return false;
}

bool mtc_gcc_holds_named_union(const struct mtc_gcc_names *names, const_tree type)
{
	type = TYPE_MAIN_VARIANT(type);
	return mtc_gcc_is_complete_record(type) && holds_named_union(names, type, 0);
}

/* One conversion: a model for one record and what it holds by value. */
struct conv {
	const struct mtc_gcc_conf *conf;
	struct mtc_model *m;
	hash_map<uid_hash, struct mtc_type *> memo;
	struct mtc_spelling spelled;	/* the last type spelling */
	const char *last_gcc_file;	/* a one-entry cache: members sit in few files */
	const char *last_file;
	size_t cwd_len;
	const char *root;		/* the record converted, for messages */
	struct mtc_error *err;
	int ret;
};

static void fail(struct conv *c, int code, const char *what)
{
	if (!c->ret)
		c->ret = mtc_error_set(c->err, code, "%s", what);
}

static unsigned long long uhwi_or(const_tree t, unsigned long long dflt, bool *ok)
{
	if (t && TREE_CODE(t) == INTEGER_CST && tree_fits_uhwi_p(t))
		return tree_to_uhwi(t);
	*ok = false;
	return dflt;
}

static struct mtc_location location(struct conv *c, location_t loc)
{
	struct mtc_location l;

	memset(&l, 0, sizeof(l));
	if (loc == UNKNOWN_LOCATION || loc == BUILTINS_LOCATION)
		return l;
	expanded_location x = expand_location(loc);

	l.handle = loc;
	l.line = x.line;
	l.column = x.column;
	if (!x.file)
		return l;
	if (x.file != c->last_gcc_file) {
		const char *f = x.file;

		if (c->cwd_len && !strncmp(f, c->conf->cwd, c->cwd_len) && f[c->cwd_len] == '/')
			f += c->cwd_len + 1;
		c->last_gcc_file = x.file;
		c->last_file = mtc_model_strdup(c->m, f);
	}
	l.file = c->last_file;
	return l;
}

/* The reason given with MTCHECK_ALLOW, NULL when not marked. */
static const char *allow_reason(struct conv *c, tree attrs)
{
	tree a = lookup_attribute(MTC_GCC_ALLOW_ATTRIBUTE, attrs);

	if (!a || !TREE_VALUE(a) || TREE_CODE(TREE_VALUE(TREE_VALUE(a))) != STRING_CST)
		return NULL;
	return mtc_model_strdup(c->m, TREE_STRING_POINTER(TREE_VALUE(TREE_VALUE(a))));
}

/* scalar_storage_order, written on the record or applied by its pragma. */
static bool fixed_order(const_tree type)
{
	return TYPE_REVERSE_STORAGE_ORDER(type) ||
	       lookup_attribute("scalar_storage_order", TYPE_ATTRIBUTES(type));
}

/* The name a type is declared with: a typedef's, or a base type's ("unsigned int"). */
static const char *declared_name(const_tree type)
{
	tree n = TYPE_NAME(type);

	if (n && TREE_CODE(n) == TYPE_DECL)
		n = DECL_NAME(n);
	return n && TREE_CODE(n) == IDENTIFIER_NODE ? IDENTIFIER_POINTER(n) : NULL;
}

/*
 * The C spelling of a type, as the other front ends write it ("unsigned
 * char", "uint32_t", "const char *", "void (*)(int)", "struct foo *").
 * Written here rather than with the C front end's pretty-printer, so that
 * the plugin also loads into compilers without it (lto1 at an LTO link).
 * A leaf's own qualifiers are left out, as the BTF front end does: a
 * const int reads like an int.
 */
static void spell(struct mtc_spelling *pp, const_tree t, int depth)
{
	if (!mtc_spell_enter(pp, depth))
		return;
	if (!t || t == error_mark_node) {
		mtc_spell_add(pp, "?");
		return;
	}
	const char *name = declared_name(t);

	if (depth && TREE_CODE(t) != POINTER_TYPE && TREE_CODE(t) != REFERENCE_TYPE) {
		if (TYPE_READONLY(t))
			mtc_spell_add(pp, "const ");
		if (TYPE_VOLATILE(t))
			mtc_spell_add(pp, "volatile ");
	}
	if (name && TREE_CODE(t) != RECORD_TYPE && TREE_CODE(t) != UNION_TYPE &&
	    TREE_CODE(t) != ENUMERAL_TYPE) {
		mtc_spell_add(pp, name);
		return;
	}
	switch (TREE_CODE(t)) {
	case RECORD_TYPE:
	case UNION_TYPE:
	case ENUMERAL_TYPE:
		/* a typedef of a tagged type is spelled by the typedef */
		if (name && TYPE_NAME(t) && TREE_CODE(TYPE_NAME(t)) == TYPE_DECL &&
		    TYPE_MAIN_VARIANT(t) != t) {
			mtc_spell_add(pp, name);
			return;
		}
		mtc_spell_tagged(pp, TREE_CODE(t) == UNION_TYPE ? "union"
				 : TREE_CODE(t) == ENUMERAL_TYPE ? "enum" : "struct",
				 declared_name(TYPE_MAIN_VARIANT(t)));
		return;
	case POINTER_TYPE:
	case REFERENCE_TYPE: {
		const_tree to = TREE_TYPE(t);

		if (to && TREE_CODE(to) == FUNCTION_TYPE && !declared_name(to)) {
			size_t n = 0;
			bool varargs = true;

			spell(pp, TREE_TYPE(to), depth + 1);
			mtc_spell_func_open(pp);
			for (tree a = TYPE_ARG_TYPES(to); a && !pp->cut; a = TREE_CHAIN(a)) {
				if (TREE_VALUE(a) && TREE_CODE(TREE_VALUE(a)) == VOID_TYPE) {
					varargs = false;
					break;
				}
				mtc_spell_func_param(pp, n++);
				spell(pp, TREE_VALUE(a), depth + 1);
			}
			/* an unprototyped function, (), is spelled (void) */
			mtc_spell_func_close(pp, n, varargs && TYPE_ARG_TYPES(to));
		} else {
			/* a pointer to an array goes before its bounds: int (*)[3] */
			spell(pp, to, depth + 1);
			mtc_spell_pointer(pp);
		}
		if (depth && TYPE_READONLY(t))
			mtc_spell_add(pp, " const");
		if (depth && TYPE_VOLATILE(t))
			mtc_spell_add(pp, " volatile");
		return;
	}
	case ARRAY_TYPE: {
		spell(pp, TREE_TYPE(t), depth + 1);
		tree dom = TYPE_DOMAIN(t);
		tree max = dom ? TYPE_MAX_VALUE(dom) : NULL_TREE;
		bool known = max && TREE_CODE(max) == INTEGER_CST && tree_fits_uhwi_p(max);

		mtc_spell_array(pp, known ? (unsigned long long)tree_to_uhwi(max) + 1 : 0, known);
		return;
	}
	case COMPLEX_TYPE:
		mtc_spell_add(pp, "_Complex ");
		spell(pp, TREE_TYPE(t), depth + 1);
		return;
	case VOID_TYPE:
		mtc_spell_add(pp, "void");
		return;
	case BOOLEAN_TYPE:
		mtc_spell_add(pp, "_Bool");
		return;
	case INTEGER_TYPE: {
		char what[48];

		snprintf(what, sizeof(what), "<%s %d-bit integer>",
			 TYPE_UNSIGNED(t) ? "unsigned" : "signed", (int)TYPE_PRECISION(t));
		mtc_spell_add(pp, what);
		return;
	}
	default:
		mtc_spell_add(pp, get_tree_code_name(TREE_CODE(t)));
	}
}

static const char *spelling(struct conv *c, tree type)
{
	mtc_spell_init(&c->spelled);
	spell(&c->spelled, type, 0);
	return c->spelled.buf;
}

static struct mtc_type *convert(struct conv *c, tree type, int depth);

static struct mtc_type *convert_record(struct conv *c, tree type, const char *name, int depth)
{
	bool ok = true;
	unsigned long long size = uhwi_or(TYPE_SIZE_UNIT(type), 0, &ok);

	if (!ok) {
		fail(c, -EOPNOTSUPP, "its size is not a constant (a variably modified member)");
		return NULL;
	}
	struct mtc_type *r = mtc_model_record(c->m, TREE_CODE(type) == UNION_TYPE
						     ? MTC_KIND_UNION : MTC_KIND_STRUCT,
					      name, size, TYPE_ALIGN_UNIT(type));

	if (!r)
		goto oom;
	/* before the members: a member may point back at its record */
	c->memo.put(uid_key(type), r);
	r->order = fixed_order(type) ? MTC_ORDER_FIXED : MTC_ORDER_TARGET;
	if (TYPE_STUB_DECL(type))
		r->loc = location(c, DECL_SOURCE_LOCATION(TYPE_STUB_DECL(type)));
	r->allow_reason = allow_reason(c, TYPE_ATTRIBUTES(type));

	for (tree f = TYPE_FIELDS(type); f && !c->ret; f = DECL_CHAIN(f)) {
		if (TREE_CODE(f) != FIELD_DECL)
			continue;
		const char *fname = DECL_NAME(f) ? IDENTIFIER_POINTER(DECL_NAME(f)) : NULL;

		if (TREE_TYPE(f) == error_mark_node) {
			fail(c, -ECANCELED, "a member's type is erroneous");
			return NULL;
		}
		if (!DECL_FIELD_OFFSET(f) || !DECL_FIELD_BIT_OFFSET(f)) {
			fail(c, -ECANCELED, "a member was not laid out");
			return NULL;
		}
		if (TREE_CODE(DECL_FIELD_OFFSET(f)) != INTEGER_CST ||
		    TREE_CODE(DECL_FIELD_BIT_OFFSET(f)) != INTEGER_CST) {
			fail(c, -EOPNOTSUPP, "a member's offset is not a constant");
			return NULL;
		}
		unsigned long long bit = (unsigned long long)int_bit_position(f);
		struct mtc_member *mb;

		if (DECL_BIT_FIELD_TYPE(f)) {
			unsigned long long width = uhwi_or(DECL_SIZE(f), 0, &ok);

			if (!ok || width > 128) {
				fail(c, -EINVAL, "a bitfield has no constant width");
				return NULL;
			}
			if (!width)
				continue;	/* ':0' only aligns what follows */
			if (bit + width > UINT32_MAX) {
				fail(c, -EFBIG, "a bitfield lies past bit 2^32, beyond the layout model");
				return NULL;
			}
			struct mtc_type *ft = convert(c, DECL_BIT_FIELD_TYPE(f), depth + 1);

			if (!ft)
				return NULL;
			mb = mtc_record_add_member(c->m, r, fname, ft, 0,
						   mtc_bitfield_physical(c->conf->target->endian, bit,
									 (uint32_t)width),
						   (uint32_t)width);
		} else {
			if (bit % 8) {
				fail(c, -EINVAL, "a member does not start on a byte");
				return NULL;
			}
			struct mtc_type *ft = convert(c, TREE_TYPE(f), depth + 1);

			if (!ft)
				return NULL;
			mb = mtc_record_add_member(c->m, r, fname, ft, bit / 8, 0, 0);
		}
		if (!mb)
			goto oom;
		mb->loc = location(c, DECL_SOURCE_LOCATION(f));
		mb->allow_reason = allow_reason(c, DECL_ATTRIBUTES(f));
	}
	return c->ret ? NULL : r;
oom:
	fail(c, -ENOMEM, "out of memory");
	return NULL;
}

static struct mtc_type *scalar(struct conv *c, tree type, enum mtc_kind kind)
{
	bool ok = true;
	unsigned long long size = uhwi_or(TYPE_SIZE_UNIT(type), 0, &ok);

	if (!ok)
		return mtc_model_opaque(c->m, spelling(c, type), 0);
	return mtc_model_scalar(c->m, kind, spelling(c, type), size,
				kind == MTC_KIND_INT || kind == MTC_KIND_ENUM ? !TYPE_UNSIGNED(type)
									       : false);
}

/* An array of @lanes elements of @elem, from arrays, vectors and complex types. */
static struct mtc_type *lanes(struct conv *c, tree type, tree elem, unsigned long long lanes,
			      int depth)
{
	struct mtc_type *el = convert(c, elem, depth + 1);

	if (!el)
		return NULL;
	bool ok = true;
	unsigned long long size = uhwi_or(TYPE_SIZE_UNIT(type), 0, &ok);

	/* a vector of sub-byte lanes (a mask) has no addressable elements */
	if (ok && el->size * lanes != size)
		return mtc_model_opaque(c->m, spelling(c, type), size);
	return mtc_model_array(c->m, el, lanes);
}

static struct mtc_type *array(struct conv *c, tree type, int depth)
{
	tree dom = TYPE_DOMAIN(type);
	unsigned long long count = 0;

	if (dom && TYPE_MAX_VALUE(dom)) {
		tree max = TYPE_MAX_VALUE(dom), min = TYPE_MIN_VALUE(dom);

		if (TREE_CODE(max) != INTEGER_CST || (min && TREE_CODE(min) != INTEGER_CST)) {
			fail(c, -EOPNOTSUPP, "it holds a variable-length array");
			return NULL;
		}
		/* [0] and flexible arrays hold nothing; [N] has max N - 1 */
		if (tree_fits_shwi_p(max) && (!min || tree_fits_shwi_p(min))) {
			long long hi = tree_to_shwi(max), lo = min ? tree_to_shwi(min) : 0;

			count = hi >= lo ? (unsigned long long)(hi - lo + 1) : 0;
		}
	}
	return lanes(c, type, TREE_TYPE(type), count, depth);
}

static struct mtc_type *convert(struct conv *c, tree type, int depth)
{
	if (c->ret)
		return NULL;
	if (!type || type == error_mark_node) {
		fail(c, -ECANCELED, "a member's type is erroneous");
		return NULL;
	}
	if ((c->ret = mtc_model_nesting(c->m, (unsigned)depth, c->root, c->err)))
		return NULL;
	if (is_record(type))
		type = TYPE_MAIN_VARIANT(type);
	struct mtc_type **seen = c->memo.get(uid_key(type));

	if (seen)
		return *seen;

	struct mtc_type *res = NULL;

	switch (TREE_CODE(type)) {
	case RECORD_TYPE:
	case UNION_TYPE:
		if (!COMPLETE_TYPE_P(type)) {
			res = mtc_model_opaque(c->m, spelling(c, type), 0);
			break;
		}
		{
			char buf[MTC_GCC_NAME_MAX];

			return convert_record(c, type, mtc_gcc_record_name(c->conf->names, type, buf),
					      depth);
		}
	case ARRAY_TYPE:
		res = array(c, type, depth);
		break;
	case VECTOR_TYPE: {
		unsigned long long n;

		if (!mtc_gcc_vector_lanes(type, &n)) {
			fail(c, -EOPNOTSUPP, "it holds a vector of variable length");
			return NULL;
		}
		res = lanes(c, type, TREE_TYPE(type), n, depth);
		break;
	}
	case COMPLEX_TYPE:
		res = lanes(c, type, TREE_TYPE(type), 2, depth);
		break;
	case INTEGER_TYPE:
	case FIXED_POINT_TYPE:
	case OFFSET_TYPE:
		res = scalar(c, type, MTC_KIND_INT);
		break;
	case ENUMERAL_TYPE:
		res = scalar(c, type, MTC_KIND_ENUM);
		break;
	case BOOLEAN_TYPE:
		res = scalar(c, type, MTC_KIND_BOOL);
		break;
	case REAL_TYPE:
		res = scalar(c, type, MTC_KIND_FLOAT);
		break;
	case POINTER_TYPE:
	case REFERENCE_TYPE:
	case NULLPTR_TYPE: {
		tree to = TREE_CODE(type) == NULLPTR_TYPE ? NULL_TREE : TREE_TYPE(type);

		res = scalar(c, type, to && (TREE_CODE(to) == FUNCTION_TYPE ||
					     TREE_CODE(to) == METHOD_TYPE)
					      ? MTC_KIND_FUNC_POINTER : MTC_KIND_POINTER);
		break;
	}
	default: {
		bool ok = true;
		unsigned long long size = uhwi_or(TYPE_SIZE_UNIT(type), 0, &ok);

		res = mtc_model_opaque(c->m, spelling(c, type), size);
	}
	}
	if (!res) {
		fail(c, -ENOMEM, "out of memory");
		return NULL;
	}
	c->memo.put(uid_key(type), res);
	return res;
}

/* A model being built from several records; one conversion's memo serves them all. */
struct mtc_gcc_unit {
	struct conv c;
	bool checked;
};

struct mtc_gcc_unit *mtc_gcc_unit_new(const struct mtc_gcc_conf *conf)
{
	struct mtc_model *m = mtc_model_new(conf->target);

	if (!m)
		return NULL;
	mtc_model_set_input(m, conf->input);
	mtc_model_set_frontend(m, "gcc");

	struct mtc_gcc_unit *u = new mtc_gcc_unit();

	u->c.conf = conf;
	u->c.m = m;
	u->c.cwd_len = conf->cwd ? strlen(conf->cwd) : 0;
	return u;
}

void mtc_gcc_unit_free(struct mtc_gcc_unit *u)
{
	if (!u)
		return;
	mtc_model_free(u->c.m);
	delete u;
}

const struct mtc_type *mtc_gcc_unit_add(struct mtc_gcc_unit *u, tree type, const char *name,
					struct mtc_error *err)
{
	struct conv *c = &u->c;

	type = TYPE_MAIN_VARIANT(type);
	if (!is_record(type) || !COMPLETE_TYPE_P(type)) {
		mtc_error_set(err, -EINVAL, "not a complete struct or union");
		return NULL;
	}
	/* held by value by a record added before: it is in the model already */
	struct mtc_type **seen = c->memo.get(uid_key(type));

	if (seen)
		return *seen;
	c->err = err;
	c->root = name;
	c->ret = 0;
	struct mtc_type *r = convert_record(c, type, name, 0);

	c->err = NULL;
	return c->ret ? NULL : r;
}

struct mtc_model *mtc_gcc_unit_model(struct mtc_gcc_unit *u, struct mtc_error *err)
{
	if (!u->checked && mtc_model_check(u->c.m, err))
		return NULL;
	u->checked = true;
	return u->c.m;
}

int mtc_gcc_model(const struct mtc_gcc_conf *conf, tree type, const char *name,
		  struct mtc_model **out, struct mtc_error *err)
{
	struct mtc_gcc_unit *u = mtc_gcc_unit_new(conf);

	*out = NULL;
	if (!u)
		return mtc_error_set(err, -ENOMEM, "out of memory");
	if (!mtc_gcc_unit_add(u, type, name, err) || !mtc_gcc_unit_model(u, err)) {
		mtc_gcc_unit_free(u);
		return err->code;
	}
	*out = u->c.m;
	delete u;
	return 0;
}
