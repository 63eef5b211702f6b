// SPDX-License-Identifier: MIT
/*
 * -fplugin-arg-mtcheck-sanitize: the union sanitizer's instrumentation
 * (sanitize*.cc; sanitize_impl.h says which file does what).  The plugin
 * hands over the findings of each record as the analysis makes them; the
 * GIMPLE pass then instruments the accesses to those overlays with the
 * calls of runtime/include/mtcheck_rt.h.
 */
#ifndef MTCHECK_SANITIZE_H
#define MTCHECK_SANITIZE_H

#include "gcc-compat.h"
#include "frontend_gcc.h"
#include "mtcheck/finding.h"

struct mtc_sanitizer;

/* Run @fn(@arg) under the plugin's crash guard; @what says what it was doing. */
typedef void mtc_guard_fn(void (*fn)(void *), void *arg, location_t where, const char *plugin,
			  const char *what);

/*
 * A sanitizer for one compilation: it instruments the overlays of findings
 * of at least confidence @min.  @names names anonymous records (typedefs);
 * @plugin is the NAME of -fplugin-arg-NAME-KEY, for messages and the pass
 * registration; @guard runs each function's instrumentation.  @crash_test
 * is the crash guard's test hook (MTCHECK_PLUGIN_CRASH_TEST): when it is
 * "@sanitize:FUNCTION", instrumenting FUNCTION faults.
 */
struct mtc_sanitizer *mtc_sanitizer_new(const char *plugin, enum mtc_confidence min,
					const struct mtc_gcc_names *names, mtc_guard_fn *guard,
					const char *crash_test);
void mtc_sanitizer_free(struct mtc_sanitizer *s);

/*
 * Finding @f of record @type: when its confidence is high enough, the
 * fields of its narrow and wide members are looked up in @type's tree and
 * remembered for the pass.  Findings whose paths do not resolve (which would
 * be a mismatch between the front end and the model) are left out.
 */
void mtc_sanitizer_add(struct mtc_sanitizer *s, tree type, const struct mtc_finding *f);

/* Register the pass and the garbage collector's roots with GCC. */
void mtc_sanitizer_register(struct mtc_sanitizer *s);

#endif
