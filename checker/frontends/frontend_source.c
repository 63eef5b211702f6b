// SPDX-License-Identifier: MIT
/*
 * The source front end's table.  Its load comes from frontend_clang.c, or
 * from frontend_noclang.c in a build without libclang, which says so.
 */
#include <string.h>

#include "frontend_internal.h"

bool mtc_clang_probe(const char *path)
{
	const char *dot = strrchr(path, '.');

	return dot && (!strcmp(dot, ".c") || !strcmp(dot, ".h") || !strcmp(dot, ".i"));
}

const struct mtc_frontend_ops mtc_frontend_clang = {
	.name = "clang",
	.probe = mtc_clang_probe,
	.load = mtc_clang_load,
};
