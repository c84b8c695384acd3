/*
 * TBCD digit strings (TS 29.002 TBCD-STRING): IMSI and MSISDN in GTPv1-C
 * (TS 29.060 §7.7.2, §7.7.33), IMSI, MSISDN and MEI in GTPv2-C (TS 29.274
 * §8.3, §8.10, §8.11) and the identities of PFCP's User ID (TS 29.244
 * §8.2.101). Two digits an octet, the low nibble first; 0xF fills
 * the last nibble of an odd count and may only be followed by more filler.
 */
#ifndef VPG_PROTO_TBCD_H
#define VPG_PROTO_TBCD_H

#include <stddef.h>
#include <stdint.h>

#include "rd.h"

/*
 * Reads every octet left in r as digits into out: at most cap - 1 digits and
 * a NUL. -1 (out empty) for a bad nibble, a digit after filler, too many
 * digits, or none at all.
 */
int tbcd_read(struct vpg_rd *r, char *out, size_t cap);

/*
 * Writes a NUL-terminated string of decimal digits as TBCD into out: its
 * length in octets, or 0 when there are no digits, another character, or
 * more than 2 * cap digits. Octets of out past that length are untouched.
 */
size_t tbcd_write(const char *digits, uint8_t *out, size_t cap);

#endif
