// SPDX-License-Identifier: MIT
/*
 * GitLab Code Quality: the Code Climate issue format that GitLab reads
 * from a job's `artifacts: reports: codequality:` and shows in merge
 * requests (docs/ci.md has the fields and the severity table).  Like the
 * JSON report it is written one issue at a time, every value through
 * json-c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json_build.h"
#include "mtcheck/report.h"
#include "report_internal.h"
#include "strbuf.h"

/*
 * GitLab's five levels from the rule's severity and mtcheck's confidence:
 * a note is info whatever its confidence; a warning is minor, major or
 * critical for low, medium and high confidence; an error one step above
 * (major, critical, blocker).
 */
static const char *codeclimate_severity(const struct mtc_finding *f)
{
	static const char *const levels[] = { "info", "minor", "major", "critical", "blocker" };
	int step = f->confidence == MTC_CONF_HIGH ? 2 : f->confidence == MTC_CONF_MEDIUM ? 1 : 0;

	switch (f->severity) {
	case MTC_SEV_ERROR:
		return levels[2 + step];
	case MTC_SEV_WARNING:
		return levels[1 + step];
	default:
		return levels[0];
	}
}

static json_object *issue(struct jb *b, const struct mtc_finding *f)
{
	json_object *o = json_object_new_object(), *cat = json_object_new_array();
	json_object *loc = json_object_new_object(), *lines = json_object_new_object();
	char *msg = mtc_finding_message(f, 0), *note = mtc_finding_note(f);
	char *why = mtc_finding_confidence_text(f), *fp = mtc_finding_fingerprint(f);
	const char *path = f->loc.file ? f->loc.file : f->input;
	struct strbuf body;

	if (!msg || !note || !why || !fp)
		b->oom = true;
	jadd(b, o, "type", jstr("issue"), false);
	jadd(b, o, "check_name", jstr(f->rule_id), false);
	jadd(b, o, "description", jstr(msg), false);
	sb_init(&body);
	sb_addf(&body, "%s.\n\n%s.", note ? note : "", why ? why : "");
	json_object *content = json_object_new_object();

	jadd(b, content, "body", jstr(sb_str(&body)), false);
	if (body.oom)
		b->oom = true;
	sb_free(&body);
	jadd(b, o, "content", content, false);
	/* a value read differently by another byte order: a portability bug */
	jpush(b, cat, jstr("Bug Risk"));
	jpush(b, cat, jstr("Compatibility"));
	jadd(b, o, "categories", cat, false);
	jadd(b, o, "severity", jstr(codeclimate_severity(f)), false);
	jadd(b, o, "fingerprint", jstr(fp), false);
	/* GitLab wants a path from the repository's root: "./a.c" is "a.c" */
	while (path && path[0] == '.' && path[1] == '/')
		path += 2;
	jadd(b, loc, "path", jstr(path ? path : ""), false);
	/* a raw BTF input has no lines; GitLab needs one, the first */
	jadd(b, lines, "begin", json_object_new_int(f->loc.file && f->loc.line ? (int)f->loc.line : 1),
	     false);
	jadd(b, loc, "lines", lines, false);
	jadd(b, o, "location", loc, false);
	free(msg);
	free(note);
	free(why);
	free(fp);
	return o;
}

int mtc_write_codeclimate(FILE *out, const struct mtc_findings *fs)
{
	struct jb b = { false };
	size_t written = 0;

	fputc('[', out);
	for (size_t i = 0; i < mtc_findings_count(fs); i++) {
		const struct mtc_finding *f = mtc_findings_at(fs, i);

		if (f->baseline == MTC_BASELINE_ABSENT)
			continue;
		json_object *o = issue(&b, f);

		if (!o || b.oom) {
			json_object_put(o);
			return -ENOMEM;
		}
		fprintf(out, "%s\n%s", written++ ? "," : "", json_object_to_json_string_ext(o, JSON_FLAGS));
		json_object_put(o);
	}
	fputs(written ? "\n]\n" : "]\n", out);
	return 0;
}
