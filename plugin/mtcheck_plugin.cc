// SPDX-License-Identifier: MIT
/*
 * mtcheck.so: the GCC plugin.  While a C file compiles, each struct and
 * union that can hold an overlay is copied into the layout model
 * (frontend_gcc.cc), the core library analyses it, and every finding
 * becomes a GCC diagnostic on the overlaying member's declaration, so that
 * -Werror, -w and -fdiagnostics-format=json treat it like GCC's own.  The
 * plugin has no analysis of its own.
 *
 *   gcc -fplugin=$(mtcheck --plugin-path) [-fplugin-arg-mtcheck-KEY=VALUE]... -c foo.c
 *
 * Trees are checked before use and the core's errors become GCC errors
 * naming the record.  A fault inside the plugin all the same ends the
 * compilation at once with one internal-error message naming the record
 * (the crash guard, below), never GCC's crash report.
 */
#include "gcc-compat.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <unistd.h>

#include "frontend_gcc.h"
#include "mtcheck/analysis.h"
#include "mtcheck/finding.h"
#include "mtcheck/report.h"
#include "plugin_conf.h"
#include "report_file.h"
#include "report_section.h"
#include "said_file.h"
#include "sanitize.h"

#ifndef MTCHECK_VERSION
#define MTCHECK_VERSION "0.0.0"
#endif

/* GCC loads only plugins that declare this; the plugin is MIT, which is GPL-compatible. */
MTC_PLUGIN_EXPORT int plugin_is_GPL_compatible;

static struct plugin_info mtc_plugin_info = { MTCHECK_VERSION, mtc_plugin_help };

/*
 * A record waiting for the end of the unit (settle()): its tree is
 * queued_types[i], kept there for GCC's garbage collector.
 */
struct queued {
	char *name;
	location_t where;
	bool check;		/* analyse it; else it only holds a named union, maybe beside a tag */
};

static GTY(()) vec<tree, va_gc> *queued_types;
static const struct ggc_root_tab queue_root_tab[] = {
	{ &queued_types, 1, sizeof(queued_types), &gt_ggc_mx_vec_tree_va_gc_,
	  &gt_pch_nx_vec_tree_va_gc_ },
	LAST_GGC_ROOT_TAB
};

/* Everything the plugin keeps for one compilation, in one place. */
struct plugin_state {
	const char *name;		/* NAME of -fplugin-arg-NAME-KEY, for messages */
	struct mtc_plugin_conf conf;
	struct mtc_analysis_conf analysis;
	struct mtc_target target;
	struct mtc_gcc_names *names;
	struct mtc_gcc_conf gcc;
	hash_set<mtc_uid_hash> done;	/* records already looked at */
	struct mtc_findings *seen;	/* every finding of the unit, so repeats are dropped */
	struct mtc_findings *report;	/* those outside system headers: the report files */
	struct mtc_said *said;		/* once per build: what other units said (said_file.h) */
	char input[PATH_MAX];
	char cwd[PATH_MAX];
	const char *crash_test;		/* MTCHECK_PLUGIN_CRASH_TEST: the guard's test hook */
	struct mtc_sanitizer *san;	/* sanitize: the instrumentation, else NULL */
	bool started;			/* the unit is parsed, not only preprocessed */
	bool settled;			/* the queued records are analysed (settle()) */
	vec<struct queued> queue;	/* records to analyse, their trees in queued_types */
};

/*
 * The crash guard.  A fault in the plugin's code, or in the core library
 * or libc working for it, may strike inside malloc or with a mutex held
 * (the findings list's), so nothing that could need either may run after
 * it: not GCC's diagnostics, not GCC's own crash handler (which would blame
 * GCC and print its bug-report address), and never the rest of the
 * compilation.  So the compilation ends at the fault.  Before each guarded
 * step, the message it would end with is formatted into static buffers;
 * the handler only copies the signal's name in, write()s the message,
 * removes a report file's temporary file if one is being written, and
 * _exit()s with GCC's status for an internal error; each of these is
 * async-signal-safe.  The driver sees cc1 fail and removes its output file;
 * a shared report file's flock() goes with the process.  The handler runs
 * on its own stack, so that a stack overflow in the plugin is caught too.
 */
static const int guarded_signals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
#define NR_GUARDED (sizeof(guarded_signals) / sizeof(guarded_signals[0]))

static char guard_head[PATH_MAX + 128];		/* "file:line:col: internal compiler error: ..." */
static char guard_tail[MTC_GCC_NAME_MAX + PATH_MAX + 256];	/* " while ...\n" */
static char guard_out[sizeof(guard_head) + sizeof(guard_tail) + 64];
static char guard_tmp[MTC_REPORT_TMP_MAX];	/* a report file's temporary file, while it exists */
static char guard_stack[64 * 1024];
static struct sigaction guard_saved[NR_GUARDED];
static stack_t guard_saved_stack;

/* Async-signal-safe: literals only. */
static const char *signal_name(int sig)
{
	switch (sig) {
	case SIGSEGV: return "segmentation fault (SIGSEGV)";
	case SIGBUS: return "bus error (SIGBUS)";
	case SIGFPE: return "arithmetic exception (SIGFPE)";
	case SIGILL: return "illegal instruction (SIGILL)";
	case SIGABRT: return "abort (SIGABRT)";
	default: return "signal";
	}
}

/* Async-signal-safe: no libc, since POSIX lists few string functions as safe. */
static size_t guard_append(size_t at, const char *s)
{
	while (*s && at < sizeof(guard_out) - 1)
		guard_out[at++] = *s++;
	return at;
}

static void guard_catch(int sig)
{
	size_t n = guard_append(guard_append(guard_append(0, guard_head), signal_name(sig)),
				guard_tail);

	for (size_t done = 0; done < n;) {
		ssize_t w = write(STDERR_FILENO, guard_out + done, n - done);

		if (w <= 0)
			break;
		done += (size_t)w;
	}
	if (guard_tmp[0])
		unlink(guard_tmp);
	_exit(ICE_EXIT_CODE);
}

/*
 * Run @fn(@arg) under the guard; a fault ends the compilation with
 * "WHERE: internal compiler error: ... SIGNAL while WHAT" (@what is
 * printf-formatted, without the newline).
 */
static void run_guarded(void (*fn)(void *), void *arg, location_t where, const char *plugin,
			const char *what, ...) ATTRIBUTE_PRINTF(5, 6);

static void run_guarded(void (*fn)(void *), void *arg, location_t where, const char *plugin,
			const char *what, ...)
{
	expanded_location x = expand_location(where);
	struct sigaction sa;
	stack_t ss;
	va_list ap;

	if (!x.file)
		snprintf(guard_head, sizeof(guard_head), "%s: ", progname);
	else if (x.column)
		snprintf(guard_head, sizeof(guard_head), "%s:%d:%d: ", x.file, x.line, x.column);
	else
		snprintf(guard_head, sizeof(guard_head), "%s:%d: ", x.file, x.line);
	size_t h = strlen(guard_head);

	snprintf(guard_head + h, sizeof(guard_head) - h, "internal compiler error: %s plugin: ",
		 plugin);
	guard_tail[0] = ' ';
	va_start(ap, what);
	vsnprintf(guard_tail + 1, sizeof(guard_tail) - 1, what, ap);
	va_end(ap);
	size_t t = strlen(guard_tail);

	snprintf(guard_tail + t, sizeof(guard_tail) - t, "; please report this bug in %s with "
		 "the preprocessed source\ncompilation terminated.\n", plugin);
	guard_tmp[0] = '\0';

	ss.ss_sp = guard_stack;
	ss.ss_size = sizeof(guard_stack);
	ss.ss_flags = 0;
	sigaltstack(&ss, &guard_saved_stack);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = guard_catch;
	sa.sa_flags = SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < NR_GUARDED; i++)
		sigaddset(&sa.sa_mask, guarded_signals[i]);
	for (size_t i = 0; i < NR_GUARDED; i++)
		sigaction(guarded_signals[i], &sa, &guard_saved[i]);
	fn(arg);
	for (size_t i = 0; i < NR_GUARDED; i++)
		sigaction(guarded_signals[i], &guard_saved[i], NULL);
	sigaltstack(&guard_saved_stack, NULL);
}

/* The guard as the sanitizer's pass runs it (sanitize.h). */
static void guard_sanitizer(void (*fn)(void *), void *arg, location_t where, const char *plugin,
			    const char *what)
{
	run_guarded(fn, arg, where, plugin, "%s", what);
}

static location_t loc_of(const struct mtc_location *l, location_t fallback)
{
	return l->handle ? (location_t)l->handle : fallback;
}

/*
 * Once per build: whether this unit is the one to diagnose @f.  Findings
 * in the unit's own file always are; one in a header only when no other
 * compilation of the build said it before (said_file.h has the rule).  A
 * finding GCC would not show here (-w, a system header) claims nothing.
 */
static bool say_here(struct plugin_state *st, const struct mtc_finding *f, location_t loc)
{
	char file[PATH_MAX];

	if (!st->said || !f->loc.file ||
	    !strcmp(mtc_absolute_path(f->loc.file, file, sizeof(file)), st->input))
		return true;
	if (f->severity != MTC_SEV_ERROR && !mtc_gcc_warnings_shown_at(loc))
		return true;
	/* the fingerprint, where it is declared, and for which target */
	char *fp = mtc_finding_fingerprint(f);
	char *key = fp ? concat(file, ":", fp, ":", st->target.triple,
				st->target.pointer_bits == 32 ? "/32" : "/64", NULL) : NULL;
	struct mtc_error err = { 0, "" };
	int ret = key ? mtc_said_claim(st->said, key, &err)
		      : mtc_error_set(&err, -ENOMEM, "out of memory");

	free(fp);
	free(key);
	if (ret < 0)
		error_at(loc, "%s: %s", st->name, err.message);
	return ret != 0;
}

/*
 * One finding as GCC diagnostics: a warning (or an error, or a note, as
 * the rule's severity says) on the overlaying member, then notes on the
 * wide member with the values each byte order reads.  One diagnostic group,
 * so that -fdiagnostics-format=json nests the notes under the warning.
 */
static void report_finding(struct plugin_state *st, const struct mtc_finding *f,
			   location_t fallback)
{
	location_t loc = loc_of(&f->loc, fallback), wloc = loc_of(&f->wide.loc, loc);
	/* the rule's name goes next to its id, as GCC names a warning's option */
	char *msg = mtc_finding_message(f, MTC_MESSAGE_RULE_NAME);
	char *note = mtc_finding_note(f);
	/* "high confidence: co-live: ...": why mtcheck thinks this is a hazard, or not */
	char *why = mtc_finding_confidence_text(f);
	bool shown;

	if (!msg || !note || !why) {
		free(msg);
		free(note);
		free(why);
		error_at(loc, "%s: out of memory", st->name);
		return;
	}
	/* below the threshold, or said by another unit: for the report files only */
	if (f->confidence >= st->conf.min_confidence && say_here(st, f, loc)) {
		auto_diagnostic_group group;

		/* diagnostics=off (mtcheck build): -Werror must not fail the build */
		if (st->conf.no_diagnostics)
			shown = false;
		else switch (f->severity) {
		case MTC_SEV_ERROR:
			error_at(loc, "%s", msg);
			shown = true;
			break;
		case MTC_SEV_WARNING:
			if (st->conf.werror) {
				shown = warning_at(loc, 0, "%s", msg);
			} else {
				/* werror=no: a warning even under -Werror */
				bool old = mtc_gcc_set_werror(false);

				shown = warning_at(loc, 0, "%s", msg);
				mtc_gcc_set_werror(old);
			}
			break;
		default:
			/* a note is not a warning for -Werror, but -w and system headers hide it too */
			shown = mtc_gcc_warnings_shown_at(loc);
			if (shown)
				inform(loc, "%s", msg);
		}
		if (shown) {
			const struct mtc_leaf *w = &f->wide;

			if (w->bit_size)
				inform(wloc, "overlaid %s %qs of type %qs is declared here, at bits %u-%u",
				       mtc_kind_word(w->kind, true), w->path, w->type, w->bit_offset,
				       w->bit_offset + w->bit_size - 1);
			else
				inform(wloc, "overlaid %s %qs of type %qs is declared here, at bytes %llu-%llu",
				       mtc_kind_word(w->kind, false), w->path, w->type,
				       (unsigned long long)w->offset,
				       (unsigned long long)(w->offset + w->size - 1));
			inform(wloc, "%s", note);
			inform(loc, "%s", why);
		}
	}
	free(msg);
	free(note);
	free(why);
	if (!in_system_header_at(loc) || mtc_gcc_warn_system_headers()) {
		struct mtc_finding *copy = mtc_finding_dup(f);

		if (!copy || mtc_findings_add(st->report, copy) < 0)
			error_at(loc, "%s: out of memory", st->name);
	}
}

/* One record's analysis, run under the crash guard. */
struct record_job {
	struct plugin_state *st;
	tree type;
	const char *name;
	location_t where;
	bool check;
	struct mtc_gcc_unit *unit;
	const struct mtc_type *rec;	/* its record in the unit's model, once added */
};

/*
 * MTCHECK_PLUGIN_CRASH_TEST=RECORD: while that record is analysed, the
 * findings list is handed a finding whose record name is an unmapped
 * address.  The fault comes from inside the core library (formatting the
 * finding's identity, in libc) with the list's mutex held, the worst place
 * the guard has to handle.  The compilation ends there, so the finding is
 * never freed.
 */
static void crash_in_findings_lock(struct plugin_state *st)
{
	struct mtc_finding *f = XCNEW(struct mtc_finding);

	f->rule_id = xstrdup("MT000");
	f->record = (char *)(uintptr_t)16;	/* below mmap_min_addr: never mapped */
	f->wide.path = xstrdup("crash");
	mtc_findings_add(st->seen, f);
}

/*
 * Lay the record out on its own first: a record that cannot be laid out
 * would leave part of itself in the unit's model.  GCC has already
 * reported a record without a fixed layout (-EOPNOTSUPP) or one an error
 * broke (-ECANCELED); a record kept only as a container is skipped
 * silently whatever went wrong.
 */
static void add_record(void *arg)
{
	struct record_job *j = (struct record_job *)arg;
	struct plugin_state *st = j->st;
	struct mtc_error err = { 0, "" };
	struct mtc_model *m = NULL;
	int ret = mtc_gcc_model(&st->gcc, j->type, j->name, &m, &err);

	mtc_model_free(m);
	if (!ret)
		j->rec = mtc_gcc_unit_add(j->unit, j->type, j->name, &err);
	if (j->rec || !j->check || ret == -EOPNOTSUPP || ret == -ECANCELED)
		return;
	error_at(j->where, "%s: cannot lay out %qs: %s", st->name, j->name, err.message);
}

static void analyse_record(void *arg)
{
	struct record_job *j = (struct record_job *)arg;
	struct plugin_state *st = j->st;
	struct mtc_error err = { 0, "" };
	struct mtc_model *m = mtc_gcc_unit_model(j->unit, &err);

	if (!m) {
		error_at(j->where, "%s: cannot lay out %qs: %s", st->name, j->name, err.message);
		return;
	}
	if (st->crash_test && !strcmp(st->crash_test, j->name))
		crash_in_findings_lock(st);
	size_t before = mtc_findings_count(st->seen);

	/* only this record: the named records inside it are analysed on their own */
	st->analysis.only_record = j->rec;
	int ret = mtc_analyze(m, &st->analysis, st->seen, &err);

	st->analysis.only_record = NULL;
	if (ret < 0) {
		error_at(j->where, "%s: cannot analyse %qs: %s", st->name, j->name, err.message);
		return;
	}
	/* the findings list appends and never reorders until it is written */
	for (size_t i = before; i < mtc_findings_count(st->seen); i++) {
		report_finding(st, mtc_findings_at(st->seen, i), j->where);
		if (st->san)
			mtc_sanitizer_add(st->san, j->type, mtc_findings_at(st->seen, i));
	}
}

/*
 * Queue a record for settle().  A union is judged with the records that
 * hold it, since a member beside it may be the tag that selects its
 * alternative, and those records are complete only later in the unit; so
 * the records with overlays (check) and those holding a named union are
 * kept until the whole unit is parsed.
 */
static void queue_record(struct plugin_state *st, tree type, const char *name, location_t where)
{
	/* GCC does not warn inside system headers; nor does the plugin spend time there */
	if (in_system_header_at(where) && !mtc_gcc_warn_system_headers())
		return;
	bool check = mtc_gcc_has_union(st->names, type);

	if (!check && !mtc_gcc_holds_named_union(st->names, type))
		return;
	struct queued q = { xstrdup(name), where, check };

	vec_safe_push(queued_types, type);
	st->queue.safe_push(q);
}

/*
 * The whole unit is parsed: lay every queued record out in one model and
 * analyse those with overlays, in the order GCC finished them.  Runs once,
 * before the first pass (the sanitizer's needs the findings), or at the
 * end of a unit that is only parsed (-fsyntax-only) or failed.
 */
static void settle(struct plugin_state *st)
{
	if (st->settled)
		return;
	st->settled = true;
	if (st->queue.is_empty())
		return;
	struct mtc_gcc_unit *unit = mtc_gcc_unit_new(&st->gcc);

	if (!unit) {
		error_at(UNKNOWN_LOCATION, "%s: out of memory", st->name);
		return;
	}
	vec<struct record_job> jobs = vNULL;

	for (unsigned i = 0; i < st->queue.length(); i++) {
		struct queued *q = &st->queue[i];
		struct record_job job = { st, (*queued_types)[i], q->name, q->where, q->check, unit,
					  NULL };

		run_guarded(add_record, &job, q->where, st->name, "while laying out '%s'", q->name);
		if (job.rec && job.check)
			jobs.safe_push(job);
	}
	for (unsigned i = 0; i < jobs.length(); i++)
		run_guarded(analyse_record, &jobs[i], jobs[i].where, st->name,
			    "while analysing '%s'", jobs[i].name);
	jobs.release();
	mtc_gcc_unit_free(unit);
	for (unsigned i = 0; i < st->queue.length(); i++)
		free(st->queue[i].name);
	st->queue.release();
	vec_free(queued_types);
}

/*
 * PLUGIN_START_UNIT: the front end has read its options, so the main file's
 * name is known (it is not yet at plugin_init), and parsing is about to
 * start.  A preprocessing-only run (-E) never gets here, which tells
 * PLUGIN_FINISH not to touch the report files for it.
 */
static void start_unit(void *gcc_data, void *user_data)
{
	struct plugin_state *st = (struct plugin_state *)user_data;

	(void)gcc_data;
	st->started = true;
	mtc_absolute_path(main_input_filename ? main_input_filename : "<stdin>", st->input,
			  sizeof(st->input));
	if (!getcwd(st->cwd, sizeof(st->cwd)))
		st->cwd[0] = '\0';
	mtc_gcc_target(&st->target);
	st->gcc.target = &st->target;
	st->gcc.input = st->input;
	st->gcc.cwd = st->cwd[0] ? st->cwd : NULL;
	st->gcc.names = st->names;
	if (st->conf.said_path) {
		struct mtc_error err = { 0, "" };

		if (mtc_said_open(st->conf.said_path, st->input, &st->said, &err))
			error("%s: %s", st->name, err.message);
	}
}

/*
 * PLUGIN_FINISH_TYPE: the C parser calls this after every struct or union
 * specifier.  After a definition, finish_struct has just laid the record
 * out for the target: sizes, offsets and bit positions are final, and no
 * later declaration can change them, so this is where a record is read.
 * Every later `struct foo` that names the type calls it again; each record
 * is looked at once.  An anonymous record waits for a typedef that may name
 * it (PLUGIN_FINISH_DECL) or is checked as part of the record holding it.
 */
static void finish_type(void *gcc_data, void *user_data)
{
	struct plugin_state *st = (struct plugin_state *)user_data;
	tree type = (tree)gcc_data;
	char buf[MTC_GCC_NAME_MAX];

	if (!type || type == error_mark_node || !mtc_gcc_is_complete_record(type))
		return;
	type = TYPE_MAIN_VARIANT(type);
	if (st->done.contains(mtc_uid_key(type)))
		return;
	const char *name = mtc_gcc_record_name(st->names, type, buf);

	if (!name)
		return;
	st->done.add(mtc_uid_key(type));
	queue_record(st, type, name, TYPE_STUB_DECL(type) ? DECL_SOURCE_LOCATION(TYPE_STUB_DECL(type))
							  : input_location);
}

/*
 * PLUGIN_FINISH_DECL: a typedef's name exists only once its declarator is
 * parsed, after the anonymous record's PLUGIN_FINISH_TYPE.  The first
 * typedef of an anonymous record names it (typedef struct { ... } foo_t),
 * as it does in the other front ends.
 */
static void finish_decl(void *gcc_data, void *user_data)
{
	struct plugin_state *st = (struct plugin_state *)user_data;
	tree decl = (tree)gcc_data;
	char buf[MTC_GCC_NAME_MAX];

	if (!decl || TREE_CODE(decl) != TYPE_DECL || !DECL_NAME(decl))
		return;
	tree type = TREE_TYPE(decl);

	if (!type || type == error_mark_node || !mtc_gcc_is_complete_record(type))
		return;
	type = TYPE_MAIN_VARIANT(type);
	if (!mtc_gcc_names_add_typedef(st->names, type, IDENTIFIER_POINTER(DECL_NAME(decl))) ||
	    st->done.add(mtc_uid_key(type)))
		return;
	queue_record(st, type, mtc_gcc_record_name(st->names, type, buf),
		     DECL_SOURCE_LOCATION(decl));
}

/* One report file, under the crash guard. */
struct report_job {
	struct plugin_state *st;
	struct mtc_report_file rf;
};

static void write_report(void *arg)
{
	struct report_job *j = (struct report_job *)arg;
	struct mtc_error err = { 0, "" };

	/* no source line to blame: the report is the compilation's */
	if (mtc_report_file_write(&j->rf, j->st->report, &err))
		error_at(UNKNOWN_LOCATION, "%s: %s", j->st->name, err.message);
}

/*
 * PLUGIN_FINISH: runs once at the end of every compilation, -fsyntax-only
 * and failed ones included (PLUGIN_FINISH_UNIT runs for neither), and
 * before GCC writes its -fdiagnostics-format=json output and chooses the
 * exit status, so that a report file that cannot be written still fails
 * this compilation.
 */
static void finish(void *gcc_data, void *user_data)
{
	struct plugin_state *st = (struct plugin_state *)user_data;
	const char *paths[2] = { st->conf.json_path, st->conf.sarif_path };
	const enum mtc_format formats[2] = { MTC_FORMAT_JSON, MTC_FORMAT_SARIF };

	(void)gcc_data;
	if (st->started)
		settle(st);
	for (int i = 0; i < 2 && st->started; i++) {
		if (!paths[i])
			continue;
		struct report_job job = { st, { paths[i], formats[i], st->input, &st->target,
						st->conf.rules, guard_tmp,
						st->crash_test && !strcmp(st->crash_test, "@report") } };

		run_guarded(write_report, &job, UNKNOWN_LOCATION, st->name,
			    "while writing the report file '%s'", paths[i]);
	}
	mtc_findings_free(st->seen);
	mtc_findings_free(st->report);
	mtc_sanitizer_free(st->san);
	mtc_said_free(st->said);
	mtc_gcc_names_free(st->names);
	mtc_plugin_conf_free(&st->conf);
	delete st;
}

/*
 * PLUGIN_PASS_EXECUTION: the first pass to run (lowering, after the whole
 * unit is parsed) settles the queued records, before any function reaches
 * the sanitizer's pass.
 */
static void pass_execution(void *gcc_data, void *user_data)
{
	struct plugin_state *st = (struct plugin_state *)user_data;

	(void)gcc_data;
	if (!st->settled && st->started)
		settle(st);
}

/*
 * PLUGIN_FINISH_UNIT: the unit is compiled and the assembler output is
 * still open, so the findings can go into the object (report_section.cc).
 * It does not run for -fsyntax-only, -E, or a unit with errors.
 */
static void finish_unit(void *gcc_data, void *user_data)
{
	struct plugin_state *st = (struct plugin_state *)user_data;
	struct mtc_error err = { 0, "" };

	(void)gcc_data;
	settle(st);
	if (mtc_report_section_emit(st->report, st->conf.rules, st->conf.section, &err))
		error_at(UNKNOWN_LOCATION, "%s: %s", st->name, err.message);
}

/*
 * mtcheck_allow("reason") (mtcheck.h's MTCHECK_ALLOW): on a member or on a
 * struct or union; the front end reads it from DECL_ATTRIBUTES and
 * TYPE_ATTRIBUTES.  Elsewhere it is ignored with a -Wattributes warning,
 * and without a reason it is an error.
 */
static tree handle_allow(tree *node, tree name, tree args, int flags, bool *no_add_attrs)
{
	tree t = *node;
	tree reason = args ? TREE_VALUE(args) : NULL_TREE;
	location_t loc = DECL_P(t) ? DECL_SOURCE_LOCATION(t) : input_location;

	(void)flags;
	if (TREE_CODE(t) == TYPE_DECL) {
		/* the typedef's attributes are not the record's */
		warning_at(loc, OPT_Wattributes, "%qE on a typedef marks nothing; put it after "
			   "%<struct%> or %<union%>", name);
		*no_add_attrs = true;
	} else if (TREE_CODE(t) != FIELD_DECL && TREE_CODE(t) != RECORD_TYPE && TREE_CODE(t) != UNION_TYPE) {
		warning_at(loc, OPT_Wattributes,
			   "%qE attribute applies to structs, unions and their members only", name);
		*no_add_attrs = true;
	} else if (!reason || TREE_CODE(reason) != STRING_CST || TREE_STRING_LENGTH(reason) <= 1) {
		error_at(loc, "%qE needs a reason: a non-empty string saying why the overlay is intended",
			 name);
		*no_add_attrs = true;
	}
	return NULL_TREE;
}

static const struct attribute_spec allow_attribute =
	MTC_ATTRIBUTE_SPEC(MTC_GCC_ALLOW_ATTRIBUTE, 1, 1, false, false, handle_allow);

/*
 * PLUGIN_ATTRIBUTES: GCC builds its attribute tables on first use (the
 * first attribute parsed, or the first __has_attribute, which mtcheck.h
 * evaluates), and registration is only possible from this event.
 */
static void register_attributes(void *gcc_data, void *user_data)
{
	(void)gcc_data;
	(void)user_data;
	mtc_gcc_register_attribute(&allow_attribute);
}

MTC_PLUGIN_EXPORT int plugin_init(struct plugin_name_args *info, struct plugin_gcc_version *version)
{
	if (!plugin_default_version_check(version, &gcc_version)) {
		error("%s was built for GCC %s and cannot run in GCC %s; build it against the "
		      "plugin headers of this compiler (gcc-%d-plugin-dev)", info->full_name,
		      gcc_version.basever, version->basever, atoi(version->basever));
		return 1;
	}
	register_callback(info->base_name, PLUGIN_INFO, NULL, &mtc_plugin_info);

	struct plugin_state *st = new plugin_state();
	struct mtc_plugin_arg *args = XCNEWVEC(struct mtc_plugin_arg, info->argc + 1);
	struct mtc_error err = { 0, "" };

	st->name = info->base_name;
	for (int i = 0; i < info->argc; i++) {
		args[i].key = info->argv[i].key;
		args[i].value = info->argv[i].value;
	}
	int ret = mtc_plugin_conf_load(&st->conf, info->base_name, info->full_name, args,
				       (size_t)info->argc, &err);

	XDELETEVEC(args);
	if (ret) {
		error("%s", err.message);
		mtc_plugin_conf_free(&st->conf);
		delete st;
		return 1;
	}
	if (mtc_gcc_language() != MTC_GCC_C) {
		if (mtc_gcc_language() == MTC_GCC_OTHER)
			inform(UNKNOWN_LOCATION,
			       "%s checks C only; this %s translation unit is not analysed",
			       info->base_name, lang_hooks.name);
		mtc_plugin_conf_free(&st->conf);
		delete st;
		return 0;
	}
	st->seen = mtc_findings_new();
	st->report = mtc_findings_new();
	st->names = mtc_gcc_names_new();
	st->analysis.rules = st->conf.rules;
	st->analysis.config = st->conf.config;
	st->crash_test = getenv("MTCHECK_PLUGIN_CRASH_TEST");
	if (!st->seen || !st->report) {
		error("%s: out of memory", info->base_name);
		return 1;
	}
	register_callback(info->base_name, PLUGIN_ATTRIBUTES, register_attributes, st);
	register_callback(info->base_name, PLUGIN_START_UNIT, start_unit, st);
	register_callback(info->base_name, PLUGIN_FINISH_TYPE, finish_type, st);
	register_callback(info->base_name, PLUGIN_FINISH_DECL, finish_decl, st);
	register_callback(info->base_name, PLUGIN_FINISH_UNIT, finish_unit, st);
	register_callback(info->base_name, PLUGIN_PASS_EXECUTION, pass_execution, st);
	register_callback(info->base_name, PLUGIN_REGISTER_GGC_ROOTS, NULL, (void *)queue_root_tab);
	register_callback(info->base_name, PLUGIN_FINISH, finish, st);
	if (st->conf.sanitize) {
		st->san = mtc_sanitizer_new(st->name, st->conf.sanitize_confidence, st->names,
					    guard_sanitizer, st->crash_test);
		mtc_sanitizer_register(st->san);
	}
	return 0;
}
