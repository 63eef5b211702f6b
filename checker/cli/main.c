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
	struct {
		const char *ids;
		bool enable;
	} switches[32];		/* --enable/--disable in command-line order */
	int nr_switches;
	enum mtc_severity fail_on;
	bool fail_on_set;
	const char *only_type;
	const char *explain;
	bool list_rules;
	bool keep_going;
	int jobs;
	char **inputs;
	int nr_inputs;
};

static const char usage_text[] =
	"usage: mtcheck [OPTION]... INPUT...\n"
	"Report unions whose members overlay a wide scalar with narrower ones, so\n"
	"that what the wide member reads depends on byte order.\n"
	"\n"
	"INPUT is an ELF object, executable or shared library built with -g, an ELF\n"
	"with a .BTF section, or a raw BTF file such as /sys/kernel/btf/vmlinux.\n"
	"\n"
	"  --format=text|json|sarif  report format (default text)\n"
	"  -o, --output=FILE         write the report to FILE instead of stdout\n"
	"  --config=FILE             configuration (default: .mtcheck.yaml found\n"
	"                            upward from the current directory)\n"
	"  --rules=PATH              add rule files (a .yaml file or a directory)\n"
	"  --enable=IDS              switch rules on (comma-separated ids)\n"
	"  --disable=IDS             switch rules off\n"
	"  --fail-on=note|warning|error\n"
	"                            exit 1 when a finding is at least this severe\n"
	"                            (default warning)\n"
	"  --type=NAME               analyse only this record ('struct foo' or 'foo')\n"
	"  --explain=NAME            draw the byte lanes of one record and exit\n"
	"  -j, --jobs=N              inputs analysed at once (default: CPUs)\n"
	"  --keep-going              report what could be read even if some inputs\n"
	"                            could not (exit status 2 is kept otherwise)\n"
	"  --list-rules              print the rules and exit\n"
	"  --version                 print the version and exit\n"
	"  --help                    print this help and exit\n"
	"\n"
	"Exit status: 0 no finding at or above --fail-on, 1 findings, 2 usage or\n"
	"input error.\n";

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
};

static const struct option long_options[] = {
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "output", required_argument, NULL, 'o' },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "rules", required_argument, NULL, OPT_RULES },
	{ "enable", required_argument, NULL, OPT_ENABLE },
	{ "disable", required_argument, NULL, OPT_DISABLE },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "type", required_argument, NULL, OPT_TYPE },
	{ "explain", required_argument, NULL, OPT_EXPLAIN },
	{ "jobs", required_argument, NULL, 'j' },
	{ "keep-going", no_argument, NULL, OPT_KEEP_GOING },
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
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:j:", long_options, NULL)) != -1) {
		switch (c) {
		case OPT_FORMAT:
			if (mtc_format_parse(optarg, &o->format))
				return usage_error("--format: '%s' is not text, json or sarif",
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
		case OPT_LIST_RULES:
			o->list_rules = true;
			break;
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

static int load_rules_and_config(const struct options *o, struct mtc_ruleset *rs,
				 struct mtc_config *cfg, struct mtc_error *err)
{
	int ret = mtc_ruleset_load(rs, mtc_default_rules_dir(), err);

	for (int i = 0; !ret && i < o->nr_rules_paths; i++)
		ret = mtc_ruleset_load(rs, o->rules_paths[i], err);
	if (ret)
		return ret;
	char *found = NULL;
	const char *path = o->config_path;

	if (!path)
		path = found = mtc_config_find(".");
	if (path) {
		ret = mtc_config_load(cfg, path, err);
		if (!ret)
			ret = mtc_config_check_rules(cfg, rs, err);
	}
	free(found);
	for (int i = 0; !ret && i < o->nr_switches; i++)
		ret = mtc_config_set_rules(cfg, rs, o->switches[i].ids, o->switches[i].enable, err);
	return ret;
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

/* Work shared by the analysis threads. */
struct job {
	const struct options *o;
	const struct mtc_analysis_conf *conf;
	struct mtc_findings *findings;
	pthread_mutex_t lock;
	int next;
	struct mtc_error *errors;	/* one per input */
	bool *type_found;
};

static void analyse_input(struct job *jb, int i)
{
	const char *path = jb->o->inputs[i];
	struct mtc_error *err = &jb->errors[i];
	struct mtc_model *m = NULL;
	int ret = mtc_frontend_btf.load(path, NULL, &m, err);

	if (ret)
		return;
	struct mtc_analysis_conf conf = *jb->conf;

	/* with --type, an input that lacks the record is no error when another has it */
	ret = mtc_analyze(m, &conf, jb->findings, err);
	if (ret == -ENOENT && conf.only_type) {
		mtc_error_clear(err);
	} else if (ret >= 0 && conf.only_type) {
		jb->type_found[i] = true;
	}
	mtc_model_free(m);
}

static void *worker(void *arg)
{
	struct job *jb = arg;

	for (;;) {
		pthread_mutex_lock(&jb->lock);
		int i = jb->next++;

		pthread_mutex_unlock(&jb->lock);
		if (i >= jb->o->nr_inputs)
			return NULL;
		analyse_input(jb, i);
	}
}

static int run_analysis(const struct options *o, const struct mtc_analysis_conf *conf,
			struct mtc_findings *fs, int *nr_failed)
{
	struct job jb = {
		.o = o,
		.conf = conf,
		.findings = fs,
		.errors = calloc((size_t)o->nr_inputs, sizeof(struct mtc_error)),
		.type_found = calloc((size_t)o->nr_inputs, sizeof(bool)),
	};
	int jobs = o->jobs ? o->jobs : (int)sysconf(_SC_NPROCESSORS_ONLN);

	if (!jb.errors || !jb.type_found) {
		free(jb.errors);
		free(jb.type_found);
		fprintf(stderr, "mtcheck: out of memory\n");
		return -ENOMEM;
	}
	if (jobs < 1)
		jobs = 1;
	if (jobs > o->nr_inputs)
		jobs = o->nr_inputs;
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

	bool any_type = false;

	*nr_failed = 0;
	for (int i = 0; i < o->nr_inputs; i++) {
		if (jb.errors[i].code) {
			fprintf(stderr, "mtcheck: %s\n", jb.errors[i].message);
			(*nr_failed)++;
		}
		any_type |= jb.type_found[i];
	}
	if (o->only_type && !any_type && !*nr_failed) {
		fprintf(stderr, "mtcheck: no input declares a record named '%s'\n", o->only_type);
		(*nr_failed)++;
	}
	free(jb.errors);
	free(jb.type_found);
	return 0;
}

static int explain(const struct options *o)
{
	int status = EXIT_ERROR;

	for (int i = 0; i < o->nr_inputs; i++) {
		struct mtc_error err = { 0 };
		struct mtc_model *m = NULL;

		if (mtc_frontend_btf.load(o->inputs[i], NULL, &m, &err)) {
			fprintf(stderr, "mtcheck: %s\n", err.message);
			return EXIT_ERROR;
		}
		const struct mtc_type *r = mtc_model_find_record(m, o->explain);

		if (r) {
			mtc_explain(stdout, m, r);
			status = EXIT_CLEAN;
		}
		mtc_model_free(m);
		if (r)
			break;
	}
	if (status != EXIT_CLEAN)
		fprintf(stderr, "mtcheck: no input declares a record named '%s'\n", o->explain);
	return status;
}

int main(int argc, char **argv)
{
	struct options o = { .format = MTC_FORMAT_TEXT };
	struct mtc_error err = { 0 };
	int status = parse_args(argc, argv, &o);

	if (status)
		return status < 0 ? EXIT_CLEAN : status;

	struct mtc_ruleset *rs = mtc_ruleset_new();
	struct mtc_config *cfg = mtc_config_new();
	struct mtc_findings *fs = mtc_findings_new();

	status = EXIT_ERROR;
	if (!rs || !cfg || !fs) {
		fprintf(stderr, "mtcheck: out of memory\n");
		goto out;
	}
	if (load_rules_and_config(&o, rs, cfg, &err)) {
		fprintf(stderr, "mtcheck: %s\n", err.message);
		goto out;
	}
	if (!o.fail_on_set)
		mtc_config_fail_on(cfg, &o.fail_on);
	if (o.list_rules) {
		list_rules(rs, cfg);
		status = EXIT_CLEAN;
		goto out;
	}
	if (o.explain) {
		status = explain(&o);
		goto out;
	}

	struct mtc_analysis_conf conf = { .rules = rs, .config = cfg, .only_type = o.only_type };
	int failed = 0;

	if (run_analysis(&o, &conf, fs, &failed))
		goto out;
	if (failed && !o.keep_going)
		goto out;	/* the messages are on stderr; no partial report */
	mtc_findings_sort(fs);

	FILE *out = stdout;

	if (o.output && !(out = fopen(o.output, "w"))) {
		fprintf(stderr, "mtcheck: %s: %s\n", o.output, strerror(errno));
		goto out;
	}
	struct mtc_report_conf rc = { .format = o.format, .rules = rs,
				      .tool_version = mtc_version() };
	int ret = mtc_report_write(out, fs, &rc);

	if (out != stdout && fclose(out))
		ret = -errno;
	if (ret) {
		fprintf(stderr, "mtcheck: %s: cannot write the report: %s\n",
			o.output ? o.output : "stdout", strerror(-ret));
		goto out;
	}
	if (failed)
		status = EXIT_ERROR;
	else
		status = mtc_findings_max_severity(fs) >= o.fail_on ? EXIT_FINDINGS : EXIT_CLEAN;
out:
	mtc_findings_free(fs);
	mtc_config_free(cfg);
	mtc_ruleset_free(rs);
	return status;
}
