/*
 * A doubly linked list threaded through a fixed table by slot number. The
 * links live in an array beside the table, one per slot, so taking a slot
 * out of the middle, putting it at the tail and finding the oldest are O(1)
 * and never allocate. flow.c keeps its flows in age order with it,
 * classify.c its nDPI contexts.
 */
#ifndef VPG_INSPECT_SLOT_LIST_H
#define VPG_INSPECT_SLOT_LIST_H

#include <stdint.h>

#define SLOT_NIL UINT32_MAX /* ends a list; never a slot */

struct slot_link {
	uint32_t prev, next;
};

struct slot_list {
	uint32_t head, tail; /* head: the slot pushed longest ago */
};

static inline void
slot_list_init(struct slot_list *l)
{
	l->head = l->tail = SLOT_NIL;
}

/* Puts slot i, in no list, at the tail. */
static inline void
slot_list_push(struct slot_list *l, struct slot_link *link, uint32_t i)
{
	link[i].prev = l->tail;
	link[i].next = SLOT_NIL;
	if (l->tail != SLOT_NIL)
		link[l->tail].next = i;
	else
		l->head = i;
	l->tail = i;
}

/* Takes slot i, which is in the list, out of it. */
static inline void
slot_list_unlink(struct slot_list *l, struct slot_link *link, uint32_t i)
{
	if (link[i].prev != SLOT_NIL)
		link[link[i].prev].next = link[i].next;
	else
		l->head = link[i].next;
	if (link[i].next != SLOT_NIL)
		link[link[i].next].prev = link[i].prev;
	else
		l->tail = link[i].prev;
}

#endif
