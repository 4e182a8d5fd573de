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

#include <jansson.h>
#include <pthread.h>

#include "auth.h"
#include "buf.h"
#include "ctx.h"
#include "http.h"
#include "store.h"

/* What lives as long as the server: the config now, the store later. */
struct http_session;
struct api_spool;

/* Logged-in sessions, in memory: a restart logs everyone out. */
struct http_sessions {
	pthread_mutex_t mu;
	struct http_session *items;
	size_t n;
};

/* Login attempts per client address and failures per user. */
struct http_attempts {
	pthread_mutex_t mu;
	struct http_attempt *items;
	size_t n;
};

struct http_server {
	struct http_config cfg;	/* defaults filled in */
	struct store *st;	/* shared by the request threads (NULL: health only) */
	struct http_sessions sessions;
	struct http_attempts attempts;
};

struct http_req {
	struct http_server *srv;
	char method[16];	/* "GET", ...; longer methods are cut */
	char *path;		/* decoded path without the query; owned */
	struct buf body;	/* at most srv->cfg.max_body bytes */
	bool body_too_big;
	unsigned status;	/* status queued; 0 until then */
	int64_t start_us;	/* wall clock, UTC microseconds, for the log */
	int64_t start_mono_us;	/* monotonic clock, for the duration */
	/* captured from the request on its first call */
	char *cookie_token;	/* the zhifa_session cookie */
	char *csrf;		/* X-CSRF-Token */
	char *idem_key;		/* Idempotency-Key */
	char addr[64];		/* client address */
	json_t *query;		/* query-string arguments */
	bool query_bad;		/* an argument was not UTF-8, or there were too many */
	/* filled by the dispatcher */
	json_t *params;		/* path parameters of the route */
	const struct http_route *route;
	bool logged_in;
	struct user user;	/* the logged-in user */
	struct zf_ctx ctx;	/* organisation, actor and "now" of this request */
	char user_log[40];	/* user name for the access log */
	bool prepared;		/* http_dispatch_prepare() has run (and passed) */
	char *range;		/* the Range header, or NULL */
	int64_t content_length;	/* the declared Content-Length, -1 if none */
	/* a streamed upload (HTTP_ROUTE_STREAM): open until commit or abort;
	 * req_free() aborts one still open (a connection cut mid-upload) */
	struct store_evidence_upload *upload;
	/* or a body kept in an unlinked temporary file until the handler
	 * reads it (a weigh-in-motion CSV, api_overload.c): the store's
	 * import holds the write lock from begin to commit, so it must not
	 * wait on the network between chunks; req_free() drops it */
	struct api_spool *spool;
	bool streaming;		/* http_stream_begin() passed: chunks go to
				 * http_stream_write() */
	int upload_rc;		/* the first write error, ZF_OK while none */
	struct zf_error upload_err;
};

/*
 * A response under construction.  content_type points at a static string;
 * body is owned until server.c hands it to libmicrohttpd.
 */
struct http_resp {
	unsigned status;
	const char *content_type;
	char allow[64];		/* the Allow header of a 405, else "" */
	char *set_cookie;	/* a Set-Cookie header, owned, or NULL */
	struct buf body;
	/* a file answer instead of body: fd (>= 0, owned until handed to
	 * libmicrohttpd) from fd_off, fd_len bytes */
	int fd;
	uint64_t fd_off, fd_len;
	char content_range[96];	/* a Content-Range header, or "" */
	char disposition[16];	/* a Content-Disposition header (inline |
				 * attachment), or "" */
	bool accept_ranges;	/* send Accept-Ranges: bytes */
	/* members a failing handler adds beside "error" in the error body
	 * (e.g. a strict import's "rows_refused"), an object, owned, or NULL;
	 * never sent with a success */
	json_t *error_extra;
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
	HTTP_ROUTE_WRITES = 1u << 1,	/* changes data: CSRF token, Idempotency-Key */
	HTTP_ROUTE_LEDGERED = 1u << 2,	/* writes ledger entries */
	HTTP_ROUTE_LOGIN = 1u << 3,	/* the login itself: no session, no CSRF yet */
	/*
	 * The body is streamed, never kept in memory: server.c runs the
	 * dispatcher's checks (http_dispatch_prepare) and the route's
	 * http_stream_begin() on the first call, before any body byte, feeds
	 * each chunk to http_stream_write() and runs the handler on the last
	 * call.  No Idempotency-Key replay (the body is not hashed), and the
	 * server's max_body does not apply.
	 */
	HTTP_ROUTE_STREAM = 1u << 4,
};

/*
 * The one place that says who may do what: every route with its method,
 * path pattern ({name} captures a segment), handler, flags and the roles
 * (enum auth_role bits) allowed.  The OpenAPI document is made from it.
 */
struct http_route {
	const char *method;	/* "GET" also answers HEAD */
	const char *path;	/* e.g. /api/v1/cases/{id} */
	http_handler_fn handler;
	unsigned flags;		/* enum http_route_flags */
	unsigned roles;		/* allowed roles; ignored for public routes */
	const char *summary;	/* 中文, for the OpenAPI document */
};

extern const struct http_route http_routes[];
extern const size_t http_routes_len;

/*
 * The route for method and path, or NULL.  *path_known tells a 404 (no route
 * has this path) from a 405 (another method has it).
 */
/* Match method and path; *params (new object, caller frees) gets the {name}s. */
const struct http_route *http_route_find(const char *method, const char *path,
					 bool *path_known, json_t **params);
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
 * given status, and the members of resp->error_extra (if any) beside
 * "error".  ZF_ENOMEM if even that cannot be built.
 */
int http_resp_error(struct http_resp *resp, unsigned status,
		    const struct zf_error *err) ZF_WUR;
/* Append s to b with & < > " ' escaped, for text and attribute values. */
int http_html_escape(struct buf *b, const char *s) ZF_WUR;

/* ---- the API layer (api.c) ---- */

/* Route, authenticate, authorise, replay idempotent writes, run the handler. */
int http_dispatch(struct http_req *req, struct http_resp *resp, struct zf_error *err);
/* The checks alone (route, session, role, CSRF), before any body byte:
 * sets req->route and req->prepared on success; http_dispatch() then skips
 * them.  resp gets the Allow header of a 405. */
int http_dispatch_prepare(struct http_req *req, struct http_resp *resp,
			  struct zf_error *err);
/* Is the route of method and path a streamed one (HTTP_ROUTE_STREAM)? */
bool http_route_streams(const char *method, const char *path);
/* A streamed upload: begin on the first call, after
 * http_dispatch_prepare(); write each chunk (the first error is kept in
 * req->upload_rc, what was stored so far is released at once and the rest
 * of the body is read and dropped); release what a cut or refused upload
 * left open (req_free).  api.c hands each to the route's own functions
 * (evidence: api_evidence.c, weigh-in-motion imports: api_overload.c).
 * http_stream_status() is how the route's handler starts: the kept write
 * error, or 400 "upload_not_started" unless `begun` (what its begin
 * function opened is still there). */
int http_stream_begin(struct http_req *req, struct zf_error *err);
void http_stream_write(struct http_req *req, const void *p, size_t n);
void http_stream_release(struct http_req *req);
int http_stream_status(const struct http_req *req, bool begun, struct zf_error *err) ZF_WUR;
void http_sessions_init(struct http_sessions *s);
void http_sessions_release(struct http_sessions *s);
void http_attempts_init(struct http_attempts *a);
void http_attempts_release(struct http_attempts *a);
void http_req_release_api(struct http_req *req);

/* Answer with a JSON document (stolen; NULL means out of memory). */
int http_reply(struct http_resp *resp, unsigned status, json_t *doc,
	       struct zf_error *err) ZF_WUR;
/* The request body as a JSON object whose members are all in `allowed`
 * (NULL-terminated); 400 "invalid_json" / "unknown_field" otherwise. */
int http_body(struct http_req *req, const char *const *allowed, json_t **out,
	      struct zf_error *err) ZF_WUR;
/* A string member: present (if required), a string, at most max characters. */
int http_str(const json_t *body, const char *key, bool required, long max,
	     const char **out, struct zf_error *err) ZF_WUR;
int http_int(const json_t *body, const char *key, bool required, int64_t min,
	     int64_t max, int64_t *out, struct zf_error *err) ZF_WUR;
const char *http_param(const struct http_req *req, const char *name);
const char *http_query(const struct http_req *req, const char *name);
/* Handlers' door to the store: 503 when the server runs without one. */
struct store *http_store(struct http_req *req, struct zf_error *err);

/*
 * Helpers the API groups share: the query and the organisation a request
 * reads in api.c, the rest in api_shared.c.
 *
 * api_query_allow(): every query argument must be in `allowed`
 * (NULL-terminated, may be NULL), valid UTF-8 without control characters
 * and at most 200 characters; otherwise 400 "unknown_parameter" or
 * "invalid_text" naming it.  An unexpected "org" is 403 "org_read_only":
 * supervision reads, it never writes.
 *
 * api_scope_org(): the context a read acts in: req->ctx, with the
 * organisation named by ?org= (id, division code or name) when given.  It
 * must be the user's own organisation or one below it (walking parent_id);
 * any other, existing or not, is 404 "org_not_found".
 */
int api_query_allow(const struct http_req *req, const char *const *allowed,
		    struct zf_error *err);
int api_scope_org(struct http_req *req, struct store *st, struct zf_ctx *ctx,
		  struct zf_error *err);

/* The organisation `key` (id, division code or name) if the user may see
 * it: their own or one below it; else 404 naming `field`. */
int api_org_visible(struct http_req *req, struct store *st, const char *key,
		    const char *field, struct org *out, struct zf_error *err) ZF_WUR;

/* Ids, certificate and document numbers, codes: at most this many characters. */
#define API_KEY_MAX 64
/* Officers a body may name: store_case_step() takes at most 12. */
#define API_MAX_OFFICERS 12

/* ZF_ENOMEM "out_of_memory". */
int http_oom(struct zf_error *err) ZF_WUR;

/*
 * How a handler starts: *st is the store (503 without one, as
 * http_store()), then api_query_allow(query).  api_begin_read() goes on to
 * api_scope_org() for a read that may name a subordinate with ?org=.
 */
int api_begin(struct http_req *req, const char *const *query, struct store **st,
	      struct zf_error *err) ZF_WUR;
int api_begin_read(struct http_req *req, const char *const *query, struct store **st,
		   struct zf_ctx *ctx, struct zf_error *err) ZF_WUR;

/* The path parameter `name` (points into req): valid text of at most
 * API_KEY_MAX characters, else 400 "invalid_text". */
int api_path_key(const struct http_req *req, const char *name, const char **out,
		 struct zf_error *err) ZF_WUR;
/* The query argument `name`, NULL when absent or empty. */
const char *api_query_opt(const struct http_req *req, const char *name);
/* A query flag: "1"/"true" or "0"/"false"; absent is false; anything else
 * is 400 "invalid_type". */
int api_query_flag(const struct http_req *req, const char *name, bool *out,
		   struct zf_error *err) ZF_WUR;
/* An integer query argument in [min, max]; absent leaves *out (its default)
 * or, if required, is 400 "required". */
int api_query_int(const struct http_req *req, const char *name, bool required, int64_t min,
		  int64_t max, int64_t *out, struct zf_error *err) ZF_WUR;
/*
 * Answer 200 {"items": [...], "next": id or null} for a list the store was
 * asked for limit + 1 items of: the one too many is dropped and says there
 * is a next page, after the last item's id.  items is stolen.
 */
int api_reply_page(struct http_resp *resp, json_t *items, int64_t limit,
		   struct zf_error *err) ZF_WUR;

/* Is the member `key` there and not null? */
bool api_has(const json_t *body, const char *key);
/* A boolean member: false when absent or null, else 400 "invalid_type" if
 * it is not true or false. */
int api_bool(const json_t *body, const char *key, bool *out, struct zf_error *err) ZF_WUR;
/* A date member "YYYY-MM-DD" (http_str() then date_parse()); def when absent. */
int api_date(const json_t *body, const char *key, bool required, struct zf_date def,
	     struct zf_date *out, struct zf_error *err) ZF_WUR;
/* "officers": an array of 1 to API_MAX_OFFICERS ids or certificate numbers;
 * out (room for API_MAX_OFFICERS) gets pointers into body. */
int api_officers(const json_t *body, bool required, const char **out, size_t *n,
		 struct zf_error *err) ZF_WUR;
/* A case's flags {"major": true, ...}: booleans of the known names only,
 * errors naming `field`. */
int api_case_flags(const json_t *v, const char *field, struct zf_error *err) ZF_WUR;
/* A client-chosen "id" of a new object must be a lower-case UUID (NULL
 * passes); 400 "invalid_id" otherwise. */
int api_client_id_check(const char *id, struct zf_error *err) ZF_WUR;

/*
 * Who the user acts as.  Officers act as themselves: a body naming others
 * than the logged-in user's own officer is refused with 403 "not_assigned",
 * the message saying why and then, in brackets, the group's rule (NULL for
 * none).
 */
int api_not_assigned(struct zf_error *err, const char *field, const char *why,
		     const char *rule);
/* The officer of an id or certificate number; none is bad input, 400
 * "officer_not_found" naming `field`. */
int api_officer_find(struct store *st, struct zf_ctx *ctx, const char *key, const char *field,
		     struct officer *out, struct zf_error *err) ZF_WUR;
/* Does one of keys[0..n) (ids or certificate numbers) name the user's own
 * officer?  Looks them up in order until one does; an unknown one is
 * api_officer_find()'s error naming `field`. */
int api_names_me(struct http_req *req, struct store *st, const char *const *keys, size_t n,
		 const char *field, bool *yes, struct zf_error *err) ZF_WUR;
/* Is officer_id (NULL or "" is not) among the case document's officers? */
bool api_is_case_officer(const json_t *case_doc, const char *officer_id);
/* May the user act on the case `key` (a note, evidence, a weighing linked
 * to it): one of its officers, or a head?  An unknown case is
 * store_case_get()'s error. */
int api_case_may_act(struct http_req *req, struct store *st, const char *key, bool *yes,
		     struct zf_error *err) ZF_WUR;

/* ---- login and sessions (auth.c) ---- */
int api_login(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_logout(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_me(struct http_req *req, struct http_resp *resp, struct zf_error *err);
/* Find the session of a token; fills req->user and ctx; ZF_EAUTH if none. */
int http_session_resume(struct http_req *req, struct zf_error *err) ZF_WUR;
/* End every session of a user but the one of keep_token (may be NULL):
 * after a password change the old sessions must not live on. */
void http_sessions_end_user(struct http_server *srv, const char *user_id,
			    const char *keep_token);
/* The request's X-CSRF-Token must be its session's (403 otherwise). */
int http_session_check_csrf(struct http_req *req, struct zf_error *err) ZF_WUR;

#endif
