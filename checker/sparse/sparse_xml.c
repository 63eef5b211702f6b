// SPDX-License-Identifier: MIT
/*
 * c2xml's XML into the layout model.
 *
 * c2xml writes one <symbol> element per sparse symbol, with an id ("_12")
 * that other symbols name in base-type.  Records list their members as
 * child elements; every other type (pointers, arrays, bitfields, enums,
 * functions, other records) is a top-level element.  Sizes are in bits
 * ("bit-size"), offsets in bytes ("offset"), plus "bit-offset" inside the
 * storage unit for bitfields.  sparse resolves typedefs, so a member's
 * type is the type behind its typedef (only __bitwise types such as __le32
 * keep their name, as "restrict" symbols).
 *
 * Three things c2xml leaves out are worked out:
 *  - the target, from the probe (mts_probe_source) parsed in the same run
 *    (sparse_probe.c);
 *  - bitfield positions for big-endian targets: sparse allocates from bit 0
 *    whatever the byte order, while GCC allocates from the most significant
 *    bit there, so positions go through mtc_bitfield_physical();
 *  - whether a record is anonymous and named by a typedef (sparse_source.c).
 * Records are named and types spelled with the model's helpers, as every
 * front end does.
 */
#include <errno.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sparse_xml_internal.h"

/* "file:line:col" of a symbol, for messages. */
static void where(const xmlNode *n, char *buf, size_t size)
{
	long long line = 0, col = 0;
	const char *file = attr(n, "file");

	num_attr(n, "start-line", &line);
	num_attr(n, "start-col", &col);
	snprintf(buf, size, "%s:%lld:%lld", file ? file : "?", line, col);
}

int mts_fail(struct conv *c, int code, const xmlNode *n, const char *what)
{
	char pos[512];

	if (c->ret)
		return c->ret;
	if (n) {
		const char *file = attr(n, "file");

		/* the position names the input already when it is in the input */
		where(n, pos, sizeof(pos));
		if (file && !strcmp(file, c->conf->input))
			c->ret = mtc_error_set(c->err, code, "%s: %s", pos, what);
		else
			c->ret = mtc_error_set(c->err, code, "%s: %s: %s", c->conf->input, pos, what);
	} else {
		c->ret = mtc_error_set(c->err, code, "%s: %s", c->conf->input, what);
	}
	return c->ret;
}

int mts_oom(struct conv *c)
{
	return mts_fail(c, -ENOMEM, NULL, "out of memory");
}

struct sym *mts_sym_by_ref(struct conv *c, const char *ref)
{
	char *end;
	unsigned long long id;

	if (!ref || ref[0] != '_')
		return NULL;
	errno = 0;
	id = strtoull(ref + 1, &end, 10);
	if (*end || errno || id >= c->nr_syms || !c->syms[id].node)
		return NULL;
	return &c->syms[id];
}

struct sym *mts_base_of(struct conv *c, const struct sym *s)
{
	return mts_sym_by_ref(c, attr(s->node, "base-type"));
}

/* ---- the index of symbols ---- */

/*
 * c2xml numbers the symbols it prints from _0 up, so no id reaches their
 * number.  The index is an array by id: ids far above it (allowed some
 * room, for hand-made XML) would size it by the id, not by the input.
 */
static size_t count_symbols(xmlNode *root)
{
	size_t n = 0;

	for (xmlNode *k = root->children; k;) {
		n += is_symbol(k);
		if (k->children) {
			k = k->children;
			continue;
		}
		while (k != root && !k->next)
			k = k->parent;
		k = k == root ? NULL : k->next;
	}
	return n;
}

static int index_symbol(struct conv *c, xmlNode *n, bool top, size_t *cap, size_t limit)
{
	const char *id = attr(n, "id");
	char *end = NULL;
	unsigned long long v = 0;

	errno = 0;
	if (id && id[0] == '_')
		v = strtoull(id + 1, &end, 10);
	if (!end || end == id + 1 || *end || errno || v > (unsigned long long)INT_MAX ||
	    v >= limit)
		return mts_fail(c, -EINVAL, n, "c2xml printed a symbol without a valid id");
	if (v >= *cap) {
		size_t nc = *cap ? *cap : 1024;

		while (nc <= v)
			nc *= 2;
		struct sym *ns = realloc(c->syms, nc * sizeof(*ns));

		if (!ns)
			return mts_oom(c);
		memset(ns + *cap, 0, (nc - *cap) * sizeof(*ns));
		c->syms = ns;
		*cap = nc;
	}
	if (v >= c->nr_syms)
		c->nr_syms = v + 1;
	struct sym *s = &c->syms[v];

	if (s->node)
		return mts_fail(c, -EINVAL, n, "c2xml printed two symbols with one id");
	s->node = n;
	s->kind = attr(n, "type");
	s->ident = attr(n, "ident");
	s->top = top;
	return 0;
}

static int index_symbols(struct conv *c, xmlNode *root)
{
	size_t cap = 0, limit = 2 * count_symbols(root) + 65536;

	for (xmlNode *n = root->children; n && !c->ret; n = n->next) {
		if (!is_symbol(n))
			continue;
		index_symbol(c, n, true, &cap, limit);
		for (xmlNode *k = n->children; k && !c->ret; k = k->next)
			if (is_symbol(k))
				index_symbol(c, k, false, &cap, limit);
	}
	return c->ret;
}

/* ---- types ---- */

static struct mtc_type *convert(struct conv *c, struct sym *s, int depth);

static void spell(struct conv *c, const struct sym *s, struct mtc_spelling *sp, int depth);

/* The type a symbol refers to, spelled. */
static void spell_ref(struct conv *c, const xmlNode *n, struct mtc_spelling *sp, int depth)
{
	const char *b = attr(n, "base-type-builtin");
	const struct sym *s;

	if (b)
		mtc_spell_add(sp, !strcmp(b, "bool") ? "_Bool" : b);
	else if ((s = mts_sym_by_ref(c, attr(n, "base-type"))))
		spell(c, s, sp, depth + 1);
	else
		mtc_spell_add(sp, "void");
}

/* The C spelling of a symbol's type, as reports show it. */
static void spell(struct conv *c, const struct sym *s, struct mtc_spelling *sp, int depth)
{
	long long count;

	if (!mtc_spell_enter(sp, depth))
		return;
	if (is_record_sym(s) || kind_is(s, "enum")) {
		/* sparse gives a record its typedef's name as if it were a tag */
		if (s->typedef_named)
			mtc_spell_add(sp, s->ident);
		else
			mtc_spell_tagged(sp, s->kind, s->ident);
	} else if (kind_is(s, "pointer")) {
		const struct sym *b = mts_base_of(c, s);

		if (b && kind_is(b, "function")) {
			size_t n = 0;

			spell_ref(c, b->node, sp, depth);
			mtc_spell_func_open(sp);
			for (xmlNode *k = b->node->children; k && !sp->cut; k = k->next) {
				if (!is_symbol(k))
					continue;
				mtc_spell_func_param(sp, n++);
				spell_ref(c, k, sp, depth);
			}
			mtc_spell_func_close(sp, n, false);
			return;
		}
		spell_ref(c, s->node, sp, depth);
		mtc_spell_pointer(sp);
	} else if (kind_is(s, "array")) {
		bool known = num_attr(s->node, "array-size", &count) && count >= 0;

		spell_ref(c, s->node, sp, depth);
		mtc_spell_array(sp, known ? (uint64_t)count : 0, known);
	} else if ((kind_is(s, "restrict") || kind_is(s, "fouled")) && s->ident) {
		mtc_spell_add(sp, s->ident);
	} else {
		spell_ref(c, s->node, sp, depth);
	}
}

/* @s spelled into @sp, from the start. */
static const char *spelled(struct conv *c, const struct sym *s, struct mtc_spelling *sp)
{
	mtc_spell_init(sp);
	spell(c, s, sp, 0);
	return sp->buf;
}

static struct builtin *find_builtin(struct conv *c, const char *name)
{
	/* "signed int" (int32_t in glibc) is int; "signed char" is a type of its own */
	if (!strncmp(name, "signed ", 7) && strcmp(name, "signed char"))
		name += 7;
	for (size_t i = 0; i < c->nr_builtins; i++)
		if (!strcmp(c->builtins[i].name, name))
			return &c->builtins[i];
	return NULL;
}

static bool is_float_name(const char *n)
{
	return !strcmp(n, "float") || !strcmp(n, "double") || !strcmp(n, "long double") ||
	       !strncmp(n, "float", 5) || !strncmp(n, "_Float", 6);
}

/*
 * A base type named by @ref's base-type-builtin.  Its size comes from the
 * probe; a name the probe does not have takes @ref's own size when @ref is
 * a whole object of that type.
 */
static struct mtc_type *builtin_type(struct conv *c, const xmlNode *ref, const char *name)
{
	struct builtin *b = find_builtin(c, name);
	struct builtin local = { .name = name };
	long long bits = 0, align = 0;

	if (b && b->type)
		return b->type;
	if (!strcmp(name, "void")) {
		struct mtc_type *v = mtc_model_opaque(c->m, "void", 0);

		if (!v)
			mts_oom(c);
		return v;
	}
	if (!b) {
		const char *k = attr(ref, "type");

		if (!k || strcmp(k, "node") || attr(ref, "bit-offset") ||
		    !num_attr(ref, "bit-size", &bits) || bits <= 0) {
			char msg[256];

			snprintf(msg, sizeof(msg), "base type '%s' of unknown size", name);
			mts_fail(c, -EINVAL, ref, msg);
			return NULL;
		}
		num_attr(ref, "alignment", &align);
		local.bits = (unsigned)bits;
		local.align = (unsigned)align;
		b = &local;
	}
	/* the probe's spelling: "signed int" is shown as int */
	name = b->name;
	enum mtc_kind kind = !strcmp(name, "bool") ? MTC_KIND_BOOL
			     : is_float_name(name) ? MTC_KIND_FLOAT : MTC_KIND_INT;
	bool is_signed = kind == MTC_KIND_INT &&
			 (!strcmp(name, "char") ? c->char_signed : strncmp(name, "unsigned", 8) != 0);
	/* sparse's _Bool is 1 bit wide; in memory it takes a byte */
	struct mtc_type *t = mtc_model_scalar(c->m, kind, !strcmp(name, "bool") ? "_Bool" : name,
					      (b->bits + 7) / 8, is_signed);

	if (!t) {
		mts_oom(c);
		return NULL;
	}
	if (b->align)
		t->align = b->align;
	if (b != &local)
		b->type = t;
	return t;
}

/* The type a symbol refers to: a base type or another symbol. */
static struct mtc_type *type_of_ref(struct conv *c, const struct sym *s, int depth)
{
	const char *b = attr(s->node, "base-type-builtin");
	struct sym *bs;

	if (b)
		return builtin_type(c, s->node, b);
	if (!(bs = mts_base_of(c, s))) {
		mts_fail(c, -EINVAL, s->node, "c2xml names a base type it did not print");
		return NULL;
	}
	return convert(c, bs, depth + 1);
}

static bool size_in_bytes(struct conv *c, const struct sym *s, uint64_t *out)
{
	long long bits;

	if (!num_attr(s->node, "bit-size", &bits) || bits < 0 || bits % 8) {
		/* c2xml prints sizes as int: a record over 256 MiB overflows */
		mts_fail(c, -EINVAL, s->node, "c2xml gives no usable size (a record over 256 MiB?)");
		return false;
	}
	*out = (uint64_t)bits / 8;
	return true;
}

static void set_loc(struct conv *c, struct mtc_location *loc, const xmlNode *n)
{
	long long line, col;
	const char *file = attr(n, "file");

	if (!file || !strcmp(file, "builtin") || !num_attr(n, "start-line", &line) || line < 1)
		return;
	const struct source *src = mts_source_for(c, file, false);

	if (!src)
		return;
	loc->file = src->name;
	loc->line = (unsigned)line;
	loc->column = num_attr(n, "start-col", &col) && col > 0 ? (unsigned)col : 0;
}

static int add_member(struct conv *c, struct mtc_type *r, xmlNode *n, int depth)
{
	const char *name = attr(n, "ident");
	long long offset, bit_offset, bits;
	struct mtc_member *mb;
	const char *id = attr(n, "id");
	struct sym *ms = mts_sym_by_ref(c, id);

	if (!ms || !num_attr(n, "offset", &offset) || offset < 0)
		return mts_fail(c, -EINVAL, n, "member without an offset");
	if (num_attr(n, "bit-offset", &bit_offset)) {
		struct sym *bf = mts_base_of(c, ms);

		if (!num_attr(n, "bit-size", &bits) || bits < 0 || bit_offset < 0 || !bf)
			return mts_fail(c, -EINVAL, n, "bitfield without a width or type");
		if (!bits)
			return 0;	/* ':0' only aligns what follows */
		struct mtc_type *t = type_of_ref(c, bf, depth);

		if (!t)
			return c->ret;
		uint64_t alloc = (uint64_t)offset * 8 + (uint64_t)bit_offset;

		if (alloc + (uint64_t)bits > UINT32_MAX)
			return mts_fail(c, -EINVAL, n, "bitfield beyond 512 MiB");
		mb = mtc_record_add_member(c->m, r, name, t, 0,
					   mtc_bitfield_physical(c->endian, alloc, (uint32_t)bits),
					   (uint32_t)bits);
	} else {
		struct mtc_type *t = type_of_ref(c, ms, depth);

		if (!t)
			return c->ret;
		mb = mtc_record_add_member(c->m, r, name, t, (uint64_t)offset, 0, 0);
	}
	if (!mb)
		return mts_oom(c);
	set_loc(c, &mb->loc, n);
	return c->ret;
}

static struct mtc_type *convert_record(struct conv *c, struct sym *s, int depth)
{
	uint64_t size = 0;
	long long align = 0;
	bool complete = attr(s->node, "end-line") || s->node->children;

	if (!complete) {
		struct mtc_type *o = mtc_model_opaque(c->m, NULL, 0);

		if (!o)
			mts_oom(c);
		return o;
	}
	if (!size_in_bytes(c, s, &size))
		return NULL;
	num_attr(s->node, "alignment", &align);
	struct mtc_type *r = mtc_model_named_record(c->m, kind_is(s, "union") ? MTC_KIND_UNION
									     : MTC_KIND_STRUCT,
						    s->typedef_named ? NULL : s->ident,
						    s->typedef_named ? s->ident : NULL, size,
						    align > 0 ? (uint32_t)align : 0);

	if (!r) {
		mts_oom(c);
		return NULL;
	}
	s->type = r;	/* pointers back to it are spelled, not converted */
	set_loc(c, &r->loc, s->node);
	for (xmlNode *k = s->node->children; k && !c->ret; k = k->next)
		if (is_symbol(k))
			add_member(c, r, k, depth);
	return c->ret ? NULL : r;
}

static struct mtc_type *convert(struct conv *c, struct sym *s, int depth)
{
	struct mtc_spelling name;
	struct mtc_type *t = NULL;
	uint64_t size;

	if (c->ret)
		return NULL;
	if (s->state == 2)
		return s->type;
	if (s->state == 1) {
		mts_fail(c, -ELOOP, s->node, "type contains itself");
		return NULL;
	}
	if (!c->ret && (c->ret = mtc_model_nesting(c->m, (unsigned)depth, c->root, c->err)))
		return NULL;
	s->state = 1;
	if (is_record_sym(s)) {
		t = convert_record(c, s, depth);
	} else if (kind_is(s, "array")) {
		long long count = 0;
		struct mtc_type *el = type_of_ref(c, s, depth);

		/* a flexible array member has no array-size and bit-size -1 */
		if (el && num_attr(s->node, "array-size", &count) && count < 0)
			mts_fail(c, -EINVAL, s->node, "array with a negative size");
		else if (el && !(t = mtc_model_array(c->m, el, (uint64_t)count)))
			mts_oom(c);
		if (t)
			t->align = el->align;
	} else if (kind_is(s, "pointer")) {
		struct sym *b = mts_base_of(c, s);

		if (size_in_bytes(c, s, &size) && spelled(c, s, &name)) {
			t = mtc_model_scalar(c->m, b && kind_is(b, "function") ? MTC_KIND_FUNC_POINTER
									     : MTC_KIND_POINTER,
					     name.buf, size, false);
			if (!t)
				mts_oom(c);
		}
	} else if (kind_is(s, "enum")) {
		const char *b = attr(s->node, "base-type-builtin");

		if (size_in_bytes(c, s, &size) && spelled(c, s, &name)) {
			t = mtc_model_scalar(c->m, MTC_KIND_ENUM, name.buf, size,
					     !b || strncmp(b, "unsigned", 8) != 0);
			if (!t)
				mts_oom(c);
		}
	} else if ((kind_is(s, "restrict") || kind_is(s, "fouled")) && s->ident &&
		   attr(s->node, "base-type-builtin")) {
		/* a __bitwise type (__le32): the base type, with its own name */
		struct mtc_type *b = builtin_type(c, s->node, attr(s->node, "base-type-builtin"));

		if (b && !(t = mtc_model_scalar(c->m, b->kind, s->ident, b->size, b->is_signed)))
			mts_oom(c);
		if (t)
			t->align = b->align;
	} else if (kind_is(s, "function")) {
		t = mtc_model_opaque(c->m, "function", 0);
		if (!t)
			mts_oom(c);
	} else if (attr(s->node, "base-type-builtin") || attr(s->node, "base-type")) {
		/* nodes, bitfields, typeof: whatever they refer to */
		t = type_of_ref(c, s, depth);
	} else {
		mts_fail(c, -EINVAL, s->node, "c2xml printed a type mtcheck does not know");
	}
	s->state = 2;
	s->type = t;
	return t;
}

static int convert_roots(struct conv *c)
{
	for (size_t i = 0; i < c->nr_syms && !c->ret; i++) {
		struct sym *s = &c->syms[i];
		const char *file;

		/* named records become the analysis roots; anonymous ones are reached */
		if (!s->node || !s->top || !is_record_sym(s) || !s->ident ||
		    !(file = attr(s->node, "file")) || !strcmp(file, MTS_PROBE_FILE))
			continue;
		c->root = s->ident;
		convert(c, s, 0);
	}
	return c->ret;
}

int mts_model_from_xml(const char *xml, size_t len, const struct mts_xml_conf *conf,
		       struct mtc_model **out, struct mtc_error *err)
{
	struct conv c = { .conf = conf, .err = err };
	struct mtc_target target;
	xmlDoc *doc;
	xmlNode *root;

	*out = NULL;
	if (len > INT_MAX)
		return mtc_error_set(err, -EFBIG, "%s: c2xml's output is over 2 GiB", conf->input);
	doc = xmlReadMemory(xml, (int)len, "c2xml", NULL,
			    XML_PARSE_NONET | XML_PARSE_HUGE | XML_PARSE_NOERROR |
			    XML_PARSE_NOWARNING);
	if (!doc) {
		const xmlError *e = xmlGetLastError();
		char msg[256];
		size_t n;

		/* libxml2's messages end in a newline */
		snprintf(msg, sizeof(msg), "%s", e && e->message ? e->message : "no document");
		for (n = strlen(msg); n && (msg[n - 1] == '\n' || msg[n - 1] == ' '); n--)
			msg[n - 1] = '\0';
		return mtc_error_set(err, -EINVAL, "%s: c2xml printed no valid XML (line %d: %s)",
				     conf->input, e ? e->line : 0, msg);
	}
	root = xmlDocGetRootElement(doc);
	if (!root || strcmp((const char *)root->name, "parse")) {
		xmlFreeDoc(doc);
		return mtc_error_set(err, -EINVAL, "%s: c2xml's output is not a <parse> document",
				     conf->input);
	}
	if (!index_symbols(&c, root) && !mts_read_probe(&c, &target)) {
		c.m = mtc_model_new(&target);
		if (!c.m) {
			mts_oom(&c);
		} else {
			mtc_model_set_input(c.m, conf->input);
			mtc_model_set_frontend(c.m, "sparse");
			mts_find_typedef_names(&c);
			if (!c.ret)
				convert_roots(&c);
			if (!c.ret)
				c.ret = mtc_model_check(c.m, err);
		}
	}
	mts_free_sources(&c);
	free(c.syms);
	xmlFreeDoc(doc);
	if (c.ret) {
		mtc_model_free(c.m);
		return c.ret;
	}
	*out = c.m;
	return 0;
}
