/* SPDX-License-Identifier: MIT */
/* Running helper programs (c2xml, pahole): one way to start and wait for a child; not installed. */
#ifndef MTCHECK_RUN_CAPTURE_H
#define MTCHECK_RUN_CAPTURE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "mtcheck/error.h"

/*
 * How a child starts.  Each of its standard streams (0, 1, 2) is fd[i]
 * when that is >= 0, else the file path[i] (NULL: /dev/null), opened for
 * reading (0) or created for writing (1, 2; mode 0600).
 */
struct mtc_spawn {
	int fd[3];
	const char *path[3];
	bool own_group;			/* in a process group of its own, which kill(-pid) reaches */
	const sigset_t *defaults;	/* these signals start at SIG_DFL and none is blocked */
};

/*
 * Start @argv[0] (looked up in PATH when it has no '/') with @argv: no
 * shell.  Returns 0 and the child in *@pid, or the positive errno of the
 * failure (ENOENT when it does not exist).
 */
int mtc_spawn(char *const argv[], const struct mtc_spawn *sp, pid_t *pid);

/* Wait for @pid, through EINTR: 0 and its *@status, or -errno. */
int mtc_spawn_wait(pid_t pid, int *status);

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
