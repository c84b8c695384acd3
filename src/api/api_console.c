#include "api/api_console.h"

#include <microhttpd.h>
#include <string.h>

/*
 * Nothing but the gateway's own files: no inline script or style (the
 * console has none, so an injected one cannot run), no other origin, no
 * framing by another site, no form posted elsewhere.
 */
#define CONSOLE_CSP                                                                                \
	"default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

/*
 * The files keep their names across versions, so a browser must ask again
 * each time; the ETag (from the content) makes that a 304 without a body
 * while the gateway runs the same build.
 */
#define CONSOLE_CACHE "no-cache"

const struct console_asset *
api_console_find(const char *url)
{
	if (strcmp(url, "/") == 0)
		url = "/index.html";
	for (size_t i = 0; i < console_asset_count; i++)
		if (strcmp(console_assets[i].path, url) == 0)
			return &console_assets[i];
	return NULL;
}

const char *
api_console_type(const char *path)
{
	static const struct {
		const char *ext;
		const char *type;
	} types[] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".css", "text/css; charset=utf-8" },
		{ ".svg", "image/svg+xml" },
	};
	const char *dot = strrchr(path, '.');

	for (size_t i = 0; dot != NULL && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

static void
add_headers(struct MHD_Response *rsp, const struct console_asset *a)
{
	MHD_add_response_header(rsp, MHD_HTTP_HEADER_CONTENT_TYPE, api_console_type(a->path));
	MHD_add_response_header(rsp, MHD_HTTP_HEADER_ETAG, a->etag);
	MHD_add_response_header(rsp, MHD_HTTP_HEADER_CACHE_CONTROL, CONSOLE_CACHE);
	MHD_add_response_header(rsp, "Content-Security-Policy", CONSOLE_CSP);
	MHD_add_response_header(rsp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(rsp, "Referrer-Policy", "no-referrer");
}

int
api_console_answer(struct MHD_Connection *conn, const char *method, const char *url)
{
	const struct console_asset *a;
	const char *seen;
	struct MHD_Response *rsp;
	unsigned status = MHD_HTTP_OK;
	enum MHD_Result ret;

	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return -1;
	a = api_console_find(url);
	if (a == NULL)
		return -1;
	seen = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
	if (seen != NULL && strcmp(seen, a->etag) == 0) {
		status = MHD_HTTP_NOT_MODIFIED;
		rsp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	} else {
		/* The table is constant for the life of the process: no copy. */
		rsp = MHD_create_response_from_buffer(
		    a->len, (void *)a->data, MHD_RESPMEM_PERSISTENT);
	}
	if (rsp == NULL)
		return MHD_NO;
	add_headers(rsp, a);
	ret = MHD_queue_response(conn, status, rsp);
	MHD_destroy_response(rsp);
	return ret;
}
