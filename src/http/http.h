/*
 * http: zhifa's HTTP server, built on libmicrohttpd.
 *
 * http_serve() runs the server in the calling thread until SIGTERM or
 * SIGINT, then stops it and returns.  Requests are dispatched through one
 * route table (routes.c); every error leaves as the same JSON shape the CLI
 * prints, {"error":{"code","message","field"}}, and each zf_err maps to an
 * HTTP status in exactly one place (response.c).
 *
 * No libmicrohttpd type appears in this header, so the CLI can start the
 * server without knowing what serves it.  The module uses lib/ and, later,
 * store/ and domain/; nothing else may depend on http/.
 */
#ifndef ZF_HTTP_H
#define ZF_HTTP_H

#include <netinet/in.h>

#include "zf.h"

#define HTTP_LISTEN_DEFAULT "127.0.0.1:8080"
#define HTTP_THREADS_DEFAULT 2u
#define HTTP_THREADS_MAX 64u
#define HTTP_MAX_BODY_DEFAULT ((size_t)1 << 20)

/*
 * What http_serve() needs.  The caller keeps ownership of the strings, which
 * must stay valid until http_serve() returns.  Zero or NULL fields take the
 * defaults above.
 */
struct http_config {
	const char *listen;	/* "127.0.0.1:8080" */
	const char *db_path;	/* the database to serve; "" serves health only */
	unsigned threads;	/* worker threads; default 2 */
	size_t max_body;	/* largest request body accepted, in bytes */
	unsigned session_idle_s; /* idle sessions end; default 1800 (30 minutes) */
	bool secure_cookie;	/* behind TLS: mark the session cookie Secure */
};

/*
 * Parse a listen address: strict IPv4 "A.B.C.D:PORT", each part decimal
 * without leading zeros, port 1-65535.  On failure returns ZF_EINVAL with
 * code "invalid_listen" and field "listen", and leaves *out untouched.
 */
int http_parse_listen(const char *s, struct sockaddr_in *out,
		      struct zf_error *err) ZF_WUR;

/*
 * Serve HTTP until SIGTERM or SIGINT arrives, then stop and return ZF_OK.
 *
 * It blocks SIGTERM and SIGINT in the calling thread before any server
 * thread starts (threads inherit the mask, so only sigwait() here sees
 * them), and restores the caller's mask before returning.  Call it from the
 * main thread of a process that has started no other threads.
 *
 * Prints "zhifa serving http://ADDR:PORT/ (database PATH)" to stdout once
 * listening, one access-log line per request and "zhifa: stopped" to
 * stderr.  Errors: ZF_EINVAL "invalid_listen" (field "listen") or
 * "invalid_threads" (field "threads") for a bad config; ZF_EIO
 * "listen_failed" when the address cannot be bound; ZF_EIO
 * "server_failed" when the server cannot start.
 */
int http_serve(const struct http_config *cfg, struct zf_error *err) ZF_WUR;

#endif
