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
 * Three things c2xml leaves out are worked out here:
 *  - the target, from the probe (mts_probe_source) parsed in the same run;
 *  - bitfield positions for big-endian targets: sparse allocates from bit 0
 *    whatever the byte order, while GCC allocates from the most significant
 *    bit there, so positions go through mtc_bitfield_physical();
 *  - whether a record is anonymous and named by a typedef: sparse gives
 *    `typedef struct { ... } foo_t` the name foo_t, exactly like
 *    `struct foo_t`.  The anonymous one is placed at its '{' token, the
 *    tagged one at its tag, and a typedef in the file itself is printed
 *    before its anonymous record (a tag is bound before the declarator).
 */
#include <errno.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sparse_xml.h"

/*
 * Declarations only: every name starts with __mtcheck_ so nothing in a
 * kernel -include clashes, and sparse's checks have nothing to say.
 */
const char mts_probe_source[] =
	"/* mtcheck-sparse: the target as sparse sees it */\n"
	"extern void *__mtcheck_pointer;\n"
	"extern char __mtcheck_builtin_0;\n"
	"extern signed char __mtcheck_builtin_1;\n"
	"extern unsigned char __mtcheck_builtin_2;\n"
	"extern short __mtcheck_builtin_3;\n"
	"extern unsigned short __mtcheck_builtin_4;\n"
	"extern int __mtcheck_builtin_5;\n"
	"extern unsigned int __mtcheck_builtin_6;\n"
	"extern long __mtcheck_builtin_7;\n"
	"extern unsigned long __mtcheck_builtin_8;\n"
	"extern long long __mtcheck_builtin_9;\n"
	"extern unsigned long long __mtcheck_builtin_10;\n"
	"extern __int128 __mtcheck_builtin_11;\n"
	"extern unsigned __int128 __mtcheck_builtin_12;\n"
	"extern _Bool __mtcheck_builtin_13;\n"
	"extern float __mtcheck_builtin_14;\n"
	"extern double __mtcheck_builtin_15;\n"
	"extern long double __mtcheck_builtin_16;\n"
	"#if defined(__BYTE_ORDER__) && defined(__ORDER_BIG_ENDIAN__) && \\\n"
	"    __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__\n"
	"extern char __mtcheck_big_endian;\n"
	"#endif\n"
	"#ifdef __CHAR_UNSIGNED__\n"
	"extern char __mtcheck_char_unsigned;\n"
	"#endif\n"
	"#if defined(__x86_64__)\n"
	"extern char __mtcheck_arch_x86_64;\n"
	"#elif defined(__i386__)\n"
	"extern char __mtcheck_arch_i386;\n"
	"#elif defined(__aarch64__)\n"
	"extern char __mtcheck_arch_aarch64;\n"
	"#elif defined(__arm__)\n"
	"extern char __mtcheck_arch_arm;\n"
	"#elif defined(__powerpc__)\n"
	"extern char __mtcheck_arch_powerpc;\n"
	"#elif defined(__s390__)\n"
	"extern char __mtcheck_arch_s390;\n"
	"#elif defined(__sparc__)\n"
	"extern char __mtcheck_arch_sparc;\n"
	"#elif defined(__mips__)\n"
	"extern char __mtcheck_arch_mips;\n"
	"#elif defined(__riscv)\n"
	"extern char __mtcheck_arch_riscv;\n"
	"#elif defined(__m68k__)\n"
	"extern char __mtcheck_arch_m68k;\n"
	"#elif defined(__alpha__)\n"
	"extern char __mtcheck_arch_alpha;\n"
	"#endif\n";

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
	struct mtc_error *err;
	int ret;
};

static const char *attr(const xmlNode *n, const char *name)
{
	for (const xmlAttr *a = n->properties; a; a = a->next)
		if (!strcmp((const char *)a->name, name))
			return a->children && a->children->content
				       ? (const char *)a->children->content : "";
	return NULL;
}

/* A numeric attribute; false when it is missing or not a number. */
static bool num_attr(const xmlNode *n, const char *name, long long *out)
{
	const char *s = attr(n, name);
	char *end;

	if (!s || !*s)
		return false;
	errno = 0;
	*out = strtoll(s, &end, 10);
	return !*end && !errno;
}

static bool is_symbol(const xmlNode *n)
{
	return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, "symbol");
}

static bool kind_is(const struct sym *s, const char *k)
{
	return s->kind && !strcmp(s->kind, k);
}

static bool is_record_sym(const struct sym *s)
{
	return kind_is(s, "struct") || kind_is(s, "union");
}

/* "file:line:col" of a symbol, for messages. */
static void where(const xmlNode *n, char *buf, size_t size)
{
	long long line = 0, col = 0;
	const char *file = attr(n, "file");

	num_attr(n, "start-line", &line);
	num_attr(n, "start-col", &col);
	snprintf(buf, size, "%s:%lld:%lld", file ? file : "?", line, col);
}

static int fail(struct conv *c, int code, const xmlNode *n, const char *what)
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

static int oom(struct conv *c)
{
	return fail(c, -ENOMEM, NULL, "out of memory");
}

static struct sym *sym_by_ref(struct conv *c, const char *ref)
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

static struct sym *base_of(struct conv *c, const struct sym *s)
{
	return sym_by_ref(c, attr(s->node, "base-type"));
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
		return fail(c, -EINVAL, n, "c2xml printed a symbol without a valid id");
	if (v >= *cap) {
		size_t nc = *cap ? *cap : 1024;

		while (nc <= v)
			nc *= 2;
		struct sym *ns = realloc(c->syms, nc * sizeof(*ns));

		if (!ns)
			return oom(c);
		memset(ns + *cap, 0, (nc - *cap) * sizeof(*ns));
		c->syms = ns;
		*cap = nc;
	}
	if (v >= c->nr_syms)
		c->nr_syms = v + 1;
	struct sym *s = &c->syms[v];

	if (s->node)
		return fail(c, -EINVAL, n, "c2xml printed two symbols with one id");
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

/* ---- the probe: the target and the base types ---- */

static const char *triple_for(const char *arch, unsigned bits, enum mtc_endian e,
			      bool ilp32)
{
	bool le = e == MTC_ENDIAN_LITTLE, b64 = bits == 64;

	if (!strcmp(arch, "x86_64"))
		return !le ? NULL : b64 ? "x86_64-linux-gnu" : ilp32 ? "x86_64-linux-gnux32" : NULL;
	if (!strcmp(arch, "i386"))
		return le && !b64 ? "i686-linux-gnu" : NULL;
	if (!strcmp(arch, "aarch64"))
		return !b64 ? NULL : le ? "aarch64-linux-gnu" : "aarch64_be-linux-gnu";
	if (!strcmp(arch, "arm"))
		return b64 ? NULL : le ? "arm-linux-gnueabihf" : "armeb-linux-gnueabi";
	if (!strcmp(arch, "powerpc"))
		return b64 ? (le ? "powerpc64le-linux-gnu" : "powerpc64-linux-gnu")
			   : (le ? NULL : "powerpc-linux-gnu");
	if (!strcmp(arch, "s390"))
		return le ? NULL : b64 ? "s390x-linux-gnu" : "s390-linux-gnu";
	if (!strcmp(arch, "sparc"))
		return le ? NULL : b64 ? "sparc64-linux-gnu" : "sparc-linux-gnu";
	if (!strcmp(arch, "mips"))
		return b64 ? (le ? "mips64el-linux-gnuabi64" : "mips64-linux-gnuabi64")
			   : (le ? "mipsel-linux-gnu" : "mips-linux-gnu");
	if (!strcmp(arch, "riscv"))
		return !le ? NULL : b64 ? "riscv64-linux-gnu" : "riscv32-linux-gnu";
	if (!strcmp(arch, "m68k"))
		return !le && !b64 ? "m68k-linux-gnu" : NULL;
	if (!strcmp(arch, "alpha"))
		return le && b64 ? "alpha-linux-gnu" : NULL;
	return NULL;
}

static int read_probe(struct conv *c, struct mtc_target *t)
{
	const char *arch = NULL;
	long long ptr_bits = 0;

	memset(t, 0, sizeof(*t));
	t->endian = MTC_ENDIAN_LITTLE;
	t->char_signed = true;
	for (size_t i = 0; i < c->nr_syms; i++) {
		struct sym *s = &c->syms[i];
		const char *file;

		if (!s->node || !s->top || !kind_is(s, "node") || !s->ident ||
		    !(file = attr(s->node, "file")) || strcmp(file, MTS_PROBE_FILE) ||
		    strncmp(s->ident, "__mtcheck_", 10))
			continue;
		const char *what = s->ident + 10;
		long long bits = 0, align = 0;

		if (!strcmp(what, "pointer")) {
			num_attr(s->node, "bit-size", &ptr_bits);
		} else if (!strcmp(what, "big_endian")) {
			t->endian = MTC_ENDIAN_BIG;
		} else if (!strcmp(what, "char_unsigned")) {
			t->char_signed = false;
		} else if (!strncmp(what, "arch_", 5)) {
			arch = what + 5;
		} else if (!strncmp(what, "builtin_", 8)) {
			const char *name = attr(s->node, "base-type-builtin");

			if (!name || !num_attr(s->node, "bit-size", &bits) ||
			    !num_attr(s->node, "alignment", &align) || bits <= 0 || align < 0 ||
			    c->nr_builtins == sizeof(c->builtins) / sizeof(c->builtins[0]))
				continue;
			c->builtins[c->nr_builtins].name = name;
			c->builtins[c->nr_builtins].bits = (unsigned)bits;
			c->builtins[c->nr_builtins++].align = (unsigned)align;
		}
	}
	if (ptr_bits != 32 && ptr_bits != 64)
		return fail(c, -EINVAL, NULL,
			    ptr_bits ? "sparse's pointers are neither 32 nor 64 bits wide"
				     : "c2xml's output lacks the target probe (did sparse parse standard input?)");
	t->pointer_bits = (unsigned)ptr_bits;
	bool ilp32 = false;

	for (size_t i = 0; i < c->nr_builtins; i++)
		if (!strcmp(c->builtins[i].name, "long"))
			ilp32 = c->builtins[i].bits == 32;
	const char *triple = arch ? triple_for(arch, t->pointer_bits, t->endian, ilp32) : NULL;

	if (triple)
		snprintf(t->triple, sizeof(t->triple), "%s", triple);
	c->endian = t->endian;
	c->char_signed = t->char_signed;
	return 0;
}

/* ---- sources: is a record anonymous? ---- */

/*
 * Sources larger than this are not read; their records are taken as c2xml
 * names them.  Far above any C file, generated ones included.
 */
#define MTS_MAX_SOURCE ((size_t)256 << 20)

static void read_source(struct source *src)
{
	src->read = true;
	/*
	 * Through the input opener: the name comes from c2xml's output, and a
	 * FIFO or a device there (/dev/zero, /dev/stdin) must not block the
	 * tool or fill its memory.  Such a file just has no text.
	 */
	if (mtc_input_read(src->name, MTS_MAX_SOURCE, &src->text, &src->len, NULL))
		return;
	/* where each line starts, so that every record costs one lookup */
	size_t n = 1;

	for (size_t i = 0; i < src->len; i++)
		n += src->text[i] == '\n';
	src->line_start = malloc(n * sizeof(*src->line_start));
	if (!src->line_start) {
		free(src->text);
		src->text = NULL;
		return;
	}
	src->line_start[src->nr_lines++] = 0;
	for (size_t i = 0; i < src->len; i++)
		if (src->text[i] == '\n')
			src->line_start[src->nr_lines++] = i + 1;
}

/*
 * The entry for a file name as c2xml spells it: one model copy of the name
 * for every location in it, and its text once @want_text asks for it.
 */
static struct source *source_for(struct conv *c, const char *name, bool want_text)
{
	struct source *src = NULL;

	for (size_t i = 0; i < c->nr_sources && !src; i++)
		if (!strcmp(c->sources[i].name, name))
			src = &c->sources[i];
	if (!src) {
		if (c->nr_sources == c->cap_sources) {
			size_t nc = c->cap_sources ? c->cap_sources * 2 : 16;
			struct source *ns = realloc(c->sources, nc * sizeof(*ns));

			if (!ns) {
				oom(c);
				return NULL;
			}
			c->sources = ns;
			c->cap_sources = nc;
		}
		src = &c->sources[c->nr_sources];
		memset(src, 0, sizeof(*src));
		if (!(src->name = mtc_model_strdup(c->m, name))) {
			oom(c);
			return NULL;
		}
		c->nr_sources++;
	}
	if (want_text && !src->read)
		read_source(src);
	return src;
}

/*
 * The byte at sparse's position @line:@col of @src: sparse counts columns
 * from 1 and moves a tab to the next multiple of its tabstop.  -1 when the
 * position is not in the file.
 */
static int char_at(const struct source *src, long long line, long long col, unsigned tabstop)
{
	if (!src->text || line < 1 || col < 1 || (unsigned long long)line > src->nr_lines)
		return -1;
	size_t i = src->line_start[line - 1];

	for (long long vis = 0; i < src->len && src->text[i] != '\n'; i++) {
		if (vis == col - 1)
			return (unsigned char)src->text[i];
		if (vis > col - 1)
			return -1;
		vis = src->text[i] == '\t' ? vis + tabstop - vis % tabstop : vis + 1;
	}
	return -1;
}

/* True when a record ends where a typedef's declarator starts. */
static bool ends_at(const xmlNode *rec, const xmlNode *td)
{
	long long rl, rc, tl, tc;
	const char *rf = attr(rec, "file"), *tf = attr(td, "file");

	return rf && tf && !strcmp(rf, tf) && !attr(rec, "end-file") &&
	       num_attr(rec, "end-line", &rl) && num_attr(rec, "end-col", &rc) &&
	       num_attr(td, "start-line", &tl) && num_attr(td, "start-col", &tc) &&
	       rl == tl && rc == tc;
}

static void find_typedef_names(struct conv *c)
{
	/* a typedef in the file itself, printed just before its anonymous record */
	for (size_t i = 0; i < c->nr_syms; i++) {
		struct sym *t = &c->syms[i], *r;

		if (!t->node || !t->top || !kind_is(t, "node") || !t->ident || !(r = base_of(c, t)))
			continue;
		if ((is_record_sym(r) || kind_is(r, "enum")) && r->ident &&
		    !strcmp(r->ident, t->ident) && r > t && ends_at(r->node, t->node))
			r->typedef_named = true;
	}
	/* elsewhere (a header): sparse placed an anonymous record at its '{' */
	for (size_t i = 0; i < c->nr_syms && !c->ret; i++) {
		struct sym *r = &c->syms[i];
		const char *file;
		long long line, col;

		if (!r->node || r->typedef_named || !r->ident ||
		    !(is_record_sym(r) || kind_is(r, "enum")) || !(file = attr(r->node, "file")) ||
		    !num_attr(r->node, "start-line", &line) || !num_attr(r->node, "start-col", &col))
			continue;
		const struct source *src = source_for(c, file, true);

		if (src && char_at(src, line, col, c->conf->tabstop) == '{')
			r->typedef_named = true;
	}
}

/* ---- types ---- */

static struct mtc_type *convert(struct conv *c, struct sym *s, int depth);

/* A growing string for type spellings; on allocation failure it stays short. */
struct dstr {
	char *buf;
	size_t len, cap;
	bool oom;
};

static void ds_add(struct dstr *d, const char *s)
{
	size_t n = strlen(s);

	if (d->oom)
		return;
	if (d->len + n + 1 > d->cap) {
		size_t nc = d->cap ? d->cap : 64;

		while (nc < d->len + n + 1)
			nc *= 2;
		char *nb = realloc(d->buf, nc);

		if (!nb) {
			d->oom = true;
			return;
		}
		d->buf = nb;
		d->cap = nc;
	}
	memcpy(d->buf + d->len, s, n + 1);
	d->len += n;
}

static void spell(struct conv *c, const struct sym *s, struct dstr *d, int depth);

/* The type a symbol refers to, spelled. */
static void spell_ref(struct conv *c, const xmlNode *n, struct dstr *d, int depth)
{
	const char *b = attr(n, "base-type-builtin");
	const struct sym *s;

	if (b)
		ds_add(d, !strcmp(b, "bool") ? "_Bool" : b);
	else if ((s = sym_by_ref(c, attr(n, "base-type"))))
		spell(c, s, d, depth + 1);
	else
		ds_add(d, "void");
}

/* The C spelling of a symbol's type, as reports show it. */
static void spell(struct conv *c, const struct sym *s, struct dstr *d, int depth)
{
	if (depth > 16) {
		ds_add(d, "...");
		return;
	}
	if (is_record_sym(s) || kind_is(s, "enum")) {
		if (!s->typedef_named) {
			ds_add(d, s->kind);
			ds_add(d, " ");
		}
		ds_add(d, s->ident ? s->ident : "<anonymous>");
	} else if (kind_is(s, "pointer")) {
		const struct sym *b = base_of(c, s);

		if (b && kind_is(b, "function")) {
			bool any = false;

			spell_ref(c, b->node, d, depth);
			ds_add(d, " (*)(");
			for (xmlNode *k = b->node->children; k; k = k->next) {
				if (!is_symbol(k))
					continue;
				if (any)
					ds_add(d, ", ");
				spell_ref(c, k, d, depth);
				any = true;
			}
			ds_add(d, any ? ")" : "void)");
			return;
		}
		spell_ref(c, s->node, d, depth);
		ds_add(d, d->len && d->buf[d->len - 1] == '*' ? "*" : " *");
	} else if (kind_is(s, "array")) {
		const char *n = attr(s->node, "array-size");

		spell_ref(c, s->node, d, depth);
		ds_add(d, "[");
		ds_add(d, n ? n : "");
		ds_add(d, "]");
	} else if ((kind_is(s, "restrict") || kind_is(s, "fouled")) && s->ident) {
		ds_add(d, s->ident);
	} else {
		spell_ref(c, s->node, d, depth);
	}
}

/* A new model type named after @s's spelling. */
static const char *spelled(struct conv *c, const struct sym *s, struct dstr *d)
{
	d->len = 0;
	spell(c, s, d, 0);
	if (d->oom || !d->buf) {
		oom(c);
		return NULL;
	}
	return d->buf;
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
			oom(c);
		return v;
	}
	if (!b) {
		const char *k = attr(ref, "type");

		if (!k || strcmp(k, "node") || attr(ref, "bit-offset") ||
		    !num_attr(ref, "bit-size", &bits) || bits <= 0) {
			char msg[256];

			snprintf(msg, sizeof(msg), "base type '%s' of unknown size", name);
			fail(c, -EINVAL, ref, msg);
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
		oom(c);
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
	if (!(bs = base_of(c, s))) {
		fail(c, -EINVAL, s->node, "c2xml names a base type it did not print");
		return NULL;
	}
	return convert(c, bs, depth + 1);
}

static bool size_in_bytes(struct conv *c, const struct sym *s, uint64_t *out)
{
	long long bits;

	if (!num_attr(s->node, "bit-size", &bits) || bits < 0 || bits % 8) {
		/* c2xml prints sizes as int: a record over 256 MiB overflows */
		fail(c, -EINVAL, s->node, "c2xml gives no usable size (a record over 256 MiB?)");
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
	const struct source *src = source_for(c, file, false);

	if (!src)
		return;
	loc->file = src->name;
	loc->line = (unsigned)line;
	loc->column = num_attr(n, "start-col", &col) && col > 0 ? (unsigned)col : 0;
}

static int add_member(struct conv *c, struct mtc_type *r, xmlNode *n, uint32_t *max_align,
		      int depth)
{
	const char *name = attr(n, "ident");
	long long offset, bit_offset, bits, align;
	struct mtc_member *mb;
	const char *id = attr(n, "id");
	struct sym *ms = sym_by_ref(c, id);

	if (!ms || !num_attr(n, "offset", &offset) || offset < 0)
		return fail(c, -EINVAL, n, "member without an offset");
	if (num_attr(n, "alignment", &align) && align > 0 && (uint32_t)align > *max_align)
		*max_align = (uint32_t)align;
	if (num_attr(n, "bit-offset", &bit_offset)) {
		struct sym *bf = base_of(c, ms);

		if (!num_attr(n, "bit-size", &bits) || bits < 0 || bit_offset < 0 || !bf)
			return fail(c, -EINVAL, n, "bitfield without a width or type");
		if (!bits)
			return 0;	/* ':0' only aligns what follows */
		struct mtc_type *t = type_of_ref(c, bf, depth);

		if (!t)
			return c->ret;
		uint64_t alloc = (uint64_t)offset * 8 + (uint64_t)bit_offset;

		if (alloc + (uint64_t)bits > UINT32_MAX)
			return fail(c, -EINVAL, n, "bitfield beyond 512 MiB");
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
		return oom(c);
	set_loc(c, &mb->loc, n);
	return c->ret;
}

static struct mtc_type *convert_record(struct conv *c, struct sym *s, int depth)
{
	uint64_t size = 0;
	long long align = 0;
	struct dstr name = { 0 };
	bool complete = attr(s->node, "end-line") || s->node->children;

	if (!complete) {
		struct mtc_type *o = mtc_model_opaque(c->m, NULL, 0);

		if (!o)
			oom(c);
		return o;
	}
	if (!size_in_bytes(c, s, &size))
		return NULL;
	num_attr(s->node, "alignment", &align);
	if (s->ident && !spelled(c, s, &name))
		return NULL;
	struct mtc_type *r = mtc_model_record(c->m, kind_is(s, "union") ? MTC_KIND_UNION
								    : MTC_KIND_STRUCT,
					      s->ident ? name.buf : NULL, size,
					      align > 0 ? (uint32_t)align : 0);

	free(name.buf);
	if (!r) {
		oom(c);
		return NULL;
	}
	s->type = r;	/* pointers back to it are spelled, not converted */
	set_loc(c, &r->loc, s->node);
	uint32_t max_align = 0;

	for (xmlNode *k = s->node->children; k && !c->ret; k = k->next)
		if (is_symbol(k))
			add_member(c, r, k, &max_align, depth);
	r->packed = r->align && max_align > r->align;
	return c->ret ? NULL : r;
}

static struct mtc_type *convert(struct conv *c, struct sym *s, int depth)
{
	struct dstr name = { 0 };
	struct mtc_type *t = NULL;
	uint64_t size;

	if (c->ret)
		return NULL;
	if (s->state == 2)
		return s->type;
	if (s->state == 1 || depth > 512) {
		fail(c, -ELOOP, s->node, "type contains itself");
		return NULL;
	}
	s->state = 1;
	if (is_record_sym(s)) {
		t = convert_record(c, s, depth);
	} else if (kind_is(s, "array")) {
		long long count = 0;
		struct mtc_type *el = type_of_ref(c, s, depth);

		/* a flexible array member has no array-size and bit-size -1 */
		if (el && num_attr(s->node, "array-size", &count) && count < 0)
			fail(c, -EINVAL, s->node, "array with a negative size");
		else if (el && !(t = mtc_model_array(c->m, el, (uint64_t)count)))
			oom(c);
		if (t)
			t->align = el->align;
	} else if (kind_is(s, "pointer")) {
		struct sym *b = base_of(c, s);

		if (size_in_bytes(c, s, &size) && spelled(c, s, &name)) {
			t = mtc_model_scalar(c->m, b && kind_is(b, "function") ? MTC_KIND_FUNC_POINTER
									     : MTC_KIND_POINTER,
					     name.buf, size, false);
			if (!t)
				oom(c);
		}
	} else if (kind_is(s, "enum")) {
		const char *b = attr(s->node, "base-type-builtin");

		if (size_in_bytes(c, s, &size) && spelled(c, s, &name)) {
			t = mtc_model_scalar(c->m, MTC_KIND_ENUM, name.buf, size,
					     !b || strncmp(b, "unsigned", 8) != 0);
			if (!t)
				oom(c);
		}
	} else if ((kind_is(s, "restrict") || kind_is(s, "fouled")) && s->ident &&
		   attr(s->node, "base-type-builtin")) {
		/* a __bitwise type (__le32): the base type, with its own name */
		struct mtc_type *b = builtin_type(c, s->node, attr(s->node, "base-type-builtin"));

		if (b && !(t = mtc_model_scalar(c->m, b->kind, s->ident, b->size, b->is_signed)))
			oom(c);
		if (t)
			t->align = b->align;
	} else if (kind_is(s, "function")) {
		t = mtc_model_opaque(c->m, "function", 0);
		if (!t)
			oom(c);
	} else if (attr(s->node, "base-type-builtin") || attr(s->node, "base-type")) {
		/* nodes, bitfields, typeof: whatever they refer to */
		t = type_of_ref(c, s, depth);
	} else {
		fail(c, -EINVAL, s->node, "c2xml printed a type mtcheck does not know");
	}
	free(name.buf);
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
	if (!index_symbols(&c, root) && !read_probe(&c, &target)) {
		c.m = mtc_model_new(&target);
		if (!c.m) {
			oom(&c);
		} else {
			mtc_model_set_input(c.m, conf->input);
			mtc_model_set_frontend(c.m, "sparse");
			find_typedef_names(&c);
			if (!c.ret)
				convert_roots(&c);
			if (!c.ret)
				c.ret = mtc_model_check(c.m, err);
		}
	}
	for (size_t i = 0; i < c.nr_sources; i++) {
		free(c.sources[i].text);
		free(c.sources[i].line_start);
	}
	free(c.sources);
	free(c.syms);
	xmlFreeDoc(doc);
	if (c.ret) {
		mtc_model_free(c.m);
		return c.ret;
	}
	*out = c.m;
	return 0;
}
