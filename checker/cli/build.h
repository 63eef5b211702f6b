/* SPDX-License-Identifier: MIT */
/*
 * mtcheck build [OPTION]... -- COMMAND...: run any build with the GCC
 * plugin on every C compile and print one report of all units.  The same
 * program is the compiler wrapper that the build runs (build.c says how).
 */
#ifndef MTCHECK_CLI_BUILD_H
#define MTCHECK_CLI_BUILD_H

#include <stdbool.h>

/* mtcheck build; @argv[0] is "build".  Returns the exit status. */
int mtc_cli_build(int argc, char **argv);

/*
 * True when mtcheck runs under a wrapper's name (cc, gcc, gcc-12,
 * TRIPLE-gcc, ccache, distcc): then it is a wrapper, and main() hands over
 * to mtc_cli_wrap(), which execs the real program (or returns 127).
 */
bool mtc_cli_is_wrapper(const char *argv0);
int mtc_cli_wrap(int argc, char **argv);

/*
 * mtcheck installed under this name (a symbolic link) is the GCC the plugin
 * was built for with the plugin added to every C compile, wherever it runs:
 * what a distcc server runs (docs/build.md).  A program of this name further
 * on PATH that is not mtcheck is wrapped like any compiler instead.
 */
#define MTC_OWN_CC "mtcheck-gcc"

#endif
