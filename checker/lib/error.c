// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <stdio.h>

#include "mtcheck/error.h"

int mtc_error_set(struct mtc_error *err, int code, const char *fmt, ...)
{
	if (err) {
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(err->message, sizeof(err->message), fmt, ap);
		va_end(ap);
		err->code = code;
	}
	return code;
}

void mtc_error_clear(struct mtc_error *err)
{
	if (err) {
		err->code = 0;
		err->message[0] = '\0';
	}
}
