// SPDX-License-Identifier: MIT
/* mtcheck: report endianness-dependent union overlays in objects and BTF. */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mtcheck/analysis.h"
#include "mtcheck/config.h"
#include "mtcheck/frontend.h"
#include "mtcheck/report.h"
#include "mtcheck/rules.h"
#include "build.h"
#include "merge.h"
#include "plugin_path.h"

enum exit_status {
	EXIT_CLEAN = 0,		/* nothing at or above --fail-on */
	EXIT_FINDINGS = 1,
	EXIT_ERROR = 2,		/* usage or input error */
};

/* Everything the command line decides, in one place. */
struct options {
	enum mtc_format format;
	const char *output;
	const char *config_path;
	const char *rules_paths[16];
	int nr_rules_paths;
	struct mtc_rule_switch switches[32];	/* --enable/--disable in command-line order */
	int nr_switches;
	enum mtc_severity fail_on;
	bool fail_on_set;
	enum mtc_confidence min_confidence;	/* shown in text, counted by --fail-on */
	const char *only_type;
	const char *explain;
	const char *emit_asserts;	/* also write the findings as a C header of checks */
	bool list_rules;
	bool merge;			/* --merge: the inputs are reports */
	const char *baseline;		/* --baseline: an earlier report; fail only on new findings */
	bool keep_going;
	int jobs;
	char **inputs;
	int nr_inputs;
	/* C sources */
	struct mtc_target targets[16];	/* --target, in order; the host when none */
	int nr_targets;
	bool target_given;		/* --target was given; else the build's (-p) or the host */
	const char *build_dir;		/* -p: compile_commands.json is there */
	bool system_headers;		/* report records declared in system headers */
	const char *const *flags;	/* compiler flags after "--" */
	size_t nr_flags;
};

static const char usage_text[] =
	"Usage: mtcheck [OPTION]... INPUT...\n"
	"  or:  mtcheck [OPTION]... SOURCE... [-- COMPILER-FLAGS]\n"
	"  or:  mtcheck build [OPTION]... -- BUILD-COMMAND...  (see mtcheck build --help)\n"
	"Report unions whose members overlay a wide scalar with narrower ones, so\n"
	"that what the wide member reads depends on byte order.\n"
	"\n"
	"INPUT is an ELF object, executable or shared library built with -g, an ELF\n"
	"with a .BTF section, a raw BTF file such as /sys/kernel/btf/vmlinux, or a\n"
	"C source file (.c, .h), laid out by libclang for each --target.  An object,\n"
	"archive (.a) or program compiled with mtcheck's GCC plugin is reported from\n"
	"the findings the plugin left in its .mtcheck section.\n"
	"\n"
	"Options:\n"
	"  --target=TRIPLE[,TRIPLE]  lay sources out for these targets (default: the\n"
	"                            host); with both byte orders, overlays that the\n"
	"                            source already adapts are recognised\n"
	"  -p BUILD_DIR              take each source's flags from\n"
	"                            BUILD_DIR/compile_commands.json\n"
	"  --system-headers          also report records declared in system headers\n"
	"\n"
	"  --format=text|json|sarif|codeclimate\n"
	"                            report format (default text); codeclimate is\n"
	"                            GitLab Code Quality\n"
	"  -o, --output=FILE         write the report to FILE instead of stdout\n"
	"  --config=FILE             configuration (default: .mtcheck.yaml found\n"
	"                            upward from the current directory)\n"
	"  --rules=PATH              add rule files (a .yaml file or a directory)\n"
	"  --enable=IDS              switch rules on (comma-separated ids)\n"
	"  --disable=IDS             switch rules off\n"
	"  --fail-on=note|warning|error\n"
	"                            exit 1 when a finding that is shown is at least\n"
	"                            this severe (default warning)\n"
	"  --min-confidence=low|medium|high\n"
	"                            show findings of at least this confidence in the\n"
	"                            text report and count only them for --fail-on\n"
	"                            (default medium; JSON and SARIF hold every finding)\n"
	"  --all                     show every finding: --min-confidence=low\n"
	"  --type=NAME               analyse only this record ('struct foo' or 'foo')\n"
	"  --explain=NAME            draw the byte lanes of one record and exit\n"
	"  --emit-asserts=FILE       also write a C header with static assertions and\n"
	"                            run-time self-tests of every finding\n"
	"  -j, --jobs=N              inputs analysed at once (default: CPUs)\n"
	"  --keep-going              report what could be read even if some inputs\n"
	"                            could not (exit status 2 is kept otherwise)\n"
	"  --baseline=FILE           compare with an earlier JSON or SARIF report:\n"
	"                            findings are new, unchanged or absent, and\n"
	"                            --fail-on counts only new ones\n"
	"  --merge                   the inputs are JSON or SARIF reports (the GCC\n"
	"                            plugin's per-unit files): write one report with\n"
	"                            each finding once\n"
	"  --plugin-path             print the path of the GCC plugin and exit\n"
	"                            (gcc -fplugin=$(mtcheck --plugin-path) ...)\n"
	"  --runtime-path            print the path of the union sanitizer's run-time\n"
	"                            library and exit (docs/sanitizer.md)\n"
	"  --list-rules              print the rules and exit\n"
	"  --version                 print the version and exit\n"
	"  --help                    print this help and exit\n"
	"\n"
	"Exit status:\n"
	"  0  no finding at or above --fail-on\n"
	"  1  findings at or above --fail-on\n"
	"  2  usage or input error\n";

static int usage_error(const char *fmt, const char *arg)
{
	fputs("mtcheck: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'mtcheck --help' for more information.\n", stderr);
	return EXIT_ERROR;
}

enum {
	OPT_FORMAT = 256, OPT_CONFIG, OPT_RULES, OPT_ENABLE, OPT_DISABLE, OPT_FAIL_ON,
	OPT_TYPE, OPT_EXPLAIN, OPT_LIST_RULES, OPT_VERSION, OPT_HELP, OPT_KEEP_GOING,
	OPT_TARGET, OPT_EMIT_ASSERTS, OPT_MERGE, OPT_PLUGIN_PATH, OPT_RUNTIME_PATH, OPT_MIN_CONFIDENCE,
	OPT_ALL, OPT_SYSTEM_HEADERS, OPT_BASELINE,
};

static const struct option long_options[] = {
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "output", required_argument, NULL, 'o' },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "rules", required_argument, NULL, OPT_RULES },
	{ "enable", required_argument, NULL, OPT_ENABLE },
	{ "disable", required_argument, NULL, OPT_DISABLE },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "min-confidence", required_argument, NULL, OPT_MIN_CONFIDENCE },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "system-headers", no_argument, NULL, OPT_SYSTEM_HEADERS },
	{ "type", required_argument, NULL, OPT_TYPE },
	{ "explain", required_argument, NULL, OPT_EXPLAIN },
	{ "jobs", required_argument, NULL, 'j' },
	{ "keep-going", no_argument, NULL, OPT_KEEP_GOING },
	{ "target", required_argument, NULL, OPT_TARGET },
	{ "emit-asserts", required_argument, NULL, OPT_EMIT_ASSERTS },
	{ "merge", no_argument, NULL, OPT_MERGE },
	{ "baseline", required_argument, NULL, OPT_BASELINE },
	{ "plugin-path", no_argument, NULL, OPT_PLUGIN_PATH },
	{ "runtime-path", no_argument, NULL, OPT_RUNTIME_PATH },
	{ "list-rules", no_argument, NULL, OPT_LIST_RULES },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

/* 0 to go on, or the exit status to stop with (-1 for a clean exit). */
static int parse_args(int argc, char **argv, struct options *o)
{
	int c;

	o->fail_on = MTC_SEV_WARNING;
	o->min_confidence = MTC_CONF_MEDIUM;
	/* everything after "--" is the compiler's */
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			o->flags = (const char *const *)argv + i + 1;
			o->nr_flags = (size_t)(argc - i - 1);
			argc = i;
			break;
		}
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:j:p:", long_options, NULL)) != -1) {
		switch (c) {
		case OPT_FORMAT:
			if (mtc_format_parse(optarg, &o->format))
				return usage_error("--format: '%s' is not text, json, sarif or codeclimate",
						   optarg);
			break;
		case 'o':
			o->output = optarg;
			break;
		case OPT_CONFIG:
			o->config_path = optarg;
			break;
		case OPT_RULES:
			if (o->nr_rules_paths == 16)
				return usage_error("%s: at most 16 --rules", "--rules");
			o->rules_paths[o->nr_rules_paths++] = optarg;
			break;
		case OPT_ENABLE:
		case OPT_DISABLE: {
			if (o->nr_switches == 32)
				return usage_error("%s: given too often", argv[optind - 1]);
			o->switches[o->nr_switches].ids = optarg;
			o->switches[o->nr_switches++].enable = c == OPT_ENABLE;
			break;
		}
		case OPT_FAIL_ON:
			if (mtc_severity_parse(optarg, false, &o->fail_on))
				return usage_error("--fail-on: '%s' is not note, warning or error",
						   optarg);
			o->fail_on_set = true;
			break;
		case OPT_MIN_CONFIDENCE:
			if (mtc_confidence_parse(optarg, &o->min_confidence))
				return usage_error("--min-confidence: '%s' is not low, medium or high",
						   optarg);
			break;
		case OPT_ALL:
			o->min_confidence = MTC_CONF_LOW;
			break;
		case OPT_SYSTEM_HEADERS:
			o->system_headers = true;
			break;
		case OPT_TYPE:
			o->only_type = optarg;
			break;
		case OPT_EXPLAIN:
			o->explain = optarg;
			break;
		case 'j': {
			char *end;
			long j = strtol(optarg, &end, 10);

			if (*end || j < 1 || j > 1024)
				return usage_error("--jobs: '%s' is not a number from 1 to 1024",
						   optarg);
			o->jobs = (int)j;
			break;
		}
		case OPT_KEEP_GOING:
			o->keep_going = true;
			break;
		case OPT_TARGET: {
			char *save = NULL, *copy = strdup(optarg);

			if (!copy)
				return usage_error("%s", "out of memory");
			for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
				if (o->nr_targets == 16) {
					free(copy);
					return usage_error("%s", "--target: at most 16 targets");
				}
				snprintf(o->targets[o->nr_targets++].triple,
					 sizeof(o->targets[0].triple), "%s", t);
			}
			o->target_given = true;
			free(copy);
			break;
		}
		case 'p':
			o->build_dir = optarg;
			break;
		case OPT_EMIT_ASSERTS:
			o->emit_asserts = optarg;
			break;
		case OPT_LIST_RULES:
			o->list_rules = true;
			break;
		case OPT_MERGE:
			o->merge = true;
			break;
		case OPT_BASELINE:
			o->baseline = optarg;
			break;
		case OPT_PLUGIN_PATH:
			return mtc_cli_plugin_path() ? EXIT_ERROR : -1;
		case OPT_RUNTIME_PATH:
			return mtc_cli_runtime_path() ? EXIT_ERROR : -1;
		case OPT_VERSION:
			printf("mtcheck %s\n", mtc_version());
			return -1;
		case OPT_HELP:
			fputs(usage_text, stdout);
			return -1;
		case ':':
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	o->inputs = argv + optind;
	o->nr_inputs = argc - optind;
	if (!o->nr_inputs && !o->list_rules)
		return usage_error("%s", "no input given");
	return 0;
}

/* Standard output written out; 0 or a negative errno (a full disk, a closed pipe). */
static int flush_stdout(void)
{
	if (fflush(stdout) || ferror(stdout))
		return errno ? -errno : -EIO;
	return 0;
}

/* The exit status once everything for standard output was printed. */
static int finish_stdout(int status)
{
	int ret = flush_stdout();

	if (ret && status != EXIT_ERROR) {
		fprintf(stderr, "mtcheck: standard output: %s\n", strerror(-ret));
		return EXIT_ERROR;
	}
	return status;
}

static void list_rules(const struct mtc_ruleset *rs, const struct mtc_config *cfg)
{
	for (size_t i = 0; i < mtc_ruleset_count(rs); i++) {
		const struct mtc_rule *r = mtc_ruleset_at(rs, i);
		enum mtc_severity s = mtc_config_severity(cfg, r);

		printf("%-6s %-28s %-8s %s\n", r->id, r->name,
		       s == MTC_SEV_NONE ? "off" : mtc_severity_name(s), r->summary);
	}
}

/* One piece of work: an object, or a source laid out for one target. */
struct unit {
	int input;
	int target;		/* index into options.targets; -1 for objects */
	const struct mtc_probed_input *in;	/* NULL: the probe failed, err says why */
	struct mtc_error err;
	bool type_found;
	/*
	 * What the unit found, gathered into the report in input order once
	 * every thread is done: which input a repeated finding is kept from
	 * must not depend on which thread came first (-j N reports as -j 1).
	 */
	struct mtc_findings *found;
};

/* Work shared by the analysis threads. */
struct job {
	const struct options *o;
	const struct mtc_analysis_conf *conf;
	struct mtc_findings *findings;
	struct mtc_multi *multi;	/* several targets: per-target findings */
	struct unit *units;
	int nr_units;
	pthread_mutex_t lock;
	int next, done;
	bool progress;			/* a progress line on a terminal */
	struct strbuf_list {
		char **v;
		size_t n, cap;
	} dropped,			/* compiler flags clang did not know */
	  db_dropped;			/* flags of the compile database left out */
};

/* Add @f to @l unless it is there; under the job's lock. */
static void add_unique(struct strbuf_list *l, const char *f)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], f))
			return;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		char **v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return;
		l->v = v;
		l->cap = cap;
	}
	if ((l->v[l->n] = strdup(f)))
		l->n++;
}

static void note_dropped(void *ctx, const char *input, const char *flags)
{
	struct job *jb = ctx;
	char *copy = strdup(flags), *save = NULL;

	(void)input;
	if (!copy)
		return;
	pthread_mutex_lock(&jb->lock);
	for (char *f = strtok_r(copy, " ", &save); f; f = strtok_r(NULL, " ", &save))
		add_unique(&jb->dropped, f);
	pthread_mutex_unlock(&jb->lock);
	free(copy);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Load one probed input: for one target when its front end lays it out per
 * target (C sources, with the build's or the command line's flags).
 */
static int load_input(const struct options *o, const struct mtc_probed_input *in,
		      const char *path, int target, struct job *jb, struct mtc_model **m,
		      struct mtc_error *err)
{
	if (!in->ops->per_target)
		return mtc_frontend_load(in, path, NULL, m, err);

	struct mtc_frontend_conf fc = {
		.triple = o->targets[target].triple,
		.args = o->flags,
		.nr_args = o->nr_flags,
		.note = jb ? note_dropped : NULL,
		.note_ctx = jb,
		.system_headers = o->system_headers,
	};
	struct mtc_compile_command cmd = { 0 };
	int ret;

	if (o->build_dir) {
		if ((ret = mtc_compile_db_command(o->build_dir, path, &cmd, err))) {
			mtc_compile_command_free(&cmd);
			return ret;
		}
		fc.args = (const char *const *)cmd.args;
		fc.nr_args = cmd.nr_args;
		/* without --target, the target the build compiled for */
		if (!o->target_given && cmd.triple)
			fc.triple = cmd.triple;
		if (jb) {
			pthread_mutex_lock(&jb->lock);
			for (size_t i = 0; i < cmd.nr_dropped; i++)
				add_unique(&jb->db_dropped, cmd.dropped[i]);
			pthread_mutex_unlock(&jb->lock);
		}
	}
	ret = mtc_frontend_load(in, path, &fc, m, err);
	mtc_compile_command_free(&cmd);
	return ret;
}

static void analyse_unit(struct job *jb, struct unit *u)
{
	const char *path = jb->o->inputs[u->input];
	struct mtc_model *m = NULL;
	int ret;

	if (u->in && u->in->ops->findings) {
		/* the compiler's findings, kept in the object (.mtcheck) */
		if (!(u->found = mtc_findings_new()))
			mtc_error_set(&u->err, -ENOMEM, "%s: out of memory", path);
		/* with --type: the section lists records with findings only, so no "not found" */
		else if (u->in->ops->findings(path, u->in->probed, jb->conf->only_type, u->found,
					      &u->err) >= 0)
			u->type_found = jb->conf->only_type != NULL;
		return;
	}
	if (!u->in || load_input(jb->o, u->in, path, u->target, jb, &m, &u->err))
		return;
	if (jb->multi && u->target >= 0 && mtc_multi_add_records(jb->multi, (size_t)u->target, m))
		mtc_error_set(&u->err, -ENOMEM, "%s: out of memory", path);
	if (!(u->found = mtc_findings_new())) {
		mtc_error_set(&u->err, -ENOMEM, "%s: out of memory", path);
		mtc_model_free(m);
		return;
	}
	/* with --type, an input that lacks the record is no error when another has it */
	ret = mtc_analyze(m, jb->conf, u->found, &u->err);
	if (ret == -ENOENT && jb->conf->only_type)
		mtc_error_clear(&u->err);
	else if (ret >= 0 && jb->conf->only_type)
		u->type_found = true;
	mtc_model_free(m);
}

static void *worker(void *arg)
{
	struct job *jb = arg;

	for (;;) {
		pthread_mutex_lock(&jb->lock);
		int i = jb->next++;

		pthread_mutex_unlock(&jb->lock);
		if (i >= jb->nr_units)
			return NULL;
		analyse_unit(jb, &jb->units[i]);
		pthread_mutex_lock(&jb->lock);
		jb->done++;
		if (jb->progress)
			fprintf(stderr, "\r\033[Kmtcheck: [%d/%d] %s", jb->done, jb->nr_units,
				jb->o->inputs[jb->units[i].input]);
		pthread_mutex_unlock(&jb->lock);
	}
}

/*
 * Objects are analysed once, sources once per target.  Returns the number
 * of units that failed (their messages printed), or a negative errno.
 */
static int run_analysis(const struct options *o, const struct mtc_analysis_conf *conf,
			struct mtc_findings *fs)
{
	struct job jb = { .o = o, .conf = conf, .findings = fs };
	int nr_sources = 0, failed = 0, ret = 0;
	/* each input is probed once: its front end, and what the look found */
	struct mtc_probed_input *in = calloc((size_t)o->nr_inputs, sizeof(*in));
	struct mtc_error *probe_err = calloc((size_t)o->nr_inputs, sizeof(*probe_err));

	if (!in || !probe_err) {
		free(in);
		free(probe_err);
		return -ENOMEM;
	}
	for (int i = 0; i < o->nr_inputs; i++)
		if (!mtc_frontend_probe(o->inputs[i], &in[i], &probe_err[i]) &&
		    in[i].ops->per_target)
			nr_sources++;
	jb.units = calloc((size_t)(o->nr_inputs + nr_sources * o->nr_targets), sizeof(*jb.units));
	if (!jb.units) {
		ret = -ENOMEM;
		goto out;
	}
	for (int i = 0; i < o->nr_inputs; i++) {
		bool per_target = in[i].ops && in[i].ops->per_target;

		for (int t = 0; t < (per_target ? o->nr_targets : 1); t++) {
			struct unit *u = &jb.units[jb.nr_units++];

			u->input = i;
			u->target = per_target ? t : -1;
			u->in = in[i].ops ? &in[i] : NULL;
			if (!u->in)
				u->err = probe_err[i];
		}
	}
	if (nr_sources && o->nr_targets > 1 && !(jb.multi = mtc_multi_new(o->targets, (size_t)o->nr_targets))) {
		ret = -ENOMEM;
		goto out;
	}
	int jobs = o->jobs ? o->jobs : (int)sysconf(_SC_NPROCESSORS_ONLN);

	if (jobs < 1)
		jobs = 1;
	if (jobs > jb.nr_units)
		jobs = jb.nr_units;
	jb.progress = jb.nr_units >= 8 && isatty(STDERR_FILENO);
	pthread_mutex_init(&jb.lock, NULL);
	pthread_t *th = calloc((size_t)jobs, sizeof(*th));
	int started = 0;

	for (int i = 1; th && i < jobs; i++)
		if (!pthread_create(&th[started], NULL, worker, &jb))
			started++;
	worker(&jb);
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	free(th);
	pthread_mutex_destroy(&jb.lock);
	if (jb.progress)
		fputs("\r\033[K", stderr);

	if (jb.db_dropped.n) {
		qsort(jb.db_dropped.v, jb.db_dropped.n, sizeof(*jb.db_dropped.v), cmp_str);
		fprintf(stderr, "mtcheck: note: %zu flag%s of %s/compile_commands.json change%s neither "
			"preprocessing nor layout and %s not given to clang:", jb.db_dropped.n,
			jb.db_dropped.n == 1 ? "" : "s", o->build_dir,
			jb.db_dropped.n == 1 ? "s" : "", jb.db_dropped.n == 1 ? "was" : "were");
		for (size_t i = 0; i < jb.db_dropped.n; i++)
			fprintf(stderr, " %s", jb.db_dropped.v[i]);
		fputc('\n', stderr);
	}
	if (jb.dropped.n) {
		fputs("mtcheck: note: clang does not know these compiler flags and ignored them:", stderr);
		for (size_t i = 0; i < jb.dropped.n; i++)
			fprintf(stderr, " %s", jb.dropped.v[i]);
		fputc('\n', stderr);
	}
	bool any_type = false;

	for (int i = 0; i < jb.nr_units; i++) {
		struct unit *u = &jb.units[i];
		struct mtc_findings *out = jb.multi && u->target >= 0 ?
			mtc_multi_findings(jb.multi, (size_t)u->target) : fs;

		struct mtc_error oom = { 0 };

		if (u->found && mtc_findings_add_copies(out, u->found, &oom) && !u->err.code)
			mtc_error_set(&u->err, -ENOMEM, "%s: out of memory", o->inputs[u->input]);
		mtc_findings_free(u->found);
		if (jb.units[i].err.code) {
			fprintf(stderr, "mtcheck: %s\n", jb.units[i].err.message);
			failed++;
		}
		any_type |= jb.units[i].type_found;
	}
	/* a build's worth of units: how many of them the messages above were */
	if (o->build_dir && failed)
		fprintf(stderr, "mtcheck: %d of %d unit%s could not be analysed\n", failed,
			jb.nr_units, jb.nr_units == 1 ? "" : "s");
	if (o->only_type && !any_type && !failed) {
		fprintf(stderr, "mtcheck: no input declares a record named '%s'\n", o->only_type);
		failed++;
	}
	if (jb.multi) {
		struct mtc_error err = { 0 };

		if (mtc_multi_combine(jb.multi, conf->rules, conf->config, fs, &err)) {
			fprintf(stderr, "mtcheck: %s\n", err.message);
			ret = err.code;
		}
		mtc_multi_free(jb.multi);
	}
	for (size_t i = 0; i < jb.dropped.n; i++)
		free(jb.dropped.v[i]);
	free(jb.dropped.v);
	for (size_t i = 0; i < jb.db_dropped.n; i++)
		free(jb.db_dropped.v[i]);
	free(jb.db_dropped.v);
out:
	for (int i = 0; i < o->nr_inputs; i++)
		mtc_frontend_release(&in[i]);
	free(in);
	free(probe_err);
	free(jb.units);
	return ret ? ret : failed;
}

static int cmp_rank(const void *a, const void *b)
{
	const struct mtc_finding *x = *(const struct mtc_finding *const *)a;
	const struct mtc_finding *y = *(const struct mtc_finding *const *)b;

	return x->rank != y->rank ? (x->rank > y->rank ? -1 : 1) : (x < y ? -1 : x > y);
}

/* --explain's last part: the record's findings, each with why it is as sure as it is. */
static int explain_findings(const struct mtc_model *m, const struct mtc_type *r,
			    const struct mtc_analysis_conf *conf)
{
	struct mtc_analysis_conf one = *conf;
	struct mtc_findings *fs = mtc_findings_new();
	struct mtc_error err = { 0 };
	const struct mtc_finding **v = NULL;
	int ret = -ENOMEM;

	one.only_type = r->name;
	if (!fs || (ret = mtc_analyze(m, &one, fs, &err)) < 0)
		goto out;
	size_t n = mtc_findings_count(fs);

	ret = -ENOMEM;
	if (!(v = calloc(n ? n : 1, sizeof(*v))))
		goto out;
	mtc_findings_sort(fs);
	for (size_t i = 0; i < n; i++)
		v[i] = mtc_findings_at(fs, i);
	qsort(v, n, sizeof(*v), cmp_rank);
	printf("\n  findings, the most likely hazard first (%zu):\n", n);
	for (size_t i = 0; i < n; i++) {
		char *msg = mtc_finding_message(v[i], 0), *why = mtc_finding_confidence_text(v[i]);

		if (msg && why)
			printf("    %s\n      %s (rank %u)\n", msg, why, v[i]->rank);
		free(msg);
		free(why);
		if (!msg || !why)
			goto out;
	}
	ret = 0;
out:
	if (ret < 0)
		fprintf(stderr, "mtcheck: %s\n", err.code ? err.message : "out of memory");
	free(v);
	mtc_findings_free(fs);
	return ret;
}

static int explain(const struct options *o, const struct mtc_analysis_conf *conf)
{
	int status = EXIT_ERROR;
	bool found = false;

	for (int i = 0; i < o->nr_inputs; i++) {
		struct mtc_error err = { 0 };
		struct mtc_model *m = NULL;
		struct mtc_probed_input in;
		int ret = mtc_frontend_probe(o->inputs[i], &in, &err);

		if (!ret) {
			ret = load_input(o, &in, o->inputs[i], 0, NULL, &m, &err);
			mtc_frontend_release(&in);
		}
		if (ret) {
			fprintf(stderr, "mtcheck: %s\n", err.message);
			return EXIT_ERROR;
		}
		const struct mtc_type *r = mtc_model_find_record(m, o->explain);

		if (r) {
			found = true;
			mtc_explain(stdout, m, r);
			status = explain_findings(m, r, conf) ? EXIT_ERROR : EXIT_CLEAN;
		}
		mtc_model_free(m);
		if (r)
			break;
	}
	if (!found)
		fprintf(stderr, "mtcheck: no input declares a record named '%s'\n", o->explain);
	return status;
}

int main(int argc, char **argv)
{
	/* mtcheck build, and the compiler wrappers it puts on PATH (build.c) */
	if (argc && mtc_cli_is_wrapper(argv[0]))
		return mtc_cli_wrap(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "build"))
		return mtc_cli_build(argc - 1, argv + 1);

	struct options o = { .format = MTC_FORMAT_TEXT };
	struct mtc_error err = { 0 };
	int status = parse_args(argc, argv, &o);

	if (status)
		return status < 0 ? finish_stdout(EXIT_CLEAN) : status;

	struct mtc_ruleset *rs = mtc_ruleset_new();
	struct mtc_config *cfg = mtc_config_new();
	struct mtc_findings *fs = mtc_findings_new(), *base = NULL;

	status = EXIT_ERROR;
	if (!rs || !cfg || !fs) {
		fprintf(stderr, "mtcheck: out of memory\n");
		goto out;
	}
	struct mtc_setup_conf setup = {
		.rules_paths = o.rules_paths, .nr_rules_paths = (size_t)o.nr_rules_paths,
		.config_path = o.config_path,
		.switches = o.switches, .nr_switches = (size_t)o.nr_switches,
	};

	if (mtc_setup_rules(rs, cfg, &setup, &err)) {
		fprintf(stderr, "mtcheck: %s\n", err.message);
		goto out;
	}
	if (!o.fail_on_set)
		mtc_config_fail_on(cfg, &o.fail_on);
	if (o.baseline && !o.list_rules && !o.explain && !(base = mtc_cli_baseline_read(o.baseline)))
		goto out;
	if (o.merge) {
		status = mtc_cli_merge(o.inputs, o.nr_inputs, o.format, o.output, rs, o.fail_on,
				       o.min_confidence, base);
		goto out;
	}
	if (o.list_rules) {
		list_rules(rs, cfg);
		status = EXIT_CLEAN;
		goto out;
	}
	if (!o.nr_targets) {
		snprintf(o.targets[0].triple, sizeof(o.targets[0].triple), "%s", MTC_HOST_TRIPLE);
		o.nr_targets = 1;
	}
	struct mtc_analysis_conf conf = { .rules = rs, .config = cfg, .only_type = o.only_type };

	if (o.explain) {
		status = explain(&o, &conf);
		goto out;
	}
	int failed = run_analysis(&o, &conf, fs);

	if (failed < 0) {
		if (failed == -ENOMEM)
			fprintf(stderr, "mtcheck: out of memory\n");
		goto out;
	}
	if (failed && !o.keep_going)
		goto out;	/* the messages are on stderr; no partial report */
	mtc_findings_sort(fs);
	if (base && mtc_cli_baseline_compare(fs, base))
		goto out;

	/*
	 * The header first: when it cannot be written the run fails, and a
	 * failed run prints no report.
	 */
	int ret;

	if (o.emit_asserts) {
		FILE *h = fopen(o.emit_asserts, "w");

		ret = h ? mtc_report_asserts(h, fs, mtc_version()) : -errno;
		if (h && fclose(h) && !ret)
			ret = -errno;
		if (ret) {
			fprintf(stderr, "mtcheck: %s: cannot write the header: %s\n", o.emit_asserts,
				strerror(-ret));
			goto out;
		}
	}
	FILE *out = stdout;

	if (o.output && !(out = fopen(o.output, "w"))) {
		fprintf(stderr, "mtcheck: %s: %s\n", o.output, strerror(errno));
		goto out;
	}
	struct mtc_report_conf rc = { .format = o.format, .rules = rs,
				      .tool_version = mtc_version(),
				      .multi_target = o.nr_targets > 1,
				      .min_confidence = o.min_confidence, .baseline = base != NULL };

	ret = mtc_report_write(out, fs, &rc);
	if (out != stdout && fclose(out) && !ret)
		ret = -errno;
	else if (out == stdout && !ret)
		ret = flush_stdout();
	if (ret) {
		fprintf(stderr, "mtcheck: %s: cannot write the report: %s\n",
			o.output ? o.output : "standard output", strerror(-ret));
		goto out;
	}
	if (failed)
		status = EXIT_ERROR;
	else
		status = mtc_findings_max_severity_shown(fs, o.min_confidence) >= o.fail_on
				 ? EXIT_FINDINGS : EXIT_CLEAN;
out:
	mtc_findings_free(base);
	mtc_findings_free(fs);
	mtc_config_free(cfg);
	mtc_ruleset_free(rs);
	return finish_stdout(status);
}
