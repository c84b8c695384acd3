/*
 * Everything that arrives on the GTP-U socket. G-PDUs from devices go through
 * the decision order of DESIGN.md, one step per call; GTP-U path management
 * (Echo, Error Indication) is answered here too.
 */
#ifndef VPG_FWD_UPLINK_H
#define VPG_FWD_UPLINK_H

struct datapath;
struct udp_pkt;

void uplink_receive(struct datapath *dp, struct udp_pkt *p);
/* Before a batch of n: starts loading the sessions its G-PDUs will look up. */
void uplink_prefetch(const struct datapath *dp, const struct udp_pkt *pkts, int n);

#endif
