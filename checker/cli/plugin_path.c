// SPDX-License-Identifier: MIT
/*
 * mtcheck --plugin-path.  The plugin sits at the same place relative to the
 * tool in the build tree as installed (<prefix>/bin/mtcheck and
 * <prefix>/<libdir>/mtcheck/mtcheck.so; the build defines that relative path
 * as MTCHECK_PLUGIN_REL), so the answer holds wherever the tree was moved.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plugin_path.h"

int mtc_cli_plugin_find(char *buf, size_t size)
{
#ifdef MTCHECK_PLUGIN_REL
	char exe[PATH_MAX], path[2 * PATH_MAX], real[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n <= 0 || !(exe[n] = '\0', slash = strrchr(exe, '/'))) {
		fprintf(stderr, "mtcheck: cannot tell where mtcheck itself is (/proc/self/exe)\n");
		return 2;
	}
	*slash = '\0';
	snprintf(path, sizeof(path), "%s/%s", exe, MTCHECK_PLUGIN_REL);
	if (!realpath(path, real) || access(real, R_OK)) {
		fprintf(stderr, "mtcheck: the GCC plugin is missing: %s\n", path);
		return 2;
	}
	snprintf(buf, size, "%s", real);
	return 0;
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
