/* init, org, officer, party, vehicle and device commands. */
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "text.h"

static int oom(struct zf_error *err)
{
	return zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
}

/* Copy an option into an owned struct field (NULL stays NULL). */
static int take(const struct cli *c, const char *name, char **field,
		struct zf_error *err)
{
	const char *v = cli_opt(c, name);
	return !v || zf_set_str(field, v) ? ZF_OK : oom(err);
}

static struct zf_date today(const struct cli *c)
{
	return instant_local_date(c->ctx.now_us);
}

/* mkdir -p of the database's directory, so `zhifa init` works on ./var. */
static void make_parent_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash || slash == path)
		return;
	char *dir = zf_strndup(path, (size_t)(slash - path));
	if (!dir)
		return;
	for (char *p = dir + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(dir, 0755);
			*p = '/';
		}
	}
	mkdir(dir, 0755);
	zf_free(dir);
}

int cmd_init(struct cli *c, struct zf_error *err)
{
	make_parent_dir(c->db_path);
	int rc = cli_open_store(c, true, false, err);
	if (rc)
		return rc;
	return cli_print(c, json_pack("{ss ss si}", "db", c->db_path, "backend",
				      store_backend_name(c->st), "schema_version",
				      store_schema_version(c->st)),
			 NULL);
}

int cmd_org_add(struct cli *c, struct zf_error *err)
{
	struct org o = {0};
	int rc = cli_open_store(c, false, false, err);
	if (!rc && !(rc = take(c, "name", &o.name, err)) &&
	    !(rc = take(c, "level", &o.level, err)) &&
	    !(rc = take(c, "division-code", &o.division_code, err)) &&
	    !(rc = take(c, "doc-abbr", &o.doc_abbr, err)) &&
	    !(rc = take(c, "parent", &o.parent_id, err)) &&
	    !(rc = take(c, "credit-code", &o.credit_code, err)) &&
	    !(rc = take(c, "hash-alg", &o.hash_alg, err)))
		rc = store_org_create(c->st, &c->ctx, &o, err);
	if (!rc)
		rc = cli_print(c, org_to_json(&o), NULL);
	org_release(&o);
	return rc;
}

int cmd_org_list(struct cli *c, struct zf_error *err)
{
	static const char *const cols[] = {"id", "name", "level", "division_code", NULL};
	struct org *list = NULL;
	size_t n = 0;
	int rc = cli_open_store(c, false, false, err);
	if (!rc)
		rc = store_org_list(c->st, &list, &n, err);
	json_t *arr = rc ? NULL : json_array();
	for (size_t i = 0; arr && i < n; i++)
		json_array_append_new(arr, org_to_json(&list[i]));
	store_org_list_free(list, n);
	return rc ? rc : cli_print(c, arr, cols);
}

int cmd_org_show(struct cli *c, struct zf_error *err)
{
	struct org o = {0};
	json_t *settings = NULL;
	if (c->nargs)
		c->org_key = c->args[0];
	int rc = cli_open_store(c, false, true, err);
	if (!rc)
		rc = store_org_find(c->st, c->ctx.org_id, &o, err);
	if (!rc)
		rc = store_org_settings(c->st, o.id, &settings, err);
	json_t *doc = rc ? NULL : org_to_json(&o);
	if (doc) {
		int64_t size = 0;
		json_object_set_new(doc, "settings", settings);
		settings = NULL;
		if (!store_ledger_size(c->st, o.id, &size, err))
			json_object_set_new(doc, "ledger_size", json_integer(size));
	}
	json_decref(settings);
	org_release(&o);
	return rc ? rc : cli_print(c, doc, NULL);
}

int cmd_org_set(struct cli *c, struct zf_error *err)
{
	json_t *settings = NULL;
	int rc = cli_open_store(c, false, true, err);
	if (!rc)
		rc = store_org_setting_set(c->st, &c->ctx, c->args[0], c->args[1], err);
	if (!rc)
		rc = store_org_settings(c->st, c->ctx.org_id, &settings, err);
	return rc ? rc : cli_print(c, settings, NULL);
}

/* ---- officers ---- */

static int officer_from_opts(struct cli *c, struct officer *o, struct zf_error *err)
{
	const char *v;
	int rc;
	if ((rc = take(c, "name", &o->name, err)) ||
	    (rc = take(c, "cert-no", &o->cert_no, err)) ||
	    (rc = take(c, "id-number", &o->id_number, err)) ||
	    (rc = take(c, "phone", &o->phone, err)) ||
	    (rc = take(c, "category", &o->category, err)) ||
	    (rc = take(c, "status", &o->status, err)) ||
	    (rc = take(c, "roles", &o->roles, err)))
		return rc;
	if (!o->roles && !zf_set_str(&o->roles, "enforcer"))
		return oom(err);
	if ((rc = cli_need(c, "valid-from", &v, err)) ||
	    (rc = date_parse(v, &o->valid_from, "valid_from", err)) ||
	    (rc = cli_need(c, "valid-to", &v, err)) ||
	    (rc = date_parse(v, &o->valid_to, "valid_to", err)))
		return rc;
	o->legal_qualification = cli_flag(c, "legal-qualification");
	return ZF_OK;
}

int cmd_officer_add(struct cli *c, struct zf_error *err)
{
	struct officer o = {0};
	int rc = officer_from_opts(c, &o, err);
	if (!rc)
		rc = cli_open_store(c, false, true, err);
	if (!rc)
		rc = store_officer_add(c->st, &c->ctx, &o, err);
	if (!rc)
		rc = cli_print(c, officer_to_json(&o, today(c)), NULL);
	officer_release(&o);
	return rc;
}

int cmd_officer_list(struct cli *c, struct zf_error *err)
{
	static const char *const cols[] = {"cert_no", "name", "status", "valid_to",
					   "days_to_expiry", "roles", NULL};
	struct officer_filter f = {0};
	struct officer *list = NULL;
	size_t n = 0;
	int64_t within = 0;
	bool given;
	int rc;
	if ((rc = cli_opt_date(c, "may-act-on", &f.date, &f.by_date, err)) ||
	    (rc = cli_opt_int(c, "expiring-within", 1, 3660, &within, &given, err)))
		return rc;
	f.expiring_within_days = (int)within;
	f.status = cli_opt(c, "status");
	if (f.status && (rc = text_check(f.status, "status", 16, true, err)))
		return rc;
	if ((rc = cli_open_store(c, false, true, err)) ||
	    (rc = store_officer_list(c->st, &c->ctx, &f, &list, &n, err)))
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < n; i++)
		json_array_append_new(arr, officer_to_json(&list[i], today(c)));
	store_officer_list_free(list, n);
	return cli_print(c, arr, cols);
}

int cmd_officer_show(struct cli *c, struct zf_error *err)
{
	struct officer o = {0};
	int rc = cli_open_store(c, false, true, err);
	if (!rc)
		rc = store_officer_get(c->st, &c->ctx, c->args[0], &o, err);
	if (!rc)
		rc = cli_print(c, officer_to_json(&o, today(c)), NULL);
	officer_release(&o);
	return rc;
}

int cmd_officer_update(struct cli *c, struct zf_error *err)
{
	struct officer_patch p = {0};
	struct officer o = {0};
	const char *lq = cli_opt(c, "legal-qualification");
	int rc = cli_opt_date(c, "valid-to", &p.valid_to, &p.set_valid_to, err);
	if (rc)
		return rc;
	p.status = cli_opt(c, "status");
	p.roles = cli_opt(c, "roles");
	p.reason = cli_opt(c, "reason");
	if (lq) {
		if (strcmp(lq, "yes") && strcmp(lq, "no"))
			return zf_fail(err, ZF_EINVAL, "invalid_flag", "legal_qualification",
				       "--legal-qualification 只能是 yes 或 no");
		p.set_legal_qualification = true;
		p.legal_qualification = strcmp(lq, "yes") == 0;
	}
	if (p.reason && (rc = text_check(p.reason, "reason", 200, false, err)))
		return rc;
	if (!(rc = cli_open_store(c, false, true, err)) &&
	    !(rc = store_officer_update(c->st, &c->ctx, c->args[0], &p, &o, err)))
		rc = cli_print(c, officer_to_json(&o, today(c)), NULL);
	officer_release(&o);
	return rc;
}

/* ---- parties, vehicles, devices ---- */

int cmd_party_add(struct cli *c, struct zf_error *err)
{
	struct party p = {0};
	int rc;
	if (!(rc = take(c, "kind", &p.kind, err)) &&
	    !(rc = take(c, "name", &p.name, err)) &&
	    !(rc = take(c, "id-number", &p.id_number, err)) &&
	    !(rc = take(c, "credit-code", &p.credit_code, err)) &&
	    !(rc = take(c, "legal-rep", &p.legal_rep, err)) &&
	    !(rc = take(c, "phone", &p.phone, err)) &&
	    !(rc = take(c, "address", &p.address, err)) &&
	    !(rc = cli_open_store(c, false, true, err)))
		rc = store_party_add(c->st, &c->ctx, &p, err);
	if (!rc)
		rc = cli_print(c, party_to_json(&p), NULL);
	party_release(&p);
	return rc;
}

int cmd_party_list(struct cli *c, struct zf_error *err)
{
	static const char *const cols[] = {"id", "kind", "name", "id_number",
					   "credit_code", NULL};
	struct party *list = NULL;
	size_t n = 0;
	const char *kind = cli_opt(c, "kind");
	int rc;
	if (kind && !text_in(kind, (const char *const[]){"person", "org", NULL}))
		return zf_fail(err, ZF_EINVAL, "unknown_code", "kind",
			       "当事人类型只能是 person 或 org");
	if ((rc = cli_open_store(c, false, true, err)) ||
	    (rc = store_party_list(c->st, &c->ctx, kind, &list, &n, err)))
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < n; i++)
		json_array_append_new(arr, party_to_json(&list[i]));
	store_party_list_free(list, n);
	return cli_print(c, arr, cols);
}

int cmd_party_show(struct cli *c, struct zf_error *err)
{
	struct party p = {0};
	int rc = cli_open_store(c, false, true, err);
	if (!rc)
		rc = store_party_get(c->st, &c->ctx, c->args[0], &p, err);
	if (!rc)
		rc = cli_print(c, party_to_json(&p), NULL);
	party_release(&p);
	return rc;
}

int cmd_party_erase(struct cli *c, struct zf_error *err)
{
	struct party p = {0};
	const char *reason;
	int rc = cli_need(c, "reason", &reason, err);
	if (!rc)
		rc = cli_open_store(c, false, true, err);
	if (!rc)
		rc = store_party_erase(c->st, &c->ctx, c->args[0], reason, &p, err);
	if (!rc)
		rc = cli_print(c, party_to_json(&p), NULL);
	party_release(&p);
	return rc;
}

int cmd_vehicle_add(struct cli *c, struct zf_error *err)
{
	struct vehicle v = {0};
	int64_t axles = 0;
	int rc;
	if (!(rc = take(c, "plate", &v.plate, err)) &&
	    !(rc = take(c, "config", &v.config, err)) &&
	    !(rc = take(c, "owner", &v.owner_id, err)) &&
	    !(rc = take(c, "model", &v.model, err)) &&
	    !(rc = cli_opt_int(c, "axles", 0, 8, &axles, NULL, err))) {
		v.axles = (int)axles;
		if (!(rc = cli_open_store(c, false, true, err)))
			rc = store_vehicle_add(c->st, &c->ctx, &v, err);
	}
	if (!rc)
		rc = cli_print(c, vehicle_to_json(&v), NULL);
	vehicle_release(&v);
	return rc;
}

int cmd_vehicle_list(struct cli *c, struct zf_error *err)
{
	static const char *const cols[] = {"plate", "plate_kind", "config", "axles",
					   "owner_id", NULL};
	struct vehicle *list = NULL;
	size_t n = 0;
	int rc;
	if ((rc = cli_open_store(c, false, true, err)) ||
	    (rc = store_vehicle_list(c->st, &c->ctx, &list, &n, err)))
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < n; i++)
		json_array_append_new(arr, vehicle_to_json(&list[i]));
	store_vehicle_list_free(list, n);
	return cli_print(c, arr, cols);
}

int cmd_device_add(struct cli *c, struct zf_error *err)
{
	struct device d = {0};
	int rc;
	if (!(rc = take(c, "code", &d.code, err)) &&
	    !(rc = take(c, "kind", &d.kind, err)) &&
	    !(rc = take(c, "name", &d.name, err)) &&
	    !(rc = cli_open_store(c, false, true, err)))
		rc = store_device_add(c->st, &c->ctx, &d, err);
	if (!rc)
		rc = cli_print(c, device_to_json(&d), NULL);
	device_release(&d);
	return rc;
}

int cmd_device_list(struct cli *c, struct zf_error *err)
{
	static const char *const cols[] = {"code", "kind", "name", "status", NULL};
	struct device *list = NULL;
	size_t n = 0;
	int rc;
	if ((rc = cli_open_store(c, false, true, err)) ||
	    (rc = store_device_list(c->st, &c->ctx, &list, &n, err)))
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < n; i++)
		json_array_append_new(arr, device_to_json(&list[i]));
	store_device_list_free(list, n);
	return cli_print(c, arr, cols);
}
