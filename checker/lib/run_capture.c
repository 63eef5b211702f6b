// SPDX-License-Identifier: MIT
/*
 * Child processes: mtc_spawn() starts one (posix_spawn, no shell) for
 * every caller, and mtc_run_capture() runs one with three pipes.  Standard input is filled and closed
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
#include "strbuf.h"

extern char **environ;

/* Read what @fd has into @b: 1 while it is open, 0 at its end, or -errno. */
static int grow_read(struct strbuf *b, int fd)
{
	char chunk[65536];
	ssize_t n = read(fd, chunk, sizeof(chunk));

	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 1 : -errno;
	sb_addn(b, chunk, (size_t)n);
	if (b->oom)
		return -ENOMEM;
	return n == 0 ? 0 : 1;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Read what @p's pipe has into @b; at its end, close it and count it off. */
static int drain(struct pollfd *p, struct strbuf *b, int *fd, int *open_fds)
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

int mtc_spawn(char *const argv[], const struct mtc_spawn *sp, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	short flags = 0;
	sigset_t none;
	int ret;

	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	for (int i = 0; i < 3; i++) {
		if (sp->fd[i] >= 0)
			posix_spawn_file_actions_adddup2(&fa, sp->fd[i], i);
		else
			posix_spawn_file_actions_addopen(&fa, i, sp->path[i] ? sp->path[i] : "/dev/null",
							 i ? O_WRONLY | O_CREAT | O_TRUNC : O_RDONLY,
							 0600);
	}
	if (sp->own_group) {
		posix_spawnattr_setpgroup(&attr, 0);
		flags |= POSIX_SPAWN_SETPGROUP;
	}
	if (sp->defaults) {
		sigemptyset(&none);
		posix_spawnattr_setsigmask(&attr, &none);
		posix_spawnattr_setsigdefault(&attr, sp->defaults);
		flags |= POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
	}
	posix_spawnattr_setflags(&attr, flags);
	ret = posix_spawnp(pid, argv[0], &fa, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	return ret;
}

int mtc_spawn_wait(pid_t pid, int *status)
{
	while (waitpid(pid, status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return 0;
}

int mtc_run_capture(char *const argv[], const char *stdin_text, const char *what,
		    struct mtc_capture *cap, struct mtc_error *err)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, errp[2] = { -1, -1 };
	struct strbuf b[2];	/* standard output, standard error */
	size_t text_len = stdin_text ? strlen(stdin_text) : 0;
	pid_t pid;
	int ret;

	memset(cap, 0, sizeof(*cap));
	sb_init(&b[0]);
	sb_init(&b[1]);
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

	struct mtc_spawn sp = { .fd = { in[0], out[1], errp[1] } };

	ret = mtc_spawn(argv, &sp, &pid);
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

	int status, wret = mtc_spawn_wait(pid, &status);

	if (wret) {
		if (!ret)
			ret = mtc_error_set(err, wret, "%s: waiting for '%s': %s", what, argv[0],
					    strerror(-wret));
		goto out;
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
		sb_free(&b[0]);
		sb_free(&b[1]);
		return ret;
	}
	/* empty outputs are "" rather than NULL, so callers need no checks */
	cap->out_len = b[0].len;
	cap->err_len = b[1].len;
	cap->out = sb_detach(&b[0]);
	cap->err = sb_detach(&b[1]);
	if (!cap->out || !cap->err) {
		mtc_capture_release(cap);
		return mtc_error_set(err, -ENOMEM, "%s: out of memory", what);
	}
	return 0;
}

void mtc_capture_release(struct mtc_capture *cap)
{
	free(cap->out);
	free(cap->err);
	cap->out = cap->err = NULL;
	cap->out_len = cap->err_len = 0;
}
