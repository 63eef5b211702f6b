/* SPDX-License-Identifier: MIT */
/* mtcheck --plugin-path and --runtime-path: where the plugin and its run-time are. */
#ifndef MTCHECK_CLI_PLUGIN_PATH_H
#define MTCHECK_CLI_PLUGIN_PATH_H

#include <stddef.h>

/*
 * Print the absolute path of the GCC plugin that belongs to this mtcheck
 * (for gcc -fplugin=$(mtcheck --plugin-path)).  Returns 0, or 2 with a
 * message on stderr when this build has no plugin or it is not there.
 */
int mtc_cli_plugin_path(void);
/* The same path into @buf instead of stdout (0), or 2 with the message on stderr. */
int mtc_cli_plugin_find(char *buf, size_t size);

/*
 * Print the absolute path of the union sanitizer's run-time library,
 * libmtcheck_rt.a (for the link line of -fplugin-arg-mtcheck-sanitize).
 * Returns 0, or 2 with a message on stderr when it is not there.
 */
int mtc_cli_runtime_path(void);

#endif
