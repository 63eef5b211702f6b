/* SPDX-License-Identifier: MIT */
/* Running a helper program (c2xml) and keeping what it printed; not installed. */
#ifndef MTCHECK_RUN_CAPTURE_H
#define MTCHECK_RUN_CAPTURE_H

#include <stddef.h>

#include "mtcheck/error.h"

struct mtc_capture {
	char *out;		/* standard output, NUL-terminated */
	size_t out_len;
	char *err;		/* standard error, NUL-terminated */
	size_t err_len;
	int exit_status;	/* when it exited; -1 when a signal killed it */
	int term_signal;	/* the signal that killed it, 0 when it exited */
};

/*
 * Run @argv[0] (looked up in PATH when it has no '/') with @argv as its
 * argument vector: no shell.  @stdin_text is its whole standard input (at
 * most 64 KiB, so that it fits in the pipe before the program starts).
 * Standard output and error are read from pipes until both close.
 * Returns 0 once the program has run, whatever its exit status; -ENOENT
 * when it does not exist; another negative errno when it could not be
 * started or read.  @err names @what in the message.
 */
int mtc_run_capture(char *const argv[], const char *stdin_text, const char *what,
		    struct mtc_capture *cap, struct mtc_error *err);
void mtc_capture_release(struct mtc_capture *cap);

#endif
