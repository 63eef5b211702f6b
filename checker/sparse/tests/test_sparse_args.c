// SPDX-License-Identifier: MIT
/*
 * Splitting a kernel build's checker command line: mtcheck's --mtcheck-*
 * options out, sparse's and GCC's options through to c2xml unchanged and
 * in order, the source files found even after options that take a value.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sparse_args.h"
#include "test_util.h"

#define ARGV(...) ((char *[]){ __VA_ARGS__ })
#define ARGC(...) ((int)(sizeof((char *[]){ __VA_ARGS__ }) / sizeof(char *)))
#define PARSE(o, err, ...) mts_parse_args(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), o, err)

static void assert_list(const char **got, size_t n, const char *const *want, size_t nwant)
{
	assert_int_equal(n, nwant);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(got[i], want[i]);
	assert_null(got[n]);
}

/* What the kernel's scripts/Makefile.build runs for C=1 on x86_64. */
static void test_kernel_command_line(void **state)
{
	struct mts_options o;
	struct mtc_error err = { 0 };
	static const char *const want_args[] = {
		"-D__linux__", "-Dlinux", "-D__STDC__", "-Dunix", "-D__unix__", "-Wbitwise",
		"-Wno-return-void", "-Wno-unknown-attribute", "-D__x86_64__", "--arch=x86_64",
		"-mlittle-endian", "-m64", "-Wp,-MMD,lib/.maple_tree.o.d", "-nostdinc",
		"-I", "./arch/x86/include", "-I./include", "-include",
		"./include/linux/compiler_types.h", "-D__KERNEL__", "-fno-strict-aliasing",
		"-mcmodel=kernel", "-mno-red-zone", "-fplugin=./scripts/gcc-plugins/stackleak_plugin.so",
		"-fplugin-arg-stackleak_plugin-track-min-size=100", "--param", "allow-store-data-races=0",
		"-DKBUILD_MODNAME=\"maple_tree\"", "-D", "__KBUILD_MODNAME=kmod_maple_tree",
		"-x", "c", "-o", "lib/maple_tree.o",
	};
	static const char *const want_inputs[] = { "lib/maple_tree.c" };

	(void)state;
	assert_int_equal(PARSE(&o, &err, "-D__linux__", "-Dlinux", "-D__STDC__", "-Dunix",
			       "-D__unix__", "-Wbitwise", "-Wno-return-void",
			       "-Wno-unknown-attribute", "-D__x86_64__", "--arch=x86_64",
			       "-mlittle-endian", "-m64", "--mtcheck-json=out.jsonl",
			       "-Wp,-MMD,lib/.maple_tree.o.d", "-nostdinc", "-I", "./arch/x86/include",
			       "-I./include", "-include", "./include/linux/compiler_types.h",
			       "-D__KERNEL__", "-fno-strict-aliasing", "-mcmodel=kernel",
			       "-mno-red-zone", "-fplugin=./scripts/gcc-plugins/stackleak_plugin.so",
			       "-fplugin-arg-stackleak_plugin-track-min-size=100", "--param",
			       "allow-store-data-races=0", "-DKBUILD_MODNAME=\"maple_tree\"", "-D",
			       "__KBUILD_MODNAME=kmod_maple_tree", "-x", "c", "-o",
			       "lib/maple_tree.o", "lib/maple_tree.c"), 0);
	assert_list(o.sparse_args, o.nr_sparse_args, want_args,
		    sizeof(want_args) / sizeof(want_args[0]));
	assert_list(o.inputs, o.nr_inputs, want_inputs, 1);
	assert_string_equal(o.json_path, "out.jsonl");
	assert_int_equal(o.fail_on, MTC_SEV_NONE);
	assert_int_equal(o.tabstop, 8);
	assert_null(o.diag_prefix);
	assert_false(o.quiet || o.help || o.version);
	mts_options_release(&o);
}

static void test_value_options(void **state)
{
	static const char *const takes[] = {
		"-D", "-U", "-I", "-include", "-imacros", "-isystem", "-idirafter", "-o",
		"-MF", "-MT", "-MQ", "-x", "--param", "-gcc-base-dir", "-multiarch-dir", "-G",
	};
	static const char *const alone[] = {
		"-DX", "-I.", "-isystem/usr/include", "-o/dev/null", "-MD", "-c", "-E",
		"-iquote", "-m64", "-fplugin-arg-x-y", "--arch=s390x", "-Wsparse-all",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(takes) / sizeof(takes[0]); i++)
		assert_true(mts_option_takes_value(takes[i]));
	for (size_t i = 0; i < sizeof(alone) / sizeof(alone[0]); i++)
		assert_false(mts_option_takes_value(alone[i]));
}

static void test_mtcheck_options(void **state)
{
	struct mts_options o;
	struct mtc_error err = { 0 };
	static const char *const want_args[] = { "-ftabstop=4", "-fdiagnostic-prefix=sparse" };
	static const char *const want_inputs[] = { "a.c", "b.c" };

	(void)state;
	assert_int_equal(PARSE(&o, &err, "--mtcheck-fail-on=warning", "a.c",
			       "--mtcheck-config=cfg.yaml", "--mtcheck-rules=r1", "--mtcheck-rules=r2",
			       "--mtcheck-disable=MT004", "--mtcheck-enable=MT004,MT001",
			       "--mtcheck-quiet", "--mtcheck-c2xml=/opt/sparse/bin/c2xml",
			       "-ftabstop=4", "-fdiagnostic-prefix=sparse", "b.c"), 0);
	assert_list(o.sparse_args, o.nr_sparse_args, want_args, 2);
	assert_list(o.inputs, o.nr_inputs, want_inputs, 2);
	assert_int_equal(o.fail_on, MTC_SEV_WARNING);
	assert_string_equal(o.config_path, "cfg.yaml");
	assert_int_equal(o.nr_rules_paths, 2);
	assert_string_equal(o.rules_paths[1], "r2");
	assert_int_equal(o.nr_switches, 2);
	assert_string_equal(o.switches[0].ids, "MT004");
	assert_false(o.switches[0].enable);
	assert_string_equal(o.switches[1].ids, "MT004,MT001");
	assert_true(o.switches[1].enable);
	assert_true(o.quiet);
	assert_string_equal(o.c2xml, "/opt/sparse/bin/c2xml");
	assert_int_equal(o.tabstop, 4);
	assert_string_equal(o.diag_prefix, "sparse");
	mts_options_release(&o);

	/* sparse's bare -fdiagnostic-prefix; a bad tabstop leaves sparse's default */
	assert_int_equal(PARSE(&o, &err, "-fdiagnostic-prefix", "-ftabstop=0", "-", "x.c"), 0);
	assert_string_equal(o.diag_prefix, "mtcheck");
	assert_int_equal(o.tabstop, 8);
	assert_int_equal(o.nr_inputs, 2);
	assert_string_equal(o.inputs[0], "-");
	mts_options_release(&o);

	assert_int_equal(PARSE(&o, &err, "--version"), 0);
	assert_true(o.version);
	mts_options_release(&o);
	assert_int_equal(PARSE(&o, &err, "--help"), 0);
	assert_true(o.help);
	mts_options_release(&o);
}

static void test_bad_mtcheck_options(void **state)
{
	static const struct {
		const char *arg, *message;
	} cases[] = {
		{ "--mtcheck-fail-on=often", "--mtcheck-fail-on: 'often' is not note, warning or error" },
		{ "--mtcheck-fail-on=off", "--mtcheck-fail-on: 'off' is not note, warning or error" },
		{ "--mtcheck-json=", "--mtcheck-json needs a file name" },
		{ "--mtcheck-c2xml=", "--mtcheck-c2xml needs a program" },
		{ "--mtcheck-jsn=x", "unknown option '--mtcheck-jsn=x' (--mtcheck-help lists mtcheck's options)" },
		{ "--mtcheck-quiet=yes", "unknown option '--mtcheck-quiet=yes' (--mtcheck-help lists mtcheck's options)" },
		{ "-E", "-E: mtcheck-sparse lays declarations out; it cannot only preprocess" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mts_options o;
		struct mtc_error err = { 0 };
		char *argv[] = { "a.c", (char *)cases[i].arg };

		assert_int_equal(mts_parse_args(2, argv, &o, &err), -EINVAL);
		assert_string_equal(err.message, cases[i].message);
		assert_null(o.sparse_args);
		assert_null(o.inputs);
	}
}

static void test_too_many(void **state)
{
	char *argv[MTS_MAX_SWITCHES + 1];
	struct mts_options o;
	struct mtc_error err = { 0 };

	(void)state;
	for (int i = 0; i <= MTS_MAX_SWITCHES; i++)
		argv[i] = "--mtcheck-disable=MT004";
	assert_int_equal(mts_parse_args(MTS_MAX_SWITCHES, argv, &o, &err), 0);
	mts_options_release(&o);
	assert_int_equal(mts_parse_args(MTS_MAX_SWITCHES + 1, argv, &o, &err), -EINVAL);
	assert_string_equal(err.message, "--mtcheck-disable=MT004: given more than 32 times");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kernel_command_line),
		cmocka_unit_test(test_value_options),
		cmocka_unit_test(test_mtcheck_options),
		cmocka_unit_test(test_bad_mtcheck_options),
		cmocka_unit_test(test_too_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
