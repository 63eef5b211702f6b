// SPDX-License-Identifier: MIT
/*
 * The union sanitizer's reports: MTCHECK_RT_OPTIONS, the text of a report
 * (docs/sanitizer.md describes it line by line; tests assert it word for
 * word), the once-per-pair memory, report_limit, halt_on_error and the
 * summary at exit.  Everything here runs on the slow path, under one lock.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rt_internal.h"

#define ENV_OPTIONS "MTCHECK_RT_OPTIONS"
/* Exit status under halt_on_error=1; 2 is kept for configuration errors. */
#define HALT_STATUS 3

/* MTCHECK_RT_OPTIONS, once parsed, and what the reports have done so far. */
static struct rt_conf {
	bool halt_on_error;
	char *options;			/* a copy of MTCHECK_RT_OPTIONS, cut into items */
	const char *log_path;		/* NULL: stderr; points into options */
	unsigned long report_limit;	/* 0: no limit */
	int fd;				/* where reports go */
	/* under lock: */
	unsigned long nr_reports;	/* new pairs seen, shown or not */
	unsigned long nr_suppressed;	/* not shown because of report_limit */
	/* the (load, store) site pairs already reported: open addressing */
	struct pair {
		const struct mtcheck_rt_site *load, *store;
	} *pairs;
	size_t nr_pairs, pairs_cap;
} conf = { .fd = 2 };

static pthread_mutex_t report_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t conf_once = PTHREAD_ONCE_INIT;

/* ---- output --------------------------------------------------------- */

struct text {
	char *s;
	size_t len, cap;
};

static void __attribute__((format(printf, 2, 3))) text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->s ? t->s + t->len : NULL, t->s ? t->cap - t->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if (t->s && t->len + (size_t)n < t->cap) {
			t->len += (size_t)n;
			return;
		}
		t->cap = (t->cap + (size_t)n + 1) * 2;
		t->s = realloc(t->s, t->cap);
		if (!t->s)
			mtc_rt_oom("a report");
	}
}

/* One write(2) per report, so that reports of several processes appending to one log stay whole. */
static void write_all(int fd, const char *s, size_t len)
{
	while (len) {
		ssize_t n = write(fd, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

static void __attribute__((format(printf, 1, 2), noreturn)) die(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n > sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	buf[n++] = '\n';
	write_all(2, buf, (size_t)n);
	_exit(2);
}

void mtc_rt_oom(const char *what)
{
	die("mtcheck-rt: out of memory for %s", what);
}

void mtc_rt_bad_abi(const struct mtcheck_rt_site *site)
{
	/* only abi is read: a site of another ABI may be laid out differently */
	die("mtcheck-rt: an instrumented access has site ABI version %u, and this run-time "
	    "library knows version %u only: compile and link with the plugin and run-time "
	    "library of one mtcheck (mtcheck --plugin-path, mtcheck --runtime-path)",
	    site->abi, MTCHECK_RT_ABI);
}

/* ---- MTCHECK_RT_OPTIONS ------------------------------------------------- */

static bool parse_ulong(const char *v, unsigned long *out)
{
	char *end;

	if (*v < '0' || *v > '9')
		return false;
	errno = 0;
	*out = strtoul(v, &end, 10);
	return !errno && !*end;
}

/* One NAME=VALUE item of MTCHECK_RT_OPTIONS; the item is NUL-terminated and lives on. */
static void parse_item(char *item)
{
	char *eq = strchr(item, '=');
	const char *value;
	unsigned long n;

	if (!eq)
		die("mtcheck-rt: " ENV_OPTIONS ": '%s' is not NAME=VALUE", item);
	*eq = '\0';
	value = eq + 1;
	if (!strcmp(item, "halt_on_error")) {
		if (strcmp(value, "0") && strcmp(value, "1"))
			die("mtcheck-rt: " ENV_OPTIONS ": halt_on_error=%s: the value must be 0 or 1", value);
		conf.halt_on_error = value[0] == '1';
	} else if (!strcmp(item, "log_path")) {
		if (!*value)
			die("mtcheck-rt: " ENV_OPTIONS ": log_path=: the value must be a file name");
		conf.log_path = value;
	} else if (!strcmp(item, "report_limit")) {
		if (!parse_ulong(value, &n))
			die("mtcheck-rt: " ENV_OPTIONS ": report_limit=%s: the value must be a "
			    "non-negative decimal integer (0: no limit)", value);
		conf.report_limit = n;
	} else {
		die("mtcheck-rt: " ENV_OPTIONS ": unknown option '%s' (known: halt_on_error, "
		    "log_path, report_limit)", item);
	}
}

static void print_summary(void)
{
	struct text t = { 0 };

	pthread_mutex_lock(&report_lock);
	if (conf.nr_reports) {
		text_add(&t, "mtcheck-rt: summary: %lu report%s", conf.nr_reports,
			 conf.nr_reports == 1 ? "" : "s");
		if (conf.nr_suppressed)
			text_add(&t, ", %lu not shown (report_limit=%lu)", conf.nr_suppressed,
				 conf.report_limit);
		text_add(&t, "\n");
		write_all(conf.fd, t.s, t.len);
		free(t.s);
	}
	pthread_mutex_unlock(&report_lock);
}

static void conf_init(void)
{
	const char *env = getenv(ENV_OPTIONS);
	char *item, *save = NULL;

	if (env && *env) {
		conf.options = strdup(env);
		if (!conf.options)
			mtc_rt_oom(ENV_OPTIONS);
		for (item = strtok_r(conf.options, ":,", &save); item;
		     item = strtok_r(NULL, ":,", &save))
			parse_item(item);
	}
	if (conf.log_path) {
		conf.fd = open(conf.log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
		if (conf.fd < 0)
			die("mtcheck-rt: log_path=%s: cannot open: %s", conf.log_path, strerror(errno));
	}
	atexit(print_summary);
}

static void fork_prepare(void)
{
	pthread_mutex_lock(&report_lock);
}

static void fork_done(void)
{
	pthread_mutex_unlock(&report_lock);
}

/*
 * A forked child remembers the parent's pairs, so it does not repeat the
 * parent's reports, but counts only its own: its summary says what it did.
 */
static void fork_child(void)
{
	conf.nr_reports = conf.nr_suppressed = 0;
	pthread_mutex_unlock(&report_lock);
}

/* At startup, so that a bad option stops the program before it starts. */
static void __attribute__((constructor)) rt_init(void)
{
	pthread_once(&conf_once, conf_init);
	pthread_atfork(fork_prepare, fork_done, fork_child);
}

/* ---- once per pair ------------------------------------------------------ */

static size_t pair_slot(const struct mtcheck_rt_site *load, const struct mtcheck_rt_site *store,
			size_t cap)
{
	uint64_t h = ((uint64_t)(uintptr_t)load * UINT64_C(0x9e3779b97f4a7c15)) ^
		     ((uint64_t)(uintptr_t)store * UINT64_C(0xc2b2ae3d27d4eb4f));

	return (size_t)(h >> 32) & (cap - 1);
}

/* Whether the pair was new; it is remembered from now on. */
static bool pair_add(const struct mtcheck_rt_site *load, const struct mtcheck_rt_site *store)
{
	size_t i;

	if ((conf.nr_pairs + 1) * 2 > conf.pairs_cap) {
		struct pair *old = conf.pairs;
		size_t old_cap = conf.pairs_cap, j;

		conf.pairs_cap = old_cap ? old_cap * 2 : 64;
		conf.pairs = calloc(conf.pairs_cap, sizeof(*conf.pairs));
		if (!conf.pairs)
			mtc_rt_oom("the reported pairs");
		for (j = 0; j < old_cap; j++) {
			if (!old[j].load)
				continue;
			for (i = pair_slot(old[j].load, old[j].store, conf.pairs_cap); conf.pairs[i].load;
			     i = (i + 1) & (conf.pairs_cap - 1))
				;
			conf.pairs[i] = old[j];
		}
		free(old);
	}
	for (i = pair_slot(load, store, conf.pairs_cap); conf.pairs[i].load;
	     i = (i + 1) & (conf.pairs_cap - 1))
		if (conf.pairs[i].load == load && conf.pairs[i].store == store)
			return false;
	conf.pairs[i].load = load;
	conf.pairs[i].store = store;
	conf.nr_pairs++;
	return true;
}

/* ---- the report ------------------------------------------------------- */

static const char *or_unknown(const char *s)
{
	return s && *s ? s : "?";
}

static void add_site_place(struct text *t, const struct mtcheck_rt_site *s)
{
	text_add(t, "at %s:%u:%u in %s", or_unknown(s->file), s->line, s->column,
		 or_unknown(s->function));
}

static void add_run(struct text *t, size_t nth, size_t first, size_t last)
{
	text_add(t, "%s%zu", nth ? "," : "", first);
	if (last != first)
		text_add(t, "-%zu", last);
}

/* "byte 3", "bytes 0-1", "bytes 0-1,4": the marks of one store site (in offset order). */
static void add_byte_list(struct text *t, const struct mtc_rt_hit *hit,
			  const struct mtcheck_rt_site *store)
{
	size_t i, n = 0, runs = 0, first = 0, prev = 0;

	for (i = 0; i < hit->nr_marked; i++)
		n += hit->marks[i].store == store;
	text_add(t, "%s ", n == 1 ? "byte" : "bytes");
	n = 0;
	for (i = 0; i < hit->nr_marked; i++) {
		size_t off = hit->marks[i].offset;

		if (hit->marks[i].store != store)
			continue;
		if (n++ && off == prev + 1) {
			prev = off;
			continue;
		}
		if (n > 1)
			add_run(t, runs++, first, prev);
		first = prev = off;
	}
	add_run(t, runs, first, prev);
}

/* The bytes as a number, most significant first, for the given byte order. */
static void add_value(struct text *t, const struct mtc_rt_hit *hit, bool big_endian)
{
	size_t n = hit->size < MTC_RT_MAX_VALUE ? hit->size : MTC_RT_MAX_VALUE, i;

	text_add(t, "0x");
	for (i = 0; i < n; i++)
		text_add(t, "%02x", hit->value[big_endian ? i : n - 1 - i]);
}

static bool already_listed(const struct mtc_rt_hit *hit, size_t upto,
			   const struct mtcheck_rt_site *store)
{
	size_t i;

	for (i = 0; i < upto; i++)
		if (hit->marks[i].store == store)
			return true;
	return false;
}

/* Whether line [s, s+len) of some earlier store site's overlays text was printed already. */
static bool overlay_printed(const struct mtc_rt_hit *hit, size_t upto, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < upto; i++) {
		const char *o = hit->marks[i].store->overlays;

		if (!o || already_listed(hit, i, hit->marks[i].store))
			continue;
		while (*o) {
			size_t l = strcspn(o, "\n");

			if (l == len && !memcmp(o, s, len))
				return true;
			o += l + (o[l] == '\n');
		}
	}
	return false;
}

static void format_report(struct text *t, const struct mtc_rt_hit *hit)
{
	const struct mtcheck_rt_site *ld = hit->load;
	bool host_big = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;
	size_t i;

	text_add(t, "mtcheck-rt: error: load of ");
	if (ld->member)
		text_add(t, "'%s' (%s, %zu byte%s)", ld->member, or_unknown(ld->type), hit->size,
			 hit->size == 1 ? "" : "s");
	else
		text_add(t, "%s (%zu byte%s)", or_unknown(ld->type), hit->size,
			 hit->size == 1 ? "" : "s");
	if (ld->record)
		text_add(t, " in %s", ld->record);
	text_add(t, " reads bytes last written through a narrower member\n");

	text_add(t, "mtcheck-rt:   load ");
	add_site_place(t, ld);
	text_add(t, "\n");

	for (i = 0; i < hit->nr_marked; i++) {
		const struct mtcheck_rt_site *st = hit->marks[i].store;

		if (already_listed(hit, i, st))
			continue;
		text_add(t, "mtcheck-rt:   ");
		add_byte_list(t, hit, st);
		text_add(t, " of %zu written as '%s' (%s)", hit->size, or_unknown(st->member),
			 or_unknown(st->type));
		if (st->record)
			text_add(t, " in %s", st->record);
		text_add(t, " ");
		add_site_place(t, st);
		text_add(t, "\n");
	}
	for (i = 0; i < hit->nr_marked; i++) {
		const struct mtcheck_rt_site *st = hit->marks[i].store;
		const char *o = st->overlays;

		if (!o || already_listed(hit, i, st))
			continue;
		while (*o) {
			size_t l = strcspn(o, "\n");

			if (l && !overlay_printed(hit, i, o, l))
				text_add(t, "mtcheck-rt:   overlay: %.*s\n", (int)l, o);
			o += l + (o[l] == '\n');
		}
	}
	text_add(t, "mtcheck-rt:   value: ");
	add_value(t, hit, host_big);
	text_add(t, " on this %s-endian machine, ", host_big ? "big" : "little");
	add_value(t, hit, !host_big);
	text_add(t, " on %s-endian", host_big ? "little" : "big");
	if (hit->size > MTC_RT_MAX_VALUE)
		text_add(t, " (the first %d bytes)", MTC_RT_MAX_VALUE);
	text_add(t, "\n");
}

void mtc_rt_report(const struct mtc_rt_hit *hit)
{
	struct text t = { 0 };
	bool fresh = false, shown;
	size_t i;

	pthread_once(&conf_once, conf_init);
	pthread_mutex_lock(&report_lock);
	for (i = 0; i < hit->nr_marked; i++)
		fresh |= pair_add(hit->load, hit->marks[i].store);
	if (!fresh) {
		pthread_mutex_unlock(&report_lock);
		return;
	}
	conf.nr_reports++;
	shown = !conf.report_limit || conf.nr_reports <= conf.report_limit;
	if (shown) {
		format_report(&t, hit);
		write_all(conf.fd, t.s, t.len);
		free(t.s);
	} else {
		conf.nr_suppressed++;
	}
	pthread_mutex_unlock(&report_lock);
	if (conf.halt_on_error)
		exit(HALT_STATUS);	/* the summary is written by its atexit handler */
}
