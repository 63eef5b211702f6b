// SPDX-License-Identifier: MIT
/*
 * Byte-order conditionals in source files: the line ranges of
 * #if/#ifdef/#ifndef blocks that name a byte-order macro, which the
 * confidence stage uses to call an overlay adapted (confidence.c).  Each
 * file is read and scanned once per analysis.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis_internal.h"
#include "internal.h"

/* A file's byte-order conditionals: lines [start, end) and the macro named. */
struct source_file {
	char *path;
	bool readable;
	struct source_region *v;
	size_t n;
};

struct source_cache {
	struct source_file *v;
	size_t n, cap;
};

#define SOURCE_MAX_BYTES (8u << 20)	/* a header larger than this is not read */
#define SOURCE_MAX_FILES 4096		/* files remembered per analysis */
#define COND_DEPTH 64

static bool ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* The first identifier in @s..@e naming a byte order (ENDIAN, BYTE_ORDER). */
static bool byte_order_macro(const char *s, const char *e, char *out, size_t outsz)
{
	while (s < e) {
		if (!ident_char(*s) || (*s >= '0' && *s <= '9')) {
			s++;
			continue;
		}
		const char *b = s;

		while (s < e && ident_char(*s))
			s++;
		size_t n = (size_t)(s - b);
		char id[64];

		if (n >= sizeof(id))
			continue;
		memcpy(id, b, n);
		id[n] = '\0';
		if (strstr(id, "ENDIAN") || strstr(id, "BYTE_ORDER")) {
			snprintf(out, outsz, "%s", id);
			return true;
		}
	}
	return false;
}

static int push_region(struct source_file *sf, size_t *cap, unsigned start, unsigned end,
		       unsigned if_line, const char *macro)
{
	if (sf->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		struct source_region *v = realloc(sf->v, nc * sizeof(*v));

		if (!v)
			return -ENOMEM;
		sf->v = v;
		*cap = nc;
	}
	struct source_region *r = &sf->v[sf->n++];

	r->start = start;
	r->end = end;
	r->if_line = if_line;
	snprintf(r->macro, sizeof(r->macro), "%s", macro);
	return 0;
}

/*
 * Scan @buf for #if/#ifdef/#ifndef ... #endif blocks whose #if or #elif
 * names a byte-order macro; every line of such a block (all branches) is
 * in a region.  Comments are not parsed: a directive inside a comment is
 * rare in headers and only widens a region.
 */
static int scan_source(struct source_file *sf, const char *buf, size_t len)
{
	struct {
		unsigned if_line;
		bool named;
		char macro[64];
	} stack[COND_DEPTH];
	size_t depth = 0, cap = 0, overflow = 0;
	unsigned line = 1;
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *q = p;
		unsigned this_line = line;

		if (!eol)
			eol = end;
		/* a directive continued with backslashes spans several lines */
		while (eol < end && eol > p && eol[-1] == '\\') {
			const char *n = memchr(eol + 1, '\n', (size_t)(end - eol - 1));

			line++;
			eol = n ? n : end;
		}
		while (q < eol && (*q == ' ' || *q == '\t'))
			q++;
		if (q < eol && *q == '#') {
			q++;
			while (q < eol && (*q == ' ' || *q == '\t'))
				q++;
			const char *d = q;

			while (q < eol && ident_char(*q))
				q++;
			size_t dn = (size_t)(q - d);

			if ((dn == 2 && !strncmp(d, "if", 2)) || (dn == 5 && !strncmp(d, "ifdef", 5)) ||
			    (dn == 6 && !strncmp(d, "ifndef", 6))) {
				if (depth < COND_DEPTH) {
					stack[depth].if_line = this_line;
					stack[depth].named = byte_order_macro(q, eol, stack[depth].macro,
									      sizeof(stack[depth].macro));
					depth++;
				} else {
					overflow++;
				}
			} else if (dn == 4 && !strncmp(d, "elif", 4) && depth && !overflow) {
				if (!stack[depth - 1].named)
					stack[depth - 1].named =
						byte_order_macro(q, eol, stack[depth - 1].macro,
								 sizeof(stack[depth - 1].macro));
			} else if (dn == 5 && !strncmp(d, "endif", 5)) {
				if (overflow) {
					overflow--;
				} else if (depth) {
					depth--;
					if (stack[depth].named &&
					    push_region(sf, &cap, stack[depth].if_line, this_line,
							stack[depth].if_line, stack[depth].macro))
						return -ENOMEM;
				}
			}
		}
		line++;
		p = eol < end ? eol + 1 : end;
	}
	return 0;
}

static struct source_file *source_get(struct source_cache **cache, const char *path)
{
	struct source_cache *c = *cache;

	if (!c && !(c = *cache = calloc(1, sizeof(*c))))
		return NULL;
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].path, path))
			return &c->v[i];
	if (c->n == SOURCE_MAX_FILES)
		return NULL;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		struct source_file *v = realloc(c->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		c->v = v;
		c->cap = cap;
	}
	struct source_file *sf = &c->v[c->n];
	struct mtc_error err = { 0 };
	char *buf = NULL;
	size_t len = 0;

	memset(sf, 0, sizeof(*sf));
	if (!(sf->path = strdup(path)))
		return NULL;
	c->n++;
	/* unreadable, special or huge files are remembered as having no conditionals */
	if (!mtc_input_read(path, SOURCE_MAX_BYTES, &buf, &len, &err)) {
		sf->readable = true;
		if (scan_source(sf, buf, len)) {
			free(sf->v);
			sf->v = NULL;
			sf->n = 0;
		}
	}
	free(buf);
	return sf;
}

void an_source_cache_free(struct source_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].path);
		free(c->v[i].v);
	}
	free(c->v);
	free(c);
}

const struct source_region *an_source_regions(struct source_cache **cache, const char *path, size_t *n)
{
	const struct source_file *sf = source_get(cache, path);

	*n = sf ? sf->n : 0;
	return sf ? sf->v : NULL;
}
