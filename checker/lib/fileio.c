// SPDX-License-Identifier: MIT
/* Whole writes, locks and locked appends (see fileio.h). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "fileio.h"
#include "mtcheck/error.h"

int mtc_write_all(int fd, const void *buf, size_t len, off_t at)
{
	const char *p = buf;
	size_t done = 0;

	while (done < len) {
		ssize_t n = at < 0 ? write(fd, p + done, len - done)
				   : pwrite(fd, p + done, len - done, at + (off_t)done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		done += (size_t)n;
	}
	return 0;
}

int mtc_lock(int fd)
{
	while (flock(fd, LOCK_EX))
		if (errno != EINTR)
			return -errno;
	return 0;
}

int mtc_append_locked(const char *path, const void *buf, size_t len, struct mtc_error *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
	int ret;

	if (fd < 0)
		return mtc_error_set(err, -errno, "%s: %s", path, strerror(errno));
	ret = mtc_lock(fd);
	if (ret)
		mtc_error_set(err, ret, "%s: cannot lock: %s", path, strerror(-ret));
	else if ((ret = mtc_write_all(fd, buf, len, -1)))
		mtc_error_set(err, ret, "%s: %s", path, strerror(-ret));
	if (close(fd) && !ret)
		ret = mtc_error_set(err, -errno, "%s: %s", path, strerror(errno));
	return ret;
}
