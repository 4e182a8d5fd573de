#include <jansson.h>
#include <string.h>
#include <unistd.h>

#include "http_int.h"

void http_resp_init(struct http_resp *resp)
{
	resp->status = 200;
	resp->content_type = HTTP_CT_JSON;
	resp->allow[0] = '\0';
	resp->set_cookie = NULL;
	buf_init(&resp->body, HTTP_RESP_BODY_MAX);
	resp->fd = -1;
	resp->fd_off = resp->fd_len = 0;
	resp->content_range[0] = '\0';
	resp->disposition[0] = '\0';
	resp->accept_ranges = false;
	resp->error_extra = NULL;
}

void http_resp_release(struct http_resp *resp)
{
	buf_release(&resp->body);
	zf_freep(&resp->set_cookie);
	json_decref(resp->error_extra);
	resp->error_extra = NULL;
	if (resp->fd >= 0)
		close(resp->fd);
	resp->fd = -1;
}

/*
 * The only place a zf_err becomes an HTTP status (STYLE §3).  A refusal by
 * a rule is 409 (DESIGN "API conventions"): the request was understood and
 * allowed, but the law forbids the act in the case's present state, and the
 * body names the rule and its article.
 */
static const struct {
	int rc;
	unsigned status;
} status_map[] = {
	{ ZF_OK, 200 },
	{ ZF_EINVAL, 400 },
	{ ZF_EUSAGE, 400 },
	{ ZF_ENOTFOUND, 404 },
	{ ZF_ECONFLICT, 409 },
	{ ZF_ETOOBIG, 413 },
	{ ZF_EREFUSED, 409 },
	{ ZF_EAUTH, 401 },
	{ ZF_EFORBIDDEN, 403 },
	{ ZF_ERATE, 429 },
	{ ZF_ESTORE, 500 },
	{ ZF_ENOMEM, 503 },
	{ ZF_EIO, 500 },
};

unsigned http_status_for(int rc)
{
	for (size_t i = 0; i < ZF_ARRAY_LEN(status_map); i++)
		if (status_map[i].rc == rc)
			return status_map[i].status;
	return 500;
}

static int dump_to_buf(const char *p, size_t n, void *data)
{
	return buf_append(data, p, n) ? -1 : 0;
}

/*
 * zf_fail() cuts a long message at a byte count, which can split a UTF-8
 * sequence, and jansson refuses invalid UTF-8: drop the partial tail.
 */
static json_t *utf8_string(const char *s)
{
	size_t n = strlen(s);
	json_t *j = json_stringn(s, n);

	for (int cut = 0; !j && cut < 3 && n > 0; cut++)
		j = json_stringn(s, --n);
	return j ? j : json_string("");
}

int http_resp_error(struct http_resp *resp, unsigned status,
		    const struct zf_error *err)
{
	json_t *doc = json_object();
	json_t *e = json_object();
	int rc = ZF_ENOMEM;

	buf_reset(&resp->body);
	resp->status = status;
	resp->content_type = HTTP_CT_JSON;
	if (resp->fd >= 0)
		close(resp->fd);
	resp->fd = -1;
	resp->disposition[0] = '\0';
	resp->accept_ranges = false;
	/* json_object_set_new() takes the value even when it fails. */
	if (!doc || !e || json_object_set_new(e, "code", utf8_string(err->code)) ||
	    json_object_set_new(e, "message", utf8_string(err->message)) ||
	    json_object_set_new(e, "field", utf8_string(err->field)))
		goto out;
	if (json_object_set(doc, "error", e) ||
	    (resp->error_extra && json_object_update_missing(doc, resp->error_extra)) ||
	    json_dump_callback(doc, dump_to_buf, &resp->body, JSON_COMPACT))
		goto out;
	rc = ZF_OK;
out:
	json_decref(e);
	json_decref(doc);
	if (rc)
		buf_reset(&resp->body);
	return rc;
}

int http_html_escape(struct buf *b, const char *s)
{
	for (; *s; s++) {
		const char *ent;
		int rc;

		switch (*s) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = "&quot;"; break;
		case '\'': ent = "&#39;"; break;
		default: ent = NULL; break;
		}
		rc = ent ? buf_puts(b, ent) : buf_putc(b, *s);
		if (rc)
			return rc;
	}
	return ZF_OK;
}
