// SPDX-License-Identifier: MIT
/*
 * Findings that travel with the object: the .mtcheck section.
 *
 * The GCC plugin leaves each unit's JSON report, deflated, as one record
 * in a non-allocated section .mtcheck of the object it compiles.  The
 * linker concatenates the sections of all objects, so an archive member,
 * an executable, a shared library or vmlinux holds one record per unit;
 * strip keeps the section.  This front end reads those lines back,
 * each finding once, for objects whose compile ccache served from its
 * cache or distcc ran on another host.
 *
 * An input with the section is this front end's: its findings are the
 * compiler's, so its debug information is not analysed again.  For what
 * needs a layout (--explain), load hands the input to the BTF front end.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "frontend_internal.h"
#include "internal.h"
#include "mtcheck/report.h"

#define SECTION ".mtcheck"

static void init_libelf(void)
{
	elf_version(EV_CURRENT);
}

/*
 * The largest report one record may inflate to: far above a kernel unit's
 * (about a megabyte), and a bound on what a damaged size can ask for.
 */
#define MAX_REPORT (256u << 20)

static int bad_record(const char *name, size_t at, const char *what, struct mtc_error *err)
{
	return mtc_error_set(err, -EINVAL, "%s: byte %zu: %s", name, at, what);
}

/* One compressed record at @p (its header line read): the report inflated and read. */
static int read_compressed(const unsigned char *p, size_t zlen, size_t raw, const char *name,
			   size_t at, struct mtc_findings *out, struct mtc_error *err)
{
	unsigned char *buf = malloc(raw ? raw : 1);
	uLongf got = (uLongf)raw;
	int ret;

	if (!buf)
		return mtc_error_set(err, -ENOMEM, "%s: out of memory", name);
	if (uncompress(buf, &got, p, (uLong)zlen) != Z_OK || got != raw) {
		free(buf);
		return bad_record(name, at, "a compressed report that does not inflate to its size", err);
	}
	struct mtc_read_conf rc = { .empty_ok = true };

	ret = mtc_report_read_mem(buf, raw, name, out, &rc, err);
	free(buf);
	return ret;
}

/*
 * The records in one section's bytes, one per unit: "MTCZ1 SIZE ZSIZE\n"
 * and the deflated report, or a JSON report on one line.  NUL padding
 * between units is skipped.
 */
static int read_reports(const unsigned char *data, size_t len, const char *name,
			struct mtc_findings *out, struct mtc_error *err)
{
	static const char magic[] = "MTCZ1 ";
	int added = 0, ret;

	for (size_t at = 0; at < len;) {
		unsigned char c = data[at];

		if (!c || c == '\n' || c == ' ' || c == '\t' || c == '\r') {
			at++;
			continue;
		}
		if (c == '{') {
			const unsigned char *nl = memchr(data + at, '\n', len - at);
			size_t end = nl ? (size_t)(nl - data) : len;
			struct mtc_read_conf rc = { .empty_ok = true };

			ret = mtc_report_read_mem(data + at, end - at, name, out, &rc, err);
			at = end;
		} else if (len - at > sizeof(magic) - 1 && !memcmp(data + at, magic, sizeof(magic) - 1)) {
			char head[64];
			const unsigned char *nl = memchr(data + at, '\n', len - at < sizeof(head) ? len - at
											: sizeof(head));
			unsigned long long raw, zlen;
			int used = 0;

			if (!nl)
				return bad_record(name, at, "a record header without its end", err);
			memcpy(head, data + at, (size_t)(nl - (data + at)));
			head[nl - (data + at)] = '\0';
			if (sscanf(head, "MTCZ1 %llu %llu%n", &raw, &zlen, &used) != 2 ||
			    head[used] != '\0')
				return bad_record(name, at, "a record header that is not "
					"\"MTCZ1 SIZE COMPRESSED-SIZE\"", err);
			size_t body = (size_t)(nl - data) + 1;

			if (zlen > len - body)
				return bad_record(name, at, "a record longer than the section", err);
			if (raw > MAX_REPORT)
				return bad_record(name, at, "a record whose report is larger than 256 MiB", err);
			ret = read_compressed(data + body, (size_t)zlen, (size_t)raw, name, at, out, err);
			at = body + (size_t)zlen;
		} else {
			return bad_record(name, at, "not an mtcheck record (\"MTCZ1 ...\" or a JSON report)",
					  err);
		}
		if (ret < 0)
			return ret;
		added += ret;
	}
	return added;
}

/*
 * The .mtcheck sections of one ELF: with @out NULL, only whether there is
 * one (1 or 0).  Else the number of findings added, or a negative errno.
 */
static int elf_sections(Elf *elf, const char *name, struct mtc_findings *out,
			struct mtc_error *err)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;
	int found = 0, added = 0;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return out ? mtc_error_set(err, -EINVAL, "%s: corrupt ELF file: %s", name,
					   elf_errmsg(-1)) : 0;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *sname;

		if (!gelf_getshdr(scn, &sh) || !(sname = elf_strptr(elf, shstrndx, sh.sh_name)))
			return out ? mtc_error_set(err, -EINVAL, "%s: truncated or corrupt ELF file: %s",
						   name, elf_errmsg(-1)) : 0;
		if (strcmp(sname, SECTION) || sh.sh_type == SHT_NOBITS)
			continue;
		found = 1;
		if (!out)
			return 1;
		Elf_Data *d = elf_rawdata(scn, NULL);

		if (!d && sh.sh_size)
			return mtc_error_set(err, -EINVAL, "%s: cannot read its " SECTION " section: %s",
					     name, elf_errmsg(-1));
		char where[PATH_MAX + 32];

		snprintf(where, sizeof(where), "%s: section " SECTION, name);
		int ret = d ? read_reports(d->d_buf, d->d_size, where, out, err) : 0;

		if (ret < 0)
			return ret;
		added += ret;
	}
	return out ? added : found;
}

static int walk(const char *path, struct mtc_findings *out, int depth, struct mtc_error *err);

#define THIN_MAGIC "!<thin>\n"

/* One member of the regular archive @path, its header at byte @at. */
static int walk_nested(const char *path, size_t at, struct mtc_findings *out,
		       struct mtc_error *err)
{
	char name[PATH_MAX + 64];
	int fd, ret;

	if ((fd = mtc_input_open(path, NULL, err)) < 0)
		return out ? fd : 0;
	Elf *top = elf_begin(fd, ELF_C_READ, NULL), *m = NULL;

	if (top && elf_kind(top) == ELF_K_AR && elf_rand(top, at) == at &&
	    (m = elf_begin(fd, ELF_C_READ, top)) && elf_kind(m) == ELF_K_ELF) {
		Elf_Arhdr *ah = elf_getarhdr(m);

		snprintf(name, sizeof(name), "%s(%s)", path, ah && ah->ar_name ? ah->ar_name : "?");
		ret = elf_sections(m, name, out, err);
	} else {
		ret = out ? mtc_error_set(err, -EINVAL, "%s: no ELF archive member at byte %zu",
					  path, at) : 0;
	}
	if (m)
		elf_end(m);
	if (top)
		elf_end(top);
	close(fd);
	return ret;
}
/* a thin archive naming a thin archive naming ...: deeper than any build goes */
#define MAX_THIN_DEPTH 8

/*
 * A GNU thin archive (ar T, Kbuild's built-in.a and vmlinux.a), which
 * libelf does not read: 60-byte member headers, and the data of the symbol
 * table ("/", "/SYM64/") and of the long-name table ("//") only; every
 * other member names a file relative to the archive's directory, and is
 * walked as a file of its own.  With @out NULL, a damaged archive or a
 * member that cannot be read is 1 too: the findings will say what is wrong.
 */
static int walk_thin(int fd, const char *path, struct mtc_findings *out, int depth,
		     struct mtc_error *err)
{
	char *names = NULL, member[PATH_MAX];
	size_t names_len = 0;
	const char *slash = strrchr(path, '/');
	int dir_len = slash ? (int)(slash - path) + 1 : 0;
	int ret = 0, added = 0;
	off_t at = sizeof(THIN_MAGIC) - 1;

	if (depth >= MAX_THIN_DEPTH)
		return out ? mtc_error_set(err, -ELOOP, "%s: thin archives nested more than %d deep",
					   path, MAX_THIN_DEPTH) : 1;
	for (;;) {
		char hdr[60], name[17], *end;
		ssize_t n = pread(fd, hdr, sizeof(hdr), at);
		unsigned long size;

		if (n == 0)
			break;
		if (n != (ssize_t)sizeof(hdr) || memcmp(hdr + 58, "`\n", 2)) {
			ret = out ? mtc_error_set(err, -EINVAL, "%s: damaged thin archive: bad member "
						  "header at byte %lld", path, (long long)at) : 1;
			break;
		}
		at += sizeof(hdr);
		memcpy(name, hdr, 16);
		name[16] = '\0';
		hdr[58] = '\0';
		size = strtoul(hdr + 48, &end, 10);
		if (!strncmp(name, "/ ", 2) || !strncmp(name, "/SYM64/", 7)) {
			at += (off_t)((size + 1) & ~1ul);	/* stored, and padded to even */
			continue;
		}
		if (!strncmp(name, "// ", 3)) {
			free(names);
			names_len = size;
			if (!(names = malloc(size + 1)) ||
			    pread(fd, names, size, at) != (ssize_t)size) {
				ret = out ? mtc_error_set(err, names ? -EINVAL : -ENOMEM, "%s: %s", path,
							  names ? "damaged thin archive: short long-name table"
								: "out of memory") : 1;
				break;
			}
			names[size] = '\0';
			at += (off_t)((size + 1) & ~1ul);
			continue;
		}
		/*
		 * "name/" or "/OFFSET" into the long names, which end with "/\n";
		 * "/OFFSET:AT" is the member at byte AT of the archive named
		 * there (a regular archive added to the thin one)
		 */
		const char *nm = name;
		size_t len;
		long long nested = -1;

		if (name[0] == '/') {
			unsigned long off = strtoul(name + 1, &end, 10);

			if (*end == ':')
				nested = strtoll(end + 1, NULL, 10);

			if (!names || end == name + 1 || off >= names_len) {
				ret = out ? mtc_error_set(err, -EINVAL, "%s: damaged thin archive: member "
							  "name '%.16s' at byte %lld", path, name,
							  (long long)at - 60) : 1;
				break;
			}
			nm = names + off;
			len = strcspn(nm, "\n");
		} else {
			len = strcspn(nm, "/");
		}
		if (len && nm[len - 1] == '/')
			len--;
		if ((size_t)snprintf(member, sizeof(member), "%.*s%.*s", nm[0] == '/' ? 0 : dir_len,
				     path, (int)len, nm) >= sizeof(member)) {
			ret = out ? mtc_error_set(err, -ENAMETOOLONG, "%s: member %.*s: name too long",
						  path, (int)len, nm) : 1;
			break;
		}
		if (!out && access(member, R_OK)) {
			ret = 1;
			break;
		}
		int r = nested >= 0 ? walk_nested(member, (size_t)nested, out, err)
				    : walk(member, out, depth + 1, err);

		if (r < 0) {
			ret = r;
			break;
		}
		if (!out && r) {
			ret = 1;
			break;
		}
		added += r;
	}
	free(names);
	return ret < 0 || !out ? ret : added;
}

/*
 * Walk @path: one ELF, or every ELF member of an archive (a thin one's
 * members are files of their own).  With @out NULL, 1 when some ELF has
 * the section, else 0.
 */
static int walk(const char *path, struct mtc_findings *out, int depth, struct mtc_error *err)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	char magic[sizeof(THIN_MAGIC) - 1];
	int fd, ret = 0, added = 0;

	pthread_once(&once, init_libelf);
	if ((fd = mtc_input_open(path, NULL, err)) < 0)
		return out ? fd : 0;
	if (pread(fd, magic, sizeof(magic), 0) == (ssize_t)sizeof(magic) &&
	    !memcmp(magic, THIN_MAGIC, sizeof(magic))) {
		ret = walk_thin(fd, path, out, depth, err);
		close(fd);
		return ret;
	}
	Elf *top = elf_begin(fd, ELF_C_READ, NULL);

	if (top && elf_kind(top) == ELF_K_ELF) {
		ret = elf_sections(top, path, out, err);
	} else if (top && elf_kind(top) == ELF_K_AR) {
		Elf *m;

		while (ret >= 0 && (m = elf_begin(fd, ELF_C_READ, top))) {
			Elf_Arhdr *ah = elf_getarhdr(m);
			char name[PATH_MAX + 64];

			snprintf(name, sizeof(name), "%s(%s)", path, ah && ah->ar_name ? ah->ar_name : "?");
			/* the symbol table and long-name members are not ELF */
			if (elf_kind(m) == ELF_K_ELF) {
				int r = elf_sections(m, name, out, err);

				if (r < 0)
					ret = r;
				else if (!out && r)
					ret = 1;
				else
					added += r;
			}
			elf_next(m);
			elf_end(m);
			if (!out && ret)
				break;
		}
		if (ret >= 0 && out)
			ret = added;
	} else if (out) {
		ret = mtc_error_set(err, -EINVAL, "%s: not an ELF object or archive", path);
	}
	if (top)
		elf_end(top);
	close(fd);
	return ret;
}

/* What probe found: the BTF front end's look, for a load. */
struct section_probe {
	void *btf;
	bool btf_read;
	struct mtc_error btf_err;
};

static int probe(const char *path, void **probed, struct mtc_error *err)
{
	*probed = NULL;
	(void)err;
	if (walk(path, NULL, 0, NULL) <= 0)
		return 0;
	struct section_probe *p = calloc(1, sizeof(*p));

	if (!p)
		return mtc_error_set(err, -ENOMEM, "%s: out of memory", path);
	p->btf_read = mtc_frontend_btf.probe(path, &p->btf, &p->btf_err) > 0;
	*probed = p;
	return 1;
}

static int load(const char *path, const void *probed, const struct mtc_frontend_conf *conf,
		struct mtc_model **out, struct mtc_error *err)
{
	const struct section_probe *p = probed;

	*out = NULL;
	if (!p->btf_read) {
		if (err)
			*err = p->btf_err;
		if (!p->btf_err.code)
			return mtc_error_set(err, -ENODATA, "%s: no debug information to lay out "
					     "(it holds findings in a " SECTION " section only)", path);
		return p->btf_err.code;
	}
	return mtc_frontend_btf.load(path, p->btf, conf, out, err);
}

static int findings(const char *path, const void *probed, const char *only_type,
		    struct mtc_findings *out, struct mtc_error *err)
{
	(void)probed;
	if (!only_type)
		return walk(path, out, 0, err);

	struct mtc_findings *all = mtc_findings_new();
	int ret, added = 0;

	if (!all)
		return mtc_error_set(err, -ENOMEM, "%s: out of memory", path);
	ret = walk(path, all, 0, err);
	for (size_t i = 0; ret >= 0 && i < mtc_findings_count(all); i++) {
		const struct mtc_finding *f = mtc_findings_at(all, i);
		struct mtc_finding *copy;

		if (!f->record || !mtc_name_matches(f->record, only_type))
			continue;
		if (!(copy = mtc_finding_dup(f)) || (ret = mtc_findings_add(out, copy)) < 0)
			ret = mtc_error_set(err, -ENOMEM, "%s: out of memory", path);
		else
			added += ret;
	}
	mtc_findings_free(all);
	return ret < 0 ? ret : added;
}

static void release(void *probed)
{
	struct section_probe *p = probed;

	if (p && p->btf_read)
		mtc_frontend_btf.release(p->btf);
	free(p);
}

const struct mtc_frontend_ops mtc_frontend_section = {
	.name = "section",
	.probe = probe,
	.load = load,
	.release = release,
	.findings = findings,
};
