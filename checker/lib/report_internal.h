/* SPDX-License-Identifier: MIT */
/* Reporters that live in their own files, called by mtc_report_write(). */
#ifndef MTCHECK_REPORT_INTERNAL_H
#define MTCHECK_REPORT_INTERNAL_H

#include <stdio.h>

#include "mtcheck/finding.h"

/*
 * GitLab Code Quality (report_codeclimate.c): an array with one issue per
 * finding, absent baseline findings left out.  0 or -ENOMEM.
 */
int mtc_write_codeclimate(FILE *out, const struct mtc_findings *fs);

#endif
