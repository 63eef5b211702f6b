// SPDX-License-Identifier: MIT
/*
 * Splitting sparse's command line.  sparse itself ignores options it does
 * not know (GCC's -f, -m and plugin options pass through a kernel build
 * that way), so mtcheck-sparse does the same and only has to know which
 * of sparse's options take their value as the next argument: everything
 * else that does not start with '-' is an input file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sparse_args.h"

/* sparse 0.6.4's options whose value is the next argument when not attached */
static const char *const value_options[] = {
	"-D", "-U", "-I", "-include", "-imacros", "-isystem", "-idirafter",
	"-o", "-MF", "-MT", "-MQ", "-x", "--param", "-gcc-base-dir",
	"-multiarch-dir", "-G",
};

bool mts_option_takes_value(const char *arg)
{
	for (size_t i = 0; i < sizeof(value_options) / sizeof(value_options[0]); i++)
		if (!strcmp(arg, value_options[i]))
			return true;
	return false;
}

static const char *value_of(const char *arg, const char *name)
{
	size_t n = strlen(name);

	return !strncmp(arg, name, n) && arg[n] == '=' ? arg + n + 1 : NULL;
}

static int parse_mtcheck_option(const char *arg, struct mts_options *o, struct mtc_error *err)
{
	const char *v;

	if ((v = value_of(arg, "--mtcheck-json"))) {
		if (!*v)
			return mtc_error_set(err, -EINVAL, "--mtcheck-json needs a file name");
		o->json_path = v;
	} else if ((v = value_of(arg, "--mtcheck-fail-on"))) {
		if (mtc_severity_parse(v, false, &o->fail_on))
			return mtc_error_set(err, -EINVAL,
					     "--mtcheck-fail-on: '%s' is not note, warning or error", v);
	} else if ((v = value_of(arg, "--mtcheck-config"))) {
		o->config_path = v;
	} else if ((v = value_of(arg, "--mtcheck-rules"))) {
		if (o->nr_rules_paths == MTS_MAX_RULES_PATHS)
			return mtc_error_set(err, -EINVAL, "--mtcheck-rules: at most %d",
					     MTS_MAX_RULES_PATHS);
		o->rules_paths[o->nr_rules_paths++] = v;
	} else if ((v = value_of(arg, "--mtcheck-enable")) ||
		   (v = value_of(arg, "--mtcheck-disable"))) {
		if (o->nr_switches == MTS_MAX_SWITCHES)
			return mtc_error_set(err, -EINVAL, "%s: given more than %d times", arg,
					     MTS_MAX_SWITCHES);
		o->switches[o->nr_switches].ids = v;
		o->switches[o->nr_switches++].enable = !strncmp(arg, "--mtcheck-enable", 16);
	} else if ((v = value_of(arg, "--mtcheck-c2xml"))) {
		if (!*v)
			return mtc_error_set(err, -EINVAL, "--mtcheck-c2xml needs a program");
		o->c2xml = v;
	} else if ((v = value_of(arg, "--mtcheck-min-confidence"))) {
		if (mtc_confidence_parse(v, &o->min_confidence))
			return mtc_error_set(err, -EINVAL,
					     "--mtcheck-min-confidence: '%s' is not low, medium or high", v);
	} else if (!strcmp(arg, "--mtcheck-all")) {
		o->min_confidence = MTC_CONF_LOW;
	} else if (!strcmp(arg, "--mtcheck-quiet")) {
		o->quiet = true;
	} else if (!strcmp(arg, "--mtcheck-help")) {
		o->help = true;
	} else if (!strcmp(arg, "--mtcheck-version")) {
		o->version = true;
	} else {
		return mtc_error_set(err, -EINVAL,
				     "unknown option '%s' (--mtcheck-help lists mtcheck's options)",
				     arg);
	}
	return 0;
}

/* The sparse options whose meaning mtcheck-sparse needs as well. */
static void note_sparse_option(const char *arg, struct mts_options *o)
{
	const char *v;

	if ((v = value_of(arg, "-ftabstop"))) {
		char *end;
		unsigned long n = strtoul(v, &end, 10);

		/* sparse ignores a bad value and keeps its default */
		if (!*end && n > 0 && n <= 100)
			o->tabstop = (unsigned)n;
	} else if (!strcmp(arg, "-fdiagnostic-prefix")) {
		o->diag_prefix = "mtcheck";
	} else if ((v = value_of(arg, "-fdiagnostic-prefix"))) {
		o->diag_prefix = *v ? v : NULL;
	}
}

int mts_parse_args(int argc, char **argv, struct mts_options *o, struct mtc_error *err)
{
	memset(o, 0, sizeof(*o));
	o->tabstop = 8;
	o->fail_on = MTC_SEV_NONE;
	o->min_confidence = MTC_CONF_MEDIUM;
	o->sparse_args = calloc((size_t)argc + 1, sizeof(*o->sparse_args));
	o->inputs = calloc((size_t)argc + 1, sizeof(*o->inputs));
	if (!o->sparse_args || !o->inputs) {
		mts_options_release(o);
		return mtc_error_set(err, -ENOMEM, "out of memory");
	}
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		int ret;

		if (!strcmp(a, "--help") || !strcmp(a, "--version")) {
			/* sparse's --version; --help, which sparse lacks, as a courtesy */
			if (a[2] == 'h')
				o->help = true;
			else
				o->version = true;
		} else if (!strncmp(a, "--mtcheck-", 10)) {
			if ((ret = parse_mtcheck_option(a, o, err))) {
				mts_options_release(o);
				return ret;
			}
		} else if (!strcmp(a, "-E")) {
			/* c2xml would print the preprocessed text instead of its XML */
			mts_options_release(o);
			return mtc_error_set(err, -EINVAL,
					     "-E: mtcheck-sparse lays declarations out; it cannot only preprocess");
		} else if (a[0] == '-' && a[1]) {
			note_sparse_option(a, o);
			o->sparse_args[o->nr_sparse_args++] = a;
			if (mts_option_takes_value(a) && i + 1 < argc)
				o->sparse_args[o->nr_sparse_args++] = argv[++i];
		} else {
			o->inputs[o->nr_inputs++] = a;
		}
	}
	return 0;
}

void mts_options_release(struct mts_options *o)
{
	free(o->sparse_args);
	free(o->inputs);
	o->sparse_args = NULL;
	o->inputs = NULL;
	o->nr_sparse_args = o->nr_inputs = 0;
}
