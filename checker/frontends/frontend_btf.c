// SPDX-License-Identifier: MIT
/*
 * The BTF front end: compiled objects and BTF files.
 *
 *  - a raw BTF file (/sys/kernel/btf/vmlinux) or an ELF with a .BTF
 *    section is read directly with libbpf;
 *  - an ELF with DWARF is converted by pahole --btf_encode_detached into a
 *    private temporary file, which libbpf then reads.
 *
 * The target comes from the ELF header (or the BTF's own byte order), so a
 * big-endian object is reported for big-endian wherever mtcheck runs.  BTF
 * has no source positions for members; where DWARF is present they are
 * read from it (dwarf_locations.c).
 */
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <linux/btf.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "frontend_internal.h"
#include "internal.h"
#include "mtcheck/frontend.h"
#include "strbuf.h"

enum input_kind {
	INPUT_RAW_BTF,
	INPUT_ELF_BTF,		/* has .BTF */
	INPUT_ELF_DWARF,	/* has .debug_info, no .BTF */
};

struct elf_info {
	enum input_kind kind;
	struct mtc_target target;
	bool has_dwarf;
};

static const struct {
	unsigned machine;
	const char *triple64, *triple32;
} machines[] = {
	{ EM_X86_64, "x86_64-linux-gnu", "x86_64-linux-gnux32" },
	{ EM_386, NULL, "i686-linux-gnu" },
	{ EM_S390, "s390x-linux-gnu", "s390-linux-gnu" },
	{ EM_PPC64, "powerpc64-linux-gnu", NULL },
	{ EM_PPC, NULL, "powerpc-linux-gnu" },
	{ EM_SPARCV9, "sparc64-linux-gnu", NULL },
	{ EM_SPARC, NULL, "sparc-linux-gnu" },
	{ EM_MIPS, "mips64-linux-gnuabi64", "mips-linux-gnu" },
	{ EM_AARCH64, "aarch64-linux-gnu", NULL },
	{ EM_ARM, NULL, "arm-linux-gnueabihf" },
	{ EM_RISCV, "riscv64-linux-gnu", "riscv32-linux-gnu" },
};

static void set_triple(struct mtc_target *t, unsigned machine)
{
	for (size_t i = 0; i < sizeof(machines) / sizeof(machines[0]); i++) {
		if (machines[i].machine != machine)
			continue;
		const char *tr = t->pointer_bits == 64 ? machines[i].triple64 : machines[i].triple32;

		if (!tr)
			return;
		/* little-endian variants of bi-endian machines */
		if (machine == EM_PPC64 && t->endian == MTC_ENDIAN_LITTLE)
			tr = "powerpc64le-linux-gnu";
		if (machine == EM_MIPS && t->endian == MTC_ENDIAN_LITTLE)
			tr = t->pointer_bits == 64 ? "mips64el-linux-gnuabi64" : "mipsel-linux-gnu";
		if (machine == EM_AARCH64 && t->endian == MTC_ENDIAN_BIG)
			tr = "aarch64_be-linux-gnu";
		snprintf(t->triple, sizeof(t->triple), "%s", tr);
		return;
	}
}

/* Machines whose plain char is unsigned in their Linux ABI. */
static bool char_unsigned(unsigned machine)
{
	return machine == EM_S390 || machine == EM_PPC64 || machine == EM_PPC ||
	       machine == EM_AARCH64 || machine == EM_ARM || machine == EM_RISCV;
}

static int inspect_elf(const char *path, int fd, struct elf_info *info, struct mtc_error *err)
{
	Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
	GElf_Ehdr eh;
	size_t shstrndx;
	bool has_btf = false;
	int ret = 0;
	struct stat st;

	if (fstat(fd, &st)) {
		ret = mtc_error_set(err, -errno, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!elf || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh)) {
		int e = elf_errno();

		if (e)
			ret = mtc_error_set(err, -EINVAL, "%s: corrupt ELF file (%lld bytes): %s",
					    path, (long long)st.st_size, elf_errmsg(e));
		else
			ret = mtc_error_set(err, -EINVAL,
					    "%s: truncated ELF file: %lld bytes do not hold an ELF header",
					    path, (long long)st.st_size);
		goto out;
	}
	/* a copy cut short loses the section headers, which sit at the end */
	uint64_t sh_end = eh.e_shoff + (uint64_t)eh.e_shnum * eh.e_shentsize;
	uint64_t ph_end = eh.e_phoff + (uint64_t)eh.e_phnum * eh.e_phentsize;
	uint64_t need = sh_end > ph_end ? sh_end : ph_end;

	if (need > (uint64_t)st.st_size) {
		ret = mtc_error_set(err, -EINVAL,
				    "%s: truncated ELF file: its headers need %llu bytes, the file has %lld",
				    path, (unsigned long long)need, (long long)st.st_size);
		goto out;
	}
	if (elf_getshdrstrndx(elf, &shstrndx)) {
		ret = mtc_error_set(err, -EINVAL, "%s: corrupt ELF file: %s", path, elf_errmsg(-1));
		goto out;
	}
	info->target.endian = eh.e_ident[EI_DATA] == ELFDATA2MSB ? MTC_ENDIAN_BIG
								 : MTC_ENDIAN_LITTLE;
	info->target.pointer_bits = eh.e_ident[EI_CLASS] == ELFCLASS64 ? 64 : 32;
	info->target.char_signed = !char_unsigned(eh.e_machine);
	set_triple(&info->target, eh.e_machine);

	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *name;

		if (!gelf_getshdr(scn, &sh) || !(name = elf_strptr(elf, shstrndx, sh.sh_name))) {
			ret = mtc_error_set(err, -EINVAL, "%s: truncated or corrupt ELF file: %s",
					    path, elf_errmsg(-1));
			goto out;
		}
		if (sh.sh_type == SHT_NOBITS)
			continue;
		if (!strcmp(name, ".BTF"))
			has_btf = true;
		else if (!strcmp(name, ".debug_info"))
			info->has_dwarf = true;
	}
	/* section contents past the end of the file mean a truncated copy */
	scn = NULL;
	{
		while ((scn = elf_nextscn(elf, scn))) {
			GElf_Shdr sh;

			if (gelf_getshdr(scn, &sh) && sh.sh_type != SHT_NOBITS &&
			    sh.sh_offset + sh.sh_size > (uint64_t)st.st_size) {
				ret = mtc_error_set(err, -EINVAL,
						    "%s: truncated ELF file: a section ends at byte %llu of %lld",
						    path,
						    (unsigned long long)(sh.sh_offset + sh.sh_size),
						    (long long)st.st_size);
				goto out;
			}
		}
	}
	if (has_btf)
		info->kind = INPUT_ELF_BTF;
	else if (info->has_dwarf)
		info->kind = INPUT_ELF_DWARF;
	else
		ret = mtc_error_set(err, -ENODATA,
				    "%s: no debug information (no .BTF or .debug_info section); compile with -g",
				    path);
out:
	if (elf)
		elf_end(elf);
	return ret;
}

static int quiet_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

/* Once per process: libelf's version handshake. */
static void init_libs(void)
{
	elf_version(EV_CURRENT);
}

/*
 * libbpf prints its complaints through one printer for the whole process;
 * here every problem becomes one error message of ours instead.  The
 * printer is silenced only while loads run and the host's own is given
 * back when the last concurrent load is done.  (A host thread using libbpf
 * meanwhile is silenced too: libbpf has no per-call printer.)
 */
static pthread_mutex_t print_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned print_users;
static libbpf_print_fn_t host_print;

static void libbpf_quiet_begin(void)
{
	pthread_mutex_lock(&print_lock);
	if (!print_users++)
		host_print = libbpf_set_print(quiet_libbpf);
	pthread_mutex_unlock(&print_lock);
}

static void libbpf_quiet_end(void)
{
	pthread_mutex_lock(&print_lock);
	if (!--print_users) {
		libbpf_set_print(host_print);
		host_print = NULL;
	}
	pthread_mutex_unlock(&print_lock);
}

static uint32_t get32(const unsigned char *p, bool big)
{
	return big ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
		   : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/*
 * libbpf answers a bad raw BTF file with EINVAL alone; check the header
 * here so that the message says what is wrong with it.
 */
static int check_btf_header(const char *path, int fd, off_t size, struct mtc_error *err)
{
	unsigned char h[24];
	ssize_t n = pread(fd, h, sizeof(h), 0);

	if (n < (ssize_t)sizeof(h))
		return mtc_error_set(err, -EINVAL, "%s: truncated BTF: %zd bytes, the header needs 24",
				     path, n < 0 ? (ssize_t)0 : n);
	bool big = h[0] == 0xeb;
	uint32_t hdr_len = get32(h + 4, big), type_off = get32(h + 8, big);
	uint32_t type_len = get32(h + 12, big), str_off = get32(h + 16, big);
	uint32_t str_len = get32(h + 20, big);
	uint64_t end_types = (uint64_t)hdr_len + type_off + type_len;
	uint64_t end_strs = (uint64_t)hdr_len + str_off + str_len;

	if (h[2] != 1)
		return mtc_error_set(err, -EINVAL, "%s: invalid BTF: version %u, only version 1 exists",
				     path, h[2]);
	if (hdr_len < 24 || hdr_len > 4096)
		return mtc_error_set(err, -EINVAL, "%s: invalid BTF: header length %u", path, hdr_len);
	if (end_types > (uint64_t)size || end_strs > (uint64_t)size)
		return mtc_error_set(err, -EINVAL,
				     "%s: truncated or corrupt BTF: the header describes %llu bytes, the file has %lld",
				     path,
				     (unsigned long long)(end_types > end_strs ? end_types : end_strs),
				     (long long)size);
	return 0;
}

/*
 * Open @path once and tell what it is.  0: an ELF object or a BTF file
 * this front end reads, described in @info; 1: neither (an empty file, or
 * other magic), with @err saying so; a negative errno when it cannot be
 * opened, or has the magic and is damaged.
 */
static int classify(const char *path, struct elf_info *info, struct mtc_error *err)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, init_libs);
	unsigned char magic[4];
	off_t size;
	int fd, ret;

	memset(info, 0, sizeof(*info));
	if ((fd = mtc_input_open(path, &size, err)) < 0)
		return fd;
	ssize_t n = read(fd, magic, sizeof(magic));

	if (size == 0) {
		close(fd);
		mtc_error_set(err, -EINVAL, "%s: empty file", path);
		return 1;
	}

	if (n >= 2 && ((magic[0] == 0x9f && magic[1] == 0xeb) ||
		       (magic[0] == 0xeb && magic[1] == 0x9f))) {
		info->kind = INPUT_RAW_BTF;
		ret = check_btf_header(path, fd, size, err);
	} else if (n >= 1 && !memcmp(magic, ELFMAG, (size_t)n < SELFMAG ? (size_t)n : SELFMAG) &&
		   (n == 4 || size < SELFMAG)) {
		ret = inspect_elf(path, fd, info, err);
	} else {
		mtc_error_set(err, -EINVAL,
			      "%s: not an ELF object or a BTF file (compile C sources with -g, or pass the object)",
			      path);
		ret = 1;
	}
	close(fd);
	return ret;
}

static int probe(const char *path, void **probed, struct mtc_error *err)
{
	struct elf_info *info = malloc(sizeof(*info));
	int ret;

	*probed = NULL;
	if (!info)
		return mtc_error_set(err, -ENOMEM, "%s: out of memory", path);
	ret = classify(path, info, err);
	if (ret) {
		free(info);
		return ret > 0 ? 0 : ret;
	}
	*probed = info;
	return 1;
}

/* Run pahole to turn DWARF into BTF; argument vector, no shell. */
/* The first line pahole printed on its standard error, for a message. */
static void first_line(const char *file, char *buf, size_t len)
{
	FILE *f = fopen(file, "r");

	buf[0] = '\0';
	if (!f)
		return;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

static int run_pahole(const char *path, const struct mtc_frontend_conf *conf,
		      struct mtc_scratch *scratch, struct mtc_error *err)
{
	const char *pahole = conf && conf->pahole ? conf->pahole : getenv("MTCHECK_PAHOLE");

	if (!pahole || !*pahole)
		pahole = "pahole";
	struct strbuf opt;
	pid_t pid;
	int status, ret;

	sb_init(&opt);
	sb_addf(&opt, "--btf_encode_detached=%s", mtc_scratch_btf(scratch));
	if (opt.oom)
		return mtc_error_set(err, -ENOMEM, "out of memory");
	char *argv[] = { (char *)pahole, opt.buf, (char *)path, NULL };

	/*
	 * pahole's own chatter (DW_TAG ... not handled) would mix with our
	 * report: its output goes nowhere, its errors to a file quoted when it
	 * fails.
	 */
	ret = mtc_scratch_spawn(scratch, argv, &pid);
	sb_free(&opt);
	if (ret == ENOENT)
		return mtc_error_set(err, -ENOENT,
				     "%s: needs pahole to read DWARF, and '%s' is not installed "
				     "(Debian: apt-get install dwarves)",
				     path, pahole);
	if (ret)
		return mtc_error_set(err, -ret, "%s: cannot run %s: %s", path, pahole,
				     strerror(ret));
	if ((ret = mtc_scratch_wait(scratch, pid, &status)))
		return mtc_error_set(err, ret, "%s: waiting for %s: %s", path, pahole,
				     strerror(-ret));
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		char line[300];

		first_line(mtc_scratch_stderr(scratch), line, sizeof(line));
		return mtc_error_set(err, -EINVAL,
				     "%s: %s could not convert its DWARF to BTF (exit status %d)%s%s",
				     path, pahole, WIFEXITED(status) ? WEXITSTATUS(status) : -1,
				     line[0] ? ": " : "", line);
	}
	return 0;
}

static int load_quiet(const char *path, const void *probed, const struct mtc_frontend_conf *conf,
		      struct mtc_model **out, struct mtc_error *err)
{
	struct elf_info info = *(const struct elf_info *)probed;
	struct btf *btf = NULL;
	int ret;

	*out = NULL;
	if (info.kind == INPUT_ELF_DWARF) {
		struct mtc_scratch *scratch =
			mtc_scratch_new(path, conf && conf->tmpdir ? conf->tmpdir : getenv("TMPDIR"),
					err);

		if (!scratch)
			return err ? err->code : -ENOMEM;
		ret = run_pahole(path, conf, scratch, err);
		if (!ret) {
			btf = btf__parse_raw(mtc_scratch_btf(scratch));
			if (!btf)
				ret = mtc_error_set(err, -errno ? -errno : -EINVAL,
						    "%s: cannot read the BTF pahole made: %s", path,
						    strerror(errno));
		}
		mtc_scratch_free(scratch);
		if (ret)
			return ret;
	} else if (info.kind == INPUT_ELF_BTF) {
		btf = btf__parse_elf(path, NULL);
		if (!btf)
			return mtc_error_set(err, -EINVAL, "%s: invalid .BTF section: %s", path,
					     strerror(errno));
	} else {
		btf = btf__parse_raw(path);
		if (!btf)
			return mtc_error_set(err, -EINVAL,
					     "%s: invalid BTF: libbpf rejects its type or string data (%s)",
					     path, strerror(errno));
		info.target.endian = btf__endianness(btf) == BTF_BIG_ENDIAN ? MTC_ENDIAN_BIG
									    : MTC_ENDIAN_LITTLE;
		size_t ps = btf__pointer_size(btf);

		info.target.pointer_bits = ps ? (unsigned)ps * 8 : 64;
		info.target.char_signed = true;
	}

	struct mtc_model *m = mtc_model_new(&info.target);

	if (!m) {
		btf__free(btf);
		return mtc_error_set(err, -ENOMEM, "%s: out of memory", path);
	}
	mtc_model_set_input(m, path);
	mtc_model_set_frontend(m, "btf");
	ret = mtc_btf_fill_model(btf, m, path, err);
	btf__free(btf);
	if (!ret)
		ret = mtc_model_check(m, err);
	if (!ret && info.has_dwarf)
		ret = mtc_dwarf_locations(path, m, err);
	if (ret) {
		mtc_model_free(m);
		return ret;
	}
	*out = m;
	return 0;
}

static int load(const char *path, const void *probed, const struct mtc_frontend_conf *conf,
		struct mtc_model **out, struct mtc_error *err)
{
	libbpf_quiet_begin();
	int ret = load_quiet(path, probed, conf, out, err);

	libbpf_quiet_end();
	return ret;
}

const struct mtc_frontend_ops mtc_frontend_btf = {
	.name = "btf",
	.probe = probe,
	.load = load,
	.release = free,
};
