// SPDX-License-Identifier: MIT
/*
 * The table of front ends, asked in turn about each input, and the source
 * front end's entry.  Its load comes from frontend_clang.c, or from
 * frontend_noclang.c in a build without libclang, which says so.
 */
#include <errno.h>
#include <string.h>

#include "frontend_internal.h"

/* C sources by their name: clang reads what a compiler would. */
static int clang_probe(const char *path, void **probed, struct mtc_error *err)
{
	const char *dot = strrchr(path, '.');

	(void)err;
	*probed = NULL;
	return dot && (!strcmp(dot, ".c") || !strcmp(dot, ".h") || !strcmp(dot, ".i"));
}

static void release_nothing(void *probed)
{
	(void)probed;
}

const struct mtc_frontend_ops mtc_frontend_clang = {
	.name = "clang",
	.per_target = true,
	.probe = clang_probe,
	.load = mtc_clang_load,
	.release = release_nothing,
};

/*
 * Objects first: an object is known by its content, a source only by its
 * name.  An object that carries the compiler's findings is read for those.
 */
const struct mtc_frontend_ops *const mtc_frontends[] = {
	&mtc_frontend_section,
	&mtc_frontend_btf,
	&mtc_frontend_clang,
	NULL,
};

int mtc_frontend_probe(const char *path, struct mtc_probed_input *in, struct mtc_error *err)
{
	struct mtc_error why = { 0 };

	in->ops = NULL;
	in->probed = NULL;
	for (size_t i = 0; mtc_frontends[i]; i++) {
		struct mtc_error e = { 0 };
		int ret = mtc_frontends[i]->probe(path, &in->probed, &e);

		if (ret > 0) {
			in->ops = mtc_frontends[i];
			return 0;
		}
		if (ret < 0) {
			if (err)
				*err = e;
			return ret;
		}
		/* the first front end's reason it is not its input says what is wrong */
		if (e.code && !why.code)
			why = e;
	}
	if (!why.code)
		mtc_error_set(&why, -EINVAL, "%s: no front end reads it", path);
	if (err)
		*err = why;
	return why.code;
}

int mtc_frontend_load(const struct mtc_probed_input *in, const char *path,
		      const struct mtc_frontend_conf *conf, struct mtc_model **out,
		      struct mtc_error *err)
{
	return in->ops->load(path, in->probed, conf, out, err);
}

void mtc_frontend_release(struct mtc_probed_input *in)
{
	if (in->ops && in->ops->release)
		in->ops->release(in->probed);
	in->ops = NULL;
	in->probed = NULL;
}
