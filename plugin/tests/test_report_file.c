// SPDX-License-Identifier: MIT
/*
 * The plugin's report files written by many compilers at once, as under
 * `make -j`: several processes, each with several threads, each thread a
 * compilation writing its unit twice (compiled, then recompiled with its
 * union renamed) into one shared JSON file and into a directory of
 * per-unit files.  The shared file must end with every unit's latest
 * findings, each once; the directory with one complete file per unit.
 *
 * cc1 is one thread, and the compilations of a build are processes, which
 * share nothing but the file: the flock() on it orders them, and neither
 * TSan nor any in-process tool sees that.  Threads are used as well so
 * that a ThreadSanitizer build (scripts/test) checks the writer for
 * process-wide state (statics, non-reentrant libc calls); flock() also
 * excludes two open file descriptions within one process.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report_file.h"
#include "test_util.h"

enum { PROCS = 4, THREADS = 4, UNITS = PROCS * THREADS };

static struct mtc_ruleset *rules;
static char *dir, *shared, *perunit;

/* Unit @i's findings in round @round: its own union and the shared header's. */
static struct mtc_findings *unit_findings(int i, int round, char *input, size_t size)
{
	struct mtc_analysis_conf conf = { .rules = rules };
	struct mtc_model *m = tu_model(&t_le64);
	struct mtc_findings *fs = mtc_findings_new();
	char name[64];

	snprintf(input, size, "/src/unit%d.c", i);
	mtc_model_set_input(m, input);
	snprintf(name, sizeof(name), "union own%d_v%d", i, round);
	tu_u64_halves(m, name);
	tu_u64_halves(m, "union shared");
	if (!fs || mtc_analyze(m, &conf, fs, NULL) != 2) {
		mtc_findings_free(fs);
		fs = NULL;
	}
	mtc_model_free(m);
	return fs;
}

struct writer {
	int unit;
	int failures;
	char message[sizeof(((struct mtc_error *)0)->message)];
};

/* One compilation of unit w->unit, twice; no cmocka here: it is not thread-safe. */
static void *compile_unit(void *arg)
{
	struct writer *w = arg;

	for (int round = 1; round <= 2; round++) {
		char input[64];
		struct mtc_findings *fs = unit_findings(w->unit, round, input, sizeof(input));
		const char *paths[2] = { shared, perunit };

		if (!fs) {
			w->failures++;
			continue;
		}
		for (int k = 0; k < 2; k++) {
			struct mtc_report_file rf = { paths[k], MTC_FORMAT_JSON, input, &t_le64, rules,
						      NULL, false };
			struct mtc_error err = { 0, "" };

			if (mtc_report_file_write(&rf, fs, &err)) {
				w->failures++;
				snprintf(w->message, sizeof(w->message), "%s", err.message);
			}
		}
		mtc_findings_free(fs);
	}
	return NULL;
}

/* A build job: THREADS compilations at once; exits with the number that failed. */
static void job(int p)
{
	struct writer w[THREADS];
	pthread_t th[THREADS];
	int failures = 0;

	for (int t = 0; t < THREADS; t++) {
		w[t] = (struct writer){ .unit = p * THREADS + t };
		if (pthread_create(&th[t], NULL, compile_unit, &w[t]))
			_exit(100);
	}
	for (int t = 0; t < THREADS; t++) {
		pthread_join(th[t], NULL);
		if (w[t].failures)
			fprintf(stderr, "unit%d: %s\n", w[t].unit, w[t].message);
		failures += w[t].failures;
	}
	exit(failures);
}

static void test_make_j(void **state)
{
	(void)state;
	pid_t pids[PROCS];
	struct mtc_error err = { 0, "" };

	rules = tu_rules();
	dir = tu_mkdtemp();
	shared = tu_printf("%s/mtcheck.json", dir);
	perunit = tu_printf("%s/reports/", dir);
	fflush(NULL);
	for (int p = 0; p < PROCS; p++) {
		pids[p] = fork();
		assert_true(pids[p] >= 0);
		if (!pids[p])
			job(p);
	}
	for (int p = 0; p < PROCS; p++) {
		int status;

		assert_int_equal(waitpid(pids[p], &status, 0), pids[p]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}

	/* the shared file: every unit's second round, the header's union once */
	struct mtc_findings *got = mtc_findings_new();

	assert_int_equal(mtc_report_read(shared, got, NULL, &err), UNITS + 1);
	mtc_findings_sort(got);
	int own[UNITS] = { 0 }, nr_shared = 0;

	for (size_t i = 0; i < mtc_findings_count(got); i++) {
		const char *rec = mtc_findings_at(got, i)->record;
		int unit, round;

		if (!strcmp(rec, "union shared"))
			nr_shared++;
		else if (sscanf(rec, "union own%d_v%d", &unit, &round) == 2 && unit >= 0 &&
			 unit < UNITS && round == 2)
			own[unit]++;
		else
			fail_msg("unexpected finding in %s: %s", shared, rec);
	}
	assert_int_equal(nr_shared, 1);
	for (int i = 0; i < UNITS; i++)
		assert_int_equal(own[i], 1);
	mtc_findings_free(got);

	/* the directory: one file per unit holding its second round, no temporary file */
	DIR *d = opendir(perunit);
	struct dirent *e;
	int files = 0;

	assert_non_null(d);
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *path = tu_printf("%s%s", perunit, e->d_name);
		struct mtc_findings *one = mtc_findings_new();
		int unit;

		assert_int_equal(sscanf(e->d_name, "unit%d.c.", &unit), 1);
		assert_string_equal(strrchr(e->d_name, '.'), ".json");
		assert_int_equal(mtc_report_read(path, one, NULL, &err), 2);
		mtc_findings_sort(one);
		char *want = tu_printf("union own%d_v2", unit);

		assert_true(!strcmp(mtc_findings_at(one, 0)->record, want) ||
			    !strcmp(mtc_findings_at(one, 1)->record, want));
		free(want);
		mtc_findings_free(one);
		free(path);
		files++;
	}
	closedir(d);
	assert_int_equal(files, UNITS);
	tu_rmtree(dir);
	free(dir);
	free(shared);
	free(perunit);
	mtc_ruleset_free(rules);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_make_j),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
