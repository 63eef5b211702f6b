// SPDX-License-Identifier: MIT
/*
 * The sparse front end's reader of c2xml output, then the analysis and
 * every report of what it holds.
 */
#include "fuzz.h"
#include "sparse_xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fds = fuzz_fds_mark();
	struct mts_xml_conf conf = { .input = "fuzz.c", .tabstop = 8 };
	struct mtc_error err = { 0 };
	struct mtc_model *m = NULL;

	int ret = mts_model_from_xml((const char *)data, size, &conf, &m, &err);

	if (!ret) {
		fuzz_analyze(m);
		mtc_model_free(m);
	}
	fuzz_outcome(ret, &err);
	fuzz_fds_check(fds);
	return 0;
}
