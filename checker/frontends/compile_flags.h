/* SPDX-License-Identifier: MIT */
/*
 * Which of a build's compiler flags the source front end gives to clang
 * (compile_flags.c): the allow list, and the target the build compiled for.
 */
#ifndef MTCHECK_COMPILE_FLAGS_H
#define MTCHECK_COMPILE_FLAGS_H

#include <stdbool.h>
#include <stddef.h>

#include "mtcheck/frontend.h"

/*
 * Filter one compile command, @argv[0] being the compiler (or a wrapper such
 * as ccache before it) and the source already taken out: the flags that
 * change preprocessing or layout go to @out->args in order, every other
 * flag's name (once) to @out->dropped, except flags naming the build's
 * outputs (-c, -o FILE, -MD, -MF FILE, ...), which are left out silently.
 * A --target or -target is not kept as a flag: it, or else a target named
 * by the compiler (s390x-linux-gnu-gcc), becomes @out->triple.  Returns 0 or
 * -ENOMEM; @out is freed with mtc_compile_command_free().
 */
int mtc_compile_flags_filter(const char *const *argv, size_t argc,
			     struct mtc_compile_command *out);

/*
 * True when @arg, a kept flag, changes what the target is (pointer width,
 * byte order, char signedness), so the probe of the target needs it too.
 */
bool mtc_compile_flag_sets_target(const char *arg);

#endif
