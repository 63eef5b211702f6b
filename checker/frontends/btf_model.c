// SPDX-License-Identifier: MIT
/*
 * BTF types into the layout model (the BTF front end's second half; the
 * first, frontend_btf.c, finds and opens the BTF).  Named records and
 * typedefs of records are the roots; every type they reach is converted
 * once (memoised by BTF id), with the nesting bound, the spellings and
 * the record names every front end shares (model_build.c).  Type links
 * are checked first, so a corrupt or cyclic BTF is refused with a message
 * rather than followed.
 */
#include <bpf/btf.h>
#include <errno.h>
#include <linux/btf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontend_internal.h"
#include "internal.h"
#include "strbuf.h"

struct conv {
	const struct btf *btf;
	struct mtc_model *m;
	struct mtc_type **memo;		/* by BTF type id */
	unsigned char *active;		/* by BTF type id: a record whose members are being read */
	uint32_t nr_types;
	const char *input;
	const char *root;		/* the named type being converted, for messages */
	struct mtc_error *err;
	int ret;
};

/* A qualifier, typedef or type tag: a type that only names another. */
static bool is_link(const struct btf_type *t)
{
	return btf_is_mod(t) || btf_is_typedef(t) || btf_is_type_tag(t);
}

/* Follows the links; check_links() made sure that every chain ends. */
static const struct btf_type *skip_mods(const struct btf *btf, uint32_t *id)
{
	const struct btf_type *t = btf__type_by_id(btf, *id);

	while (t && is_link(t)) {
		*id = t->type;
		t = btf__type_by_id(btf, *id);
	}
	return t;
}

/* The C spelling of a type, for reports ("const char *", "struct foo"). */
static void type_name(const struct btf *btf, uint32_t id, struct mtc_spelling *sp, int depth)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	if (!mtc_spell_enter(sp, depth))
		return;
	if (!id || !t) {
		mtc_spell_add(sp, "void");
		return;
	}
	const char *name = btf__name_by_offset(btf, t->name_off);

	switch (btf_kind(t)) {
	case BTF_KIND_CONST:
		mtc_spell_add(sp, "const ");
		type_name(btf, t->type, sp, depth + 1);
		return;
	case BTF_KIND_VOLATILE:
		mtc_spell_add(sp, "volatile ");
		type_name(btf, t->type, sp, depth + 1);
		return;
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		type_name(btf, t->type, sp, depth + 1);
		return;
	case BTF_KIND_PTR: {
		uint32_t pid = t->type;
		const struct btf_type *pt = skip_mods(btf, &pid);

		if (pt && btf_is_func_proto(pt)) {
			const struct btf_param *p = btf_params(pt);
			uint16_t n = btf_vlen(pt);
			/* a last parameter of type void is the "..." */
			bool varargs = n && !p[n - 1].type;

			type_name(btf, pt->type, sp, depth + 1);
			mtc_spell_func_open(sp);
			for (uint16_t i = 0; i < n - varargs && !sp->cut; i++) {
				mtc_spell_func_param(sp, i);
				type_name(btf, p[i].type, sp, depth + 1);
			}
			mtc_spell_func_close(sp, (size_t)(n - varargs), varargs);
			return;
		}
		type_name(btf, t->type, sp, depth + 1);
		mtc_spell_pointer(sp);
		return;
	}
	case BTF_KIND_STRUCT:
	case BTF_KIND_FWD:
		mtc_spell_tagged(sp, btf_kind(t) == BTF_KIND_FWD && btf_kflag(t) ? "union" : "struct",
				 name);
		return;
	case BTF_KIND_UNION:
		mtc_spell_tagged(sp, "union", name);
		return;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		mtc_spell_tagged(sp, "enum", name);
		return;
	case BTF_KIND_ARRAY:
		type_name(btf, btf_array(t)->type, sp, depth + 1);
		mtc_spell_array(sp, btf_array(t)->nelems, true);
		return;
	default:
		mtc_spell_add(sp, name && *name ? name : "?");
	}
}

static struct mtc_type *convert(struct conv *c, uint32_t id, int depth);

static struct mtc_type *scalar_for(struct conv *c, uint32_t id, const char *spelled)
{
	uint32_t rid = id;
	const struct btf_type *t = skip_mods(c->btf, &rid);
	enum mtc_kind kind;
	bool is_signed = false;
	uint64_t size;

	switch (btf_kind(t)) {
	case BTF_KIND_INT: {
		uint32_t enc = btf_int_encoding(t);

		kind = enc & BTF_INT_BOOL ? MTC_KIND_BOOL : MTC_KIND_INT;
		is_signed = enc & BTF_INT_SIGNED;
		size = t->size;
		break;
	}
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		kind = MTC_KIND_ENUM;
		is_signed = btf_kflag(t);
		size = t->size;
		break;
	case BTF_KIND_FLOAT:
		kind = MTC_KIND_FLOAT;
		size = t->size;
		break;
	case BTF_KIND_PTR: {
		uint32_t pid = t->type;
		const struct btf_type *pt = skip_mods(c->btf, &pid);

		kind = pt && btf_is_func_proto(pt) ? MTC_KIND_FUNC_POINTER : MTC_KIND_POINTER;
		size = mtc_model_target(c->m)->pointer_bits / 8;
		break;
	}
	default:
		return NULL;
	}
	struct mtc_type *mt = mtc_model_scalar(c->m, kind, spelled, size, is_signed);

	if (mt && kind == MTC_KIND_INT && size == 1)
		mt->is_char = true;
	return mt;
}

static struct mtc_type *convert_record(struct conv *c, uint32_t id, const struct btf_type *t,
				       int depth)
{
	struct mtc_type *r = mtc_model_named_record(c->m, btf_is_union(t) ? MTC_KIND_UNION
									  : MTC_KIND_STRUCT,
						    btf__name_by_offset(c->btf, t->name_off), NULL,
						    t->size, 0);

	if (!r)
		return NULL;
	c->memo[id] = r;	/* before members: records may refer to themselves through pointers */
	c->active[id] = 1;
	const struct btf_member *mb = btf_members(t);
	uint16_t n = btf_vlen(t);
	enum mtc_endian endian = mtc_model_target(c->m)->endian;

	for (uint16_t i = 0; i < n && !c->ret; i++) {
		const char *mname = btf__name_by_offset(c->btf, mb[i].name_off);
		uint32_t bit_off = btf_member_bit_offset(t, i);
		uint32_t bits = btf_member_bitfield_size(t, i);
		uint32_t rid = mb[i].type;
		const struct btf_type *mt = skip_mods(c->btf, &rid);

		if (!mt) {
			c->ret = mtc_error_set(c->err, -EINVAL,
					       "%s: invalid BTF: type [%u] member '%s' refers to missing type [%u]",
					       c->input, id, mname ? mname : "", mb[i].type);
			return NULL;
		}
		/* old-style bitfields: the int type carries the width */
		if (!bits && btf_is_int(mt) &&
		    (btf_int_offset(mt) || btf_int_bits(mt) != mt->size * 8)) {
			bits = btf_int_bits(mt);
			bit_off += btf_int_offset(mt);
		}
		struct mtc_type *ty = convert(c, mb[i].type, depth + 1);

		if (!ty)
			return NULL;
		if (bits) {
			if (!mtc_record_add_member(c->m, r, mname, ty, 0,
						   mtc_bitfield_physical(endian, bit_off, bits),
						   bits))
				goto oom;
		} else {
			if (bit_off % 8) {
				c->ret = mtc_error_set(c->err, -EINVAL,
						       "%s: invalid BTF: type [%u] member '%s' is not byte aligned",
						       c->input, id, mname ? mname : "");
				return NULL;
			}
			if (!mtc_record_add_member(c->m, r, mname, ty, bit_off / 8, 0, 0))
				goto oom;
		}
	}
	c->active[id] = 0;
	return r;
oom:
	c->ret = mtc_error_set(c->err, -ENOMEM, "%s: out of memory", c->input);
	return NULL;
}

/*
 * A record with no name, or an array of them.  BTF deduplication merges
 * anonymous records of the same shape declared in different places
 * (struct { u32 lo, hi; } in two unions), so each place that reaches one
 * gets its own copy: source positions and confidence are per place.
 */
static bool unnamed_record(const struct mtc_type *t)
{
	while (t && t->kind == MTC_KIND_ARRAY)
		t = t->element;
	return t && mtc_kind_is_record(t->kind) && !t->name;
}

/*
 * Model type for BTF type @id; typedef names are kept as the spelling.
 * @depth counts records and arrays; qualifiers and typedefs are passed
 * without recursion.
 */
static struct mtc_type *convert(struct conv *c, uint32_t id, int depth)
{
	if (c->ret)
		return NULL;
	if (id >= c->nr_types) {
		c->ret = mtc_error_set(c->err, -EINVAL, "%s: invalid BTF: type id %u out of range",
				       c->input, id);
		return NULL;
	}
	if (c->active[id]) {
		/* met again while its own members are read: it contains itself by value */
		c->ret = mtc_error_set(c->err, -ELOOP,
				       "%s: invalid BTF: '%s' (type [%u]) contains itself",
				       c->input, c->memo[id]->name ? c->memo[id]->name
								   : "an anonymous record",
				       id);
		return NULL;
	}
	if (c->memo[id] && !unnamed_record(c->memo[id]))
		return c->memo[id];
	if ((c->ret = mtc_model_nesting(c->m, (unsigned)depth, c->root, c->err)))
		return NULL;
	const struct btf_type *t = btf__type_by_id(c->btf, id);
	struct mtc_type *res = NULL;
	struct mtc_spelling sp;

	if (!id || !t) {
		/* void members do not exist; treat as empty */
		res = mtc_model_opaque(c->m, "void", 0);
		goto done;
	}
	switch (btf_kind(t)) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return convert_record(c, id, t, depth);
	case BTF_KIND_TYPEDEF: {
		uint32_t rid = t->type;
		const struct btf_type *rt = skip_mods(c->btf, &rid);

		if (rt && (btf_is_struct(rt) || btf_is_union(rt) || btf_is_array(rt))) {
			res = convert(c, rid, depth);
			/* typedef struct { ... } foo_t: the typedef names the record */
			if (res && mtc_record_name_by_typedef(c->m, res, btf__name_by_offset(
								  c->btf, t->name_off)) < 0)
				res = NULL;
			break;
		}
		mtc_spell_init(&sp);
		type_name(c->btf, id, &sp, 0);
		res = rt ? scalar_for(c, id, sp.buf) : NULL;
		if (!res && rt)
			res = mtc_model_opaque(c->m, sp.buf, btf__resolve_size(c->btf, id) < 0
								  ? 0 : (uint64_t)btf__resolve_size(c->btf, id));
		break;
	}
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG: {
		uint32_t rid = t->type;
		const struct btf_type *rt = btf__type_by_id(c->btf, rid);

		while (rt && (btf_is_mod(rt) || btf_is_type_tag(rt))) {
			rid = rt->type;
			rt = btf__type_by_id(c->btf, rid);
		}
		res = convert(c, rid, depth);
		break;
	}
	case BTF_KIND_ARRAY: {
		const struct btf_array *a = btf_array(t);
		struct mtc_type *el = convert(c, a->type, depth + 1);

		res = el ? mtc_model_array(c->m, el, a->nelems) : NULL;
		break;
	}
	case BTF_KIND_INT:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_FLOAT:
	case BTF_KIND_PTR:
		mtc_spell_init(&sp);
		type_name(c->btf, id, &sp, 0);
		res = scalar_for(c, id, sp.buf);
		break;
	default: {
		long sz = btf__resolve_size(c->btf, id);

		res = mtc_model_opaque(c->m, btf__name_by_offset(c->btf, t->name_off),
				       sz < 0 ? 0 : (uint64_t)sz);
	}
	}
done:
	if (!res && !c->ret)
		c->ret = mtc_error_set(c->err, -ENOMEM, "%s: out of memory", c->input);
	if (res)
		c->memo[id] = res;
	return res;
}

/*
 * libbpf accepts BTF in which a chain of qualifiers and typedefs comes back
 * to itself (typedef A -> const -> A), which skip_mods() would follow
 * forever.  Each link names one next type, so one pass that marks the types
 * of the walk in hand finds every loop, in time linear in the types.
 */
static int check_links(const struct btf *btf, uint32_t nr_types, const char *input,
		       struct mtc_error *err)
{
	enum { UNSEEN, ON_WALK, ENDS };
	unsigned char *state = calloc(nr_types, 1);
	const struct btf_type *t;
	int ret = 0;

	if (!state)
		return mtc_error_set(err, -ENOMEM, "%s: out of memory", input);
	for (uint32_t id = 1; id < nr_types && !ret; id++) {
		uint32_t cur = id;

		while (cur < nr_types && state[cur] == UNSEEN &&
		       (t = btf__type_by_id(btf, cur)) && is_link(t)) {
			state[cur] = ON_WALK;
			cur = t->type;
		}
		if (cur < nr_types && state[cur] == ON_WALK)
			ret = mtc_error_set(err, -ELOOP,
					    "%s: invalid BTF: type [%u] is its own qualifier or typedef (a chain of them loops)",
					    input, cur);
		for (cur = id; cur < nr_types && state[cur] == ON_WALK;
		     cur = btf__type_by_id(btf, cur)->type)
			state[cur] = ENDS;
	}
	free(state);
	return ret;
}

int mtc_btf_fill_model(const struct btf *btf, struct mtc_model *m, const char *input,
		       struct mtc_error *err)
{
	struct conv c = {
		.btf = btf,
		.m = m,
		.nr_types = btf__type_cnt(btf),
		.input = input,
		.err = err,
	};

	int ret = check_links(btf, c.nr_types, input, err);

	if (ret)
		return ret;
	c.memo = calloc(c.nr_types, sizeof(*c.memo));
	c.active = calloc(c.nr_types, 1);
	if (!c.memo || !c.active) {
		free(c.memo);
		free(c.active);
		return mtc_error_set(err, -ENOMEM, "%s: out of memory", input);
	}
	/*
	 * Named records and typedefs of records are the roots; an anonymous
	 * record is reached from them, and named by its typedef if it has one
	 * whatever the order of the types.
	 */
	for (uint32_t id = 1; id < c.nr_types && !c.ret; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *name = btf__name_by_offset(btf, t->name_off);
		uint32_t rid = t->type;
		const struct btf_type *rt;

		if (!name || !*name)
			continue;
		if (btf_is_struct(t) || btf_is_union(t)) {
			c.root = name;
			convert(&c, id, 0);
		} else if (btf_is_typedef(t) && (rt = skip_mods(btf, &rid)) &&
			   (btf_is_struct(rt) || btf_is_union(rt))) {
			c.root = name;
			convert(&c, id, 0);
		}
	}
	free(c.memo);
	free(c.active);
	return c.ret;
}
