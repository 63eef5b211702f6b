// SPDX-License-Identifier: MIT
/*
 * Everything that differs between GCC versions, in one place (the way the
 * kernel's scripts/gcc-plugins/gcc-common.h does it): the plugin's other
 * files include this header instead of GCC's and contain no version #if.
 *
 * Supported: GCC 11 and 12 (Debian's gcc-11-plugin-dev, gcc-12-plugin-dev).
 * GCC's headers are C++ and poison malloc, strdup and strerror, which is
 * why only the code that touches trees is C++ and everything else of the
 * plugin is C.
 */
#ifndef MTCHECK_GCC_COMPAT_H
#define MTCHECK_GCC_COMPAT_H

#include "gcc-plugin.h"
#include "plugin-version.h"

/* in this order: each of GCC's headers assumes the ones before it */
#include "tm.h"
#include "tree.h"
#include "stringpool.h"
#include "attribs.h"
#include "diagnostic.h"
#include "hash-map.h"
#include "hash-set.h"
#include "input.h"
#include "intl.h"
#include "langhooks.h"
#include "pretty-print.h"
#include "toplev.h"

#if GCCPLUGIN_VERSION_MAJOR < 11
#error "mtcheck's plugin needs GCC 11 or later"
#endif

#define MTC_GCC_MAJOR GCCPLUGIN_VERSION_MAJOR

/* The plugin is built with hidden visibility; GCC looks these two up by name. */
#define MTC_PLUGIN_EXPORT __attribute__((visibility("default")))

/*
 * The attribute table entry.  GCC 8 added the exclusions member, GCC 14
 * moves tables into scoped_attribute_specs; 11 and 12 share this layout.
 */
#define MTC_ATTRIBUTE_SPEC(name, min_args, max_args, decl_req, type_req, handler) \
	{ name, min_args, max_args, decl_req, type_req, false, false, handler, NULL }

static inline void mtc_gcc_register_attribute(const struct attribute_spec *spec)
{
	register_attribute(spec);
}

/*
 * Whether a warning at @loc reaches the user: not under -w, and not in a
 * system header unless -Wsystem-headers.  GCC 14 makes these fields of
 * diagnostic_context private.
 */
static inline bool mtc_gcc_warnings_shown_at(location_t loc)
{
	return diagnostic_report_warnings_p(global_dc, loc);
}

static inline bool mtc_gcc_warn_system_headers(void)
{
	return global_dc->dc_warn_system_headers;
}

/*
 * -Werror as the diagnostic context has it: warnings issued while it is
 * false stay warnings.  Returns the old setting, to be put back.  A plain
 * field in GCC 11 and 12 (GCC 14 makes it private, behind
 * set_warning_as_error_requested()).  Only -Werror itself: a warning
 * without an option (the plugin's) has nothing for -Werror=NAME to match.
 */
static inline bool mtc_gcc_set_werror(bool on)
{
	bool old = global_dc->warning_as_error_requested;

	global_dc->warning_as_error_requested = on;
	return old;
}

/* Vector lanes: a poly_int since GCC 8, constant on every C target we know. */
static inline bool mtc_gcc_vector_lanes(const_tree type, unsigned long long *lanes)
{
	poly_uint64 n = TYPE_VECTOR_SUBPARTS(type);

	if (!n.is_constant())
		return false;
	*lanes = n.to_constant();
	return true;
}

/*
 * The target triple.  cc1 does not know the driver's triple, so the build
 * passes `gcc -dumpmachine` as MTCHECK_GCC_TRIPLE; multilib switches that
 * change the ABI (-m32, -mx32 on x86-64) are recognised here.
 */
static inline const char *mtc_gcc_triple(void)
{
#if defined(TARGET_X32) && defined(TARGET_64BIT)
	if (!TARGET_64BIT)
		return "i686-linux-gnu";
	if (TARGET_X32)
		return "x86_64-linux-gnux32";
#endif
	return MTCHECK_GCC_TRIPLE;
}

/*
 * The compiler the plugin was loaded into: the C (and Objective-C) front
 * ends are checked; lto1 at an LTO link has nothing left to check (the
 * units were checked when they compiled); every other front end is told
 * once that mtcheck checks C only.
 */
enum mtc_gcc_language {
	MTC_GCC_C,
	MTC_GCC_LTO,
	MTC_GCC_OTHER,
};

static inline enum mtc_gcc_language mtc_gcc_language(void)
{
	const char *n = lang_hooks.name;	/* "GNU C17", "GNU C2X", "GNU C++17", "GNU GIMPLE" */

	if ((!strncmp(n, "GNU C", 5) && n[5] != '+') || !strcmp(n, "GNU Objective-C"))
		return MTC_GCC_C;
	return !strcmp(n, "GNU GIMPLE") ? MTC_GCC_LTO : MTC_GCC_OTHER;
}

#endif
