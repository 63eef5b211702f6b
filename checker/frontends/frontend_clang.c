// SPDX-License-Identifier: MIT
/*
 * The source front end: C files laid out by libclang for any target triple.
 *
 * libclang computes record layout for the triple it is given, without a
 * cross compiler, so one x86-64 machine can see how a union lays out on
 * s390x.  The target's byte order, pointer width and char signedness are
 * not guessed from the triple: a small probe file asks the compiler itself.
 *
 * Bitfield offsets from clang are in allocation order; they are converted
 * to the model's physical positions for the target's byte order.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clang_api.h"
#include "compile_flags.h"
#include "frontend_internal.h"
#include "internal.h"
#include "mtcheck/frontend.h"
#include "strbuf.h"

/* Bracket nesting refused in a source file before parsing (clang stops at 256). */
#define MTC_CLANG_MAX_NESTING 1024
/* Stack of the parse thread: enough for a million levels of nesting built by macros. */
#define MTC_CLANG_STACK_SIZE ((size_t)256 << 20)

/*
 * What the compiler says of the target: a probe whose array sizes carry the
 * byte order, pointer width and char signedness.
 */
static const char probe_source[] =
	"char mtc_probe_big[__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ ? 2 : 1];\n"
	"char mtc_probe_ptr[sizeof(void *)];\n"
	"char mtc_probe_char[(char)-1 < 0 ? 2 : 1];\n";

static enum CXChildVisitResult visit_probe(CXCursor cur, CXCursor parent, CXClientData data)
{
	struct mtc_target *t = data;
	char *name = mtc_cxstr(clang_getCursorSpelling(cur));
	long long n = clang_getArraySize(clang_getCursorType(cur));

	(void)parent;
	if (name && !strcmp(name, "mtc_probe_big"))
		t->endian = n == 2 ? MTC_ENDIAN_BIG : MTC_ENDIAN_LITTLE;
	else if (name && !strcmp(name, "mtc_probe_ptr"))
		t->pointer_bits = (unsigned)n * 8;
	else if (name && !strcmp(name, "mtc_probe_char"))
		t->char_signed = n == 2;
	free(name);
	return CXChildVisit_Continue;
}

static int probe_target(CXIndex idx, const char *triple, const struct mtc_frontend_conf *conf,
			struct mtc_target *t, struct mtc_error *err)
{
	/* with the flags that change the target: -m32, -mbig-endian, -funsigned-char */
	size_t nargs = conf ? conf->nr_args : 0;
	const char **args = calloc(nargs + 3, sizeof(*args));
	struct CXUnsavedFile uf = { "mtcheck-probe.c", probe_source, sizeof(probe_source) - 1 };
	CXTranslationUnit tu = NULL;
	int n = 0;

	memset(t, 0, sizeof(*t));
	snprintf(t->triple, sizeof(t->triple), "%s", triple);
	if (!args)
		return mtc_error_set(err, -ENOMEM, "target %s: out of memory", triple);
	args[n++] = "-target";
	args[n++] = triple;
	args[n++] = "-ffreestanding";
	for (size_t i = 0; i < nargs; i++)
		if (mtc_compile_flag_sets_target(conf->args[i]))
			args[n++] = conf->args[i];
	enum CXErrorCode ec = clang_parseTranslationUnit2(idx, "mtcheck-probe.c", args, n, &uf, 1,
							  CXTranslationUnit_None, &tu);

	free(args);
	if (ec || !tu)
		return mtc_error_set(err, -EINVAL, "target %s: clang cannot compile for it", triple);
	for (unsigned i = 0; i < clang_getNumDiagnostics(tu); i++) {
		CXDiagnostic d = clang_getDiagnostic(tu, i);
		enum CXDiagnosticSeverity sev = clang_getDiagnosticSeverity(d);
		char *msg = sev >= CXDiagnostic_Error ? mtc_cxstr(clang_getDiagnosticSpelling(d)) : NULL;

		clang_disposeDiagnostic(d);
		if (msg) {
			mtc_error_set(err, -EINVAL, "target %s: %s", triple, msg);
			free(msg);
			clang_disposeTranslationUnit(tu);
			return -EINVAL;
		}
	}
	clang_visitChildren(clang_getTranslationUnitCursor(tu), visit_probe, t);
	clang_disposeTranslationUnit(tu);
	if (!t->pointer_bits)
		return mtc_error_set(err, -EINVAL, "target %s: clang does not know it", triple);
	return 0;
}

/* Debian's name of the architecture in libc6-dev-ARCH-cross. */
static const char *debian_cross_arch(const char *triple)
{
	static const struct { const char *prefix, *arch; } map[] = {
		{ "x86_64", "amd64" }, { "i686", "i386" }, { "i386", "i386" },
		{ "s390x", "s390x" }, { "powerpc64le", "ppc64el" }, { "powerpc64", "ppc64" },
		{ "powerpc", "powerpc" }, { "sparc64", "sparc64" }, { "mips64el", "mips64el" },
		{ "mips64", "mips64" }, { "mipsel", "mipsel" }, { "mips", "mips" },
		{ "aarch64", "arm64" }, { "arm", "armhf" }, { "riscv64", "riscv64" },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strncmp(triple, map[i].prefix, strlen(map[i].prefix)))
			return map[i].arch;
	return "ARCH";
}

/* Unknown to clang: GCC-only flags from real compile databases. */
static bool unknown_argument(const char *msg, char *out, size_t outlen)
{
	static const char *const forms[] = {
		"unknown argument: '", "unknown argument '", "unsupported option '",
		"unsupported argument '",
	};
	const char *p = NULL;

	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]) && !p; i++)
		if ((p = strstr(msg, forms[i])))
			p += strlen(forms[i]);
	if (!p)
		return false;
	const char *e = strchr(p, '\'');

	if (!e || (size_t)(e - p) >= outlen)
		return false;
	memcpy(out, p, (size_t)(e - p));
	out[e - p] = '\0';
	return true;
}

/* -march=CPU, -mcpu=CPU, -mtune=CPU: GCC knows CPUs that clang does not */
static bool names_cpu(const char *arg)
{
	return !strncmp(arg, "-march=", 7) || !strncmp(arg, "-mcpu=", 6) ||
	       !strncmp(arg, "-mtune=", 7);
}

/*
 * A CPU clang does not know fails the parse before any diagnostic can be
 * read; the CPU flags are dropped, noted, and the parse tried again.
 * True when there was one to drop.
 */
static bool drop_cpu_flags(const struct mtc_frontend_conf *conf, bool *dropped,
			   struct strbuf *list)
{
	bool any = false;

	for (size_t k = 0; conf && k < conf->nr_args; k++)
		if (!dropped[k] && names_cpu(conf->args[k])) {
			dropped[k] = any = true;
			sb_addf(list, "%s%s", list->len ? " " : "", conf->args[k]);
		}
	return any;
}

static int parse_and_convert(const char *path, const struct mtc_frontend_conf *conf,
			     struct mtc_model **out, struct mtc_error *err)
{
	const char *triple = conf && conf->triple ? conf->triple : MTC_HOST_TRIPLE;
	CXIndex idx = clang_createIndex(0, 0);
	struct mtc_target target;
	int ret;

	*out = NULL;
	if (!idx)
		return mtc_error_set(err, -ENOMEM, "%s: cannot start libclang", path);
	if ((ret = probe_target(idx, triple, conf, &target, err))) {
		clang_disposeIndex(idx);
		return ret;
	}

	/* the compile flags, the target, and a macro for in-source markers */
	size_t nargs = conf ? conf->nr_args : 0;
	const char **args = calloc(nargs + 8, sizeof(*args));
	bool *dropped = calloc(nargs + 1, sizeof(*dropped));
	CXTranslationUnit tu = NULL;
	struct strbuf dropped_list;

	sb_init(&dropped_list);
	if (!args || !dropped) {
		ret = mtc_error_set(err, -ENOMEM, "%s: out of memory", path);
		goto out;
	}
	for (int attempt = 0; attempt < 16; attempt++) {
		int n = 0;

		args[n++] = "-target";
		args[n++] = triple;
		args[n++] = "-D__MTCHECK__=1";
		for (size_t i = 0; i < nargs; i++)
			if (!dropped[i])
				args[n++] = conf->args[i];
		/* function bodies are skipped, so warnings about them are noise:
		 * a build's -Werror must not turn them into parse failures */
		args[n++] = "-Wno-error";
		enum CXErrorCode ec = clang_parseTranslationUnit2(
			idx, path, args, n, NULL, 0,
			CXTranslationUnit_SkipFunctionBodies | CXTranslationUnit_KeepGoing, &tu);

		if ((ec || !tu) && drop_cpu_flags(conf, dropped, &dropped_list)) {
			if (tu)
				clang_disposeTranslationUnit(tu);
			tu = NULL;
			continue;
		}
		if (ec || !tu) {
			ret = mtc_error_set(err, -EINVAL, "%s: clang could not parse it (error %d)",
					    path, (int)ec);
			goto out;
		}
		/* drop flags clang does not know, once each, and parse again */
		bool again = false;

		for (unsigned i = 0; i < clang_getNumDiagnostics(tu); i++) {
			CXDiagnostic d = clang_getDiagnostic(tu, i);
			char *msg = mtc_cxstr(clang_getDiagnosticSpelling(d));
			char flag[512];

			clang_disposeDiagnostic(d);
			if (msg && unknown_argument(msg, flag, sizeof(flag))) {
				for (size_t k = 0; k < nargs; k++)
					if (!dropped[k] && !strcmp(conf->args[k], flag)) {
						dropped[k] = again = true;
						sb_addf(&dropped_list, "%s%s", dropped_list.len ? " " : "",
							conf->args[k]);
						break;
					}
			}
			free(msg);
		}
		if (!again)
			break;
		clang_disposeTranslationUnit(tu);
		tu = NULL;
	}
	if (dropped_list.len && conf && conf->note)
		conf->note(conf->note_ctx, path, sb_str(&dropped_list));

	/* clang's own errors, then the file is skipped */
	unsigned errors = 0;
	bool missing_header = false;
	struct strbuf diags;

	sb_init(&diags);
	for (unsigned i = 0; i < clang_getNumDiagnostics(tu); i++) {
		CXDiagnostic d = clang_getDiagnostic(tu, i);

		if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error) {
			char *text = mtc_cxstr(clang_formatDiagnostic(
				d, CXDiagnostic_DisplaySourceLocation | CXDiagnostic_DisplayColumn));

			if (text && strstr(text, "file not found"))
				missing_header = true;
			/* the first few say what is wrong; the rest follow from them */
			if (errors < 4)
				sb_addf(&diags, "%s%s", diags.len ? "\n" : "", text ? text : "");
			free(text);
			errors++;
		}
		clang_disposeDiagnostic(d);
	}
	if (errors > 4)
		sb_addf(&diags, "\n(and %u more errors)", errors - 4);
	if (errors && missing_header && strcmp(triple, MTC_HOST_TRIPLE)) {
		char dir[PATH_MAX];
		struct stat st;

		snprintf(dir, sizeof(dir), "/usr/%s/include", triple);
		if (stat(dir, &st)) {
			ret = mtc_error_set(err, -ENOENT,
					    "%s: the C library headers for %s are not installed (%s is missing; "
					    "on Debian: apt-get install libc6-dev-%s-cross)",
					    path, triple, dir, debian_cross_arch(triple));
			sb_free(&diags);
			goto out;
		}
	}
	if (errors) {
		ret = mtc_error_set(err, -EINVAL, "%s: clang cannot parse it for %s (%u error%s):\n%s",
				    path, triple, errors, errors == 1 ? "" : "s", sb_str(&diags));
		sb_free(&diags);
		goto out;
	}
	sb_free(&diags);

	struct mtc_model *m = mtc_model_new(&target);

	if (!m) {
		ret = mtc_error_set(err, -ENOMEM, "%s: out of memory", path);
		goto out;
	}
	mtc_model_set_input(m, path);
	mtc_model_set_frontend(m, "clang");
	ret = mtc_clang_fill_model(tu, m, path, conf && conf->system_headers, err);
	if (!ret)
		ret = mtc_model_check(m, err);
	if (ret)
		mtc_model_free(m);
	else
		*out = m;
out:
	sb_free(&dropped_list);
	if (tu)
		clang_disposeTranslationUnit(tu);
	free(args);
	free(dropped);
	clang_disposeIndex(idx);
	return ret;
}

/*
 * Bracket nesting in the file itself, counted outside comments and
 * literals.  clang's parser stops at 256 levels (-fbracket-depth), but its
 * error recovery skips nested brackets recursively with no limit, so a file
 * of a million '[' exhausts any stack.  Such a file is refused before clang
 * sees it; nesting that macros build is left to the large parse stack.
 */
static int check_nesting(const char *path, struct mtc_error *err)
{
	enum { CODE, LINE_COMMENT, BLOCK_COMMENT, STRING, CHAR } st = CODE;
	int fd = mtc_input_open(path, NULL, err);
	unsigned char buf[65536];
	unsigned long line = 1, col = 0, depth = 0;
	int prev = 0, ret = 0;
	ssize_t n;

	if (fd < 0)
		return fd;
	while (!ret && (n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n && !ret; i++) {
			int ch = buf[i];

			col++;
			if (ch == '\n') {
				line++;
				col = 0;
				if (st == LINE_COMMENT && prev != '\\')
					st = CODE;
			}
			switch (st) {
			case CODE:
				if (prev == '/' && ch == '/')
					st = LINE_COMMENT;
				else if (prev == '/' && ch == '*')
					st = BLOCK_COMMENT, ch = 0;
				else if (ch == '"')
					st = STRING;
				else if (ch == '\'')
					st = CHAR;
				else if (ch == '(' || ch == '[' || ch == '{') {
					if (++depth > MTC_CLANG_MAX_NESTING)
						ret = mtc_error_set(err, -E2BIG,
								    "%s:%lu:%lu: brackets nest more than %d deep; "
								    "mtcheck does not hand such a file to clang",
								    path, line, col, MTC_CLANG_MAX_NESTING);
				} else if ((ch == ')' || ch == ']' || ch == '}') && depth)
					depth--;
				break;
			case BLOCK_COMMENT:
				if (prev == '*' && ch == '/')
					st = CODE, ch = 0;
				break;
			case STRING:
			case CHAR:
				if (prev == '\\')
					ch = 0;	/* escaped: neither a quote nor a backslash */
				else if (ch == (st == STRING ? '"' : '\'') || ch == '\n')
					st = CODE;
				break;
			case LINE_COMMENT:
				break;
			}
			prev = ch;
		}
	}
	close(fd);
	return ret;
}

struct parse_job {
	const char *path;
	const struct mtc_frontend_conf *conf;
	struct mtc_model **out;
	struct mtc_error *err;
	int ret;
};

static void *parse_thread(void *arg)
{
	struct parse_job *j = arg;

	j->ret = parse_and_convert(j->path, j->conf, j->out, j->err);
	return NULL;
}

int mtc_clang_load(const char *path, const void *probed, const struct mtc_frontend_conf *conf,
		   struct mtc_model **out, struct mtc_error *err)
{
	(void)probed;
	struct parse_job j = { .path = path, .conf = conf, .out = out, .err = err };
	pthread_attr_t attr;
	pthread_t th;
	int ret;

	*out = NULL;
	/* clang would read a FIFO or /dev/zero without end */
	if ((ret = check_nesting(path, err)) || (ret = mtc_clang_open(err)))
		return ret;
	/*
	 * libclang parses on its own thread with an 8 MiB stack, which deep
	 * nesting built by macros still exhausts; clang_api.c tells it to
	 * parse on the caller's thread instead, which is this one, with a
	 * stack reserved large enough (pages are only used as they are touched).
	 */
	if ((ret = pthread_attr_init(&attr)))
		return mtc_error_set(err, -ret, "%s: cannot start the parse: %s", path,
				     strerror(ret));
	ret = pthread_attr_setstacksize(&attr, MTC_CLANG_STACK_SIZE);
	if (!ret)
		ret = pthread_create(&th, &attr, parse_thread, &j);
	pthread_attr_destroy(&attr);
	if (ret)
		return mtc_error_set(err, -ret, "%s: cannot start the parse: %s", path,
				     strerror(ret));
	pthread_join(th, NULL);
	return j.ret;
}

bool mtc_have_clang(void)
{
	return true;
}
