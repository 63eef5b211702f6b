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
 */
#ifndef MTCHECK_PLUGIN_REPORT_SECTION_H
#define MTCHECK_PLUGIN_REPORT_SECTION_H

#include "mtcheck/error.h"
#include "mtcheck/finding.h"
#include "mtcheck/model.h"
#include "mtcheck/rules.h"

/*
 * Append the assembler directives for the section with @fs (the unit's
 * findings; the list is not changed) to the unit's assembler output.  0,
 * or a negative errno with @err set.
 */
int mtc_report_section_emit(const struct mtc_findings *fs, const struct mtc_ruleset *rules,
			    struct mtc_error *err);

#endif
