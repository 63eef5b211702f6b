/* SPDX-License-Identifier: MIT */
/* What the object front end's files share. */
#ifndef MTCHECK_FRONTEND_INTERNAL_H
#define MTCHECK_FRONTEND_INTERNAL_H

#include <stdbool.h>

#include "mtcheck/error.h"
#include "mtcheck/model.h"

/*
 * Give the members of @m's records the declaration file, line and column
 * that the DWARF of @path records.  Records are matched by name, anonymous
 * ones by their path from the nearest named record.
 */
int mtc_dwarf_locations(const char *path, struct mtc_model *m, struct mtc_error *err);

#include <sys/types.h>

/*
 * A private temporary directory for one pahole run (scratch.c), with two
 * file names in it.  Until mtc_scratch_free() removes it, SIGINT, SIGTERM
 * and SIGHUP kill the child started by mtc_scratch_spawn(), remove the
 * directory and then end the process as the signal would have.
 */
struct mtc_scratch;
struct mtc_scratch *mtc_scratch_new(const char *input, const char *base, struct mtc_error *err);
const char *mtc_scratch_btf(const struct mtc_scratch *s);
const char *mtc_scratch_stderr(const struct mtc_scratch *s);
/* Start @argv[0] (mtc_spawn()): no input or output, errors to the stderr file, its own process group. */
int mtc_scratch_spawn(struct mtc_scratch *s, char *const argv[], pid_t *pid);
/* waitpid() for the child; 0 or a negative errno. */
int mtc_scratch_wait(struct mtc_scratch *s, pid_t pid, int *status);
void mtc_scratch_free(struct mtc_scratch *s);

#include "mtcheck/frontend.h"

/* The libclang front end's load, for its entry in the table (frontends.c). */
int mtc_clang_load(const char *path, const void *probed, const struct mtc_frontend_conf *conf,
		   struct mtc_model **out, struct mtc_error *err);

struct btf;

/*
 * Fill @m with the records of @btf (btf_model.c); @input names the input
 * in messages.  0, or a negative errno with @err set: a broken type link,
 * a cycle, or a model the bounds refuse.
 */
int mtc_btf_fill_model(const struct btf *btf, struct mtc_model *m, const char *input,
		       struct mtc_error *err);

#endif
