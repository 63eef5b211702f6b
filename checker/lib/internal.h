/* SPDX-License-Identifier: MIT */
/* Helpers shared by the library's own files; not installed. */
#ifndef MTCHECK_INTERNAL_H
#define MTCHECK_INTERNAL_H

#include <stdbool.h>

/* "foo" matches "struct foo" and "union foo"; full names match themselves. */
bool mtc_name_matches(const char *full, const char *want);

/* Tests switch off the skipping of alike array elements to compare. */
extern bool mtc_analysis_skipping;

#endif
