// SPDX-License-Identifier: MIT
/*
 * The allow list of compile flags (compile_flags.c): what a GCC kernel
 * build's command keeps, what it drops and notes, what it leaves out
 * silently, and the target it names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_flags.h"
#include "test_util.h"

/* The list, space-separated, for one exact comparison. */
static char *joined(char **v, size_t n)
{
	size_t len = 1;

	for (size_t i = 0; i < n; i++)
		len += strlen(v[i]) + 1;
	char *s = calloc(len, 1);

	assert_non_null(s);
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, v[i]);
	}
	return s;
}

static void check(const char *const *argv, size_t argc, const char *args, const char *dropped,
		  const char *triple)
{
	struct mtc_compile_command c;

	assert_int_equal(mtc_compile_flags_filter(argv, argc, &c), 0);
	char *a = joined(c.args, c.nr_args), *d = joined(c.dropped, c.nr_dropped);

	assert_string_equal(a, args);
	assert_string_equal(d, dropped);
	if (triple)
		assert_string_equal(c.triple, triple);
	else
		assert_null(c.triple);
	free(a);
	free(d);
	mtc_compile_command_free(&c);
}

#define ARGC(v) (sizeof(v) / sizeof((v)[0]))

/* An x86_64 defconfig unit of Linux 6.1 built by GCC 12, abridged. */
static void test_kernel_command(void **state)
{
	static const char *const argv[] = {
		"gcc", "-Wp,-MMD,lib/.string.o.d", "-nostdinc", "-I./arch/x86/include",
		"-I", "./include", "-include", "./include/linux/kconfig.h", "-D__KERNEL__",
		"-fmacro-prefix-map=./=", "-Wall", "-Wundef", "-Werror=strict-prototypes",
		"-fno-strict-aliasing", "-fno-common", "-fshort-wchar", "-fno-PIE",
		"-std=gnu11", "-mno-sse", "-mno-mmx", "-mno-sse2", "-mno-3dnow", "-mno-avx",
		"-fcf-protection=none", "-m64", "-falign-jumps=1", "-falign-loops=1",
		"-mno-80387", "-mno-fp-ret-in-387", "-mpreferred-stack-boundary=3",
		"-mskip-rax-setup", "-mtune=generic", "-mno-red-zone", "-mcmodel=kernel",
		"-mindirect-branch=thunk-extern", "-mindirect-branch-register",
		"-mindirect-branch-cs-prefix", "-mfunction-return=thunk-extern",
		"-fno-jump-tables", "-fno-delete-null-pointer-checks", "-O2",
		"--param=allow-store-data-races=0", "-fstack-protector-strong",
		"-ftrivial-auto-var-init=zero", "-fzero-call-used-regs=used-gpr",
		"-fno-var-tracking-assignments", "-g", "-mrecord-mcount", "-mfentry",
		"-DCC_USING_FENTRY", "-fconserve-stack", "-fno-allow-store-data-races",
		"-Wno-maybe-uninitialized", "-fplugin=/usr/lib/mtcheck/mtcheck.so",
		"-fplugin-arg-mtcheck-json=/tmp/r/", "-DKBUILD_MODFILE=\"lib/string\"",
		"-DKBUILD_BASENAME=\"string\"", "-c", "-o", "lib/string.o", "lib/string.c",
	};

	(void)state;
	check(argv, ARGC(argv),
	      "-nostdinc -I./arch/x86/include -I ./include -include ./include/linux/kconfig.h "
	      "-D__KERNEL__ -fshort-wchar -fno-PIE -std=gnu11 -mno-sse -mno-mmx -mno-sse2 "
	      "-mno-3dnow -mno-avx -fcf-protection=none -m64 -mcmodel=kernel -O2 "
	      "-fstack-protector-strong -DCC_USING_FENTRY -DKBUILD_MODFILE=\"lib/string\" "
	      "-DKBUILD_BASENAME=\"string\"",
	      "-fmacro-prefix-map=./= -Wall -Wundef -Werror=strict-prototypes "
	      "-fno-strict-aliasing -fno-common -falign-jumps=1 -falign-loops=1 -mno-80387 "
	      "-mno-fp-ret-in-387 -mpreferred-stack-boundary=3 -mskip-rax-setup -mtune=generic "
	      "-mno-red-zone -mindirect-branch=thunk-extern -mindirect-branch-register "
	      "-mindirect-branch-cs-prefix -mfunction-return=thunk-extern -fno-jump-tables "
	      "-fno-delete-null-pointer-checks --param=allow-store-data-races=0 "
	      "-ftrivial-auto-var-init=zero -fzero-call-used-regs=used-gpr "
	      "-fno-var-tracking-assignments -g -mrecord-mcount -mfentry -fconserve-stack "
	      "-fno-allow-store-data-races -Wno-maybe-uninitialized "
	      "-fplugin=/usr/lib/mtcheck/mtcheck.so -fplugin-arg-mtcheck-json=/tmp/r/",
	      NULL);
}

/* Flags that change sizes, alignments or the target are all kept. */
static void test_layout_flags_kept(void **state)
{
	static const char *const argv[] = {
		"cc", "-fshort-enums", "-funsigned-char", "-fpack-struct=4", "-mx32",
		"-malign-double", "-mlong-double-128", "-fms-extensions", "-mms-bitfields",
		"-mabi=lp64", "-mbig-endian", "-EL", "-fno-signed-char", "-x", "c", "-U", "NDEBUG",
		"-imacros", "cfg.h", "-isystem", "sys", "-iquote", "q", "-idirafter", "late",
		"--sysroot=/sr", "--sysroot", "/sr2", "-isysroot", "/sr3", "-ffreestanding",
		"-march=z196", "-mcpu=power8", "a.c",
	};

	(void)state;
	check(argv, ARGC(argv),
	      "-fshort-enums -funsigned-char -fpack-struct=4 -mx32 -malign-double "
	      "-mlong-double-128 -fms-extensions -mms-bitfields -mabi=lp64 -mbig-endian -EL "
	      "-fno-signed-char -x c -U NDEBUG -imacros cfg.h -isystem sys -iquote q "
	      "-idirafter late --sysroot=/sr --sysroot /sr2 -isysroot /sr3 -ffreestanding "
	      "-march=z196 -mcpu=power8",
	      "", NULL);
	assert_true(mtc_compile_flag_sets_target("-m32"));
	assert_true(mtc_compile_flag_sets_target("-funsigned-char"));
	assert_true(mtc_compile_flag_sets_target("-mabi=n32"));
	assert_false(mtc_compile_flag_sets_target("-fshort-enums"));
	assert_false(mtc_compile_flag_sets_target("-DX"));
	assert_false(mtc_compile_flag_sets_target("-mcmodel=kernel"));
}

/*
 * A value given apart goes with its flag, kept or not: "-MF x.d" and
 * "--param n=1" do not leave x.d or n=1 behind as inputs, and a flag
 * named twice is noted once.
 */
static void test_separate_values(void **state)
{
	static const char *const argv[] = {
		"gcc", "-MD", "-MF", "x.d", "-MT", "x.o", "--param", "max-inline-insns=5", "-Xclang",
		"-fno-builtin", "-mllvm", "-x86-asm-syntax=intel", "-DA", "-D", "B=1", "-g", "-g",
		"-Wp,-DWP=1,-MD,-MF,x.d,-fdirectives-only,-Iwp", "-Wa,--noexecstack", "-pipe",
		"-c", "x.c", "-o", "x.o", "-I",
	};

	(void)state;
	check(argv, ARGC(argv), "-DA -D B=1 -DWP=1 -Iwp",
	      "--param -Xclang -mllvm -g -Wp,-fdirectives-only -Wa,--noexecstack", NULL);
}

/* The target: --target or -target (taken out), else the compiler's name. */
static void test_target(void **state)
{
	static const char *const gcc[] = { "/usr/bin/gcc", "-c", "a.c" };
	static const char *const gcc12[] = { "gcc-12", "-c", "a.c" };
	static const char *const cross[] = { "s390x-linux-gnu-gcc-12", "-m64", "-c", "a.c" };
	static const char *const ccache[] = { "ccache", "/usr/bin/powerpc64-linux-gnu-gcc", "a.c" };
	static const char *const clang[] = { "clang-14", "--target=mips-linux-gnu", "-EB", "a.c" };
	static const char *const clang2[] = { "clang", "-target", "riscv64-linux-gnu", "a.c" };
	static const char *const arm[] = { "arm-none-eabi-gcc", "-mthumb", "a.c" };
	static const char *const cc[] = { "x86_64-linux-gnu-cc", "a.c" };
	static const char *const notriple[] = { "my-gcc", "a.c" };

	(void)state;
	check(gcc, ARGC(gcc), "", "", NULL);
	check(gcc12, ARGC(gcc12), "", "", NULL);
	check(cross, ARGC(cross), "-m64", "", "s390x-linux-gnu");
	check(ccache, ARGC(ccache), "", "", "powerpc64-linux-gnu");
	check(clang, ARGC(clang), "-EB", "", "mips-linux-gnu");
	check(clang2, ARGC(clang2), "", "", "riscv64-linux-gnu");
	check(arm, ARGC(arm), "-mthumb", "", "arm-none-eabi");
	check(cc, ARGC(cc), "", "", "x86_64-linux-gnu");
	check(notriple, ARGC(notriple), "", "", NULL);
	check(NULL, 0, "", "", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kernel_command),
		cmocka_unit_test(test_layout_flags_kept),
		cmocka_unit_test(test_separate_values),
		cmocka_unit_test(test_target),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
