/* SPDX-License-Identifier: MIT */
/*
 * Front ends: one table of operations each, like pahole's loaders.  A front
 * end recognises its inputs and fills a model; it has no analysis.
 */
#ifndef MTCHECK_FRONTEND_H
#define MTCHECK_FRONTEND_H

#include <stdbool.h>

#include "mtcheck/error.h"
#include "mtcheck/model.h"

#ifdef __cplusplus
extern "C" {
#endif

struct mtc_frontend_conf {
	const char *pahole;	/* program to run for DWARF, "pahole" by default */
	const char *tmpdir;	/* for temporary files, $TMPDIR or /tmp by default */
};

struct mtc_frontend_ops {
	const char *name;
	/* True when this front end reads @path (by its content, not its name). */
	bool (*probe)(const char *path);
	/* Fill a new model from @path; on failure *out is NULL and err says why. */
	int (*load)(const char *path, const struct mtc_frontend_conf *conf,
		    struct mtc_model **out, struct mtc_error *err);
};

extern const struct mtc_frontend_ops mtc_frontend_btf;

#ifdef __cplusplus
}
#endif
#endif
