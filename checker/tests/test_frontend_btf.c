// SPDX-License-Identifier: MIT
/*
 * The BTF front end as a guest in its host's process: libbpf's printer is
 * process-wide, so a load may silence it only while it runs and must give
 * the host's printer back.  The BTF is built here with libbpf's writer, so
 * no compiler or pahole is needed.
 */
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/btf.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mtcheck/frontend.h"
#include "test_util.h"

static int printed;	/* calls of the host's printer */

static int host_printer(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	__atomic_add_fetch(&printed, 1, __ATOMIC_RELAXED);
	return 0;
}

/* Raw BTF of union u { unsigned int v; struct halves { unsigned char lo, hi; } h; }. */
static void *make_btf(size_t *size)
{
	struct btf *btf = btf__new_empty();

	assert_non_null(btf);
	int u32 = btf__add_int(btf, "unsigned int", 4, 0);
	int u8 = btf__add_int(btf, "unsigned char", 1, 0);
	int halves = btf__add_struct(btf, "halves", 2);

	assert_int_equal(btf__add_field(btf, "lo", u8, 0, 0), 0);
	assert_int_equal(btf__add_field(btf, "hi", u8, 8, 0), 0);
	assert_true(btf__add_union(btf, "u", 4) > 0);
	assert_int_equal(btf__add_field(btf, "v", u32, 0, 0), 0);
	assert_int_equal(btf__add_field(btf, "h", halves, 0, 0), 0);
	uint32_t n;
	const void *raw = btf__raw_data(btf, &n);

	assert_non_null(raw);
	void *copy = malloc(n);

	assert_non_null(copy);
	memcpy(copy, raw, n);
	*size = n;
	btf__free(btf);
	return copy;
}

static char *write_file(const char *dir, const char *name, const void *data, size_t size)
{
	char *path = tu_printf("%s/%s", dir, name);
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, size, f), size);
	assert_int_equal(fclose(f), 0);
	return path;
}

struct files {
	char *dir, *good, *bad;
};

static void make_files(struct files *fl)
{
	size_t size;
	unsigned char *raw = make_btf(&size);
	struct btf_header h;

	fl->dir = tu_mkdtemp();
	fl->good = write_file(fl->dir, "good.btf", raw, size);
	/* the union, the last type (12 bytes and 12 per member), gets kind 31 */
	memcpy(&h, raw, sizeof(h));
	size_t info = h.hdr_len + h.type_off + h.type_len - 36 + 4;
	uint32_t v;

	memcpy(&v, raw + info, sizeof(v));
	v = (v & ~(0x1fu << 24)) | 31u << 24;
	memcpy(raw + info, &v, sizeof(v));
	fl->bad = write_file(fl->dir, "bad.btf", raw, size);
	free(raw);
}

static void free_files(struct files *fl)
{
	tu_rmtree(fl->dir);
	free(fl->dir);
	free(fl->good);
	free(fl->bad);
}

/* The printer now in place is the host's, and it stays so. */
static void assert_host_printer(void)
{
	libbpf_print_fn_t now = libbpf_set_print(host_printer);

	assert_true(now == host_printer);
}

/* An input through the front-end table, as the CLI reads it. */
static int load_btf(const char *path, const struct mtc_frontend_conf *conf, struct mtc_model **m,
		    struct mtc_error *err)
{
	struct mtc_probed_input in;
	int ret = mtc_frontend_probe(path, &in, err);

	*m = NULL;
	if (ret)
		return ret;
	assert_ptr_equal(in.ops, &mtc_frontend_btf);
	ret = mtc_frontend_load(&in, path, conf, m, err);
	mtc_frontend_release(&in);
	return ret;
}

static void test_btf_printer_restored(void **state)
{
	(void)state;
	struct files fl;
	struct mtc_error err = { 0 };
	struct mtc_model *m = NULL;

	make_files(&fl);
	libbpf_print_fn_t before = libbpf_set_print(host_printer);

	/* libbpf complains about the bad file to whoever's printer is in place */
	printed = 0;
	assert_null(btf__parse_raw(fl.bad));
	assert_true(printed > 0);

	/* a load that fails: quiet while it runs, the host's printer after */
	printed = 0;
	assert_int_equal(load_btf(fl.bad, NULL, &m, &err), -EINVAL);
	assert_null(m);
	char *want = tu_printf("%s: invalid BTF: libbpf rejects its type or string data "
			       "(Invalid argument)", fl.bad);

	assert_string_equal(err.message, want);
	free(want);
	assert_int_equal(printed, 0);
	assert_host_printer();

	/* a load that succeeds */
	assert_int_equal(load_btf(fl.good, NULL, &m, &err), 0);
	const struct mtc_type *u = mtc_model_find_record(m, "union u");

	assert_non_null(u);
	assert_int_equal(u->nr_members, 2);
	assert_string_equal(u->members[1].name, "h");
	mtc_model_free(m);
	assert_int_equal(printed, 0);
	assert_host_printer();

	libbpf_set_print(before);
	free_files(&fl);
}

struct loader {
	const char *good, *bad;
	int failures;
};

static void *load_many(void *arg)
{
	struct loader *l = arg;

	for (int i = 0; i < 50; i++) {
		struct mtc_error err = { 0 };
		struct mtc_model *m = NULL;

		if (load_btf(i % 2 ? l->bad : l->good, NULL, &m, &err) !=
		    (i % 2 ? -EINVAL : 0))
			l->failures++;
		mtc_model_free(m);
	}
	return NULL;
}

/* Loads on several threads at once: the host's printer is back after the last. */
static void test_btf_printer_restored_threads(void **state)
{
	(void)state;
	struct files fl;
	pthread_t th[4];
	struct loader l[4];

	make_files(&fl);
	libbpf_print_fn_t before = libbpf_set_print(host_printer);

	printed = 0;
	for (int i = 0; i < 4; i++) {
		l[i] = (struct loader){ .good = fl.good, .bad = fl.bad };
		assert_int_equal(pthread_create(&th[i], NULL, load_many, &l[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(l[i].failures, 0);
	}
	assert_int_equal(printed, 0);
	assert_host_printer();
	libbpf_set_print(before);
	free_files(&fl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_btf_printer_restored),
		cmocka_unit_test(test_btf_printer_restored_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
