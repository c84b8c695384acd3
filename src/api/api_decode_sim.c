/*
 * Decoding of SIM-based routing's requests (docs/API.md "SIM-based
 * routing"): the whole table of PUT /v1/sim_based_routing/routes and one
 * device's list of PUT /v1/sim_based_routing/routes/{imsi}. Each entry goes
 * through the generic decoder of api_decode.c; the table as a whole
 * through core/sim_routes.h's own validator, whose fault is put in the
 * words of the request. Pure, as api_decode.c: no I/O, no logging, no
 * allocation but jansson's.
 */
#include "api/api_decode.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "conf/parse.h"
#include "core/sim_routes.h"

#define API_SIM_IMSI	     (1u << 0)
#define API_SIM_DESTINATIONS (1u << 1)

/* One entry of the table, as the generic decoder fills it. */
struct api_sim_entry {
	uint32_t has;
	char imsi[SIM_ROUTES_IMSI_LEN]; /* decode_imsi writes at most this, NUL included */
	struct api_sim_dests dests;
};

static int
decode_imsi(const struct api_field *f, const json_t *v, void *dst, struct api_error *err)
{
	return api_decode_checked_string(
	    f, v, dst, err, sim_routes_imsi_valid, "an IMSI of 1 to 15 digits");
}

/* "a.b.c.d/n" with host bits set is refused with the range it was probably meant to be. */
static int
decode_range(const struct api_field *f, size_t i, const json_t *v, struct api_cidr *out,
    struct api_error *err)
{
	const char *s = json_string_value(v);
	char q[API_QUOTE_BUF], net[16];
	uint32_t addr, mask;
	uint8_t len;

	if (s == NULL)
		return api_field_error(
		    f, err, "[%zu] must be a string, not %s", i, api_json_type_name(v));
	if (strlen(s) != json_string_length(v) || parse_prefix(s, &addr, &len) < 0)
		return api_field_error(
		    f, err, "[%zu] is not a CIDR range a.b.c.d/n (%s)", i, api_quote(q, s));
	mask = len == 0 ? 0 : htonl(~0u << (32 - len));
	if ((addr & ~mask) != 0)
		return api_field_error(f, err, "[%zu] has host bits set (%s; the range is %s/%u)",
		    i, api_quote(q, s), ipv4_str(addr & mask, net), len);
	*out = (struct api_cidr){ addr, len };
	return 0;
}

static int
decode_destinations(const struct api_field *f, const json_t *v, void *dst, struct api_error *err)
{
	struct api_sim_dests *d = dst;
	size_t i, n = json_array_size(v);
	json_t *e;

	if (!json_is_array(v))
		return api_field_error(
		    f, err, "must be an array of CIDR ranges, not %s", api_json_type_name(v));
	if (n == 0 || n > SIM_ROUTES_MAX_PER_IMSI)
		return api_field_error(
		    f, err, "must hold 1 to %d ranges, not %zu", SIM_ROUTES_MAX_PER_IMSI, n);
	json_array_foreach(v, i, e)
	{
		if (decode_range(f, i, e, &d->range[i], err) < 0)
			return -EINVAL;
	}
	d->n = (unsigned)n;
	return 0;
}

static const struct api_field sim_entry_fields[] = {
	API_FIELD_CUSTOM(
	    struct api_sim_entry, imsi, char *, "imsi", API_SIM_IMSI, true, decode_imsi),
	API_FIELD_CUSTOM(struct api_sim_entry, dests, struct api_sim_dests, "destinations",
	    API_SIM_DESTINATIONS, true, decode_destinations),
};
static const struct api_body sim_entry_body = API_BODY(struct api_sim_entry, sim_entry_fields);

/* PUT .../routes/{imsi}: the entry; its IMSI, which the path gives, optional. */
struct api_sim_list {
	uint32_t has;
	char imsi[SIM_ROUTES_IMSI_LEN];
	struct api_sim_dests dests;
};

static const struct api_field sim_list_fields[] = {
	API_FIELD_CUSTOM(
	    struct api_sim_list, imsi, char *, "imsi", API_SIM_IMSI, false, decode_imsi),
	API_FIELD_CUSTOM(struct api_sim_list, dests, struct api_sim_dests, "destinations",
	    API_SIM_DESTINATIONS, true, decode_destinations),
};
static const struct api_body sim_list_body = API_BODY(struct api_sim_list, sim_list_fields);

int
api_sim_table_add(struct sim_table *t, const char *imsi, const struct api_sim_dests *d)
{
	if (sim_table_add_device(t, imsi) < 0)
		return -ENOSPC;
	for (unsigned k = 0; k < d->n; k++)
		if (sim_table_add_prefix(t, d->range[k].net_be, d->range[k].prefix) < 0)
			return -ENOSPC;
	return 0;
}

static int
too_many(struct api_error *err, size_t n)
{
	api_error_set(err, 400, "invalid_field", NULL,
	    "the table takes at most %d destinations in all (%zu or more)", SIM_ROUTES_MAX, n);
	return -EINVAL;
}

/* Entries are taken in order, so the client hears about the first bad one. */
static int
decode_table(json_t *arr, struct sim_table *out, struct api_error *err)
{
	struct api_sim_entry e;
	json_t *v;
	size_t i;

	if (json_array_size(arr) > SIM_ROUTES_MAX)
		return too_many(err, json_array_size(arr));
	json_array_foreach(arr, i, v)
	{
		if (api_decode_entry(&sim_entry_body, i, v, &e, err) < 0)
			return -EINVAL;
		if (api_sim_table_add(out, e.imsi, &e.dests) < 0)
			return too_many(err, out->n_prefixes + e.dests.n);
	}
	return 0;
}

int
api_decode_sim_routes(const char *body, size_t len, uint32_t subnet_be, uint8_t subnet_len,
    struct sim_table *out, struct api_error *err)
{
	struct sim_fault_at at;
	json_t *arr;
	int rc = -EINVAL;

	memset(out, 0, sizeof(*out));
	arr = api_load_json(body, len, JSON_ARRAY, err);
	if (arr != NULL && decode_table(arr, out, err) == 0) {
		rc = 0;
		if (sim_table_check(out, subnet_be, subnet_len, &at) != SIM_FAULT_NONE) {
			api_sim_fault_error(out, &at, subnet_be, subnet_len, -1, err);
			rc = -EINVAL;
		}
	}
	json_decref(arr);
	if (rc < 0)
		memset(out, 0, sizeof(*out));
	return rc;
}

int
api_decode_sim_destinations(const char *body, size_t len, const char *path_imsi,
    struct api_sim_dests *out, struct api_error *err)
{
	struct api_sim_list l;
	int rc = api_decode_body(body, len, &sim_list_body, &l, err);

	if (rc == 0 && (l.has & API_SIM_IMSI) != 0 && strcmp(l.imsi, path_imsi) != 0) {
		rc = api_key_mismatch(err, "imsi", l.imsi, path_imsi);
		memset(&l, 0, sizeof(l));
	}
	*out = l.dests;
	return rc;
}

/* "[i].name", or name alone for the device a PUT of one device gave. */
static void
field_of(char *buf, size_t cap, unsigned device, int one_device, const char *name)
{
	if ((int)device == one_device)
		snprintf(buf, cap, "%s", name);
	else
		snprintf(buf, cap, "[%u].%s", device, name);
}

/* "192.168.50.0/24 of imsi 999010000000001", what a message names a range by. */
static void
range_of(char *buf, size_t cap, const struct sim_table *t, unsigned device, unsigned index)
{
	const struct sim_device *d = &t->device[device];
	const struct sim_prefix *p = &t->prefix[d->first + index];
	char net[16];

	snprintf(buf, cap, "%s/%u of imsi %s", ipv4_str(p->net_be, net), p->len, d->imsi);
}

static void
overlap_error(
    const struct sim_table *t, const struct sim_fault_at *at, int one_device, struct api_error *err)
{
	unsigned dev = at->device, idx = at->index, odev = at->other_device, oidx = at->other_index;
	char field[48], mine[64], theirs[64];

	/* A device's own PUT is named from its side, wherever it sits in the table. */
	if (one_device >= 0 && (int)odev == one_device) {
		dev = at->other_device;
		idx = at->other_index;
		odev = at->device;
		oidx = at->index;
	}
	field_of(field, sizeof(field), dev, one_device, "destinations");
	range_of(mine, sizeof(mine), t, dev, idx);
	range_of(theirs, sizeof(theirs), t, odev, oidx);
	api_error_set(err, 400, "invalid_field", field, "\"%s\": [%u] %s overlaps %s", field, idx,
	    mine, theirs);
}

void
api_sim_fault_error(const struct sim_table *t, const struct sim_fault_at *at, uint32_t subnet_be,
    uint8_t subnet_len, int one_device, struct api_error *err)
{
	char field[48], range[64], net[16];

	switch (at->fault) {
	case SIM_FAULT_OVERLAP:
		overlap_error(t, at, one_device, err);
		return;
	case SIM_FAULT_DEVICE_SUBNET:
		field_of(field, sizeof(field), at->device, one_device, "destinations");
		range_of(range, sizeof(range), t, at->device, at->index);
		api_error_set(err, 400, "invalid_field", field,
		    "\"%s\": [%u] %s overlaps the device subnet %s/%u (deviceSubnetCidrRange)",
		    field, at->index, range, ipv4_str(subnet_be, net), subnet_len);
		return;
	case SIM_FAULT_IMSI_TWICE:
		field_of(field, sizeof(field), at->device, one_device, "imsi");
		api_error_set(err, 400, "invalid_field", field,
		    "\"%s\": %s is given twice (also [%u].imsi)", field, t->device[at->device].imsi,
		    at->other_device);
		return;
	default:
		/* The entry decoders refuse the rest before the table is checked. */
		field_of(field, sizeof(field), at->device, one_device, "destinations");
		api_error_set(err, 400, "invalid_field", field, "\"%s\": not a valid list", field);
		return;
	}
}
