#include <string.h>

#include "registry.h"
#include "text.h"
#include "vocab.h"

static void put_str(json_t *o, const char *k, const char *v)
{
	json_object_set_new(o, k, v ? json_string(v) : json_null());
}

static void put_date(json_t *o, const char *k, struct zf_date d)
{
	char s[DATE_STR_LEN];
	date_format(d, s);
	json_object_set_new(o, k, json_string(s));
}

static int check_code(const char *s, const char *const *list, const char *field,
		      const char *what, struct zf_error *err)
{
	if (!s || !*s)
		return zf_fail(err, ZF_EINVAL, "required", field, "“%s”为必填项",
			       field);
	if (!text_in(s, list))
		return zf_fail(err, ZF_EINVAL, "unknown_code", field,
			       "未知的%s代码“%s”", what, s);
	return ZF_OK;
}

static int check_digits(const char *s, size_t n, const char *field,
			const char *what, struct zf_error *err)
{
	size_t len = strlen(s);
	bool ok = len == n;
	for (size_t i = 0; ok && i < n; i++)
		ok = s[i] >= '0' && s[i] <= '9';
	if (!ok)
		return zf_fail(err, ZF_EINVAL, "invalid_format", field,
			       "%s应为 %zu 位数字，实际为“%s”", what, n, s);
	return ZF_OK;
}

static int check_phone(const char *s, const char *field, struct zf_error *err)
{
	if (!s || !*s)
		return ZF_OK;
	size_t n = strlen(s);
	bool ok = n >= 5 && n <= 20;
	for (size_t i = 0; ok && i < n; i++)
		ok = (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
		     (s[i] == '+' && i == 0);
	if (!ok)
		return zf_fail(err, ZF_EINVAL, "invalid_phone", field,
			       "电话号码“%s”无效：应为 5 到 20 位数字，可含“-”", s);
	return ZF_OK;
}

/* ---- organisations ---------------------------------------------------- */

void org_release(struct org *o)
{
	zf_freep(&o->parent_id);
	zf_freep(&o->name);
	zf_freep(&o->level);
	zf_freep(&o->division_code);
	zf_freep(&o->credit_code);
	zf_freep(&o->doc_abbr);
	zf_freep(&o->hash_alg);
}

int org_validate(const struct org *o, struct zf_error *err)
{
	char norm[IDS_NORM_MAX];
	int rc;
	if ((rc = text_check(o->name, "name", 64, true, err)) ||
	    (rc = check_code(o->level, vocab_org_levels, "level", "机构层级", err)))
		return rc;
	if (!o->division_code || !*o->division_code)
		return zf_fail(err, ZF_EINVAL, "required", "division_code",
			       "“division_code”（行政区划代码）为必填项");
	if ((rc = check_digits(o->division_code, 6, "division_code",
			       "行政区划代码", err)))
		return rc;
	if (o->credit_code && *o->credit_code &&
	    (rc = ids_credit_code_check(o->credit_code, norm, "credit_code", err)))
		return rc;
	if ((rc = text_check(o->doc_abbr, "doc_abbr", 16, true, err)))
		return rc;
	if (o->hash_alg && strcmp(o->hash_alg, "sm3") &&
	    strcmp(o->hash_alg, "sha256"))
		return zf_fail(err, ZF_EINVAL, "invalid_hash_alg", "hash_alg",
			       "哈希算法“%s”无效，只能是 sm3 或 sha256",
			       o->hash_alg);
	return ZF_OK;
}

json_t *org_state_json(const struct org *o)
{
	json_t *j = json_object();
	if (!j)
		return NULL;
	put_str(j, "id", o->id);
	put_str(j, "parent_id", o->parent_id);
	put_str(j, "name", o->name);
	put_str(j, "level", o->level);
	put_str(j, "division_code", o->division_code);
	put_str(j, "credit_code", o->credit_code);
	put_str(j, "doc_abbr", o->doc_abbr);
	put_str(j, "hash_alg", o->hash_alg);
	return j;
}

json_t *org_to_json(const struct org *o)
{
	json_t *j = org_state_json(o);
	if (j)
		put_str(j, "level_label", vocab_label(o->level));
	return j;
}

/* ---- officers --------------------------------------------------------- */

void officer_release(struct officer *o)
{
	zf_freep(&o->name);
	zf_freep(&o->id_number);
	zf_freep(&o->phone);
	zf_freep(&o->cert_no);
	zf_freep(&o->category);
	zf_freep(&o->status);
	zf_freep(&o->roles);
	zf_freep(&o->pii_digest);
}

static int check_roles(const char *roles, struct zf_error *err)
{
	if (!roles || !*roles)
		return zf_fail(err, ZF_EINVAL, "required", "roles",
			       "“roles”（角色）为必填项");
	const char *p = roles;
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		bool found = false;
		for (const char *const *r = vocab_roles; *r && !found; r++)
			found = strlen(*r) == n && memcmp(*r, p, n) == 0;
		if (!found)
			return zf_fail(err, ZF_EINVAL, "unknown_code", "roles",
				       "未知的角色代码“%.*s”", (int)(n > 64 ? 64 : n),
				       p);
		p += n;
		if (*p == ',')
			p++;
	}
	return ZF_OK;
}

static int check_cert_no(const char *s, struct zf_error *err)
{
	if (!s || !*s)
		return zf_fail(err, ZF_EINVAL, "required", "cert_no",
			       "“cert_no”（执法证号）为必填项");
	size_t n = strlen(s);
	bool ok = n <= 32;
	for (size_t i = 0; ok && i < n; i++)
		ok = (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z') ||
		     (s[i] >= 'a' && s[i] <= 'z') || s[i] == '-';
	if (!ok)
		return zf_fail(err, ZF_EINVAL, "invalid_cert_no", "cert_no",
			       "执法证号“%s”无效：应为不超过 32 位的字母、数字或“-”", s);
	return ZF_OK;
}

int officer_validate(const struct officer *o, struct zf_date today,
		     struct zf_error *err)
{
	char norm[IDS_NORM_MAX];
	int rc;
	if ((rc = text_check(o->name, "name", 64, true, err)))
		return rc;
	if (o->id_number && *o->id_number &&
	    (rc = ids_resident_id_check(o->id_number, today, norm, "id_number", err)))
		return rc;
	if ((rc = check_phone(o->phone, "phone", err)) ||
	    (rc = check_cert_no(o->cert_no, err)) ||
	    (rc = text_check(o->category, "category", 32, true, err)) ||
	    (rc = check_code(o->status, vocab_officer_statuses, "status",
			     "执法人员状态", err)) ||
	    (rc = check_roles(o->roles, err)))
		return rc;
	if (!date_is_valid(o->valid_from.y, o->valid_from.m, o->valid_from.d))
		return zf_fail(err, ZF_EINVAL, "invalid_date", "valid_from",
			       "执法证有效期起始日不是有效日期");
	if (!date_is_valid(o->valid_to.y, o->valid_to.m, o->valid_to.d))
		return zf_fail(err, ZF_EINVAL, "invalid_date", "valid_to",
			       "执法证有效期截止日不是有效日期");
	if (date_cmp(o->valid_to, o->valid_from) < 0)
		return zf_fail(err, ZF_EINVAL, "invalid_period", "valid_to",
			       "执法证有效期截止日早于起始日");
	return ZF_OK;
}

bool officer_may_act_on(const struct officer *o, struct zf_date d)
{
	return o->status && strcmp(o->status, "active") == 0 &&
	       date_cmp(o->valid_from, d) <= 0 && date_cmp(d, o->valid_to) <= 0;
}

bool officer_has_role(const struct officer *o, const char *role)
{
	size_t n = strlen(role);
	for (const char *p = o->roles; p && *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len == n && memcmp(p, role, n) == 0)
			return true;
		p += len + (comma != NULL);
	}
	return false;
}

int64_t officer_days_to_expiry(const struct officer *o, struct zf_date today)
{
	return date_to_days(o->valid_to) - date_to_days(today);
}

static json_t *roles_json(const char *roles)
{
	json_t *a = json_array();
	for (const char *p = roles; a && p && *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		json_array_append_new(a, json_stringn(p, len));
		p += len + (comma != NULL);
	}
	return a;
}

json_t *officer_state_json(const struct officer *o)
{
	json_t *j = json_object();
	if (!j)
		return NULL;
	put_str(j, "id", o->id);
	put_str(j, "org_id", o->org_id);
	put_str(j, "name", o->name);
	put_str(j, "cert_no", o->cert_no);
	put_str(j, "category", o->category);
	put_date(j, "valid_from", o->valid_from);
	put_date(j, "valid_to", o->valid_to);
	put_str(j, "status", o->status);
	json_object_set_new(j, "roles", roles_json(o->roles));
	json_object_set_new(j, "legal_qualification",
			    json_boolean(o->legal_qualification));
	put_str(j, "pii_digest", o->pii_digest);
	json_object_set_new(j, "erased", json_boolean(o->erased));
	return j;
}

json_t *officer_personal_json(const struct officer *o)
{
	json_t *j = json_object();
	if (!j)
		return NULL;
	put_str(j, "id_number", o->id_number);
	put_str(j, "phone", o->phone);
	return j;
}

json_t *officer_to_json(const struct officer *o, struct zf_date today)
{
	json_t *j = officer_state_json(o);
	if (!j)
		return NULL;
	json_object_del(j, "pii_digest");
	put_str(j, "id_number", o->id_number);
	put_str(j, "phone", o->phone);
	put_str(j, "status_label", vocab_label(o->status));
	json_object_set_new(j, "may_act_today", json_boolean(officer_may_act_on(o, today)));
	json_object_set_new(j, "days_to_expiry",
			    json_integer(officer_days_to_expiry(o, today)));
	return j;
}

/* ---- parties ---------------------------------------------------------- */

void party_release(struct party *p)
{
	zf_freep(&p->kind);
	zf_freep(&p->name);
	zf_freep(&p->id_number);
	zf_freep(&p->credit_code);
	zf_freep(&p->legal_rep);
	zf_freep(&p->phone);
	zf_freep(&p->address);
	zf_freep(&p->pii_digest);
}

static bool is_person(const struct party *p)
{
	return p->kind && strcmp(p->kind, "person") == 0;
}

int party_validate(const struct party *p, struct zf_date today,
		   struct zf_error *err)
{
	char norm[IDS_NORM_MAX];
	int rc;
	if ((rc = check_code(p->kind, vocab_party_kinds, "kind", "当事人类型", err)) ||
	    (rc = text_check(p->name, "name", 100, true, err)))
		return rc;
	if (is_person(p)) {
		if (!p->id_number || !*p->id_number)
			return zf_fail(err, ZF_EINVAL, "required", "id_number",
				       "自然人当事人须填写身份证号（id_number）");
		if ((rc = ids_resident_id_check(p->id_number, today, norm,
						"id_number", err)))
			return rc;
		if (p->credit_code && *p->credit_code)
			return zf_fail(err, ZF_EINVAL, "not_allowed", "credit_code",
				       "自然人没有统一社会信用代码");
	} else {
		if (!p->credit_code || !*p->credit_code)
			return zf_fail(err, ZF_EINVAL, "required", "credit_code",
				       "组织当事人须填写统一社会信用代码（credit_code）");
		if ((rc = ids_credit_code_check(p->credit_code, norm,
						"credit_code", err)))
			return rc;
		if (p->id_number && *p->id_number)
			return zf_fail(err, ZF_EINVAL, "not_allowed", "id_number",
				       "组织当事人不填写身份证号，请填写法定代表人姓名");
	}
	if ((rc = text_check(p->legal_rep, "legal_rep", 64, false, err)) ||
	    (rc = check_phone(p->phone, "phone", err)) ||
	    (rc = text_check(p->address, "address", 200, false, err)))
		return rc;
	return ZF_OK;
}

json_t *party_state_json(const struct party *p)
{
	json_t *j = json_object();
	if (!j)
		return NULL;
	put_str(j, "id", p->id);
	put_str(j, "org_id", p->org_id);
	put_str(j, "kind", p->kind);
	if (!is_person(p)) {
		put_str(j, "name", p->name);
		put_str(j, "credit_code", p->credit_code);
		put_str(j, "address", p->address);
	}
	put_str(j, "pii_digest", p->pii_digest);
	json_object_set_new(j, "erased", json_boolean(p->erased));
	return j;
}

/* A person's name, number and address are personal; an organisation's are not. */
json_t *party_personal_json(const struct party *p)
{
	json_t *j = json_object();
	if (!j)
		return NULL;
	if (is_person(p)) {
		put_str(j, "name", p->name);
		put_str(j, "id_number", p->id_number);
		put_str(j, "address", p->address);
	}
	put_str(j, "legal_rep", p->legal_rep);
	put_str(j, "phone", p->phone);
	return j;
}

json_t *party_to_json(const struct party *p)
{
	json_t *j = json_object();
	if (!j)
		return NULL;
	put_str(j, "id", p->id);
	put_str(j, "org_id", p->org_id);
	put_str(j, "kind", p->kind);
	put_str(j, "kind_label", vocab_label(p->kind));
	put_str(j, "name", p->name);
	put_str(j, "id_number", p->id_number);
	put_str(j, "credit_code", p->credit_code);
	put_str(j, "legal_rep", p->legal_rep);
	put_str(j, "phone", p->phone);
	put_str(j, "address", p->address);
	json_object_set_new(j, "erased", json_boolean(p->erased));
	return j;
}

/* ---- vehicles --------------------------------------------------------- */

void vehicle_release(struct vehicle *v)
{
	zf_freep(&v->plate);
	zf_freep(&v->plate_kind);
	zf_freep(&v->config);
	zf_freep(&v->owner_id);
	zf_freep(&v->model);
}

int vehicle_validate(struct vehicle *v, struct zf_error *err)
{
	struct ids_plate plate;
	int rc;
	if (!v->plate || !*v->plate)
		return zf_fail(err, ZF_EINVAL, "required", "plate",
			       "“plate”（号牌号码）为必填项");
	if ((rc = ids_plate_check(v->plate, &plate, "plate", err)) ||
	    (rc = check_code(v->config, vocab_vehicle_configs, "config",
			     "车辆类型", err)))
		return rc;
	bool goods = strcmp(v->config, "truck") == 0 ||
		     strcmp(v->config, "tractor") == 0 ||
		     strcmp(v->config, "trailer") == 0;
	if (goods && (v->axles < 1 || v->axles > 8))
		return zf_fail(err, ZF_EINVAL, "invalid_number", "axles",
			       "货运车辆须填写轴数（1 到 8），实际为 %d", v->axles);
	if (!goods && (v->axles < 0 || v->axles > 8))
		return zf_fail(err, ZF_EINVAL, "invalid_number", "axles",
			       "轴数应在 0 到 8 之间，实际为 %d", v->axles);
	if (plate.kind == IDS_PLATE_TRAILER && strcmp(v->config, "trailer") != 0)
		return zf_fail(err, ZF_EINVAL, "plate_config_mismatch", "config",
			       "挂车号牌“%s”只能登记为挂车（trailer）", plate.text);
	if ((rc = text_check(v->model, "model", 64, false, err)))
		return rc;
	if (!zf_set_str(&v->plate, plate.text) ||
	    !zf_set_str(&v->plate_kind, ids_plate_kind_code(plate.kind)))
		return zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
	return ZF_OK;
}

json_t *vehicle_state_json(const struct vehicle *v)
{
	json_t *j = json_object();
	if (!j)
		return NULL;
	put_str(j, "id", v->id);
	put_str(j, "org_id", v->org_id);
	put_str(j, "plate", v->plate);
	put_str(j, "plate_kind", v->plate_kind);
	put_str(j, "config", v->config);
	json_object_set_new(j, "axles", json_integer(v->axles));
	put_str(j, "owner_id", v->owner_id);
	put_str(j, "model", v->model);
	return j;
}

json_t *vehicle_to_json(const struct vehicle *v)
{
	json_t *j = vehicle_state_json(v);
	if (j)
		put_str(j, "config_label", vocab_label(v->config));
	return j;
}

/* ---- devices ---------------------------------------------------------- */

void device_release(struct device *d)
{
	zf_freep(&d->code);
	zf_freep(&d->kind);
	zf_freep(&d->name);
	zf_freep(&d->status);
}

int device_validate(const struct device *d, struct zf_error *err)
{
	int rc;
	if ((rc = text_check(d->code, "code", 32, true, err)) ||
	    (rc = check_code(d->kind, vocab_device_kinds, "kind", "设备类型", err)) ||
	    (rc = text_check(d->name, "name", 64, false, err)))
		return rc;
	if (d->status && strcmp(d->status, "active") && strcmp(d->status, "retired"))
		return zf_fail(err, ZF_EINVAL, "unknown_code", "status",
			       "设备状态只能是 active 或 retired");
	return ZF_OK;
}

json_t *device_state_json(const struct device *d)
{
	json_t *j = json_object();
	if (!j)
		return NULL;
	put_str(j, "id", d->id);
	put_str(j, "org_id", d->org_id);
	put_str(j, "code", d->code);
	put_str(j, "kind", d->kind);
	put_str(j, "name", d->name);
	put_str(j, "status", d->status);
	return j;
}

json_t *device_to_json(const struct device *d)
{
	json_t *j = device_state_json(d);
	if (j)
		put_str(j, "kind_label", vocab_label(d->kind));
	return j;
}
