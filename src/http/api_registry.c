/*
 * The registry API: organisations and their settings, officers, parties,
 * vehicles, devices, the calendar and deadlines, and users.  Every body is
 * the CLI's --json document, made by the same X_to_json() function.
 *
 * Input: a body is a JSON object whose members are all known (http_body);
 * every member is type-checked and length-capped here and then validated by
 * the domain before anything is written, so a bad request is a 400 naming
 * the field and writes nothing.  Creating routes take an optional
 * client-chosen "id" (a lower-case UUID): a terminal that resends a
 * creation without its Idempotency-Key gets 409 instead of a duplicate.
 *
 * Supervision (issue 5): GET routes take ?org= naming the user's own
 * organisation or one below it, read-only; any other is 404, as if it did
 * not exist.  Writes act on the user's own organisation only; ?org= on a
 * write is 403.
 *
 * Users (等保 2.0 level 3, 三权分立):
 *   - the system administrator creates users with business roles only,
 *     resets passwords and disables users (POST /users, /users/{id}/password,
 *     /users/{id}/disable);
 *   - the security administrator assigns roles, including the three
 *     administrator roles, unlocks users and enrols TOTP (PUT
 *     /users/{id}/roles, POST /users/{id}/unlock, /users/{id}/totp).  Giving
 *     an administrator role to a user without TOTP enrols it in the same
 *     change and shows the secret once, since administrators cannot log in
 *     without it;
 *   - nobody changes their own roles, resets their own password without the
 *     old one or disables themselves: a user changes their own password with
 *     POST /me/password, giving the old one.
 */
#include <string.h>

#include <openssl/crypto.h>

#include "api_routes.h"
#include "date.h"
#include "http_int.h"
#include "text.h"

static struct zf_date today(const struct http_req *req)
{
	return instant_local_date(req->ctx.now_us);
}

static const char *const q_org[] = {"org", NULL};

/* Copy a string member into an owned field (absent leaves it NULL). */
static int take(const json_t *body, const char *key, bool required, long max, char **field,
		struct zf_error *err)
{
	const char *v;
	int rc = http_str(body, key, required, max, &v, err);
	if (rc || !v)
		return rc;
	return zf_set_str(field, v) ? ZF_OK : http_oom(err);
}

/* The optional client-chosen id of a new object. */
static int take_id(const json_t *body, char id[REG_ID_LEN], struct zf_error *err)
{
	const char *v;
	int rc = http_str(body, "id", false, REG_ID_LEN - 1, &v, err);
	if (rc || !v || (rc = api_client_id_check(v, err)))
		return rc;
	zf_strlcpy(id, v, REG_ID_LEN);
	return ZF_OK;
}

/* Roles as an array of codes or one comma-separated string, into out ("a,b"). */
static int take_roles(const json_t *body, const char *key, bool required, struct buf *out,
		      bool *given, struct zf_error *err)
{
	json_t *v = json_object_get(body, key), *e;
	size_t i;
	int rc;
	*given = false;
	if (!v || json_is_null(v))
		return required ? zf_fail(err, ZF_EINVAL, "required", key, "“%s”为必填项", key)
				: ZF_OK;
	if (json_is_string(v)) {
		if ((rc = text_check(json_string_value(v), key, 200, true, err)))
			return rc;
		*given = true;
		return buf_puts(out, json_string_value(v)) ? http_oom(err) : ZF_OK;
	}
	if (!json_is_array(v) || !json_array_size(v) || json_array_size(v) > 16)
		return zf_fail(err, ZF_EINVAL, "invalid_type", key,
			       "“%s”应为角色代码数组（1 到 16 个）或以逗号分隔的字符串", key);
	json_array_foreach(v, i, e) {
		if (!json_is_string(e) || strchr(json_string_value(e), ','))
			return zf_fail(err, ZF_EINVAL, "invalid_type", key,
				       "“%s”的每一项应为一个角色代码", key);
		if ((rc = text_check(json_string_value(e), key, 32, true, err)))
			return rc;
		if (buf_printf(out, "%s%s", i ? "," : "", json_string_value(e)))
			return http_oom(err);
	}
	*given = true;
	return ZF_OK;
}

/* A body that may be absent or {} (POST routes that take nothing). */
static int empty_body(struct http_req *req, json_t **body, struct zf_error *err)
{
	static const char *const none[] = {NULL};
	*body = NULL;
	if (!req->body.len)
		return ZF_OK;
	return http_body(req, none, body, err);
}

/* ---- organisations ------------------------------------------------------- */

/* Is list[i] `root` or below it (within the list)? */
static bool listed_under(const struct org *list, size_t n, size_t i, const char *root)
{
	const struct org *o = &list[i];
	for (size_t depth = 0; o && depth <= n; depth++) {
		if (!strcmp(o->id, root))
			return true;
		const struct org *parent = NULL;
		for (size_t j = 0; o->parent_id && j < n && !parent; j++)
			if (!strcmp(list[j].id, o->parent_id))
				parent = &list[j];
		o = parent;
	}
	return false;
}

int api_org_list(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st;
	struct org *list = NULL;
	size_t n = 0;
	int rc;
	if ((rc = api_begin(req, NULL, &st, err)) || (rc = store_org_list(st, &list, &n, err)))
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < n; i++)
		if (listed_under(list, n, i, req->user.org_id))
			json_array_append_new(arr, org_to_json(&list[i]));
	store_org_list_free(list, n);
	return http_reply(resp, 200, arr, err);
}

/* As `zhifa org show`: the organisation, its settings and ledger size. */
int api_org_show(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st;
	struct org o = {0};
	json_t *settings = NULL, *doc = NULL;
	int64_t size = 0;
	int rc;
	if ((rc = api_begin(req, NULL, &st, err)) ||
	    (rc = api_org_visible(req, st, http_param(req, "id"), "id", &o, err)) ||
	    (rc = store_org_settings(st, o.id, &settings, err)) ||
	    (rc = store_ledger_size(st, o.id, &size, err)))
		goto out;
	if ((doc = org_to_json(&o))) {
		json_object_set_new(doc, "settings", settings);
		settings = NULL;
		json_object_set_new(doc, "ledger_size", json_integer(size));
	}
	rc = http_reply(resp, 200, doc, err);
out:
	json_decref(settings);
	org_release(&o);
	return rc;
}

int api_settings_get(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st;
	struct zf_ctx ctx;
	json_t *settings = NULL;
	int rc;
	if ((rc = api_begin_read(req, q_org, &st, &ctx, err)) ||
	    (rc = store_org_settings(st, ctx.org_id, &settings, err)))
		return rc;
	/* where the signing key lives is for those who administer the server */
	if (!(req->user.roles & (ROLE_SYSTEM_ADMIN | ROLE_SECURITY_ADMIN))) {
		json_object_del(settings, "ledger_key_path");
		json_object_del(settings, "evidence_dir");
	}
	return http_reply(resp, 200, settings, err);
}

/*
 * As `zhifa org set KEY VALUE`; the value may be a string or, for a number
 * setting, an integer.  ledger_key_path names the file the server signs
 * checkpoints with: it is set on the server by `zhifa ledger keygen`, never
 * over the network (a changed path would let an administrator swap the
 * bureau's signing key).
 */
int api_settings_put(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	static const char *const fields[] = {"value", NULL};
	struct store *st;
	json_t *body = NULL, *settings = NULL;
	const char *key = http_param(req, "key"), *value = NULL;
	char num[24];
	int rc;
	if ((rc = api_begin(req, NULL, &st, err)) || (rc = http_body(req, fields, &body, err)))
		goto out;
	json_t *v = json_object_get(body, "value");
	if (json_is_integer(v)) {
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
		value = num;
	} else if ((rc = http_str(body, "value", true, 1024, &value, err))) {
		goto out;
	}
	if (!strcmp(key, "ledger_key_path") || !strcmp(key, "evidence_dir")) {
		/* paths on the server are set on the server, never over the network */
		rc = zf_fail(err, ZF_EFORBIDDEN, "setting_server_only", "key",
			     "该设置（服务器上的路径）只能在服务器上用命令行设置");
		goto out;
	}
	if ((rc = store_org_setting_set(st, &req->ctx, key, value, err)) ||
	    (rc = store_org_settings(st, req->ctx.org_id, &settings, err)))
		goto out;
	rc = http_reply(resp, 200, settings, err);
out:
	json_decref(body);
	return rc;
}

/* ---- officers ------------------------------------------------------------ */

int api_officer_list(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	static const char *const query[] = {"org", "may_act_on", "expiring_within", "status",
					    NULL};
	struct store *st;
	struct zf_ctx ctx;
	struct officer_filter f = {0};
	struct officer *list = NULL;
	size_t n = 0;
	const char *v;
	int64_t within = 0;
	int rc;
	if ((rc = api_begin_read(req, query, &st, &ctx, err)))
		return rc;
	if ((v = http_query(req, "may_act_on"))) {
		if ((rc = date_parse(v, &f.date, "may_act_on", err)))
			return rc;
		f.by_date = true;
	}
	if ((rc = api_query_int(req, "expiring_within", false, 1, 3660, &within, err)))
		return rc;
	f.expiring_within_days = (int)within;
	if ((f.status = http_query(req, "status")) &&
	    (rc = text_check(f.status, "status", 16, true, err)))
		return rc;
	if ((rc = store_officer_list(st, &ctx, &f, &list, &n, err)))
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < n; i++)
		json_array_append_new(arr, officer_to_json(&list[i], today(req)));
	store_officer_list_free(list, n);
	return http_reply(resp, 200, arr, err);
}

int api_officer_show(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st;
	struct zf_ctx ctx;
	struct officer o = {0};
	int rc;
	if (!(rc = api_begin_read(req, q_org, &st, &ctx, err)) &&
	    !(rc = store_officer_get(st, &ctx, http_param(req, "id"), &o, err)))
		rc = http_reply(resp, 200, officer_to_json(&o, today(req)), err);
	officer_release(&o);
	return rc;
}

/* As `zhifa officer add`, options in snake_case. */
int api_officer_add(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	static const char *const fields[] = {"id", "name", "cert_no", "valid_from", "valid_to",
					     "id_number", "phone", "category", "roles",
					     "status", "legal_qualification", NULL};
	struct store *st;
	struct officer o = {0};
	struct buf roles;
	json_t *body = NULL;
	bool given, lq = false;
	int rc;
	buf_init(&roles, 512);
	if ((rc = api_begin(req, NULL, &st, err)) || (rc = http_body(req, fields, &body, err)) ||
	    (rc = take_id(body, o.id, err)) ||
	    (rc = take(body, "name", true, 64, &o.name, err)) ||
	    (rc = take(body, "cert_no", true, 32, &o.cert_no, err)) ||
	    (rc = api_date(body, "valid_from", true, o.valid_from, &o.valid_from, err)) ||
	    (rc = api_date(body, "valid_to", true, o.valid_to, &o.valid_to, err)) ||
	    (rc = take(body, "id_number", false, 32, &o.id_number, err)) ||
	    (rc = take(body, "phone", false, 32, &o.phone, err)) ||
	    (rc = take(body, "category", false, 32, &o.category, err)) ||
	    (rc = take(body, "status", false, 16, &o.status, err)) ||
	    (rc = take_roles(body, "roles", false, &roles, &given, err)) ||
	    (rc = api_bool(body, "legal_qualification", &lq, err)))
		goto out;
	o.legal_qualification = lq;
	if (!zf_set_str(&o.roles, roles.len ? buf_cstr(&roles) : "enforcer")) {
		rc = http_oom(err);
		goto out;
	}
	if (!(rc = store_officer_add(st, &req->ctx, &o, err)))
		rc = http_reply(resp, 201, officer_to_json(&o, today(req)), err);
out:
	json_decref(body);
	buf_release(&roles);
	officer_release(&o);
	return rc;
}

/* As `zhifa officer update`: suspend, revoke, renew, change roles. */
int api_officer_update(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	static const char *const fields[] = {"status", "valid_to", "roles",
					     "legal_qualification", "reason", NULL};
	struct store *st;
	struct officer_patch p = {0};
	struct officer o = {0};
	struct buf roles;
	json_t *body = NULL;
	bool has_roles;
	int rc;
	buf_init(&roles, 512);
	if ((rc = api_begin(req, NULL, &st, err)) || (rc = http_body(req, fields, &body, err)) ||
	    (rc = http_str(body, "status", false, 16, &p.status, err)) ||
	    (rc = api_date(body, "valid_to", false, p.valid_to, &p.valid_to, err)) ||
	    (rc = take_roles(body, "roles", false, &roles, &has_roles, err)) ||
	    (rc = api_bool(body, "legal_qualification", &p.legal_qualification, err)) ||
	    (rc = http_str(body, "reason", false, 200, &p.reason, err)))
		goto out;
	p.set_valid_to = api_has(body, "valid_to");
	p.set_legal_qualification = api_has(body, "legal_qualification");
	if (has_roles)
		p.roles = buf_cstr(&roles);
	if (!(rc = store_officer_update(st, &req->ctx, http_param(req, "id"), &p, &o, err)))
		rc = http_reply(resp, 200, officer_to_json(&o, today(req)), err);
out:
	json_decref(body);
	buf_release(&roles);
	officer_release(&o);
	return rc;
}

/* ---- parties ------------------------------------------------------------- */

int api_party_list(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	static const char *const query[] = {"org", "kind", NULL};
	static const char *const kinds[] = {"person", "org", NULL};
	struct store *st;
	struct zf_ctx ctx;
	struct party *list = NULL;
	size_t n = 0;
	const char *kind = http_query(req, "kind");
	int rc;
	if ((rc = api_begin_read(req, query, &st, &ctx, err)))
		return rc;
	if (kind && !text_in(kind, kinds))
		return zf_fail(err, ZF_EINVAL, "unknown_code", "kind",
			       "当事人类型只能是 person 或 org");
	if ((rc = store_party_list(st, &ctx, kind, &list, &n, err)))
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < n; i++)
		json_array_append_new(arr, party_to_json(&list[i]));
	store_party_list_free(list, n);
	return http_reply(resp, 200, arr, err);
}

int api_party_show(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st;
	struct zf_ctx ctx;
	struct party p = {0};
	int rc;
	if (!(rc = api_begin_read(req, q_org, &st, &ctx, err)) &&
	    !(rc = store_party_get(st, &ctx, http_param(req, "id"), &p, err)))
		rc = http_reply(resp, 200, party_to_json(&p), err);
	party_release(&p);
	return rc;
}

int api_party_add(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	static const char *const fields[] = {"id", "kind", "name", "id_number", "credit_code",
					     "legal_rep", "phone", "address", NULL};
	struct store *st;
	struct party p = {0};
	json_t *body = NULL;
	int rc;
	if (!(rc = api_begin(req, NULL, &st, err)) && !(rc = http_body(req, fields, &body, err)) &&
	    !(rc = take_id(body, p.id, err)) &&
	    !(rc = take(body, "kind", true, 16, &p.kind, err)) &&
	    !(rc = take(body, "name", true, 100, &p.name, err)) &&
	    !(rc = take(body, "id_number", false, 32, &p.id_number, err)) &&
	    !(rc = take(body, "credit_code", false, 32, &p.credit_code, err)) &&
	    !(rc = take(body, "legal_rep", false, 64, &p.legal_rep, err)) &&
	    !(rc = take(body, "phone", false, 32, &p.phone, err)) &&
	    !(rc = take(body, "address", false, 200, &p.address, err)) &&
	    !(rc = store_party_add(st, &req->ctx, &p, err)))
		rc = http_reply(resp, 201, party_to_json(&p), err);
	json_decref(body);
	party_release(&p);
	return rc;
}

/* Personal data erasure (个人信息保护法 Art. 47): the head decides it. */
int api_party_erase(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	static const char *const fields[] = {"reason", NULL};
	struct store *st;
	struct party p = {0};
	json_t *body = NULL;
	const char *reason;
	int rc;
	if (!(rc = api_begin(req, NULL, &st, err)) && !(rc = http_body(req, fields, &body, err)) &&
	    !(rc = http_str(body, "reason", true, 200, &reason, err)) &&
	    !(rc = store_party_erase(st, &req->ctx, http_param(req, "id"), reason, &p, err)))
		rc = http_reply(resp, 200, party_to_json(&p), err);
	json_decref(body);
	party_release(&p);
	return rc;
}

/* ---- vehicles and devices ------------------------------------------------ */

int api_vehicle_list(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st;
	struct zf_ctx ctx;
	struct vehicle *list = NULL;
	size_t n = 0;
	int rc;
	if ((rc = api_begin_read(req, q_org, &st, &ctx, err)) ||
	    (rc = store_vehicle_list(st, &ctx, &list, &n, err)))
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < n; i++)
		json_array_append_new(arr, vehicle_to_json(&list[i]));
	store_vehicle_list_free(list, n);
	return http_reply(resp, 200, arr, err);
}

int api_vehicle_add(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	static const char *const fields[] = {"id", "plate", "config", "axles", "owner", "model",
					     NULL};
	struct store *st;
	struct vehicle v = {0};
	json_t *body = NULL;
	int64_t axles = 0;
	int rc;
	if (!(rc = api_begin(req, NULL, &st, err)) && !(rc = http_body(req, fields, &body, err)) &&
	    !(rc = take_id(body, v.id, err)) &&
	    !(rc = take(body, "plate", true, 16, &v.plate, err)) &&
	    !(rc = take(body, "config", true, 32, &v.config, err)) &&
	    !(rc = http_int(body, "axles", false, 0, 8, &axles, err)) &&
	    !(rc = take(body, "owner", false, 64, &v.owner_id, err)) &&
	    !(rc = take(body, "model", false, 64, &v.model, err))) {
		v.axles = (int)axles;
		if (!(rc = store_vehicle_add(st, &req->ctx, &v, err)))
			rc = http_reply(resp, 201, vehicle_to_json(&v), err);
	}
	json_decref(body);
	vehicle_release(&v);
	return rc;
}

int api_device_list(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st;
	struct zf_ctx ctx;
	struct device *list = NULL;
	size_t n = 0;
	int rc;
	if ((rc = api_begin_read(req, q_org, &st, &ctx, err)) ||
	    (rc = store_device_list(st, &ctx, &list, &n, err)))
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < n; i++)
		json_array_append_new(arr, device_to_json(&list[i]));
	store_device_list_free(list, n);
	return http_reply(resp, 200, arr, err);
}

int api_device_add(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	static const char *const fields[] = {"id", "code", "kind", "name", NULL};
	struct store *st;
	struct device d = {0};
	json_t *body = NULL;
	int rc;
	if (!(rc = api_begin(req, NULL, &st, err)) && !(rc = http_body(req, fields, &body, err)) &&
	    !(rc = take_id(body, d.id, err)) &&
	    !(rc = take(body, "code", true, 32, &d.code, err)) &&
	    !(rc = take(body, "kind", true, 32, &d.kind, err)) &&
	    !(rc = take(body, "name", false, 64, &d.name, err)) &&
	    !(rc = store_device_add(st, &req->ctx, &d, err)))
		rc = http_reply(resp, 201, device_to_json(&d), err);
	json_decref(body);
	device_release(&d);
	return rc;
}

/* ---- calendar and deadlines ---------------------------------------------- */

/* As `zhifa calendar list`: the years loaded, with their counts. */
int api_calendar_list(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st;
	struct zf_ctx ctx;
	struct calendar cal;
	int rc;
	if ((rc = api_begin_read(req, q_org, &st, &ctx, err)) ||
	    (rc = store_calendar_get(st, ctx.org_id, &cal, err)))
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < cal.nyears; i++) {
		int holidays = 0, workdays = 0;
		for (size_t j = 0; j < cal.ndays; j++) {
			if (cal.days[j].date.y != cal.years[i].year)
				continue;
			holidays += cal.days[j].kind == CAL_HOLIDAY;
			workdays += cal.days[j].kind == CAL_WORKDAY;
		}
		json_array_append_new(arr, json_pack("{si si si ss}", "year", cal.years[i].year,
						     "holidays", holidays, "workdays", workdays,
						     "source", cal.years[i].source));
	}
	calendar_release(&cal);
	return http_reply(resp, 200, arr, err);
}

/* The bases cmd_calendar_add() prints; the two must stay the same text. */
static const char *const basis_working_days =
	"期限以工作日计算，不含法定节假日（《行政处罚法》第八十五条；《行政许可法》"
	"第八十二条；《行政强制法》第六十九条）；开始之日不计算在内";
static const char *const basis_days =
	"期间开始之日不计算在内；期间届满的最后一日是法定休假日的，以休假日后的第一日"
	"为期间届满的日期（《民事诉讼法》第八十五条）";

/*
 * As `zhifa calendar add --json` with the organisation's calendar: reads
 * only, so it is a POST without the writes flag (it still needs the CSRF
 * token, as every POST does).
 */
int api_calendar_due(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	static const char *const fields[] = {"from", "working_days", "days", "provisional",
					     NULL};
	struct store *st;
	struct zf_ctx ctx;
	struct calendar cal;
	struct calendar_result res = {0};
	struct zf_date from;
	json_t *body = NULL;
	const char *v;
	int64_t wd = -1, days = -1;
	bool prov = false, have_cal = false;
	int rc;
	if ((rc = api_begin_read(req, q_org, &st, &ctx, err)) ||
	    (rc = http_body(req, fields, &body, err)) ||
	    (rc = http_str(body, "from", true, 10, &v, err)) ||
	    (rc = date_parse(v, &from, "from", err)) ||
	    (rc = http_int(body, "working_days", false, 0, 3660, &wd, err)) ||
	    (rc = http_int(body, "days", false, 0, 3660, &days, err)) ||
	    (rc = api_bool(body, "provisional", &prov, err)))
		goto out;
	if ((wd >= 0) == (days >= 0)) {
		rc = wd >= 0 ? zf_fail(err, ZF_EINVAL, "not_allowed", "days",
				       "working_days 和 days 只能给出一个")
			     : zf_fail(err, ZF_EINVAL, "required", "working_days",
				       "须给出 working_days 或 days 之一");
		goto out;
	}
	if ((rc = store_calendar_get(st, ctx.org_id, &cal, err)))
		goto out;
	have_cal = true;
	bool working = wd >= 0;
	int n = (int)(working ? wd : days);
	if ((rc = calendar_add(&cal, from, working ? CAL_UNIT_WORKING_DAYS : CAL_UNIT_DAYS, n,
			       prov, &res, err)))
		goto out;
	char due[DATE_STR_LEN];
	date_format(res.due, due);
	json_t *skipped = json_array();
	for (size_t i = 0; skipped && i < res.nskipped; i++) {
		char d[DATE_STR_LEN];
		date_format(res.skipped[i].date, d);
		json_array_append_new(skipped, json_pack("{ss ss}", "date", d, "name",
			res.skipped[i].name ? res.skipped[i].name : "周末"));
	}
	json_t *doc = json_pack("{ss ss si ss sb so ss}", "from", v, "unit",
				working ? "working_days" : "days", "n", n, "due", due,
				"provisional", res.provisional, "skipped", skipped, "basis",
				working ? basis_working_days : basis_days);
	if (doc && res.moved) {
		char unmoved[DATE_STR_LEN];
		date_format(res.unmoved, unmoved);
		json_object_set_new(doc, "last_day_before_moving", json_string(unmoved));
	}
	calendar_result_release(&res);
	rc = http_reply(resp, 200, doc, err);
out:
	if (have_cal)
		calendar_release(&cal);
	json_decref(body);
	return rc;
}

/* As `zhifa calendar load FILE`, the file's text in "text". */
int api_calendar_load(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	static const char *const fields[] = {"text", NULL};
	struct store *st;
	json_t *body = NULL;
	size_t moved = 0;
	int rc;
	if ((rc = api_begin(req, NULL, &st, err)) || (rc = http_body(req, fields, &body, err)))
		goto out;
	json_t *t = json_object_get(body, "text");
	/* tabs and newlines are the format: not a text_check() field */
	if (!t || !json_is_string(t)) {
		rc = t ? zf_fail(err, ZF_EINVAL, "invalid_type", "text", "“text”应为字符串")
		       : zf_fail(err, ZF_EINVAL, "required", "text", "“text”为必填项");
		goto out;
	}
	const char *text = json_string_value(t);
	size_t len = json_string_length(t);
	if (!len || strlen(text) != len || len > ((size_t)1 << 20)) {
		rc = zf_fail(err, ZF_EINVAL, "invalid_text", "text",
			     "“text”应为 1 MiB 以内、不含 NUL 的节假日安排文件内容");
		goto out;
	}
	if (!(rc = store_calendar_load(st, &req->ctx, text, len, &moved, err)))
		rc = http_reply(resp, 201, json_pack("{sb sI}", "loaded", 1, "deadlines_moved",
						     (json_int_t)moved), err);
out:
	json_decref(body);
	return rc;
}

int api_deadline_list(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st;
	struct zf_ctx ctx;
	struct deadline *list = NULL;
	size_t n = 0;
	int rc;
	if ((rc = api_begin_read(req, q_org, &st, &ctx, err)) ||
	    (rc = store_deadline_list(st, &ctx, &list, &n, err)))
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < n; i++)
		json_array_append_new(arr, deadline_to_json(&list[i]));
	store_deadline_list_free(list, n);
	return http_reply(resp, 200, arr, err);
}

/* ---- users ----------------------------------------------------------------- */

int api_user_list(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st;
	struct zf_ctx ctx;
	struct user *list = NULL;
	size_t n = 0;
	int rc;
	if ((rc = api_begin_read(req, q_org, &st, &ctx, err)) ||
	    (rc = store_user_list(st, &ctx, &list, &n, err)))
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < n; i++)
		json_array_append_new(arr, user_to_json(&list[i]));
	store_user_list_free(list, n);
	return http_reply(resp, 200, arr, err);
}

/* Check a new password against the policy and hash it (argon2id). */
static int hash_password(const char *password, const char *username, struct buf *hash,
			 struct zf_error *err)
{
	int rc = auth_password_check(password, username, err);
	if (!rc && auth_password_hash(password, hash))
		rc = zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "无法计算密码哈希");
	return rc;
}

/* Wipe a password member of a parsed body before it is freed. */
static void forget(json_t *body, const char *key)
{
	json_t *v = json_object_get(body, key);
	if (json_is_string(v) && json_string_length(v))
		OPENSSL_cleanse((char *)json_string_value(v), json_string_length(v));
}

int api_user_add(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	static const char *const fields[] = {"id", "username", "display_name", "officer",
					     "roles", "password", NULL};
	struct store *st;
	struct user u = {0};
	struct buf roles, hash;
	json_t *body = NULL;
	const char *password;
	bool given;
	int rc;
	buf_init(&roles, 512);
	buf_init(&hash, 512);
	if ((rc = api_begin(req, NULL, &st, err)) || (rc = http_body(req, fields, &body, err)) ||
	    (rc = take_id(body, u.id, err)) ||
	    (rc = take(body, "username", true, 32, &u.username, err)) ||
	    (rc = take(body, "display_name", false, 64, &u.display_name, err)) ||
	    (rc = take(body, "officer", false, 64, &u.officer_id, err)) ||
	    (rc = take_roles(body, "roles", true, &roles, &given, err)) ||
	    (rc = auth_roles_parse(buf_cstr(&roles), &u.roles, err)) ||
	    (rc = http_str(body, "password", true, 128, &password, err)))
		goto out;
	if (u.roles & ROLE_ADMIN) {
		rc = zf_fail(err, ZF_EFORBIDDEN, "admin_role_by_security_admin", "roles",
			     "系统管理员只能新增业务角色的用户；管理员角色由安全管理员分配"
			     "（等保2.0 三级：三权分立）");
		goto out;
	}
	/* everything but the password first: hashing is slow */
	u.password_hash = zf_strdup("$argon2id$");
	if (!u.password_hash) {
		rc = http_oom(err);
		goto out;
	}
	if ((rc = user_validate(&u, err)) || (rc = hash_password(password, u.username, &hash, err)))
		goto out;
	if (!zf_set_str(&u.password_hash, buf_cstr(&hash))) {
		rc = http_oom(err);
		goto out;
	}
	if (!(rc = store_user_add(st, &req->ctx, &u, err)))
		rc = http_reply(resp, 201, user_to_json(&u), err);
out:
	forget(body, "password");
	json_decref(body);
	buf_release(&roles);
	buf_release(&hash);
	user_release(&u);
	return rc;
}

/* The user {id} of the caller's organisation (404 for any other). */
static int target_user(struct http_req *req, struct store *st, struct user *u,
		       struct zf_error *err)
{
	const char *key = http_param(req, "id");
	int rc = text_check(key, "id", 64, true, err);
	if (rc)
		return rc;
	if (store_user_get(st, key, u, NULL) != ZF_OK || strcmp(u->org_id, req->user.org_id)) {
		user_release(u);
		memset(u, 0, sizeof(*u));
		return zf_fail(err, ZF_ENOTFOUND, "user_not_found", "id", "找不到用户“%.60s”", key);
	}
	return ZF_OK;
}

static int not_self(const struct http_req *req, const struct user *u, const char *code,
		    const char *message, struct zf_error *err)
{
	if (strcmp(u->id, req->user.id))
		return ZF_OK;
	return zf_fail(err, ZF_EFORBIDDEN, code, "id", "%s", message);
}

/* One change to a user with its entry; the answer shows `secret` once. */
static int user_change(struct http_req *req, struct http_resp *resp, struct store *st,
		       const char *user_id, const struct user_patch *p, const char *action,
		       const char *secret, struct zf_error *err)
{
	struct user u = {0};
	int rc = store_user_update(st, &req->ctx, user_id, p, action, NULL, &u, err);
	if (rc)
		return rc;
	json_t *doc = user_to_json(&u);
	if (doc && secret)
		json_object_set_new(doc, "totp_secret", json_string(secret));
	user_release(&u);
	return http_reply(resp, 200, doc, err);
}

int api_user_roles(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	static const char *const fields[] = {"roles", NULL};
	struct store *st;
	struct user u = {0};
	struct user_patch p = {.set_roles = true};
	struct buf roles, secret;
	json_t *body = NULL;
	bool given;
	int rc;
	buf_init(&roles, 512);
	buf_init(&secret, 64);
	if ((rc = api_begin(req, NULL, &st, err)) || (rc = http_body(req, fields, &body, err)) ||
	    (rc = take_roles(body, "roles", true, &roles, &given, err)) ||
	    (rc = auth_roles_parse(buf_cstr(&roles), &p.roles, err)) ||
	    (rc = auth_roles_check(p.roles, err)) || (rc = target_user(req, st, &u, err)) ||
	    (rc = not_self(req, &u, "roles_conflict",
			   "不能修改自己的角色（等保2.0 三级：三权分立）", err)))
		goto out;
	/* an administrator cannot log in without a second factor */
	if (auth_roles_need_totp(p.roles) && !u.totp_secret) {
		if (auth_totp_secret_new(&secret)) {
			rc = zf_fail(err, ZF_EIO, "no_randomness", "", "无法生成动态口令密钥");
			goto out;
		}
		p.set_totp = true;
		p.totp_secret = buf_cstr(&secret);
	}
	rc = user_change(req, resp, st, u.id, &p, "user.roles",
			 p.set_totp ? p.totp_secret : NULL, err);
out:
	if (secret.data)
		OPENSSL_cleanse(secret.data, secret.len);
	json_decref(body);
	buf_release(&roles);
	buf_release(&secret);
	user_release(&u);
	return rc;
}

/* The system administrator sets another user's password. */
int api_user_password(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	static const char *const fields[] = {"password", NULL};
	struct store *st;
	struct user u = {0};
	struct buf hash;
	json_t *body = NULL;
	const char *password;
	int rc;
	buf_init(&hash, 512);
	if (!(rc = api_begin(req, NULL, &st, err)) && !(rc = http_body(req, fields, &body, err)) &&
	    !(rc = http_str(body, "password", true, 128, &password, err)) &&
	    !(rc = target_user(req, st, &u, err)) &&
	    !(rc = not_self(req, &u, "forbidden",
			    "修改本人密码请使用 POST /api/v1/me/password（须输入原密码）", err)) &&
	    !(rc = hash_password(password, u.username, &hash, err))) {
		struct user_patch p = {.password_hash = buf_cstr(&hash)};
		rc = user_change(req, resp, st, u.id, &p, "user.password", NULL, err);
		if (!rc)
			http_sessions_end_user(req->srv, u.id, NULL);
	}
	forget(body, "password");
	json_decref(body);
	buf_release(&hash);
	user_release(&u);
	return rc;
}

/* Lift a lock (after failed logins); a disabled user stays disabled. */
int api_user_unlock(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st;
	struct user u = {0};
	json_t *body = NULL;
	int rc;
	if ((rc = api_begin(req, NULL, &st, err)) || (rc = empty_body(req, &body, err)) ||
	    (rc = target_user(req, st, &u, err)))
		goto out;
	if (!strcmp(u.status, "disabled")) {
		rc = zf_fail(err, ZF_ECONFLICT, "user_disabled", "id",
			     "该用户已停用，不能解锁");
		goto out;
	}
	if (strcmp(u.status, "locked") && u.locked_until <= req->ctx.now_us) {
		rc = zf_fail(err, ZF_ECONFLICT, "user_not_locked", "id", "该用户未被锁定");
		goto out;
	}
	struct user_patch p = {.status = "active", .set_locked_until = true};
	rc = user_change(req, resp, st, u.id, &p, "user.unlock", NULL, err);
out:
	json_decref(body);
	user_release(&u);
	return rc;
}

/* A new TOTP secret (replacing any old one), shown once in the answer. */
int api_user_totp(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st;
	struct user u = {0};
	struct buf secret;
	json_t *body = NULL;
	int rc;
	buf_init(&secret, 64);
	if ((rc = api_begin(req, NULL, &st, err)) || (rc = empty_body(req, &body, err)) ||
	    (rc = target_user(req, st, &u, err)))
		goto out;
	if (auth_totp_secret_new(&secret)) {
		rc = zf_fail(err, ZF_EIO, "no_randomness", "", "无法生成动态口令密钥");
		goto out;
	}
	struct user_patch p = {.set_totp = true, .totp_secret = buf_cstr(&secret)};
	rc = user_change(req, resp, st, u.id, &p, "user.totp", buf_cstr(&secret), err);
out:
	if (secret.data)
		OPENSSL_cleanse(secret.data, secret.len);
	json_decref(body);
	buf_release(&secret);
	user_release(&u);
	return rc;
}

/* As `zhifa user disable`; the user's sessions end at their next request. */
int api_user_disable(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st;
	struct user u = {0};
	json_t *body = NULL;
	int rc;
	if ((rc = api_begin(req, NULL, &st, err)) || (rc = empty_body(req, &body, err)) ||
	    (rc = target_user(req, st, &u, err)) ||
	    (rc = not_self(req, &u, "forbidden", "不能停用自己", err)))
		goto out;
	if (!strcmp(u.status, "disabled")) {
		rc = zf_fail(err, ZF_ECONFLICT, "user_disabled", "id", "该用户已停用");
		goto out;
	}
	struct user_patch p = {.status = "disabled"};
	rc = user_change(req, resp, st, u.id, &p, "user.update", NULL, err);
out:
	json_decref(body);
	user_release(&u);
	return rc;
}

/* Any user changes their own password, giving the old one. */
int api_me_password(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	static const char *const fields[] = {"old_password", "new_password", NULL};
	struct store *st;
	struct buf hash;
	json_t *body = NULL;
	const char *old_pw, *new_pw;
	int rc;
	buf_init(&hash, 512);
	if ((rc = api_begin(req, NULL, &st, err)) || (rc = http_body(req, fields, &body, err)) ||
	    (rc = http_str(body, "old_password", true, 128, &old_pw, err)) ||
	    (rc = http_str(body, "new_password", true, 128, &new_pw, err)))
		goto out;
	if (!auth_password_verify(req->user.password_hash, old_pw)) {
		rc = zf_fail(err, ZF_EFORBIDDEN, "wrong_password", "old_password", "原密码不正确");
		goto out;
	}
	if (!strcmp(old_pw, new_pw)) {
		rc = zf_fail(err, ZF_EINVAL, "password_unchanged", "new_password",
			     "新密码不能与原密码相同");
		goto out;
	}
	if ((rc = hash_password(new_pw, req->user.username, &hash, err))) {
		if (!strcmp(err->field, "password"))
			zf_strlcpy(err->field, "new_password", sizeof(err->field));
		goto out;
	}
	struct user_patch p = {.password_hash = buf_cstr(&hash)};
	rc = user_change(req, resp, st, req->user.id, &p, "user.password", NULL, err);
	if (!rc)
		http_sessions_end_user(req->srv, req->user.id, req->cookie_token);
out:
	forget(body, "old_password");
	forget(body, "new_password");
	json_decref(body);
	buf_release(&hash);
	return rc;
}
