/* SPDX-License-Identifier: MIT */
/*
 * mtcheck.h: mark a union overlay as intended, in the source.
 *
 *     struct maple_range_64 {
 *             ...
 *             union {
 *                     void *slot[16];
 *                     struct {
 *                             void *pad[15];
 *                             struct maple_metadata meta
 *                                     MTCHECK_ALLOW("slot 15 holds metadata only while the node is not full");
 *                     };
 *             };
 *     };
 *
 * MTCHECK_ALLOW(reason) goes after a member's declarator (that member's
 * overlays are intended) or after the struct/union keyword (every overlay
 * of that record is).  The reason is a non-empty string; it is required so
 * that the next reader knows why.  .mtcheck.yaml's allow list does the
 * same without touching the source.
 *
 * What the macro becomes:
 *  - GCC with mtcheck's plugin loaded: __attribute__((mtcheck_allow(reason))),
 *    which the plugin registers (and so __has_attribute sees);
 *  - clang, which mtcheck's libclang front end is: an annotate attribute,
 *    "mtcheck:allow:" followed by the reason;
 *  - anything else, GCC without the plugin included: nothing at all, so the
 *    header costs no warning under -Wall -Wextra -pedantic.
 */
#ifndef MTCHECK_H
#define MTCHECK_H

#if defined(__has_attribute)
#if __has_attribute(mtcheck_allow)
#define MTCHECK_ALLOW(reason) __attribute__((mtcheck_allow(reason)))
#endif
#endif

#ifndef MTCHECK_ALLOW
#if defined(__clang__)
#define MTCHECK_ALLOW(reason) __attribute__((annotate("mtcheck:allow:" reason)))
#else
#define MTCHECK_ALLOW(reason)
#endif
#endif

#endif
