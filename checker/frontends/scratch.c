// SPDX-License-Identifier: MIT
/*
 * The BTF front end's scratch space for pahole: a private temporary
 * directory holding pahole's BTF and its standard error, and the pahole
 * child itself.  Interrupted (SIGINT, SIGTERM, SIGHUP), mtcheck must leave
 * neither behind: the handler kills the child's process group, removes the
 * files, puts back the disposition the signal had and raises it again, so
 * the process ends the way it would have without mtcheck's handler.
 *
 * The handlers are installed only while a scratch directory exists and
 * the previous ones are restored when the last one goes: a library does not
 * keep hold of its host's signals.  A signal the host ignores stays ignored.
 *
 * Several analysis threads may run pahole at once, so each run has a slot.
 * Slots are never freed (a handler on another thread may be reading one);
 * a finished slot is reused by the next run.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "frontend_internal.h"
#include "run_capture.h"

#define MAX_SLOTS 1024		/* mtcheck --jobs is at most 1024 */

enum { SLOT_FREE, SLOT_CLAIMED, SLOT_ARMED };

struct mtc_scratch {
	atomic_int state;
	atomic_int pid;		/* the child's, its process group's too; 0 when none */
	char dir[4096];
	char btf[4200];
	char err[4200];
};

static _Atomic(struct mtc_scratch *) slots[MAX_SLOTS];

static const int caught[] = { SIGINT, SIGTERM, SIGHUP };
#define NR_CAUGHT (sizeof(caught) / sizeof(caught[0]))

static pthread_mutex_t handlers_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned handlers_users;
static struct sigaction saved[NR_CAUGHT];
static bool installed[NR_CAUGHT];

static void clean_slot(struct mtc_scratch *s)
{
	pid_t pid = atomic_exchange(&s->pid, 0);

	if (pid > 0) {
		kill(-pid, SIGKILL);
		/* reaped, so that it writes nothing more into the directory */
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	unlink(s->btf);
	unlink(s->err);
	rmdir(s->dir);
}

/* Async-signal-safe: kill, waitpid, unlink, rmdir, sigaction, raise. */
static void on_signal(int sig)
{
	int saved_errno = errno;

	for (size_t i = 0; i < MAX_SLOTS; i++) {
		struct mtc_scratch *s = atomic_load(&slots[i]);

		if (!s)
			break;
		if (atomic_load(&s->state) == SLOT_ARMED)
			clean_slot(s);
	}
	for (size_t i = 0; i < NR_CAUGHT; i++)
		if (caught[i] == sig && installed[i])
			sigaction(sig, &saved[i], NULL);
	/* blocked until the handler returns, then delivered as before */
	raise(sig);
	errno = saved_errno;
}

static void handlers_get(void)
{
	pthread_mutex_lock(&handlers_lock);
	if (handlers_users++ == 0) {
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		for (size_t i = 0; i < NR_CAUGHT; i++)
			sigaddset(&sa.sa_mask, caught[i]);
		for (size_t i = 0; i < NR_CAUGHT; i++) {
			installed[i] = false;
			if (sigaction(caught[i], NULL, &saved[i]) ||
			    saved[i].sa_handler == SIG_IGN)
				continue;
			installed[i] = !sigaction(caught[i], &sa, NULL);
		}
	}
	pthread_mutex_unlock(&handlers_lock);
}

static void handlers_put(void)
{
	pthread_mutex_lock(&handlers_lock);
	if (--handlers_users == 0)
		for (size_t i = 0; i < NR_CAUGHT; i++)
			if (installed[i]) {
				sigaction(caught[i], &saved[i], NULL);
				installed[i] = false;
			}
	pthread_mutex_unlock(&handlers_lock);
}

static void block_caught(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	for (size_t i = 0; i < NR_CAUGHT; i++)
		sigaddset(&set, caught[i]);
	pthread_sigmask(SIG_BLOCK, &set, old);
}

static struct mtc_scratch *claim_slot(void)
{
	for (size_t i = 0; i < MAX_SLOTS; i++) {
		struct mtc_scratch *s = atomic_load(&slots[i]);

		if (!s) {
			struct mtc_scratch *n = calloc(1, sizeof(*n)), *expect = NULL;

			if (!n)
				return NULL;
			atomic_init(&n->state, SLOT_CLAIMED);
			atomic_init(&n->pid, 0);
			if (atomic_compare_exchange_strong(&slots[i], &expect, n))
				return n;
			free(n);
			s = expect;
		}
		int f = SLOT_FREE;

		if (atomic_compare_exchange_strong(&s->state, &f, SLOT_CLAIMED))
			return s;
	}
	return NULL;
}

struct mtc_scratch *mtc_scratch_new(const char *input, const char *base, struct mtc_error *err)
{
	struct mtc_scratch *s = claim_slot();
	sigset_t old;

	if (!s) {
		mtc_error_set(err, -ENOMEM, "%s: out of memory", input);
		return NULL;
	}
	if (!base || !*base)
		base = "/tmp";
	snprintf(s->dir, sizeof(s->dir), "%s/mtcheck.XXXXXX", base);
	handlers_get();
	/* no signal between making the directory and arming the slot */
	block_caught(&old);
	if (!mkdtemp(s->dir)) {
		int e = errno;

		pthread_sigmask(SIG_SETMASK, &old, NULL);
		handlers_put();
		atomic_store(&s->state, SLOT_FREE);
		mtc_error_set(err, -e, "%s: cannot make a temporary directory in %s: %s", input,
			      base, strerror(e));
		return NULL;
	}
	snprintf(s->btf, sizeof(s->btf), "%s/btf", s->dir);
	snprintf(s->err, sizeof(s->err), "%s/stderr", s->dir);
	atomic_store(&s->state, SLOT_ARMED);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return s;
}

const char *mtc_scratch_btf(const struct mtc_scratch *s)
{
	return s->btf;
}

const char *mtc_scratch_stderr(const struct mtc_scratch *s)
{
	return s->err;
}

int mtc_scratch_spawn(struct mtc_scratch *s, char *const argv[], pid_t *pid)
{
	sigset_t dfl, old;
	int ret;

	sigemptyset(&dfl);
	for (size_t i = 0; i < NR_CAUGHT; i++)
		sigaddset(&dfl, caught[i]);
	/* no input or output; errors to a file; its own process group, so that a kill reaches whatever it starts */
	struct mtc_spawn sp = {
		.fd = { -1, -1, -1 }, .path = { NULL, NULL, s->err }, .own_group = true, .defaults = &dfl,
	};

	/* the child is known to the handler before a signal can be taken */
	block_caught(&old);
	ret = mtc_spawn(argv, &sp, pid);
	if (!ret)
		atomic_store(&s->pid, *pid);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return ret;
}

int mtc_scratch_wait(struct mtc_scratch *s, pid_t pid, int *status)
{
	int ret = mtc_spawn_wait(pid, status);

	atomic_store(&s->pid, 0);
	return ret;
}

void mtc_scratch_free(struct mtc_scratch *s)
{
	sigset_t old;

	if (!s)
		return;
	block_caught(&old);
	clean_slot(s);
	atomic_store(&s->state, SLOT_FREE);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	handlers_put();
}
