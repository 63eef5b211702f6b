/* SPDX-License-Identifier: MIT */
/*
 * The unit's findings kept in the object it compiles to: a non-allocated
 * ELF section .mtcheck holding one record per unit, "MTCZ1 <size>
 * <compressed size>\n" and the unit's one-line JSON report deflated with
 * zlib.  The linker concatenates the sections of all objects into the
 * executable, shared library or vmlinux, record after record, and
 * `mtcheck` reads them back from objects, archives and linked binaries.  A compile that
 * ccache serves from its cache, or that distcc runs on another host, so
 * keeps its findings.
 *
 * In a kernel unit the section is SHF_EXCLUDE by default (section=exclude),
 * as GCC's own .gnu.lto_* sections are: `ld -r` (built-in objects, vmlinux.o,
 * modules) keeps and concatenates it, and a final link drops it without
 * looking for it in the linker script, so vmlinux's link with
 * --orphan-handling=error does not fail on it.
 */
#ifndef MTCHECK_PLUGIN_REPORT_SECTION_H
#define MTCHECK_PLUGIN_REPORT_SECTION_H

#include "mtcheck/error.h"
#include "mtcheck/finding.h"
#include "mtcheck/model.h"
#include "mtcheck/rules.h"
#include "plugin_conf.h"

/*
 * Append the assembler directives for the section with @fs (the unit's
 * findings; the list is not changed) to the unit's assembler output, as
 * @mode says: nothing for MTC_SECTION_OFF; MTC_SECTION_AUTO is
 * MTC_SECTION_EXCLUDE in a unit compiled with -D__KERNEL__ and
 * MTC_SECTION_ON elsewhere.  0, or a negative errno with @err set.
 */
int mtc_report_section_emit(const struct mtc_findings *fs, const struct mtc_ruleset *rules,
			    enum mtc_section_mode mode, struct mtc_error *err);

/* Whether the unit is the kernel's: -D__KERNEL__ on its command line. */
bool mtc_report_section_kernel_unit(void);

#endif
