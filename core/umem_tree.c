// SPDX-License-Identifier: GPL-2.0
/*
 * ODP core: the context's interval tree of umems.
 *
 * The generic interval tree works on closed intervals, so a umem covering
 * [start, end) is stored as [start, end - 1]; a lookup for [s, e) asks for
 * [s, e - 1]. Getting either off by one makes an invalidation that ends
 * exactly at a umem's start (or starts at its end) hit it.
 */
#include <linux/interval_tree_generic.h>

#include "odp_internal.h"

#define odp_umem_it_start(umem)	((umem)->it_start)
#define odp_umem_it_last(umem)	((umem)->it_last)
/* the tree's functions are global: notifier.c and umem.c walk it */
#define ODP_UMEM_TREE_GLOBAL

INTERVAL_TREE_DEFINE(struct odp_umem, rb, u64, subtree_last,
		     odp_umem_it_start, odp_umem_it_last, ODP_UMEM_TREE_GLOBAL, odp_umem_tree)
