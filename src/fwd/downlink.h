/*
 * Packets towards devices: whatever path brought an IPv4 packet for a device
 * (another device, the gateway itself, later the gate and the egress tun),
 * it leaves here, into that device's GTP-U tunnel.
 */
#ifndef VPG_FWD_DOWNLINK_H
#define VPG_FWD_DOWNLINK_H

#include <stddef.h>
#include <stdint.h>

struct datapath;
struct pdr_tunnel;
struct session;

/*
 * Encapsulates the IPv4 packet at pkt (GTPU_HDR_LEN writable octets must
 * precede it, and it must stay valid until the batch is flushed) as a G-PDU
 * for session s and queues it.
 */
void downlink_to_session(struct datapath *dp, struct session *s, uint8_t *pkt, size_t len);

/*
 * The same into a tunnel the session's rules chose (fwd/pdr.h): a PDU
 * Session Container with its QFI when it has one, which needs
 * GTPU_HDR_QFI_LEN writable octets before pkt.
 */
void downlink_through(
    struct datapath *dp, struct session *s, uint8_t *pkt, size_t len, const struct pdr_tunnel *t);

#endif
