/*
 * pcapng blocks (draft-ietf-opsawg-pcapng, "PCAP Now Generic"): the Section
 * Header, one Interface Description and Enhanced Packet Blocks, built in the
 * writer's byte order (the Section Header's byte-order magic tells readers
 * which). Build only: no I/O, no allocation. Each builder returns the
 * block's length, or 0 when it does not fit cap (nothing usable written).
 */
#ifndef VPG_PROTO_PCAPNG_H
#define VPG_PROTO_PCAPNG_H

#include <stddef.h>
#include <stdint.h>

/* LINKTYPE_RAW: each packet begins with its IPv4 (or IPv6) header. */
#define PCAPNG_LINKTYPE_RAW 101

/* epb_flags bits 0-1 (§4.3.1): the packet's direction on the interface. */
#define PCAPNG_FLAG_INBOUND  1u
#define PCAPNG_FLAG_OUTBOUND 2u

/* The longest comment a packet carries, without its NUL. */
#define PCAPNG_COMMENT_MAX 128

struct pcapng_packet {
	uint64_t ts_us; /* µs since the Unix epoch: if_tsresol's default of 6 */
	const uint8_t *data;
	uint32_t caplen;     /* bytes of data kept */
	uint32_t origlen;    /* the packet's length on the wire */
	uint32_t flags;	     /* PCAPNG_FLAG_*; 0: no epb_flags option */
	const char *comment; /* NULL or "": no opt_comment */
};

/* Section Header Block, its section length unspecified; app goes in shb_userappl. */
size_t pcapng_section_header(uint8_t *buf, size_t cap, const char *app);
/* Interface Description Block; name (if_name) may be NULL. */
size_t pcapng_interface(
    uint8_t *buf, size_t cap, uint16_t linktype, uint32_t snaplen, const char *name);
/* Enhanced Packet Block of interface 0. */
size_t pcapng_packet(uint8_t *buf, size_t cap, const struct pcapng_packet *p);
/* What pcapng_packet needs for a packet of caplen bytes and a comment of comment_len. */
size_t pcapng_packet_len(uint32_t caplen, size_t comment_len, uint32_t flags);

#endif
