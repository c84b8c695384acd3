/*
 * Decoding of PUT /v1/vpg/dns (docs/API.md "DNS servers"): the list of DNS
 * servers every device is told in PCO. Each entry goes through
 * parse_dns_server, the validator of the bootstrap file's "dns", so both
 * refuse an address alike. Pure, as api_decode.c: no I/O, no logging, no
 * allocation but jansson's.
 */
#include "api/api_decode.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "conf/parse.h"

/* Entry i, named "[i]" as the routing filter names its entries. */
static int
decode_dns_entry(size_t i, const json_t *v, uint32_t *addr_be, struct api_error *err)
{
	char field[24], q[API_QUOTE_BUF];
	int rc;

	snprintf(field, sizeof(field), "[%zu]", i);
	if (!json_is_string(v)) {
		api_error_set(err, 400, "invalid_field", field, "\"%s\": must be a string, not %s",
		    field, api_json_type_name(v));
		return -EINVAL;
	}
	/* A string with a NUL inside is refused by the JSON parsing already. */
	rc = parse_dns_server(json_string_value(v), addr_be);
	if (rc == -EINVAL)
		api_error_set(err, 400, "invalid_field", field, "\"%s\": not an IPv4 address (%s)",
		    field, api_quote(q, json_string_value(v)));
	else if (rc < 0)
		api_error_set(err, 400, "invalid_field", field,
		    "\"%s\": not a unicast host address (%s)", field,
		    api_quote(q, json_string_value(v)));
	return rc < 0 ? -EINVAL : 0;
}

static int
decode_dns_list(json_t *arr, uint32_t *out_be, struct api_error *err)
{
	json_t *v;
	size_t i;

	if (json_array_size(arr) > API_DNS_MAX) {
		api_error_set(err, 400, "invalid_field", NULL, "at most %d DNS servers (%zu given)",
		    API_DNS_MAX, json_array_size(arr));
		return -EINVAL;
	}
	json_array_foreach(arr, i, v)
	{
		if (decode_dns_entry(i, v, &out_be[i], err) < 0)
			return -EINVAL;
	}
	return 0;
}

int
api_decode_dns(
    const char *body, size_t len, uint32_t out_be[API_DNS_MAX], unsigned *n, struct api_error *err)
{
	json_t *arr;
	int rc = -EINVAL;

	*n = 0;
	memset(out_be, 0, API_DNS_MAX * sizeof(out_be[0]));
	arr = api_load_root(body, len, JSON_ARRAY, err);
	if (arr != NULL)
		rc = decode_dns_list(arr, out_be, err);
	if (rc == 0)
		*n = (unsigned)json_array_size(arr);
	else
		memset(out_be, 0, API_DNS_MAX * sizeof(out_be[0]));
	json_decref(arr);
	return rc;
}
