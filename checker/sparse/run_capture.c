// SPDX-License-Identifier: MIT
/*
 * posix_spawn with three pipes.  Standard input is filled and closed
 * before the child starts, so the parent never blocks writing to a child
 * that does not read (and never takes SIGPIPE); standard output and error
 * are drained together with poll() so that neither can fill up and stall
 * the child.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run_capture.h"

extern char **environ;

struct growbuf {
	char *buf;
	size_t len, cap;
};

static int grow_read(struct growbuf *b, int fd)
{
	if (b->cap - b->len < 4096) {
		size_t nc = b->cap ? b->cap * 2 : 65536;
		char *nb = realloc(b->buf, nc);

		if (!nb)
			return -ENOMEM;
		b->buf = nb;
		b->cap = nc;
	}
	ssize_t n = read(fd, b->buf + b->len, b->cap - b->len - 1);

	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 1 : -errno;
	b->len += (size_t)n;
	b->buf[b->len] = '\0';
	return n == 0 ? 0 : 1;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Read what @p's pipe has into @b; at its end, close it and count it off. */
static int drain(struct pollfd *p, struct growbuf *b, int *fd, int *open_fds)
{
	if (p->fd < 0 || !(p->revents & (POLLIN | POLLHUP | POLLERR)))
		return 0;
	int r = grow_read(b, p->fd);

	if (r < 0)
		return r;
	if (r == 0) {
		close_fd(fd);
		p->fd = -1;
		(*open_fds)--;
	}
	return 0;
}

int mts_run_capture(char *const argv[], const char *stdin_text, const char *what,
		    struct mts_capture *cap, struct mtc_error *err)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, errp[2] = { -1, -1 };
	struct growbuf b[2] = { { 0 }, { 0 } };	/* standard output, standard error */
	posix_spawn_file_actions_t fa;
	size_t text_len = stdin_text ? strlen(stdin_text) : 0;
	pid_t pid;
	int ret;

	memset(cap, 0, sizeof(*cap));
	if (text_len > 65536)
		return mtc_error_set(err, -E2BIG, "%s: standard input too large", what);
	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(errp, O_CLOEXEC)) {
		ret = mtc_error_set(err, -errno, "%s: cannot make a pipe: %s", what,
				    strerror(errno));
		goto out;
	}
	for (size_t done = 0; done < text_len;) {
		ssize_t n = write(in[1], stdin_text + done, text_len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = mtc_error_set(err, -errno, "%s: cannot write its input: %s", what,
					    strerror(errno));
			goto out;
		}
		done += (size_t)n;
	}
	close_fd(&in[1]);

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], STDIN_FILENO);
	posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, errp[1], STDERR_FILENO);
	ret = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close_fd(&in[0]);
	close_fd(&out[1]);
	close_fd(&errp[1]);
	if (ret) {
		ret = mtc_error_set(err, -ret, "%s: cannot run '%s': %s", what, argv[0],
				    strerror(ret));
		goto out;
	}

	struct pollfd pf[2] = { { .fd = out[0], .events = POLLIN },
				{ .fd = errp[0], .events = POLLIN } };
	int open_fds = 2;

	while (open_fds && !ret) {
		if (poll(pf, 2, -1) < 0) {
			if (errno != EINTR)
				ret = -errno;
			continue;
		}
		ret = drain(&pf[0], &b[0], &out[0], &open_fds);
		if (!ret)
			ret = drain(&pf[1], &b[1], &errp[0], &open_fds);
	}
	if (ret) {
		ret = mtc_error_set(err, ret, "%s: reading from '%s': %s", what, argv[0],
				    strerror(-ret));
		kill(pid, SIGKILL);	/* it would block on a full pipe otherwise */
	}

	int status;

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			if (!ret)
				ret = mtc_error_set(err, -errno, "%s: waiting for '%s': %s", what,
						    argv[0], strerror(errno));
			goto out;
		}
	}
	if (WIFEXITED(status)) {
		cap->exit_status = WEXITSTATUS(status);
	} else {
		cap->exit_status = -1;
		cap->term_signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	}
out:
	close_fd(&in[0]);
	close_fd(&in[1]);
	close_fd(&out[0]);
	close_fd(&out[1]);
	close_fd(&errp[0]);
	close_fd(&errp[1]);
	if (ret) {
		free(b[0].buf);
		free(b[1].buf);
		return ret;
	}
	/* empty outputs are "" rather than NULL, so callers need no checks */
	cap->out = b[0].buf ? b[0].buf : calloc(1, 1);
	cap->out_len = b[0].len;
	cap->err = b[1].buf ? b[1].buf : calloc(1, 1);
	cap->err_len = b[1].len;
	if (!cap->out || !cap->err) {
		mts_capture_release(cap);
		return mtc_error_set(err, -ENOMEM, "%s: out of memory", what);
	}
	return 0;
}

void mts_capture_release(struct mts_capture *cap)
{
	free(cap->out);
	free(cap->err);
	cap->out = cap->err = NULL;
	cap->out_len = cap->err_len = 0;
}
