/* SPDX-License-Identifier: MIT */
/* A growable string: the one helper every part of the library builds text with. */
#ifndef MTCHECK_STRBUF_H
#define MTCHECK_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char *buf;
	size_t len, cap;
	bool oom;	/* an append failed; the text is incomplete */
};

void sb_init(struct strbuf *sb);
void sb_free(struct strbuf *sb);
void sb_add(struct strbuf *sb, const char *s);
void sb_addn(struct strbuf *sb, const char *s, size_t n);
void sb_addc(struct strbuf *sb, char c);
void sb_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * Append @s for a terminal or a one-line report: control characters, DEL
 * and bytes that are not valid UTF-8 become \xNN, and a backslash
 * becomes \\, so that names read from an input cannot move the cursor,
 * start a new line or hide text.
 */
void sb_add_escaped(struct strbuf *sb, const char *s);
void sb_truncate(struct strbuf *sb, size_t len);
/* The text ("" when empty); valid until the next append. */
const char *sb_str(const struct strbuf *sb);
/* Hand the text to the caller (malloc'd), leaving @sb empty; NULL on OOM. */
char *sb_detach(struct strbuf *sb);

#endif
