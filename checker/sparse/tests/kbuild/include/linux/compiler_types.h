/* SPDX-License-Identifier: MIT */
/* The kernel's annotations, as far as this miniature needs them. */
#ifndef _LINUX_COMPILER_TYPES_H
#define _LINUX_COMPILER_TYPES_H

#ifdef __CHECKER__
# define __bitwise	__attribute__((bitwise))
# define __force	__attribute__((force))
# define __rcu		__attribute__((noderef, address_space(__rcu)))
/* a checker that passed scripts/checker-valid.sh knows __typeof_unqual__ */
# define USE_TYPEOF_UNQUAL 1
#else
# define __bitwise
# define __force
# define __rcu
#endif

#ifdef USE_TYPEOF_UNQUAL
# define __unqual_scalar_typeof(x) __typeof_unqual__(x)
#else
/* GCC 12 has no __typeof_unqual__; the kernel uses _Generic there */
# define __unqual_scalar_typeof(x) __typeof__(x)
#endif

#define READ_ONCE(x) ({							\
	__unqual_scalar_typeof(x) __x = *(const volatile __typeof__(x) *)&(x); \
	(__typeof__(x))__x;						\
})

#endif
