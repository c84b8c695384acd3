/*
 * Decoding of Peek's requests (docs/API.md "Peek"): the body of POST
 * /v1/packet_capture_sessions and the capture id in a path. Pure, as
 * api_decode.c: no I/O, no logging, no allocation but jansson's.
 */
#include "api/api_decode.h"

#include <errno.h>
#include <string.h>

#include "conf/parse.h"

/* The commercial service's rule for a prefix: letters, digits, '-' and '_'. */
static bool
prefix_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '-' || ch == '_';
}

static int
decode_prefix(const struct api_field *f, const json_t *v, void *dst, struct api_error *err)
{
	const char *s = json_string_value(v);
	char q[API_QUOTE_BUF];
	size_t n;

	if (s == NULL)
		return api_field_error(f, err, "must be a string, not %s", api_json_type_name(v));
	n = json_string_length(v);
	if (n > API_PEEK_PREFIX_MAX)
		return api_field_error(
		    f, err, "at most %d characters (%zu given)", API_PEEK_PREFIX_MAX, n);
	for (size_t i = 0; i < n; i++)
		if (!prefix_char(s[i]))
			return api_field_error(f, err,
			    "only letters, digits, '-' and '_' are allowed (%s)", api_quote(q, s));
	memcpy(dst, s, n + 1);
	return 0;
}

static const struct api_field peek_fields[] = {
	API_FIELD_INT(struct api_peek_body, duration, "duration", API_PEEK_DURATION, true, 1,
	    API_PEEK_DURATION_MAX),
	API_FIELD_CUSTOM(
	    struct api_peek_body, prefix, char *, "prefix", API_PEEK_PREFIX, false, decode_prefix),
	API_FIELD_CUSTOM(
	    struct api_peek_body, imsi, char *, "imsi", API_PEEK_IMSI, false, api_decode_imsi),
};
static const struct api_body peek_body = API_BODY(struct api_peek_body, peek_fields);

int
api_decode_peek(const char *body, size_t len, struct api_peek_body *out, struct api_error *err)
{
	return api_decode_body(body, len, &peek_body, out, err);
}

int
api_path_capture_id(const char *segment, char out[API_PEEK_ID_MAX + 1], struct api_error *err)
{
	size_t n = strlen(segment);

	if (n == 0 || n > API_PEEK_ID_MAX || strspn(segment, "0123456789abcdef") != n) {
		api_error_set(err, 400, "invalid_path", "id",
		    "not a capture session id (1 to %d hex digits)", API_PEEK_ID_MAX);
		return -EINVAL;
	}
	memcpy(out, segment, n + 1);
	return 0;
}
