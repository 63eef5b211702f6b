/* SPDX-License-Identifier: MIT */
/*
 * The shipped rules, built into the plugin from the same files that are
 * installed to share/mtcheck/rules (plugin/cmake/embed-rules.cmake writes
 * the table).  The plugin loads them when no rules directory is installed
 * beside it: a compile on another host (icecream) ships the plugin alone.
 */
#ifndef MTCHECK_BUILTIN_RULES_H
#define MTCHECK_BUILTIN_RULES_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct mtc_builtin_rule {
	const char *name;	/* the file's name: "MT001.yaml" */
	const char *text;	/* its bytes, NUL-terminated */
	size_t len;		/* without the NUL */
};

/* In file name order, as a directory of rules is read. */
extern const struct mtc_builtin_rule mtc_builtin_rules[];
extern const size_t mtc_nr_builtin_rules;

#ifdef __cplusplus
}
#endif
#endif
