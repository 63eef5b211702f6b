// SPDX-License-Identifier: MIT
/*
 * Opening an input file.  Every reader goes through here, so that no input
 * can hang or flood it: the open does not block (a FIFO with no writer
 * would block open() forever), and only regular files are read (a FIFO, a
 * terminal or /dev/zero never ends).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "mtcheck/error.h"

static const char *file_kind(mode_t mode)
{
	if (S_ISFIFO(mode))
		return " (a FIFO)";
	if (S_ISCHR(mode))
		return " (a character device)";
	if (S_ISBLK(mode))
		return " (a block device)";
	if (S_ISSOCK(mode))
		return " (a socket)";
	return "";	/* a directory: the plain words say it */
}

int mtc_input_open(const char *path, off_t *size, struct mtc_error *err)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	struct stat st;

	if (fd < 0)
		return mtc_error_set(err, -errno, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st)) {
		int e = errno;

		close(fd);
		return mtc_error_set(err, -e, "%s: %s", path, strerror(e));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return mtc_error_set(err, S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL,
				     "%s: not a regular file%s", path, file_kind(st.st_mode));
	}
	/* regular files never block; readers that use stdio expect blocking mode */
	int fl = fcntl(fd, F_GETFL);

	if (fl >= 0)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	if (size)
		*size = st.st_size;
	return fd;
}

int mtc_input_check(const char *path, struct mtc_error *err)
{
	int fd = mtc_input_open(path, NULL, err);

	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

FILE *mtc_input_fopen(const char *path, struct mtc_error *err)
{
	int fd = mtc_input_open(path, NULL, err);
	FILE *f;

	if (fd < 0)
		return NULL;
	if (!(f = fdopen(fd, "rb"))) {
		mtc_error_set(err, -errno, "%s: %s", path, strerror(errno));
		close(fd);
	}
	return f;
}

int mtc_input_read(const char *path, size_t max, char **buf, size_t *len,
		   struct mtc_error *err)
{
	off_t size;
	int fd = mtc_input_open(path, &size, err);

	*buf = NULL;
	*len = 0;
	if (fd < 0)
		return fd;
	if ((uint64_t)size > max) {
		close(fd);
		return mtc_error_set(err, -EFBIG, "%s: %lld bytes; mtcheck reads at most %zu here",
				     path, (long long)size, max);
	}
	/* the file may grow while it is read: never past @max */
	size_t cap = (size_t)size + 1, n = 0;
	char *p = malloc(cap + 1);

	if (!p) {
		close(fd);
		return mtc_error_set(err, -ENOMEM, "%s: out of memory", path);
	}
	for (;;) {
		if (n == cap) {
			if (cap > max) {
				free(p);
				close(fd);
				return mtc_error_set(err, -EFBIG,
						     "%s: grew past %zu bytes while it was read",
						     path, max);
			}
			size_t ncap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			char *q = realloc(p, ncap + 1);

			if (!q) {
				free(p);
				close(fd);
				return mtc_error_set(err, -ENOMEM, "%s: out of memory", path);
			}
			p = q;
			cap = ncap;
		}
		ssize_t r = read(fd, p + n, cap - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			free(p);
			close(fd);
			return mtc_error_set(err, -e, "%s: %s", path, strerror(e));
		}
		if (!r)
			break;
		n += (size_t)r;
	}
	close(fd);
	p[n] = '\0';
	*buf = p;
	*len = n;
	return 0;
}
