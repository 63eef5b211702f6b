// SPDX-License-Identifier: MIT
/*
 * The library's promises to threads (mtcheck -j): several threads add to
 * one findings list, and fill one multi-target set, at once.  Each test
 * checks exact counts, and scripts/test runs them under ThreadSanitizer,
 * which fails on any race the interleaving shows.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

enum { THREADS = 8, SHARED = 64, OWN = 16 };

/* A model of @t holding one union u64_halves per name "union PREFIX<i>", i < @n. */
static struct mtc_model *halves_model(const struct mtc_target *t, const char *prefix, int n)
{
	struct mtc_model *m = tu_model(t);

	for (int i = 0; i < n; i++) {
		char name[64];

		snprintf(name, sizeof(name), "union %s%d", prefix, i);
		tu_u64_halves(m, name);
	}
	return m;
}

struct adder {
	struct mtc_findings *to;
	const struct mtc_findings *shared, *own;
	int start;		/* where in @shared this thread begins */
	int shared_added, own_added, errors;
};

static void *add_all(void *arg)
{
	struct adder *a = arg;

	/* the threads interleave their own findings with everyone's, each from its own offset */
	for (int k = 0; k < SHARED; k++) {
		int r = mtc_findings_add(a->to, mtc_finding_dup(mtc_findings_at(a->shared,
								     (size_t)((a->start + k) % SHARED))));

		a->shared_added += r > 0;
		a->errors += r < 0;
		if (k < OWN) {
			r = mtc_findings_add(a->to, mtc_finding_dup(mtc_findings_at(a->own, (size_t)k)));
			a->own_added += r > 0;
			a->errors += r < 0;
		}
	}
	return NULL;
}

/* mtc_findings_add from several threads: every finding once, none lost. */
static void test_findings_add_concurrent(void **state)
{
	(void)state;
	struct mtc_ruleset *rs = tu_rules();
	struct mtc_model *sm = halves_model(&t_le64, "shared", SHARED);
	struct mtc_findings *shared = tu_analyze(sm, rs, NULL, NULL, SHARED);
	struct mtc_findings *own[THREADS];
	struct mtc_findings *all = mtc_findings_new();
	struct adder a[THREADS];
	pthread_t th[THREADS];
	int shared_added = 0;

	assert_non_null(all);
	for (int i = 0; i < THREADS; i++) {
		char prefix[32];

		snprintf(prefix, sizeof(prefix), "own%d_", i);
		struct mtc_model *m = halves_model(&t_le64, prefix, OWN);

		own[i] = tu_analyze(m, rs, NULL, NULL, OWN);
		mtc_model_free(m);
		a[i] = (struct adder){ .to = all, .shared = shared, .own = own[i], .start = i * 8 };
	}
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, add_all, &a[i]), 0);
	for (int i = 0; i < THREADS; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(a[i].errors, 0);
		assert_int_equal(a[i].own_added, OWN);
		shared_added += a[i].shared_added;
	}
	/* each shared finding was new to exactly one thread */
	assert_int_equal(shared_added, SHARED);
	assert_int_equal(mtc_findings_count(all), SHARED + THREADS * OWN);
	mtc_findings_sort(all);
	for (size_t i = 1; i < mtc_findings_count(all); i++)
		assert_true(strcmp(mtc_findings_at(all, i - 1)->record,
				   mtc_findings_at(all, i)->record) != 0);
	for (int i = 0; i < THREADS; i++)
		mtc_findings_free(own[i]);
	mtc_findings_free(all);
	mtc_findings_free(shared);
	mtc_model_free(sm);
	mtc_ruleset_free(rs);
}

struct target_job {
	struct mtc_multi *mm;
	const struct mtc_ruleset *rs;
	size_t target;
	const struct mtc_target *t;
	int ret;
};

/* What mtcheck -j does for one source and one target. */
static void *analyse_target(void *arg)
{
	struct target_job *j = arg;
	struct mtc_analysis_conf conf = { .rules = j->rs };
	struct mtc_model *m = halves_model(j->t, "m", SHARED);

	j->ret = mtc_multi_add_records(j->mm, j->target, m);
	if (!j->ret)
		j->ret = mtc_analyze(m, &conf, mtc_multi_findings(j->mm, j->target), NULL);
	mtc_model_free(m);
	return NULL;
}

/* Sources laid out for two byte orders on several threads, then combined. */
static void test_multi_target_concurrent(void **state)
{
	(void)state;
	const struct mtc_target targets[2] = { t_le64, t_be64 };
	struct mtc_ruleset *rs = tu_rules();
	struct mtc_multi *mm = mtc_multi_new(targets, 2);
	struct mtc_findings *out = mtc_findings_new();
	struct target_job jobs[THREADS];
	pthread_t th[THREADS];
	struct mtc_error err = { 0 };
	int added[2] = { 0, 0 };

	assert_non_null(mm);
	assert_non_null(out);
	for (int i = 0; i < THREADS; i++) {
		jobs[i] = (struct target_job){ mm, rs, (size_t)(i % 2), &targets[i % 2], 0 };
		assert_int_equal(pthread_create(&th[i], NULL, analyse_target, &jobs[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_true(jobs[i].ret >= 0);
		added[i % 2] += jobs[i].ret;
	}
	/* four threads per target, the same unions: each finding once per target */
	assert_int_equal(added[0], SHARED);
	assert_int_equal(added[1], SHARED);
	assert_int_equal(mtc_multi_combine(mm, rs, NULL, out, &err), 0);
	assert_int_equal(mtc_findings_count(out), SHARED);
	for (size_t i = 0; i < SHARED; i++) {
		const struct mtc_finding *f = mtc_findings_at(out, i);

		assert_string_equal(f->rule_id, "MT002");
		assert_int_equal(f->nr_targets, 2);
	}
	mtc_findings_free(out);
	mtc_multi_free(mm);
	mtc_ruleset_free(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_findings_add_concurrent),
		cmocka_unit_test(test_multi_target_concurrent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
