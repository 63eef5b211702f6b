// SPDX-License-Identifier: MIT
/* The plugin's report files (see report_file.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "report_file.h"

const char *mtc_absolute_path(const char *path, char *buf, size_t size)
{
	char real[PATH_MAX], cwd[PATH_MAX];

	if (realpath(path, real))
		snprintf(buf, size, "%s", real);
	else if (path[0] == '/' || !getcwd(cwd, sizeof(cwd)))
		snprintf(buf, size, "%s", path);
	else
		snprintf(buf, size, "%s/%s", cwd, path);
	return buf;
}

/* The report text for @fs, built in memory so that a failure never leaves half a file. */
static char *render(const struct mtc_report_file *rf, struct mtc_findings *fs, bool multi_target,
		    size_t *len, struct mtc_error *err)
{
	char *buf = NULL;
	FILE *mem = open_memstream(&buf, len);
	int ret;

	if (!mem) {
		mtc_error_set(err, -ENOMEM, "%s: out of memory", rf->path);
		return NULL;
	}
	struct mtc_report_conf conf = { .format = rf->format, .rules = rf->rules,
					.tool_version = mtc_version(), .multi_target = multi_target };

	mtc_findings_sort(fs);
	ret = mtc_report_write(mem, fs, &conf);
	if (fclose(mem) && !ret)
		ret = -ENOMEM;
	if (ret) {
		mtc_error_set(err, ret, "%s: cannot write the report: %s", rf->path, strerror(-ret));
		free(buf);
		return NULL;
	}
	return buf;
}

/* The crash guard's test hook: a store to an address below mmap_min_addr, never mapped. */
static void crash_test_fault(void)
{
	volatile int *volatile p = (volatile int *)16;

	*p = 0;
}

static uint64_t fnv1a(uint64_t h, const char *s)
{
	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

/* One file per unit in directory @dir: written to a temporary name, then renamed. */
static int write_unit_file(const struct mtc_report_file *rf, const char *dir,
			   struct mtc_findings *fs, struct mtc_error *err)
{
	const char *base = strrchr(rf->input, '/');
	char bits[16], path[PATH_MAX], tmp[MTC_REPORT_TMP_MAX];
	size_t len;
	int ret = 0;

	base = base ? base + 1 : rf->input;
	snprintf(bits, sizeof(bits), "/%u", rf->target->pointer_bits);
	uint64_t h = fnv1a(fnv1a(fnv1a(1469598103934665603ull, rf->input), rf->target->triple), bits);

	size_t dl = strlen(dir);

	while (dl > 1 && dir[dl - 1] == '/')
		dl--;
	if ((size_t)snprintf(path, sizeof(path), "%.*s/%s.%016llx.%s", (int)dl, dir, base,
			     (unsigned long long)h,
			     rf->format == MTC_FORMAT_SARIF ? "sarif" : "json") >= sizeof(path))
		return mtc_error_set(err, -ENAMETOOLONG, "%s: file name too long", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());

	char *text = render(rf, fs, false, &len, err);

	if (!text)
		return err->code;
	/* named before it exists, so that a crash at any point can remove it */
	if (rf->tmp_name)
		memcpy(rf->tmp_name, tmp, sizeof(tmp));
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);

	if (fd < 0) {
		ret = mtc_error_set(err, -errno, "%s: %s", tmp, strerror(errno));
	} else {
		ret = mtc_write_all(fd, text, len, 0);
		if (close(fd) && !ret)
			ret = -errno;
		if (rf->crash_test)
			crash_test_fault();
		if (!ret && rename(tmp, path))
			ret = -errno;
		if (ret) {
			unlink(tmp);
			mtc_error_set(err, ret, "%s: %s", path, strerror(-ret));
		}
	}
	if (rf->tmp_name)
		rf->tmp_name[0] = '\0';
	free(text);
	return ret;
}

/*
 * The shared report: under an exclusive lock on the file itself, read it,
 * drop this unit's earlier findings, add the new ones, rewrite in place.
 * The lock is on the one inode every compiler opens, which is why the file
 * is rewritten rather than replaced by a rename.
 */
static int write_shared_file(const struct mtc_report_file *rf, struct mtc_findings *fs,
			     struct mtc_error *err)
{
	int fd = open(rf->path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	struct stat st;
	char *old = NULL, *text = NULL;
	size_t len = 0, have = 0;
	struct mtc_read_conf rc = { .skip_input = rf->input, .empty_ok = true };
	struct mtc_findings *all = NULL;
	int ret = 0;

	if (fd < 0)
		return mtc_error_set(err, -errno, "%s: %s", rf->path, strerror(errno));
	if ((ret = mtc_lock(fd))) {
		mtc_error_set(err, ret, "%s: cannot lock: %s", rf->path, strerror(-ret));
		goto out;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		ret = mtc_error_set(err, -EINVAL, "%s: not a regular file", rf->path);
		goto out;
	}
	if (!(all = mtc_findings_new())) {
		ret = mtc_error_set(err, -ENOMEM, "%s: out of memory", rf->path);
		goto out;
	}
	/* the findings of the other units, read from the locked file itself */
	if ((ret = mtc_report_read_fd(fd, rf->path, all, &rc, err)) < 0) {
		char msg[sizeof(err->message)];

		snprintf(msg, sizeof(msg), "%s", err->message);
		mtc_error_set(err, ret, "%s; remove it, or give the plugin another file", msg);
		goto out;
	}
	if (rf->crash_test)
		crash_test_fault();
	ret = mtc_findings_add_copies(all, fs, err);
	if (!ret && !(text = render(rf, all, rc.multi_target, &len, err)))
		ret = err->code;
	if (ret)
		goto out;
	/* most units only repeat what is there: leave the file alone then */
	if ((off_t)len == st.st_size && (old = malloc(len ? len : 1))) {
		while (have < len) {
			ssize_t n = pread(fd, old + have, len - have, (off_t)have);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			have += (size_t)n;
		}
		if (have == len && !memcmp(text, old, len))
			goto out;
	}
	if (ftruncate(fd, 0) || (ret = mtc_write_all(fd, text, len, 0)))
		ret = mtc_error_set(err, ret ? ret : -errno, "%s: cannot write: %s", rf->path,
				    strerror(ret ? -ret : errno));
out:
	mtc_findings_free(all);
	free(old);
	free(text);
	close(fd);	/* releases the lock */
	return ret < 0 ? ret : 0;
}

int mtc_report_file_write(const struct mtc_report_file *rf, const struct mtc_findings *fs,
			  struct mtc_error *err)
{
	struct mtc_findings *copy = mtc_findings_new();
	size_t n = strlen(rf->path);
	struct stat st;
	int ret;

	if (!copy)
		return mtc_error_set(err, -ENOMEM, "%s: out of memory", rf->path);
	/* the reporters sort; the caller's list keeps its order */
	if ((ret = mtc_findings_add_copies(copy, fs, err)))
		goto out;
	if (n && rf->path[n - 1] == '/') {
		if (mkdir(rf->path, 0777) && errno != EEXIST) {
			ret = mtc_error_set(err, -errno, "%s: %s", rf->path, strerror(errno));
			goto out;
		}
		ret = write_unit_file(rf, rf->path, copy, err);
	} else if (!stat(rf->path, &st) && S_ISDIR(st.st_mode)) {
		ret = write_unit_file(rf, rf->path, copy, err);
	} else {
		ret = write_shared_file(rf, copy, err);
	}
out:
	mtc_findings_free(copy);
	return ret;
}
