// SPDX-License-Identifier: MIT
/*
 * A build's compile_commands.json, read through libclang: the flags one
 * source was compiled with, for the source front end (mtcheck -p).  Which
 * of them clang is given is compile_flags.c's decision.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "clang_api.h"
#include "compile_flags.h"
#include "frontend_internal.h"
#include "mtcheck/frontend.h"
#include "strbuf.h"

/* The command's arguments as libclang split them, and its directory. */
static int command_argv(CXCompileCommand cmd, char ***argv, size_t *argc, char **dir)
{
	unsigned n = clang_CompileCommand_getNumArgs(cmd);

	*argc = 0;
	*dir = mtc_cxstr(clang_CompileCommand_getDirectory(cmd));
	if (!(*argv = calloc(n + 1, sizeof(**argv))) || !*dir)
		return -ENOMEM;
	for (unsigned i = 0; i < n; i++) {
		if (!((*argv)[i] = mtc_cxstr(clang_CompileCommand_getArg(cmd, i))))
			return -ENOMEM;
		(*argc)++;
	}
	return 0;
}

static int working_directory_first(struct mtc_compile_command *c, const char *dir)
{
	struct strbuf wd;
	char **v;

	if (!*dir)
		return 0;
	if (!(v = realloc(c->args, (c->nr_args + 1) * sizeof(*v))))
		return -ENOMEM;
	c->args = v;
	sb_init(&wd);
	sb_addf(&wd, "-working-directory=%s", dir);
	memmove(v + 1, v, c->nr_args * sizeof(*v));
	if (!(v[0] = sb_detach(&wd))) {
		memmove(v, v + 1, c->nr_args * sizeof(*v));
		return -ENOMEM;
	}
	c->nr_args++;
	return 0;
}

int mtc_compile_db_command(const char *build_dir, const char *source,
			   struct mtc_compile_command *cmd, struct mtc_error *err)
{
	CXCompilationDatabase_Error dbe;
	CXCompileCommands cmds = NULL;
	char **argv = NULL, *dir = NULL, *abs = NULL;
	size_t argc = 0;
	int ret;

	memset(cmd, 0, sizeof(*cmd));
	if ((ret = mtc_clang_open(err)))
		return ret;
	CXCompilationDatabase db = clang_CompilationDatabase_fromDirectory(build_dir, &dbe);

	if (dbe != CXCompilationDatabase_NoError || !db)
		return mtc_error_set(err, -ENOENT, "%s: no readable compile_commands.json there",
				     build_dir);
	abs = realpath(source, NULL);
	cmds = clang_CompilationDatabase_getCompileCommands(db, abs ? abs : source);
	if (!cmds || !clang_CompileCommands_getSize(cmds)) {
		ret = mtc_error_set(err, -ENOENT, "%s: not in %s/compile_commands.json", source,
				    build_dir);
		goto out;
	}
	ret = command_argv(clang_CompileCommands_getCommand(cmds, 0), &argv, &argc, &dir);
	ret = ret ?: mtc_compile_flags_filter((const char *const *)argv, argc, cmd);
	ret = ret ?: working_directory_first(cmd, dir);
	if (ret) {
		mtc_compile_command_free(cmd);
		mtc_error_set(err, ret, "%s: out of memory", source);
	}
out:
	for (size_t i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
	free(dir);
	if (cmds)
		clang_CompileCommands_dispose(cmds);
	clang_CompilationDatabase_dispose(db);
	free(abs);
	return ret;
}

int mtc_compile_db_args(const char *build_dir, const char *source, char ***args,
			size_t *nr_args, struct mtc_error *err)
{
	struct mtc_compile_command c;
	int ret = mtc_compile_db_command(build_dir, source, &c, err);

	*args = ret ? NULL : c.args;
	*nr_args = ret ? 0 : c.nr_args;
	c.args = NULL;
	c.nr_args = 0;
	mtc_compile_command_free(&c);
	return ret;
}
