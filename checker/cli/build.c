// SPDX-License-Identifier: MIT
/*
 * mtcheck build (see build.h).
 *
 * How the build reaches the compiler: a private directory of wrappers goes
 * first on PATH.  Each wrapper is a symbolic link to mtcheck itself named
 * after a program of the build: every name on PATH that resolves to the GCC
 * the plugin was built for (cc, gcc, gcc-12, x86_64-linux-gnu-gcc-12, ...),
 * and ccache and distcc when they are installed.  Run under such a name,
 * mtcheck is the wrapper (mtc_cli_wrap): it finds the next program of that
 * name on PATH (skipping every path that is mtcheck itself, as ccache does),
 * adds the plugin's arguments when the command compiles C, notes the file
 * the compile writes, and execs the program.  What it passes on untouched:
 * -E, -M and -MM runs, linking only, assembler, C++ and every other
 * language, and anything it cannot see the sources of (@file).
 *
 * The findings come back two ways, merged each once: the per-unit JSON
 * reports the plugin writes into the private directory (json=DIR/), and
 * the .mtcheck section of every object or binary the wrappers saw written.
 * A compile that ccache serves from its cache, or that distcc runs on
 * another host, writes no report here; its object carries the findings.
 * So through ccache and distcc the wrapper does not pass json= at all: a
 * report path that differs in every run would defeat ccache's cache, and
 * on a distcc server it would be written on the wrong host.
 *
 * mtcheck-gcc (MTC_OWN_CC) is the one wrapper that needs no next program:
 * it is the plugin's GCC with the plugin, in or out of mtcheck build, for
 * distcc servers (distccd refuses -fplugin= from a client).  Behind
 * distcc, the launcher wrapper leaves -fplugin= to it and passes only the
 * plugin arguments that hold on another host.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "build.h"
#include "merge.h"
#include "mtcheck/config.h"
#include "mtcheck/frontend.h"
#include "mtcheck/report.h"
#include "mtcheck/rules.h"
#include "plugin_path.h"

extern char **environ;

/* What mtcheck build tells its wrappers, through the environment. */
#define ENV_STATE "MTCHECK_BUILD_STATE"		/* the private directory */
#define ENV_PLUGIN "MTCHECK_BUILD_PLUGIN"	/* the plugin's path */
#define ENV_GCC "MTCHECK_BUILD_GCC"		/* the real path of the plugin's GCC */
#define ENV_INNER "MTCHECK_BUILD_INNER"		/* set: a wrapper already added the plugin */

enum {
	BUILD_CLEAN = 0,
	BUILD_FINDINGS = 1,
	BUILD_ERROR = 2,
	BUILD_FAILED = 3,	/* the build command failed */
};

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* @dir/@name into @buf; false when it does not fit (the caller skips it). */
static bool path_join(char *buf, size_t size, const char *dir, const char *name)
{
	int n = snprintf(buf, size, "%s/%s", dir, name);

	return n >= 0 && (size_t)n < size;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* gcc, cc, gcc-12, x86_64-linux-gnu-gcc, x86_64-linux-gnu-gcc-12 */
static bool compiler_name(const char *n)
{
	size_t len = strlen(n);
	const char *g;

	if (!strcmp(n, "cc") || !strcmp(n, "gcc"))
		return true;
	if (len >= 4 && !strcmp(n + len - 4, "-gcc"))
		return true;
	for (g = strstr(n, "gcc-"); g; g = strstr(g + 1, "gcc-"))
		if ((g == n || g[-1] == '-') && all_digits(g + 4))
			return true;
	return false;
}

static bool launcher_name(const char *n)
{
	return !strcmp(n, "ccache") || !strcmp(n, "distcc");
}

bool mtc_cli_is_wrapper(const char *argv0)
{
	const char *n = base_name(argv0);

	return compiler_name(n) || launcher_name(n);
}

/* ---- the wrapper --------------------------------------------------------- */

/*
 * The next program called @name on PATH that is not mtcheck itself, into
 * @out; false when there is none.  @self is mtcheck's real path.
 */
static bool find_next(const char *name, const char *self, char *out, size_t size)
{
	const char *path = getenv("PATH");
	char cand[PATH_MAX], real[PATH_MAX];

	if (strchr(name, '/')) {
		if (realpath(name, real) && strcmp(real, self) && !access(name, X_OK)) {
			snprintf(out, size, "%s", name);
			return true;
		}
		name = base_name(name);
	}
	for (const char *p = path ? path : "/usr/bin:/bin"; ; ) {
		const char *colon = strchr(p, ':');
		size_t dl = colon ? (size_t)(colon - p) : strlen(p);

		if ((size_t)snprintf(cand, sizeof(cand), "%.*s/%s", (int)dl, dl ? p : ".", name) <
			    sizeof(cand) &&
		    !access(cand, X_OK) && realpath(cand, real) && strcmp(real, self)) {
			struct stat st;

			if (!stat(real, &st) && S_ISREG(st.st_mode)) {
				snprintf(out, size, "%s", cand);
				return true;
			}
		}
		if (!colon)
			return false;
		p = colon + 1;
	}
}

/* What a compiler's command line does, as far as the wrapper needs to know. */
struct compile {
	bool c;			/* compiles C: the plugin goes in */
	bool object;		/* -c: writes objects; else links (or -S, -E: neither) */
	bool link;
	const char *output;	/* -o */
	const char *sources[64];	/* the C sources, for objects named after them */
	int nr_sources;
};

/* Options whose value is the next argument. */
static bool takes_value(const char *a)
{
	static const char *const opts[] = {
		"-o", "-x", "-I", "-D", "-U", "-include", "-imacros", "-iquote", "-isystem",
		"-idirafter", "-iprefix", "-iwithprefix", "-iwithprefixbefore", "-isysroot",
		"-imultilib", "-MF", "-MT", "-MQ", "-L", "-T", "-Xlinker", "-Xassembler",
		"-Xpreprocessor", "-aux-info", "--param", "-u", "-z", "-e", "-A", "-l",
		"-dumpdir", "-dumpbase", "-dumpbase-ext", "-wrapper", NULL,
	};

	for (size_t i = 0; opts[i]; i++)
		if (!strcmp(a, opts[i]))
			return true;
	return false;
}

static bool c_language(const char *lang, const char *file)
{
	if (lang && strcmp(lang, "none"))
		return !strcmp(lang, "c") || !strcmp(lang, "cpp-output");
	const char *dot = strrchr(file, '.');

	return dot && (!strcmp(dot, ".c") || !strcmp(dot, ".i"));
}

static void classify(int argc, char **argv, struct compile *c)
{
	const char *lang = NULL;
	bool preprocess = false, syntax = false, assemble_only = false, at_file = false;

	memset(c, 0, sizeof(*c));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-E") || !strcmp(a, "-M") || !strcmp(a, "-MM"))
			preprocess = true;
		else if (!strcmp(a, "-c"))
			c->object = true;
		else if (!strcmp(a, "-S"))
			assemble_only = true;
		else if (!strcmp(a, "-fsyntax-only"))
			syntax = true;
		if (!strcmp(a, "-o") && i + 1 < argc)
			c->output = argv[i + 1];
		else if (!strncmp(a, "-o", 2) && a[2])
			c->output = a + 2;
		if (!strcmp(a, "-x") && i + 1 < argc)
			lang = argv[i + 1];
		else if (!strncmp(a, "-x", 2) && a[2])
			lang = a + 2;
		if (takes_value(a)) {
			i++;
			continue;
		}
		if (a[0] == '@') {
			at_file = true;
			continue;
		}
		if (a[0] == '-' && a[1])
			continue;
		if (!strcmp(a, "-") ? lang && !strcmp(lang, "c") : c_language(lang, a)) {
			if (c->nr_sources < (int)(sizeof(c->sources) / sizeof(c->sources[0])))
				c->sources[c->nr_sources++] = a;
			c->c = true;
		}
	}
	/* a response file may hold anything: leave such commands alone */
	if (preprocess || at_file)
		c->c = false;
	if (assemble_only || syntax)
		c->object = false;
	else if (!c->object)
		c->link = true;
}

/* Note the file a compile writes, for its .mtcheck section after the build. */
static void note_outputs(const char *state, const struct compile *c)
{
	char list[PATH_MAX], cwd[PATH_MAX], line[3 * PATH_MAX];
	const char *names[64];
	char derived[64][PATH_MAX];
	int n = 0;

	if (!c->object && !c->link)
		return;
	if (c->output) {
		names[n++] = c->output;
	} else if (c->object) {
		for (int i = 0; i < c->nr_sources; i++) {
			const char *b = base_name(c->sources[i]);
			const char *dot = strrchr(b, '.');

			snprintf(derived[n], sizeof(derived[n]), "%.*s.o",
				 (int)(dot ? (size_t)(dot - b) : strlen(b)), b);
			names[n] = derived[n];
			n++;
		}
	} else {
		names[n++] = "a.out";
	}
	if (!getcwd(cwd, sizeof(cwd)))
		return;
	if (!path_join(list, sizeof(list), state, "outputs"))
		return;
	int fd = open(list, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0)
		return;
	for (int i = 0; i < n; i++) {
		if (strchr(names[i], '\n') || !strcmp(names[i], "-") || !strcmp(names[i], "/dev/null"))
			continue;
		int len = names[i][0] == '/' ? snprintf(line, sizeof(line), "%s\n", names[i])
					    : snprintf(line, sizeof(line), "%s/%s\n", cwd, names[i]);

		/* one write per line: lines from compilers running at once do not mix */
		if (len > 0 && (size_t)len < sizeof(line) && write(fd, line, (size_t)len) < 0)
			break;
	}
	close(fd);
}

/*
 * True when the compiler's command line @argv (@argc) already gives the
 * plugin option KEY of @line ("KEY=VALUE"): the plugin refuses one given twice.
 */
static bool given(int argc, char **argv, const char *line)
{
	size_t klen = strcspn(line, "=");

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strncmp(a, "-fplugin-arg-mtcheck-", 21) && !strncmp(a + 21, line, klen) &&
		    (a[21 + klen] == '=' || !a[21 + klen]))
			return true;
	}
	return false;
}

/*
 * The plugin's arguments: -fplugin=@plugin (none when @plugin is NULL), and
 * those from the state directory's "args" file, one per line (none when
 * @state is NULL), but not those the command line @argv gives already
 * (mtcheck build's distcc wrapper put them there).  @portable: only those
 * that mean the same on another host, not the paths of config= and rules=.
 */
static int plugin_args(const char *state, const char *plugin, bool reports, bool portable,
		       int argc, char **argv, char ***out)
{
	char path[PATH_MAX], line[PATH_MAX + 64];
	char **v = calloc(68, sizeof(*v));
	int n = 0;

	if (!v)
		return -1;
	if (plugin && asprintf(&v[n++], "-fplugin=%s", plugin) < 0)
		return -1;
	if (reports && asprintf(&v[n++], "-fplugin-arg-mtcheck-json=%s/reports/", state) < 0)
		return -1;
	FILE *f = state && path_join(path, sizeof(path), state, "args") ? fopen(path, "r") : NULL;

	while (f && n < 67 && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (portable && (!strncmp(line, "config=", 7) || !strncmp(line, "rules=", 6)))
			continue;
		if (given(argc, argv, line))
			continue;
		if (line[0] && asprintf(&v[n++], "-fplugin-arg-mtcheck-%s", line) < 0)
			return -1;
	}
	if (f)
		fclose(f);
	*out = v;
	return n;
}

static bool is_launcher_path(const char *path)
{
	char real[PATH_MAX];

	return realpath(path, real) && launcher_name(base_name(real));
}

/* The real path of the GCC the plugin was built for, into @out. */
static bool plugin_gcc_path(char *out)
{
#ifdef MTCHECK_PLUGIN_GCC
	if (realpath(MTCHECK_PLUGIN_GCC, out))
		return true;
	fprintf(stderr, "mtcheck: %s, the GCC the plugin was built for: %s\n", MTCHECK_PLUGIN_GCC,
		strerror(errno));
#else
	(void)out;
	fprintf(stderr, "mtcheck: this mtcheck was built without its GCC plugin\n");
#endif
	return false;
}

static bool has_prefix_arg(int argc, char **argv, const char *prefix)
{
	for (int i = 1; i < argc; i++)
		if (!strncmp(argv[i], prefix, strlen(prefix)))
			return true;
	return false;
}

int mtc_cli_wrap(int argc, char **argv)
{
	const char *name = base_name(argv[0]);
	const char *state = getenv(ENV_STATE), *plugin = getenv(ENV_PLUGIN), *gcc = getenv(ENV_GCC);
	char self[PATH_MAX], real[PATH_MAX], compiler[PATH_MAX], compiler_real[PATH_MAX];
	char own_plugin[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	/* mtcheck-gcc with no other program of that name on PATH: the plugin's GCC itself */
	bool own = false;

	if (n <= 0) {
		fprintf(stderr, "mtcheck: %s: cannot tell where mtcheck itself is (/proc/self/exe)\n",
			name);
		return 127;
	}
	self[n] = '\0';
	if (!find_next(argv[0], self, real, sizeof(real))) {
		if (strcmp(name, MTC_OWN_CC)) {
			fprintf(stderr, "mtcheck: %s: no such program on PATH besides mtcheck's wrapper\n",
				name);
			return 127;
		}
		if (!plugin_gcc_path(real))
			return 127;
		if (!plugin) {
			if (mtc_cli_plugin_find(own_plugin, sizeof(own_plugin)))
				return 127;
			plugin = own_plugin;
		}
		own = true;
	}
	bool launcher = launcher_name(name);
	/* ccache gcc ...: the compiler's command line starts at argv[1] */
	int first = launcher ? 1 : 0;
	struct compile c;
	char **extra = NULL;
	int nr_extra = 0;
	bool plugin_added = false;

	/* ccache gcc ...: only for the GCC the plugin was built for */
	bool plugin_gcc = !launcher ||
		(argc > 1 && argv[1][0] != '-' && gcc &&
		 find_next(argv[1], self, compiler, sizeof(compiler)) &&
		 realpath(compiler, compiler_real) && !strcmp(compiler_real, gcc));
	/*
	 * distcc mtcheck-gcc ...: mtcheck-gcc adds the plugin where it compiles,
	 * on a distcc server too; here only the arguments that hold there.
	 */
	bool own_behind = launcher && argc > 1 && !strcmp(base_name(argv[1]), MTC_OWN_CC) &&
			  !find_next(argv[1], self, compiler, sizeof(compiler));

	if (own && !getenv(ENV_INNER) && argc > 1) {
		/* not in mtcheck build (no state): just the plugin */
		classify(argc, argv, &c);
		if (c.c) {
			nr_extra = plugin_args(state, plugin, state != NULL, false, argc, argv, &extra);
			plugin_added = true;
			if (state)
				note_outputs(state, &c);
		}
	} else if (own_behind && state && !getenv(ENV_INNER)) {
		classify(argc - first, argv + first, &c);
		if (c.c) {
			nr_extra = plugin_args(state, NULL, false, true, argc - first, argv + first,
					       &extra);
			note_outputs(state, &c);
		}
	} else if (state && plugin && !getenv(ENV_INNER) && argc > first + 1 && plugin_gcc) {
		classify(argc - first, argv + first, &c);
		if (c.c) {
			/* through ccache or distcc the findings travel in the object alone */
			bool reports = !launcher && !is_launcher_path(real);

			nr_extra = plugin_args(state, plugin, reports, false, argc - first, argv + first,
					       &extra);
			note_outputs(state, &c);
			/* the compiler behind ccache is this wrapper again: let it pass */
			setenv(ENV_INNER, "1", 1);
		}
	}
	if (nr_extra < 0) {
		fprintf(stderr, "mtcheck: %s: out of memory\n", name);
		return 127;
	}
	/*
	 * mtcheck-gcc without the plugin (-E, as distcc's client runs it, or
	 * linking): GCC refuses the plugin's arguments when the plugin is not
	 * loaded, so they go
	 */
	bool drop = own && !plugin_added && !has_prefix_arg(argc, argv, "-fplugin=");
	char **args = calloc((size_t)(argc + nr_extra + 1), sizeof(*args));

	if (!args) {
		fprintf(stderr, "mtcheck: %s: out of memory\n", name);
		return 127;
	}
	int k = 0;

	/*
	 * GCC finds cc1 from the path it was started by, which must not be the
	 * wrapper's; ccache in a masquerade directory goes by its base name,
	 * which the real path keeps.
	 */
	args[k++] = real;
	for (int i = 1; i <= first && i < argc; i++)
		args[k++] = argv[i];
	for (int i = 0; i < nr_extra; i++)
		args[k++] = extra[i];
	for (int i = first + 1; i < argc; i++)
		if (!drop || strncmp(argv[i], "-fplugin-arg-mtcheck-", 21))
			args[k++] = argv[i];
	execv(real, args);
	fprintf(stderr, "mtcheck: %s: cannot run %s: %s\n", name, real, strerror(errno));
	return 127;
}

/* ---- mtcheck build --------------------------------------------------------- */

struct build_options {
	enum mtc_format format;
	const char *output;
	const char *config_path;
	const char *rules_paths[16];
	int nr_rules_paths;
	struct mtc_rule_switch switches[32];
	int nr_switches;
	enum mtc_severity fail_on;
	bool fail_on_set;
	enum mtc_confidence min_confidence;
	bool keep;			/* --keep-reports: leave the private directory */
	bool no_section;		/* --no-section: the plugin's section=off */
	char **command;
	int nr_command;
};

static const char build_usage[] =
	"usage: mtcheck build [OPTION]... -- COMMAND [ARG]...\n"
	"Run a build (make, ninja, cmake --build, a configure script, Kbuild with\n"
	"CC=gcc, ...) with mtcheck's GCC plugin on every C compile, then print one\n"
	"report of every unit.  Wrappers for the GCC the plugin was built for (cc,\n"
	"gcc, gcc-N, TRIPLE-gcc-N) and for ccache and distcc go first on PATH.\n"
	"\n"
	"  --format=text|json|sarif  report format (default text)\n"
	"  -o, --output=FILE         write the report to FILE instead of stdout\n"
	"  --config=FILE             configuration, for the plugin and the report\n"
	"  --rules=PATH              add rule files (a .yaml file or a directory)\n"
	"  --enable=IDS              switch rules on (comma-separated ids)\n"
	"  --disable=IDS             switch rules off\n"
	"  --fail-on=note|warning|error\n"
	"                            exit 1 when a finding that is shown is at least\n"
	"                            this severe (default warning)\n"
	"  --min-confidence=low|medium|high\n"
	"                            show findings of at least this confidence (default\n"
	"                            medium)\n"
	"  --all                     show every finding: --min-confidence=low\n"
	"  --keep-reports            keep the private directory with the per-unit\n"
	"                            reports, and say where it is\n"
	"  --no-section              no .mtcheck section in the objects (for links\n"
	"                            that refuse unknown sections; a kernel unit's\n"
	"                            is SHF_EXCLUDE, which vmlinux's link drops)\n"
	"  --help                    print this help and exit\n"
	"\n"
	"Exit status: 0 no finding at or above --fail-on, 1 findings, 2 usage or\n"
	"input error (also: the command cannot be run), 3 the build command failed\n"
	"(the report of the units compiled until then is still written).\n";

static int build_usage_error(const char *fmt, const char *arg)
{
	fputs("mtcheck build: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'mtcheck build --help' for more information.\n", stderr);
	return BUILD_ERROR;
}

enum {
	B_FORMAT = 256, B_CONFIG, B_RULES, B_ENABLE, B_DISABLE, B_FAIL_ON, B_MIN_CONFIDENCE,
	B_ALL, B_KEEP, B_NO_SECTION, B_HELP,
};

static const struct option build_long_options[] = {
	{ "format", required_argument, NULL, B_FORMAT },
	{ "output", required_argument, NULL, 'o' },
	{ "config", required_argument, NULL, B_CONFIG },
	{ "rules", required_argument, NULL, B_RULES },
	{ "enable", required_argument, NULL, B_ENABLE },
	{ "disable", required_argument, NULL, B_DISABLE },
	{ "fail-on", required_argument, NULL, B_FAIL_ON },
	{ "min-confidence", required_argument, NULL, B_MIN_CONFIDENCE },
	{ "all", no_argument, NULL, B_ALL },
	{ "keep-reports", no_argument, NULL, B_KEEP },
	{ "no-section", no_argument, NULL, B_NO_SECTION },
	{ "help", no_argument, NULL, B_HELP },
	{ NULL, 0, NULL, 0 },
};

/* 0 to go on, -1 for a clean exit, or the exit status. */
static int parse_build_args(int argc, char **argv, struct build_options *o)
{
	int c;

	o->fail_on = MTC_SEV_WARNING;
	o->min_confidence = MTC_CONF_MEDIUM;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			o->command = argv + i + 1;
			o->nr_command = argc - i - 1;
			argc = i;
			break;
		}
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":o:", build_long_options, NULL)) != -1) {
		switch (c) {
		case B_FORMAT:
			if (mtc_format_parse(optarg, &o->format))
				return build_usage_error("--format: '%s' is not a report format", optarg);
			break;
		case 'o':
			o->output = optarg;
			break;
		case B_CONFIG:
			o->config_path = optarg;
			break;
		case B_RULES:
			if (o->nr_rules_paths == 16)
				return build_usage_error("%s: at most 16 --rules", "--rules");
			o->rules_paths[o->nr_rules_paths++] = optarg;
			break;
		case B_ENABLE:
		case B_DISABLE:
			if (o->nr_switches == 32)
				return build_usage_error("%s: given too often", argv[optind - 1]);
			o->switches[o->nr_switches].ids = optarg;
			o->switches[o->nr_switches++].enable = c == B_ENABLE;
			break;
		case B_FAIL_ON:
			if (mtc_severity_parse(optarg, false, &o->fail_on))
				return build_usage_error("--fail-on: '%s' is not note, warning or error",
							 optarg);
			o->fail_on_set = true;
			break;
		case B_MIN_CONFIDENCE:
			if (mtc_confidence_parse(optarg, &o->min_confidence))
				return build_usage_error("--min-confidence: '%s' is not low, medium or high",
							 optarg);
			break;
		case B_ALL:
			o->min_confidence = MTC_CONF_LOW;
			break;
		case B_KEEP:
			o->keep = true;
			break;
		case B_NO_SECTION:
			o->no_section = true;
			break;
		case B_HELP:
			fputs(build_usage, stdout);
			return -1;
		case ':':
			return build_usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			return build_usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return build_usage_error("'%s': the build command goes after '--'", argv[optind]);
	if (!o->nr_command)
		return build_usage_error("%s", "no build command given (mtcheck build [OPTION]... -- "
					 "COMMAND...)");
	return 0;
}

/*
 * A wrapper in @bin for every name on PATH that is the plugin's GCC
 * (@gcc_real), and for ccache and distcc.  The number made, or -1.
 */
static int make_wrappers(const char *bin, const char *self, const char *gcc_real)
{
	const char *path = getenv("PATH");
	int made = 0;

	for (const char *p = path ? path : "/usr/bin:/bin"; p; ) {
		const char *colon = strchr(p, ':');
		char dir[PATH_MAX], cand[PATH_MAX], real[PATH_MAX], link[PATH_MAX];

		snprintf(dir, sizeof(dir), "%.*s", colon ? (int)(colon - p) : (int)strlen(p), p);
		p = colon ? colon + 1 : NULL;
		DIR *d = opendir(dir[0] ? dir : ".");
		struct dirent *e;

		while (d && (e = readdir(d))) {
			bool compiler = compiler_name(e->d_name);

			if (!compiler && !launcher_name(e->d_name))
				continue;
			if (!path_join(cand, sizeof(cand), dir[0] ? dir : ".", e->d_name) ||
			    access(cand, X_OK) || !realpath(cand, real) || !strcmp(real, self))
				continue;
			if (compiler && strcmp(real, gcc_real))
				continue;
			if (!path_join(link, sizeof(link), bin, e->d_name))
				continue;
			if (!symlink(self, link))
				made++;
			else if (errno != EEXIST) {
				closedir(d);
				return -1;
			}
		}
		if (d)
			closedir(d);
	}
	return made;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

/* The plugin arguments that carry the build's --config, --rules, --enable and --disable. */
static int write_args(const char *state, const struct build_options *o)
{
	char path[PATH_MAX], abs[PATH_MAX];
	FILE *f;

	if (!path_join(path, sizeof(path), state, "args"))
		return -ENAMETOOLONG;
	if (!(f = fopen(path, "w")))
		return -errno;
	if (o->config_path)
		fprintf(f, "config=%s\n", realpath(o->config_path, abs) ? abs : o->config_path);
	for (int i = 0; i < o->nr_rules_paths; i++)
		fprintf(f, "rules=%s\n", realpath(o->rules_paths[i], abs) ? abs : o->rules_paths[i]);
	for (int i = 0; i < o->nr_switches; i++)
		fprintf(f, "%s=%s\n", o->switches[i].enable ? "enable" : "disable",
			o->switches[i].ids);
	if (o->no_section)
		fputs("section=off\n", f);
	/* the findings are in the report at the end; -Werror must not stop the build */
	fputs("diagnostics=off\n", f);
	return fclose(f) ? -errno : 0;
}

/* Run the build command; its wait status, or -1 when it could not be started. */
static int run_command(const struct build_options *o)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_int, old_quit;
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status, err = posix_spawn_file_actions_init(&fa);

	/* stdout is the report's: what the build prints goes to stderr */
	if (!err)
		err = posix_spawn_file_actions_adddup2(&fa, STDERR_FILENO, STDOUT_FILENO);
	if (!err)
		err = posix_spawnp(&pid, o->command[0], &fa, NULL, o->command, environ);
	posix_spawn_file_actions_destroy(&fa);

	if (err) {
		fprintf(stderr, "mtcheck build: cannot run '%s': %s\n", o->command[0], strerror(err));
		return -1;
	}
	/* ^C goes to the build; mtcheck waits for it and cleans up */
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	return status;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The findings of the build: the per-unit reports, then the .mtcheck
 * sections of the files the wrappers saw written.  0, or 2 with a message.
 */
static int collect(const char *state, struct mtc_findings *fs, bool *multi_target)
{
	char path[PATH_MAX];
	char **files = NULL;
	size_t n = 0, cap = 0;
	struct mtc_error err = { 0 };
	struct mtc_read_conf rc = { .empty_ok = true };
	int status = BUILD_ERROR;

	DIR *d = path_join(path, sizeof(path), state, "reports") ? opendir(path) : NULL;
	struct dirent *e;

	while (d && (e = readdir(d))) {
		size_t len = strlen(e->d_name);

		if (len < 5 || strcmp(e->d_name + len - 5, ".json"))
			continue;
		if (n == cap) {
			char **v = realloc(files, (cap = cap ? 2 * cap : 64) * sizeof(*v));

			if (!v)
				goto oom;
			files = v;
		}
		if (asprintf(&files[n], "%s/%s", path, e->d_name) < 0)
			goto oom;
		n++;
	}
	if (d)
		closedir(d);
	d = NULL;
	/* in name order, so that which unit a repeated finding is kept from is fixed */
	if (n)
		qsort(files, n, sizeof(*files), cmp_str);
	if (mtc_report_merge((const char *const *)files, n, fs, &rc, &err) < 0) {
		fprintf(stderr, "mtcheck build: %s\n", err.message);
		goto out;
	}
	*multi_target = rc.multi_target;

	FILE *f = path_join(path, sizeof(path), state, "outputs") ? fopen(path, "r") : NULL;
	char line[PATH_MAX + 2];
	char **outs = NULL;
	size_t nr_outs = 0, cap_outs = 0;

	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (nr_outs == cap_outs) {
			char **v = realloc(outs, (cap_outs = cap_outs ? 2 * cap_outs : 64) * sizeof(*v));

			if (!v)
				break;
			outs = v;
		}
		if (!(outs[nr_outs] = strdup(line)))
			break;
		nr_outs++;
	}
	if (f)
		fclose(f);
	if (nr_outs)
		qsort(outs, nr_outs, sizeof(*outs), cmp_str);
	status = 0;
	for (size_t i = 0; i < nr_outs; i++) {
		struct mtc_probed_input in;

		if (i && !strcmp(outs[i], outs[i - 1]))
			continue;
		/* a file that is gone (a temporary object) or holds no section is no error */
		if (access(outs[i], R_OK) || mtc_frontend_section.probe(outs[i], &in.probed, NULL) <= 0)
			continue;
		in.ops = &mtc_frontend_section;
		if (in.ops->findings(outs[i], in.probed, NULL, fs, &err) < 0) {
			fprintf(stderr, "mtcheck build: %s\n", err.message);
			status = BUILD_ERROR;
		}
		mtc_frontend_release(&in);
	}
	for (size_t i = 0; i < nr_outs; i++)
		free(outs[i]);
	free(outs);
	mtc_findings_sort(fs);
	goto out;
oom:
	fprintf(stderr, "mtcheck build: out of memory\n");
out:
	if (d)
		closedir(d);
	for (size_t i = 0; i < n; i++)
		free(files[i]);
	free(files);
	return status;
}

int mtc_cli_build(int argc, char **argv)
{
	struct build_options o = { .format = MTC_FORMAT_TEXT };
	int status = parse_build_args(argc, argv, &o);
	char plugin[PATH_MAX], self[PATH_MAX], gcc_real[PATH_MAX], state[PATH_MAX], bin[PATH_MAX];
	char reports[PATH_MAX + 16];

	if (status)
		return status < 0 ? BUILD_CLEAN : status;
	if (mtc_cli_plugin_find(plugin, sizeof(plugin)))
		return BUILD_ERROR;
#ifdef MTCHECK_PLUGIN_GCC
	if (!realpath(MTCHECK_PLUGIN_GCC, gcc_real)) {
		fprintf(stderr, "mtcheck build: %s, the GCC the plugin was built for: %s\n",
			MTCHECK_PLUGIN_GCC, strerror(errno));
		return BUILD_ERROR;
	}
#else
	fprintf(stderr, "mtcheck build: this mtcheck was built without its GCC plugin\n");
	return BUILD_ERROR;
#endif
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0) {
		fprintf(stderr, "mtcheck build: cannot tell where mtcheck itself is (/proc/self/exe)\n");
		return BUILD_ERROR;
	}
	self[n] = '\0';

	struct mtc_ruleset *rs = mtc_ruleset_new();
	struct mtc_config *cfg = mtc_config_new();
	struct mtc_findings *fs = mtc_findings_new();
	struct mtc_error err = { 0 };
	bool have_state = false, multi = false;

	status = BUILD_ERROR;
	if (!rs || !cfg || !fs) {
		fprintf(stderr, "mtcheck build: out of memory\n");
		goto out;
	}
	struct mtc_setup_conf setup = {
		.rules_paths = o.rules_paths, .nr_rules_paths = (size_t)o.nr_rules_paths,
		.config_path = o.config_path,
		.switches = o.switches, .nr_switches = (size_t)o.nr_switches,
	};

	/* the configuration and rules are checked before the build starts */
	if (mtc_setup_rules(rs, cfg, &setup, &err)) {
		fprintf(stderr, "mtcheck: %s\n", err.message);
		goto out;
	}
	if (!o.fail_on_set)
		mtc_config_fail_on(cfg, &o.fail_on);

	const char *tmp = getenv("TMPDIR");

	snprintf(state, sizeof(state), "%s/mtcheck-build.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(state)) {
		fprintf(stderr, "mtcheck build: cannot make a private directory in %s: %s\n",
			tmp && *tmp ? tmp : "/tmp", strerror(errno));
		goto out;
	}
	have_state = true;
	int ret = !path_join(bin, sizeof(bin), state, "bin") ||
		  !path_join(reports, sizeof(reports), state, "reports") ? -ENAMETOOLONG :
		  mkdir(bin, 0700) || mkdir(reports, 0700) ? -errno : write_args(state, &o);

	if (ret || make_wrappers(bin, self, gcc_real) < 0) {
		fprintf(stderr, "mtcheck build: cannot set up %s: %s\n", state,
			strerror(ret ? -ret : errno));
		goto out;
	}
	char *path = NULL;
	const char *old_path = getenv("PATH");

	if (asprintf(&path, "%s%s%s", bin, old_path ? ":" : "", old_path ? old_path : "") < 0) {
		fprintf(stderr, "mtcheck build: out of memory\n");
		goto out;
	}
	setenv("PATH", path, 1);
	free(path);
	setenv(ENV_STATE, state, 1);
	setenv(ENV_PLUGIN, plugin, 1);
	setenv(ENV_GCC, gcc_real, 1);
	unsetenv(ENV_INNER);

	int ws = run_command(&o);

	if (ws == -1)
		goto out;
	if (collect(state, fs, &multi))
		goto out;
	if (mtc_cli_write_report(fs, o.format, o.output, rs, multi, o.min_confidence, false))
		goto out;
	if (WIFEXITED(ws) && WEXITSTATUS(ws)) {
		fprintf(stderr, "mtcheck build: the build command failed (exit status %d)\n",
			WEXITSTATUS(ws));
		status = BUILD_FAILED;
	} else if (WIFSIGNALED(ws)) {
		fprintf(stderr, "mtcheck build: the build command was killed by signal %d (%s)\n",
			WTERMSIG(ws), strsignal(WTERMSIG(ws)));
		status = BUILD_FAILED;
	} else {
		status = mtc_findings_max_severity_shown(fs, o.min_confidence) >= o.fail_on
				 ? BUILD_FINDINGS : BUILD_CLEAN;
	}
out:
	if (have_state && o.keep)
		fprintf(stderr, "mtcheck build: the per-unit reports are in %s\n", reports);
	else if (have_state)
		nftw(state, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	mtc_findings_free(fs);
	mtc_config_free(cfg);
	mtc_ruleset_free(rs);
	return status;
}
