/* SPDX-License-Identifier: MIT */
/*
 * Once per build: the "said" file, where the compilations of one build
 * note which findings in headers they have already diagnosed, so that a
 * record declared in a header included by 3,000 units is diagnosed once,
 * not 3,000 times.
 *
 * The file is text, one line per finding said: its key, a tab, and the
 * unit (absolute path of the main file) that said it.  Lines are only
 * ever appended, each in one write under an exclusive flock(), so a
 * reader never sees half a line and two compilers never both claim one
 * key, whatever `make -j` runs at once.
 *
 * The rule:
 *  - the first compilation that comes to diagnose a key claims it and says
 *    it; every other compilation of the build stays silent about it;
 *  - a unit always repeats what it claimed itself, so recompiling that unit
 *    (after an edit of the header, say) shows the finding again, once;
 *  - a unit recompiled that did not claim the key stays silent;
 *  - removing the file starts over: everything is said once more.
 *
 * Cost: a unit reads the file once, under a shared lock, when it starts,
 * and takes the exclusive lock only for a key not in what it read; in a
 * build that means about as many locked claims as there are distinct
 * findings in headers, whatever the number of units.
 */
#ifndef MTCHECK_PLUGIN_SAID_FILE_H
#define MTCHECK_PLUGIN_SAID_FILE_H

#include <stdbool.h>

#include "mtcheck/error.h"

#ifdef __cplusplus
extern "C" {
#endif

struct mtc_said;

/*
 * Read what was said so far from @path (it need not exist: it is created
 * at the first claim) for the compilation of @unit.  0, or a negative
 * errno with "PATH: reason" in @err.
 */
int mtc_said_open(const char *path, const char *unit, struct mtc_said **out,
		  struct mtc_error *err);

/*
 * Whether this unit is to say @key: 1 when no other unit said it before
 * (the claim is written to the file) or this unit did, 0 when another
 * unit said it, a negative errno on error ("PATH: reason" in @err).  Tabs
 * and line breaks in @key count as spaces.
 */
int mtc_said_claim(struct mtc_said *s, const char *key, struct mtc_error *err);

void mtc_said_free(struct mtc_said *s);

#ifdef __cplusplus
}
#endif
#endif
