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
#include "mtcheck/finding.h"
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
	/* The layout depends on the target asked for (sources): load once per target. */
	bool per_target;
	/*
	 * Look at @path, once.  1: this front end reads it, and *probed holds
	 * what the look found (NULL when nothing) for load and release.  0:
	 * not this front end's input; @err may say why, for the message when
	 * no front end reads it.  A negative errno: the input is this front
	 * end's (or no front end's) and cannot be read; @err says why.
	 */
	int (*probe)(const char *path, void **probed, struct mtc_error *err);
	/*
	 * Fill a new model from @path with what probe found; on failure *out
	 * is NULL and @err says why.  Several threads may load one input at
	 * once (one target each), so load only reads @probed.
	 */
	int (*load)(const char *path, const void *probed, const struct mtc_frontend_conf *conf,
		    struct mtc_model **out, struct mtc_error *err);
	void (*release)(void *probed);
	/*
	 * Inputs that already hold findings (the GCC plugin's .mtcheck
	 * section in objects, archives and linked binaries): add them to @out,
	 * each once, instead of analysing a layout; with @only_type, only the
	 * findings of that record ('struct foo' or 'foo').  NULL for front
	 * ends that only lay records out.  Returns the number of findings
	 * added, or a negative errno with @err naming the input.
	 */
	int (*findings)(const char *path, const void *probed, const char *only_type,
			struct mtc_findings *out, struct mtc_error *err);
};

/*
 * The front ends of this build, in the order they are asked about an
 * input (objects by their content first, then C sources by their name);
 * NULL-terminated.
 */
MTC_API extern const struct mtc_frontend_ops *const mtc_frontends[];

/* An input, and the front end that reads it with what its probe found. */
struct mtc_probed_input {
	const struct mtc_frontend_ops *ops;
	void *probed;
};

/*
 * Ask each front end in turn about @path; the first that reads it is
 * kept in @in, to load it (as often as there are targets) and release it.
 * Returns 0, or a negative errno with one message naming @path.
 */
MTC_API int mtc_frontend_probe(const char *path, struct mtc_probed_input *in, struct mtc_error *err);
MTC_API int mtc_frontend_load(const struct mtc_probed_input *in, const char *path,
		      const struct mtc_frontend_conf *conf, struct mtc_model **out,
		      struct mtc_error *err);
MTC_API void mtc_frontend_release(struct mtc_probed_input *in);

/*
 * Findings kept in a .mtcheck section by the GCC plugin, read from objects,
 * archives and linked binaries (libelf); asked before the BTF front end.
 */
MTC_API extern const struct mtc_frontend_ops mtc_frontend_section;
/* Objects and BTF files (libbpf, pahole for DWARF). */
MTC_API extern const struct mtc_frontend_ops mtc_frontend_btf;
/* C sources through libclang; without libclang its load says so. */
MTC_API extern const struct mtc_frontend_ops mtc_frontend_clang;
/* True when this build has the libclang front end. */
MTC_API bool mtc_have_clang(void);
/* One source's compile command from a build's compile database. */
struct mtc_compile_command {
	char **args;		/* what clang is given: -working-directory, then the kept flags */
	size_t nr_args;
	char **dropped;		/* flags left out, each once (no values given apart) */
	size_t nr_dropped;
	char *triple;		/* the build's target (--target, the compiler's name); NULL: host */
};

/*
 * The command @source was compiled with, from @build_dir/compile_commands.json,
 * ready for mtc_frontend_conf.args: only the flags that change preprocessing
 * or layout are kept (the allow list in compile_flags.c, documented in
 * docs/compile-db.md); the compiler, its outputs, the source and every
 * other flag are left out, the other flags named in @cmd->dropped.  Returns
 * 0, or a negative errno with @err naming @build_dir or @source; free @cmd
 * with mtc_compile_command_free() either way.
 */
MTC_API int mtc_compile_db_command(const char *build_dir, const char *source,
				   struct mtc_compile_command *cmd, struct mtc_error *err);
MTC_API void mtc_compile_command_free(struct mtc_compile_command *cmd);
/*
 * The same command's args alone, as mtc_compile_db_command() keeps them.
 * *args is a malloc'd array of malloc'd strings.
 */
MTC_API int mtc_compile_db_args(const char *build_dir, const char *source, char ***args,
				size_t *nr_args, struct mtc_error *err);

#ifdef __cplusplus
}
#endif
#endif
