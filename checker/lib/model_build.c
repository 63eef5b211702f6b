// SPDX-License-Identifier: MIT
/*
 * What every front end needs to build a model the same way: records named
 * by tag or typedef, the nesting bound, and type spellings.  Each front end
 * reads its own input; how the result is named and spelled lives here
 * once, so that the front ends cannot drift apart.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "mtcheck/model.h"

static const char *record_keyword(enum mtc_kind kind)
{
	return kind == MTC_KIND_UNION ? "union" : "struct";
}

struct mtc_type *mtc_model_named_record(struct mtc_model *m, enum mtc_kind kind,
					const char *tag, const char *typedef_name,
					uint64_t size, uint32_t align)
{
	if (tag && *tag) {
		struct mtc_spelling s;

		mtc_spell_init(&s);
		mtc_spell_tagged(&s, record_keyword(kind), tag);
		return mtc_model_record(m, kind, s.buf, size, align);
	}
	return mtc_model_record(m, kind, typedef_name && *typedef_name ? typedef_name : NULL,
				size, align);
}

int mtc_record_name_by_typedef(struct mtc_model *m, struct mtc_type *r,
			       const char *typedef_name)
{
	if (!r || !mtc_kind_is_record(r->kind) || r->name || !typedef_name || !*typedef_name)
		return 0;
	const char *name = mtc_model_strdup(m, typedef_name);

	if (!name || mtc_model_add_root(m, r))
		return -ENOMEM;
	r->name = name;
	return 1;
}

int mtc_model_nesting(const struct mtc_model *m, unsigned depth, const char *record,
		      struct mtc_error *err)
{
	if (depth <= MTC_MAX_NESTING)
		return 0;
	if (record)
		return mtc_error_set(err, -E2BIG,
				     "%s: '%s' nests records and arrays more than %d deep",
				     mtc_model_input(m), record, MTC_MAX_NESTING);
	return mtc_error_set(err, -E2BIG, "%s: a record nests records and arrays more than %d deep",
			     mtc_model_input(m), MTC_MAX_NESTING);
}

void mtc_spell_init(struct mtc_spelling *s)
{
	s->buf[0] = '\0';
	s->len = 0;
	s->cut = false;
}

static void cut(struct mtc_spelling *s)
{
	if (s->len > MTC_SPELL_MAX_LEN - 3)
		s->len = MTC_SPELL_MAX_LEN - 3;
	memcpy(s->buf + s->len, "...", 4);
	s->len += 3;
	s->cut = true;
}

void mtc_spell_add(struct mtc_spelling *s, const char *text)
{
	size_t n = strlen(text);

	if (s->cut)
		return;
	if (s->len + n > MTC_SPELL_MAX_LEN) {
		/* as much of @text as leaves room for the "..." */
		if (s->len < MTC_SPELL_MAX_LEN - 3) {
			memcpy(s->buf + s->len, text, MTC_SPELL_MAX_LEN - 3 - s->len);
			s->len = MTC_SPELL_MAX_LEN - 3;
		}
		cut(s);
		return;
	}
	memcpy(s->buf + s->len, text, n + 1);
	s->len += n;
}

bool mtc_spell_enter(struct mtc_spelling *s, int depth)
{
	if (s->cut)
		return false;
	if (depth > MTC_SPELL_MAX_DEPTH) {
		mtc_spell_add(s, "...");
		return false;
	}
	return true;
}

void mtc_spell_tagged(struct mtc_spelling *s, const char *keyword, const char *tag)
{
	mtc_spell_add(s, keyword);
	mtc_spell_add(s, " ");
	mtc_spell_add(s, tag && *tag ? tag : "<anonymous>");
}

void mtc_spell_pointer(struct mtc_spelling *s)
{
	if (s->cut)
		return;
	/* a pointer to an array: the star goes before the bounds, "int (*)[4]" */
	if (s->len && s->buf[s->len - 1] == ']') {
		size_t at = s->len;

		while (at && s->buf[at - 1] == ']') {
			while (at && s->buf[at - 1] != '[')
				at--;
			if (at)
				at--;
		}
		if (s->len + 4 > MTC_SPELL_MAX_LEN) {
			cut(s);
			return;
		}
		memmove(s->buf + at + 4, s->buf + at, s->len - at + 1);
		memcpy(s->buf + at, " (*)", 4);
		s->len += 4;
		return;
	}
	mtc_spell_add(s, s->len && s->buf[s->len - 1] == '*' ? "*" : " *");
}

void mtc_spell_array(struct mtc_spelling *s, uint64_t count, bool known)
{
	char dim[32];

	if (known)
		snprintf(dim, sizeof(dim), "[%llu]", (unsigned long long)count);
	else
		snprintf(dim, sizeof(dim), "[]");
	mtc_spell_add(s, dim);
}

void mtc_spell_func_open(struct mtc_spelling *s)
{
	mtc_spell_add(s, " (*)(");
}

void mtc_spell_func_param(struct mtc_spelling *s, size_t i)
{
	if (i)
		mtc_spell_add(s, ", ");
}

void mtc_spell_func_close(struct mtc_spelling *s, size_t nr_params, bool varargs)
{
	if (varargs)
		mtc_spell_add(s, nr_params ? ", ...)" : "...)");
	else
		mtc_spell_add(s, nr_params ? ")" : "void)");
}
