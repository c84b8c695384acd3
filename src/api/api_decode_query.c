/*
 * Query parameters (docs/API.md): decimal integers in a range, each given
 * once, unknown ones refused by name. The views of Junction Inspection and
 * the paged session list take them. Pure, as api_decode.c.
 */
#include "api/api_decode.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "inspect/inspect.h"

/* One query parameter: a decimal integer in [min, max], def when absent. */
struct query_param {
	const char *name;
	uint32_t min, max, def;
};

/* Digits only, as the body's integers: no sign, no spaces, no hexadecimal. */
static int
query_value(const struct query_param *p, const char *v, uint32_t *out, struct api_error *err)
{
	char q[API_QUOTE_BUF];
	uint64_t n = 0;
	size_t i = 0;

	/* At most 10 digits, so n cannot overflow; an 11th is refused below. */
	for (; v != NULL && i < 10 && v[i] >= '0' && v[i] <= '9'; i++)
		n = n * 10 + (uint64_t)(v[i] - '0');
	if (v == NULL || i == 0 || v[i] != '\0' || n < p->min || n > p->max) {
		api_error_set(err, 400, "invalid_field", p->name,
		    "\"%s\": must be an integer between %u and %u (%s)", p->name, p->min, p->max,
		    v == NULL ? "no value" : api_quote(q, v));
		return -EINVAL;
	}
	*out = (uint32_t)n;
	return 0;
}

/* The unknown parameter is named as the client spelled it; the message lists what the call takes.
 */
static int
unknown_param(const char *key, const struct query_param *p, size_t np, struct api_error *err)
{
	char q[API_QUOTE_BUF], takes[64] = "";
	size_t o = 0;

	for (size_t i = 0; i < np && o < sizeof(takes); i++)
		o += (size_t)snprintf(
		    takes + o, sizeof(takes) - o, "%s%s", i > 0 ? ", " : "", p[i].name);
	api_error_set(err, 400, "unknown_field", key,
	    "%s: unknown query parameter; this call takes %s", api_quote(q, key), takes);
	return -EINVAL;
}

#define QUERY_PARAMS_MAX 2

/*
 * Parameters in the order given, so the client hears about the first bad
 * one; out[i] gets p[i]'s value or default, and only when all are good.
 * Linear in the parameters, of which there are at most API_QUERY_MAX.
 */
static int
decode_query(const struct api_query *q, const struct query_param *p, size_t np, uint32_t *out,
    struct api_error *err)
{
	uint32_t v[QUERY_PARAMS_MAX];
	bool seen[QUERY_PARAMS_MAX] = { false };
	size_t j;

	if (q->overflow) {
		api_error_set(
		    err, 400, "invalid_field", NULL, "at most %d query parameters", API_QUERY_MAX);
		return -EINVAL;
	}
	for (j = 0; j < np; j++)
		v[j] = p[j].def;
	for (size_t i = 0; i < q->n && i < API_QUERY_MAX; i++) {
		for (j = 0; j < np && strcmp(p[j].name, q->args[i].key) != 0; j++)
			;
		if (j == np)
			return unknown_param(q->args[i].key, p, np, err);
		if (seen[j]) {
			api_error_set(
			    err, 400, "invalid_field", p[j].name, "\"%s\": given twice", p[j].name);
			return -EINVAL;
		}
		seen[j] = true;
		if (query_value(&p[j], q->args[i].value, &v[j], err) < 0)
			return -EINVAL;
	}
	memcpy(out, v, np * sizeof(v[0]));
	return 0;
}

int
api_decode_flows_query(const struct api_query *q, uint32_t *limit, struct api_error *err)
{
	static const struct query_param p[] = {
		{ "limit", 1, API_FLOWS_LIMIT_MAX, API_FLOWS_LIMIT_DEFAULT },
	};

	return decode_query(q, p, 1, limit, err);
}

int
api_decode_summary_query(
    const struct api_query *q, uint32_t *window_s, uint32_t *top, struct api_error *err)
{
	static const struct query_param p[QUERY_PARAMS_MAX] = {
		{ "window", 1, INSPECT_MAX_WINDOW_S, INSPECT_DEFAULT_WINDOW_S },
		{ "top", 1, INSPECT_TOP_MAX, API_SUMMARY_TOP_DEFAULT },
	};
	uint32_t v[QUERY_PARAMS_MAX];

	if (decode_query(q, p, QUERY_PARAMS_MAX, v, err) < 0)
		return -EINVAL;
	*window_s = v[0];
	*top = v[1];
	return 0;
}

int
api_decode_sessions_query(
    const struct api_query *q, uint32_t *limit, uint32_t *after, struct api_error *err)
{
	static const struct query_param p[QUERY_PARAMS_MAX] = {
		{ "limit", 1, API_SESSIONS_LIMIT_MAX, API_SESSIONS_LIMIT_DEFAULT },
		{ "after", 0, UINT32_MAX, 0 },
	};
	uint32_t v[QUERY_PARAMS_MAX];

	if (decode_query(q, p, QUERY_PARAMS_MAX, v, err) < 0)
		return -EINVAL;
	*limit = v[0];
	*after = v[1];
	return 0;
}
