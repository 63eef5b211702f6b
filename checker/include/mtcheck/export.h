/* SPDX-License-Identifier: MIT */
/*
 * MTC_API marks what libmtcheck exports.  The library is compiled with
 * -fvisibility=hidden, so a function or object that the public headers do
 * not declare with MTC_API stays inside it; libmtcheck.map lists the same
 * names and a test checks that the two agree.
 */
#ifndef MTCHECK_EXPORT_H
#define MTCHECK_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define MTC_API __attribute__((visibility("default")))
#else
#define MTC_API
#endif

#endif
