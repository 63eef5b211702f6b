// SPDX-License-Identifier: MIT
/*
 * Node allocator.
 *
 * Nodes come from a cache of 256-byte, 256-aligned objects carved out of
 * 64 KiB chunks, the way the kernel's maple node kmem_cache hands them
 * out.  The alignment is what frees the low 8 bits of a node address for
 * the type and slot encodings; carving them from chunks keeps node memory
 * at exactly 256 bytes a node (aligned_alloc(256, 256) per node costs glibc
 * a header and alignment slack each time).
 *
 * Built with MAPLE_NODE_CACHE=0 (sanitizer and valgrind builds) every node
 * is its own aligned_alloc(), so a use after free of a node is reported.
 */
#include "maple_internal.h"

#include <stdatomic.h>
#include <stdlib.h>

#ifndef MAPLE_NODE_CACHE
#define MAPLE_NODE_CACHE 1
#endif

#define MT_CHUNK_SIZE	(64 * 1024)

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static mt_alloc_fail_fn fail_fn;	/* under cache_lock */
static void *fail_data;			/* under cache_lock */
static atomic_ulong nr_allocated;

#if MAPLE_NODE_CACHE
static struct maple_node *free_list;	/* under cache_lock */
static void **chunks;			/* under cache_lock */
static size_t nr_chunks, chunks_cap;

/* Called with cache_lock held. */
static bool cache_grow(void)
{
	char *chunk;
	size_t i;

	if (nr_chunks == chunks_cap) {
		size_t cap = chunks_cap ? chunks_cap * 2 : 16;
		void **grown = realloc(chunks, cap * sizeof(*chunks));

		if (!grown)
			return false;
		chunks = grown;
		chunks_cap = cap;
	}
	chunk = aligned_alloc(MT_CHUNK_SIZE, MT_CHUNK_SIZE);
	if (!chunk)
		return false;
	chunks[nr_chunks++] = chunk;
	for (i = MT_CHUNK_SIZE / MAPLE_NODE_SIZE; i-- > 0;) {
		struct maple_node *node =
			(struct maple_node *)(chunk + i * MAPLE_NODE_SIZE);

		node->rcu.next = (struct maple_rcu_head *)free_list;
		free_list = node;
	}
	return true;
}
#endif

struct maple_node *mt_node_alloc(gfp_t gfp)
{
	struct maple_node *node = NULL;

	pthread_mutex_lock(&cache_lock);
	if (fail_fn && fail_fn(gfp, fail_data))
		goto out;
#if MAPLE_NODE_CACHE
	if (!free_list && !cache_grow())
		goto out;
	node = free_list;
	free_list = (struct maple_node *)node->rcu.next;
#else
	node = aligned_alloc(MAPLE_NODE_SIZE, MAPLE_NODE_SIZE);
	if (!node)
		goto out;
#endif
	atomic_fetch_add_explicit(&nr_allocated, 1, memory_order_relaxed);
out:
	pthread_mutex_unlock(&cache_lock);
	if (node)
		memset(node, 0, sizeof(*node));
	return node;
}

void mt_node_free(struct maple_node *node)
{
	if (!node)
		return;
	atomic_fetch_sub_explicit(&nr_allocated, 1, memory_order_relaxed);
#if MAPLE_NODE_CACHE
	pthread_mutex_lock(&cache_lock);
	node->rcu.next = (struct maple_rcu_head *)free_list;
	free_list = node;
	pthread_mutex_unlock(&cache_lock);
#else
	free(node);
#endif
}

void mt_set_alloc_fail_hook(mt_alloc_fail_fn fn, void *data)
{
	pthread_mutex_lock(&cache_lock);
	fail_fn = fn;
	fail_data = data;
	pthread_mutex_unlock(&cache_lock);
}

unsigned long mt_nr_allocated(void)
{
	return atomic_load_explicit(&nr_allocated, memory_order_relaxed);
}

/*
 * Chunks are shared by every tree, so they can only go back once no node
 * is in use anywhere; until then this keeps them for reuse.
 */
void mt_cache_shrink(void)
{
#if MAPLE_NODE_CACHE
	size_t i;

	pthread_mutex_lock(&cache_lock);
	if (atomic_load(&nr_allocated) == 0) {
		for (i = 0; i < nr_chunks; i++)
			free(chunks[i]);
		free(chunks);
		chunks = NULL;
		nr_chunks = chunks_cap = 0;
		free_list = NULL;
	}
	pthread_mutex_unlock(&cache_lock);
#endif
}
