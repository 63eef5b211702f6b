/* SPDX-License-Identifier: MIT */
/* Helpers shared by the library's own files; not installed. */
#ifndef MTCHECK_INTERNAL_H
#define MTCHECK_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "mtcheck/config.h"
#include "mtcheck/finding.h"
#include "mtcheck/rules.h"

/* "foo" matches "struct foo" and "union foo"; full names match themselves. */
bool mtc_name_matches(const char *full, const char *want);

struct mtc_model;
struct mtc_type;
/* Add named record @record to the analysis roots (model.c); -ENOMEM. */
int mtc_model_add_root(struct mtc_model *m, struct mtc_type *record);


/* The overlap facts a finding holds, as the rules see them. */
void mtc_finding_facts(const struct mtc_finding *f, struct mtc_overlap_facts *facts);

/*
 * The one classification: the rule that @facts match and its severity
 * under @config (the rule's default when NULL).  NULL when no rule
 * matches; *sev is MTC_SEV_NONE then, and when the rule is switched off.
 */
const struct mtc_rule *mtc_classify(const struct mtc_ruleset *rules,
				    const struct mtc_config *config,
				    const struct mtc_overlap_facts *facts, enum mtc_severity *sev);

/*
 * The longest prefix of the leaves' paths that ends at a whole component:
 * "meta" for meta.end and meta.gap.  malloc'd; NULL when there is none,
 * and when memory ran out, which sets *oom.
 */
char *mtc_common_prefix(const struct mtc_leaf *leaves, size_t n, bool *oom);

struct mtc_findings;
/* The finding at @i, to change it in place (NULL past the end). */
struct mtc_finding *mtc_findings_get(struct mtc_findings *fs, size_t i);
/*
 * Take @f without looking for a repeat (a baseline's absent findings,
 * which may share an identity with one found now); 0 or -ENOMEM (@f freed).
 */
int mtc_findings_append(struct mtc_findings *fs, struct mtc_finding *f);
/*
 * Keep the findings @keep returns true for, free the others; 0 or -ENOMEM.
 * @keep sees each finding once, in order, with its index and @arg.
 */
int mtc_findings_retain(struct mtc_findings *fs,
			bool (*keep)(const struct mtc_finding *f, size_t i, void *arg), void *arg);

/*
 * Findings read from reports of single targets (mtcheck --merge of an
 * x86_64 and an s390x report): drop every overlay that targets of both
 * byte orders report with each narrow member on the same bits of the wide
 * value as its own target lays it out, because the source adapts it
 * (targets.c, as mtc_multi_combine() does for sources).  Returns how many
 * were dropped, or -ENOMEM.
 */
int mtc_findings_drop_adapted(struct mtc_findings *fs);

struct strbuf;
/*
 * "file:line:col: " (or "file:line: ") where a diagnostic goes, as GCC and
 * sparse begin theirs; "@fallback: " (the input's name) when @loc has no
 * position.  Escaped like every name from an input.
 */
void mtc_location_prefix(struct strbuf *sb, const struct mtc_location *loc, const char *fallback);

/* Letter of narrow leaf @i in the value pictures: AA, BB, ... */
/* Tables of names indexed by an enum's values: one lookup for them all. */
#define MTC_NAMES_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* @names[@i] when @first <= @i < @n and it is set, else @fallback. */
static inline const char *mtc_names_get(const char *const *names, size_t first, size_t n, size_t i,
					const char *fallback)
{
	return i >= first && i < n && names[i] ? names[i] : fallback;
}

/* The index of @s among @names[@first..@n), or -1. */
int mtc_names_find(const char *const *names, size_t first, size_t n, const char *s);

/* The JSON key of an evidence's second name (docs/json.md), for the writer and the reader. */
static inline const char *mtc_evidence_other_key(enum mtc_evidence_kind k)
{
	switch (k) {
	case MTC_EV_MIRRORED:
	case MTC_EV_MIRRORED_TYPES:
	case MTC_EV_TWIN:
		return "mirrors";
	case MTC_EV_BYTE_ORDER:
		return "macro";
	default:
		return "type";
	}
}

static inline char mtc_picture_label(size_t i)
{
	return i < 26 ? (char)('A' + i) : '#';
}

#include <stdio.h>
#include <sys/types.h>

struct mtc_error;

/*
 * mtc_report_read() from the @len bytes at @data (a report kept in an
 * object's .mtcheck section); @name names them in messages.
 */
struct mtc_read_conf;
int mtc_report_read_mem(const void *data, size_t len, const char *name, struct mtc_findings *out,
			struct mtc_read_conf *conf, struct mtc_error *err);

/*
 * Open @path to read it as an input (input.c): without blocking on a FIFO,
 * and only when it is a regular file.  Returns the descriptor (close-on-exec,
 * blocking) with its size in *size when @size is not NULL, or a negative
 * errno with one message in @err: "PATH: No such file or directory",
 * "PATH: not a regular file (a FIFO)", "PATH: not a regular file" (a
 * directory).
 */
int mtc_input_open(const char *path, off_t *size, struct mtc_error *err);
/* The same check alone, for a path that another program will read (clang, c2xml). */
int mtc_input_check(const char *path, struct mtc_error *err);
/* mtc_input_open() as a stdio stream; NULL with @err set on failure. */
FILE *mtc_input_fopen(const char *path, struct mtc_error *err);
/*
 * The whole of @path, NUL-terminated, in a malloc'd *buf of *len bytes;
 * -EFBIG with a message when it holds more than @max bytes.
 */
int mtc_input_read(const char *path, size_t max, char **buf, size_t *len,
		   struct mtc_error *err);

#endif
