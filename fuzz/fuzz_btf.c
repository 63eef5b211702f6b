// SPDX-License-Identifier: MIT
/*
 * The BTF front end's probe and reader: raw BTF files and ELF objects with a
 * .BTF section, then the analysis and every report of what they hold.  An
 * ELF with DWARF and no .BTF is probed but not loaded: loading it runs
 * pahole, which is not ours to fuzz (its DWARF is fuzz_dwarf's input).
 */
#include <string.h>

#include "frontend_internal.h"
#include "fuzz.h"
#include "mtcheck/frontend.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fds = fuzz_fds_mark();
	const char *path = fuzz_path(data, size);
	/* should a .BTF name be there and not be the section's, pahole cannot run */
	struct mtc_frontend_conf conf = { .pahole = "/nonexistent/mtcheck-fuzz-pahole" };
	struct mtc_error err = { 0 };
	struct mtc_model *m = NULL;
	bool raw = size >= 2 && ((data[0] == 0x9f && data[1] == 0xeb) ||
				 (data[0] == 0xeb && data[1] == 0x9f));

	int ret;

	if (!mtc_btf_probe(path)) {
		fuzz_outcome(-1, NULL);
		return 0;
	}
	if (!raw && !memmem(data, size, ".BTF", sizeof(".BTF"))) {
		fuzz_outcome(-1, NULL);
		return 0;
	}
	if (!(ret = mtc_frontend_btf.load(path, &conf, &m, &err))) {
		fuzz_analyze(m);
		mtc_model_free(m);
	}
	fuzz_outcome(ret, &err);
	fuzz_fds_check(fds);
	return 0;
}
