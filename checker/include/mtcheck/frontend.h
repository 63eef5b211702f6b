/* SPDX-License-Identifier: MIT */
/*
 * Front ends: one table of operations each, like pahole's loaders.  A front
 * end recognises its inputs and fills a model; it has no analysis.
 */
#ifndef MTCHECK_FRONTEND_H
#define MTCHECK_FRONTEND_H

#include <stdbool.h>
#include <stddef.h>

#include "mtcheck/error.h"
#include "mtcheck/export.h"
#include "mtcheck/model.h"

#ifdef __cplusplus
extern "C" {
#endif

struct mtc_frontend_conf {
	const char *pahole;	/* program to run for DWARF, "pahole" by default */
	const char *tmpdir;	/* for temporary files, $TMPDIR or /tmp by default */
	/* source front ends */
	const char *triple;	/* target to lay the source out for; NULL: the host */
	const char *const *args;	/* compiler flags for this file */
	size_t nr_args;
	/* told once per file of the flags the compiler did not know and dropped */
	void (*note)(void *ctx, const char *input, const char *dropped_flags);
	void *note_ctx;
	/* report records that system headers declare (libclang); off by default */
	bool system_headers;
};

struct mtc_frontend_ops {
	const char *name;
	/* True when this front end reads @path (by its content, not its name). */
	bool (*probe)(const char *path);
	/* Fill a new model from @path; on failure *out is NULL and err says why. */
	int (*load)(const char *path, const struct mtc_frontend_conf *conf,
		    struct mtc_model **out, struct mtc_error *err);
};

MTC_API extern const struct mtc_frontend_ops mtc_frontend_btf;
/* C sources through libclang; only when mtcheck was built with it. */
MTC_API extern const struct mtc_frontend_ops mtc_frontend_clang;
/* True when this build has the libclang front end. */
MTC_API bool mtc_have_clang(void);
/*
 * The flags @source was compiled with, from @build_dir/compile_commands.json,
 * ready for mtc_frontend_conf.args: the compiler, -c, -o and the source
 * itself removed, the directory kept with -working-directory.  *args is a
 * malloc'd array of malloc'd strings.
 */
MTC_API int mtc_compile_db_args(const char *build_dir, const char *source, char ***args,
				size_t *nr_args, struct mtc_error *err);

#ifdef __cplusplus
}
#endif
#endif
