/*
 * Memory for the tables a packet's lookup walks (the session table and its
 * indices): zeroed lazily, as calloc's, and on the kernel's transparent huge
 * pages where it gives them. A lookup among 100,000 sessions lands on a page
 * of its own each time; with 4 KiB pages that is a TLB miss a packet, and in
 * a virtual machine a nested page walk. Huge pages cover the table with a few
 * TLB entries. What a session never touched still costs nothing.
 */
#ifndef VPG_CORE_BIGMEM_H
#define VPG_CORE_BIGMEM_H

#include <stddef.h>

/* size octets of zeroes, 64-octet aligned; NULL without memory. */
void *bigmem_zalloc(size_t size);
/* What bigmem_zalloc(size) gave; NULL is ignored. */
void bigmem_free(void *p, size_t size);

#endif
