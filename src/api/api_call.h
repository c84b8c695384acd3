/*
 * One API call as the handlers see it: the path parameter, query and body
 * in, a status and a JSON (or text) body out. The HTTP plumbing in api.c
 * fills it and sends what the handler left; handlers never touch HTTP.
 */
#ifndef VPG_API_API_CALL_H
#define VPG_API_API_CALL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/api.h"
#include "api/api_decode.h"

struct api_call {
	const struct api_deps *deps;
	const char *param; /* the path's "*" segment where the route has one */
	char param_buf[4096];
	/* The query's parameters; a route that takes none ignores them. */
	struct api_query query;
	const char *body;
	size_t body_len;
	int status;
	json_t *json; /* the answer's body, owned by the call */
	char *text;   /* or a text body (malloc'ed), with its type */
	size_t text_len;
	const char *text_type;
	struct api_error err; /* the answer when status >= 400 and json is NULL */
	char link[96];	      /* a Link header for the answer, when not empty */
	int fd;		      /* or a file to send (text_type its type), closed after; -1: none */
	uint64_t fd_size;
	char disposition[128]; /* a Content-Disposition header, when not empty */
};

/*
 * A store call made with the tables given back to the forwarding thread: a
 * commit waits for the disk, forwarding must not. What the handler read
 * before stays valid (only the control thread changes the configuration),
 * but sessions may come and go meanwhile.
 */
#define API_STORE(c, call)                                                                         \
	({                                                                                         \
		api_tables_give(c);                                                                \
		int api_store_rc_ = (call);                                                        \
		api_tables_take(c);                                                                \
		api_store_rc_;                                                                     \
	})
void api_tables_give(const struct api_call *c);
void api_tables_take(const struct api_call *c);

/* Sets an error answer; the message is formatted like printf. */
void api_fail(struct api_call *c, int status, const char *code, const char *field, const char *fmt,
    ...) __attribute__((format(printf, 5, 6)));
/* Sets a JSON answer, taking the reference. NULL means out of memory: a 500. */
void api_reply(struct api_call *c, int status, json_t *json);

/* An address as a JSON string. */
json_t *api_ip_json(uint32_t addr_be);
struct cidr_list;
/* ["192.0.2.0/24", ...]; NULL without memory. */
json_t *api_cidr_list_json(const struct cidr_list *l);
/* RFC 1122 §3.2.1.3 and RFC 5771: one unicast host, not 0/8, loopback, multicast or broadcast. */
bool api_unicast_host(uint32_t addr_be);

/* Handlers, one per route (api_objects.c). */
void api_get_vpg(struct api_call *c);
void api_list_ip_map(struct api_call *c);
void api_put_ip_map(struct api_call *c);
void api_delete_ip_map(struct api_call *c);
void api_list_sessions(struct api_call *c);
void api_get_session(struct api_call *c);
void api_delete_session(struct api_call *c);
void api_get_stats(struct api_call *c);
void api_get_metrics(struct api_call *c);

/* The UPF role (api_pfcp.c). */
void api_list_pfcp_associations(struct api_call *c);
struct rules_usage;
struct session;
/* Adds a UPF session's own fields to the base every session has. */
void api_add_upf_fields(json_t *o, const struct session *s, const struct rules_usage *fast);
/* What GET /v1/vpg says of each role. */
json_t *api_roles_json(const struct api_deps *d);

/* The PGW role (api_pgw.c). */
void api_list_gtpv2_peers(struct api_call *c);
/* Adds a PGW session's own fields to the base every session has. */
void api_add_pgw_fields(json_t *o, const struct session *s);
json_t *api_pgw_role_json(const struct api_deps *d);

/* The gate and its peers (api_gate.c). */
void api_get_gate(struct api_call *c);
void api_open_gate(struct api_call *c);
void api_close_gate(struct api_call *c);
void api_list_gate_peers(struct api_call *c);
void api_add_gate_peer(struct api_call *c);
void api_delete_gate_peer(struct api_call *c);

/* Junction Redirection and Mirroring (api_junction.c). */
void api_get_redirection(struct api_call *c);
void api_put_redirection(struct api_call *c);
void api_delete_redirection(struct api_call *c);
void api_list_mirror_peers(struct api_call *c);
void api_add_mirror_peer(struct api_call *c);
void api_update_mirror_peer(struct api_call *c);
void api_delete_mirror_peer(struct api_call *c);

/* Junction Inspection (api_inspect.c). */
void api_get_inspection(struct api_call *c);
void api_put_inspection(struct api_call *c);
void api_delete_inspection(struct api_call *c);
void api_get_inspection_flows(struct api_call *c);
void api_get_inspection_summary(struct api_call *c);

/* The DNS servers devices are told (api_dns.c). */
struct pco_offer;
json_t *api_dns_json(const struct pco_offer *offer);
void api_get_dns(struct api_call *c);
void api_put_dns(struct api_call *c);

/* Peek's capture sessions (api_peek.c). */
void api_create_capture(struct api_call *c);
void api_list_captures(struct api_call *c);
void api_get_capture(struct api_call *c);
void api_stop_capture(struct api_call *c);
void api_delete_capture(struct api_call *c);
void api_get_capture_pcap(struct api_call *c);

/* The routing filter (api_routing.c). */
void api_get_routing_filter(struct api_call *c);
void api_put_routing_filter(struct api_call *c);

/* SIM-based routing (api_sim_routing.c). */
void api_get_sim_routes(struct api_call *c);
void api_put_sim_routes(struct api_call *c);
void api_put_sim_route(struct api_call *c);
void api_delete_sim_route(struct api_call *c);
void api_enable_sim_routing(struct api_call *c);
void api_disable_sim_routing(struct api_call *c);

#endif
