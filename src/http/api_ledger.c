/*
 * The ledger API.  Auditors (审计员, 审计管理员) read entries, the head and
 * the verify report of their organisation, or with ?org= of one below it.
 *
 * The /public/ routes need no login: anyone (a court, the 司法局, a party)
 * fetches the newest signed checkpoint, the public key and proofs, and
 * checks them offline with `zhifa ledger check-proof` or any RFC 9162
 * verifier.  With no session there is no organisation, so they name it:
 * ?org= is its id or its six-digit division code.  They give hashes only,
 * never an entry's contents.
 */
#include <string.h>

#include "api_routes.h"
#include "http_int.h"
#include "text.h"
#include "uuid.h"

#define HTTP_CT_TEXT "text/plain; charset=utf-8"
#define ENTRIES_LIMIT_DEFAULT 100
#define ENTRIES_LIMIT_MAX 1000
#define SEQ_MAX (INT64_MAX / 2)

int api_ledger_entries(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	static const char *const query[] = {"org", "after", "limit", NULL};
	struct store *st;
	struct zf_ctx ctx;
	int64_t after = 0, limit = ENTRIES_LIMIT_DEFAULT;
	json_t *arr = NULL;
	int rc;
	if ((rc = api_begin_read(req, query, &st, &ctx, err)) ||
	    (rc = api_query_int(req, "after", false, 0, SEQ_MAX, &after, err)) ||
	    (rc = api_query_int(req, "limit", false, 1, ENTRIES_LIMIT_MAX, &limit, err)) ||
	    (rc = store_ledger_list(st, ctx.org_id, after, limit, &arr, err)))
		return rc;
	return http_reply(resp, 200, arr, err);
}

/* As `zhifa ledger show --entry SEQ`: decoded, canonical bytes, leaf hash. */
int api_ledger_entry(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	static const char *const query[] = {"org", NULL};
	struct store *st;
	struct zf_ctx ctx;
	int64_t seq = 0;
	json_t *out = NULL;
	int rc;
	if ((rc = api_begin_read(req, query, &st, &ctx, err)) ||
	    (rc = text_parse_int(http_param(req, "seq"), 1, SEQ_MAX, &seq, "seq", err)) ||
	    (rc = store_ledger_entry(st, ctx.org_id, seq, &out, err)))
		return rc;
	return http_reply(resp, 200, out, err);
}

/*
 * As `zhifa ledger verify --json`.  Problems found are the report, not an
 * error: 200 with "ok": false and the first bad items in "problems".
 */
int api_ledger_verify(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	static const char *const query[] = {"org", NULL};
	struct store *st;
	struct zf_ctx ctx;
	struct store_verify r;
	int rc;
	if ((rc = api_begin_read(req, query, &st, &ctx, err)) ||
	    (rc = store_ledger_verify(st, ctx.org_id, &r, err)))
		return rc;
	json_t *doc = json_pack("{sb sI sI sO}", "ok", json_array_size(r.problems) == 0,
				"entries", (json_int_t)r.entries, "objects",
				(json_int_t)r.objects, "problems", r.problems);
	store_verify_release(&r);
	return http_reply(resp, 200, doc, err);
}

int api_ledger_head(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	static const char *const query[] = {"org", NULL};
	struct store *st;
	struct zf_ctx ctx;
	json_t *out = NULL;
	int rc;
	if ((rc = api_begin_read(req, query, &st, &ctx, err)) ||
	    (rc = store_ledger_head(st, ctx.org_id, &out, err)))
		return rc;
	return http_reply(resp, 200, out, err);
}

/* ---- public: no login ---------------------------------------------------- */

static bool division_code(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (s[n] < '0' || s[n] > '9')
			return false;
	return n == 6;
}

/* The query check and the organisation ?org= names: its id or division code. */
static int public_org(struct http_req *req, const char *const *query, struct store **st,
		      char org_id[REG_ID_LEN], struct zf_error *err)
{
	const char *key = http_query(req, "org");
	struct org o = {0};
	int rc;
	if (!(*st = http_store(req, err)))
		return ZF_EIO;
	if ((rc = api_query_allow(req, query, err)))
		return rc;
	if (!key || !*key)
		return zf_fail(err, ZF_EINVAL, "required", "org",
			       "须用 org 参数给出机构标识或六位行政区划代码");
	if (!uuid_is_valid(key) && !division_code(key))
		return zf_fail(err, ZF_EINVAL, "invalid_org", "org",
			       "org 应为机构标识（UUID）或六位行政区划代码");
	if (store_org_find(*st, key, &o, NULL) != ZF_OK) {
		org_release(&o);
		return zf_fail(err, ZF_ENOTFOUND, "org_not_found", "org", "找不到机构“%s”", key);
	}
	zf_strlcpy(org_id, o.id, REG_ID_LEN);
	org_release(&o);
	return ZF_OK;
}

static int text_reply(struct http_resp *resp, const char *text, struct zf_error *err)
{
	if (!text || buf_puts(&resp->body, text))
		return http_oom(err);
	resp->status = 200;
	resp->content_type = HTTP_CT_TEXT;
	return ZF_OK;
}

/* The newest signed checkpoint note, as `zhifa ledger checkpoint` prints it. */
int api_public_checkpoint(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	static const char *const query[] = {"org", NULL};
	struct store *st;
	char org_id[REG_ID_LEN];
	char *note = NULL;
	int rc;
	if (!(rc = public_org(req, query, &st, org_id, err)) &&
	    !(rc = store_ledger_checkpoint_latest(st, org_id, &note, err)))
		rc = text_reply(resp, note, err);
	zf_free(note);
	return rc;
}

/* The public key as PEM, as `zhifa ledger pubkey` prints it. */
int api_public_pubkey(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	static const char *const query[] = {"org", NULL};
	struct store *st;
	char org_id[REG_ID_LEN];
	json_t *out = NULL;
	int rc;
	if (!(rc = public_org(req, query, &st, org_id, err)) &&
	    !(rc = store_ledger_pubkey(st, org_id, &out, err)))
		rc = text_reply(resp, json_string_value(json_object_get(out, "public_pem")), err);
	json_decref(out);
	return rc;
}

/*
 * As `zhifa ledger prove --entry I [--size N]`: without size, the proof is
 * against the newest checkpoint, which is what an outsider holds.
 */
int api_public_proof(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	static const char *const query[] = {"org", "entry", "size", NULL};
	struct store *st;
	char org_id[REG_ID_LEN];
	int64_t seq = 0, size = 0;
	json_t *out = NULL;
	int rc;
	if ((rc = public_org(req, query, &st, org_id, err)) ||
	    (rc = api_query_int(req, "entry", true, 1, SEQ_MAX, &seq, err)) ||
	    (rc = api_query_int(req, "size", false, 1, SEQ_MAX, &size, err)) ||
	    (rc = store_ledger_prove(st, org_id, seq, size, &out, err)))
		return rc;
	return http_reply(resp, 200, out, err);
}

/* As `zhifa ledger consistency --from M --to N`. */
int api_public_consistency(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	static const char *const query[] = {"org", "from", "to", NULL};
	struct store *st;
	char org_id[REG_ID_LEN];
	int64_t m = 0, n = 0;
	json_t *out = NULL;
	int rc;
	if ((rc = public_org(req, query, &st, org_id, err)) ||
	    (rc = api_query_int(req, "from", true, 0, SEQ_MAX, &m, err)) ||
	    (rc = api_query_int(req, "to", true, 1, SEQ_MAX, &n, err)) ||
	    (rc = store_ledger_consistency(st, org_id, m, n, &out, err)))
		return rc;
	return http_reply(resp, 200, out, err);
}
