/* SPDX-License-Identifier: MIT */
/* Helpers shared by the library's own files; not installed. */
#ifndef MTCHECK_INTERNAL_H
#define MTCHECK_INTERNAL_H

#include <stdbool.h>

/* "foo" matches "struct foo" and "union foo"; full names match themselves. */
bool mtc_name_matches(const char *full, const char *want);

/* Tests switch off the skipping of alike array elements to compare. */
extern bool mtc_analysis_skipping;

#include <stdio.h>
#include <sys/types.h>

struct mtc_error;

/*
 * Open @path to read it as an input (input.c): without blocking on a FIFO,
 * and only when it is a regular file.  Returns the descriptor (close-on-exec,
 * blocking) with its size in *size when @size is not NULL, or a negative
 * errno with one message in @err: "PATH: No such file or directory",
 * "PATH: not a regular file (a FIFO)", "PATH: not a regular file" (a
 * directory).
 */
int mtc_input_open(const char *path, off_t *size, struct mtc_error *err);
/* The same check alone, for a path that another program will read (clang, c2xml). */
int mtc_input_check(const char *path, struct mtc_error *err);
/* mtc_input_open() as a stdio stream; NULL with @err set on failure. */
FILE *mtc_input_fopen(const char *path, struct mtc_error *err);
/*
 * The whole of @path, NUL-terminated, in a malloc'd *buf of *len bytes;
 * -EFBIG with a message when it holds more than @max bytes.
 */
int mtc_input_read(const char *path, size_t max, char **buf, size_t *len,
		   struct mtc_error *err);

#endif
