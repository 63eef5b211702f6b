/* SPDX-License-Identifier: MIT */
/* What the object front end's files share. */
#ifndef MTCHECK_FRONTEND_INTERNAL_H
#define MTCHECK_FRONTEND_INTERNAL_H

#include <stdbool.h>

#include "mtcheck/error.h"
#include "mtcheck/model.h"

/* True when @path is an ELF object or a BTF file the BTF front end reads. */
bool mtc_btf_probe(const char *path);
/*
 * Give the members of @m's records the declaration file, line and column
 * that the DWARF of @path records.  Records are matched by name, anonymous
 * ones by their path from the nearest named record.
 */
int mtc_dwarf_locations(const char *path, struct mtc_model *m, struct mtc_error *err);

#include "mtcheck/frontend.h"

/* The libclang front end's load, for the ops table and the CLI. */
int mtc_clang_load(const char *path, const struct mtc_frontend_conf *conf,
		   struct mtc_model **out, struct mtc_error *err);
bool mtc_clang_probe(const char *path);

#endif
