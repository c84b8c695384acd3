/*
 * Names as DNS labels (TS 23.003 §9.1, RFC 1035 §3.1): the APN of GTPv1-C
 * (TS 29.060 §7.7.30) and GTPv2-C (TS 29.274 §8.6), PFCP's APN/DNN, Network
 * Instance and Node ID FQDN (TS 29.244 §8.2.4, §8.2.38). Each label is a
 * length octet and that many letters, digits or hyphens.
 */
#ifndef VPG_PROTO_LABELS_H
#define VPG_PROTO_LABELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A character a label may hold: a letter, a digit or a hyphen. */
bool labels_char(uint8_t c);

/*
 * Writes the dotted form of len octets of labels into out (at most cap
 * octets with its NUL). -1 (out empty when cap > 0) for nothing at all, an
 * empty label or one over 63 octets, a label past the end, another
 * character, more than 255 octets, or a name that does not fit.
 */
int labels_decode(const uint8_t *val, size_t len, char *out, size_t cap);

/*
 * Writes name as labels into out (at most cap octets, 255 at most): its
 * length, or 0 when it cannot be (empty, an empty or over-long label,
 * another character, too long).
 */
size_t labels_encode(const char *name, uint8_t *out, size_t cap);

#endif
