// SPDX-License-Identifier: MIT
/*
 * The flags of a build's compile command that the source front end gives
 * to clang.
 *
 * A compile database records what the build's compiler was told, and most
 * of that is about code generation: a GCC kernel build passes dozens of
 * flags (-fzero-call-used-regs, -mindirect-branch=thunk-extern,
 * --param=..., -fplugin=...) that clang rejects or does not know, and none
 * of them changes where a member lies.  What layout depends on is the
 * preprocessed text (macros, include paths, the language standard), the
 * target (pointer width, byte order, char signedness) and a handful of
 * flags that change the sizes or alignments of types.  So this is an allow
 * list: those flags are kept, every other one is left out and named once
 * in a note.  A flag missing here costs a macro or a layout option, which
 * the note makes visible; a flag kept by mistake could fail every file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "compile_flags.h"

/* How a flag's value is spelled. */
enum flag_form {
	FLAG_EXACT,		/* -m32: the whole argument */
	FLAG_JOINED,		/* -std=gnu11, -O2: the name starts the argument */
	FLAG_JOINED_OR_SEP,	/* -DX or -D X */
	FLAG_SEP,		/* -target X: the value is the next argument */
};

/* What is done with a flag. */
enum flag_use {
	USE_KEEP,		/* changes preprocessing or layout: given to clang */
	USE_TARGET,		/* changes what the target is: given to clang and its probe */
	USE_OUTPUT,		/* names the build's outputs: left out, not noted */
	USE_DROP,		/* left out and noted (flags that take a separate value) */
};

struct flag_rule {
	const char *name;
	enum flag_form form;
	enum flag_use use;
};

/*
 * The allow list, and the few other flags whose spelling matters (outputs,
 * and dropped flags that take their value as the next argument, so that
 * the value is not mistaken for an input).  Looked up in order; the first
 * match wins.  Anything not listed is dropped and noted.
 */
static const struct flag_rule flag_rules[] = {
	/* --- preprocessing: macros and the headers found --- */
	{ "-D", FLAG_JOINED_OR_SEP, USE_KEEP },		/* macros: configuration, __KERNEL__ */
	{ "-U", FLAG_JOINED_OR_SEP, USE_KEEP },		/* macros taken away */
	{ "-I", FLAG_JOINED_OR_SEP, USE_KEEP },		/* where headers are found */
	{ "-isystem", FLAG_JOINED_OR_SEP, USE_KEEP },	/* headers, as system headers */
	{ "-iquote", FLAG_JOINED_OR_SEP, USE_KEEP },	/* headers for #include "..." */
	{ "-idirafter", FLAG_JOINED_OR_SEP, USE_KEEP },	/* headers, searched last */
	{ "-iprefix", FLAG_JOINED_OR_SEP, USE_KEEP },	/* prefix for -iwithprefix */
	{ "-iwithprefixbefore", FLAG_JOINED_OR_SEP, USE_KEEP }, /* headers under -iprefix */
	{ "-iwithprefix", FLAG_JOINED_OR_SEP, USE_KEEP },	/* the same, searched after -I */
	{ "-isysroot", FLAG_JOINED_OR_SEP, USE_KEEP },	/* root of the system headers */
	{ "--sysroot=", FLAG_JOINED, USE_KEEP },	/* root of the system headers */
	{ "--sysroot", FLAG_SEP, USE_KEEP },		/* the same, value apart */
	{ "-include", FLAG_JOINED_OR_SEP, USE_KEEP },	/* a header read first (kconfig.h) */
	{ "-imacros", FLAG_JOINED_OR_SEP, USE_KEEP },	/* a header read for its macros */
	{ "-nostdinc", FLAG_EXACT, USE_KEEP },		/* no system include directories */
	{ "-undef", FLAG_EXACT, USE_KEEP },		/* no predefined system macros */
	{ "-trigraphs", FLAG_EXACT, USE_KEEP },		/* how the text is read */
	{ "-fdollars-in-identifiers", FLAG_EXACT, USE_KEEP },	/* how names are read */
	{ "-fno-dollars-in-identifiers", FLAG_EXACT, USE_KEEP },
	{ "-x", FLAG_JOINED_OR_SEP, USE_KEEP },		/* the language of the source */
	{ "-std=", FLAG_JOINED, USE_KEEP },		/* keywords, __STDC_VERSION__ */
	{ "-ansi", FLAG_EXACT, USE_KEEP },		/* the same, and __STRICT_ANSI__ */
	/* -O defines __OPTIMIZE__ and __OPTIMIZE_SIZE__, which headers test */
	{ "-O", FLAG_JOINED, USE_KEEP },
	{ "-fno-inline", FLAG_EXACT, USE_KEEP },	/* __NO_INLINE__ */
	{ "-fgnu89-inline", FLAG_EXACT, USE_KEEP },	/* __GNUC_GNU_INLINE__ */
	{ "-fno-gnu89-inline", FLAG_EXACT, USE_KEEP },	/* __GNUC_STDC_INLINE__ */
	{ "-ffreestanding", FLAG_EXACT, USE_KEEP },	/* __STDC_HOSTED__, <stdint.h> */
	{ "-fhosted", FLAG_EXACT, USE_KEEP },		/* the same, undone */
	{ "-pthread", FLAG_EXACT, USE_KEEP },		/* _REENTRANT */
	{ "-fopenmp", FLAG_EXACT, USE_KEEP },		/* _OPENMP */
	{ "-fexceptions", FLAG_EXACT, USE_KEEP },	/* __EXCEPTIONS (glibc's cleanup) */
	{ "-fno-exceptions", FLAG_EXACT, USE_KEEP },
	{ "-ffast-math", FLAG_EXACT, USE_KEEP },	/* __FAST_MATH__ */
	{ "-fno-fast-math", FLAG_EXACT, USE_KEEP },
	{ "-ffinite-math-only", FLAG_EXACT, USE_KEEP },	/* __FINITE_MATH_ONLY__ */
	{ "-fno-finite-math-only", FLAG_EXACT, USE_KEEP },
	/* __pic__, __PIC__, __pie__, __PIE__ */
	{ "-fpic", FLAG_EXACT, USE_KEEP },
	{ "-fPIC", FLAG_EXACT, USE_KEEP },
	{ "-fpie", FLAG_EXACT, USE_KEEP },
	{ "-fPIE", FLAG_EXACT, USE_KEEP },
	{ "-fno-pic", FLAG_EXACT, USE_KEEP },
	{ "-fno-PIC", FLAG_EXACT, USE_KEEP },
	{ "-fno-pie", FLAG_EXACT, USE_KEEP },
	{ "-fno-PIE", FLAG_EXACT, USE_KEEP },
	/* __SSP__, __SSP_STRONG__, __SSP_ALL__, __SSP_EXPLICIT__ */
	{ "-fstack-protector", FLAG_JOINED, USE_KEEP },
	{ "-fno-stack-protector", FLAG_EXACT, USE_KEEP },
	{ "-fcf-protection", FLAG_JOINED, USE_KEEP },	/* __CET__ */
	{ "-mcmodel=", FLAG_JOINED, USE_KEEP },		/* __code_model_kernel__ and the like */
	/* the CPU: feature macros (__SSE2__, __ARM_ARCH, __s390x__ levels);
	 * clang rejecting a GCC-only name drops the flag (frontend_clang.c) */
	{ "-march=", FLAG_JOINED, USE_KEEP },
	{ "-mcpu=", FLAG_JOINED, USE_KEEP },
	/* x86 instruction sets on or off: __SSE__, __MMX__, __AVX__, ... */
	{ "-msse", FLAG_JOINED, USE_KEEP },
	{ "-mno-sse", FLAG_JOINED, USE_KEEP },
	{ "-mavx", FLAG_JOINED, USE_KEEP },
	{ "-mno-avx", FLAG_JOINED, USE_KEEP },
	{ "-mmmx", FLAG_EXACT, USE_KEEP },
	{ "-mno-mmx", FLAG_EXACT, USE_KEEP },
	{ "-m3dnow", FLAG_JOINED, USE_KEEP },
	{ "-mno-3dnow", FLAG_JOINED, USE_KEEP },
	/* floating point in hardware or not: __SOFTFP__, __ARM_FP, __riscv_float_abi_* */
	{ "-msoft-float", FLAG_EXACT, USE_KEEP },
	{ "-mhard-float", FLAG_EXACT, USE_KEEP },
	{ "-mfloat-abi=", FLAG_JOINED, USE_KEEP },
	{ "-mfpu=", FLAG_JOINED, USE_KEEP },		/* __ARM_NEON, __ARM_FP */
	{ "-mgeneral-regs-only", FLAG_EXACT, USE_KEEP },	/* arm64: no __ARM_NEON */
	{ "-mthumb", FLAG_EXACT, USE_KEEP },		/* __thumb__ */
	{ "-marm", FLAG_EXACT, USE_KEEP },

	/* --- the target: what the probe asks (pointer width, byte order, char) --- */
	{ "-m64", FLAG_EXACT, USE_TARGET },
	{ "-m32", FLAG_EXACT, USE_TARGET },
	{ "-mx32", FLAG_EXACT, USE_TARGET },		/* 32-bit pointers on x86-64 */
	{ "-m16", FLAG_EXACT, USE_TARGET },
	{ "-m31", FLAG_EXACT, USE_TARGET },		/* s390 */
	{ "-mabi=", FLAG_JOINED, USE_TARGET },		/* mips n32/64, riscv lp64/ilp32 */
	{ "-mbig-endian", FLAG_EXACT, USE_TARGET },
	{ "-mlittle-endian", FLAG_EXACT, USE_TARGET },
	{ "-mbig", FLAG_EXACT, USE_TARGET },		/* powerpc's spelling */
	{ "-mlittle", FLAG_EXACT, USE_TARGET },
	{ "-EB", FLAG_EXACT, USE_TARGET },		/* mips's spelling */
	{ "-EL", FLAG_EXACT, USE_TARGET },
	{ "-funsigned-char", FLAG_EXACT, USE_TARGET },	/* char's signedness, __CHAR_UNSIGNED__ */
	{ "-fsigned-char", FLAG_EXACT, USE_TARGET },
	{ "-fno-unsigned-char", FLAG_EXACT, USE_TARGET },
	{ "-fno-signed-char", FLAG_EXACT, USE_TARGET },

	/* --- sizes and alignments of types --- */
	{ "-fshort-enums", FLAG_EXACT, USE_KEEP },	/* an enum as small as its values */
	{ "-fno-short-enums", FLAG_EXACT, USE_KEEP },
	{ "-fshort-wchar", FLAG_EXACT, USE_KEEP },	/* a 2-byte wchar_t (the kernel) */
	{ "-fno-short-wchar", FLAG_EXACT, USE_KEEP },
	{ "-fpack-struct", FLAG_JOINED, USE_KEEP },	/* members packed, or to =N bytes */
	{ "-fno-pack-struct", FLAG_EXACT, USE_KEEP },
	{ "-fms-extensions", FLAG_EXACT, USE_KEEP },	/* a tagged struct as anonymous member */
	{ "-fno-ms-extensions", FLAG_EXACT, USE_KEEP },
	{ "-mms-bitfields", FLAG_EXACT, USE_KEEP },	/* Microsoft's bitfield layout */
	{ "-mno-ms-bitfields", FLAG_EXACT, USE_KEEP },
	{ "-malign-double", FLAG_EXACT, USE_KEEP },	/* i386: 8-byte double, long long */
	{ "-mno-align-double", FLAG_EXACT, USE_KEEP },
	{ "-mlong-double-", FLAG_JOINED, USE_KEEP },	/* -mlong-double-64/80/128 */

	/* --- the build's outputs: nothing to say about them --- */
	{ "-c", FLAG_EXACT, USE_OUTPUT },
	{ "-S", FLAG_EXACT, USE_OUTPUT },
	{ "-E", FLAG_EXACT, USE_OUTPUT },
	{ "-o", FLAG_JOINED_OR_SEP, USE_OUTPUT },
	{ "-MF", FLAG_JOINED_OR_SEP, USE_OUTPUT },	/* dependency files */
	{ "-MT", FLAG_JOINED_OR_SEP, USE_OUTPUT },
	{ "-MQ", FLAG_JOINED_OR_SEP, USE_OUTPUT },
	{ "-MD", FLAG_EXACT, USE_OUTPUT },
	{ "-MMD", FLAG_EXACT, USE_OUTPUT },
	{ "-MP", FLAG_EXACT, USE_OUTPUT },
	{ "-M", FLAG_EXACT, USE_OUTPUT },
	{ "-MM", FLAG_EXACT, USE_OUTPUT },
	{ "-pipe", FLAG_EXACT, USE_OUTPUT },
	{ "-save-temps", FLAG_JOINED, USE_OUTPUT },

	/* --- dropped flags whose value is the next argument --- */
	{ "--param", FLAG_SEP, USE_DROP },		/* GCC's tuning knobs */
	{ "-Xclang", FLAG_SEP, USE_DROP },		/* clang's own front end flags */
	{ "-mllvm", FLAG_SEP, USE_DROP },
	{ "-Xassembler", FLAG_SEP, USE_DROP },
	{ "-Xlinker", FLAG_SEP, USE_DROP },
	{ "-Xpreprocessor", FLAG_SEP, USE_DROP },
	{ "-aux-info", FLAG_SEP, USE_DROP },
	{ "-imultilib", FLAG_SEP, USE_DROP },		/* GCC's multilib subdirectory */
	{ "-B", FLAG_JOINED_OR_SEP, USE_DROP },		/* where GCC finds cc1 */
};

static bool is_wrapper(const char *base)
{
	static const char *const wrappers[] = { "ccache", "distcc", "icecc", "sccache" };

	for (size_t i = 0; i < sizeof(wrappers) / sizeof(wrappers[0]); i++)
		if (!strcmp(base, wrappers[i]))
			return true;
	return false;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/*
 * The target a cross compiler is named after: "s390x-linux-gnu" from
 * s390x-linux-gnu-gcc-12, "arm-none-eabi" from arm-none-eabi-gcc.  A
 * compiler without a triple in its name (gcc, cc, clang-14) compiles for
 * the host: NULL.
 */
static char *triple_from_compiler(const char *compiler)
{
	static const char *const drivers[] = { "-gcc", "-cc", "-clang", "-c89", "-c99" };
	const char *base = base_name(compiler);
	size_t n = strlen(base);

	/* a version suffix: -12, -14.0 */
	for (size_t k = n; k > 0; k--) {
		char ch = base[k - 1];

		if (ch == '-' && k < n) {
			n = k - 1;
			break;
		}
		if (!(ch >= '0' && ch <= '9') && ch != '.')
			break;
	}
	for (size_t i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++) {
		size_t dl = strlen(drivers[i]);

		if (n > dl && !strncmp(base + n - dl, drivers[i], dl)) {
			size_t tl = n - dl;

			/* a triple has at least two parts: arch-os */
			if (!memchr(base, '-', tl))
				return NULL;
			return strndup(base, tl);
		}
	}
	return NULL;
}

static const struct flag_rule *find_rule(const char *arg, bool *joined)
{
	for (size_t i = 0; i < sizeof(flag_rules) / sizeof(flag_rules[0]); i++) {
		const struct flag_rule *r = &flag_rules[i];
		size_t len = strlen(r->name);

		switch (r->form) {
		case FLAG_EXACT:
		case FLAG_SEP:
			if (!strcmp(arg, r->name)) {
				*joined = false;
				return r;
			}
			break;
		case FLAG_JOINED:
			if (!strncmp(arg, r->name, len)) {
				*joined = true;
				return r;
			}
			break;
		case FLAG_JOINED_OR_SEP:
			if (!strncmp(arg, r->name, len)) {
				*joined = arg[len] != '\0';
				return r;
			}
			break;
		}
	}
	return NULL;
}

bool mtc_compile_flag_sets_target(const char *arg)
{
	bool joined;
	const struct flag_rule *r = find_rule(arg, &joined);

	return r && r->use == USE_TARGET;
}

static int push(char ***v, size_t *n, const char *s, size_t len)
{
	char **nv = realloc(*v, (*n + 1) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	*v = nv;
	if (!(nv[*n] = strndup(s, len)))
		return -ENOMEM;
	(*n)++;
	return 0;
}

/* A dropped flag, named once: its name, without a value given apart. */
static int note_dropped(struct mtc_compile_command *out, const char *flag, size_t len)
{
	for (size_t i = 0; i < out->nr_dropped; i++)
		if (strlen(out->dropped[i]) == len && !strncmp(out->dropped[i], flag, len))
			return 0;
	return push(&out->dropped, &out->nr_dropped, flag, len);
}

static int filter_args(const char *const *argv, size_t argc, struct mtc_compile_command *out,
		       const char *via);

/*
 * -Wp,A,B: A and B for the preprocessor.  Builds use it mostly for
 * dependency files (the kernel's -Wp,-MMD,FILE), sometimes for macros;
 * the parts are filtered like the command's own flags.
 */
static int filter_wp(const char *arg, struct mtc_compile_command *out)
{
	char *copy = strdup(arg + 4), *save = NULL;
	const char **parts = NULL;
	size_t n = 0;
	int ret = 0;

	if (!copy)
		return -ENOMEM;
	for (char *p = strtok_r(copy, ",", &save); p && !ret; p = strtok_r(NULL, ",", &save)) {
		const char **np = realloc(parts, (n + 1) * sizeof(*np));

		if (!np)
			ret = -ENOMEM;
		else
			(parts = np)[n++] = p;
	}
	if (!ret)
		ret = filter_args(parts, n, out, "-Wp,");
	free(parts);
	free(copy);
	return ret;
}

static int filter_args(const char *const *argv, size_t argc, struct mtc_compile_command *out,
		       const char *via)
{
	int ret = 0;

	for (size_t i = 0; i < argc && !ret; i++) {
		const char *a = argv[i];
		bool joined = false;
		const struct flag_rule *r;

		if (!via && !strncmp(a, "-Wp,", 4)) {
			ret = filter_wp(a, out);
			continue;
		}
		/* the target: clang's spellings, kept apart from the flags */
		if (!via && (!strncmp(a, "--target=", 9) || (!strcmp(a, "-target") && i + 1 < argc))) {
			const char *t = a[1] == '-' ? a + 9 : argv[++i];

			free(out->triple);
			if (!(out->triple = strdup(t)))
				ret = -ENOMEM;
			continue;
		}
		if (a[0] != '-' || !a[1])
			continue;	/* another input, or "-" for stdin */
		r = find_rule(a, &joined);
		/* a value given apart is taken with its flag */
		bool sep = r && !joined && (r->form == FLAG_SEP || r->form == FLAG_JOINED_OR_SEP);

		if (sep && i + 1 >= argc)
			sep = false;	/* a flag without its value: nothing to give clang */
		if (r && (r->use == USE_KEEP || r->use == USE_TARGET) &&
		    (r->form == FLAG_EXACT || joined || sep)) {
			/* from -Wp, too: clang takes them directly */
			ret = push(&out->args, &out->nr_args, a, strlen(a));
			if (!ret && sep)
				ret = push(&out->args, &out->nr_args, argv[i + 1], strlen(argv[i + 1]));
		} else if (!r || r->use == USE_DROP) {
			size_t vl = via ? strlen(via) : 0, al = strlen(a);
			char *name = malloc(vl + al + 1);

			if (!name)
				return -ENOMEM;
			memcpy(name, via ? via : "", vl);
			memcpy(name + vl, a, al + 1);
			ret = note_dropped(out, name, vl + al);
			free(name);
		}
		if (sep || (r && !joined && r->form == FLAG_SEP))
			i++;
	}
	return ret;
}

int mtc_compile_flags_filter(const char *const *argv, size_t argc,
			     struct mtc_compile_command *out)
{
	size_t first = 0;
	int ret;

	memset(out, 0, sizeof(*out));
	/* ccache gcc ...: the compiler follows the wrapper */
	while (first < argc && is_wrapper(base_name(argv[first])))
		first++;
	ret = filter_args(argv + first + (first < argc), argc - first - (first < argc), out,
			  NULL);
	/* NULL when the compiler's name has no target in it: the host's */
	if (!ret && !out->triple && first < argc)
		out->triple = triple_from_compiler(argv[first]);
	if (ret)
		mtc_compile_command_free(out);
	return ret;
}

void mtc_compile_command_free(struct mtc_compile_command *cmd)
{
	for (size_t i = 0; i < cmd->nr_args; i++)
		free(cmd->args[i]);
	for (size_t i = 0; i < cmd->nr_dropped; i++)
		free(cmd->dropped[i]);
	free(cmd->args);
	free(cmd->dropped);
	free(cmd->triple);
	memset(cmd, 0, sizeof(*cmd));
}
