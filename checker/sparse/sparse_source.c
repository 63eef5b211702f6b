// SPDX-License-Identifier: MIT
/*
 * Is a record anonymous?  sparse gives `typedef struct { ... } foo_t` the
 * name foo_t, exactly like `struct foo_t`.  The anonymous one is placed at
 * its '{' token, the tagged one at its tag, and a typedef in the file
 * itself is printed before its anonymous record (a tag is bound before
 * the declarator); the source files are read to tell them apart.
 */
#include <stdio.h>

#include "internal.h"
#include "sparse_xml_internal.h"

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
struct source *mts_source_for(struct conv *c, const char *name, bool want_text)
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
				mts_oom(c);
				return NULL;
			}
			c->sources = ns;
			c->cap_sources = nc;
		}
		src = &c->sources[c->nr_sources];
		memset(src, 0, sizeof(*src));
		if (!(src->name = mtc_model_strdup(c->m, name))) {
			mts_oom(c);
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

void mts_find_typedef_names(struct conv *c)
{
	/* a typedef in the file itself, printed just before its anonymous record */
	for (size_t i = 0; i < c->nr_syms; i++) {
		struct sym *t = &c->syms[i], *r;

		if (!t->node || !t->top || !kind_is(t, "node") || !t->ident || !(r = mts_base_of(c, t)))
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
		const struct source *src = mts_source_for(c, file, true);

		if (src && char_at(src, line, col, c->conf->tabstop) == '{')
			r->typedef_named = true;
	}
}

void mts_free_sources(struct conv *c)
{
	for (size_t i = 0; i < c->nr_sources; i++) {
		free(c->sources[i].text);
		free(c->sources[i].line_start);
	}
	free(c->sources);
}
