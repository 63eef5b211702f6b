// SPDX-License-Identifier: MIT
/* Once per build: the said file (see said_file.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "said_file.h"

/* A key seen in the file, and whether this unit is the one that said it. */
struct said_entry {
	char *key;
	bool mine;
};

struct mtc_said {
	char *path;
	char *unit;		/* tabs and line breaks made spaces, as in the file */
	int fd;			/* -1 until the file is first needed */
	off_t read_to;		/* the file's bytes up to here are in the table */
	bool partial_tail;	/* after read_to, a line without its '\n' (a crash while writing) */
	struct said_entry *v;	/* open addressing, a power of two long */
	size_t cap, n;
};

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

static struct said_entry *slot(struct mtc_said *s, const char *key)
{
	size_t i = (size_t)hash(key) & (s->cap - 1);

	while (s->v[i].key && strcmp(s->v[i].key, key))
		i = (i + 1) & (s->cap - 1);
	return &s->v[i];
}

static int grow(struct mtc_said *s)
{
	struct said_entry *old = s->v;
	size_t old_cap = s->cap, cap = s->cap ? s->cap * 2 : 256;
	struct said_entry *v = calloc(cap, sizeof(*v));

	if (!v)
		return -ENOMEM;
	s->v = v;
	s->cap = cap;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].key)
			*slot(s, old[i].key) = old[i];
	free(old);
	return 0;
}

/* Note that @key (taken over) was said, by this unit when @mine. */
static int remember(struct mtc_said *s, char *key, bool mine)
{
	if ((s->n + 1) * 2 > s->cap && grow(s)) {
		free(key);
		return -ENOMEM;
	}
	struct said_entry *e = slot(s, key);

	if (e->key) {
		/* said twice (the file was removed while a unit ran): the unit's own claim wins */
		e->mine |= mine;
		free(key);
		return 0;
	}
	e->key = key;
	e->mine = mine;
	s->n++;
	return 0;
}

/* Tabs and line breaks would break the line format; they become spaces. */
static char *clean(const char *text, size_t len)
{
	char *out = malloc(len + 1);

	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i++)
		out[i] = text[i] == '\t' || text[i] == '\n' || text[i] == '\r' ? ' ' : text[i];
	out[len] = '\0';
	return out;
}

/* The complete lines of @buf, "KEY\tUNIT\n", into the table; a line without a tab is skipped. */
static int parse(struct mtc_said *s, const char *buf, size_t len, size_t *used)
{
	size_t at = 0;

	for (;;) {
		const char *nl = memchr(buf + at, '\n', len - at);

		if (!nl)
			break;
		size_t n = (size_t)(nl - (buf + at));
		const char *line = buf + at, *tab = NULL;

		for (size_t i = n; i-- > 0;)
			if (line[i] == '\t') {
				tab = line + i;
				break;
			}
		at += n + 1;
		if (!tab)
			continue;
		size_t klen = (size_t)(tab - line), ulen = n - klen - 1;
		char *key = malloc(klen + 1);

		if (!key)
			return -ENOMEM;
		memcpy(key, line, klen);
		key[klen] = '\0';
		int ret = remember(s, key, ulen == strlen(s->unit) && !memcmp(tab + 1, s->unit, ulen));

		if (ret)
			return ret;
	}
	*used = at;
	return 0;
}

/* Read the file from s->read_to to its end into the table; the caller holds a lock. */
static int catch_up(struct mtc_said *s, struct mtc_error *err)
{
	struct stat st;

	if (fstat(s->fd, &st))
		return mtc_error_set(err, -errno, "%s: %s", s->path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return mtc_error_set(err, -EINVAL, "%s: not a regular file", s->path);
	/* shorter than what was read: someone emptied it to start over */
	if (st.st_size < s->read_to)
		s->read_to = 0;
	size_t len = (size_t)(st.st_size - s->read_to), have = 0, used = 0;

	s->partial_tail = false;
	if (!len)
		return 0;
	char *buf = malloc(len);

	if (!buf)
		return mtc_error_set(err, -ENOMEM, "%s: out of memory", s->path);
	while (have < len) {
		ssize_t n = pread(s->fd, buf + have, len - have, s->read_to + (off_t)have);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			free(buf);
			return mtc_error_set(err, -e, "%s: %s", s->path, strerror(e));
		}
		if (!n)
			break;
		have += (size_t)n;
	}
	int ret = parse(s, buf, have, &used);

	free(buf);
	if (ret)
		return mtc_error_set(err, ret, "%s: out of memory", s->path);
	s->read_to += (off_t)used;
	s->partial_tail = used < have;
	return 0;
}

static int lock(int fd, int how)
{
	while (flock(fd, how))
		if (errno != EINTR)
			return -errno;
	return 0;
}

int mtc_said_open(const char *path, const char *unit, struct mtc_said **out,
		  struct mtc_error *err)
{
	struct mtc_said *s = calloc(1, sizeof(*s));
	int ret = 0;

	*out = NULL;
	if (!s)
		return mtc_error_set(err, -ENOMEM, "%s: out of memory", path);
	s->fd = -1;
	if (!(s->path = strdup(path)) || !(s->unit = clean(unit, strlen(unit)))) {
		ret = mtc_error_set(err, -ENOMEM, "%s: out of memory", path);
		goto fail;
	}
	s->fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC);
	if (s->fd < 0) {
		if (errno == ENOENT)
			goto done;	/* nothing said yet: the first claim creates it */
		ret = mtc_error_set(err, -errno, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if ((ret = lock(s->fd, LOCK_SH))) {
		mtc_error_set(err, ret, "%s: cannot lock: %s", path, strerror(-ret));
		goto fail;
	}
	ret = catch_up(s, err);
	flock(s->fd, LOCK_UN);
	if (ret)
		goto fail;
done:
	if (!s->cap && grow(s)) {
		ret = mtc_error_set(err, -ENOMEM, "%s: out of memory", path);
		goto fail;
	}
	*out = s;
	return 0;
fail:
	mtc_said_free(s);
	return ret;
}

/* mkdir of @path's directory (one level); 0 when it exists now. */
static int make_parent(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int ret = 0;

	if (!slash || slash == path || !(dir = strndup(path, (size_t)(slash - path))))
		return -1;
	if (mkdir(dir, 0777) && errno != EEXIST)
		ret = -1;
	free(dir);
	return ret;
}

int mtc_said_claim(struct mtc_said *s, const char *key, struct mtc_error *err)
{
	char *k = clean(key, strlen(key));
	struct said_entry *e;
	int ret;

	if (!k)
		return mtc_error_set(err, -ENOMEM, "%s: out of memory", s->path);
	e = slot(s, k);
	if (e->key) {
		free(k);
		return e->mine;
	}
	if (s->fd < 0) {
		s->fd = open(s->path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
		/* DIR/.said before any unit wrote its report: make DIR, as the report writer does */
		if (s->fd < 0 && errno == ENOENT && !make_parent(s->path))
			s->fd = open(s->path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
		if (s->fd < 0) {
			free(k);
			return mtc_error_set(err, -errno, "%s: %s", s->path, strerror(errno));
		}
	}
	/* another unit may have said it since this one read the file */
	if ((ret = lock(s->fd, LOCK_EX))) {
		free(k);
		return mtc_error_set(err, ret, "%s: cannot lock: %s", s->path, strerror(-ret));
	}
	if ((ret = catch_up(s, err)))
		goto out;
	e = slot(s, k);
	if (e->key) {
		ret = e->mine;
		goto out;
	}
	size_t klen = strlen(k), ulen = strlen(s->unit), nl = s->partial_tail;
	char *line = malloc(nl + klen + ulen + 2);

	if (!line) {
		ret = mtc_error_set(err, -ENOMEM, "%s: out of memory", s->path);
		goto out;
	}
	/* end a torn line first, so that it cannot swallow this one */
	line[0] = '\n';
	memcpy(line + nl, k, klen);
	line[nl + klen] = '\t';
	memcpy(line + nl + klen + 1, s->unit, ulen);
	line[nl + klen + ulen + 1] = '\n';
	ret = mtc_write_all(s->fd, line, nl + klen + ulen + 2, -1);
	free(line);
	if (ret) {
		mtc_error_set(err, ret, "%s: %s", s->path, strerror(-ret));
		goto out;
	}
	/* the line just written is read back by the next catch_up; this unit's own */
	if ((ret = remember(s, k, true))) {
		k = NULL;
		mtc_error_set(err, ret, "%s: out of memory", s->path);
		goto out;
	}
	k = NULL;
	ret = 1;
out:
	flock(s->fd, LOCK_UN);
	free(k);
	return ret;
}

void mtc_said_free(struct mtc_said *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->cap; i++)
		free(s->v[i].key);
	free(s->v);
	if (s->fd >= 0)
		close(s->fd);
	free(s->path);
	free(s->unit);
	free(s);
}
