// SPDX-License-Identifier: MIT
/*
 * The source front end: C files laid out by libclang for any target triple.
 *
 * libclang computes record layout for the triple it is given, without a
 * cross compiler, so one x86-64 machine can see how a union lays out on
 * s390x.  The target's byte order, pointer width and char signedness are
 * not guessed from the triple: a small probe file asks the compiler itself.
 *
 * Bitfield offsets from clang are in allocation order; they are converted
 * to the model's physical positions for the target's byte order.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clang_api.h"
#include "compile_flags.h"
#include "frontend_internal.h"
#include "internal.h"
#include "mtcheck/frontend.h"
#include "strbuf.h"

/* Bracket nesting refused in a source file before parsing (clang stops at 256). */
#define MTC_CLANG_MAX_NESTING 1024
/* Stack of the parse thread: enough for a million levels of nesting built by macros. */
#define MTC_CLANG_STACK_SIZE ((size_t)256 << 20)

/* A record already in the model, by clang's cursor hash. */
struct memo_entry {
	CXCursor cursor;
	struct mtc_type *type;
};

struct conv {
	struct mtc_model *m;
	const char *input;
	struct mtc_error *err;
	int ret;
	struct memo_entry *memo;
	size_t nr_memo, cap_memo;
	const char *root;	/* the named record being converted, for messages */
	bool system_headers;	/* report records declared in system headers too */
};

static int push_memo(struct memo_entry **v, size_t *n, size_t *cap, CXCursor c,
		     struct mtc_type *t)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		struct memo_entry *nv = realloc(*v, nc * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		*v = nv;
		*cap = nc;
	}
	(*v)[*n].cursor = c;
	(*v)[*n].type = t;
	(*n)++;
	return 0;
}

static struct mtc_type *find_memo(const struct memo_entry *v, size_t n, CXCursor c)
{
	for (size_t i = n; i-- > 0;)
		if (clang_equalCursors(v[i].cursor, c))
			return v[i].type;
	return NULL;
}

static void set_location(struct conv *c, struct mtc_location *loc, CXCursor cur)
{
	CXFile file;
	unsigned line, col;

	clang_getExpansionLocation(clang_getCursorLocation(cur), &file, &line, &col, NULL);
	if (!file)
		return;
	char *name = mtc_cxstr(clang_getFileName(file));

	if (name) {
		loc->file = mtc_model_strdup(c->m, name);
		loc->line = line;
		loc->column = col;
	}
	free(name);
}

/* The in-source marker: __attribute__((annotate("mtcheck:allow:REASON"))). */
static enum CXChildVisitResult find_allow(CXCursor cur, CXCursor parent, CXClientData data)
{
	(void)parent;
	if (clang_getCursorKind(cur) == CXCursor_AnnotateAttr) {
		char *s = mtc_cxstr(clang_getCursorSpelling(cur));

		if (s && !strncmp(s, "mtcheck:allow", 13)) {
			char **out = data;

			free(*out);
			*out = s;
			return CXChildVisit_Break;
		}
		free(s);
	}
	return CXChildVisit_Continue;
}

static const char *allow_reason(struct conv *c, CXCursor cur)
{
	char *s = NULL;
	const char *r = NULL;

	clang_visitChildren(cur, find_allow, &s);
	if (s) {
		const char *reason = s + 13;

		if (*reason == ':')
			reason++;
		r = mtc_model_strdup(c->m, *reason ? reason : "marked intended in the source");
	}
	free(s);
	return r;
}

static struct mtc_type *convert(struct conv *c, CXType t, int depth);

struct field_ctx {
	struct conv *c;
	struct mtc_type *rec;
	int depth;
	enum mtc_endian endian;
};

static enum CXVisitorResult visit_field(CXCursor f, CXClientData data)
{
	struct field_ctx *fc = data;
	struct conv *c = fc->c;
	long long off = clang_Cursor_getOffsetOfField(f);
	CXType ft = clang_getCursorType(f);
	char *name = mtc_cxstr(clang_getCursorSpelling(f));

	if (!name) {
		c->ret = mtc_error_set(c->err, -ENOMEM, "%s: out of memory", c->input);
		return CXVisit_Break;
	}
	if (off < 0) {
		/* incomplete or dependent: nothing to lay out */
		free(name);
		return CXVisit_Continue;
	}
	struct mtc_type *ty = convert(c, ft, fc->depth + 1);
	struct mtc_member *mb = NULL;

	if (ty) {
		bool anon = clang_Cursor_isAnonymousRecordDecl(clang_getTypeDeclaration(
			clang_getCanonicalType(ft)));
		const char *mname = anon ? NULL : name;

		if (clang_Cursor_isBitField(f)) {
			int width = clang_getFieldDeclBitWidth(f);

			if (width > 0)
				mb = mtc_record_add_member(c->m, fc->rec, *name ? mname : NULL, ty, 0,
							   mtc_bitfield_physical(fc->endian, (uint64_t)off,
										 (uint32_t)width),
							   (uint32_t)width);
			else
				mb = (struct mtc_member *)1;	/* :0 takes no bits */
		} else {
			mb = mtc_record_add_member(c->m, fc->rec, mname, ty, (uint64_t)off / 8, 0, 0);
		}
		if (!mb)
			c->ret = mtc_error_set(c->err, -ENOMEM, "%s: out of memory", c->input);
		else if (mb != (struct mtc_member *)1) {
			set_location(c, &mb->loc, f);
			mb->allow_reason = allow_reason(c, f);
		}
	}
	free(name);
	return c->ret ? CXVisit_Break : CXVisit_Continue;
}

/*
 * The tag of record @decl, malloc'd; NULL when it has none.  libclang
 * spells a record without a tag as "" or, in later versions, as
 * "(unnamed ...)"/"(anonymous ...)", which no C tag can be, and from
 * libclang 16 on a tagless record that a typedef names by the typedef's
 * name.  What tells them apart in every version: a tag's position is the
 * tag, after the keyword; a record without one is placed at its keyword,
 * where its extent starts.
 */
static char *record_tag(CXCursor decl)
{
	char *name;

	if (clang_Cursor_isAnonymous(decl) ||
	    clang_equalLocations(clang_getCursorLocation(decl),
				 clang_getRangeStart(clang_getCursorExtent(decl))) ||
	    !(name = mtc_cxstr(clang_getCursorSpelling(decl))))
		return NULL;
	if (!*name || strchr(name, '(') || strchr(name, ' ')) {
		free(name);
		return NULL;
	}
	return name;
}

static struct mtc_type *convert_record(struct conv *c, CXType canon, CXCursor decl, int depth)
{
	struct mtc_type *r = find_memo(c->memo, c->nr_memo, decl);

	if (r)
		return r;
	enum CXCursorKind k = clang_getCursorKind(decl);
	bool is_union = k == CXCursor_UnionDecl;
	long long size = clang_Type_getSizeOf(canon), align = clang_Type_getAlignOf(canon);

	if (size < 0)
		return mtc_model_opaque(c->m, NULL, 0);	/* incomplete: no layout */
	/* a record without a tag is named by its typedef, when visit_top meets it */
	char *tag = record_tag(decl);

	r = mtc_model_named_record(c->m, is_union ? MTC_KIND_UNION : MTC_KIND_STRUCT, tag, NULL,
				   (uint64_t)size, align > 0 ? (uint32_t)align : 0);
	free(tag);
	if (!r || push_memo(&c->memo, &c->nr_memo, &c->cap_memo, decl, r)) {
		c->ret = mtc_error_set(c->err, -ENOMEM, "%s: out of memory", c->input);
		return NULL;
	}
	set_location(c, &r->loc, decl);
	r->allow_reason = allow_reason(c, decl);
	/* as compilers do, say nothing of what the system's headers declare */
	if (!r->allow_reason && !c->system_headers &&
	    clang_Location_isInSystemHeader(clang_getCursorLocation(decl)))
		r->allow_reason = "declared in a system header";

	struct field_ctx fc = { c, r, depth, mtc_model_target(c->m)->endian };

	clang_Type_visitFields(canon, visit_field, &fc);
	return c->ret ? NULL : r;
}

/*
 * @t spelled as GCC and the BTF front end spell it, malloc'd: without its
 * own qualifiers (a member's 'const u32' is a u32; "const char *" keeps its
 * const, which is the pointee's), and a record or enum without a tag as
 * "enum <anonymous>", where clang writes "enum (unnamed enum at f.h:9:4)"
 * (or "(anonymous ...)", by version).
 */
static char *spell_type(CXType t)
{
	char *s = mtc_cxstr(clang_getTypeSpelling(t));
	static const char *const quals[] = { "const", "volatile", "restrict" };

	if (!s)
		return NULL;
	if (clang_isConstQualifiedType(t) || clang_isVolatileQualifiedType(t) ||
	    clang_isRestrictQualifiedType(t)) {
		/* clang writes them first, or last after a pointer's star */
		bool pointer = clang_getCanonicalType(t).kind == CXType_Pointer;

		for (bool again = true; again;) {
			again = false;
			for (size_t i = 0; i < sizeof(quals) / sizeof(quals[0]); i++) {
				size_t q = strlen(quals[i]), n = strlen(s);

				if (!pointer && !strncmp(s, quals[i], q) && s[q] == ' ') {
					memmove(s, s + q + 1, n - q);
					again = true;
				} else if (pointer && n > q && !strcmp(s + n - q, quals[i]) &&
					   (s[n - q - 1] == ' ' || s[n - q - 1] == '*')) {
					size_t end = n - q;

					while (end > 0 && s[end - 1] == ' ')
						end--;
					s[end] = '\0';
					again = true;
				}
			}
		}
	}
	for (char *p; (p = strstr(s, "(unnamed ")) || (p = strstr(s, "(anonymous "));) {
		char *e = strchr(p, ')');

		if (!e)
			break;
		memcpy(p, "<anonymous>", 11);
		memmove(p + 11, e + 1, strlen(e + 1) + 1);
	}
	return s;
}

/*
 * The element type of array @t as declared (__u32, not unsigned int), as
 * GCC and DWARF name it, looking through typedefs of the array itself
 * (typedef u16 pair_t[2]); the canonical element when there is none.
 */
static CXType element_as_declared(CXType t, CXType canon)
{
	for (int i = 0; i < 64; i++) {
		CXType el = clang_getElementType(t);

		if (el.kind != CXType_Invalid)
			return el;
		CXCursor d = clang_getTypeDeclaration(t);

		if (clang_getCursorKind(d) != CXCursor_TypedefDecl)
			break;
		t = clang_getTypedefDeclUnderlyingType(d);
	}
	return clang_getElementType(canon);
}

static struct mtc_type *convert(struct conv *c, CXType t, int depth)
{
	if (c->ret)
		return NULL;
	if ((c->ret = mtc_model_nesting(c->m, (unsigned)depth, c->root, c->err)))
		return NULL;
	CXType canon = clang_getCanonicalType(t);
	char *spelled = spell_type(t);
	long long size = clang_Type_getSizeOf(canon);
	struct mtc_type *res = NULL;
	bool is_signed = false;
	enum mtc_kind kind;

	if (!spelled)
		goto oom;
	switch (canon.kind) {
	case CXType_Record:
		free(spelled);
		return convert_record(c, canon, clang_getTypeDeclaration(canon), depth);
	case CXType_ConstantArray:
	case CXType_IncompleteArray:
	case CXType_Vector:
	case CXType_Complex: {
		CXType el = element_as_declared(t, canon);
		long long n = canon.kind == CXType_IncompleteArray ? 0
			      : canon.kind == CXType_Complex	 ? 2
			      : canon.kind == CXType_Vector	 ? clang_getNumElements(canon)
								 : clang_getArraySize(canon);
		struct mtc_type *et = convert(c, el, depth + 1);

		free(spelled);
		if (!et)
			return NULL;
		res = mtc_model_array(c->m, et, n > 0 ? (uint64_t)n : 0);
		if (!res)
			goto oom;
		return res;
	}
	case CXType_Bool:
		kind = MTC_KIND_BOOL;
		break;
	case CXType_Char_S:
	case CXType_SChar:
	case CXType_Short:
	case CXType_Int:
	case CXType_Long:
	case CXType_LongLong:
	case CXType_Int128:
	case CXType_WChar:
		kind = MTC_KIND_INT;
		is_signed = true;
		break;
	case CXType_Char_U:
	case CXType_UChar:
	case CXType_UShort:
	case CXType_UInt:
	case CXType_ULong:
	case CXType_ULongLong:
	case CXType_UInt128:
	case CXType_Char16:
	case CXType_Char32:
		kind = MTC_KIND_INT;
		break;
	case CXType_Enum:
		kind = MTC_KIND_ENUM;
		is_signed = clang_getEnumDeclIntegerType(clang_getTypeDeclaration(canon)).kind !=
			    CXType_UInt;
		break;
	case CXType_Half:
	case CXType_Float16:
	case CXType_Float:
	case CXType_Double:
	case CXType_LongDouble:
	case CXType_Float128:
		kind = MTC_KIND_FLOAT;
		break;
	case CXType_Pointer: {
		CXType pt = clang_getCanonicalType(clang_getPointeeType(canon));

		kind = pt.kind == CXType_FunctionProto || pt.kind == CXType_FunctionNoProto
			       ? MTC_KIND_FUNC_POINTER
			       : MTC_KIND_POINTER;
		break;
	}
	default:
		res = mtc_model_opaque(c->m, spelled, size > 0 ? (uint64_t)size : 0);
		free(spelled);
		if (!res)
			goto oom;
		return res;
	}
	res = mtc_model_scalar(c->m, kind, spelled, size > 0 ? (uint64_t)size : 0, is_signed);
	free(spelled);
	if (!res)
		goto oom;
	return res;
oom:
	c->ret = mtc_error_set(c->err, -ENOMEM, "%s: out of memory", c->input);
	return NULL;
}

static enum CXChildVisitResult visit_top(CXCursor cur, CXCursor parent, CXClientData data)
{
	struct conv *c = data;
	enum CXCursorKind k = clang_getCursorKind(cur);

	(void)parent;
	if (c->ret)
		return CXChildVisit_Break;
	if (k == CXCursor_TypedefDecl) {
		CXType ut = clang_getCanonicalType(clang_getTypedefDeclUnderlyingType(cur));
		char *name;

		if (ut.kind != CXType_Record || !(name = mtc_cxstr(clang_getCursorSpelling(cur))))
			return CXChildVisit_Continue;
		/* typedef struct { ... } foo_t: the typedef names the record */
		c->root = name;
		struct mtc_type *r = convert(c, ut, 0);

		if (r && mtc_record_name_by_typedef(c->m, r, name) < 0)
			c->ret = mtc_error_set(c->err, -ENOMEM, "%s: out of memory", c->input);
		c->root = NULL;
		free(name);
		return c->ret ? CXChildVisit_Break : CXChildVisit_Continue;
	}
	if ((k == CXCursor_StructDecl || k == CXCursor_UnionDecl) &&
	    clang_isCursorDefinition(cur)) {
		char *tag = record_tag(cur);

		/* a record without a tag is reached through its typedef or its fields */
		if (tag) {
			struct mtc_spelling sp;

			mtc_spell_init(&sp);
			mtc_spell_tagged(&sp, k == CXCursor_UnionDecl ? "union" : "struct", tag);
			c->root = sp.buf;
			convert(c, clang_getCursorType(cur), 0);
			c->root = NULL;
			free(tag);
		}
		/* records declared inside are reached through their fields */
		return CXChildVisit_Continue;
	}
	/* records declared inside functions */
	if (k == CXCursor_FunctionDecl || k == CXCursor_CompoundStmt || k == CXCursor_DeclStmt)
		return CXChildVisit_Recurse;
	return CXChildVisit_Continue;
}

/*
 * What the compiler says of the target: a probe whose array sizes carry the
 * byte order, pointer width and char signedness.
 */
static const char probe_source[] =
	"char mtc_probe_big[__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ ? 2 : 1];\n"
	"char mtc_probe_ptr[sizeof(void *)];\n"
	"char mtc_probe_char[(char)-1 < 0 ? 2 : 1];\n";

static enum CXChildVisitResult visit_probe(CXCursor cur, CXCursor parent, CXClientData data)
{
	struct mtc_target *t = data;
	char *name = mtc_cxstr(clang_getCursorSpelling(cur));
	long long n = clang_getArraySize(clang_getCursorType(cur));

	(void)parent;
	if (name && !strcmp(name, "mtc_probe_big"))
		t->endian = n == 2 ? MTC_ENDIAN_BIG : MTC_ENDIAN_LITTLE;
	else if (name && !strcmp(name, "mtc_probe_ptr"))
		t->pointer_bits = (unsigned)n * 8;
	else if (name && !strcmp(name, "mtc_probe_char"))
		t->char_signed = n == 2;
	free(name);
	return CXChildVisit_Continue;
}

static int probe_target(CXIndex idx, const char *triple, const struct mtc_frontend_conf *conf,
			struct mtc_target *t, struct mtc_error *err)
{
	/* with the flags that change the target: -m32, -mbig-endian, -funsigned-char */
	size_t nargs = conf ? conf->nr_args : 0;
	const char **args = calloc(nargs + 3, sizeof(*args));
	struct CXUnsavedFile uf = { "mtcheck-probe.c", probe_source, sizeof(probe_source) - 1 };
	CXTranslationUnit tu = NULL;
	int n = 0;

	memset(t, 0, sizeof(*t));
	snprintf(t->triple, sizeof(t->triple), "%s", triple);
	if (!args)
		return mtc_error_set(err, -ENOMEM, "target %s: out of memory", triple);
	args[n++] = "-target";
	args[n++] = triple;
	args[n++] = "-ffreestanding";
	for (size_t i = 0; i < nargs; i++)
		if (mtc_compile_flag_sets_target(conf->args[i]))
			args[n++] = conf->args[i];
	enum CXErrorCode ec = clang_parseTranslationUnit2(idx, "mtcheck-probe.c", args, n, &uf, 1,
							  CXTranslationUnit_None, &tu);

	free(args);
	if (ec || !tu)
		return mtc_error_set(err, -EINVAL, "target %s: clang cannot compile for it", triple);
	for (unsigned i = 0; i < clang_getNumDiagnostics(tu); i++) {
		CXDiagnostic d = clang_getDiagnostic(tu, i);
		enum CXDiagnosticSeverity sev = clang_getDiagnosticSeverity(d);
		char *msg = sev >= CXDiagnostic_Error ? mtc_cxstr(clang_getDiagnosticSpelling(d)) : NULL;

		clang_disposeDiagnostic(d);
		if (msg) {
			mtc_error_set(err, -EINVAL, "target %s: %s", triple, msg);
			free(msg);
			clang_disposeTranslationUnit(tu);
			return -EINVAL;
		}
	}
	clang_visitChildren(clang_getTranslationUnitCursor(tu), visit_probe, t);
	clang_disposeTranslationUnit(tu);
	if (!t->pointer_bits)
		return mtc_error_set(err, -EINVAL, "target %s: clang does not know it", triple);
	return 0;
}

/* Debian's name of the architecture in libc6-dev-ARCH-cross. */
static const char *debian_cross_arch(const char *triple)
{
	static const struct { const char *prefix, *arch; } map[] = {
		{ "x86_64", "amd64" }, { "i686", "i386" }, { "i386", "i386" },
		{ "s390x", "s390x" }, { "powerpc64le", "ppc64el" }, { "powerpc64", "ppc64" },
		{ "powerpc", "powerpc" }, { "sparc64", "sparc64" }, { "mips64el", "mips64el" },
		{ "mips64", "mips64" }, { "mipsel", "mipsel" }, { "mips", "mips" },
		{ "aarch64", "arm64" }, { "arm", "armhf" }, { "riscv64", "riscv64" },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strncmp(triple, map[i].prefix, strlen(map[i].prefix)))
			return map[i].arch;
	return "ARCH";
}

/* Unknown to clang: GCC-only flags from real compile databases. */
static bool unknown_argument(const char *msg, char *out, size_t outlen)
{
	static const char *const forms[] = {
		"unknown argument: '", "unknown argument '", "unsupported option '",
		"unsupported argument '",
	};
	const char *p = NULL;

	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]) && !p; i++)
		if ((p = strstr(msg, forms[i])))
			p += strlen(forms[i]);
	if (!p)
		return false;
	const char *e = strchr(p, '\'');

	if (!e || (size_t)(e - p) >= outlen)
		return false;
	memcpy(out, p, (size_t)(e - p));
	out[e - p] = '\0';
	return true;
}

/* -march=CPU, -mcpu=CPU, -mtune=CPU: GCC knows CPUs that clang does not */
static bool names_cpu(const char *arg)
{
	return !strncmp(arg, "-march=", 7) || !strncmp(arg, "-mcpu=", 6) ||
	       !strncmp(arg, "-mtune=", 7);
}

/*
 * A CPU clang does not know fails the parse before any diagnostic can be
 * read; the CPU flags are dropped, noted, and the parse tried again.
 * True when there was one to drop.
 */
static bool drop_cpu_flags(const struct mtc_frontend_conf *conf, bool *dropped,
			   struct strbuf *list)
{
	bool any = false;

	for (size_t k = 0; conf && k < conf->nr_args; k++)
		if (!dropped[k] && names_cpu(conf->args[k])) {
			dropped[k] = any = true;
			sb_addf(list, "%s%s", list->len ? " " : "", conf->args[k]);
		}
	return any;
}

static int parse_and_convert(const char *path, const struct mtc_frontend_conf *conf,
			     struct mtc_model **out, struct mtc_error *err)
{
	const char *triple = conf && conf->triple ? conf->triple : MTC_HOST_TRIPLE;
	CXIndex idx = clang_createIndex(0, 0);
	struct mtc_target target;
	int ret;

	*out = NULL;
	if (!idx)
		return mtc_error_set(err, -ENOMEM, "%s: cannot start libclang", path);
	if ((ret = probe_target(idx, triple, conf, &target, err))) {
		clang_disposeIndex(idx);
		return ret;
	}

	/* the compile flags, the target, and a macro for in-source markers */
	size_t nargs = conf ? conf->nr_args : 0;
	const char **args = calloc(nargs + 8, sizeof(*args));
	bool *dropped = calloc(nargs + 1, sizeof(*dropped));
	CXTranslationUnit tu = NULL;
	struct strbuf dropped_list;

	sb_init(&dropped_list);
	if (!args || !dropped) {
		ret = mtc_error_set(err, -ENOMEM, "%s: out of memory", path);
		goto out;
	}
	for (int attempt = 0; attempt < 16; attempt++) {
		int n = 0;

		args[n++] = "-target";
		args[n++] = triple;
		args[n++] = "-D__MTCHECK__=1";
		for (size_t i = 0; i < nargs; i++)
			if (!dropped[i])
				args[n++] = conf->args[i];
		/* function bodies are skipped, so warnings about them are noise:
		 * a build's -Werror must not turn them into parse failures */
		args[n++] = "-Wno-error";
		enum CXErrorCode ec = clang_parseTranslationUnit2(
			idx, path, args, n, NULL, 0,
			CXTranslationUnit_SkipFunctionBodies | CXTranslationUnit_KeepGoing, &tu);

		if ((ec || !tu) && drop_cpu_flags(conf, dropped, &dropped_list)) {
			if (tu)
				clang_disposeTranslationUnit(tu);
			tu = NULL;
			continue;
		}
		if (ec || !tu) {
			ret = mtc_error_set(err, -EINVAL, "%s: clang could not parse it (error %d)",
					    path, (int)ec);
			goto out;
		}
		/* drop flags clang does not know, once each, and parse again */
		bool again = false;

		for (unsigned i = 0; i < clang_getNumDiagnostics(tu); i++) {
			CXDiagnostic d = clang_getDiagnostic(tu, i);
			char *msg = mtc_cxstr(clang_getDiagnosticSpelling(d));
			char flag[512];

			clang_disposeDiagnostic(d);
			if (msg && unknown_argument(msg, flag, sizeof(flag))) {
				for (size_t k = 0; k < nargs; k++)
					if (!dropped[k] && !strcmp(conf->args[k], flag)) {
						dropped[k] = again = true;
						sb_addf(&dropped_list, "%s%s", dropped_list.len ? " " : "",
							conf->args[k]);
						break;
					}
			}
			free(msg);
		}
		if (!again)
			break;
		clang_disposeTranslationUnit(tu);
		tu = NULL;
	}
	if (dropped_list.len && conf && conf->note)
		conf->note(conf->note_ctx, path, sb_str(&dropped_list));

	/* clang's own errors, then the file is skipped */
	unsigned errors = 0;
	bool missing_header = false;
	struct strbuf diags;

	sb_init(&diags);
	for (unsigned i = 0; i < clang_getNumDiagnostics(tu); i++) {
		CXDiagnostic d = clang_getDiagnostic(tu, i);

		if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error) {
			char *text = mtc_cxstr(clang_formatDiagnostic(
				d, CXDiagnostic_DisplaySourceLocation | CXDiagnostic_DisplayColumn));

			if (text && strstr(text, "file not found"))
				missing_header = true;
			/* the first few say what is wrong; the rest follow from them */
			if (errors < 4)
				sb_addf(&diags, "%s%s", diags.len ? "\n" : "", text ? text : "");
			free(text);
			errors++;
		}
		clang_disposeDiagnostic(d);
	}
	if (errors > 4)
		sb_addf(&diags, "\n(and %u more errors)", errors - 4);
	if (errors && missing_header && strcmp(triple, MTC_HOST_TRIPLE)) {
		char dir[PATH_MAX];
		struct stat st;

		snprintf(dir, sizeof(dir), "/usr/%s/include", triple);
		if (stat(dir, &st)) {
			ret = mtc_error_set(err, -ENOENT,
					    "%s: the C library headers for %s are not installed (%s is missing; "
					    "on Debian: apt-get install libc6-dev-%s-cross)",
					    path, triple, dir, debian_cross_arch(triple));
			sb_free(&diags);
			goto out;
		}
	}
	if (errors) {
		ret = mtc_error_set(err, -EINVAL, "%s: clang cannot parse it for %s (%u error%s):\n%s",
				    path, triple, errors, errors == 1 ? "" : "s", sb_str(&diags));
		sb_free(&diags);
		goto out;
	}
	sb_free(&diags);

	struct mtc_model *m = mtc_model_new(&target);
	struct conv c = { .m = m, .input = path, .err = err,
			  .system_headers = conf && conf->system_headers };

	if (!m) {
		ret = mtc_error_set(err, -ENOMEM, "%s: out of memory", path);
		goto out;
	}
	mtc_model_set_input(m, path);
	mtc_model_set_frontend(m, "clang");
	clang_visitChildren(clang_getTranslationUnitCursor(tu), visit_top, &c);
	free(c.memo);
	ret = c.ret ? c.ret : mtc_model_check(m, err);
	if (ret)
		mtc_model_free(m);
	else
		*out = m;
out:
	sb_free(&dropped_list);
	if (tu)
		clang_disposeTranslationUnit(tu);
	free(args);
	free(dropped);
	clang_disposeIndex(idx);
	return ret;
}

/*
 * Bracket nesting in the file itself, counted outside comments and
 * literals.  clang's parser stops at 256 levels (-fbracket-depth), but its
 * error recovery skips nested brackets recursively with no limit, so a file
 * of a million '[' exhausts any stack.  Such a file is refused before clang
 * sees it; nesting that macros build is left to the large parse stack.
 */
static int check_nesting(const char *path, struct mtc_error *err)
{
	enum { CODE, LINE_COMMENT, BLOCK_COMMENT, STRING, CHAR } st = CODE;
	int fd = mtc_input_open(path, NULL, err);
	unsigned char buf[65536];
	unsigned long line = 1, col = 0, depth = 0;
	int prev = 0, ret = 0;
	ssize_t n;

	if (fd < 0)
		return fd;
	while (!ret && (n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n && !ret; i++) {
			int ch = buf[i];

			col++;
			if (ch == '\n') {
				line++;
				col = 0;
				if (st == LINE_COMMENT && prev != '\\')
					st = CODE;
			}
			switch (st) {
			case CODE:
				if (prev == '/' && ch == '/')
					st = LINE_COMMENT;
				else if (prev == '/' && ch == '*')
					st = BLOCK_COMMENT, ch = 0;
				else if (ch == '"')
					st = STRING;
				else if (ch == '\'')
					st = CHAR;
				else if (ch == '(' || ch == '[' || ch == '{') {
					if (++depth > MTC_CLANG_MAX_NESTING)
						ret = mtc_error_set(err, -E2BIG,
								    "%s:%lu:%lu: brackets nest more than %d deep; "
								    "mtcheck does not hand such a file to clang",
								    path, line, col, MTC_CLANG_MAX_NESTING);
				} else if ((ch == ')' || ch == ']' || ch == '}') && depth)
					depth--;
				break;
			case BLOCK_COMMENT:
				if (prev == '*' && ch == '/')
					st = CODE, ch = 0;
				break;
			case STRING:
			case CHAR:
				if (prev == '\\')
					ch = 0;	/* escaped: neither a quote nor a backslash */
				else if (ch == (st == STRING ? '"' : '\'') || ch == '\n')
					st = CODE;
				break;
			case LINE_COMMENT:
				break;
			}
			prev = ch;
		}
	}
	close(fd);
	return ret;
}

struct parse_job {
	const char *path;
	const struct mtc_frontend_conf *conf;
	struct mtc_model **out;
	struct mtc_error *err;
	int ret;
};

static void *parse_thread(void *arg)
{
	struct parse_job *j = arg;

	j->ret = parse_and_convert(j->path, j->conf, j->out, j->err);
	return NULL;
}

int mtc_clang_load(const char *path, const void *probed, const struct mtc_frontend_conf *conf,
		   struct mtc_model **out, struct mtc_error *err)
{
	(void)probed;
	struct parse_job j = { .path = path, .conf = conf, .out = out, .err = err };
	pthread_attr_t attr;
	pthread_t th;
	int ret;

	*out = NULL;
	/* clang would read a FIFO or /dev/zero without end */
	if ((ret = check_nesting(path, err)) || (ret = mtc_clang_open(err)))
		return ret;
	/*
	 * libclang parses on its own thread with an 8 MiB stack, which deep
	 * nesting built by macros still exhausts; clang_api.c tells it to
	 * parse on the caller's thread instead, which is this one, with a
	 * stack reserved large enough (pages are only used as they are touched).
	 */
	if ((ret = pthread_attr_init(&attr)))
		return mtc_error_set(err, -ret, "%s: cannot start the parse: %s", path,
				     strerror(ret));
	ret = pthread_attr_setstacksize(&attr, MTC_CLANG_STACK_SIZE);
	if (!ret)
		ret = pthread_create(&th, &attr, parse_thread, &j);
	pthread_attr_destroy(&attr);
	if (ret)
		return mtc_error_set(err, -ret, "%s: cannot start the parse: %s", path,
				     strerror(ret));
	pthread_join(th, NULL);
	return j.ret;
}

bool mtc_have_clang(void)
{
	return true;
}
