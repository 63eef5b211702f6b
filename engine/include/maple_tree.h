/* SPDX-License-Identifier: MIT */
#ifndef MAPLE_TREE_H
#define MAPLE_TREE_H
/*
 * A user-space maple tree: an ordered map from ranges of unsigned long
 * indices to pointers.
 *
 * The node layout, the pointer encodings and the public API follow the Linux
 * maple tree as of v6.6 (include/linux/maple_tree.h), so that a layout
 * finding about the kernel's nodes can be confirmed on a live tree that has
 * the very same union of slot pointers and metadata.  The implementation is
 * independent: the write path is a simpler B-tree rebuild of the nodes a
 * write touches, and readers are serialised by the tree's mutex instead of
 * RCU.
 *
 * Error convention: functions returning int return 0 or a negative errno
 * (-EINVAL, -EEXIST, -ENOMEM, -EBUSY), as the kernel does.
 */

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define MT_API __attribute__((visibility("default")))
#define MT_NORETURN __attribute__((noreturn))
#else
#define MT_API
#define MT_NORETURN
#endif

/* ------------------------------------------------------------------ */
/* Node geometry: every node is 256 bytes, on 64-bit and on 32-bit.     */

#if ULONG_MAX > 0xffffffffUL
#define MAPLE_NODE_SLOTS	31	/* 256 bytes including ->parent */
#define MAPLE_RANGE64_SLOTS	16	/* 256 bytes */
#define MAPLE_ARANGE64_SLOTS	10	/* 240 bytes */
#define MAPLE_ALLOC_SLOTS	(MAPLE_NODE_SLOTS - 1)
#else
#define MAPLE_NODE_SLOTS	63	/* 256 bytes including ->parent */
#define MAPLE_RANGE64_SLOTS	32	/* 256 bytes */
#define MAPLE_ARANGE64_SLOTS	21	/* 240 bytes */
#define MAPLE_ALLOC_SLOTS	(MAPLE_NODE_SLOTS - 2)
#endif

#define MAPLE_NODE_MASK		255UL
#define MAPLE_NODE_SIZE		256

/* Opaque handles: an encoded node pointer and an encoded parent pointer. */
struct maple_enode;
struct maple_pnode;

/*
 * The last slot of a range node that is not full holds this metadata
 * instead of a pointer: this is the overlay mtcheck is about.
 */
struct maple_metadata {
	unsigned char end;	/* offset of the last used slot */
	unsigned char gap;	/* offset of the largest gap (arange nodes) */
};

struct maple_range_64 {
	struct maple_pnode *parent;
	unsigned long pivot[MAPLE_RANGE64_SLOTS - 1];
	union {
		void *slot[MAPLE_RANGE64_SLOTS];
		struct {
			void *pad[MAPLE_RANGE64_SLOTS - 1];
			struct maple_metadata meta;
		};
	};
};

struct maple_arange_64 {
	struct maple_pnode *parent;
	unsigned long pivot[MAPLE_ARANGE64_SLOTS - 1];
	void *slot[MAPLE_ARANGE64_SLOTS];
	unsigned long gap[MAPLE_ARANGE64_SLOTS];
	struct maple_metadata meta;
};

/* A node on an allocation list (struct ma_state ->alloc). */
struct maple_alloc {
	unsigned long total;
	unsigned char node_count;
	unsigned int request_count;
	struct maple_alloc *slot[MAPLE_ALLOC_SLOTS];
};

enum maple_type {
	maple_dense,
	maple_leaf_64,
	maple_range_64,
	maple_arange_64,
};

struct maple_rcu_head {
	struct maple_rcu_head *next;
	void (*func)(struct maple_rcu_head *head);
};

struct maple_node {
	union {
		struct {
			struct maple_pnode *parent;
			void *slot[MAPLE_NODE_SLOTS];
		};
		struct {
			void *pad;
			struct maple_rcu_head rcu;
			struct maple_enode *piv_parent;
			unsigned char parent_slot;
			enum maple_type type;
			unsigned char slot_len;
			unsigned int ma_flags;
		};
		struct maple_range_64 mr64;
		struct maple_arange_64 ma64;
		struct maple_alloc alloc;
	};
};

/* ------------------------------------------------------------------ */
/* Tree flags, node pointer encoding.                                   */

#define MT_FLAGS_ALLOC_RANGE	0x01	/* track gaps: mtree_alloc_range() */
#define MT_FLAGS_USE_RCU	0x02	/* accepted; readers take the lock */
#define MT_FLAGS_HEIGHT_OFFSET	0x02
#define MT_FLAGS_HEIGHT_MASK	0x7C
#define MT_FLAGS_LOCK_MASK	0x300
#define MT_FLAGS_LOCK_IRQ	0x100
#define MT_FLAGS_LOCK_BH	0x200
#define MT_FLAGS_LOCK_EXTERN	0x300

#define MAPLE_HEIGHT_MAX	31

#define MAPLE_NODE_TYPE_MASK	0x0F
#define MAPLE_NODE_TYPE_SHIFT	0x03

#define MAPLE_RESERVED_RANGE	4096

struct maple_tree {
	pthread_mutex_t ma_lock;
	unsigned int ma_flags;
	void *ma_root;
};

#define MTREE_INIT(name, __flags) {					\
	.ma_lock = PTHREAD_MUTEX_INITIALIZER,				\
	.ma_flags = (__flags),						\
	.ma_root = NULL,						\
}

#define DEFINE_MTREE(name)						\
	struct maple_tree name = MTREE_INIT(name, 0)

#define mtree_lock(mt)		((void)pthread_mutex_lock(&(mt)->ma_lock))
#define mtree_unlock(mt)	((void)pthread_mutex_unlock(&(mt)->ma_lock))

/* ------------------------------------------------------------------ */
/* XArray entry conventions.                                            */

#ifndef MAPLE_NO_XA_HELPERS
static inline void *xa_mk_value(unsigned long v)
{
	return (void *)((v << 1) | 1);
}

static inline unsigned long xa_to_value(const void *entry)
{
	return (unsigned long)entry >> 1;
}

static inline bool xa_is_value(const void *entry)
{
	return (unsigned long)entry & 1;
}

static inline void *xa_mk_internal(unsigned long v)
{
	return (void *)((v << 2) | 2);
}

static inline unsigned long xa_to_internal(const void *entry)
{
	return (unsigned long)entry >> 2;
}

static inline bool xa_is_internal(const void *entry)
{
	return ((unsigned long)entry & 3) == 2;
}

#define XA_RETRY_ENTRY		xa_mk_internal(256)
#define XA_ZERO_ENTRY		xa_mk_internal(257)
#define MAX_ERRNO		4095

static inline bool xa_is_zero(const void *entry)
{
	return entry == XA_ZERO_ENTRY;
}

/* Entries the normal API refuses to store (they mean something inside). */
static inline bool xa_is_advanced(const void *entry)
{
	return xa_is_internal(entry) &&
		(unsigned long)entry <= (unsigned long)XA_RETRY_ENTRY;
}

static inline bool xa_is_err(const void *entry)
{
	return xa_is_internal(entry) &&
		(unsigned long)entry >=
		(unsigned long)xa_mk_internal((unsigned long)-MAX_ERRNO);
}

static inline int xa_err(const void *entry)
{
	if (xa_is_err(entry))
		return (int)((long)entry >> 2);
	return 0;
}
#endif

/* ------------------------------------------------------------------ */
/* Allocation flags: accepted for compatibility, and passed to the       */
/* allocation-failure hook so tests can fail one class of allocation.   */

typedef unsigned int gfp_t;

#ifndef GFP_KERNEL
#define __GFP_HIGH		0x20u
#define __GFP_IO		0x40u
#define __GFP_FS		0x80u
#define __GFP_ZERO		0x100u
#define __GFP_DIRECT_RECLAIM	0x400u
#define __GFP_KSWAPD_RECLAIM	0x800u
#define __GFP_NOWARN		0x2000u
#define __GFP_RECLAIM	(__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)
#define GFP_ATOMIC	(__GFP_HIGH | __GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL	(__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_NOWAIT	(__GFP_KSWAPD_RECLAIM)
#endif

static inline bool gfpflags_allow_blocking(gfp_t gfp)
{
	return gfp & __GFP_DIRECT_RECLAIM;
}

/* ------------------------------------------------------------------ */
/* Normal API: takes the tree's lock itself.                            */

/* Entry at @index, or NULL.  XA_ZERO_ENTRY reads back as NULL. */
MT_API void *mtree_load(struct maple_tree *mt, unsigned long index);

/*
 * Insert @entry at [@first, @last] if no index in that range is in use.
 * Returns 0, -EEXIST if any index in the range is occupied, -EINVAL if
 * @first > @last or @entry is a reserved internal entry, -ENOMEM.
 */
MT_API int mtree_insert(struct maple_tree *mt, unsigned long index,
			void *entry, gfp_t gfp);
MT_API int mtree_insert_range(struct maple_tree *mt, unsigned long first,
			      unsigned long last, void *entry, gfp_t gfp);

/*
 * Find the lowest (alloc_range) or highest (alloc_rrange) free range of
 * @size indices within [@min, @max], store @entry there and return its
 * first index in *@startp.  The tree must have MT_FLAGS_ALLOC_RANGE.
 * Returns 0, -EINVAL (no gap tracking, size 0, window smaller than size,
 * reserved entry), -EBUSY if no free range fits, -ENOMEM.
 */
MT_API int mtree_alloc_range(struct maple_tree *mt, unsigned long *startp,
			     void *entry, unsigned long size, unsigned long min,
			     unsigned long max, gfp_t gfp);
MT_API int mtree_alloc_rrange(struct maple_tree *mt, unsigned long *startp,
			      void *entry, unsigned long size, unsigned long min,
			      unsigned long max, gfp_t gfp);

/*
 * Store @entry at [@first, @last], overwriting whatever was there; a NULL
 * @entry erases the range.  Returns 0, -EINVAL (@first > @last or a
 * reserved internal entry), or -ENOMEM with the tree unchanged.
 */
MT_API int mtree_store_range(struct maple_tree *mt, unsigned long first,
			     unsigned long last, void *entry, gfp_t gfp);
MT_API int mtree_store(struct maple_tree *mt, unsigned long index,
		       void *entry, gfp_t gfp);

/*
 * Erase the whole range that contains @index and return its entry (NULL if
 * none).  If the nodes needed to rebalance cannot be allocated the tree is
 * left unchanged and NULL is returned.
 */
MT_API void *mtree_erase(struct maple_tree *mt, unsigned long index);

/* Free every node; the tree is empty and can be used again. */
MT_API void mtree_destroy(struct maple_tree *mt);
/* As mtree_destroy(), for a caller that holds the lock. */
MT_API void __mt_destroy(struct maple_tree *mt);

/* An unlocked peek, as in the kernel: exact only while no writer runs. */
static inline bool mtree_empty(const struct maple_tree *mt)
{
	return mt->ma_root == NULL;
}

/* ------------------------------------------------------------------ */
/* Advanced API: the caller holds the lock (mas_lock()/mtree_lock()).   */

struct ma_state {
	struct maple_tree *tree;	/* the tree being walked */
	unsigned long index;		/* start of the range of interest */
	unsigned long last;		/* end of the range of interest */
	struct maple_enode *node;	/* current node, or a MAS_* state */
	unsigned long min;		/* lowest index of @node */
	unsigned long max;		/* highest index of @node */
	struct maple_alloc *alloc;	/* preallocated nodes */
	unsigned char depth;		/* depth of @node, root is 0 */
	unsigned char offset;		/* slot of @node we are on */
	unsigned char mas_flags;
};

#define mas_lock(mas)		((void)pthread_mutex_lock(&((mas)->tree->ma_lock)))
#define mas_unlock(mas)		((void)pthread_mutex_unlock(&((mas)->tree->ma_lock)))

/* Special values of ma_state->node; below MAPLE_RESERVED_RANGE. */
#define MAS_START	((struct maple_enode *)1UL)
#define MAS_ROOT	((struct maple_enode *)5UL)
#define MAS_NONE	((struct maple_enode *)9UL)
#define MAS_PAUSE	((struct maple_enode *)17UL)
#define MAS_OVERFLOW	((struct maple_enode *)33UL)
#define MAS_UNDERFLOW	((struct maple_enode *)65UL)
#define MA_ERROR(err) \
		((struct maple_enode *)(((unsigned long)(err) << 2) | 2UL))

#define MA_STATE(name, mt, first, end)					\
	struct ma_state name = {					\
		.tree = (mt),						\
		.index = (first),					\
		.last = (end),						\
		.node = MAS_START,					\
		.min = 0,						\
		.max = ULONG_MAX,					\
		.alloc = NULL,						\
		.mas_flags = 0,						\
	}

/* Entry at mas->index; sets index/last to the range it occupies. */
MT_API void *mas_walk(struct ma_state *mas);
/* Store at [index, last]; returns the entry that was at index. */
MT_API void *mas_store(struct ma_state *mas, void *entry);
/* Erase the range containing index; returns its entry. */
MT_API void *mas_erase(struct ma_state *mas);
MT_API int mas_store_gfp(struct ma_state *mas, void *entry, gfp_t gfp);
/* Store with nodes from mas_preallocate(); cannot fail.  Frees leftovers. */
MT_API void mas_store_prealloc(struct ma_state *mas, void *entry);
MT_API int mas_preallocate(struct ma_state *mas, void *entry, gfp_t gfp);
/* First entry at or after index, up to @max; NULL and MAS_OVERFLOW past it. */
MT_API void *mas_find(struct ma_state *mas, unsigned long max);
/* As mas_find(), but also stops on empty (NULL) ranges. */
MT_API void *mas_find_range(struct ma_state *mas, unsigned long max);
/* Last entry at or before index, down to @min; NULL and MAS_UNDERFLOW. */
MT_API void *mas_find_rev(struct ma_state *mas, unsigned long min);
MT_API void *mas_find_range_rev(struct ma_state *mas, unsigned long min);
MT_API bool mas_is_err(struct ma_state *mas);
/*
 * After a write failed with -ENOMEM, allocate what it asked for with @gfp.
 * Returns true if the caller should retry the write.  Otherwise frees any
 * unused preallocated nodes and returns false.
 */
MT_API bool mas_nomem(struct ma_state *mas, gfp_t gfp);
MT_API void mas_pause(struct ma_state *mas);
/* Free nodes left from mas_preallocate() or mas_nomem(). */
MT_API void mas_destroy(struct ma_state *mas);

/* Next/previous entry after/before the current range, within the limit. */
MT_API void *mas_prev(struct ma_state *mas, unsigned long min);
MT_API void *mas_next(struct ma_state *mas, unsigned long max);
/* As mas_prev()/mas_next() but empty ranges are returned too (as NULL). */
MT_API void *mas_prev_range(struct ma_state *mas, unsigned long min);
MT_API void *mas_next_range(struct ma_state *mas, unsigned long max);

/*
 * Lowest (or, _rev, highest) free range of @size indices within
 * [@min, @max]; on success mas->index and mas->last delimit it.
 * Returns 0, -EINVAL or -EBUSY.  With MT_FLAGS_ALLOC_RANGE the search
 * skips subtrees by their recorded gaps; without it, it scans leaves.
 */
MT_API int mas_empty_area(struct ma_state *mas, unsigned long min,
			  unsigned long max, unsigned long size);
MT_API int mas_empty_area_rev(struct ma_state *mas, unsigned long min,
			      unsigned long max, unsigned long size);

static inline void mas_init(struct ma_state *mas, struct maple_tree *tree,
			    unsigned long addr)
{
	memset(mas, 0, sizeof(struct ma_state));
	mas->tree = tree;
	mas->index = mas->last = addr;
	mas->max = ULONG_MAX;
	mas->node = MAS_START;
}

static inline bool mas_is_none(const struct ma_state *mas)
{
	return mas->node == MAS_NONE;
}

static inline bool mas_is_paused(const struct ma_state *mas)
{
	return mas->node == MAS_PAUSE;
}

static inline bool mas_is_active(const struct ma_state *mas)
{
	return (unsigned long)mas->node >= MAPLE_RESERVED_RANGE;
}

/* Forget the position; the next operation walks from the root. */
static inline void mas_reset(struct ma_state *mas)
{
	mas->node = MAS_START;
}

#define mas_for_each(__mas, __entry, __max) \
	while (((__entry) = mas_find((__mas), (__max))) != NULL)

static inline void __mas_set_range(struct ma_state *mas, unsigned long start,
				   unsigned long last)
{
	mas->index = start;
	mas->last = last;
}

static inline void mas_set_range(struct ma_state *mas, unsigned long start,
				 unsigned long last)
{
	__mas_set_range(mas, start, last);
	mas->node = MAS_START;
}

static inline void mas_set(struct ma_state *mas, unsigned long index)
{
	mas_set_range(mas, index, index);
}

static inline bool mt_external_lock(const struct maple_tree *mt)
{
	return (mt->ma_flags & MT_FLAGS_LOCK_MASK) == MT_FLAGS_LOCK_EXTERN;
}

static inline void mt_init_flags(struct maple_tree *mt, unsigned int flags)
{
	mt->ma_flags = flags & ~MT_FLAGS_HEIGHT_MASK;
	pthread_mutex_init(&mt->ma_lock, NULL);
	mt->ma_root = NULL;
}

static inline void mt_init(struct maple_tree *mt)
{
	mt_init_flags(mt, 0);
}

static inline bool mt_in_rcu(const struct maple_tree *mt)
{
	return mt->ma_flags & MT_FLAGS_USE_RCU;
}

static inline void mt_set_in_rcu(struct maple_tree *mt)
{
	mtree_lock(mt);
	mt->ma_flags |= MT_FLAGS_USE_RCU;
	mtree_unlock(mt);
}

static inline void mt_clear_in_rcu(struct maple_tree *mt)
{
	mtree_lock(mt);
	mt->ma_flags &= ~MT_FLAGS_USE_RCU;
	mtree_unlock(mt);
}

/*
 * Levels of nodes: 0 for an empty tree or a lone entry at index 0.
 * Unlocked, like mtree_empty().
 */
static inline unsigned int mt_height(const struct maple_tree *mt)
{
	return (mt->ma_flags & MT_FLAGS_HEIGHT_MASK) >> MT_FLAGS_HEIGHT_OFFSET;
}

/*
 * First entry in [*@index, @max]; on success *@index is moved just past
 * it (to 0 if it ended at ULONG_MAX, which mt_find_after() treats as done).
 */
MT_API void *mt_find(struct maple_tree *mt, unsigned long *index,
		     unsigned long max);
MT_API void *mt_find_after(struct maple_tree *mt, unsigned long *index,
			   unsigned long max);
/* Entry before the range containing @index, not below @min. */
MT_API void *mt_prev(struct maple_tree *mt, unsigned long index,
		     unsigned long min);
/* Entry after the range containing @index, not above @max. */
MT_API void *mt_next(struct maple_tree *mt, unsigned long index,
		     unsigned long max);

#define mt_for_each(__tree, __entry, __index, __max) \
	for (__entry = mt_find(__tree, &(__index), __max); \
		__entry; __entry = mt_find_after(__tree, &(__index), __max))

/* ------------------------------------------------------------------ */
/* Debugging.                                                           */

enum mt_dump_format {
	mt_dump_dec,
	mt_dump_hex,
};

/* Print every node to stderr. Caller keeps writers out. */
MT_API void mt_dump(const struct maple_tree *mt, enum mt_dump_format format);
MT_API void mas_dump(const struct ma_state *mas);
/*
 * Check every invariant of the tree.  Returns 0, or -EINVAL after printing
 * the first violation and the offending node to stderr.  Caller keeps
 * writers out.  (The kernel's returns void; callers may ignore the value.)
 */
MT_API int mt_validate(struct maple_tree *mt);

/* Print the failed condition, the maple state, the tree; then abort(). */
MT_API MT_NORETURN void mt_bug(const struct maple_tree *mt,
			       const struct ma_state *mas,
			       const char *cond, const char *file, int line,
			       const char *func);

/*
 * Runtime asserts.  With MAPLE_DEBUG defined they dump the tree and abort
 * when @x holds; otherwise @x is not even evaluated.
 */
#ifdef MAPLE_DEBUG
#define MT_BUG_ON(__tree, __x) do {					\
	if (__builtin_expect(!!(__x), 0))				\
		mt_bug((__tree), NULL, #__x, __FILE__, __LINE__, __func__); \
} while (0)
#define MAS_BUG_ON(__mas, __x) do {					\
	if (__builtin_expect(!!(__x), 0))				\
		mt_bug((__mas)->tree, (__mas), #__x, __FILE__, __LINE__, \
		       __func__);					\
} while (0)
#else
#define MT_BUG_ON(__tree, __x) do { (void)sizeof(__tree); (void)sizeof(!(__x)); } while (0)
#define MAS_BUG_ON(__mas, __x) do { (void)sizeof(__mas); (void)sizeof(!(__x)); } while (0)
#endif

/* ------------------------------------------------------------------ */
/* Extensions for tests and benchmarks (not in the kernel API).         */

/* Return true to make this node allocation fail. */
typedef bool (*mt_alloc_fail_fn)(gfp_t gfp, void *data);
/* Install (or, with NULL, remove) the process-wide failure hook. */
MT_API void mt_set_alloc_fail_hook(mt_alloc_fail_fn fn, void *data);
/* Nodes currently allocated by all trees and maple states. */
MT_API unsigned long mt_nr_allocated(void);
/* Give cached free nodes back to the C library. */
MT_API void mt_cache_shrink(void);

#ifdef __cplusplus
}
#endif

#endif /* MAPLE_TREE_H */
