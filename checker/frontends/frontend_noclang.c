// SPDX-License-Identifier: MIT
/* Built without libclang: C sources are an input error that says so. */
#include <errno.h>
#include <string.h>

#include "frontend_internal.h"

bool mtc_have_clang(void)
{
	return false;
}

int mtc_clang_load(const char *path, const void *probed, const struct mtc_frontend_conf *conf,
		   struct mtc_model **out, struct mtc_error *err)
{
	(void)probed;
	(void)conf;
	*out = NULL;
	return mtc_error_set(err, -ENOTSUP,
			     "%s: this mtcheck was built without libclang, so it reads objects "
			     "only; compile with -g and pass the object, or rebuild with "
			     "libclang-dev installed",
			     path);
}

int mtc_compile_db_command(const char *build_dir, const char *source,
			   struct mtc_compile_command *cmd, struct mtc_error *err)
{
	(void)build_dir;
	memset(cmd, 0, sizeof(*cmd));
	return mtc_error_set(err, -ENOTSUP, "%s: -p needs mtcheck built with libclang", source);
}

int mtc_compile_db_args(const char *build_dir, const char *source, char ***args,
			size_t *nr_args, struct mtc_error *err)
{
	*args = NULL;
	*nr_args = 0;
	return mtc_compile_db_command(build_dir, source, &(struct mtc_compile_command){ 0 }, err);
}
