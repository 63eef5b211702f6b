/* SPDX-License-Identifier: MIT */
#ifndef MAPLE_CMOCKA_LITE_H
#define MAPLE_CMOCKA_LITE_H
/*
 * The part of cmocka's API the engine tests use, for targets that have no
 * cmocka (Debian ships it for amd64 and i386 only, and only as a shared
 * library): the cross matrix builds the same test sources statically for
 * s390x, ppc64, sparc64 and mips and runs them under qemu-user.
 *
 * Semantics follow cmocka 1.1: a failed assertion prints the file, line and
 * values and ends the current test (longjmp), the teardown still runs, the
 * next test starts, and cmocka_run_group_tests() returns the number of
 * failed tests.  Only used when configured with MAPLE_CMOCKA_LITE=ON.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef void (*CMUnitTestFunction)(void **state);
typedef int (*CMFixtureFunction)(void **state);

struct CMUnitTest {
	const char *name;
	CMUnitTestFunction test_func;
	CMFixtureFunction setup_func;
	CMFixtureFunction teardown_func;
	void *initial_state;
};

#define cmocka_unit_test(f)	{ #f, f, NULL, NULL, NULL }
#define cmocka_unit_test_setup(f, setup)	{ #f, f, setup, NULL, NULL }
#define cmocka_unit_test_teardown(f, teardown)	{ #f, f, NULL, teardown, NULL }
#define cmocka_unit_test_setup_teardown(f, setup, teardown) \
	{ #f, f, setup, teardown, NULL }

static jmp_buf cmocka_lite_jmp;
static int cmocka_lite_running;
/* Static, not local: a longjmp out of the test must not lose it. */
static void *cmocka_lite_state;

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static inline void print_message(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

#if defined(__GNUC__)
__attribute__((noreturn, format(printf, 3, 4)))
#endif
static inline void cmocka_lite_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s:%d: error: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (cmocka_lite_running)
		longjmp(cmocka_lite_jmp, 1);
	abort();
}

#define fail()	cmocka_lite_fail(__FILE__, __LINE__, "fail()")
#define fail_msg(...)	cmocka_lite_fail(__FILE__, __LINE__, __VA_ARGS__)

#define assert_true(c) do {						\
	if (!(c))							\
		cmocka_lite_fail(__FILE__, __LINE__, "%s is not true", #c); \
} while (0)
#define assert_false(c) do {						\
	if (c)								\
		cmocka_lite_fail(__FILE__, __LINE__, "%s is not false", #c); \
} while (0)
#define assert_int_equal(a, b) do {					\
	uintmax_t cl_a_ = (uintmax_t)(a), cl_b_ = (uintmax_t)(b);	\
	if (cl_a_ != cl_b_)						\
		cmocka_lite_fail(__FILE__, __LINE__, "%#" PRIxMAX " != %#" PRIxMAX \
				 " (%s != %s)", cl_a_, cl_b_, #a, #b);	\
} while (0)
#define assert_int_not_equal(a, b) do {					\
	uintmax_t cl_a_ = (uintmax_t)(a), cl_b_ = (uintmax_t)(b);	\
	if (cl_a_ == cl_b_)						\
		cmocka_lite_fail(__FILE__, __LINE__, "%#" PRIxMAX " == %#" PRIxMAX \
				 " (%s == %s)", cl_a_, cl_b_, #a, #b);	\
} while (0)
#define assert_ptr_equal(a, b) do {					\
	const void *cl_a_ = (const void *)(a), *cl_b_ = (const void *)(b); \
	if (cl_a_ != cl_b_)						\
		cmocka_lite_fail(__FILE__, __LINE__, "%p != %p (%s != %s)", \
				 cl_a_, cl_b_, #a, #b);			\
} while (0)
#define assert_ptr_not_equal(a, b) do {					\
	const void *cl_a_ = (const void *)(a), *cl_b_ = (const void *)(b); \
	if (cl_a_ == cl_b_)						\
		cmocka_lite_fail(__FILE__, __LINE__, "%p == %p (%s == %s)", \
				 cl_a_, cl_b_, #a, #b);			\
} while (0)
#define assert_null(p)		assert_ptr_equal((p), NULL)
#define assert_non_null(p) do {						\
	if ((const void *)(p) == NULL)					\
		cmocka_lite_fail(__FILE__, __LINE__, "%s is NULL", #p);	\
} while (0)

/* One test; its own frame, so only @ok lives across the longjmp. */
static inline int cmocka_lite_run_one(const struct CMUnitTest *t, void *group_state)
{
	volatile int ok = 1;

	printf("[ RUN      ] %s\n", t->name);
	fflush(stdout);
	cmocka_lite_state = t->initial_state ? t->initial_state : group_state;
	if (t->setup_func && t->setup_func(&cmocka_lite_state)) {
		printf("[  ERROR   ] %s: setup failed\n", t->name);
		return 0;
	}
	cmocka_lite_running = 1;
	if (setjmp(cmocka_lite_jmp) == 0)
		t->test_func(&cmocka_lite_state);
	else
		ok = 0;
	cmocka_lite_running = 0;
	if (t->teardown_func && t->teardown_func(&cmocka_lite_state))
		ok = 0;
	printf(ok ? "[       OK ] %s\n" : "[  FAILED  ] %s\n", t->name);
	return ok;
}

static inline int cmocka_lite_run(const char *group, const struct CMUnitTest *tests,
				  size_t n, CMFixtureFunction setup,
				  CMFixtureFunction teardown)
{
	void *group_state = NULL;
	size_t i, failed = 0;

	printf("[==========] %s: Running %zu test(s).\n", group, n);
	if (setup && setup(&group_state)) {
		printf("[  ERROR   ] %s: group setup failed\n", group);
		return (int)n;
	}
	for (i = 0; i < n; i++)
		if (!cmocka_lite_run_one(&tests[i], group_state))
			failed++;
	if (teardown && teardown(&group_state))
		failed++;
	printf("[==========] %s: %zu test(s) run.\n", group, n);
	if (failed)
		printf("[  FAILED  ] %zu test(s).\n", failed);
	else
		printf("[  PASSED  ] %zu test(s).\n", n);
	fflush(stdout);
	return (int)failed;
}

#define cmocka_run_group_tests(tests, setup, teardown)			\
	cmocka_lite_run(#tests, tests, sizeof(tests) / sizeof((tests)[0]), \
			setup, teardown)

#endif /* MAPLE_CMOCKA_LITE_H */
