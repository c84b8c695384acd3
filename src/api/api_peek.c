/*
 * Peek's capture sessions (docs/API.md "Peek"): start, list, stop, delete,
 * download. The capture manager (peek/peek.h) writes files and commits to
 * the store, so every call into it is made with the tables given back to
 * the forwarding thread; it takes them itself, briefly, to start or stop a
 * slot of the data path's tap.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "api/api_call.h"
#include "conf/config.h"
#include "peek/peek.h"

/* A capture as the commercial API shows one, plus its counts and where to download it. */
static json_t *
capture_json(const struct peek_capture *pc)
{
	const struct store_capture *c = peek_capture_info(pc);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:b, s:I, s:I, s:I}", "id", c->id,
	    "sessionId", c->id, "status", c->status, "prefix", c->prefix, "duration",
	    (json_int_t)c->duration_s, "createdTime", (json_int_t)c->created_ms, "truncated",
	    c->truncated, "packets", (json_int_t)c->packets, "bytes", (json_int_t)c->bytes,
	    "droppedPackets", (json_int_t)c->dropped);
	char url[96];

	if (o == NULL)
		return NULL;
	if (c->imsi[0] != '\0')
		json_object_set_new(o, "imsi", json_string(c->imsi));
	if (c->started_ms != 0)
		json_object_set_new(o, "startedTime", json_integer((json_int_t)c->started_ms));
	if (c->ended_ms != 0)
		json_object_set_new(o, "endedTime", json_integer((json_int_t)c->ended_ms));
	if (strcmp(c->status, "FAILED") == 0)
		json_object_set_new(o, "failedReason", json_string(c->failed_reason));
	if (peek_capture_has_file(pc)) {
		snprintf(url, sizeof(url), "/v1/packet_capture_sessions/%s/pcap", c->id);
		json_object_set_new(o, "url", json_string(url));
	}
	return o;
}

static struct peek *
peek_of(struct api_call *c)
{
	if (c->deps->peek == NULL)
		api_fail(c, 404, "not_found", "", "Peek is not available");
	return c->deps->peek;
}

/* The capture named by the path, or NULL with the answer set. */
static const struct peek_capture *
path_capture(struct api_call *c, struct peek *p, char id[API_PEEK_ID_MAX + 1])
{
	const struct peek_capture *pc;

	if (api_path_capture_id(c->param, id, &c->err) < 0) {
		c->status = c->err.status;
		return NULL;
	}
	pc = peek_find(p, id);
	if (pc == NULL)
		api_fail(c, 404, "not_found", "id", "no capture session %s", id);
	return pc;
}

static void
start_failed(struct api_call *c, struct peek *p, int rc, const char *why)
{
	if (rc == -EBUSY)
		api_fail(c, 429, "limit_exceeded", "maxSessions",
		    "at most %u capture sessions run at once (peek.maxSessions)",
		    peek_get_config(p)->max_sessions);
	else if (rc == -ENOSPC)
		api_fail(c, 429, "limit_exceeded", "", "%d capture sessions are kept: delete some",
		    PEEK_MAX_KEPT);
	else
		api_fail(c, 500, "capture_failed", "", "%s", why);
}

void
api_create_capture(struct api_call *c)
{
	struct peek *p = peek_of(c);
	const struct peek_capture *pc = NULL;
	struct api_peek_body b;
	const char *why = "";
	int rc;

	if (p == NULL)
		return;
	if (api_decode_peek(c->body, c->body_len, &b, &c->err) < 0) {
		c->status = c->err.status;
		return;
	}
	rc = API_STORE(c, peek_start(p, b.prefix, b.imsi, (uint32_t)b.duration, &pc, &why));
	if (rc < 0) {
		start_failed(c, p, rc, why);
		return;
	}
	api_reply(c, 201, capture_json(pc));
}

void
api_list_captures(struct api_call *c)
{
	struct peek *p = peek_of(c);
	json_t *a;

	if (p == NULL)
		return;
	a = json_array();
	for (size_t i = 0; i < peek_count(p) && a != NULL; i++)
		if (json_array_append_new(a, capture_json(peek_at(p, i))) < 0) {
			json_decref(a);
			a = NULL;
		}
	api_reply(c, 200, a);
}

void
api_get_capture(struct api_call *c)
{
	struct peek *p = peek_of(c);
	const struct peek_capture *pc;
	char id[API_PEEK_ID_MAX + 1];

	if (p == NULL || (pc = path_capture(c, p, id)) == NULL)
		return;
	api_reply(c, 200, capture_json(pc));
}

void
api_stop_capture(struct api_call *c)
{
	struct peek *p = peek_of(c);
	char id[API_PEEK_ID_MAX + 1];
	int rc;

	if (p == NULL || path_capture(c, p, id) == NULL)
		return;
	rc = API_STORE(c, peek_stop(p, id));
	if (rc == -EALREADY) {
		api_fail(c, 409, "not_capturing", "id", "capture session %s is %s, not capturing",
		    id, peek_capture_info(peek_find(p, id))->status);
		return;
	}
	api_reply(c, 200, capture_json(peek_find(p, id)));
}

void
api_delete_capture(struct api_call *c)
{
	struct peek *p = peek_of(c);
	char id[API_PEEK_ID_MAX + 1];
	int rc;

	if (p == NULL || path_capture(c, p, id) == NULL)
		return;
	rc = API_STORE(c, peek_delete(p, id));
	if (rc < 0) {
		api_fail(c, 500, "store_failed", "", "cannot remove capture session %s", id);
		return;
	}
	c->status = 204;
}

void
api_get_capture_pcap(struct api_call *c)
{
	struct peek *p = peek_of(c);
	const struct peek_capture *pc;
	char id[API_PEEK_ID_MAX + 1];
	int rc;

	if (p == NULL || (pc = path_capture(c, p, id)) == NULL)
		return;
	rc = peek_open_file(p, id, &c->fd, &c->fd_size);
	if (rc == -EBUSY) {
		api_fail(c, 409, "still_capturing", "id",
		    "capture session %s is still capturing: stop it first", id);
		return;
	}
	if (rc < 0) {
		api_fail(c, 404, "no_file", "id", "capture session %s has no file (%s)", id,
		    peek_capture_info(pc)->failed_reason);
		return;
	}
	c->text_type = "application/vnd.tcpdump.pcapng";
	snprintf(c->disposition, sizeof(c->disposition), "attachment; filename=\"%s%s%s.pcapng\"",
	    peek_capture_info(pc)->prefix, peek_capture_info(pc)->prefix[0] != '\0' ? "_" : "", id);
	c->status = 200;
}
