#include "api/api.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api_call.h"
#include "api/api_console.h"
#include "conf/config.h"
#include "conf/parse.h"
#include "fwd/xdp.h"
#include "io/handoff.h"
#include "core/cidr_list.h"
#include "io/log.h"
#include "io/loop.h"

#define BODY_MAX (64 * 1024)

struct api {
	struct MHD_Daemon *mhd;
	struct api_deps deps;
};

/* What one connection accumulates while its request body arrives. */
struct request {
	char *body;
	size_t len;
	bool too_large;
};

struct route {
	const char *method;
	const char *path; /* a last segment "*" is the parameter */
	void (*handler)(struct api_call *c);
};

static const struct route routes[] = {
	{ "GET", "/v1/vpg", api_get_vpg },
	{ "GET", "/v1/vpg/dns", api_get_dns },
	{ "PUT", "/v1/vpg/dns", api_put_dns },
	{ "GET", "/v1/ip_address_map", api_list_ip_map },
	{ "PUT", "/v1/ip_address_map/*", api_put_ip_map },
	{ "DELETE", "/v1/ip_address_map/*", api_delete_ip_map },
	{ "GET", "/v1/sessions", api_list_sessions },
	{ "GET", "/v1/sessions/*", api_get_session },
	{ "DELETE", "/v1/sessions/*", api_delete_session },
	{ "GET", "/v1/gate", api_get_gate },
	{ "POST", "/v1/gate/open", api_open_gate },
	{ "POST", "/v1/gate/close", api_close_gate },
	{ "GET", "/v1/gate/peers", api_list_gate_peers },
	{ "POST", "/v1/gate/peers", api_add_gate_peer },
	{ "DELETE", "/v1/gate/peers/*", api_delete_gate_peer },
	{ "GET", "/v1/junction/redirection", api_get_redirection },
	{ "PUT", "/v1/junction/redirection", api_put_redirection },
	{ "DELETE", "/v1/junction/redirection", api_delete_redirection },
	{ "GET", "/v1/junction/mirroring/peers", api_list_mirror_peers },
	{ "POST", "/v1/junction/mirroring/peers", api_add_mirror_peer },
	{ "PUT", "/v1/junction/mirroring/peers/*", api_update_mirror_peer },
	{ "DELETE", "/v1/junction/mirroring/peers/*", api_delete_mirror_peer },
	{ "GET", "/v1/junction/inspection", api_get_inspection },
	{ "PUT", "/v1/junction/inspection", api_put_inspection },
	{ "DELETE", "/v1/junction/inspection", api_delete_inspection },
	{ "GET", "/v1/junction/inspection/flows", api_get_inspection_flows },
	{ "GET", "/v1/junction/inspection/summary", api_get_inspection_summary },
	{ "GET", "/v1/routing_filter", api_get_routing_filter },
	{ "PUT", "/v1/routing_filter", api_put_routing_filter },
	{ "GET", "/v1/sim_based_routing/routes", api_get_sim_routes },
	{ "PUT", "/v1/sim_based_routing/routes", api_put_sim_routes },
	{ "PUT", "/v1/sim_based_routing/routes/*", api_put_sim_route },
	{ "DELETE", "/v1/sim_based_routing/routes/*", api_delete_sim_route },
	{ "POST", "/v1/sim_based_routing/enable", api_enable_sim_routing },
	{ "POST", "/v1/sim_based_routing/disable", api_disable_sim_routing },
	{ "GET", "/v1/pfcp/associations", api_list_pfcp_associations },
	{ "GET", "/v1/gtpv2/peers", api_list_gtpv2_peers },
	{ "POST", "/v1/packet_capture_sessions", api_create_capture },
	{ "GET", "/v1/packet_capture_sessions", api_list_captures },
	{ "GET", "/v1/packet_capture_sessions/*", api_get_capture },
	{ "DELETE", "/v1/packet_capture_sessions/*", api_delete_capture },
	{ "POST", "/v1/packet_capture_sessions/*/stop", api_stop_capture },
	{ "GET", "/v1/packet_capture_sessions/*/pcap", api_get_capture_pcap },
	{ "GET", "/v1/stats", api_get_stats },
	{ "GET", "/metrics", api_get_metrics },
};

void
api_fail(struct api_call *c, int status, const char *code, const char *field, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	api_error_set(&c->err, status, code, field, "%s", msg);
	c->status = status;
}

void
api_reply(struct api_call *c, int status, json_t *json)
{
	if (json == NULL) {
		api_fail(c, 500, "internal", "", "out of memory");
		return;
	}
	c->status = status;
	c->json = json;
}

json_t *
api_ip_json(uint32_t addr_be)
{
	char buf[16];

	return json_string(ipv4_str(addr_be, buf));
}

json_t *
api_cidr_list_json(const struct cidr_list *l)
{
	json_t *a = json_array();
	char buf[CIDR_STR_LEN];

	for (unsigned i = 0; i < l->n && a != NULL; i++)
		json_array_append_new(a, json_string(cidr_str(&l->range[i], buf)));
	return a;
}

bool
api_unicast_host(uint32_t addr_be)
{
	uint32_t a = ntohl(addr_be);

	return a != 0xffffffffu && (a >> 28) != 0xe && (a >> 24) != 127 && (a >> 24) != 0;
}

/*
 * Does path match the route's pattern, segment by segment? A "*" segment
 * matches any one non-empty segment, copied into param (NUL-terminated;
 * one longer than cap does not match).
 */
static bool
path_matches(const char *pattern, const char *path, char *param, size_t cap)
{
	param[0] = '\0';
	while (*pattern != '\0' && *path != '\0') {
		size_t pn = strcspn(pattern, "/"), sn = strcspn(path, "/");

		if (pn == 1 && pattern[0] == '*' && (pattern[1] == '/' || pattern[1] == '\0')) {
			if (sn == 0 || sn >= cap)
				return false;
			memcpy(param, path, sn);
			param[sn] = '\0';
		} else if (pn != sn || strncmp(pattern, path, pn) != 0) {
			return false;
		}
		pattern += pn;
		path += sn;
		if (*pattern != *path)
			return false;
		if (*pattern == '/') {
			pattern++;
			path++;
		}
	}
	return *pattern == '\0' && *path == '\0';
}

static void
route(struct api_call *c, const char *method, const char *url)
{
	bool path_known = false;

	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (!path_matches(routes[i].path, url, c->param_buf, sizeof(c->param_buf)))
			continue;
		path_known = true;
		if (strcmp(routes[i].method, method) != 0)
			continue;
		c->param = c->param_buf[0] != '\0' ? c->param_buf : NULL;
		routes[i].handler(c);
		return;
	}
	if (path_known)
		api_fail(c, 405, "method_not_allowed", "", "%s is not allowed on %s", method, url);
	else
		api_fail(c, 404, "not_found", "", "no such path");
}

/* Constant time in the token's length, so timing does not leak how much matched. */
static bool
authorized(const struct api *a, struct MHD_Connection *conn)
{
	const char *token = a->deps.cfg->api_token;
	const char *got;
	size_t n = strlen(token), diff = 0;

	if (n == 0)
		return true;
	got = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	if (got == NULL || strncmp(got, "Bearer ", 7) != 0 || strlen(got + 7) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		diff |= (size_t)(got[7 + i] ^ token[i]);
	return diff == 0;
}

/* A file, read by libmicrohttpd as the client takes it; the descriptor is its to close. */
static enum MHD_Result
send_file(struct MHD_Connection *conn, struct api_call *c)
{
	struct MHD_Response *rsp = MHD_create_response_from_fd64(c->fd_size, c->fd);
	enum MHD_Result ret;

	if (rsp == NULL)
		return MHD_NO;
	c->fd = -1;
	MHD_add_response_header(rsp, MHD_HTTP_HEADER_CONTENT_TYPE, c->text_type);
	if (c->disposition[0] != '\0')
		MHD_add_response_header(rsp, "Content-Disposition", c->disposition);
	ret = MHD_queue_response(conn, (unsigned)c->status, rsp);
	MHD_destroy_response(rsp);
	return ret;
}

static enum MHD_Result
send_answer(struct MHD_Connection *conn, struct api_call *c)
{
	struct MHD_Response *rsp;
	const char *type = "application/json";
	char *text = NULL;
	size_t len = 0;
	enum MHD_Result ret;

	if (c->status >= 400 && c->json == NULL)
		c->json = api_error_json(&c->err);
	if (c->fd >= 0 && c->status < 400)
		return send_file(conn, c);
	if (c->text != NULL) {
		text = c->text;
		len = c->text_len;
		type = c->text_type;
		c->text = NULL;
	} else if (c->json != NULL) {
		text = json_dumps(c->json, JSON_COMPACT);
		len = text != NULL ? strlen(text) : 0;
	}
	rsp = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
	if (rsp == NULL) {
		free(text);
		return MHD_NO;
	}
	if (len > 0)
		MHD_add_response_header(rsp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (c->link[0] != '\0' && c->status < 400)
		MHD_add_response_header(rsp, "Link", c->link);
	ret = MHD_queue_response(conn, (unsigned)c->status, rsp);
	MHD_destroy_response(rsp);
	return ret;
}

/*
 * Keeps MHD's own copies, valid until the answer is queued; past
 * API_QUERY_MAX it stops and marks the query for the decoders to refuse.
 */
static enum MHD_Result
on_query_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct api_query *q = cls;

	(void)kind;
	if (q->n == API_QUERY_MAX) {
		q->overflow = true;
		return MHD_NO;
	}
	q->args[q->n].key = key;
	q->args[q->n].value = value;
	q->n++;
	return MHD_YES;
}

void
api_tables_give(const struct api_call *c)
{
	handoff_control_give(c->deps->tables);
}

void
api_tables_take(const struct api_call *c)
{
	handoff_control_take(c->deps->tables);
}

static enum MHD_Result
handle(struct api *a, struct MHD_Connection *conn, const char *method, const char *url,
    struct request *r)
{
	struct api_call c = { .deps = &a->deps, .body = r->body, .body_len = r->len, .fd = -1 };
	enum MHD_Result ret;
	int served;

	/* The console's files are public; its every call to /v1 needs the token. */
	served = api_console_answer(conn, method, url);
	if (served >= 0)
		return served == MHD_YES ? MHD_YES : MHD_NO;
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, on_query_arg, &c.query);
	if (!authorized(a, conn))
		api_fail(&c, 401, "unauthorized", "", "a valid bearer token is required");
	else if (r->too_large)
		api_fail(&c, 413, "body_too_large", "", "request bodies are limited to %d octets",
		    BODY_MAX);
	else {
		handoff_control_take(a->deps.tables);
		route(&c, method, url);
		/* A change is in the fast path's maps before its answer leaves. */
		if (strcmp(method, "GET") != 0)
			xdp_sync_control(a->deps.xdp);
		handoff_control_give(a->deps.tables);
	}
	if (c.status >= 500)
		log_warn("api: %s %s: %d %s", method, url, c.status, c.err.message);
	ret = send_answer(conn, &c);
	if (c.fd >= 0)
		close(c.fd);
	json_decref(c.json);
	free(c.text);
	return ret;
}

/* libmicrohttpd calls this once for the headers, once per body chunk, once at the end. */
static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
    const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	struct request *r = *con_cls;

	(void)version;
	if (r == NULL) {
		r = calloc(1, sizeof(*r));
		*con_cls = r;
		return r != NULL ? MHD_YES : MHD_NO;
	}
	if (*upload_size == 0)
		return handle(cls, conn, method, url, r);
	if (r->len + *upload_size > BODY_MAX) {
		r->too_large = true;
	} else if (!r->too_large) {
		char *grown = realloc(r->body, r->len + *upload_size + 1);

		if (grown == NULL)
			return MHD_NO;
		memcpy(grown + r->len, upload, *upload_size);
		r->body = grown;
		r->len += *upload_size;
		r->body[r->len] = '\0';
	}
	*upload_size = 0;
	return MHD_YES;
}

static void
on_completed(
    void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode why)
{
	struct request *r = *con_cls;

	(void)cls, (void)conn, (void)why;
	if (r != NULL) {
		free(r->body);
		free(r);
		*con_cls = NULL;
	}
}

static void
on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[256];

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	log_debug("api: %s", msg);
}

/* Rounds of MHD_run per wake-up while libmicrohttpd has work ready at once. */
#define API_RUN_ROUNDS 16

/*
 * libmicrohttpd watches its connections edge-triggered: a connection that
 * can go on (an answer just queued, more of a request already read) raises
 * no new event, and says so by a timeout of 0. Run it again until it has
 * none, or such a request would wait for the next timer tick.
 */
static void
on_ready(void *arg)
{
	struct api *a = arg;
	MHD_UNSIGNED_LONG_LONG timeout;

	for (int round = 0; round < API_RUN_ROUNDS; round++) {
		MHD_run(a->mhd);
		if (MHD_get_timeout(a->mhd, &timeout) != MHD_YES || timeout > 0)
			break;
	}
}

/*
 * Connections: enough that a crowd of idle or half-sent requests cannot fill
 * them, at most a few dozen from one address so that one host cannot either
 * (an operator elsewhere still gets in), and a short time to send a request.
 */
#define API_MAX_CONNECTIONS 1024
#define API_MAX_PER_ADDRESS 32
#define API_TIMEOUT_S	    10

static struct MHD_Daemon *
start_mhd(struct api *a)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };

	sin.sin_addr.s_addr = a->deps.cfg->api_addr_be;
	sin.sin_port = htons(a->deps.cfg->api_port);
	/* No thread of its own: the daemon's loop polls MHD's epoll descriptor. */
	return MHD_start_daemon(MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, a,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin, MHD_OPTION_NOTIFY_COMPLETED,
	    on_completed, a, MHD_OPTION_CONNECTION_LIMIT, (unsigned)API_MAX_CONNECTIONS,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)API_MAX_PER_ADDRESS,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)API_TIMEOUT_S, MHD_OPTION_EXTERNAL_LOGGER,
	    on_mhd_log, a, MHD_OPTION_END);
}

struct api *
api_start(const struct api_deps *deps, struct loop *loop, char *err, size_t errlen)
{
	struct api *a = calloc(1, sizeof(*a));
	const union MHD_DaemonInfo *info;

	if (a == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	a->deps = *deps;
	a->mhd = start_mhd(a);
	if (a->mhd == NULL) {
		snprintf(err, errlen, "cannot listen on the API address: %s", strerror(errno));
		goto fail;
	}
	info = MHD_get_daemon_info(a->mhd, MHD_DAEMON_INFO_EPOLL_FD);
	/* The timer lets MHD expire idle connections even when no socket is readable. */
	if (info == NULL || loop_add_fd(loop, info->epoll_fd, on_ready, a) < 0 ||
	    loop_add_timer(loop, 1000, on_ready, a) < 0) {
		snprintf(err, errlen, "cannot add the API to the event loop");
		goto fail;
	}
	return a;
fail:
	api_stop(a);
	return NULL;
}

void
api_stop(struct api *a)
{
	if (a == NULL)
		return;
	if (a->mhd != NULL)
		MHD_stop_daemon(a->mhd);
	free(a);
}
