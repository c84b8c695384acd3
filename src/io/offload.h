/*
 * What the interface a socket sends from does with a UDP GSO packet (one
 * send of a run of equal datagrams, UDP_SEGMENT). With tx-udp-segmentation
 * on (a NIC that segments, a veth or bridge that passes it on whole) the run
 * crosses the stack once. With it off the kernel cuts the run into datagrams
 * in software at the device, which measured no cheaper on veth than sending
 * them one by one and 5% dearer at 1,400 octets (bench/, Figure 2).
 */
#ifndef VPG_IO_OFFLOAD_H
#define VPG_IO_OFFLOAD_H

#include <stdint.h>

/*
 * The interface that holds addr_be (network order) into name (IF_NAMESIZE
 * octets). 0, or -1 when no interface has it (0.0.0.0 included).
 */
int offload_interface_of(uint32_t addr_be, char *name);
/* Its tx-udp-segmentation feature: 1 on, 0 off, -1 unknown (no such interface or feature). */
int offload_udp_segmentation(const char *ifname);

#endif
