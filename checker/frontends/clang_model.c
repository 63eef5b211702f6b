// SPDX-License-Identifier: MIT
/*
 * A translation unit clang has parsed, into the layout model (the source
 * front end's second half; frontend_clang.c sets up the target and the
 * parse).  Every struct and union declared at file scope, or named by a
 * typedef, becomes a record; types are spelled as GCC and BTF spell them,
 * so that the front ends agree on names.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clang_api.h"
#include "frontend_internal.h"
#include "internal.h"
#include "strbuf.h"

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

int mtc_clang_fill_model(CXTranslationUnit tu, struct mtc_model *m, const char *input,
			 bool system_headers, struct mtc_error *err)
{
	struct conv c = { .m = m, .input = input, .err = err, .system_headers = system_headers };

	clang_visitChildren(clang_getTranslationUnitCursor(tu), visit_top, &c);
	free(c.memo);
	return c.ret;
}
