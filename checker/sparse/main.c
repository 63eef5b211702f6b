// SPDX-License-Identifier: MIT
/*
 * mtcheck-sparse: mtcheck as a kernel-style CHECK tool.
 *
 *   make C=1 CHECK=mtcheck-sparse
 *
 * runs `mtcheck-sparse $(CHECKFLAGS) $(c_flags) file.c` for every file the
 * build compiles: sparse's command line, which goes to c2xml unchanged.
 * Findings are printed on standard error the way sparse prints its
 * warnings, and they do not fail the build unless --mtcheck-fail-on asks:
 * like sparse, the exit status is 0 unless a file could not be checked.
 *
 * Every line about a file that could not be checked says "error:": the
 * kernel probes its checker on a small file and turns C=1 off when the
 * output says "error", which is right when c2xml is missing or broken.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "fileio.h"
#include "strbuf.h"
#include "internal.h"
#include "frontend_sparse.h"
#include "mtcheck/analysis.h"
#include "mtcheck/config.h"
#include "mtcheck/report.h"
#include "mtcheck/rules.h"
#include "sparse_args.h"

#define PROG "mtcheck-sparse"

enum exit_status {
	EXIT_CLEAN = 0,
	EXIT_FAILED = 1,	/* a file was not checked, or --mtcheck-fail-on was reached */
};

static const char usage_text[] =
	"Usage: " PROG " [SPARSE-OPTION]... [--mtcheck-OPTION]... FILE...\n"
	"Report unions whose members overlay a wide scalar with narrower ones, so that\n"
	"what the wide member reads depends on byte order, in files laid out by sparse.\n"
	"Made to be a kernel build's checker (C=2: every file, not just rebuilt ones):\n"
	"\n"
	"  make C=1 CHECK=" PROG "\n"
	"\n"
	"sparse's options (--arch=ARCH, -mbig-endian, -mlittle-endian, -m32, -m64, -D,\n"
	"-I, -include, ...) and the compiler's (-f..., -m..., plugin options) are given\n"
	"to sparse's c2xml unchanged; the byte order and word size are sparse's.\n"
	"Findings are printed on standard error like sparse's warnings.\n"
	"\n"
	"Options:\n"
	"  --mtcheck-json=FILE       append one JSON report (version 1) per checked file\n"
	"                            to FILE, one line each, safe under make -j;\n"
	"                            '-' is standard output\n"
	"  --mtcheck-fail-on=note|warning|error\n"
	"                            exit 1 when a finding is at least this severe\n"
	"                            (default: findings never fail the run)\n"
	"  --mtcheck-config=FILE     configuration (default: .mtcheck.yaml found upward\n"
	"                            from the current directory)\n"
	"  --mtcheck-rules=PATH      add rule files (a .yaml file or a directory)\n"
	"  --mtcheck-enable=IDS      switch rules on (comma-separated ids)\n"
	"  --mtcheck-disable=IDS     switch rules off\n"
	"  --mtcheck-min-confidence=low|medium|high\n"
	"                            show (and count for --mtcheck-fail-on) findings of\n"
	"                            at least this confidence (default medium); the JSON\n"
	"                            report has every finding\n"
	"  --mtcheck-all             show every finding: --mtcheck-min-confidence=low\n"
	"  --mtcheck-quiet           no findings on standard error (JSON only)\n"
	"  --mtcheck-c2xml=PROGRAM   sparse's c2xml (default: $MTCHECK_C2XML, or c2xml)\n"
	"  --mtcheck-help, --help    print this help and exit\n"
	"  --mtcheck-version, --version\n"
	"                            print the version and exit\n"
	"\n"
	"In a kernel build, give them through CF: make C=2 CHECK=" PROG " CF=--mtcheck-...\n"
	"\n"
	"Exit status:\n"
	"  0  every file was checked and no finding reached --mtcheck-fail-on\n"
	"  1  otherwise (a file sparse could not parse, c2xml missing, a bad option)\n";

/* "file:line:col: " as sparse begins a message, and its -fdiagnostic-prefix. */
static void pos(struct strbuf *sb, const struct mtc_location *loc, const char *input,
		const char *prefix)
{
	mtc_location_prefix(sb, loc, input);
	if (prefix)
		sb_addf(sb, "%s: ", prefix);
}

/*
 * sparse's own shape: the warning on the overlaying member, then two
 * indented lines at the wide member, the way sparse prints "expected ..."
 * and "got ..." under a warning: what each byte order reads, and which
 * one this build's target has (the same warning reads alike for every
 * ARCH otherwise).
 */
static void print_findings(const struct mtc_findings *fs, const char *prefix,
			   enum mtc_confidence min)
{
	struct strbuf sb;

	sb_init(&sb);
	for (size_t i = 0; i < mtc_findings_count(fs); i++) {
		const struct mtc_finding *f = mtc_findings_at(fs, i);

		if (f->confidence < min)
			continue;
		char *msg = mtc_finding_message(f, 0), *note = mtc_finding_note(f);

		sb_truncate(&sb, 0);
		pos(&sb, &f->loc, f->input, prefix);
		sb_addf(&sb, "%s: %s\n", mtc_severity_name(f->severity), msg ? msg : "out of memory");
		pos(&sb, &f->wide.loc, f->input, prefix);
		sb_addf(&sb, "   %s\n", note ? note : "out of memory");
		free(msg);
		free(note);
		if (f->nr_targets) {
			const struct mtc_target *t = &f->targets[0];

			pos(&sb, &f->wide.loc, f->input, prefix);
			sb_add(&sb, "   this target ");
			if (t->triple[0]) {
				sb_add(&sb, "(");
				sb_add_escaped(&sb, t->triple);
				sb_add(&sb, ") ");
			}
			sb_addf(&sb, "is %s-endian\n", mtc_endian_name(t->endian));
		}
		fputs(sb_str(&sb), stderr);
	}
	sb_free(&sb);
	fflush(stderr);
}

/* The report as one line: JSON Lines, so that a whole build appends to one file. */
static char *json_line(const struct mtc_findings *fs, const struct mtc_ruleset *rs,
		       struct mtc_error *err)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	struct mtc_report_conf rc = { .format = MTC_FORMAT_JSON, .rules = rs,
				      .tool_version = mtc_version(), .one_line = true };

	if (!mem) {
		mtc_error_set(err, -ENOMEM, "out of memory");
		return NULL;
	}
	int ret = mtc_report_write(mem, fs, &rc);

	if (fclose(mem) || ret) {
		free(buf);
		mtc_error_set(err, ret ? ret : -ENOMEM, "cannot write the JSON report");
		return NULL;
	}
	return buf;
}

/* One write under an exclusive lock: parallel make jobs never interleave lines. */
static int append_line(const char *path, const char *line, struct mtc_error *err)
{
	if (!strcmp(path, "-")) {
		if (fputs(line, stdout) == EOF || fflush(stdout))
			return mtc_error_set(err, -EIO, "standard output: %s", strerror(errno));
		return 0;
	}
	return mtc_append_locked(path, line, strlen(line), err);
}

struct run {
	const struct mts_options *o;
	const struct mtc_ruleset *rs;
	const struct mtc_config *cfg;
	enum mtc_severity worst;
};

/* Check one file; false when it could not be checked (the reason is printed). */
static bool check_file(struct run *r, const char *input)
{
	const struct mts_options *o = r->o;
	struct mts_frontend_conf fc = {
		.c2xml = o->c2xml,
		.args = o->sparse_args,
		.nr_args = o->nr_sparse_args,
		.tabstop = o->tabstop,
	};
	struct mtc_error err = { 0 };
	struct mtc_model *m = NULL;
	char *diagnostics = NULL;
	struct mtc_findings *fs = NULL;
	bool ok = false;

	if (!strcmp(input, "-")) {
		fprintf(stderr, PROG ": error: -: not checked: the source cannot come from standard "
				"input, which carries mtcheck's target probe\n");
		return false;
	}
	if (mts_sparse_load(&fc, input, &m, &diagnostics, &err)) {
		if (diagnostics)
			fputs(diagnostics, stderr);
		fprintf(stderr, PROG ": error: %s\n", err.message);
		free(diagnostics);
		return false;
	}
	struct mtc_analysis_conf ac = { .rules = r->rs, .config = r->cfg };

	if (!(fs = mtc_findings_new())) {
		mtc_error_set(&err, -ENOMEM, "%s: out of memory", input);
	} else if (mtc_analyze(m, &ac, fs, &err) >= 0) {
		mtc_findings_sort(fs);
		if (!o->quiet)
			print_findings(fs, o->diag_prefix, o->min_confidence);
		ok = true;
		if (o->json_path) {
			char *line = json_line(fs, r->rs, &err);

			ok = line && !append_line(o->json_path, line, &err);
			free(line);
		}
		/* like mtcheck's --fail-on: only what is shown counts */
		enum mtc_severity s = mtc_findings_max_severity_shown(fs, o->min_confidence);

		if (s > r->worst)
			r->worst = s;
	}
	if (!ok)
		fprintf(stderr, PROG ": error: %s\n", err.message);
	mtc_findings_free(fs);
	mtc_model_free(m);
	return ok;
}

int main(int argc, char **argv)
{
	struct mts_options o;
	struct mtc_error err = { 0 };
	int status = EXIT_FAILED;

	if (mts_parse_args(argc - 1, argv + 1, &o, &err)) {
		fprintf(stderr, PROG ": error: %s\n", err.message);
		return EXIT_FAILED;
	}
	if (o.help || o.version) {
		if (o.help)
			fputs(usage_text, stdout);
		else
			printf(PROG " %s (layouts from sparse's c2xml)\n", mtc_version());
		mts_options_release(&o);
		return EXIT_CLEAN;
	}

	struct mtc_ruleset *rs = mtc_ruleset_new();
	struct mtc_config *cfg = mtc_config_new();

	if (!rs || !cfg) {
		fprintf(stderr, PROG ": error: out of memory\n");
		goto out;
	}
	struct mtc_setup_conf setup = {
		.rules_paths = o.rules_paths, .nr_rules_paths = (size_t)o.nr_rules_paths,
		.config_path = o.config_path,
		.switches = o.switches, .nr_switches = (size_t)o.nr_switches,
	};

	if (mtc_setup_rules(rs, cfg, &setup, &err)) {
		fprintf(stderr, PROG ": error: %s\n", err.message);
		goto out;
	}

	struct run r = { .o = &o, .rs = rs, .cfg = cfg, .worst = MTC_SEV_NONE };
	bool all_checked = true;

	for (size_t i = 0; i < o.nr_inputs; i++)
		all_checked &= check_file(&r, o.inputs[i]);
	if (!all_checked)
		status = EXIT_FAILED;
	else if (o.fail_on != MTC_SEV_NONE && r.worst >= o.fail_on)
		status = EXIT_FAILED;
	else
		status = EXIT_CLEAN;
out:
	mtc_config_free(cfg);
	mtc_ruleset_free(rs);
	mts_options_release(&o);
	return status;
}
