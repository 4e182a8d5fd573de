/*
 * The penalty procedure in the store: each step of a case is one
 * transaction that loads the case and everything its guards need as plain
 * values, asks src/domain/procedure.c whether the law allows it, numbers
 * the documents it issues, moves its clocks, writes the case and the step,
 * and appends one ledger entry committing to the case's new state.
 */
#include <string.h>

#include "embed.h"
#include "procedure.h"
#include "settings.h"
#include "store_int.h"
#include "text.h"

static const struct embed_file *data_file(const char *name)
{
	const struct embed_file *f = embed_find(name);
	if (!f)
		ZF_BUG("data file %s is not embedded", name);
	return f;
}

int store__proc_params(struct zf_date on, struct proc_params *p, struct zf_error *err)
{
	const struct embed_file *f = data_file("data/procedure/params.tsv");
	return proc_params_load((const char *)f->data, f->len, on, p, err);
}

static int add_violations(void *arg, const char *text, size_t len)
{
	struct zf_error ignored;
	return violation_catalogue_load_json(arg, text, len, true, &ignored);
}

int store_violation_catalogue(struct store *st, const char *org_id,
			      struct violation_catalogue *out, struct zf_error *err)
{
	int rc = ZF_OK;
	violation_catalogue_init(out);
	for (const struct embed_file *f = embed_files; !rc && f->name; f++)
		if (!strncmp(f->name, "data/violations/", 16) && strstr(f->name, ".json"))
			rc = violation_catalogue_load_json(out, (const char *)f->data,
							   f->len, false, err);
	if (!rc && org_id)
		rc = st->ops->import_texts(st, org_id, add_violations, out, err);
	if (rc)
		violation_catalogue_release(out);
	return rc;
}

int store_violation_import(struct store *st, struct zf_ctx *ctx, const char *name,
			   const char *text, size_t len, json_t **out,
			   struct zf_error *err)
{
	struct violation_catalogue cat;
	char id[REG_ID_LEN];
	char *row = NULL;
	json_t *state = NULL;
	int rc;
	if ((rc = store__need_org(ctx, err)) ||
	    (rc = text_check(name, "name", 100, true, err)))
		return rc;
	/* the file must load on top of the catalogue as it stands */
	if ((rc = store_violation_catalogue(st, ctx->org_id, &cat, err)))
		return rc;
	rc = violation_catalogue_load_json(&cat, text, len, true, err);
	size_t n = cat.n;
	violation_catalogue_release(&cat);
	if (rc || (rc = store__new_id(ctx, id, err)))
		return rc;
	if ((rc = store__tx_begin(st, err)))
		return rc;
	rc = st->ops->import_insert(st, ctx->org_id, id, name, text, len, ctx->now_us, err);
	if (!rc)
		rc = st->ops->import_json(st, ctx->org_id, id, &row, err);
	if (!rc && !(state = json_loads(row, 0, NULL)))
		rc = store__oom(err);
	if (!rc) {
		struct store_mutation m = {ctx->org_id, "violation.import",
					   "violation_import", id, state, NULL};
		rc = store__append(st, ctx, &m, NULL, err);
	}
	zf_free(row);
	json_decref(state);
	rc = store__tx_end(st, rc, err);
	if (!rc && out)
		*out = json_pack("{ss ss sI}", "id", id, "name", name, "violations",
				 (json_int_t)n);
	return rc;
}

/* ---- the case's state ------------------------------------------------- */

static json_t *parse_or_empty(char *text)
{
	json_t *j = text ? json_loads(text, 0, NULL) : NULL;
	zf_free(text);
	return j;
}

static int case_year(const json_t *doc);
static const char *jget(const json_t *o, const char *k);

/* The row's index columns (what case list filters on) agree with the case
 * document they are copied from. */
static bool case_row_ok(struct store *st, const char *org_id, const char *id,
			const json_t *doc)
{
	static const char *const keys[] = {"number", "procedure", "state", "violation",
					   "party_id", "filed_date", "decided_date"};
	char *text = NULL;
	struct zf_error err;
	if (st->ops->case_row_json(st, org_id, id, &text, &err))
		return false;
	json_t *row = json_loads(text, 0, NULL), *want = json_object();
	zf_free(text);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v = jget(doc, keys[i]);
		json_object_set_new(want, keys[i], v ? json_string(v) : json_null());
	}
	json_object_set_new(want, "year", json_integer(case_year(doc)));
	bool ok = row && json_equal(row, want);
	json_decref(row);
	json_decref(want);
	return ok;
}

json_t *store__case_state(struct store *st, const char *org_id, const char *id)
{
	char cid[REG_ID_LEN], *doc = NULL, *steps = NULL, *docs = NULL;
	struct deadline *clocks = NULL;
	size_t n = 0;
	struct zf_error err;
	if (st->ops->case_get(st, org_id, id, cid, &doc, &err))
		return NULL;
	json_t *j = json_object();
	json_object_set_new(j, "doc", parse_or_empty(doc));
	/* an index column edited behind the ledger matches no recorded state */
	if (!case_row_ok(st, org_id, cid, json_object_get(j, "doc")))
		json_object_set_new(j, "row_mismatch", json_true());
	if (!st->ops->steps_json(st, org_id, cid, &steps, &err))
		json_object_set_new(j, "steps", parse_or_empty(steps));
	if (!st->ops->documents_json(st, org_id, cid, &docs, &err))
		json_object_set_new(j, "documents", parse_or_empty(docs));
	json_t *cl = json_array();
	if (!st->ops->clocks(st, org_id, cid, NULL, &clocks, &n, &err))
		for (size_t i = 0; i < n; i++)
			json_array_append_new(cl, store__deadline_state(&clocks[i]));
	store_deadline_list_free(clocks, n);
	json_object_set_new(j, "clocks", cl);
	return j;
}

/* ---- the environment of a step ---------------------------------------- */

struct step_env {
	struct proc_env env;
	struct proc_params params;
	struct calendar cal;
	struct violation_catalogue cat;
	struct proc_doc_kinds kinds;
	struct officer officers[12];
	size_t nofficers;
	struct deadline *clocks;
	size_t nclocks;
	struct proc_clock pclocks[16];
	struct org org;
	char *pattern;
};

static void step_env_release(struct step_env *e)
{
	calendar_release(&e->cal);
	violation_catalogue_release(&e->cat);
	proc_doc_kinds_release(&e->kinds);
	for (size_t i = 0; i < e->nofficers; i++)
		officer_release(&e->officers[i]);
	store_deadline_list_free(e->clocks, e->nclocks);
	org_release(&e->org);
	zf_free(e->pattern);
}

/* Resolve an officer by id or certificate number into the env; *id_out the id. */
static int add_officer(struct store *st, struct step_env *e, const char *org_id,
		       const char *key, const char *field, const char **id_out,
		       struct zf_error *err)
{
	for (size_t i = 0; i < e->nofficers; i++)
		if (!strcmp(e->officers[i].id, key) || !strcmp(e->officers[i].cert_no, key)) {
			*id_out = e->officers[i].id;
			return ZF_OK;
		}
	if (e->nofficers == ZF_ARRAY_LEN(e->officers))
		return zf_fail(err, ZF_EINVAL, "too_many_officers", field, "执法人员过多");
	struct officer *o = &e->officers[e->nofficers];
	memset(o, 0, sizeof(*o));
	int rc = st->ops->officer_get(st, org_id, key, o, err);
	if (rc) {
		officer_release(o);
		memset(o, 0, sizeof(*o));
		zf_strlcpy(err->field, field, sizeof(err->field));
		return rc;
	}
	e->nofficers++;
	*id_out = o->id;
	return ZF_OK;
}

static int setting_fen(const json_t *settings, const char *key, int64_t *out,
		       struct zf_error *err)
{
	int64_t yuan;
	int rc = text_parse_int(json_string_value(json_object_get(settings, key)), 1,
				INT64_MAX / 1000, &yuan, key, err);
	*out = yuan * 100;
	return rc;
}

static int load_env(struct store *st, struct zf_ctx *ctx, const json_t *doc,
		    const char *case_id, const char *party_id,
		    const struct case_step_in *in, json_t *params, struct step_env *e,
		    const char **officer_ids, const char **approver,
		    const char **reviewer, struct zf_error *err)
{
	json_t *settings = NULL;
	int64_t window = 0, prior = 0;
	int rc;
	const struct embed_file *kinds = data_file("data/procedure/documents.tsv");
	if ((rc = store__proc_params(in->date, &e->params, err)) ||
	    (rc = store_calendar_get(st, ctx->org_id, &e->cal, err)) ||
	    (rc = store_violation_catalogue(st, ctx->org_id, &e->cat, err)) ||
	    (rc = proc_doc_kinds_load((const char *)kinds->data, kinds->len, &e->kinds, err)) ||
	    (rc = st->ops->org_find(st, ctx->org_id, &e->org, err)) ||
	    (rc = store_org_settings(st, ctx->org_id, &settings, err)))
		return rc;
	if ((rc = text_parse_int(json_string_value(json_object_get(settings,
				 "statement_window_working_days")), 1, 30, &window,
				 "statement_window_working_days", err)) ||
	    (rc = setting_fen(settings, "hearing_threshold_person_yuan",
			      &e->env.hearing_threshold_person_fen, err)) ||
	    (rc = setting_fen(settings, "hearing_threshold_org_yuan",
			      &e->env.hearing_threshold_org_fen, err))) {
		json_decref(settings);
		return rc;
	}
	e->pattern = zf_strdup(json_string_value(json_object_get(settings,
							      "doc_number_pattern")));
	json_decref(settings);
	if (!e->pattern)
		return store__oom(err);
	e->env.statement_window_working_days = (int)window;
	for (size_t i = 0; i < in->nofficers; i++)
		if ((rc = add_officer(st, e, ctx->org_id, in->officers[i], "officers",
				      &officer_ids[i], err)))
			return rc;
	if (in->approver && (rc = add_officer(st, e, ctx->org_id, in->approver,
					      "approver", approver, err)))
		return rc;
	if (in->reviewer) {
		if ((rc = add_officer(st, e, ctx->org_id, in->reviewer, "reviewer",
				      reviewer, err)) ||
		    (rc = st->ops->reviews_by(st, ctx->org_id, *reviewer, &prior, err)))
			return rc;
	}
	const char *presider = json_string_value(json_object_get(params, "presider"));
	const char *pid;
	if (presider && (rc = add_officer(st, e, ctx->org_id, presider, "presider",
					  &pid, err)))
		return rc;
	/* the guards compare officer ids: the presider may be named by certificate */
	if (presider)
		json_object_set_new(params, "presider", json_string(pid));
	if (party_id) {
		struct party p = {0};
		if (st->ops->party_get(st, ctx->org_id, party_id, &p, NULL) == ZF_OK) {
			e->env.party_known = true;
			e->env.party_is_org = p.kind && !strcmp(p.kind, "org");
		}
		party_release(&p);
	}
	if (case_id && (rc = st->ops->clocks(st, ctx->org_id, case_id, NULL, &e->clocks,
					      &e->nclocks, err)))
		return rc;
	for (size_t i = 0; i < e->nclocks && i < ZF_ARRAY_LEN(e->pclocks); i++) {
		e->pclocks[i].kind = e->clocks[i].kind;
		e->pclocks[i].due = e->clocks[i].due;
		e->pclocks[i].open = !strcmp(e->clocks[i].status, "open");
		e->pclocks[i].paused = e->clocks[i].has_paused_since;
	}
	(void)doc;
	e->env.today = instant_local_date(ctx->now_us);
	e->env.cal = &e->cal;
	e->env.cat = &e->cat;
	e->env.params = &e->params;
	e->env.officers = e->officers;
	e->env.nofficers = e->nofficers;
	e->env.reviewer_prior_reviews = (int)prior;
	e->env.clocks = e->pclocks;
	e->env.nclocks = e->nclocks < ZF_ARRAY_LEN(e->pclocks) ? e->nclocks
							       : ZF_ARRAY_LEN(e->pclocks);
	return ZF_OK;
}

/* ---- effects ---------------------------------------------------------- */

/* A pre-printed number "<prefix><digits>" within a registered stock range. */
static int match_stock(struct store *st, const char *org_id, const char *kind,
		       const char *number, char stock_id[REG_ID_LEN],
		       struct zf_error *err)
{
	char *text = NULL;
	int rc = st->ops->stocks_json(st, org_id, &text, err);
	if (rc)
		return rc;
	json_t *all = parse_or_empty(text);
	size_t i;
	json_t *s;
	bool found = false;
	json_array_foreach(all, i, s) {
		const char *prefix = json_string_value(json_object_get(s, "prefix"));
		size_t plen = prefix ? strlen(prefix) : 0;
		int64_t v;
		if (strcmp(json_string_value(json_object_get(s, "kind")), kind) ||
		    strncmp(number, prefix, plen) ||
		    (int64_t)strlen(number + plen) != json_integer_value(json_object_get(s, "width")) ||
		    text_parse_int(number + plen, 0, INT64_MAX / 2, &v, "form_number", NULL))
			continue;
		if (v >= json_integer_value(json_object_get(s, "first")) &&
		    v <= json_integer_value(json_object_get(s, "last"))) {
			zf_strlcpy(stock_id, json_string_value(json_object_get(s, "id")),
				   REG_ID_LEN);
			found = true;
			break;
		}
	}
	json_decref(all);
	if (!found)
		return zf_fail(err, ZF_EREFUSED, "form_not_in_stock", "form_number",
			       "编号“%s”不在已登记的预印文书号段内（《行政处罚法》第五十二条：使用"
			       "预定格式、编有号码的决定书）", number);
	return ZF_OK;
}

static int issue_documents(struct store *st, struct zf_ctx *ctx, struct step_env *e,
			   const char *case_id, const struct proc_effects *fx,
			   struct zf_date date, json_t *doc, struct zf_error *err)
{
	char on[DATE_STR_LEN];
	date_format(date, on);
	for (size_t i = 0; i < fx->ndocs; i++) {
		const struct proc_doc_effect *d = &fx->docs[i];
		const struct proc_doc_kind *k = proc_doc_kind_find(&e->kinds, d->kind);
		char id[REG_ID_LEN], stock[REG_ID_LEN] = "";
		char *number = NULL;
		int64_t seq = 0;
		int rc;
		if (!k)
			ZF_BUG("document kind %s missing from documents.tsv", d->kind);
		if ((rc = store__new_id(ctx, id, err)))
			return rc;
		if (d->stock_number) {
			if ((rc = text_check(d->stock_number, "form_number", 32, true, err)) ||
			    (rc = match_stock(st, ctx->org_id, d->kind, d->stock_number,
					      stock, err)))
				return rc;
			number = zf_strdup(d->stock_number);
		} else {
			if ((rc = st->ops->counter_next(st, ctx->org_id, d->kind, date.y,
							&seq, err)))
				return rc;
			number = proc_doc_number(e->pattern, e->org.doc_abbr, k->word,
						 date.y, seq);
		}
		if (!number)
			return store__oom(err);
		rc = st->ops->document_insert(st, ctx->org_id, id, case_id, d->kind, date.y,
					      seq, number, on, stock[0] ? stock : NULL, err);
		if (!rc) {
			json_t *at = json_object_get(doc, d->path);
			if (!json_is_object(at)) {
				at = json_object();
				json_object_set_new(doc, d->path, at);
			}
			json_object_set_new(at, "number", json_string(number));
			if (!strcmp(d->kind, "filing_form") || !strcmp(d->kind, "onsite_decision"))
				json_object_set_new(doc, "number", json_string(number));
		}
		zf_free(number);
		if (rc)
			return rc;
	}
	return ZF_OK;
}

static struct deadline *find_clock(struct step_env *e, const char *kind)
{
	for (size_t i = 0; i < e->nclocks; i++)
		if (!strcmp(e->clocks[i].kind, kind))
			return &e->clocks[i];
	return NULL;
}

static int move_clocks(struct store *st, struct zf_ctx *ctx, struct step_env *e,
		       const char *case_id, const struct proc_effects *fx, json_t *doc,
		       struct zf_error *err)
{
	for (size_t i = 0; i < fx->nclocks; i++) {
		const struct proc_clock_effect *c = &fx->clocks[i];
		struct deadline *d = find_clock(e, c->kind);
		struct deadline fresh = {0};
		bool insert = false;
		int rc = ZF_OK;
		if (c->op == CLOCK_OPEN && !d) {
			d = &fresh;
			insert = true;
			zf_strlcpy(d->org_id, ctx->org_id, sizeof(d->org_id));
			if ((rc = store__new_id(ctx, d->id, err)))
				return rc;
			if (!zf_set_str(&d->object_type, "case") ||
			    !zf_set_str(&d->object_id, case_id) ||
			    !zf_set_str(&d->case_id, case_id) || !zf_set_str(&d->kind, c->kind))
				rc = store__oom(err);
		}
		if (!d) /* effects on a clock the case never opened change nothing */
			continue;
		switch (c->op) {
		case CLOCK_OPEN:
			d->start = c->date;
			d->unit = c->unit;
			d->count = c->count;
			d->has_met_on = d->has_paused_since = false;
			d->paused_days = d->extended_days = 0;
			if (!rc && (!zf_set_str(&d->basis, c->basis) ||
				    !zf_set_str(&d->status, "open")))
				rc = store__oom(err);
			break;
		case CLOCK_MET:
		case CLOCK_CANCEL:
			if (strcmp(d->status, "open"))
				continue;
			if (!zf_set_str(&d->status, c->op == CLOCK_MET ? "met" : "cancelled"))
				rc = store__oom(err);
			d->has_met_on = true;
			d->met_on = c->date;
			break;
		case CLOCK_PAUSE:
			d->has_paused_since = true;
			d->paused_since = c->date;
			break;
		case CLOCK_RESUME:
			if (d->has_paused_since)
				d->paused_days += (int)(date_to_days(c->date) -
							date_to_days(d->paused_since));
			d->has_paused_since = false;
			break;
		case CLOCK_EXTEND:
			d->extended_days += c->count;
			break;
		}
		if (!rc)
			rc = store__deadline_compute(&e->cal, d, err);
		if (!rc)
			rc = insert ? st->ops->deadline_insert(st, d, ctx->now_us, err)
				    : st->ops->deadline_update_due(st, d, ctx->now_us, err);
		if (!rc && c->op == CLOCK_EXTEND) {
			/* the extension record names the new due date */
			json_t *ext = json_object_get(doc, "extensions");
			json_t *last = json_array_get(ext, json_array_size(ext) - 1);
			char due[DATE_STR_LEN];
			date_format(d->due, due);
			if (last)
				json_object_set_new(last, "new_due", json_string(due));
		}
		if (insert)
			deadline_release(&fresh);
		if (rc)
			return rc;
	}
	return ZF_OK;
}

static const char *jget(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* The year a case counts in: decided that year, else filed, else discovered. */
static int case_year(const json_t *doc)
{
	const char *d = jget(doc, "decided_date");
	if (!d)
		d = jget(doc, "filed_date");
	if (!d)
		d = jget(doc, "discovered_date");
	return d && strlen(d) >= 4 ? (d[0] - '0') * 1000 + (d[1] - '0') * 100 +
					     (d[2] - '0') * 10 + (d[3] - '0')
				   : 0;
}

int store_case_step(struct store *st, struct zf_ctx *ctx, const char *key,
		    const struct case_step_in *in, json_t **out, struct zf_error *err)
{
	struct step_env e;
	struct proc_effects fx;
	struct proc_request rq = {0};
	const char *officer_ids[12] = {0}, *approver = NULL, *reviewer = NULL;
	char case_id[REG_ID_LEN] = "", step_id[REG_ID_LEN];
	char party_id[REG_ID_LEN] = "", vehicle_id[REG_ID_LEN] = "";
	char *doc_text = NULL, *new_text = NULL, *officers_text = NULL, *params_text = NULL;
	json_t *doc = NULL, *next = NULL, *params = NULL, *state = NULL, *steps = NULL;
	int64_t seq = 0, head = 0, nsteps = 0;
	int rc;
	memset(&e, 0, sizeof(e));
	calendar_init(&e.cal);
	violation_catalogue_init(&e.cat);
	if ((rc = store__need_org(ctx, err)))
		return rc;
	if (in->nofficers > ZF_ARRAY_LEN(officer_ids))
		return zf_fail(err, ZF_EINVAL, "too_many_officers", "officers", "执法人员过多");
	if ((rc = store__tx_begin(st, err)))
		return rc;
	params = in->params ? json_deep_copy(in->params) : json_object();
	if (!params) {
		rc = store__oom(err);
		goto out;
	}
	if (key) {
		if ((rc = st->ops->case_get(st, ctx->org_id, key, case_id, &doc_text, err)))
			goto out;
		if (!(doc = json_loads(doc_text, 0, NULL))) {
			rc = zf_fail(err, ZF_ESTORE, "case_corrupt", "case", "案件数据无法读取");
			goto out;
		}
		zf_strlcpy(party_id, jget(doc, "party_id") ? jget(doc, "party_id") : "",
			   sizeof(party_id));
	} else {
		/* a new case: its id, the party and the vehicle */
		struct party p = {0};
		struct vehicle v = {0};
		if (in->client_id)
			zf_strlcpy(case_id, in->client_id, sizeof(case_id));
		if ((rc = store__client_id(ctx, case_id, err)))
			goto out;
		char *existing = NULL, eid[REG_ID_LEN];
		if (st->ops->case_get(st, ctx->org_id, case_id, eid, &existing, NULL) == ZF_OK) {
			zf_free(existing);
			rc = zf_fail(err, ZF_ECONFLICT, "case_exists", "id",
				     "标识为“%s”的案件已存在", case_id);
			goto out;
		}
		if (!in->party || st->ops->party_get(st, ctx->org_id, in->party, &p, err)) {
			party_release(&p);
			rc = zf_fail(err, ZF_EINVAL, "party_not_found", "party",
				     "找不到当事人“%s”", in->party ? in->party : "");
			goto out;
		}
		zf_strlcpy(party_id, p.id, sizeof(party_id));
		party_release(&p);
		if (in->vehicle) {
			if ((rc = st->ops->vehicle_get(st, ctx->org_id, in->vehicle, &v, err))) {
				vehicle_release(&v);
				zf_strlcpy(err->field, "vehicle", sizeof(err->field));
				goto out;
			}
			zf_strlcpy(vehicle_id, v.id, sizeof(vehicle_id));
			vehicle_release(&v);
			json_object_set_new(params, "vehicle_id", json_string(vehicle_id));
		}
		json_object_set_new(params, "id", json_string(case_id));
		json_object_set_new(params, "org_id", json_string(ctx->org_id));
		json_object_set_new(params, "party_id", json_string(party_id));
	}
	if ((rc = load_env(st, ctx, doc, key ? case_id : NULL, party_id, in, params, &e,
			   officer_ids, &approver, &reviewer, err)))
		goto out;
	rq.transition = in->transition;
	rq.date = in->date;
	rq.officers = officer_ids;
	rq.nofficers = in->nofficers;
	rq.approver = approver;
	rq.reviewer = reviewer;
	rq.params = params;
	if ((rc = proc_apply(doc, &rq, &e.env, &next, &fx, err)))
		goto out;
	if (!key) {
		/* a new case's row must exist before the documents and clocks that
		 * refer to it (document.case_id is a foreign key): insert it now,
		 * update it below once the documents are numbered */
		char *first = json_dumps(next, JSON_COMPACT | JSON_SORT_KEYS);
		struct store_case_row row0 = {
			ctx->org_id, case_id, NULL, jget(next, "procedure"),
			jget(next, "state"), jget(next, "violation"), party_id,
			case_year(next), jget(next, "filed_date"), jget(next, "decided_date"),
			first, ctx->now_us,
		};
		rc = first ? st->ops->case_put(st, &row0, true, err) : store__oom(err);
		zf_free(first);
		if (rc)
			goto out;
	}
	if ((rc = issue_documents(st, ctx, &e, case_id, &fx, in->date, next, err)) ||
	    (rc = move_clocks(st, ctx, &e, case_id, &fx, next, err)))
		goto out;

	char filed[DATE_STR_LEN] = "", decided[DATE_STR_LEN] = "", on[DATE_STR_LEN];
	zf_strlcpy(filed, jget(next, "filed_date") ? jget(next, "filed_date") : "", sizeof(filed));
	zf_strlcpy(decided, jget(next, "decided_date") ? jget(next, "decided_date") : "",
		   sizeof(decided));
	date_format(in->date, on);
	if (!(new_text = json_dumps(next, JSON_COMPACT | JSON_SORT_KEYS))) {
		rc = store__oom(err);
		goto out;
	}
	struct store_case_row row = {
		ctx->org_id, case_id, jget(next, "number"), jget(next, "procedure"),
		jget(next, "state"), jget(next, "violation"), party_id, case_year(next),
		filed[0] ? filed : NULL, decided[0] ? decided : NULL, new_text, ctx->now_us,
	};
	if ((rc = st->ops->case_put(st, &row, false, err)))
		goto out;

	/* the step carries the sequence number of the entry that records it */
	uint8_t leaf[LEDGER_HASH_LEN];
	enum ledger_alg alg;
	char *steps_text = NULL;
	if ((rc = st->ops->ledger_head(st, ctx->org_id, &head, leaf, &alg, err)) ||
	    (rc = st->ops->steps_json(st, ctx->org_id, case_id, &steps_text, err)))
		goto out;
	steps = parse_or_empty(steps_text);
	nsteps = (int64_t)json_array_size(steps);
	json_t *oarr = json_array();
	for (size_t i = 0; i < in->nofficers; i++)
		json_array_append_new(oarr, json_string(officer_ids[i]));
	officers_text = json_dumps(oarr, JSON_COMPACT);
	json_decref(oarr);
	json_t *clean = json_deep_copy(params);
	json_object_del(clean, "id");
	json_object_del(clean, "org_id");
	params_text = clean ? json_dumps(clean, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(clean);
	if (!officers_text || !params_text || (rc = store__new_id(ctx, step_id, err))) {
		rc = rc ? rc : store__oom(err);
		goto out;
	}
	struct store_step_row srow = {
		ctx->org_id, step_id, case_id, nsteps + 1, in->transition,
		doc ? jget(doc, "state") : "", jget(next, "state"), on, ctx->now_us,
		ctx->actor[0] ? ctx->actor : "system", officers_text, approver, reviewer,
		params_text, head + 1,
	};
	if ((rc = st->ops->step_insert(st, &srow, err)))
		goto out;
	if (!(state = store__case_state(st, ctx->org_id, case_id))) {
		rc = zf_fail(err, ZF_ESTORE, "case_corrupt", "case", "案件数据无法读取");
		goto out;
	}
	char action[64];
	snprintf(action, sizeof(action), "case.%s", in->transition);
	json_t *detail = json_pack("{ss sI}", "transition", in->transition, "step",
				   (json_int_t)(nsteps + 1));
	struct store_mutation m = {ctx->org_id, action, "case", case_id, state, detail};
	rc = store__append(st, ctx, &m, &seq, err);
	json_decref(detail);
	if (!rc && seq != head + 1)
		ZF_BUG("ledger head moved inside the write transaction");
out:
	rc = store__tx_end(st, rc, err);
	if (!rc && out)
		rc = store_case_get(st, ctx, case_id, out, err);
	json_decref(doc);
	json_decref(next);
	json_decref(params);
	json_decref(state);
	json_decref(steps);
	zf_free(doc_text);
	zf_free(new_text);
	zf_free(officers_text);
	zf_free(params_text);
	step_env_release(&e);
	return rc;
}

/* ---- reading ---------------------------------------------------------- */

static const char *clock_label(const char *kind)
{
	static const struct {
		const char *kind, *label;
	} labels[] = {
		{"decision", "作出处罚决定期限"}, {"statement", "陈述申辩期限"},
		{"hearing_request", "要求听证期限"}, {"service", "送达期限"},
		{"payment", "缴纳罚款期限"}, {"simplified_filing", "当场处罚备案期限"},
		{"overload_report", "超限案件抄告车籍地期限"}, {"detention", "扣押期限"},
		{"detention_approval", "紧急扣押补办批准期限"},
		{"disposal_notice", "扣押车辆、工具公告期限"},
	};
	for (size_t i = 0; i < ZF_ARRAY_LEN(labels); i++)
		if (!strcmp(labels[i].kind, kind))
			return labels[i].label;
	return kind;
}

/*
 * A clock as a person reads it: due date, days left, and how the due date
 * was reached (start, unit, period, extensions, excluded days, the
 * holidays skipped, the article).
 */
static json_t *clock_view(const struct deadline *d, const struct calendar *cal,
			  struct zf_date today, const json_t *doc,
			  const struct proc_params *params)
{
	json_t *j = store__deadline_state(d);
	if (!j)
		return NULL;
	json_object_set_new(j, "label", json_string(clock_label(d->kind)));
	bool open = !strcmp(d->status, "open");
	int64_t left = date_to_days(d->due) - date_to_days(today);
	/* the party's windows lapse; only the bureau's own periods fall overdue */
	bool party_window = !strcmp(d->kind, "statement") || !strcmp(d->kind, "hearing_request");
	if (open && !d->has_paused_since) {
		json_object_set_new(j, "days_left", json_integer(left));
		json_object_set_new(j, "overdue", json_boolean(left < 0 && !party_window));
		if (party_window && left < 0)
			json_object_set_new(j, "lapsed", json_true());
	}
	json_object_set_new(j, "paused", json_boolean(d->has_paused_since));
	struct calendar_result res = {0};
	int total = d->count + d->extended_days +
		    (d->unit == CAL_UNIT_DAYS ? d->paused_days : 0);
	json_t *ex = json_object();
	char start[DATE_STR_LEN];
	date_format(d->start, start);
	json_object_set_new(ex, "start", json_string(start));
	json_object_set_new(ex, "start_counted", json_false());
	json_object_set_new(ex, "unit", json_string(d->unit == CAL_UNIT_WORKING_DAYS
						    ? "working_days" : "days"));
	json_object_set_new(ex, "period", json_integer(d->count));
	json_object_set_new(ex, "extended_days", json_integer(d->extended_days));
	json_object_set_new(ex, "excluded_days", json_integer(d->paused_days));
	json_object_set_new(ex, "rule", json_string(d->unit == CAL_UNIT_WORKING_DAYS
		? "工作日不含法定节假日（《行政处罚法》第八十五条）"
		: "开始之日不计入；届满日为法定休假日的顺延至其后第一个工作日（《民事诉讼法》第八十五条）"));
	json_object_set_new(ex, "basis", d->basis ? json_string(d->basis) : json_null());
	if (!calendar_add(cal, d->start, (enum calendar_unit)d->unit, total, true, &res,
			  NULL)) {
		json_t *sk = json_array();
		for (size_t i = 0; i < res.nskipped; i++)
			if (res.skipped[i].name) {
				char s[DATE_STR_LEN];
				date_format(res.skipped[i].date, s);
				json_array_append_new(sk, json_pack("{ss ss}", "date", s, "name",
								    res.skipped[i].name));
			}
		json_object_set_new(ex, "holidays_skipped", sk);
		if (res.moved) {
			char u[DATE_STR_LEN];
			date_format(res.unmoved, u);
			json_object_set_new(ex, "moved_from", json_string(u));
		}
		calendar_result_release(&res);
	}
	json_object_set_new(j, "explain", ex);
	/* late payment: the surcharge accrued so far (Art. 72) */
	json_t *dec = json_object_get(doc, "decision");
	if (!strcmp(d->kind, "payment") && open && left < 0 && params) {
		int64_t fine = json_integer_value(json_object_get(dec, "amount_fen"));
		json_object_set_new(j, "surcharge_fen",
				    json_integer(proc_surcharge_fen(fine, d->due, today, 0, params)));
	}
	return j;
}

int store_case_get(struct store *st, struct zf_ctx *ctx, const char *key,
		   json_t **out, struct zf_error *err)
{
	char id[REG_ID_LEN], *doc_text = NULL, *steps = NULL, *docs = NULL;
	struct deadline *clocks = NULL;
	struct calendar cal;
	struct proc_params params;
	size_t n = 0;
	int rc;
	struct zf_date today = instant_local_date(ctx->now_us);
	if ((rc = store__need_org(ctx, err)) ||
	    (rc = st->ops->case_get(st, ctx->org_id, key, id, &doc_text, err)))
		return rc;
	json_t *doc = parse_or_empty(doc_text);
	if (!doc)
		return zf_fail(err, ZF_ESTORE, "case_corrupt", "case", "案件数据无法读取");
	if ((rc = st->ops->steps_json(st, ctx->org_id, id, &steps, err)) ||
	    (rc = st->ops->documents_json(st, ctx->org_id, id, &docs, err)) ||
	    (rc = st->ops->clocks(st, ctx->org_id, id, NULL, &clocks, &n, err)) ||
	    (rc = store_calendar_get(st, ctx->org_id, &cal, err))) {
		zf_free(steps);
		zf_free(docs);
		store_deadline_list_free(clocks, n);
		json_decref(doc);
		return rc;
	}
	bool have_params = store__proc_params(today, &params, NULL) == ZF_OK;
	json_object_set_new(doc, "state_label",
			    json_string(proc_label(jget(doc, "state"))));
	json_object_set_new(doc, "steps", parse_or_empty(steps));
	json_object_set_new(doc, "documents", parse_or_empty(docs));
	json_t *cl = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(cl, clock_view(&clocks[i], &cal, today, doc,
						     have_params ? &params : NULL));
	json_object_set_new(doc, "clocks", cl);
	store_deadline_list_free(clocks, n);
	calendar_release(&cal);
	*out = doc;
	return ZF_OK;
}

static int add_summary(void *arg, const char *text, size_t len)
{
	json_t *doc = json_loadb(text, len, 0, NULL);
	if (!doc)
		return ZF_ESTORE;
	json_t *sum = json_object();
	static const char *const keys[] = {"id", "number", "procedure", "state", "violation",
					   "party_id", "vehicle_id", "act_date",
					   "discovered_date", "filed_date", "decided_date",
					   "closed_date", "archived_date"};
	for (size_t i = 0; i < ZF_ARRAY_LEN(keys); i++) {
		json_t *v = json_object_get(doc, keys[i]);
		if (v)
			json_object_set(sum, keys[i], v);
	}
	json_object_set_new(sum, "state_label", json_string(proc_label(jget(doc, "state"))));
	json_t *dec = json_object_get(doc, "decision");
	if (dec)
		json_object_set_new(sum, "decision",
				    json_pack("{sO* sO* sO* sO*}", "outcome",
					      json_object_get(dec, "outcome"), "kind",
					      json_object_get(dec, "kind"), "amount_fen",
					      json_object_get(dec, "amount_fen"), "number",
					      json_object_get(dec, "number")));
	json_array_append_new(arg, sum);
	json_decref(doc);
	return ZF_OK;
}

int store_case_list(struct store *st, struct zf_ctx *ctx, const struct case_filter *f,
		    json_t **out, struct zf_error *err)
{
	char today[DATE_STR_LEN];
	struct case_filter none = {0};
	int rc;
	if ((rc = store__need_org(ctx, err)))
		return rc;
	date_format(instant_local_date(ctx->now_us), today);
	json_t *arr = json_array();
	if (!arr)
		return store__oom(err);
	rc = st->ops->case_list(st, ctx->org_id, f ? f : &none, today, add_summary, arr, err);
	if (rc) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return ZF_OK;
}

int store_clock_list(struct store *st, struct zf_ctx *ctx, int days, json_t **out,
		     struct zf_error *err)
{
	struct zf_date today = instant_local_date(ctx->now_us);
	struct zf_date until = date_add_days(today, days);
	struct deadline *list = NULL;
	struct calendar cal;
	struct proc_params params;
	size_t n = 0;
	int rc;
	if ((rc = store__need_org(ctx, err)) ||
	    (rc = st->ops->clocks(st, ctx->org_id, NULL, &until, &list, &n, err)))
		return rc;
	if ((rc = store_calendar_get(st, ctx->org_id, &cal, err))) {
		store_deadline_list_free(list, n);
		return rc;
	}
	bool have_params = store__proc_params(today, &params, NULL) == ZF_OK;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		char id[REG_ID_LEN], *doc_text = NULL;
		json_t *doc = NULL;
		if (list[i].case_id &&
		    !st->ops->case_get(st, ctx->org_id, list[i].case_id, id, &doc_text, NULL))
			doc = parse_or_empty(doc_text);
		json_t *v = clock_view(&list[i], &cal, today, doc,
				       have_params ? &params : NULL);
		if (doc && v) {
			json_object_set(v, "case_number", json_object_get(doc, "number"));
			json_object_set(v, "case_state", json_object_get(doc, "state"));
		}
		json_decref(doc);
		json_array_append_new(arr, v);
	}
	store_deadline_list_free(list, n);
	calendar_release(&cal);
	*out = arr;
	return ZF_OK;
}

int store_document_void(struct store *st, struct zf_ctx *ctx, const char *number,
			const char *reason, struct zf_error *err)
{
	char case_id[REG_ID_LEN];
	bool is_void = false;
	json_t *state = NULL, *detail = NULL;
	int rc;
	if ((rc = store__need_org(ctx, err)) ||
	    (rc = text_check(reason, "reason", 200, true, err)))
		return rc;
	if ((rc = store__tx_begin(st, err)))
		return rc;
	rc = st->ops->document_find(st, ctx->org_id, number, case_id, &is_void, err);
	if (!rc && is_void)
		rc = zf_fail(err, ZF_ECONFLICT, "document_already_void", "number",
			     "文书编号“%s”已作废", number);
	if (!rc)
		rc = st->ops->document_void(st, ctx->org_id, number, reason, err);
	if (!rc && !(state = store__case_state(st, ctx->org_id, case_id)))
		rc = zf_fail(err, ZF_ESTORE, "case_corrupt", "case", "案件数据无法读取");
	if (!rc && !(detail = json_pack("{ss ss}", "number", number, "reason", reason)))
		rc = store__oom(err);
	if (!rc) {
		struct store_mutation m = {ctx->org_id, "case.void_document", "case",
					   case_id, state, detail};
		rc = store__append(st, ctx, &m, NULL, err);
	}
	json_decref(state);
	json_decref(detail);
	return store__tx_end(st, rc, err);
}

int store_stock_add(struct store *st, struct zf_ctx *ctx, const char *kind,
		    const char *prefix, int64_t first, int64_t last, int width,
		    json_t **out, struct zf_error *err)
{
	char id[REG_ID_LEN], *text = NULL;
	json_t *state = NULL;
	int rc;
	if ((rc = store__need_org(ctx, err)) ||
	    (rc = text_check(prefix, "prefix", 16, true, err)))
		return rc;
	if (!kind || strcmp(kind, "onsite_decision"))
		return zf_fail(err, ZF_EINVAL, "unknown_code", "kind",
			       "预印文书目前只支持当场行政处罚决定书（onsite_decision）");
	if (width < 1 || width > 12 || first < 0 || last < first)
		return zf_fail(err, ZF_EINVAL, "invalid_number", first < 0 || last < first
			       ? "last" : "width", "号段无效：起止号或位数不对");
	char maxs[16];
	snprintf(maxs, sizeof(maxs), "%lld", (long long)last);
	if ((int)strlen(maxs) > width)
		return zf_fail(err, ZF_EINVAL, "invalid_number", "width",
			       "截止号位数超过编号位数");
	if ((rc = store__new_id(ctx, id, err)) || (rc = store__tx_begin(st, err)))
		return rc;
	rc = st->ops->stock_insert(st, ctx->org_id, id, kind, prefix, first, last, width,
				   ctx->now_us, err);
	if (!rc)
		rc = st->ops->stock_json(st, ctx->org_id, id, &text, err);
	if (!rc && !(state = json_loads(text, 0, NULL)))
		rc = store__oom(err);
	if (!rc) {
		struct store_mutation m = {ctx->org_id, "stock.add", "doc_stock", id, state,
					   NULL};
		rc = store__append(st, ctx, &m, NULL, err);
	}
	zf_free(text);
	rc = store__tx_end(st, rc, err);
	if (!rc && out)
		*out = json_incref(state);
	json_decref(state);
	return rc;
}
