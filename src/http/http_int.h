/*
 * http_int.h: internals shared by the files of src/http/.  Nothing outside
 * src/http/ (except its unit tests) may include this header.
 *
 * A request moves through server.c like this:
 *
 *   first call      → req_new(): copy method and path, start the clocks
 *   body chunks     → appended to req->body, at most cfg->max_body bytes
 *   last call       → dispatch(): route lookup, handler, one response
 *   completed       → access-log line, req_free()
 *
 * Handlers see only struct http_req and struct http_resp; they never touch
 * libmicrohttpd, so they can be unit-tested by calling them directly.
 */
#ifndef ZF_HTTP_INT_H
#define ZF_HTTP_INT_H

#include "buf.h"
#include "http.h"

/* What lives as long as the server: the config now, the store later. */
struct http_server {
	struct http_config cfg;	/* defaults filled in */
};

struct http_req {
	const struct http_server *srv;
	char method[16];	/* "GET", ...; longer methods are cut */
	char *path;		/* decoded path without the query; owned */
	struct buf body;	/* at most srv->cfg.max_body bytes */
	bool body_too_big;
	unsigned status;	/* status queued; 0 until then */
	int64_t start_us;	/* wall clock, UTC microseconds, for the log */
	int64_t start_mono_us;	/* monotonic clock, for the duration */
};

/*
 * A response under construction.  content_type points at a static string;
 * body is owned until server.c hands it to libmicrohttpd.
 */
struct http_resp {
	unsigned status;
	const char *content_type;
	char allow[64];		/* the Allow header of a 405, else "" */
	struct buf body;
};

#define HTTP_RESP_BODY_MAX ((size_t)4 << 20)
#define HTTP_CT_JSON "application/json"
#define HTTP_CT_HTML "text/html; charset=utf-8"

/*
 * Returns ZF_OK with resp filled in, or an error with err filled in, which
 * the server turns into a JSON error with the status http_status_for()
 * gives.  A handler that fails must not leave a half-written body behind
 * that it expects to be sent: the server resets it.
 */
typedef int (*http_handler_fn)(struct http_req *req, struct http_resp *resp,
			       struct zf_error *err);

enum http_route_flags {
	HTTP_ROUTE_PUBLIC = 1u << 0,	/* needs no login */
};

struct http_route {
	const char *method;	/* "GET" also answers HEAD */
	const char *path;	/* exact match */
	http_handler_fn handler;
	unsigned flags;		/* enum http_route_flags */
};

extern const struct http_route http_routes[];
extern const size_t http_routes_len;

/*
 * The route for method and path, or NULL.  *path_known tells a 404 (no route
 * has this path) from a 405 (another method has it).
 */
const struct http_route *http_route_find(const char *method, const char *path,
					 bool *path_known);
/*
 * Write the Allow header value for path ("GET, HEAD") to out; false if no
 * route has the path or out is too small.
 */
bool http_route_allow(const char *path, char *out, size_t size);

/*
 * Open a listening TCP socket on addr (close-on-exec, non-blocking, with
 * SO_REUSEADDR).  ZF_EIO "listen_failed" with a Chinese reason on failure.
 */
int http_listen_open(const struct sockaddr_in *addr, int *fd,
		     struct zf_error *err) ZF_WUR;
/* "A.B.C.D:PORT" into out; out must hold HTTP_ADDR_STR_LEN bytes. */
#define HTTP_ADDR_STR_LEN 22
void http_addr_format(const struct sockaddr_in *addr, char *out);

void http_resp_init(struct http_resp *resp);
void http_resp_release(struct http_resp *resp);
/* The one table from zf_err to HTTP status. */
unsigned http_status_for(int rc);
/*
 * Replace resp by {"error":{"code","message","field"}} from err, with the
 * given status.  ZF_ENOMEM if even that cannot be built.
 */
int http_resp_error(struct http_resp *resp, unsigned status,
		    const struct zf_error *err) ZF_WUR;
/* Append s to b with & < > " ' escaped, for text and attribute values. */
int http_html_escape(struct buf *b, const char *s) ZF_WUR;

#endif
