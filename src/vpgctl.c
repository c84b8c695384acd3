/*
 * vpgctl: the command line over vpgd's REST API (docs/API.md). The table of
 * sub-commands lives in cli/cli_table.c and everything printed from an answer
 * in cli/cli_format.c; this file only picks the row, sends the request with
 * libcurl and hands the answer back. Every failure exits 1, having said why
 * on stderr.
 */
#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli_format.h"
#include "cli/cli_table.h"

struct reply {
	long status;
	char *body;
	size_t len;
	char next[256]; /* the next page's path, from a Link header (RFC 8288) */
};

/* Keeps the target of a `Link: <PATH>; rel="next"` header. */
static size_t
on_header(char *line, size_t size, size_t n, void *arg)
{
	struct reply *r = arg;
	size_t len = size * n;
	const char *lt, *gt;

	if (len > 5 && strncasecmp(line, "link:", 5) == 0 &&
	    memmem(line, len, "rel=\"next\"", 10) && (lt = memchr(line, '<', len)) != NULL &&
	    (gt = memchr(lt, '>', len - (size_t)(lt - line))) != NULL &&
	    (size_t)(gt - lt - 1) < sizeof(r->next))
		snprintf(r->next, sizeof(r->next), "%.*s", (int)(gt - lt - 1), lt + 1);
	return len;
}

static size_t
on_data(char *p, size_t size, size_t n, void *arg)
{
	return fwrite(p, size, n, arg);
}

/* The headers of the request; NULL if curl could not allocate them. */
static struct curl_slist *
request_headers(const struct cli_opts *o, const char *body, const char *method)
{
	struct curl_slist *h = NULL, *next;
	char *auth = NULL;
	const char *lines[3] = { "Expect:", NULL, NULL };

	/* curl labels any POST body a form; an empty one must carry no type. */
	if (body != NULL)
		lines[1] = "Content-Type: application/json";
	else if (strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0)
		lines[1] = "Content-Type:";
	if (o->token != NULL && *o->token != '\0') {
		if (asprintf(&auth, "Authorization: Bearer %s", o->token) < 0)
			return NULL;
		lines[2] = auth;
	}
	for (size_t i = 0; i < 3; i++) {
		if (lines[i] == NULL)
			continue;
		if ((next = curl_slist_append(h, lines[i])) == NULL) {
			curl_slist_free_all(h);
			h = NULL;
			break;
		}
		h = next;
	}
	free(auth);
	return h;
}

static void
set_method(CURL *c, const char *method, const char *body)
{
	if (strcmp(method, "GET") == 0) {
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
		return;
	}
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (body != NULL || strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body != NULL ? body : "");
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)(body != NULL ? strlen(body) : 0));
	}
}

static void
set_common(CURL *c, const struct cli_opts *o, FILE *sink, char *errbuf)
{
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, o->timeout);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, o->timeout);
	curl_easy_setopt(c, CURLOPT_DEFAULT_PROTOCOL, "http");
#if LIBCURL_VERSION_NUM >= 0x075500
	/* A mistyped endpoint must not make vpgctl speak FTP or read a file. */
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#endif
	curl_easy_setopt(c, CURLOPT_USERAGENT, "vpgctl");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, sink);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
}

/*
 * Sends one request and collects the answer, whatever its status. Returns 0,
 * or -1 after saying why when no answer came.
 */
static int
http_call(const struct cli_opts *o, const char *method, const char *path, const char *body,
    struct reply *r)
{
	char url[2048], errbuf[CURL_ERROR_SIZE] = "";
	size_t n = strlen(o->endpoint);
	struct curl_slist *h = NULL;
	FILE *sink = NULL;
	CURL *c = NULL;
	CURLcode rc = CURLE_OUT_OF_MEMORY;

	while (n > 0 && o->endpoint[n - 1] == '/')
		n--;
	if (snprintf(url, sizeof(url), "%.*s%s", (int)n, o->endpoint, path) >= (int)sizeof(url)) {
		rc = CURLE_URL_MALFORMAT;
		goto out;
	}
	if ((sink = open_memstream(&r->body, &r->len)) == NULL || (c = curl_easy_init()) == NULL ||
	    (h = request_headers(o, body, method)) == NULL)
		goto out;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
	set_method(c, method, body);
	set_common(c, o, sink, errbuf);
	if ((rc = curl_easy_perform(c)) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
out:
	curl_slist_free_all(h);
	if (c != NULL)
		curl_easy_cleanup(c);
	if (sink != NULL)
		fclose(sink);
	if (rc == CURLE_OK)
		return 0;
	fprintf(stderr, "vpgctl: cannot reach %s: %s\n", o->endpoint,
	    *errbuf != '\0' ? errbuf : curl_easy_strerror(rc));
	return -1;
}

/*
 * A list the API answers in pages (GET /v1/sessions): the pages that follow,
 * each named by the last one's Link header, appended to the first's array.
 * At most 10,000 pages. Returns 0, or -1 after saying why.
 */
#define MAX_PAGES 10000

static int
follow_pages(const struct cli_opts *o, struct reply *r)
{
	json_t *all = json_loadb(r->body, r->len, 0, NULL);
	char *text;
	int pages = 1;

	if (!json_is_array(all)) {
		json_decref(all);
		return 0; /* printed as it came: the printer says what is wrong with it */
	}
	while (r->next[0] != '\0' && pages++ < MAX_PAGES) {
		struct reply page = { 0, NULL, 0, "" };
		json_t *more;
		char path[sizeof(r->next)];

		snprintf(path, sizeof(path), "%s", r->next);
		r->next[0] = '\0';
		more = http_call(o, "GET", path, NULL, &page) == 0 && page.status == 200
			   ? json_loadb(page.body, page.len, 0, NULL)
			   : NULL;
		/* json_is_array is a macro that reads its argument twice: never a call in it. */
		if (!json_is_array(more)) {
			fprintf(stderr, "vpgctl: the next page (%s) did not come\n", path);
			free(page.body);
			json_decref(more);
			json_decref(all);
			return -1;
		}
		json_array_extend(all, more);
		json_decref(more);
		memcpy(r->next, page.next, sizeof(r->next));
		free(page.body);
	}
	if ((text = json_dumps(all, JSON_COMPACT)) == NULL) {
		json_decref(all);
		return -1;
	}
	free(r->body);
	r->body = text;
	r->len = strlen(text);
	json_decref(all);
	return 0;
}

/* The answer's body into the file a CLI_OUTPUT argument names: 0, or -1 after saying why. */
static int
save_body(const char *file, const struct reply *r)
{
	FILE *f = fopen(file, "wb");

	if (f == NULL || fwrite(r->body, 1, r->len, f) != r->len) {
		fprintf(stderr, "vpgctl: cannot write %s: %s\n", file, strerror(errno));
		if (f != NULL)
			fclose(f);
		return -1;
	}
	if (fclose(f) != 0) {
		fprintf(stderr, "vpgctl: cannot write %s: %s\n", file, strerror(errno));
		return -1;
	}
	printf("%s: %zu bytes\n", file, r->len);
	return 0;
}

/* Sends cmd with its checked arguments and prints the answer. */
static int
run(const struct cli_opts *o, const struct cli_cmd *cmd, const char *const *vals)
{
	struct reply r = { 0, NULL, 0, "" };
	char path[CLI_PATH_LEN], *body = NULL;
	json_t *j = NULL;
	int rc = -1;

	if (cli_build_path(cmd, vals, path, sizeof(path)) < 0) {
		fprintf(stderr, "vpgctl: the arguments make too long a path\n");
		return -1;
	}
	if (cmd->body != NULL &&
	    ((j = cmd->body(cmd, vals)) == NULL || (body = json_dumps(j, JSON_COMPACT)) == NULL)) {
		fprintf(stderr, "vpgctl: out of memory\n");
		goto out;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "vpgctl: cannot initialise libcurl\n");
		goto out;
	}
	if (http_call(o, cmd->method, path, body, &r) == 0) {
		if (r.status < 200 || r.status > 299)
			cli_print_error(stderr, r.status, r.body, r.len);
		else if (cli_output_file(cmd, vals) != NULL)
			rc = save_body(cli_output_file(cmd, vals), &r);
		else if (r.next[0] == '\0' || follow_pages(o, &r) == 0)
			rc = cli_print_response(stdout, stderr, cmd, o->json, r.body, r.len);
	}
	curl_global_cleanup();
out:
	free(r.body);
	free(body);
	json_decref(j);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct cli_opts o = { CLI_DEFAULT_ENDPOINT, NULL, CLI_DEFAULT_TIMEOUT };
	const char *vals[CLI_MAX_ARGS], *env;
	const struct cli_cmd *cmd;
	int n = argc - 1, nwords;

	if ((env = getenv("VPGCTL_ENDPOINT")) != NULL && *env != '\0')
		o.endpoint = env;
	o.token = getenv("VPGCTL_TOKEN");
	if (cli_parse_opts(stderr, &o, &n, argv + 1) < 0)
		return 1;
	cmd = cli_find(n, argv + 1, &nwords);
	if (o.help) {
		if (cmd != NULL)
			cli_usage_cmd(stdout, cmd);
		else
			cli_usage(stdout, n > 0 ? argv[1] : NULL);
		return 0;
	}
	if (cmd == NULL) {
		cli_usage(stderr, n > 0 ? argv[1] : NULL);
		return 1;
	}
	if (cli_parse_args(stderr, cmd, n - nwords, argv + 1 + nwords, vals) < 0)
		return 1;
	return run(&o, cmd, vals) < 0 ? 1 : 0;
}
