#include <inttypes.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "date.h"
#include "http_int.h"

/* An idle keep-alive connection holds a slot; 30 s frees it soon enough. */
#define CONN_TIMEOUT_S 30u
/*
 * libmicrohttpd's per-connection pool holds the request line, the headers
 * and the read buffer; 64 KiB leaves room for long cookies later while
 * bounding what one connection can pin.
 */
#define CONN_MEMORY_LIMIT ((size_t)64 << 10)
/* Escaped bytes take four characters; longer paths are cut in the log. */
#define LOG_PATH_MAX 1024

/*
 * Served when even the JSON error cannot be built: a static body needs no
 * allocation.
 */
static const char oom_body[] =
	"{\"error\":{\"code\":\"out_of_memory\",\"message\":\"服务器内存不足\","
	"\"field\":\"\"}}";

/* The wall clock, read only for the log line and durations (not "now"). */
static int64_t clock_us(clockid_t id)
{
	struct timespec ts;

	if (clock_gettime(id, &ts))
		return 0;
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static struct http_req *req_new(struct http_server *srv,
				const char *method, const char *url)
{
	struct http_req *req = zf_calloc(1, sizeof(*req));

	if (!req)
		return NULL;
	req->srv = srv;
	zf_strlcpy(req->method, method, sizeof(req->method));
	/* Copied: libmicrohttpd's strings may be gone when the log is written. */
	req->path = zf_strdup(url);
	if (!req->path) {
		zf_free(req);
		return NULL;
	}
	buf_init(&req->body, srv->cfg.max_body);
	req->content_length = -1;
	req->start_us = clock_us(CLOCK_REALTIME);
	req->start_mono_us = clock_us(CLOCK_MONOTONIC);
	return req;
}

static void req_free(struct http_req *req)
{
	if (!req)
		return;
	/* an upload still open was cut (or refused): nothing is kept */
	http_stream_release(req);
	zf_free(req->range);
	http_req_release_api(req);
	buf_release(&req->body);
	zf_free(req->path);
	zf_free(req);
}

/*
 * Paths are client-chosen bytes after percent-decoding: escape everything
 * but printable ASCII so a request cannot forge log lines or send terminal
 * control sequences to whoever tails the log.
 */
static void log_escape(const char *s, char *out, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		bool plain = c > 0x20 && c < 0x7f && c != '\\';

		if (o + (plain ? 1 : 4) + 4 > size) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		if (plain) {
			out[o++] = (char)c;
			continue;
		}
		out[o++] = '\\';
		out[o++] = 'x';
		out[o++] = hex[c >> 4];
		out[o++] = hex[c & 0xf];
	}
	out[o] = '\0';
}

static void access_log(const struct http_req *req)
{
	char when[INSTANT_STR_LEN];
	char method[4 * sizeof(req->method) + 4];
	char path[LOG_PATH_MAX];
	char status[12] = "-";
	int64_t took = clock_us(CLOCK_MONOTONIC) - req->start_mono_us;

	instant_format(req->start_us, when);
	log_escape(req->method, method, sizeof(method));
	log_escape(req->path, path, sizeof(path));
	if (req->status)
		snprintf(status, sizeof(status), "%u", req->status);
	/* One fprintf per line: stdio's lock keeps threads' lines whole. */
	fprintf(stderr, "%s %s %s %s %s %" PRId64 "us\n", when,
		req->user_log[0] ? req->user_log : "-", method, path, status, took);
}

static enum MHD_Result queue(struct MHD_Connection *conn,
			     struct http_req *req, unsigned status,
			     struct MHD_Response *r, const char *content_type,
			     const char *allow, const char *set_cookie)
{
	enum MHD_Result ret = MHD_NO;

	if (!r)
		return MHD_NO;
	if (!MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				     content_type) ||
	    !MHD_add_response_header(r, MHD_HTTP_HEADER_X_CONTENT_TYPE_OPTIONS,
				     "nosniff") ||
	    !MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
				     "no-store") ||
	    (allow && *allow &&
	     !MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, allow)) ||
	    (set_cookie &&
	     !MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE, set_cookie)))
		goto out;
	ret = MHD_queue_response(conn, status, r);
	if (ret == MHD_YES)
		req->status = status;
out:
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result send_oom(struct MHD_Connection *conn,
				struct http_req *req)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
		sizeof(oom_body) - 1, (void *)oom_body, MHD_RESPMEM_PERSISTENT);

	return queue(conn, req, 503, r, HTTP_CT_JSON, NULL, NULL);
}

/* Headers beyond queue()'s: a file answer's ranges and disposition. */
static bool extra_headers(struct MHD_Response *r, const struct http_resp *resp)
{
	return (!resp->content_range[0] ||
		MHD_add_response_header(r, "Content-Range", resp->content_range)) &&
	       (!resp->accept_ranges ||
		MHD_add_response_header(r, "Accept-Ranges", "bytes")) &&
	       (!resp->disposition[0] ||
		MHD_add_response_header(r, "Content-Disposition", resp->disposition));
}

static enum MHD_Result send_resp(struct MHD_Connection *conn,
				 struct http_req *req, struct http_resp *resp)
{
	struct MHD_Response *r;
	size_t len;
	char *body;

	if (resp->fd >= 0) {
		/* libmicrohttpd owns the descriptor from here (closes it) */
		r = MHD_create_response_from_fd_at_offset64(resp->fd_len, resp->fd,
							    resp->fd_off);
		if (!r)
			return send_oom(conn, req);
		resp->fd = -1;
		if (!extra_headers(r, resp)) {
			MHD_destroy_response(r);
			return send_oom(conn, req);
		}
		return queue(conn, req, resp->status, r, resp->content_type,
			     resp->allow, resp->set_cookie);
	}
	body = buf_detach(&resp->body, &len);

	if (!body)
		return send_oom(conn, req);
	/* The response takes the body and frees it once it has been sent. */
	r = MHD_create_response_from_buffer_with_free_callback(len, body,
							       zf_free);
	if (!r) {
		zf_free(body);
		return send_oom(conn, req);
	}
	if (!extra_headers(r, resp)) {
		MHD_destroy_response(r);
		return send_oom(conn, req);
	}
	return queue(conn, req, resp->status, r, resp->content_type,
		     resp->allow, resp->set_cookie);
}

static enum MHD_Result respond(struct MHD_Connection *conn,
			       struct http_req *req)
{
	struct http_resp resp;
	struct zf_error err;
	enum MHD_Result ret;
	unsigned status = 0;
	int rc;

	zf_error_clear(&err);
	http_resp_init(&resp);
	if (req->body_too_big) {
		rc = zf_fail(&err, ZF_ETOOBIG, "body_too_large", "",
			     "请求正文超过 %zu 字节的上限",
			     req->srv->cfg.max_body);
	} else {
		rc = http_dispatch(req, &resp, &err);
		/* 405 must name the methods that would work (RFC 9110 §15.5.6);
		 * 416 carries its Content-Range. */
		if (rc && (resp.status == 405 || resp.status == 416))
			status = resp.status;
	}
	if (rc && http_resp_error(&resp, status ? status : http_status_for(rc),
				  &err)) {
		http_resp_release(&resp);
		return send_oom(conn, req);
	}
	ret = send_resp(conn, req, &resp);
	http_resp_release(&resp);
	return ret;
}

/*
 * A declared body larger than the limit is refused before it is read.
 * A malformed Content-Length is libmicrohttpd's to reject, so it is not
 * "too big" here.
 */
static bool declared_too_big(struct MHD_Connection *conn, size_t max)
{
	const char *s = MHD_lookup_connection_value(
		conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	uint64_t v = 0;

	if (!s || !*s)
		return false;
	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > max)
			return true;
	}
	return false;
}

/* Query arguments that are not UTF-8, or too many, make the request bad
 * (400) rather than silently disappearing. */
static enum MHD_Result add_query(void *cls, enum MHD_ValueKind kind,
				 const char *key, const char *value)
{
	struct http_req *req = cls;
	json_t *v = value ? json_string(value) : json_string("");
	(void)kind;
	if (!key || !v || json_object_size(req->query) >= 64 ||
	    json_object_set_new(req->query, key, v)) {
		if (v && (!key || json_object_size(req->query) >= 64))
			json_decref(v);
		req->query_bad = true;
	}
	return MHD_YES;
}

static char *header(struct MHD_Connection *conn, enum MHD_ValueKind kind,
		    const char *name)
{
	const char *v = MHD_lookup_connection_value(conn, kind, name);
	return v && strlen(v) <= 512 ? zf_strdup(v) : NULL;
}

/* What the API layer needs from the request, copied while it is here. */
static void capture(struct http_req *req, struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	req->cookie_token = header(conn, MHD_COOKIE_KIND, "zhifa_session");
	req->csrf = header(conn, MHD_HEADER_KIND, "X-CSRF-Token");
	req->idem_key = header(conn, MHD_HEADER_KIND, "Idempotency-Key");
	req->range = header(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_RANGE);
	const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl && *cl && strlen(cl) <= 18 && strspn(cl, "0123456789") == strlen(cl))
		req->content_length = (int64_t)strtoll(cl, NULL, 10);
	req->query = json_object();
	if (req->query)
		MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, add_query, req);
	if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)ci->client_addr;
		http_addr_format(in, req->addr);
		char *colon = strrchr(req->addr, ':');
		if (colon)
			*colon = '\0';
	}
}

/* The first call of a streamed route: the checks and the upload's begin. */
static enum MHD_Result stream_start(struct MHD_Connection *conn, struct http_req *req)
{
	struct http_resp resp;
	struct zf_error err;
	enum MHD_Result ret;
	unsigned status = 0;
	int rc;

	zf_error_clear(&err);
	http_resp_init(&resp);
	rc = http_dispatch_prepare(req, &resp, &err);
	if (rc && resp.status == 405)
		status = 405;
	if (!rc)
		rc = http_stream_begin(req, &err);
	if (!rc) {
		http_resp_release(&resp);
		return MHD_YES;
	}
	if (http_resp_error(&resp, status ? status : http_status_for(rc), &err)) {
		http_resp_release(&resp);
		return send_oom(conn, req);
	}
	ret = send_resp(conn, req, &resp);
	http_resp_release(&resp);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
				  const char *url, const char *method,
				  const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	struct http_server *srv = cls;
	struct http_req *req = *con_cls;

	(void)version;
	if (!req) {
		req = req_new(srv, method, url);
		if (!req)
			return MHD_NO;
		capture(req, conn);
		*con_cls = req;
		/*
		 * A streamed upload is checked (session, role, CSRF, its
		 * metadata and declared size) before its first byte; a refusal
		 * is answered at once (and the connection closed).
		 */
		if (http_route_streams(req->method, req->path))
			return stream_start(conn, req);
		/*
		 * Answering on this first call makes libmicrohttpd close
		 * the connection (debian-deps.md §3): right for a body we
		 * refuse to read, wrong for everything else, which waits
		 * for the second call.
		 */
		if (declared_too_big(conn, srv->cfg.max_body)) {
			req->body_too_big = true;
			return respond(conn, req);
		}
		return MHD_YES;
	}
	if (req->status) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (*upload_data_size && req->streaming) {
		/* bounded memory: each chunk goes straight to the evidence
		 * store (or the spool file); after a write error the rest is
		 * read and dropped, and the handler answers the error at the
		 * end */
		http_stream_write(req, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (*upload_data_size) {
		/*
		 * Only a chunked body gets past declared_too_big().
		 * libmicrohttpd 0.9.75 cannot queue a response while the
		 * body is still arriving, and reading the rest to answer
		 * 413 afterwards would let a client stream for ever, so
		 * drop the connection (the log shows status "-").
		 */
		if (buf_append(&req->body, upload_data, *upload_data_size)) {
			req->body_too_big = true;
			buf_release(&req->body);
			return MHD_NO;
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	return respond(conn, req);
}

static void on_completed(void *cls, struct MHD_Connection *conn,
			 void **con_cls, enum MHD_RequestTerminationCode toe)
{
	struct http_req *req = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (!req)
		return;
	access_log(req);
	req_free(req);
	*con_cls = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	fputs("zhifa: http: ", stderr);
	vfprintf(stderr, fmt, ap);
}

static int fill_defaults(const struct http_config *in, struct http_config *cfg,
			 struct zf_error *err)
{
	*cfg = *in;
	if (!cfg->listen)
		cfg->listen = HTTP_LISTEN_DEFAULT;
	if (!cfg->db_path)
		cfg->db_path = "";
	if (!cfg->threads)
		cfg->threads = HTTP_THREADS_DEFAULT;
	if (!cfg->max_body)
		cfg->max_body = HTTP_MAX_BODY_DEFAULT;
	if (!cfg->session_idle_s)
		cfg->session_idle_s = 1800;
	if (cfg->threads > HTTP_THREADS_MAX)
		return zf_fail(err, ZF_EINVAL, "invalid_threads", "threads",
			       "线程数必须在 1 到 %u 之间", HTTP_THREADS_MAX);
	return ZF_OK;
}

/*
 * At shutdown every organisation with a signing key gets a checkpoint of
 * its current head (ledger issue); failures are reported, not fatal.
 */
static void checkpoint_all(struct http_server *srv)
{
	struct org *orgs = NULL;
	size_t n = 0;
	if (!srv->st || store_org_list(srv->st, &orgs, &n, NULL))
		return;
	for (size_t i = 0; i < n; i++) {
		json_t *settings = NULL, *out = NULL;
		struct zf_ctx ctx = {0};
		struct zf_error err = {0};
		FILE *f;
		char pem[16384];
		size_t len;
		if (store_org_settings(srv->st, orgs[i].id, &settings, NULL))
			continue;
		const char *path = json_string_value(json_object_get(settings, "ledger_key_path"));
		if (path && (f = fopen(path, "rb"))) {
			len = fread(pem, 1, sizeof(pem) - 1, f);
			fclose(f);
			pem[len] = '\0';
			zf_strlcpy(ctx.org_id, orgs[i].id, sizeof(ctx.org_id));
			zf_strlcpy(ctx.actor, "server", sizeof(ctx.actor));
			if (ctx_now_from_env(&ctx.now_us, &err) ||
			    store_ledger_checkpoint(srv->st, &ctx, pem, len, &out, &err))
				fprintf(stderr, "zhifa: checkpoint at shutdown failed: %s\n",
					err.message);
			OPENSSL_cleanse(pem, sizeof(pem));
		}
		json_decref(out);
		json_decref(settings);
	}
	store_org_list_free(orgs, n);
}

int http_serve(const struct http_config *cfg, struct zf_error *err)
{
	struct http_server srv = {0};
	struct sockaddr_in addr;
	char where[HTTP_ADDR_STR_LEN];
	struct MHD_Daemon *d;
	sigset_t stop, old;
	int fd = -1;
	int sig;
	int rc;

	rc = fill_defaults(cfg, &srv.cfg, err);
	if (rc)
		return rc;
	if (srv.cfg.db_path[0]) {
		struct store_opts opts = {.create = false};
		if ((rc = store_open(srv.cfg.db_path, &opts, &srv.st, err)))
			return rc;
	}
	http_sessions_init(&srv.sessions);
	http_attempts_init(&srv.attempts);
	rc = http_parse_listen(srv.cfg.listen, &addr, err);
	if (rc)
		return rc;
	http_addr_format(&addr, where);

	/*
	 * Block the stop signals before libmicrohttpd starts its threads,
	 * which inherit the mask; otherwise the kernel may deliver SIGTERM
	 * to one of them and sigwait() below never sees it.
	 */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	if (pthread_sigmask(SIG_BLOCK, &stop, &old))
		return zf_fail(err, ZF_EIO, "server_failed", "",
			       "无法屏蔽停止信号");

	rc = http_listen_open(&addr, &fd, err);
	if (rc)
		goto out;
	d = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG,
			     0, NULL, NULL, on_request, &srv,
			     MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
			     MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
			     MHD_OPTION_THREAD_POOL_SIZE,
			     (unsigned int)srv.cfg.threads,
			     MHD_OPTION_CONNECTION_TIMEOUT,
			     (unsigned int)CONN_TIMEOUT_S,
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT,
			     (size_t)CONN_MEMORY_LIMIT,
			     MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
			     MHD_OPTION_END);
	if (!d) {
		/*
		 * The socket is not closed here: whether libmicrohttpd
		 * already closed it depends on how far it got, and closing
		 * twice could close someone else's descriptor.  The caller
		 * exits on this error anyway.
		 */
		rc = zf_fail(err, ZF_EIO, "server_failed", "",
			     "HTTP 服务无法启动（%s）", where);
		goto out;
	}

	printf("zhifa serving http://%s/ (database %s)\n", where,
	       srv.cfg.db_path);
	fflush(stdout);
	/* sigwait() fails only for an invalid set; stop in that case too. */
	(void)sigwait(&stop, &sig);
	/* Also closes the listening socket. */
	MHD_stop_daemon(d);
	/* in-flight requests have finished: sign the heads before closing */
	checkpoint_all(&srv);
	fputs("zhifa: stopped\n", stderr);
	rc = ZF_OK;
out:
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	http_sessions_release(&srv.sessions);
	http_attempts_release(&srv.attempts);
	store_close(srv.st);
	return rc;
}
