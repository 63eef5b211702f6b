// SPDX-License-Identifier: MIT
/*
 * The target as sparse sees it.  c2xml does not print the target, so a
 * small probe file is parsed in the same run: its declarations tell byte
 * order, pointer width, char signedness, the architecture and the size of
 * every base type exactly as sparse decided them from --arch,
 * -mbig-endian/-mlittle-endian and -m32/-m64.
 */
#include <stdio.h>

#include "sparse_xml_internal.h"

/*
 * Declarations only: every name starts with __mtcheck_ so nothing in a
 * kernel -include clashes, and sparse's checks have nothing to say.
 */
const char mts_probe_source[] =
	"/* mtcheck-sparse: the target as sparse sees it */\n"
	"extern void *__mtcheck_pointer;\n"
	"extern char __mtcheck_builtin_0;\n"
	"extern signed char __mtcheck_builtin_1;\n"
	"extern unsigned char __mtcheck_builtin_2;\n"
	"extern short __mtcheck_builtin_3;\n"
	"extern unsigned short __mtcheck_builtin_4;\n"
	"extern int __mtcheck_builtin_5;\n"
	"extern unsigned int __mtcheck_builtin_6;\n"
	"extern long __mtcheck_builtin_7;\n"
	"extern unsigned long __mtcheck_builtin_8;\n"
	"extern long long __mtcheck_builtin_9;\n"
	"extern unsigned long long __mtcheck_builtin_10;\n"
	"extern __int128 __mtcheck_builtin_11;\n"
	"extern unsigned __int128 __mtcheck_builtin_12;\n"
	"extern _Bool __mtcheck_builtin_13;\n"
	"extern float __mtcheck_builtin_14;\n"
	"extern double __mtcheck_builtin_15;\n"
	"extern long double __mtcheck_builtin_16;\n"
	"#if defined(__BYTE_ORDER__) && defined(__ORDER_BIG_ENDIAN__) && \\\n"
	"    __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__\n"
	"extern char __mtcheck_big_endian;\n"
	"#endif\n"
	"#ifdef __CHAR_UNSIGNED__\n"
	"extern char __mtcheck_char_unsigned;\n"
	"#endif\n"
	"#if defined(__x86_64__)\n"
	"extern char __mtcheck_arch_x86_64;\n"
	"#elif defined(__i386__)\n"
	"extern char __mtcheck_arch_i386;\n"
	"#elif defined(__aarch64__)\n"
	"extern char __mtcheck_arch_aarch64;\n"
	"#elif defined(__arm__)\n"
	"extern char __mtcheck_arch_arm;\n"
	"#elif defined(__powerpc__)\n"
	"extern char __mtcheck_arch_powerpc;\n"
	"#elif defined(__s390__)\n"
	"extern char __mtcheck_arch_s390;\n"
	"#elif defined(__sparc__)\n"
	"extern char __mtcheck_arch_sparc;\n"
	"#elif defined(__mips__)\n"
	"extern char __mtcheck_arch_mips;\n"
	"#elif defined(__riscv)\n"
	"extern char __mtcheck_arch_riscv;\n"
	"#elif defined(__m68k__)\n"
	"extern char __mtcheck_arch_m68k;\n"
	"#elif defined(__alpha__)\n"
	"extern char __mtcheck_arch_alpha;\n"
	"#endif\n";

static const char *triple_for(const char *arch, unsigned bits, enum mtc_endian e,
			      bool ilp32)
{
	bool le = e == MTC_ENDIAN_LITTLE, b64 = bits == 64;

	if (!strcmp(arch, "x86_64"))
		return !le ? NULL : b64 ? "x86_64-linux-gnu" : ilp32 ? "x86_64-linux-gnux32" : NULL;
	if (!strcmp(arch, "i386"))
		return le && !b64 ? "i686-linux-gnu" : NULL;
	if (!strcmp(arch, "aarch64"))
		return !b64 ? NULL : le ? "aarch64-linux-gnu" : "aarch64_be-linux-gnu";
	if (!strcmp(arch, "arm"))
		return b64 ? NULL : le ? "arm-linux-gnueabihf" : "armeb-linux-gnueabi";
	if (!strcmp(arch, "powerpc"))
		return b64 ? (le ? "powerpc64le-linux-gnu" : "powerpc64-linux-gnu")
			   : (le ? NULL : "powerpc-linux-gnu");
	if (!strcmp(arch, "s390"))
		return le ? NULL : b64 ? "s390x-linux-gnu" : "s390-linux-gnu";
	if (!strcmp(arch, "sparc"))
		return le ? NULL : b64 ? "sparc64-linux-gnu" : "sparc-linux-gnu";
	if (!strcmp(arch, "mips"))
		return b64 ? (le ? "mips64el-linux-gnuabi64" : "mips64-linux-gnuabi64")
			   : (le ? "mipsel-linux-gnu" : "mips-linux-gnu");
	if (!strcmp(arch, "riscv"))
		return !le ? NULL : b64 ? "riscv64-linux-gnu" : "riscv32-linux-gnu";
	if (!strcmp(arch, "m68k"))
		return !le && !b64 ? "m68k-linux-gnu" : NULL;
	if (!strcmp(arch, "alpha"))
		return le && b64 ? "alpha-linux-gnu" : NULL;
	return NULL;
}

int mts_read_probe(struct conv *c, struct mtc_target *t)
{
	const char *arch = NULL;
	long long ptr_bits = 0;

	memset(t, 0, sizeof(*t));
	t->endian = MTC_ENDIAN_LITTLE;
	t->char_signed = true;
	for (size_t i = 0; i < c->nr_syms; i++) {
		struct sym *s = &c->syms[i];
		const char *file;

		if (!s->node || !s->top || !kind_is(s, "node") || !s->ident ||
		    !(file = attr(s->node, "file")) || strcmp(file, MTS_PROBE_FILE) ||
		    strncmp(s->ident, "__mtcheck_", 10))
			continue;
		const char *what = s->ident + 10;
		long long bits = 0, align = 0;

		if (!strcmp(what, "pointer")) {
			num_attr(s->node, "bit-size", &ptr_bits);
		} else if (!strcmp(what, "big_endian")) {
			t->endian = MTC_ENDIAN_BIG;
		} else if (!strcmp(what, "char_unsigned")) {
			t->char_signed = false;
		} else if (!strncmp(what, "arch_", 5)) {
			arch = what + 5;
		} else if (!strncmp(what, "builtin_", 8)) {
			const char *name = attr(s->node, "base-type-builtin");

			if (!name || !num_attr(s->node, "bit-size", &bits) ||
			    !num_attr(s->node, "alignment", &align) || bits <= 0 || align < 0 ||
			    c->nr_builtins == sizeof(c->builtins) / sizeof(c->builtins[0]))
				continue;
			c->builtins[c->nr_builtins].name = name;
			c->builtins[c->nr_builtins].bits = (unsigned)bits;
			c->builtins[c->nr_builtins++].align = (unsigned)align;
		}
	}
	if (ptr_bits != 32 && ptr_bits != 64)
		return mts_fail(c, -EINVAL, NULL,
			    ptr_bits ? "sparse's pointers are neither 32 nor 64 bits wide"
				     : "c2xml's output lacks the target probe (did sparse parse standard input?)");
	t->pointer_bits = (unsigned)ptr_bits;
	bool ilp32 = false;

	for (size_t i = 0; i < c->nr_builtins; i++)
		if (!strcmp(c->builtins[i].name, "long"))
			ilp32 = c->builtins[i].bits == 32;
	const char *triple = arch ? triple_for(arch, t->pointer_bits, t->endian, ilp32) : NULL;

	if (triple)
		snprintf(t->triple, sizeof(t->triple), "%s", triple);
	c->endian = t->endian;
	c->char_signed = t->char_signed;
	return 0;
}
