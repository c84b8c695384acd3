/*
 * GRE, RFC 2784: the 4-octet header (no checksum, no key, no sequence) in
 * front of an IPv4 packet, protocol type 0x0800. Pure: no I/O.
 */
#ifndef VPG_PROTO_GRE_H
#define VPG_PROTO_GRE_H

#include <stddef.h>
#include <stdint.h>

#define GRE_HDR_LEN    4
#define GRE_PROTO_IPV4 0x0800

/* Writes the header at out; returns GRE_HDR_LEN, or 0 when cap is smaller. */
size_t gre_put_header(uint8_t *out, size_t cap, uint16_t proto);

#endif
