/*
 * The web console: static files (console/ in the source tree) built into
 * the binary by scripts/embed-assets.sh and served by the API's HTTP server
 * at "/". The files are public, as a login page is: every /v1 call the
 * console makes still needs the token.
 */
#ifndef VPG_API_API_CONSOLE_H
#define VPG_API_API_CONSOLE_H

#include <stddef.h>

struct console_asset {
	const char *path; /* "/index.html", as the browser asks for it */
	const unsigned char *data;
	size_t len;
	const char *etag; /* quoted, from the content: changes when the file does */
};

/* The generated table (build/gen/console_assets.c). */
extern const struct console_asset console_assets[];
extern const size_t console_asset_count;

/* The asset a GET of url serves ("/" is /index.html); NULL for any other path. */
const struct console_asset *api_console_find(const char *url);
/* The Content-Type of an asset, by its name's extension. */
const char *api_console_type(const char *path);

struct MHD_Connection;
/*
 * Answers a GET or HEAD of an asset: MHD_YES or MHD_NO as MHD_queue_response
 * returned. -1 when the request is not the console's, for the API to handle.
 */
int api_console_answer(struct MHD_Connection *conn, const char *method, const char *url);

#endif
