/* SPDX-License-Identifier: MIT */
/*
 * What the fuzz targets share.  Each target is one LLVMFuzzerTestOneInput()
 * that feeds a byte buffer to one of the library's readers of outside
 * input.  It is linked either with libFuzzer (clang, -fsanitize=fuzzer) or
 * with replay.c, whose main() feeds it files, so that the seed corpus and
 * every input that once crashed run in every build as ctest tests.
 */
#ifndef MTCHECK_FUZZ_H
#define MTCHECK_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "mtcheck/error.h"
#include "mtcheck/model.h"
#include "mtcheck/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * A path that reads as exactly @data, for readers that take a path: one
 * memfd, rewritten on every call, named through /proc/self/fd.  Aborts when
 * it cannot be written, which is a broken harness and not a finding.
 */
const char *fuzz_path(const uint8_t *data, size_t size);

/*
 * The lowest free file descriptor, taken before an input; fuzz_fds_check()
 * aborts when a descriptor opened for the input is still open after it
 * (from the second input on: a library may keep one open for good).  The
 * harness's own lasting descriptors (the memfd of fuzz_path(), /dev/null)
 * are opened before the first mark.
 */
int fuzz_fds_mark(void);
void fuzz_fds_check(int mark);

/*
 * What became of the last input: each target calls this once with its
 * reader's result, so that the replay can tell seeds that no longer parse.
 */
void fuzz_outcome(int ret, const struct mtc_error *err);
extern unsigned long fuzz_nr_accepted;
extern char fuzz_last_error[1024];

/*
 * The shipped rules, loaded on first use from $MTCHECK_RULES_DIR or else the
 * source tree's rules/; aborts when they do not load.
 */
const struct mtc_ruleset *fuzz_rules(void);

/*
 * What the tool does with a model a front end accepted: analyse it with the
 * shipped rules and write the text, JSON and SARIF reports (to /dev/null),
 * so that names and sizes from the input reach every renderer.
 */
void fuzz_analyze(const struct mtc_model *m);

#endif
