// SPDX-License-Identifier: MIT
/* Loading libclang on demand: see clang_api.h. */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the real declarations, before clang_api.h renames them */
#include <clang-c/CXCompilationDatabase.h>
#include <clang-c/Index.h>

#include "mtcheck/error.h"

#ifndef MTC_LIBCLANG_PATH
#define MTC_LIBCLANG_PATH "libclang.so.1"
#endif

#define MTC_CLANG_NO_RENAME
#include "clang_api.h"

struct mtc_clang_api mtc_clang_api;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char load_error[512];

static void load(void)
{
	/*
	 * Parse on the calling thread (mtc_clang_load's, with its large stack)
	 * rather than on a thread libclang makes with 8 MiB.  Set once, before
	 * the first parse, while libclang is being loaded.
	 */
	setenv("LIBCLANG_NOTHREADS", "1", 0);
	void *h = dlopen(MTC_LIBCLANG_PATH, RTLD_NOW | RTLD_LOCAL);

	if (!h) {
		snprintf(load_error, sizeof(load_error), "cannot load libclang (%s): %s",
			 MTC_LIBCLANG_PATH, dlerror());
		return;
	}
#define MTC_CLANG_LOAD(name)                                                              \
	if (!load_error[0] && !(*(void **)&mtc_clang_api.name = dlsym(h, #name)))         \
		snprintf(load_error, sizeof(load_error), "%s lacks %s: %s", MTC_LIBCLANG_PATH, \
			 #name, dlerror());
	MTC_CLANG_FUNCTIONS(MTC_CLANG_LOAD)
#undef MTC_CLANG_LOAD
}

int mtc_clang_open(struct mtc_error *err)
{
	pthread_once(&once, load);
	if (load_error[0])
		return mtc_error_set(err, -ENOENT, "%s; is the libclang package this mtcheck was built with installed?",
				     load_error);
	return 0;
}

char *mtc_cxstr(CXString s)
{
	const char *c = mtc_clang_api.clang_getCString(s);
	char *r = strdup(c ? c : "");

	mtc_clang_api.clang_disposeString(s);
	return r;
}
