// SPDX-License-Identifier: MIT
/*
 * The BTF front end's probe and reader: raw BTF files and ELF objects with a
 * .BTF section, then the analysis and every report of what they hold.  An
 * ELF with DWARF and no .BTF is probed but not loaded: loading it runs
 * pahole, which is not ours to fuzz (its DWARF is fuzz_dwarf's input).
 */
#include <string.h>

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

	struct mtc_probed_input in;
	int ret;

	/* the probe reads every input; only the BTF front end's are loaded */
	if (mtc_frontend_probe(path, &in, &err)) {
		fuzz_outcome(-1, NULL);
		fuzz_fds_check(fds);
		return 0;
	}
	if (in.ops != &mtc_frontend_btf ||
	    (!raw && !memmem(data, size, ".BTF", sizeof(".BTF")))) {
		mtc_frontend_release(&in);
		fuzz_outcome(-1, NULL);
		fuzz_fds_check(fds);
		return 0;
	}
	if (!(ret = mtc_frontend_load(&in, path, &conf, &m, &err))) {
		fuzz_analyze(m);
		mtc_model_free(m);
	}
	mtc_frontend_release(&in);
	fuzz_outcome(ret, &err);
	fuzz_fds_check(fds);
	return 0;
}
