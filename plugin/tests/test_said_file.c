// SPDX-License-Identifier: MIT
/*
 * Once per build (said_file.c): many compilers claim the same findings at
 * once, as the units of a `make -j` that include one header do, and each
 * finding must be said by exactly one of them; the unit that said it says
 * it again when recompiled, the others never; the file survives odd
 * content and says what is wrong with a path it cannot use.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "said_file.h"
#include "test_util.h"

enum { PROCS = 8, KEYS = 60 };

static char *unit_name(int i)
{
	return tu_printf("/src/unit%d.c", i);
}

static char *key_name(int k)
{
	return tu_printf("/src/include/h%d.h:MT002:union u%d:v:h[0],h[1]:x86_64-linux-gnu/64", k % 7, k);
}

/* One compilation: claim every key, in an order of its own; the keys it won, as bits. */
static int compile(const char *path, int unit, unsigned char won[KEYS])
{
	struct mtc_error err = { 0, "" };
	struct mtc_said *s;
	char *name = unit_name(unit);
	int ret = mtc_said_open(path, name, &s, &err);

	free(name);
	if (ret)
		return ret;
	for (int i = 0; i < KEYS; i++) {
		int k = (i * 7 + unit * 11) % KEYS;	/* 7 and KEYS share no factor: every key once */
		char *key = key_name(k);

		ret = mtc_said_claim(s, key, &err);
		free(key);
		if (ret < 0)
			break;
		won[k] = (unsigned char)ret;
		ret = 0;
	}
	mtc_said_free(s);
	return ret;
}

static void test_make_j(void **state)
{
	char *dir = tu_mkdtemp();
	char *path = tu_printf("%s/reports/.said", dir);	/* DIR/ not made yet */
	unsigned char (*won)[KEYS] = calloc(PROCS, KEYS);
	int fds[PROCS][2];
	pid_t pids[PROCS];

	(void)state;
	assert_non_null(won);
	for (int p = 0; p < PROCS; p++) {
		assert_int_equal(pipe(fds[p]), 0);
		pids[p] = fork();
		assert_true(pids[p] >= 0);
		if (!pids[p]) {
			unsigned char mine[KEYS] = { 0 };
			int ret = compile(path, p, mine);

			if (write(fds[p][1], mine, KEYS) != KEYS)
				_exit(3);
			_exit(ret ? 2 : 0);
		}
		close(fds[p][1]);
	}
	for (int p = 0; p < PROCS; p++) {
		int status;

		assert_int_equal(read(fds[p][0], won[p], KEYS), KEYS);
		close(fds[p][0]);
		assert_int_equal(waitpid(pids[p], &status, 0), pids[p]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	/* each key said by exactly one unit; the file has one line per key, naming that unit */
	int owner[KEYS];

	for (int k = 0; k < KEYS; k++) {
		int n = 0;

		for (int p = 0; p < PROCS; p++)
			if (won[p][k]) {
				n++;
				owner[k] = p;
			}
		assert_int_equal(n, 1);
	}
	FILE *f = fopen(path, "r");
	char line[512];
	int lines = 0;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char *tab = strchr(line, '\t');
		int k = -1, u = -1;

		assert_non_null(tab);
		assert_int_equal(sscanf(strstr(line, "union u"), "union u%d:", &k), 1);
		assert_int_equal(sscanf(tab + 1, "/src/unit%d.c\n", &u), 1);
		assert_int_equal(u, owner[k]);
		lines++;
	}
	fclose(f);
	assert_int_equal(lines, KEYS);

	/* recompiled, each unit says exactly the keys it said before */
	for (int p = 0; p < PROCS; p++) {
		unsigned char again[KEYS] = { 0 };

		assert_int_equal(compile(path, p, again), 0);
		assert_memory_equal(again, won[p], KEYS);
	}
	/* a new unit says nothing, and adds no line */
	unsigned char none[KEYS] = { 0 }, zero[KEYS] = { 0 };
	struct stat st0, st1;

	assert_int_equal(stat(path, &st0), 0);
	assert_int_equal(compile(path, PROCS, none), 0);
	assert_memory_equal(none, zero, KEYS);
	assert_int_equal(stat(path, &st1), 0);
	assert_int_equal(st1.st_size, st0.st_size);
	tu_rmtree(dir);
	free(path);
	free(dir);
	free(won);
}

/* Lines without a tab are skipped, tabs and line breaks in keys are spaces, an emptied file starts over. */
static void test_odd_content(void **state)
{
	char *dir = tu_mkdtemp();
	char *path = tu_write(dir, "said", "garbage without a tab\nk1\t/src/a.c\nk2\t/src/b.c\nhalf a li");
	struct mtc_error err = { 0, "" };
	struct mtc_said *a, *b;

	(void)state;
	assert_int_equal(mtc_said_open(path, "/src/a.c", &a, &err), 0);
	assert_int_equal(mtc_said_claim(a, "k1", &err), 1);	/* a's own */
	assert_int_equal(mtc_said_claim(a, "k2", &err), 0);	/* b's */
	assert_int_equal(mtc_said_claim(a, "garbage without a tab", &err), 1);
	assert_int_equal(mtc_said_claim(a, "with\ttab\nand newline", &err), 1);
	assert_int_equal(mtc_said_open(path, "/src/b.c", &b, &err), 0);
	assert_int_equal(mtc_said_claim(b, "with tab and newline", &err), 0);
	assert_int_equal(mtc_said_claim(b, "k2", &err), 1);
	/* emptied while b runs: b reads from the start again, and its own claim holds */
	assert_int_equal(truncate(path, 0), 0);
	assert_int_equal(mtc_said_claim(b, "k3", &err), 1);
	assert_int_equal(mtc_said_claim(b, "k2", &err), 1);
	mtc_said_free(a);
	mtc_said_free(b);
	assert_int_equal(mtc_said_open(path, "/src/c.c", &a, &err), 0);
	assert_int_equal(mtc_said_claim(a, "k3", &err), 0);
	assert_int_equal(mtc_said_claim(a, "k1", &err), 1);	/* forgotten with the old content */
	mtc_said_free(a);
	tu_rmtree(dir);
	free(path);
	free(dir);
}

/* A path that cannot be a said file is an error naming it, at open or at the first claim. */
static void test_errors(void **state)
{
	char *dir = tu_mkdtemp();
	char *missing = tu_printf("%s/no/such/dir/said", dir);
	struct mtc_error err = { 0, "" };
	struct mtc_said *s;
	char *want;

	(void)state;
	assert_int_equal(mtc_said_open(dir, "/src/a.c", &s, &err), -EISDIR);
	want = tu_printf("%s: %s", dir, strerror(EISDIR));
	assert_string_equal(err.message, want);
	free(want);
	assert_null(s);
	assert_int_equal(mtc_said_open(missing, "/src/a.c", &s, &err), 0);
	assert_int_equal(mtc_said_claim(s, "k", &err), -ENOENT);
	want = tu_printf("%s: %s", missing, strerror(ENOENT));
	assert_string_equal(err.message, want);
	free(want);
	mtc_said_free(s);
	tu_rmtree(dir);
	free(missing);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_make_j),
		cmocka_unit_test(test_odd_content),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
