/* SPDX-License-Identifier: MIT */
/*
 * File helpers every part of mtcheck shares (the library, the CLI,
 * mtcheck-sparse and the GCC plugin link them from the core library);
 * not installed.
 */
#ifndef MTCHECK_FILEIO_H
#define MTCHECK_FILEIO_H

#include <stddef.h>
#include <sys/types.h>

struct mtc_error;

/* Write all of @buf at the file position (@at < 0) or at offset @at; 0 or -errno. */
int mtc_write_all(int fd, const void *buf, size_t len, off_t at);
/* Take an exclusive flock() on @fd, waiting as long as it takes; 0 or -errno. */
int mtc_lock(int fd);
/*
 * Append @len bytes to @path (created 0666 less the umask) in one write
 * under an exclusive lock, so that parallel make jobs never interleave
 * their lines.  0, or a negative errno with "PATH: reason" in @err.
 */
int mtc_append_locked(const char *path, const void *buf, size_t len, struct mtc_error *err);

#endif
