// SPDX-License-Identifier: MIT
/*
 * mtcheck --plugin-path and --runtime-path.  The GCC plugin and the union
 * sanitizer's run-time library sit at the same place relative to the tool
 * in the build tree as installed (<prefix>/bin/mtcheck,
 * <prefix>/<libdir>/mtcheck/mtcheck.so and <prefix>/<libdir>/libmtcheck_rt.a;
 * the build defines those relative paths as MTCHECK_PLUGIN_REL and
 * MTCHECK_RUNTIME_REL), so the answer holds wherever the tree was moved.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plugin_path.h"

/* The absolute path of @rel, relative to the directory of mtcheck itself, into @buf. */
static int find_installed(const char *rel, const char *what, char *buf, size_t size)
{
	char exe[PATH_MAX], path[2 * PATH_MAX], real[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n <= 0 || !(exe[n] = '\0', slash = strrchr(exe, '/'))) {
		fprintf(stderr, "mtcheck: cannot tell where mtcheck itself is (/proc/self/exe)\n");
		return 2;
	}
	*slash = '\0';
	snprintf(path, sizeof(path), "%s/%s", exe, rel);
	if (!realpath(path, real) || access(real, R_OK)) {
		fprintf(stderr, "mtcheck: %s is missing: %s\n", what, path);
		return 2;
	}
	snprintf(buf, size, "%s", real);
	return 0;
}

/* The same, printed. */
static int print_installed(const char *rel, const char *what)
{
	char path[PATH_MAX];
	int ret = find_installed(rel, what, path, sizeof(path));

	if (!ret)
		puts(path);
	return ret;
}

int mtc_cli_plugin_find(char *buf, size_t size)
{
#ifdef MTCHECK_PLUGIN_REL
	return find_installed(MTCHECK_PLUGIN_REL, "the GCC plugin", buf, size);
#else
	(void)buf;
	(void)size;
	fprintf(stderr, "mtcheck: this mtcheck was built without its GCC plugin "
		"(it needs g++ and gcc-N-plugin-dev when mtcheck is built)\n");
	return 2;
#endif
}

int mtc_cli_plugin_path(void)
{
	char path[PATH_MAX];
	int ret = mtc_cli_plugin_find(path, sizeof(path));

	if (!ret)
		puts(path);
	return ret;
}

int mtc_cli_runtime_path(void)
{
#ifdef MTCHECK_RUNTIME_REL
	return print_installed(MTCHECK_RUNTIME_REL, "the union sanitizer's run-time library");
#else
	fprintf(stderr, "mtcheck: this mtcheck was built without the union sanitizer's "
		"run-time library\n");
	return 2;
#endif
}
