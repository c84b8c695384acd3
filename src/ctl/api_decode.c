#include "ctl/api_decode.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ctl/parse.h"

/*
 * Input quoted in a message is cut after this many bytes: enough to
 * recognise a value, short enough to leave room for what is wrong with it.
 */
#define QUOTE_MAX 40
/* Room for QUOTE_MAX bytes escaped as \xNN, quotes, "..." and NUL. */
#define QUOTE_BUF (4 * QUOTE_MAX + 6)

/*
 * Messages and field names go back to the client inside JSON and into logs:
 * anything but printable ASCII becomes '?', which keeps them one line and
 * valid UTF-8 even when vsnprintf cut a multi-byte character in two.
 */
static void
printable(char *s)
{
	for (; *s != '\0'; s++)
		if (*s < ' ' || *s > '~')
			*s = '?';
}

/*
 * Copies at most max bytes of s into dst as printable ASCII, '"' and '\'
 * escaped with a backslash and any other byte as \xNN, and "..." when s did
 * not fit in max bytes or in cap (at least 9).
 */
static void
escape(char *dst, size_t cap, const char *s, size_t max)
{
	size_t o = 0, i;
	unsigned char c;

	for (i = 0; i < max && s[i] != '\0' && o + 8 < cap; i++) {
		c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			o += (size_t)snprintf(dst + o, cap - o, "\\%c", c);
		else if (c < ' ' || c > '~')
			o += (size_t)snprintf(dst + o, cap - o, "\\x%02x", c);
		else
			dst[o++] = (char)c;
	}
	if (s[i] != '\0')
		o += (size_t)snprintf(dst + o, cap - o, "...");
	dst[o] = '\0';
}

/* s in double quotes, escaped and cut as escape does. */
static const char *
quote(char dst[QUOTE_BUF], const char *s)
{
	dst[0] = '"';
	escape(dst + 1, QUOTE_BUF - 2, s, QUOTE_MAX);
	strcat(dst, "\"");
	return dst;
}

void
api_error_set(
    struct api_error *e, int status, const char *code, const char *field, const char *fmt, ...)
{
	va_list ap;

	e->status = status;
	snprintf(e->code, sizeof(e->code), "%s", code);
	snprintf(e->field, sizeof(e->field), "%s", field == NULL ? "" : field);
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
	if (e->message[0] == '\0')
		snprintf(e->message, sizeof(e->message), "%s", e->code);
	printable(e->code);
	printable(e->field);
	printable(e->message);
}

json_t *
api_error_json(const struct api_error *e)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	if (json_object_set_new(o, "code", json_string(e->code)) < 0 ||
	    json_object_set_new(o, "message", json_string(e->message)) < 0 ||
	    (e->field[0] != '\0' && json_object_set_new(o, "field", json_string(e->field)) < 0)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int
api_path_imsi(const char *segment, char out[16], struct api_error *err)
{
	char q[QUOTE_BUF];

	if (segment == NULL)
		segment = "";
	if (parse_imsi(segment) < 0) {
		api_error_set(err, 400, "invalid_path", NULL, "not an IMSI of 6 to 15 digits (%s)",
		    quote(q, segment));
		return -EINVAL;
	}
	memcpy(out, segment, strlen(segment) + 1);
	return 0;
}

int
api_path_ipv4(const char *segment, uint32_t *addr_be, struct api_error *err)
{
	char q[QUOTE_BUF];
	uint32_t addr;

	if (segment == NULL)
		segment = "";
	if (parse_ipv4(segment, &addr) < 0) {
		api_error_set(
		    err, 400, "invalid_path", NULL, "not an IPv4 address (%s)", quote(q, segment));
		return -EINVAL;
	}
	*addr_be = addr;
	return 0;
}

static const char *
type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
		break;
	}
	return "null";
}

static int field_error(const struct api_field *f, struct api_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* An invalid_field error whose message starts with the quoted field name. */
static int
field_error(const struct api_field *f, struct api_error *err, const char *fmt, ...)
{
	char what[sizeof(err->message)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	api_error_set(err, 400, "invalid_field", f->name, "\"%s\": %s", f->name, what);
	return -EINVAL;
}

static int
decode_ipv4(const struct api_field *f, const json_t *v, void *dst, struct api_error *err)
{
	char q[QUOTE_BUF];
	uint32_t addr;

	if (!json_is_string(v))
		return field_error(f, err, "must be a string, not %s", type_name(v));
	if (parse_ipv4(json_string_value(v), &addr) < 0)
		return field_error(
		    f, err, "not an IPv4 address (%s)", quote(q, json_string_value(v)));
	memcpy(dst, &addr, sizeof(addr));
	return 0;
}

static int
decode_bool(const struct api_field *f, const json_t *v, void *dst, struct api_error *err)
{
	bool b = json_is_true(v);

	if (!json_is_boolean(v))
		return field_error(f, err, "must be true or false, not %s", type_name(v));
	memcpy(dst, &b, sizeof(b));
	return 0;
}

static int
decode_int(const struct api_field *f, const json_t *v, void *dst, struct api_error *err)
{
	int64_t i;

	if (!json_is_integer(v))
		return field_error(f, err, "must be an integer, not %s", type_name(v));
	i = (int64_t)json_integer_value(v);
	if (i < f->min || i > f->max)
		return field_error(f, err,
		    "must be between %" PRId64 " and %" PRId64 " (%" PRId64 ")", f->min, f->max, i);
	memcpy(dst, &i, sizeof(i));
	return 0;
}

static int
decode_string(const struct api_field *f, const json_t *v, void *dst, struct api_error *err)
{
	size_t n;

	if (!json_is_string(v))
		return field_error(f, err, "must be a string, not %s", type_name(v));
	n = json_string_length(v);
	if (n >= f->size)
		return field_error(f, err, "must be at most %zu bytes long (%zu)", f->size - 1, n);
	memcpy(dst, json_string_value(v), n + 1);
	return 0;
}

static int (*const decoders[])(
    const struct api_field *, const json_t *, void *, struct api_error *) = {
	[API_IPV4] = decode_ipv4,
	[API_BOOL] = decode_bool,
	[API_INT] = decode_int,
	[API_STRING] = decode_string,
};

/* Linear: a body has a handful of fields, so a search costs less than a hash. */
static const struct api_field *
find_field(const struct api_body *b, const char *name)
{
	for (size_t i = 0; i < b->n; i++)
		if (strcmp(b->fields[i].name, name) == 0)
			return &b->fields[i];
	return NULL;
}

/* The unknown field is named as the client spelled it; the message lists what the call takes. */
static int
unknown_field(const struct api_body *b, const char *key, struct api_error *err)
{
	char name[sizeof(err->field)], takes[128] = "";
	size_t o = 0;

	escape(name, sizeof(name), key, sizeof(name));
	for (size_t i = 0; i < b->n && o < sizeof(takes); i++)
		o += (size_t)snprintf(
		    takes + o, sizeof(takes) - o, "%s%s", i > 0 ? ", " : "", b->fields[i].name);
	api_error_set(err, 400, "unknown_field", name, "\"%s\": unknown field; this call takes %s",
	    name, takes);
	return -EINVAL;
}

/*
 * Fields are taken in the body's order (jansson keeps it), so of several
 * faults the client hears about the first it wrote; missing ones come last.
 */
static int
decode_object(const struct api_body *b, json_t *obj, void *out, struct api_error *err)
{
	const struct api_field *f;
	uint32_t has = 0;
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v)
	{
		f = find_field(b, key);
		if (f == NULL)
			return unknown_field(b, key, err);
		if (decoders[f->kind](f, v, (char *)out + f->off, err) < 0)
			return -EINVAL;
		has |= f->bit;
	}
	for (size_t i = 0; i < b->n; i++) {
		f = &b->fields[i];
		if (f->required && (has & f->bit) == 0) {
			api_error_set(err, 400, "missing_field", f->name,
			    "\"%s\": required field is missing", f->name);
			return -EINVAL;
		}
	}
	memcpy((char *)out + b->has_off, &has, sizeof(has));
	return 0;
}

/*
 * JSON_DECODE_ANY lets a scalar body parse, so that it is refused below as
 * "not an object" rather than with jansson's "'[' or '{' expected"; duplicate
 * keys are refused because which of the two would win is anyone's guess.
 */
static json_t *
load_object(const char *body, size_t len, struct api_error *err)
{
	json_error_t je;
	json_t *root;

	if (len == 0) {
		api_error_set(
		    err, 400, "invalid_json", NULL, "the body is empty; expected a JSON object");
		return NULL;
	}
	root = json_loadb(body, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je);
	if (root == NULL) {
		api_error_set(err, 400, "invalid_json", NULL,
		    "not valid JSON (line %d, column %d): %s", je.line, je.column, je.text);
		return NULL;
	}
	if (!json_is_object(root)) {
		api_error_set(err, 400, "invalid_json", NULL,
		    "the body must be a JSON object, not %s", type_name(root));
		json_decref(root);
		return NULL;
	}
	return root;
}

int
api_decode_body(
    const char *body, size_t len, const struct api_body *b, void *out, struct api_error *err)
{
	json_t *obj;
	int rc;

	memset(out, 0, b->size);
	if (len == 0 && b->empty_ok)
		return 0;
	obj = load_object(body, len, err);
	if (obj == NULL)
		return -EINVAL;
	rc = decode_object(b, obj, out, err);
	json_decref(obj);
	if (rc < 0)
		memset(out, 0, b->size);
	return rc;
}

static const struct api_field ip_map_fields[] = {
	API_FIELD_IPV4(
	    struct api_ip_map_body, ip_address_be, "ipAddress", API_IP_MAP_IP_ADDRESS, true),
};
static const struct api_body ip_map_body = API_BODY(struct api_ip_map_body, ip_map_fields);

int
api_decode_ip_map(const char *body, size_t len, struct api_ip_map_body *out, struct api_error *err)
{
	return api_decode_body(body, len, &ip_map_body, out, err);
}

static const struct api_field gate_open_fields[] = {
	API_FIELD_INT(struct api_gate_open_body, vxlan_id, "vxlanId", API_GATE_OPEN_VXLAN_ID, false,
	    API_VXLAN_ID_MIN, API_VXLAN_ID_MAX),
	API_FIELD_BOOL(struct api_gate_open_body, privacy_separator_enabled,
	    "privacySeparatorEnabled", API_GATE_OPEN_PRIVACY_SEPARATOR, false),
};
static const struct api_body gate_open_body =
    API_BODY_OR_EMPTY(struct api_gate_open_body, gate_open_fields);

int
api_decode_gate_open(
    const char *body, size_t len, struct api_gate_open_body *out, struct api_error *err)
{
	return api_decode_body(body, len, &gate_open_body, out, err);
}

static const struct api_field gate_peer_fields[] = {
	API_FIELD_IPV4(struct api_gate_peer_body, outer_ip_address_be, "outerIpAddress",
	    API_GATE_PEER_OUTER_IP_ADDRESS, true),
	API_FIELD_IPV4(struct api_gate_peer_body, inner_ip_address_be, "innerIpAddress",
	    API_GATE_PEER_INNER_IP_ADDRESS, true),
};
static const struct api_body gate_peer_body = API_BODY(struct api_gate_peer_body, gate_peer_fields);

int
api_decode_gate_peer(
    const char *body, size_t len, struct api_gate_peer_body *out, struct api_error *err)
{
	return api_decode_body(body, len, &gate_peer_body, out, err);
}

static const struct api_field redirection_fields[] = {
	API_FIELD_IPV4(
	    struct api_redirection_body, gateway_be, "gateway", API_REDIRECTION_GATEWAY, true),
	API_FIELD_BOOL(
	    struct api_redirection_body, enabled, "enabled", API_REDIRECTION_ENABLED, false),
	API_FIELD_STRING(struct api_redirection_body, description, "description",
	    API_REDIRECTION_DESCRIPTION, false),
};
static const struct api_body redirection_body =
    API_BODY(struct api_redirection_body, redirection_fields);

int
api_decode_redirection(
    const char *body, size_t len, struct api_redirection_body *out, struct api_error *err)
{
	int rc = api_decode_body(body, len, &redirection_body, out, err);

	if (rc == 0 && (out->has & API_REDIRECTION_ENABLED) == 0)
		out->enabled = true;
	return rc;
}
