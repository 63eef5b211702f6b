/* SPDX-License-Identifier: MIT */
/*
 * Errors: every fallible call returns 0 or a negative errno and, when given
 * a struct mtc_error, fills it with one message that names the input and
 * the problem ("mt.o: truncated ELF file").  Callers print it as it is.
 */
#ifndef MTCHECK_ERROR_H
#define MTCHECK_ERROR_H

#include "mtcheck/export.h"

#ifdef __cplusplus
extern "C" {
#endif

struct mtc_error {
	int code;		/* negative errno, 0 when nothing went wrong */
	char message[1024];
};

/* Record @code and a printf-style message; returns @code for chaining. */
MTC_API int mtc_error_set(struct mtc_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
MTC_API void mtc_error_clear(struct mtc_error *err);

#ifdef __cplusplus
}
#endif
#endif
