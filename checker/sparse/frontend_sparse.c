// SPDX-License-Identifier: MIT
/*
 * Running c2xml on one file.
 *
 * c2xml gets sparse's command line unchanged, then the file, then the
 * probe on standard input ("-"), which tells the target (sparse_xml.c).
 * Two definitions go first, so that a later -U on the command line still
 * wins:
 *
 *   -D__typeof_unqual__=__typeof__ (and its __typeof_unqual spelling)
 *     sparse 0.6.4 does not know __typeof_unqual__, which recent kernels
 *     use under __CHECKER__ once their checker probe (a file declaring
 *     `__typeof_unqual__(*q) v = *q;`) has passed.  The two differ only in
 *     dropping qualifiers, which never change a layout, so for mtcheck
 *     the plain typeof is exact: the probe and the kernel both parse.
 *
 * c2xml exits 0 even when sparse reported errors (so does sparse), so
 * errors are counted on its standard error.  A file with errors is not
 * checked: after an error sparse's view of the declarations that follow
 * may be incomplete, and a report from it could be wrong either way.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frontend_sparse.h"
#include "internal.h"
#include "run_capture.h"
#include "sparse_xml.h"

static const char *const fixed_args[] = {
	"-D__typeof_unqual__=__typeof__",
	"-D__typeof_unqual=__typeof__",
};

const char *mts_c2xml_program(const struct mts_frontend_conf *conf)
{
	const char *env = getenv("MTCHECK_C2XML");

	if (conf->c2xml)
		return conf->c2xml;
	return env && *env ? env : "c2xml";
}

static bool is_error_line(const char *line, size_t len)
{
	/* "file:line:col: error: ...", or with -fdiagnostic-prefix "...: sparse: error: " */
	for (size_t i = 0; i + 9 <= len; i++)
		if (!memcmp(line + i, ": error: ", 9))
			return true;
	return false;
}

/*
 * Keep sparse's messages about the checked file and drop the probe's (its
 * file is "-"); count the errors among them.
 */
static char *sparse_messages(const char *text, unsigned *nr_errors)
{
	size_t len = strlen(text);
	char *out = malloc(len + 1), *o = out;

	*nr_errors = 0;
	if (!out)
		return NULL;
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);

		if (strncmp(p, MTS_PROBE_FILE ":", 2)) {
			memcpy(o, p, n);
			o += n;
			*nr_errors += is_error_line(p, n);
		}
		p += n;
	}
	*o = '\0';
	return out;
}

int mts_sparse_load(const struct mts_frontend_conf *conf, const char *input,
		    struct mtc_model **out, char **diagnostics, struct mtc_error *err)
{
	const char *prog = mts_c2xml_program(conf);
	size_t nfixed = sizeof(fixed_args) / sizeof(fixed_args[0]);
	size_t argc = 1 + nfixed + conf->nr_args + 2;
	char **argv = calloc(argc + 1, sizeof(*argv));
	struct mtc_capture cap;
	unsigned nr_errors = 0;
	char *msgs = NULL;
	int ret;

	*out = NULL;
	*diagnostics = NULL;
	if (!argv)
		return mtc_error_set(err, -ENOMEM, "%s: out of memory", input);
	/* c2xml would wait on a FIFO forever, and says nothing about a directory */
	if ((ret = mtc_input_check(input, err))) {
		free(argv);
		return ret;
	}
	size_t k = 0;

	argv[k++] = (char *)prog;
	for (size_t i = 0; i < nfixed; i++)
		argv[k++] = (char *)fixed_args[i];
	for (size_t i = 0; i < conf->nr_args; i++)
		argv[k++] = (char *)conf->args[i];
	argv[k++] = (char *)input;
	argv[k++] = (char *)MTS_PROBE_FILE;

	ret = mtc_run_capture(argv, mts_probe_source, input, &cap, err);
	free(argv);
	if (ret == -ENOENT)
		return mtc_error_set(err, ret,
				     "%s: not checked: c2xml ('%s') is not installed; it comes with "
				     "sparse (Debian: apt-get install sparse), or name it with "
				     "--mtcheck-c2xml=PROGRAM",
				     input, prog);
	if (ret)
		return ret;

	msgs = sparse_messages(cap.err, &nr_errors);
	if (!msgs) {
		ret = mtc_error_set(err, -ENOMEM, "%s: out of memory", input);
	} else if (cap.exit_status < 0) {
		ret = mtc_error_set(err, -EIO, "%s: not checked: %s was killed by signal %d (%s)",
				    input, prog, cap.term_signal, strsignal(cap.term_signal));
	} else if (cap.exit_status) {
		ret = mtc_error_set(err, -EINVAL, "%s: not checked: %s stopped with exit status %d",
				    input, prog, cap.exit_status);
	} else if (nr_errors) {
		ret = mtc_error_set(err, -EINVAL,
				    "%s: not checked: sparse reported %u error%s", input, nr_errors,
				    nr_errors == 1 ? "" : "s");
	} else {
		struct mts_xml_conf xc = { .input = input,
					   .tabstop = conf->tabstop ? conf->tabstop : 8 };

		ret = mts_model_from_xml(cap.out, cap.out_len, &xc, out, err);
	}
	if (ret && msgs && *msgs)
		*diagnostics = msgs;
	else
		free(msgs);
	mtc_capture_release(&cap);
	return ret;
}
