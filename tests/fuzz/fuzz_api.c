/*
 * libFuzzer harness for API request decoding: the input is a request body
 * for PUT /v1/ip_address_map/{key}, and, NUL-terminated, a path segment
 * that must be an IMSI. Beyond "no crash", it checks what the decoders
 * promise: an accepted body holds exactly one ipAddress that parse_ipv4
 * reads as the decoded address; a refusal is a 400 with a documented code
 * and a non-empty one-line printable message that api_error_json can carry.
 */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/api_decode.h"
#include "ctl/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const body_codes[] = { "invalid_json", "unknown_field", "missing_field",
	"invalid_field" };

static void
check_printable(const char *s, size_t cap, int may_be_empty)
{
	size_t n = strnlen(s, cap);

	if (n == cap || (n == 0 && !may_be_empty))
		abort();
	for (size_t i = 0; i < n; i++)
		if (s[i] < ' ' || s[i] > '~')
			abort();
}

static void
check_error(const struct api_error *e, const char *const *codes, size_t n_codes)
{
	size_t i;
	json_t *j;

	if (e->status != 400)
		abort();
	for (i = 0; i < n_codes; i++)
		if (strcmp(e->code, codes[i]) == 0)
			break;
	if (i == n_codes)
		abort();
	check_printable(e->message, sizeof(e->message), 0);
	check_printable(e->field, sizeof(e->field), 1);
	j = api_error_json(e);
	if (j == NULL ||
	    strcmp(json_string_value(json_object_get(j, "message")), e->message) != 0 ||
	    (json_object_get(j, "field") != NULL) != (e->field[0] != '\0'))
		abort();
	json_decref(j);
}

/* An accepted body, read again independently, must say what the decoder said. */
static void
check_accepted(const uint8_t *data, size_t size, const struct api_ip_map_body *out)
{
	json_t *root = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	uint32_t addr;

	if (out->has != API_IP_MAP_IP_ADDRESS || root == NULL || json_object_size(root) != 1)
		abort();
	if (parse_ipv4(json_string_value(json_object_get(root, "ipAddress")), &addr) < 0 ||
	    addr != out->ip_address_be)
		abort();
	json_decref(root);
}

static void
check_path(const uint8_t *data, size_t size)
{
	static const char *const codes[] = { "invalid_path" };
	struct api_error err = { 0 };
	char *seg = malloc(size + 1);
	char imsi[16];

	if (seg == NULL)
		return;
	memcpy(seg, data, size);
	seg[size] = '\0';
	if (api_path_imsi(seg, imsi, &err) == 0) {
		if (parse_imsi(imsi) < 0 || strcmp(imsi, seg) != 0)
			abort();
	} else {
		check_error(&err, codes, 1);
	}
	free(seg);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct api_ip_map_body out;
	struct api_error err = { 0 };

	if (api_decode_ip_map((const char *)data, size, &out, &err) == 0) {
		check_accepted(data, size, &out);
	} else {
		check_error(&err, body_codes, sizeof(body_codes) / sizeof(body_codes[0]));
		if (out.has != 0 || out.ip_address_be != 0)
			abort();
	}
	check_path(data, size);
	return 0;
}
