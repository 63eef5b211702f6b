// SPDX-License-Identifier: MIT
/*
 * main() for a fuzz target without libFuzzer: feed it every file named on
 * the command line, and every file of every directory named, one at a time
 * in a buffer of exactly the file's size (so that a sanitizer build sees a
 * read past the end).  Prints how many inputs ran and how many the reader
 * accepted; exit 2 when none ran, so that a test with a misspelt directory
 * cannot pass.  With --all-accepted (the seed corpus), exit 1 when the
 * reader rejected one, naming it: a seed that no longer parses explores
 * nothing.
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static bool all_accepted = true;

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long size;

	if (!f || fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	/* malloc(0) may return NULL: keep one byte, pass the real size */
	if (!(buf = malloc(size ? (size_t)size : 1)) ||
	    fread(buf, 1, (size_t)size, f) != (size_t)size) {
		fprintf(stderr, "replay: %s: cannot read it\n", path);
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	unsigned long before = fuzz_nr_accepted;

	LLVMFuzzerTestOneInput(buf, (size_t)size);
	free(buf);
	if (fuzz_nr_accepted == before) {
		all_accepted = false;
		printf("%s: rejected: %s\n", path, fuzz_last_error);
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular files of @dir, in name order; -1 on error, else how many ran. */
static int replay_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int ran = 0;

	if (!d) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **nn = realloc(names, cap * sizeof(*nn));

			if (!nn)
				abort();
			names = nn;
		}
		size_t len = strlen(dir) + strlen(e->d_name) + 2;

		if (!(names[n] = malloc(len)))
			abort();
		snprintf(names[n++], len, "%s/%s", dir, e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		struct stat st;

		if (ran >= 0 && !stat(names[i], &st) && S_ISREG(st.st_mode))
			ran = replay_file(names[i]) ? -1 : ran + 1;
		free(names[i]);
	}
	free(names);
	return ran;
}

int main(int argc, char **argv)
{
	int total = 0, first = 1;
	bool want_all = argc > 1 && !strcmp(argv[1], "--all-accepted");

	if (want_all)
		first = 2;
	for (int i = first; i < argc; i++) {
		struct stat st;
		int n;

		if (stat(argv[i], &st)) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			return 2;
		}
		n = S_ISDIR(st.st_mode) ? replay_dir(argv[i]) : replay_file(argv[i]) ? -1 : 1;
		if (n < 0)
			return 2;
		total += n;
	}
	if (!total) {
		fprintf(stderr, "replay: no inputs\n");
		return 2;
	}
	printf("replayed %d inputs, %lu accepted\n", total, fuzz_nr_accepted);
	return want_all && !all_accepted ? 1 : 0;
}
