// SPDX-License-Identifier: MIT
/*
 * The .mtcheck section (see report_section.h), written into the unit's
 * assembler output at PLUGIN_FINISH_UNIT: after the whole unit is parsed
 * and compiled, and before GCC closes the assembler file.
 */
#include "gcc-compat.h"
#include "opts.h"
#include "output.h"

#include <errno.h>
#include <stdio.h>
#include <zlib.h>

#include "mtcheck/report.h"
#include "report_section.h"

/*
 * Bytes per .ascii directive; gas takes longer strings, but short lines
 * keep a -S listing readable.
 */
#define CHUNK 512

/*
 * The report as the assembler's string: quote, backslash and every byte
 * outside printable ASCII as an octal escape, so any UTF-8 in a record's
 * name reaches the section unchanged.
 */
static void emit_ascii(FILE *out, const char *text, size_t len)
{
	for (size_t at = 0; at < len; at += CHUNK) {
		size_t end = at + CHUNK < len ? at + CHUNK : len;

		fputs("\t.ascii \"", out);
		for (size_t i = at; i < end; i++) {
			unsigned char c = (unsigned char)text[i];

			if (c == '"' || c == '\\')
				fprintf(out, "\\%c", c);
			else if (c < 0x20 || c > 0x7e)
				fprintf(out, "\\%03o", c);
			else
				fputc(c, out);
		}
		fputs("\"\n", out);
	}
}

/*
 * The C and C++ front ends' preprocessor, and its question: weak, because
 * they are cc1's and cc1plus's, and a plugin that needs them could not load
 * into lto1, which a -flto link with the plugin among its flags runs.
 */
extern cpp_reader *parse_in __attribute__((weak));
extern int cpp_defined(cpp_reader *, const unsigned char *, int) __attribute__((weak));

/*
 * Kbuild passes -D__KERNEL__ to the units of the kernel and its modules
 * (KBUILD_CPPFLAGS).  Asked of cc1's command line first: the last -D or -U
 * of the name decides, as it does for the macro, whatever the unit itself
 * #defines or #undefs.  A command line without either is a unit
 * preprocessed elsewhere or a user-space one: icecream preprocesses on
 * this host with -fdirectives-only, which keeps the command line's macros
 * as #define lines, and sends the compiler on another host none of the -D
 * options, so there the macro table at the end of the unit says it.
 */
bool mtc_report_section_kernel_unit(void)
{
	static const char name[] = "__KERNEL__";
	const size_t n = sizeof(name) - 1;
	int defined = -1;

	for (unsigned int i = 0; i < save_decoded_options_count; i++) {
		const struct cl_decoded_option *o = &save_decoded_options[i];

		if ((o->opt_index == OPT_D || o->opt_index == OPT_U) && o->arg &&
		    !strncmp(o->arg, name, n) && (!o->arg[n] || o->arg[n] == '='))
			defined = o->opt_index == OPT_D;
	}
	if (defined >= 0)
		return defined;
	return &parse_in && parse_in && cpp_defined &&
	       cpp_defined(parse_in, (const unsigned char *)name, (int)n);
}

int mtc_report_section_emit(const struct mtc_findings *fs, const struct mtc_ruleset *rules,
			    enum mtc_section_mode mode, struct mtc_error *err)
{
	struct mtc_findings *copy;
	char *text = NULL;
	size_t len = 0;
	FILE *mem;
	int ret;

	if (mode == MTC_SECTION_OFF || !asm_out_file)
		return 0;
	if (mode == MTC_SECTION_AUTO)
		mode = mtc_report_section_kernel_unit() ? MTC_SECTION_EXCLUDE : MTC_SECTION_ON;
	if (!(copy = mtc_findings_new()))
		return mtc_error_set(err, -ENOMEM, ".mtcheck section: out of memory");
	if ((ret = mtc_findings_add_copies(copy, fs, err)))
		goto out;
	mtc_findings_sort(copy);
	if (!(mem = open_memstream(&text, &len))) {
		ret = mtc_error_set(err, -ENOMEM, ".mtcheck section: out of memory");
		goto out;
	}
	{
		/* one line per unit: the linker's concatenation is JSON Lines */
		struct mtc_report_conf conf = { MTC_FORMAT_JSON, rules, mtc_version(), false, true,
						MTC_CONF_LOW, false };

		ret = mtc_report_write(mem, copy, &conf);
	}
	if (fclose(mem) && !ret)
		ret = -ENOMEM;
	if (ret) {
		mtc_error_set(err, ret, ".mtcheck section: cannot write the report (error %d)", -ret);
		goto out;
	}
	{
		/*
		 * Compressed: a kernel unit's report runs to a megabyte (every
		 * header's records again), and deflate takes it to a twentieth.
		 * The header line gives both sizes, so each unit's record is
		 * self-delimiting in the linker's concatenation.
		 */
		uLongf zlen = compressBound((uLong)len);
		Bytef *z = XNEWVEC(Bytef, zlen);
		char head[64];

		if (compress2(z, &zlen, (const Bytef *)text, (uLong)len, Z_DEFAULT_COMPRESSION) != Z_OK) {
			XDELETEVEC(z);
			ret = mtc_error_set(err, -ENOMEM, ".mtcheck section: compression failed");
			goto out;
		}
		snprintf(head, sizeof(head), "MTCZ1 %zu %lu\n", len, (unsigned long)zlen);
		/*
		 * No "a" flag: the section is not loaded at run time and takes
		 * no memory in the process.  Alignment 1, so that the linker
		 * puts the units' records one after the other with no padding.
		 * "e" is SHF_EXCLUDE: ld -r keeps the section, a final link
		 * drops it and raises no orphan-section warning for it.
		 */
		fprintf(asm_out_file, "\t.pushsection .mtcheck,\"%s\"\n",
			mode == MTC_SECTION_EXCLUDE ? "e" : "");
		emit_ascii(asm_out_file, head, strlen(head));
		emit_ascii(asm_out_file, (const char *)z, zlen);
		fputs("\t.popsection\n", asm_out_file);
		XDELETEVEC(z);
	}
out:
	free(text);
	mtc_findings_free(copy);
	return ret;
}
