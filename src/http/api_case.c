/*
 * The case API: cases (list, detail, creation, every step, extensions and
 * notes), clocks, documents, pre-printed stocks, violations and discretion.
 * The bodies are the CLI's --json documents, made by the same store and
 * domain functions (store_case_get, store_clock_list, violation_to_json,
 * discretion_proposal_to_json).
 *
 * Who may act: the route table gives the roles.  A case step also needs the
 * logged-in user to act as their own officer (step_assigned()): the head
 * approves as the approver, the legal reviewer reviews as the reviewer,
 * officers act in steps that name them and only on cases assigned to them.
 * Reads may name a subordinate organisation (?org=, read_ctx()); writes
 * always act on the user's own organisation.
 */
#include <string.h>

#include "api_routes.h"
#include "embed.h"
#include "procedure.h"
#include "text.h"
#include "uuid.h"

#define LIST_LIMIT_DEFAULT 100
#define LIST_LIMIT_MAX 1000

/* ---- request helpers -------------------------------------------------- */

/* Query arguments must all be in `allowed` (NULL-terminated). */
static int query_check(const struct http_req *req, const char *const *allowed,
		       struct zf_error *err)
{
	const char *k;
	json_t *v;
	json_object_foreach(req->query, k, v) {
		if (!text_in(k, allowed))
			return zf_fail(err, ZF_EINVAL, "unknown_field", k,
				       "未知的查询参数“%.60s”", k);
	}
	return ZF_OK;
}

/* The context a read acts in (supervision of subordinates is read-only). */
static int read_ctx(struct http_req *req, struct store *st, struct zf_ctx *ctx,
		    struct zf_error *err)
{
	return api_scope_org(req, st, ctx, err);
}

/* ---- transition parameters ---------------------------------------------- */

enum param_type { P_STR, P_INT, P_BOOL, P_FLAGS };

/*
 * Every parameter a transition reads (src/domain/procedure.c), with its
 * type: the API refuses others, so a misspelt one is not silently dropped.
 * Lengths are checked again, per field, by the procedure.
 */
static const struct {
	const char *key;
	enum param_type type;
	int64_t min, max;	/* P_INT; P_STR: max characters */
	bool create_only;	/* the facts a case starts with */
} params_known[] = {
	{"violation", P_STR, 0, API_KEY_MAX, true}, {"act_date", P_STR, 0, DATE_STR_LEN, false},
	{"place", P_STR, 0, 200, true}, {"facts", P_STR, 0, 2000, true},
	{"source", P_STR, 0, 32, true}, {"flags", P_FLAGS, 0, 0, true},
	{"level", P_STR, 0, 32, false}, {"kind", P_STR, 0, 32, false},
	{"amount_fen", P_INT, 0, 1000000000000LL, false},
	{"form_number", P_STR, 0, 32, false}, {"note", P_STR, 0, 2000, false},
	{"result", P_STR, 0, 16, false}, {"opinion", P_STR, 0, 2000, false},
	{"summary", P_STR, 0, 2000, false}, {"accepted", P_BOOL, 0, 0, false},
	{"hearing_date", P_STR, 0, DATE_STR_LEN, false}, {"presider", P_STR, 0, API_KEY_MAX, false},
	{"record", P_STR, 0, 4000, false}, {"conclusion", P_STR, 0, 2000, false},
	{"days", P_INT, 1, 365, false}, {"reason", P_STR, 0, 1000, false},
	{"explanation", P_STR, 0, 2000, false}, {"to", P_STR, 0, 100, false},
	{"method", P_STR, 0, 32, false}, {"consent", P_BOOL, 0, 0, false},
	{"refused_to_sign", P_BOOL, 0, 0, false}, {"how", P_STR, 0, 32, false},
	{"outcome", P_STR, 0, 32, false}, {"text", P_STR, 0, 2000, false},
	{"emergency", P_BOOL, 0, 0, false}, {"authority", P_STR, 0, 100, false},
	{"channel", P_STR, 0, 100, false},
};

/* Check one parameter value against its row; `field` names it in errors. */
static int check_param(size_t row, const json_t *v, const char *field, struct zf_error *err)
{
	switch (params_known[row].type) {
	case P_STR:
		if (!json_is_string(v))
			return zf_fail(err, ZF_EINVAL, "invalid_type", field, "“%s”应为字符串",
				       field);
		return text_check(json_string_value(v), field, (long)params_known[row].max,
				  false, err);
	case P_INT:
		if (!json_is_integer(v))
			return zf_fail(err, ZF_EINVAL, "invalid_type", field, "“%s”应为整数",
				       field);
		if (json_integer_value(v) < params_known[row].min ||
		    json_integer_value(v) > params_known[row].max)
			return zf_fail(err, ZF_EINVAL, "invalid_number", field,
				       "“%s”应在 %lld 到 %lld 之间", field,
				       (long long)params_known[row].min,
				       (long long)params_known[row].max);
		return ZF_OK;
	case P_BOOL:
		if (!json_is_boolean(v))
			return zf_fail(err, ZF_EINVAL, "invalid_type", field,
				       "“%s”应为 true 或 false", field);
		return ZF_OK;
	case P_FLAGS:
		return api_case_flags(v, field, err);
	}
	ZF_BUG("parameter type %d", (int)params_known[row].type);
}

static bool param_row(const char *key, size_t *row)
{
	for (size_t i = 0; i < ZF_ARRAY_LEN(params_known); i++)
		if (!strcmp(params_known[i].key, key)) {
			*row = i;
			return true;
		}
	return false;
}

/* The "params" object of a step on an existing case, checked. */
static int check_step_params(const json_t *params, struct zf_error *err)
{
	const char *k;
	json_t *v;
	if (!json_is_object(params))
		return zf_fail(err, ZF_EINVAL, "invalid_type", "params", "“params”应为对象");
	json_object_foreach((json_t *)params, k, v) {
		char field[64];
		size_t row;
		int rc;
		snprintf(field, sizeof(field), "params.%.40s", k);
		if (!param_row(k, &row) || params_known[row].create_only)
			return zf_fail(err, ZF_EINVAL, "unknown_field", field,
				       "未知的环节参数“%.60s”", k);
		if (json_is_null(v))
			continue;
		if ((rc = check_param(row, v, field, err)))
			return rc;
	}
	return ZF_OK;
}

/* Copy the parameter members of a creation body into params, checked. */
static int create_params(const json_t *body, json_t *params, struct zf_error *err)
{
	for (size_t i = 0; i < ZF_ARRAY_LEN(params_known); i++) {
		json_t *v = json_object_get(body, params_known[i].key);
		int rc;
		if (!v || json_is_null(v))
			continue;
		if ((rc = check_param(i, v, params_known[i].key, err)))
			return rc;
		if (json_object_set(params, params_known[i].key, v))
			return http_oom(err);
	}
	return ZF_OK;
}

/* ---- who may take a step ------------------------------------------------ */

enum { TAKES_OFFICERS = 1, TAKES_APPROVER = 2, TAKES_REVIEWER = 4 };

/*
 * Who a transition names (src/domain/procedure.c: guard_officers,
 * guard_approver, t_legal_review).  The rest name no one: any officer of
 * the case, or a head, records them (the party's statement, a payment, ...).
 */
static const struct {
	const char *transition;
	unsigned takes;
} takes_table[] = {
	{"register", TAKES_OFFICERS}, {"file", TAKES_OFFICERS | TAKES_APPROVER},
	{"evidence", TAKES_OFFICERS}, {"notify", TAKES_OFFICERS},
	{"schedule_hearing", TAKES_OFFICERS}, {"decide", TAKES_OFFICERS},
	{"serve", TAKES_OFFICERS}, {"decide_on_spot", TAKES_OFFICERS},
	{"deliver", TAKES_OFFICERS}, {"enforce", TAKES_OFFICERS},
	{"extend", TAKES_APPROVER}, {"approve", TAKES_APPROVER},
	{"decide_no_penalty", TAKES_APPROVER}, {"revoke", TAKES_APPROVER},
	{"transfer", TAKES_APPROVER}, {"terminate", TAKES_APPROVER},
	{"close", TAKES_APPROVER}, {"legal_review", TAKES_REVIEWER},
	/*
	 * 扣押: the head approves beforehand (行政强制法 Art. 18), or in an
	 * emergency the officers detain and the head approves afterwards
	 * (Art. 19: approve_detention); release and disposal may name a head,
	 * who is then checked and recorded.
	 */
	{"detain", TAKES_OFFICERS | TAKES_APPROVER}, {"approve_detention", TAKES_APPROVER},
	{"extend_detention", TAKES_APPROVER}, {"release_detention", TAKES_APPROVER},
	{"dispose_detention", TAKES_APPROVER},
};

static unsigned transition_takes(const char *t)
{
	for (size_t i = 0; i < ZF_ARRAY_LEN(takes_table); i++)
		if (!strcmp(takes_table[i].transition, t))
			return takes_table[i].takes;
	return 0;
}

static int not_assigned(struct zf_error *err, const char *field, const char *why)
{
	return api_not_assigned(err, field, why,
				"案件环节只能由承办的执法人员、审批的负责人或法制审核人员本人登录办理");
}

/*
 * "Case steps only when assigned" (issue 5).  doc is the case, or NULL for
 * a creation.  The user acts as their own officer:
 *   - a step that takes an approver: the user is that approver, a head
 *     (who may name the officers, as on filing);
 *   - legal review: the user is the reviewer;
 *   - a step that names officers: the user is one of them, and already one
 *     of the case's officers (so nobody assigns themselves);
 *   - otherwise (the party's statement, payment, notes, ...): the user is
 *     one of the case's officers, or a head.
 * A body naming someone the transition does not take is refused (400).
 */
static int step_assigned(struct http_req *req, struct store *st, const json_t *doc,
			 const struct case_step_in *in, struct zf_error *err)
{
	const char *me = req->user.officer_id;
	unsigned takes = transition_takes(in->transition);
	bool yes = false;
	int rc;
	if (in->nofficers && !(takes & TAKES_OFFICERS))
		return zf_fail(err, ZF_EINVAL, "not_allowed", "officers",
			       "“%s”环节不列执法人员", proc_label(in->transition));
	if (in->approver && !(takes & TAKES_APPROVER))
		return zf_fail(err, ZF_EINVAL, "not_allowed", "approver",
			       "“%s”环节无须负责人审批", proc_label(in->transition));
	if (in->reviewer && !(takes & TAKES_REVIEWER))
		return zf_fail(err, ZF_EINVAL, "not_allowed", "reviewer",
			       "“%s”环节不列法制审核人员", proc_label(in->transition));
	if (!me || !*me)
		return not_assigned(err, "", "当前用户未关联执法人员");
	if (in->approver) {
		if (!(req->user.roles & ROLE_HEAD))
			return not_assigned(err, "approver", "审批须由负责人本人登录办理");
		if (!(rc = api_names_me(req, st, &in->approver, 1, "approver", &yes, err)) && !yes)
			rc = not_assigned(err, "approver",
					  "审批人须是当前登录的负责人本人，不得代他人审批");
		return rc;
	}
	if (in->reviewer) {
		if (!(req->user.roles & ROLE_LEGAL_REVIEWER))
			return not_assigned(err, "reviewer", "法制审核须由法制审核人员本人登录办理");
		if (!(rc = api_names_me(req, st, &in->reviewer, 1, "reviewer", &yes, err)) && !yes)
			rc = not_assigned(err, "reviewer",
					  "法制审核人员须是当前登录的用户本人，不得代他人审核");
		return rc;
	}
	if (in->nofficers) {
		if ((rc = api_names_me(req, st, in->officers, in->nofficers, "officers", &yes,
				       err)))
			return rc;
		if (!yes)
			return not_assigned(err, "officers", "当前用户不在本环节所列执法人员之中");
		if (doc && !api_is_case_officer(doc, me))
			return not_assigned(err, "officers", "当前用户不是本案的承办执法人员");
		return ZF_OK;
	}
	if (!doc || !(api_is_case_officer(doc, me) || (req->user.roles & ROLE_HEAD)))
		return not_assigned(err, "", "当前用户不是本案的承办执法人员，也不是负责人");
	return ZF_OK;
}

/* ---- cases -------------------------------------------------------------- */

static const char *const case_list_query[] = {"org", "year", "state", "procedure",
					      "violation", "officer", "overdue", "limit",
					      "after", NULL};

int api_case_list(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st = http_store(req, err);
	struct case_filter f = {0};
	struct officer o = {0};
	struct zf_ctx ctx;
	int64_t year = 0, limit = LIST_LIMIT_DEFAULT;
	json_t *items = NULL;
	const char *s;
	int rc;
	if (!st)
		return ZF_EIO;
	if ((rc = query_check(req, case_list_query, err)) ||
	    (rc = read_ctx(req, st, &ctx, err)))
		return rc;
	if ((rc = api_query_int(req, "year", false, 1900, 9999, &year, err)) ||
	    (rc = api_query_int(req, "limit", false, 1, LIST_LIMIT_MAX, &limit, err)))
		return rc;
	f.year = (int)year;
	f.limit = limit + 1;	/* one more tells whether there is a next page */
	f.state = http_query(req, "state");
	f.procedure = http_query(req, "procedure");
	f.violation = http_query(req, "violation");
	f.after = http_query(req, "after");
	if (f.state && !text_in(f.state, proc_states))
		return zf_fail(err, ZF_EINVAL, "unknown_code", "state", "未知的案件状态“%.40s”",
			       f.state);
	if (f.procedure && strcmp(f.procedure, "general") && strcmp(f.procedure, "simplified"))
		return zf_fail(err, ZF_EINVAL, "unknown_code", "procedure",
			       "程序只能是 general 或 simplified");
	if (f.violation && (rc = text_check(f.violation, "violation", API_KEY_MAX, true, err)))
		return rc;
	if (f.after && !uuid_is_valid(f.after))
		return zf_fail(err, ZF_EINVAL, "invalid_id", "after",
			       "“after”应为上一页最后一个案件的 id");
	if ((rc = api_query_flag(req, "overdue", &f.overdue, err)))
		return rc;
	if ((s = http_query(req, "officer"))) {
		if ((rc = text_check(s, "officer", API_KEY_MAX, true, err)) ||
		    (rc = api_officer_find(st, &ctx, s, "officer", &o, err)))
			goto out;
		f.officer = o.id;
	}
	if (!(rc = store_case_list(st, &ctx, &f, &items, err)))
		rc = api_reply_page(resp, items, limit, err);
out:
	officer_release(&o);
	return rc;
}

static const char *const org_query[] = {"org", NULL};
static const char *const no_query[] = {NULL};

int api_case_get(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st = http_store(req, err);
	struct zf_ctx ctx;
	const char *key;
	json_t *doc = NULL;
	int rc;
	if (!st)
		return ZF_EIO;
	if ((rc = query_check(req, org_query, err)) || (rc = api_path_key(req, "id", &key, err)) ||
	    (rc = read_ctx(req, st, &ctx, err)) ||
	    (rc = store_case_get(st, &ctx, key, &doc, err)))
		return rc;
	return http_reply(resp, 200, doc, err);
}

/* min_officers of the legal parameters in force on `on`. */
static int min_officers(struct zf_date on, int *out, struct zf_error *err)
{
	const struct embed_file *f = embed_find("data/procedure/params.tsv");
	struct proc_params p;
	int rc;
	if (!f)
		ZF_BUG("data/procedure/params.tsv is not embedded");
	if ((rc = proc_params_load((const char *)f->data, f->len, on, &p, err)))
		return rc;
	*out = p.min_officers;
	return ZF_OK;
}

/*
 * Creating a general case with an approver is two steps (register, then
 * file), as `zhifa case file --approver` does, and the store commits each
 * alone.  Check filing's guards (procedure.c guard_approver, guard_officers)
 * first, so that a refused filing does not leave a registered clue behind.
 */
static int file_precheck(struct store *st, struct zf_ctx *ctx, const struct case_step_in *in,
			 struct zf_error *err)
{
	struct officer head = {0}, o = {0};
	char ids[API_MAX_OFFICERS][REG_ID_LEN];
	char d[DATE_STR_LEN];
	size_t distinct = 0;
	int need = 0, rc;
	date_format(in->date, d);
	if ((rc = min_officers(in->date, &need, err)) ||
	    (rc = api_officer_find(st, ctx, in->approver, "approver", &head, err)))
		goto out;
	if (!officer_has_role(&head, "head")) {
		rc = zf_fail(err, ZF_EREFUSED, "approver_not_head", "approver",
			     "%s不是负责人，不能审批（《行政处罚法》第五十七条）", head.name);
		goto out;
	}
	if (head.status && strcmp(head.status, "active")) {
		rc = zf_fail(err, ZF_EREFUSED, "approver_inactive", "approver",
			     "负责人%s当前状态不能审批", head.name);
		goto out;
	}
	for (size_t i = 0; i < in->nofficers; i++) {
		bool dup = false;
		officer_release(&o);
		memset(&o, 0, sizeof(o));
		if ((rc = api_officer_find(st, ctx, in->officers[i], "officers", &o, err)))
			goto out;
		if (!strcmp(o.id, head.id)) {
			rc = zf_fail(err, ZF_EREFUSED, "approver_is_case_officer", "approver",
				     "审批的负责人%s是本案执法人员，应由其他负责人审批"
				     "（《行政处罚法》第五十七条）", head.name);
			goto out;
		}
		if (!officer_may_act_on(&o, in->date)) {
			rc = zf_fail(err, ZF_EREFUSED, "officer_not_certified", "officers",
				     "执法人员%s（执法证号 %s）在 %s 不持有有效执法证或已暂停执法，"
				     "不得实施执法（《行政处罚法》第四十二条）", o.name, o.cert_no, d);
			goto out;
		}
		for (size_t j = 0; j < distinct && !dup; j++)
			dup = !strcmp(ids[j], o.id);
		if (!dup)
			zf_strlcpy(ids[distinct++], o.id, REG_ID_LEN);
	}
	if ((int)distinct < need)
		rc = zf_fail(err, ZF_EREFUSED, "two_officers_required", "officers",
			     "该环节须由不少于 %d 名持有效执法证的执法人员实施，实际 %zu 名"
			     "（《行政处罚法》第四十二条）", need, distinct);
out:
	officer_release(&head);
	officer_release(&o);
	return rc;
}

static const char *const create_fields[] = {
	"procedure", "id", "party", "vehicle", "violation", "act_date", "place", "facts",
	"source", "level", "flags", "officers", "approver", "date", "kind", "amount_fen",
	"form_number", NULL,
};

/* A case the client already created with this id: answered as it stands. */
static int reply_existing(struct http_req *req, struct store *st, const char *id,
			  struct http_resp *resp, bool *done, struct zf_error *err)
{
	json_t *doc = NULL;
	*done = false;
	if (store_case_get(st, &req->ctx, id, &doc, NULL) != ZF_OK)
		return ZF_OK;
	*done = true;
	return http_reply(resp, 200, doc, err);
}

int api_case_create(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st = http_store(req, err);
	struct case_step_in in = {0};
	const char *officers[API_MAX_OFFICERS], *procedure, *id, *approver;
	json_t *body = NULL, *params = NULL, *doc = NULL;
	bool simplified, done = false;
	int rc;
	if (!st)
		return ZF_EIO;
	if ((rc = query_check(req, no_query, err)) ||
	    (rc = http_body(req, create_fields, &body, err)) ||
	    (rc = http_str(body, "procedure", true, 16, &procedure, err)) ||
	    (rc = http_str(body, "id", false, API_KEY_MAX, &id, err)) ||
	    (rc = http_str(body, "party", true, API_KEY_MAX, &in.party, err)) ||
	    (rc = http_str(body, "vehicle", false, API_KEY_MAX, &in.vehicle, err)) ||
	    (rc = http_str(body, "approver", false, API_KEY_MAX, &approver, err)) ||
	    (rc = api_officers(body, true, officers, &in.nofficers, err)) ||
	    (rc = api_date(body, "date", false, instant_local_date(req->ctx.now_us), &in.date,
			   err)))
		goto out;
	simplified = !strcmp(procedure, "simplified");
	if (!simplified && strcmp(procedure, "general")) {
		rc = zf_fail(err, ZF_EINVAL, "unknown_code", "procedure",
			     "程序只能是 general（一般程序）或 simplified（简易程序）");
		goto out;
	}
	if (simplified && approver) {
		rc = zf_fail(err, ZF_EINVAL, "not_allowed", "approver",
			     "当场处罚（简易程序）无须负责人审批");
		goto out;
	}
	if (!simplified) {
		static const char *const onspot_only[] = {"kind", "amount_fen", "form_number", NULL};
		for (size_t i = 0; onspot_only[i]; i++)
			if (json_object_get(body, onspot_only[i])) {
				rc = zf_fail(err, ZF_EINVAL, "not_allowed", onspot_only[i],
					     "一般程序立案时不填写“%s”（在作出处罚决定的环节填写）",
					     onspot_only[i]);
				goto out;
			}
	}
	if ((rc = api_client_id_check(id, err)))
		goto out;
	if (!(params = json_object())) {
		rc = http_oom(err);
		goto out;
	}
	if ((rc = create_params(body, params, err)))
		goto out;
	/* a resent creation (the offline terminal) gets the case it made */
	if (id && ((rc = reply_existing(req, st, id, resp, &done, err)) || done))
		goto out;
	/* who acts: the officers named, or the head who files as approver */
	struct case_step_in file = {.transition = "file", .date = in.date, .officers = officers,
				    .nofficers = in.nofficers, .approver = approver};
	in.transition = simplified ? "decide_on_spot" : "register";
	in.officers = officers;
	in.params = params;
	in.client_id = id;
	if ((rc = step_assigned(req, st, NULL, approver ? &file : &in, err)) ||
	    (approver && (rc = file_precheck(st, &req->ctx, &file, err))))
		goto out;
	rc = store_case_step(st, &req->ctx, NULL, &in, &doc, err);
	if (rc == ZF_ECONFLICT && id && !strcmp(err->code, "case_exists")) {
		/* created by a copy of this request that ran at the same time */
		if ((rc = reply_existing(req, st, id, resp, &done, err)) || done)
			goto out;
		rc = zf_fail(err, ZF_ECONFLICT, "case_exists", "id", "标识为“%s”的案件已存在", id);
	}
	if (rc)
		goto out;
	if (approver) {
		char case_id[REG_ID_LEN];
		json_t *none = json_object();
		zf_strlcpy(case_id, json_string_value(json_object_get(doc, "id")), sizeof(case_id));
		json_decref(doc);
		doc = NULL;
		file.params = none;
		rc = none ? store_case_step(st, &req->ctx, case_id, &file, &doc, err)
			  : http_oom(err);
		json_decref(none);
		if (rc)
			goto out;
	}
	rc = http_reply(resp, 201, doc, err);
	doc = NULL;
out:
	json_decref(body);
	json_decref(params);
	json_decref(doc);
	return rc;
}

/* Apply `in` to the case of path parameter {id}, after the assignment check. */
static int run_step(struct http_req *req, struct http_resp *resp, struct case_step_in *in,
		    struct zf_error *err)
{
	struct store *st = http_store(req, err);
	json_t *doc = NULL, *out = NULL;
	const char *key;
	int rc;
	if (!st)
		return ZF_EIO;
	if ((rc = api_path_key(req, "id", &key, err)) ||
	    (rc = store_case_get(st, &req->ctx, key, &doc, err)))
		return rc;
	if (!(rc = step_assigned(req, st, doc, in, err)))
		rc = store_case_step(st, &req->ctx, json_string_value(json_object_get(doc, "id")),
				     in, &out, err);
	json_decref(doc);
	return rc ? rc : http_reply(resp, 200, out, err);
}

static const char *const step_fields[] = {"transition", "date", "officers", "approver",
					  "reviewer", "params", NULL};

int api_case_step(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct case_step_in in = {0};
	const char *officers[API_MAX_OFFICERS];
	json_t *body = NULL, *params;
	int rc;
	if ((rc = query_check(req, no_query, err)) ||
	    (rc = http_body(req, step_fields, &body, err)) ||
	    (rc = http_str(body, "transition", true, 32, &in.transition, err)) ||
	    (rc = api_date(body, "date", false, instant_local_date(req->ctx.now_us), &in.date,
			   err)) ||
	    (rc = api_officers(body, false, officers, &in.nofficers, err)) ||
	    (rc = http_str(body, "approver", false, API_KEY_MAX, &in.approver, err)) ||
	    (rc = http_str(body, "reviewer", false, API_KEY_MAX, &in.reviewer, err)))
		goto out;
	if (!proc_transition_procedure(in.transition)) {
		rc = zf_fail(err, ZF_EINVAL, "unknown_code", "transition", "未知的程序环节“%.40s”",
			     in.transition);
		goto out;
	}
	if (!strcmp(in.transition, "register") || !strcmp(in.transition, "decide_on_spot")) {
		rc = zf_fail(err, ZF_EINVAL, "not_allowed", "transition",
			     "“%s”新建案件，请使用 POST /api/v1/cases", proc_label(in.transition));
		goto out;
	}
	params = json_object_get(body, "params");
	if (api_has(body, "params") && (rc = check_step_params(params, err)))
		goto out;
	in.officers = officers;
	in.params = json_is_object(params) ? params : NULL;
	rc = run_step(req, resp, &in, err);
out:
	json_decref(body);
	return rc;
}

static const char *const extend_fields[] = {"days", "reason", "approver", "date", NULL};

/* Shorthand for the step "extend" (Art. 60): {"days", "reason", "approver"}. */
int api_case_extend(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct case_step_in in = {.transition = "extend"};
	json_t *body = NULL, *params = NULL;
	const char *reason;
	int64_t days = 0;
	int rc;
	if ((rc = query_check(req, no_query, err)) ||
	    (rc = http_body(req, extend_fields, &body, err)) ||
	    (rc = http_int(body, "days", true, 1, 365, &days, err)) ||
	    (rc = http_str(body, "reason", true, 500, &reason, err)) ||
	    (rc = http_str(body, "approver", false, API_KEY_MAX, &in.approver, err)) ||
	    (rc = api_date(body, "date", false, instant_local_date(req->ctx.now_us), &in.date,
			   err)))
		goto out;
	if (!(params = json_pack("{sI ss}", "days", (json_int_t)days, "reason", reason))) {
		rc = http_oom(err);
		goto out;
	}
	in.params = params;
	rc = run_step(req, resp, &in, err);
out:
	json_decref(params);
	json_decref(body);
	return rc;
}

static const char *const note_fields[] = {"text", "date", NULL};

/* Shorthand for the step "note": {"text"}. */
int api_case_note(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct case_step_in in = {.transition = "note"};
	json_t *body = NULL, *params = NULL;
	const char *text;
	int rc;
	if ((rc = query_check(req, no_query, err)) ||
	    (rc = http_body(req, note_fields, &body, err)) ||
	    (rc = http_str(body, "text", true, 2000, &text, err)) ||
	    (rc = api_date(body, "date", false, instant_local_date(req->ctx.now_us), &in.date,
			   err)))
		goto out;
	if (!(params = json_pack("{ss}", "text", text))) {
		rc = http_oom(err);
		goto out;
	}
	in.params = params;
	rc = run_step(req, resp, &in, err);
out:
	json_decref(params);
	json_decref(body);
	return rc;
}

/* ---- clocks ------------------------------------------------------------- */

static const char *const clock_query[] = {"org", "due_within", NULL};

/* ?due_within=3 (or "3d", as the CLI takes it): 0..3660 days, default 3. */
static int due_within(const struct http_req *req, int64_t *days, struct zf_error *err)
{
	const char *w = http_query(req, "due_within");
	char num[16];
	size_t n;
	*days = 3;
	if (!w)
		return ZF_OK;
	n = strlen(w);
	if (n && w[n - 1] == 'd')
		n--;
	if (n >= sizeof(num))
		return zf_fail(err, ZF_EINVAL, "invalid_number", "due_within",
			       "“due_within”应为 0 到 3660 之间的天数");
	memcpy(num, w, n);
	num[n] = '\0';
	return text_parse_int(num, 0, 3660, days, "due_within", err);
}

static int clocks(struct http_req *req, struct store *st, struct zf_ctx *ctx, json_t **out,
		  struct zf_error *err)
{
	int64_t days;
	int rc;
	if ((rc = query_check(req, clock_query, err)) || (rc = due_within(req, &days, err)) ||
	    (rc = read_ctx(req, st, ctx, err)))
		return rc;
	return store_clock_list(st, ctx, (int)days, out, err);
}

int api_clock_list(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st = http_store(req, err);
	struct zf_ctx ctx;
	json_t *out = NULL;
	int rc;
	if (!st)
		return ZF_EIO;
	if ((rc = clocks(req, st, &ctx, &out, err)))
		return rc;
	return http_reply(resp, 200, out, err);
}

static const char *const case_type[] = {"case", NULL};

/* The clocks of cases the user's officer is an officer of. */
int api_clock_mine(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st = http_store(req, err);
	const char *me = req->user.officer_id;
	struct zf_ctx ctx;
	json_t *all = NULL, *mine = NULL, *seen = NULL, *c;
	size_t i;
	int rc;
	if (!st)
		return ZF_EIO;
	if ((rc = clocks(req, st, &ctx, &all, err)))
		return rc;
	mine = json_array();
	seen = json_object();	/* case id -> whether it is the user's */
	if (!mine || !seen) {
		rc = http_oom(err);
		goto out;
	}
	json_array_foreach(all, i, c) {
		const char *case_id = json_string_value(json_object_get(c, "object_id"));
		json_t *known;
		if (!me || !*me || !case_id ||
		    !text_in(json_string_value(json_object_get(c, "object_type")), case_type))
			continue;
		if (!(known = json_object_get(seen, case_id))) {
			json_t *doc = NULL;
			if ((rc = store_case_get(st, &ctx, case_id, &doc, err)))
				goto out;
			known = json_boolean(api_is_case_officer(doc, me));
			json_decref(doc);
			if (json_object_set_new(seen, case_id, known)) {
				rc = http_oom(err);
				goto out;
			}
		}
		if (json_is_true(known) && json_array_append(mine, c)) {
			rc = http_oom(err);
			goto out;
		}
	}
	rc = http_reply(resp, 200, mine, err);
	mine = NULL;
out:
	json_decref(all);
	json_decref(mine);
	json_decref(seen);
	return rc;
}

/* ---- documents and stocks ----------------------------------------------- */

static const char *const void_fields[] = {"reason", NULL};

int api_document_void(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st = http_store(req, err);
	json_t *body = NULL;
	const char *number, *reason;
	int rc;
	if (!st)
		return ZF_EIO;
	if (!(rc = query_check(req, no_query, err)) &&
	    !(rc = api_path_key(req, "number", &number, err)) &&
	    !(rc = http_body(req, void_fields, &body, err)) &&
	    !(rc = http_str(body, "reason", true, 200, &reason, err)) &&
	    !(rc = store_document_void(st, &req->ctx, number, reason, err)))
		rc = http_reply(resp, 200, json_pack("{ss ss}", "number", number, "status", "void"),
				err);
	json_decref(body);
	return rc;
}

static const char *const stock_fields[] = {"kind", "prefix", "first", "last", "width", NULL};

int api_stock_add(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st = http_store(req, err);
	json_t *body = NULL, *out = NULL;
	const char *kind, *prefix;
	int64_t first = 0, last = 0, width = 4;
	int rc;
	if (!st)
		return ZF_EIO;
	if (!(rc = query_check(req, no_query, err)) &&
	    !(rc = http_body(req, stock_fields, &body, err)) &&
	    !(rc = http_str(body, "kind", true, 32, &kind, err)) &&
	    !(rc = http_str(body, "prefix", true, 16, &prefix, err)) &&
	    !(rc = http_int(body, "first", true, 0, 999999999, &first, err)) &&
	    !(rc = http_int(body, "last", true, 0, 999999999, &last, err)) &&
	    !(rc = http_int(body, "width", false, 1, 12, &width, err)) &&
	    !(rc = store_stock_add(st, &req->ctx, kind, prefix, first, last, (int)width, &out,
				   err)))
		rc = http_reply(resp, 201, out, err);
	json_decref(body);
	return rc;
}

/* ---- violations and discretion ------------------------------------------ */

int api_violation_list(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st = http_store(req, err);
	struct violation_catalogue cat;
	struct zf_ctx ctx;
	json_t *arr;
	int rc;
	if (!st)
		return ZF_EIO;
	if ((rc = query_check(req, org_query, err)) || (rc = read_ctx(req, st, &ctx, err)) ||
	    (rc = store_violation_catalogue(st, ctx.org_id, &cat, err)))
		return rc;
	arr = json_array();
	for (size_t i = 0; arr && i < cat.n; i++) {
		const struct violation *v = &cat.items[i];
		if (json_array_append_new(arr, json_pack("{ss ss ss ss}", "code", v->code, "name",
							 v->name, "category", v->category,
							 "confidence", v->confidence))) {
			json_decref(arr);
			arr = NULL;
		}
	}
	violation_catalogue_release(&cat);
	return http_reply(resp, 200, arr, err);
}

int api_violation_get(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st = http_store(req, err);
	struct violation_catalogue cat;
	const struct violation *v;
	struct zf_ctx ctx;
	const char *code;
	int rc;
	if (!st)
		return ZF_EIO;
	if ((rc = query_check(req, org_query, err)) ||
	    (rc = api_path_key(req, "code", &code, err)) ||
	    (rc = read_ctx(req, st, &ctx, err)) ||
	    (rc = store_violation_catalogue(st, ctx.org_id, &cat, err)))
		return rc;
	if ((v = violation_find(&cat, code)))
		rc = http_reply(resp, 200, violation_to_json(v), err);
	else
		rc = zf_fail(err, ZF_ENOTFOUND, "unknown_code", "code",
			     "违法行为代码“%s”不在违法行为目录中", code);
	violation_catalogue_release(&cat);
	return rc;
}

static const char *const import_fields[] = {"name", "standard", NULL};

/* {"name", "standard"}: the province's standard as a JSON object or its text. */
int api_violation_import(struct http_req *req, struct http_resp *resp, struct zf_error *err)
{
	struct store *st = http_store(req, err);
	json_t *body = NULL, *out = NULL, *std;
	const char *name, *text;
	char *dumped = NULL;
	int rc;
	if (!st)
		return ZF_EIO;
	if ((rc = query_check(req, no_query, err)) ||
	    (rc = http_body(req, import_fields, &body, err)) ||
	    (rc = http_str(body, "name", true, 100, &name, err)))
		goto out;
	std = json_object_get(body, "standard");
	if (!std || json_is_null(std)) {
		rc = zf_fail(err, ZF_EINVAL, "required", "standard", "“standard”为必填项");
		goto out;
	}
	if (json_is_object(std))
		text = dumped = json_dumps(std, JSON_COMPACT);
	else if (json_is_string(std))
		text = json_string_value(std);
	else {
		rc = zf_fail(err, ZF_EINVAL, "invalid_type", "standard",
			     "“standard”应为裁量基准的 JSON 对象或其文本");
		goto out;
	}
	if (!text) {
		rc = http_oom(err);
		goto out;
	}
	if (!(rc = store_violation_import(st, &req->ctx, name, text, strlen(text), &out, err)))
		rc = http_reply(resp, 201, out, err);
out:
	free(dumped);	/* jansson's allocator */
	json_decref(body);
	return rc;
}

static const struct {
	const char *code;
	unsigned bit;
} ground_codes[] = {
	{"eliminated_harm", ART32_ELIMINATED_HARM},
	{"coerced", ART32_COERCED},
	{"confessed", ART32_CONFESSED},
	{"meritorious", ART32_MERITORIOUS},
};

/* "ground": ["confessed", ...], the Art. 32 grounds by code. */
static int get_grounds(const json_t *body, unsigned *out, struct zf_error *err)
{
	json_t *a = json_object_get(body, "ground"), *v;
	size_t i;
	*out = 0;
	if (!a || json_is_null(a))
		return ZF_OK;
	if (!json_is_array(a))
		return zf_fail(err, ZF_EINVAL, "invalid_type", "ground",
			       "“ground”应为从轻、减轻处罚情节代码的数组");
	json_array_foreach(a, i, v) {
		const char *s = json_string_value(v);
		bool found = false;
		for (size_t k = 0; s && k < ZF_ARRAY_LEN(ground_codes); k++)
			if (!strcmp(s, ground_codes[k].code)) {
				*out |= ground_codes[k].bit;
				found = true;
			}
		if (!found)
			return zf_fail(err, ZF_EINVAL, "unknown_code", "ground",
				       "“%.40s”不是从轻、减轻处罚情节代码（《中华人民共和国行政处罚法》"
				       "第三十二条：eliminated_harm、coerced、confessed、meritorious）",
				       s ? s : "");
	}
	return ZF_OK;
}

static const char *const propose_fields[] = {
	"violation", "act_date", "decision_date", "party_kind", "ground", "level",
	"minor_corrected", "first_offence", "no_fault", "amount_fen", NULL,
};

/* What `zhifa discretion propose` computes; writes nothing. */
int api_discretion_propose(struct http_req *req, struct http_resp *resp,
			   struct zf_error *err)
{
	struct store *st = http_store(req, err);
	struct violation_catalogue cat;
	struct discretion_input in = {0};
	struct discretion_proposal p;
	const char *party;
	json_t *body = NULL;
	int rc;
	if (!st)
		return ZF_EIO;
	if ((rc = query_check(req, no_query, err)) ||
	    (rc = http_body(req, propose_fields, &body, err)) ||
	    (rc = http_str(body, "violation", true, API_KEY_MAX, &in.violation, err)) ||
	    (rc = api_date(body, "act_date", true, in.act_date, &in.act_date, err)) ||
	    (rc = api_date(body, "decision_date", false, instant_local_date(req->ctx.now_us),
			   &in.decision_date, err)) ||
	    (rc = http_str(body, "party_kind", true, 8, &party, err)) ||
	    (rc = http_str(body, "level", false, 32, &in.level, err)) ||
	    (rc = get_grounds(body, &in.art32, err)) ||
	    (rc = api_bool(body, "minor_corrected", &in.minor_corrected, err)) ||
	    (rc = api_bool(body, "first_offence", &in.first_offence, err)) ||
	    (rc = api_bool(body, "no_fault", &in.no_fault, err)))
		goto out;
	in.has_amount = api_has(body, "amount_fen");
	if ((rc = http_int(body, "amount_fen", false, 0, 10000000000LL, &in.amount_fen, err)))
		goto out;
	if (strcmp(party, "person") && strcmp(party, "org")) {
		rc = zf_fail(err, ZF_EINVAL, "unknown_code", "party_kind",
			     "“party_kind”应为 person（公民）或 org（法人或者其他组织）");
		goto out;
	}
	in.party_is_org = !strcmp(party, "org");
	if ((rc = store_violation_catalogue(st, req->ctx.org_id, &cat, err)))
		goto out;
	if (!(rc = discretion_propose(&cat, &in, &p, err))) {
		rc = http_reply(resp, 200, discretion_proposal_to_json(&p), err);
		discretion_proposal_release(&p);
	}
	violation_catalogue_release(&cat);
out:
	json_decref(body);
	return rc;
}
