/*
 * The evidence API (issue 7): streamed uploads into the evidence store,
 * the case's items, an item with its chain of custody, and the file itself
 * with Range requests, every handing-out logged as custody.
 *
 * An upload (POST /api/v1/cases/{id}/evidence?name=...&kind=...&device=...
 * &captured_at=...&location=..., the body being the file's bytes) runs in
 * three parts, driven by server.c (through api.c's http_stream_*):
 * api_evidence_stream_begin() on the first call, after the dispatcher's
 * checks and before any body byte (metadata, the user's right to act on the
 * case, the declared size against evidence_max_size_mb);
 * api_evidence_stream_write() for each chunk; and the handler,
 * api_evidence_upload(), on the last call (commit, 201).  A
 * connection cut in between leaves the upload open, and req_free() aborts
 * it: nothing is half-stored.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api_routes.h"
#include "date.h"
#include "text.h"

#define NAME_MAX_CHARS 255
#define LIST_MAX 500

/* ---- upload ------------------------------------------------------------- */

static const char *const upload_query[] = {"kind", "device", "name", "captured_at",
					   "location", NULL};

int api_evidence_stream_begin(struct http_req *req, struct zf_error *err)
{
	struct store *st;
	struct evidence_meta m = {0};
	const char *key, *s;
	json_t *by = NULL;
	bool yes;
	int rc;
	if ((rc = api_begin(req, upload_query, &st, err)) ||
	    (rc = api_path_key(req, "id", &key, err)))
		return rc;
	m.case_key = key;
	m.original_name = http_query(req, "name");
	if ((rc = text_check(m.original_name, "name", NAME_MAX_CHARS, true, err)))
		return rc;
	m.kind = api_query_opt(req, "kind");
	m.device = api_query_opt(req, "device");
	m.location = api_query_opt(req, "location");
	m.captured_at = req->ctx.now_us;
	if ((s = api_query_opt(req, "captured_at")) &&
	    (rc = instant_parse(s, &m.captured_at, "captured_at", err)))
		return rc;
	m.declared_size = req->content_length > 0 ? req->content_length : 0;
	/* like a note: one of the case's officers, or a head */
	if ((rc = api_case_may_act(req, st, key, &yes, err)))
		return rc;
	if (!yes)
		return api_not_assigned(err, "", "当前用户不是本案的承办执法人员，也不是负责人，"
					"不能为本案上传证据", NULL);
	if (req->user.officer_id && *req->user.officer_id) {
		if (!(by = json_pack("[s]", req->user.officer_id)))
			return http_oom(err);
		m.captured_by = by;
	}
	rc = store_evidence_begin(st, &req->ctx, &m, &req->upload, err);
	json_decref(by);
	return rc;
}

void api_evidence_stream_write(struct http_req *req, const void *p, size_t n)
{
	if (req->upload)
		req->upload_rc = store_evidence_write(req->upload, p, n, &req->upload_err);
}

int api_evidence_upload(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct evidence_item e = {0};
	int rc;
	if ((rc = http_stream_status(req, req->upload != NULL, err)))
		return rc;
	rc = store_evidence_commit(req->upload, &e, err);
	req->upload = NULL;
	if (rc == ZF_ECONFLICT && !strcmp(err->code, "evidence_exists") && e.id[0]) {
		json_t *doc = json_pack("{s{ssssss}ss}", "error", "code", err->code, "message",
					err->message, "field", err->field, "id", e.id);
		evidence_item_release(&e);
		return http_reply(resp, 409, doc, err);
	}
	if (rc) {
		evidence_item_release(&e);
		return rc;
	}
	json_t *doc = evidence_item_to_json(&e);
	evidence_item_release(&e);
	return http_reply(resp, 201, doc, err);
}

/* ---- reads -------------------------------------------------------------- */

static const char *const list_query[] = {"limit", "after", "status", NULL};

int api_evidence_list(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st;
	struct evidence_filter f = {0};
	struct evidence_item *items = NULL;
	size_t n = 0;
	const char *s;
	int rc;
	if ((rc = api_begin(req, list_query, &st, err)) ||
	    (rc = api_path_key(req, "id", &f.case_key, err)))
		return rc;
	f.limit = LIST_MAX;
	if ((s = http_query(req, "limit"))) {
		char *end;
		long long v = strtoll(s, &end, 10);
		if (!*s || *end || v < 1 || v > LIST_MAX)
			return zf_fail(err, ZF_EINVAL, "invalid_number", "limit",
				       "“limit”应为 1 到 %d 之间的整数", LIST_MAX);
		f.limit = v;
	}
	f.after = http_query(req, "after");
	f.status = http_query(req, "status");
	/* an unknown case is 404, not an empty list */
	json_t *cdoc = NULL;
	if ((rc = store_case_get(st, &req->ctx, f.case_key, &cdoc, err)))
		return rc;
	json_decref(cdoc);
	if ((rc = store_evidence_list(st, &req->ctx, &f, &items, &n, err)))
		return rc;
	json_t *arr = json_array();
	json_t *doc = arr ? json_pack("{so}", "items", arr) : NULL;
	for (size_t i = 0; doc && i < n; i++)
		if (json_array_append_new(arr, evidence_item_to_json(&items[i]))) {
			json_decref(doc);
			doc = NULL;
		}
	if (doc && (int64_t)n == f.limit && n &&
	    json_object_set_new(doc, "next", json_string(items[n - 1].id))) {
		json_decref(doc);
		doc = NULL;
	}
	store_evidence_list_free(items, n);
	return http_reply(resp, 200, doc, err);
}

int api_evidence_get(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st;
	struct evidence_item e = {0};
	json_t *custody = NULL, *doc;
	const char *key;
	int rc;
	if ((rc = api_begin(req, NULL, &st, err)) || (rc = api_path_key(req, "id", &key, err)) ||
	    (rc = store_evidence_get(st, &req->ctx, key, &e, err)))
		goto out;
	if ((rc = store_evidence_custody(st, req->ctx.org_id, e.id, &custody, err)))
		goto out;
	doc = evidence_item_to_json(&e);
	if (!doc || json_object_set_new(doc, "custody", custody)) {
		custody = NULL;
		json_decref(doc);
		rc = http_oom(err);
		goto out;
	}
	custody = NULL;
	rc = http_reply(resp, 200, doc, err);
out:
	json_decref(custody);
	evidence_item_release(&e);
	return rc;
}

/* ---- the file ----------------------------------------------------------- */

static const char *content_type_of(const struct evidence_item *e)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{"jpg", "image/jpeg"}, {"jpeg", "image/jpeg"}, {"png", "image/png"},
		{"gif", "image/gif"}, {"webp", "image/webp"}, {"bmp", "image/bmp"},
		{"tif", "image/tiff"}, {"tiff", "image/tiff"}, {"heic", "image/heic"},
		{"mp4", "video/mp4"}, {"m4v", "video/mp4"}, {"mov", "video/quicktime"},
		{"webm", "video/webm"}, {"avi", "video/x-msvideo"}, {"mkv", "video/x-matroska"},
		{"mp3", "audio/mpeg"}, {"m4a", "audio/mp4"}, {"aac", "audio/aac"},
		{"wav", "audio/wav"}, {"ogg", "audio/ogg"}, {"amr", "audio/amr"},
		{"pdf", "application/pdf"}, {"txt", "text/plain; charset=utf-8"},
	};
	char ext[16];
	evidence_file_ext(e->original_name ? e->original_name : "", ext);
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(ext, types[i].ext))
			return types[i].type;
	if (e->kind && !strcmp(e->kind, "photo"))
		return "image/jpeg";
	if (e->kind && !strcmp(e->kind, "video"))
		return "video/mp4";
	if (e->kind && !strcmp(e->kind, "audio"))
		return "audio/mpeg";
	return "application/octet-stream";
}

/* Digits into *out; false if none or too many. */
static bool parse_u64(const char **p, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;
	if (*s < '0' || *s > '9')
		return false;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*p = s;
	*out = v;
	return true;
}

/*
 * A single range "bytes=a-b", "bytes=a-" or "bytes=-n" of a file of size
 * bytes: 1 with [*from, *from + *len) when satisfiable, -1 when not (416),
 * 0 when the header is absent or not one we serve (the whole file, as RFC
 * 9110 §14.2 allows).
 */
static int parse_range(const char *h, uint64_t size, uint64_t *from, uint64_t *len)
{
	uint64_t a = 0, b = 0;
	const char *p = h;
	if (!h || strncmp(p, "bytes=", 6))
		return 0;
	p += 6;
	if (*p == '-') {
		p++;
		if (!parse_u64(&p, &b) || *p)
			return 0;
		if (!b)
			return -1;
		if (b > size)
			b = size;
		*from = size - b;
		*len = b;
		return 1;
	}
	if (!parse_u64(&p, &a) || *p != '-')
		return 0;
	p++;
	if (!*p) {
		b = size ? size - 1 : 0;
	} else if (!parse_u64(&p, &b) || *p || b < a) {
		return 0;
	}
	if (a >= size)
		return -1;
	if (b >= size)
		b = size - 1;
	*from = a;
	*len = b - a + 1;
	return 1;
}

static const char *const content_query[] = {"inline", NULL};

int api_evidence_content(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st;
	struct evidence_item e = {0};
	char *path = NULL;
	const char *key, *s;
	struct stat sb;
	uint64_t from = 0, len = 0;
	json_t *detail = NULL;
	bool view;
	int fd = -1, rng, rc;
	if ((rc = api_begin(req, content_query, &st, err)) ||
	    (rc = api_path_key(req, "id", &key, err)))
		return rc;
	s = http_query(req, "inline");
	view = s && (!strcmp(s, "1") || !strcmp(s, "true"));
	if ((rc = store_evidence_path(st, &req->ctx, key, &path, &e, err)))
		goto out;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
		rc = zf_fail(err, ZF_EIO, errno == ENOENT ? "evidence_blob_missing"
							  : "evidence_unreadable",
			     "", "证据文件无法读取");
		goto out;
	}
	rng = parse_range(req->range, (uint64_t)sb.st_size, &from, &len);
	if (rng < 0) {
		snprintf(resp->content_range, sizeof(resp->content_range), "bytes */%" PRIu64,
			 (uint64_t)sb.st_size);
		resp->status = 416;
		rc = zf_fail(err, ZF_EINVAL, "range_not_satisfiable", "Range",
			     "请求的范围超出文件大小（%" PRIu64 " 字节）", (uint64_t)sb.st_size);
		goto out;
	}
	if (!rng) {
		from = 0;
		len = (uint64_t)sb.st_size;
	}
	/* custody: who had which bytes (no personal data in the detail) */
	char range[64];
	snprintf(range, sizeof(range), "%" PRIu64 "-%" PRIu64, from, from + len - 1);
	if (!(detail = json_pack("{ssss}", "via", "api", "bytes", range))) {
		rc = http_oom(err);
		goto out;
	}
	if ((rc = store_evidence_log(st, &req->ctx, e.id, view ? "evidence.view"
							       : "evidence.download",
				     detail, NULL, err)))
		goto out;
	resp->status = rng ? 206 : 200;
	if (rng)
		snprintf(resp->content_range, sizeof(resp->content_range),
			 "bytes %" PRIu64 "-%" PRIu64 "/%" PRIu64, from, from + len - 1,
			 (uint64_t)sb.st_size);
	resp->content_type = content_type_of(&e);
	zf_strlcpy(resp->disposition, view ? "inline" : "attachment",
		   sizeof(resp->disposition));
	resp->accept_ranges = true;
	resp->fd = fd;
	resp->fd_off = from;
	resp->fd_len = len;
	fd = -1;
out:
	if (fd >= 0)
		close(fd);
	json_decref(detail);
	zf_free(path);
	evidence_item_release(&e);
	return rc;
}
