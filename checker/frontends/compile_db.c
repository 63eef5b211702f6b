// SPDX-License-Identifier: MIT
/*
 * A build's compile_commands.json, read through libclang: the flags one
 * source was compiled with, for the source front end (mtcheck -p).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "clang_api.h"
#include "frontend_internal.h"
#include "mtcheck/frontend.h"
#include "strbuf.h"

/* Flags that only make sense to the compiler driver of the build. */
static bool skip_db_arg(const char *a, const char *next, const char *source, bool *skip_next)
{
	*skip_next = false;
	if (!strcmp(a, "-c") || !strcmp(a, source))
		return true;
	if (!strcmp(a, "-o") || !strcmp(a, "-MF") || !strcmp(a, "-MT") || !strcmp(a, "-MQ")) {
		*skip_next = next != NULL;
		return true;
	}
	return !strncmp(a, "-o", 2) || !strcmp(a, "-MD") || !strcmp(a, "-MMD");
}

int mtc_compile_db_args(const char *build_dir, const char *source, char ***args,
			size_t *nr_args, struct mtc_error *err)
{
	CXCompilationDatabase_Error dbe;
	int ret = 0;

	*args = NULL;
	*nr_args = 0;
	if ((ret = mtc_clang_open(err)))
		return ret;
	CXCompilationDatabase db = clang_CompilationDatabase_fromDirectory(build_dir, &dbe);
	if (dbe != CXCompilationDatabase_NoError || !db)
		return mtc_error_set(err, -ENOENT, "%s: no readable compile_commands.json there",
				     build_dir);
	char *abs = realpath(source, NULL);
	CXCompileCommands cmds = clang_CompilationDatabase_getCompileCommands(db, abs ? abs : source);

	if (!cmds || !clang_CompileCommands_getSize(cmds)) {
		ret = mtc_error_set(err, -ENOENT, "%s: not in %s/compile_commands.json", source,
				    build_dir);
		goto out;
	}
	CXCompileCommand cmd = clang_CompileCommands_getCommand(cmds, 0);
	unsigned n = clang_CompileCommand_getNumArgs(cmd);
	char *dir = mtc_cxstr(clang_CompileCommand_getDirectory(cmd));
	char **v = calloc(n + 2, sizeof(*v));
	size_t k = 0;

	if (!v || !dir) {
		free(v);
		free(dir);
		ret = mtc_error_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	if (*dir) {
		struct strbuf wd;

		sb_init(&wd);
		sb_addf(&wd, "-working-directory=%s", dir);
		v[k++] = sb_detach(&wd);
	}
	free(dir);
	const char *base = strrchr(source, '/') ? strrchr(source, '/') + 1 : source;

	for (unsigned i = 1; i < n; i++) {
		char *a = mtc_cxstr(clang_CompileCommand_getArg(cmd, i));
		char *next = i + 1 < n ? mtc_cxstr(clang_CompileCommand_getArg(cmd, i + 1)) : NULL;
		bool skip_next;
		const char *ab = a ? (strrchr(a, '/') ? strrchr(a, '/') + 1 : a) : "";

		/* the source may be spelled relative to the build directory */
		bool is_source = a && (!strcmp(a, source) || (abs && !strcmp(a, abs)) ||
				       (a[0] != '-' && !strcmp(ab, base)));

		if (!a || is_source || skip_db_arg(a, next, source, &skip_next)) {
			if (a && !is_source && skip_next)
				i++;
			free(a);
		} else {
			v[k++] = a;
		}
		free(next);
	}
	*args = v;
	*nr_args = k;
out:
	if (cmds)
		clang_CompileCommands_dispose(cmds);
	clang_CompilationDatabase_dispose(db);
	free(abs);
	return ret;
}
