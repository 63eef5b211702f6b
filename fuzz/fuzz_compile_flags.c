// SPDX-License-Identifier: MIT
/*
 * The compile-flag allow list (compile_flags.c), which reads the commands
 * of a build's compile_commands.json: the input is one command, its
 * arguments separated by newlines.  Every kept or noted flag must be text
 * of the input (a noted part of -Wp,A,B is named "-Wp,A").
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "compile_flags.h"
#include "fuzz.h"

/* @s is an argument, or a part of one (a -Wp, argument's) */
static bool in_input(const char *const *argv, size_t argc, const char *s)
{
	for (size_t k = 0; k < argc; k++)
		if (strstr(argv[k], s))
			return true;
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	const char **argv = calloc(size + 1, sizeof(*argv));
	size_t argc = 0;
	struct mtc_compile_command c;
	struct mtc_error err = { 0 };

	if (!text || !argv)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	for (char *p = text, *e; p <= text + size; p = e + 1) {
		e = memchr(p, '\n', (size_t)(text + size - p));
		if (!e)
			e = text + size;
		*e = '\0';
		argv[argc++] = p;
	}
	int ret = mtc_compile_flags_filter(argv, argc, &c);

	if (!ret) {
		for (size_t i = 0; i < c.nr_args; i++)
			if (!in_input(argv, argc, c.args[i]))
				abort();
		for (size_t i = 0; i < c.nr_dropped; i++)
			if (!in_input(argv, argc, c.dropped[i]) &&
			    (strncmp(c.dropped[i], "-Wp,", 4) ||
			     !in_input(argv, argc, c.dropped[i] + 4)))
				abort();
	}
	fuzz_outcome(ret, &err);
	mtc_compile_command_free(&c);
	free(argv);
	free(text);
	return 0;
}
