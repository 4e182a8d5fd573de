/*
 * Overload control (store.h "overload control"; issue 8; law.md §3): scales'
 * calibration, station weighings, weigh-in-motion imports, unloading, the
 * review of machine records and the case opened from a weighing.
 *
 * Each act is one write transaction with one ledger entry.  An import
 * commits in batches of rows (one transaction for the whole file when
 * strict), each with one entry on the import that commits to the digest of
 * the rows added so far (and, in the last, the file's SHA-256)
 * (docs/wim-csv.md "Import"); `ledger verify` recomputes that digest from
 * the rows, so a row changed, added or removed behind the ledger's back is
 * found without an entry per row.  A loaded row that is later reviewed,
 * unloaded or linked to a case gets entries of its own like any weighing.
 */
#include <stdio.h>
#include <string.h>

#include "overload.h"
#include "settings.h"
#include "store_int.h"
#include "text.h"
#include "wim.h"
#include "wim_report.h"

#define WEIGH_BATCH 256		/* rows per insert call of an import */

/* ---- shared helpers ---------------------------------------------------- */

/* The organisation's part-tonne mode and weigh-in-motion tolerance
 * (settings overload_part_tonne_mode, wim_tolerance_kg; defaults: whole
 * tonnes, 0). */
int store_overload_settings(struct store *st, const char *org_id,
			    struct overload_settings *s, struct zf_error *err)
{
	char *mode = NULL, *tol = NULL;
	int64_t kg = 0;
	int rc;
	memset(s, 0, sizeof(*s));
	s->part_tonne = OVERLOAD_WHOLE_TONNES;
	if ((rc = st->ops->setting_get(st, org_id, "overload_part_tonne_mode", &mode, err)) ||
	    (rc = st->ops->setting_get(st, org_id, "wim_tolerance_kg", &tol, err)))
		goto out;
	if (mode)
		rc = overload_part_tonne_parse(mode, &s->part_tonne, "overload_part_tonne_mode", err);
	if (!rc && tol)
		rc = text_parse_int(tol, 0, OVERLOAD_MAX_TOLERANCE_KG, &kg, "wim_tolerance_kg", err);
	s->wim_tolerance_kg = kg;
out:
	zf_free(mode);
	zf_free(tol);
	return rc;
}

/* The device (id or code), which must be a scale. */
static int scale_get(struct store *st, const char *org_id, const char *key,
		     struct device *d, const char *field, struct zf_error *err)
{
	int rc = st->ops->device_get(st, org_id, key, d, err);
	if (rc) {
		if (err)
			zf_strlcpy(err->field, field, sizeof(err->field));
		return rc;
	}
	if (strcmp(d->kind, "scale"))
		return zf_fail(err, ZF_EINVAL, "not_a_scale", field,
			       "设备“%s”不是称重设备（衡器）", d->code);
	return ZF_OK;
}

static json_t *loads_owned(char *text, struct zf_error *err, int *rc)
{
	json_t *j = NULL;
	if (!*rc && !(j = json_loads(text, 0, NULL)))
		*rc = store__oom(err);
	zf_free(text);
	return j;
}

/* Append one entry on an object whose state the backend renders as JSON. */
static int append_state(struct store *st, const struct zf_ctx *ctx, const char *action,
			const char *type, const char *id, const json_t *detail,
			struct zf_error *err)
{
	char *text = NULL;
	int rc = !strcmp(type, "weighing")  ? st->ops->weighing_json(st, ctx->org_id, id, &text, err)
		 : !strcmp(type, "calibration") ? st->ops->calibration_json(st, ctx->org_id, id, &text, err)
					      : st->ops->weigh_import_json(st, ctx->org_id, id, &text, err);
	json_t *state = loads_owned(text, err, &rc);
	if (!rc) {
		struct store_mutation m = {ctx->org_id, action, type, id, state, detail};
		rc = store__append(st, ctx, &m, NULL, err);
	}
	json_decref(state);
	return rc;
}

/* ---- calibration ------------------------------------------------------- */

int store_calibration_add(struct store *st, struct zf_ctx *ctx, const char *device,
			  const char *cert_no, struct zf_date valid_from,
			  struct zf_date valid_until, json_t **out, struct zf_error *err)
{
	struct device d = {0};
	char id[REG_ID_LEN];
	char *text = NULL;
	int rc;
	if ((rc = store__need_org(ctx, err)) ||
	    (rc = text_check(device, "device", 64, true, err)) ||
	    (rc = text_check(cert_no, "cert_no", 64, true, err)))
		return rc;
	if (date_cmp(valid_from, valid_until) > 0)
		return zf_fail(err, ZF_EINVAL, "invalid_period", "valid_until",
			       "检定有效期截止日期早于起始日期");
	if ((rc = scale_get(st, ctx->org_id, device, &d, "device", err)) ||
	    (rc = store__new_id(ctx, id, err)))
		goto out;
	if ((rc = store__tx_begin(st, err)))
		goto out;
	rc = st->ops->calibration_insert(st, ctx->org_id, id, d.id, cert_no, &valid_from,
					 &valid_until, ctx->now_us, err);
	if (!rc)
		rc = append_state(st, ctx, "scale.calibrate", "calibration", id, NULL, err);
	if ((rc = store__tx_end(st, rc, err)))
		goto out;
	if (out) {
		rc = st->ops->calibration_json(st, ctx->org_id, id, &text, err);
		*out = loads_owned(text, err, &rc);
	}
out:
	device_release(&d);
	return rc;
}

int store_calibration_list(struct store *st, struct zf_ctx *ctx, const char *device,
			   json_t **out, struct zf_error *err)
{
	struct device d = {0};
	char *text = NULL;
	int rc = store__need_org(ctx, err);
	if (!rc && device)
		rc = scale_get(st, ctx->org_id, device, &d, "device", err);
	if (!rc)
		rc = st->ops->calibrations_json(st, ctx->org_id, device ? d.id : NULL, &text, err);
	device_release(&d);
	*out = loads_owned(text, err, &rc);
	return rc;
}

/* valid_until of the certificate covering the day, or scale_not_calibrated. */
static int calibrated_on(struct store *st, const char *org_id, const struct device *d,
			 struct zf_date on, char until[DATE_STR_LEN], struct zf_error *err)
{
	struct zf_date u;
	char day[DATE_STR_LEN];
	int rc = st->ops->calibration_valid(st, org_id, d->id, &on, &u, err);
	if (rc == ZF_ENOTFOUND) {
		date_format(on, day);
		return zf_fail(err, ZF_EREFUSED, "scale_not_calibrated", "device",
			       "衡器“%s”在 %s 没有有效的检定证书，其称重数据不能作为执法证据"
			       "（超限运输车辆行驶公路管理规定：检测设备应当依法检定）",
			       d->code, day);
	}
	if (!rc)
		date_format(u, until);
	return rc;
}

/* ---- station weighings ------------------------------------------------- */

/* Officer ids as a JSON array; each must be an enforcer who may act that day. */
static int weigh_officers(struct store *st, const char *org_id, const char *const *keys,
			  size_t n, struct zf_date on, int min, json_t **out,
			  struct zf_error *err)
{
	json_t *ids = json_array();
	int rc = ids ? ZF_OK : store__oom(err);
	for (size_t i = 0; !rc && i < n; i++) {
		struct officer o = {0};
		if ((rc = st->ops->officer_get(st, org_id, keys[i], &o, err))) {
			if (err)
				zf_strlcpy(err->field, "officers", sizeof(err->field));
		} else if (!officer_may_act_on(&o, on) || !officer_has_role(&o, "enforcer")) {
			rc = zf_fail(err, ZF_EREFUSED, "officer_not_certified", "officers",
				     "%s 当日不是持有效执法证的执法人员（行政处罚法第四十二条）",
				     o.cert_no ? o.cert_no : o.id);
		} else {
			bool dup = false;
			size_t j;
			json_t *v;
			json_array_foreach(ids, j, v)
				dup = dup || !strcmp(json_string_value(v), o.id);
			if (!dup && json_array_append_new(ids, json_string(o.id)))
				rc = store__oom(err);
		}
		officer_release(&o);
	}
	if (!rc && (int)json_array_size(ids) < min)
		rc = zf_fail(err, ZF_EREFUSED, "two_officers_required", "officers",
			     "现场检测应有至少 %d 名执法人员（行政处罚法第四十二条）", min);
	if (rc)
		json_decref(ids);
	else
		*out = ids;
	return rc;
}

static int weigh_validate(const struct weigh_in *in, const struct zf_ctx *ctx,
			  struct ids_plate *plate, struct ids_plate *trailer,
			  enum overload_config *config, struct zf_error *err)
{
	int rc;
	if ((rc = text_check(in->station, "station", 100, true, err)) ||
	    (rc = ids_plate_check(in->plate ? in->plate : "", plate, "plate", err)) ||
	    (in->trailer_plate &&
	     (rc = ids_plate_check(in->trailer_plate, trailer, "trailer_plate", err))) ||
	    (rc = overload_config_parse(in->config ? in->config : "", config, "config", err)))
		return rc;
	if (in->weighed_at <= 0)
		return zf_fail(err, ZF_EINVAL, "required", "weighed_at", "缺少称重时间");
	if (in->weighed_at > ctx->now_us)
		return zf_fail(err, ZF_EINVAL, "date_in_future", "weighed_at", "称重时间不能晚于现在");
	if (in->gross_kg < WIM_GROSS_MIN_KG || in->gross_kg > WIM_GROSS_MAX_KG)
		return zf_fail(err, ZF_EINVAL, "invalid_number", "gross_kg",
			       "车货总质量应在 %d 至 %d 千克之间", WIM_GROSS_MIN_KG,
			       WIM_GROSS_MAX_KG);
	if (in->trailer_plate && *config != OVERLOAD_TRAIN)
		return zf_fail(err, ZF_EINVAL, "invalid_format", "trailer_plate",
			       "只有汽车列车才有挂车号牌");
	if (!in->device || !*in->device)
		return zf_fail(err, ZF_EINVAL, "required", "device", "缺少称重设备（衡器）");
	return ZF_OK;
}

int store_weigh_record(struct store *st, struct zf_ctx *ctx, const struct weigh_in *in,
		       json_t **out, struct zf_error *err)
{
	struct ids_plate plate, trailer;
	struct overload_input oi = {0};
	struct overload_settings set;
	struct overload_rules rules;
	struct overload_result res = {0};
	struct proc_params params;
	struct device d = {0};
	json_t *officers = NULL, *calc = NULL;
	char *officers_text = NULL, *calc_text = NULL;
	char id[REG_ID_LEN], until[DATE_STR_LEN];
	bool have_res = false;
	int rc;

	overload_rules_init(&rules);
	if ((rc = store__need_org(ctx, err)) ||
	    (rc = weigh_validate(in, ctx, &plate, &trailer, &oi.config, err)))
		goto out;
	struct zf_date day = instant_local_date(in->weighed_at);
	if ((rc = scale_get(st, ctx->org_id, in->device, &d, "device", err)) ||
	    (rc = calibrated_on(st, ctx->org_id, &d, day, until, err)) ||
	    (rc = store__proc_params(day, &params, err)) ||
	    (rc = weigh_officers(st, ctx->org_id, in->officers, in->nofficers, day,
				 params.min_officers, &officers, err)) ||
	    (rc = store_overload_settings(st, ctx->org_id, &set, err)) ||
	    (rc = overload_rules_load_builtin(&rules, err)))
		goto out;
	oi.axles = in->axles;
	oi.single_drive_axle = in->single_drive_axle;
	oi.single_tyre_axles = in->single_tyre_axles;
	oi.has_mass = true;
	oi.mass_kg = in->gross_kg;
	oi.has_height = in->height_mm > 0, oi.height_mm = in->height_mm;
	oi.has_width = in->width_mm > 0, oi.width_mm = in->width_mm;
	oi.has_length = in->length_mm > 0, oi.length_mm = in->length_mm;
	oi.date = day;
	if ((rc = overload_check(&rules, &oi, &set, &res, err)))
		goto out;
	have_res = true;
	if (!(calc = overload_result_to_json(&res)) ||
	    !(calc_text = json_dumps(calc, JSON_COMPACT)) ||
	    !(officers_text = json_dumps(officers, JSON_COMPACT))) {
		rc = store__oom(err);
		goto out;
	}
	if (!zf_strlcpy(id, in->client_id ? in->client_id : "", sizeof(id)))
		rc = zf_fail(err, ZF_EINVAL, "invalid_id", "id", "客户端给出的标识不是小写 UUID");
	if (rc || (rc = store__client_id(ctx, id, err)))
		goto out;
	struct store_weighing_row row = {
		.org_id = ctx->org_id, .id = id, .source = "station", .station = in->station,
		.weighed_at = in->weighed_at, .plate = plate.text,
		.trailer_plate = in->trailer_plate ? trailer.text : NULL,
		.axles = in->axles, .config = overload_config_code(oi.config),
		.gross_kg = in->gross_kg, .height_mm = in->height_mm, .width_mm = in->width_mm,
		.length_mm = in->length_mm, .speed_kmh = -1, .device_id = d.id,
		.calibrated_until = until, .officers = officers_text,
		.limit_kg = res.limit_kg, .tolerance_kg = res.tolerance_kg,
		.over_kg = res.over_kg, .over = res.overweight || res.oversize,
		.review = "none", .calc = calc_text, .now = ctx->now_us,
	};
	if ((rc = store__tx_begin(st, err)))
		goto out;
	rc = st->ops->weighing_insert(st, &row, 1, NULL, NULL, err);
	if (!rc)
		rc = append_state(st, ctx, "weigh.record", "weighing", id, NULL, err);
	if (!(rc = store__tx_end(st, rc, err)) && out)
		rc = store_weigh_get(st, ctx, id, out, err);
out:
	if (have_res)
		overload_result_release(&res);
	overload_rules_release(&rules);
	device_release(&d);
	json_decref(officers);
	json_decref(calc);
	free(officers_text);
	free(calc_text);
	return rc;
}

/* The engine's result for a loaded record (its calc is not stored). */
static json_t *wim_calc(const json_t *w, const struct overload_rules *rules,
			const struct overload_settings *set)
{
	struct overload_input in = {0};
	struct overload_result res;
	json_t *j = NULL;
	if (overload_config_parse(json_string_value(json_object_get(w, "config")), &in.config,
				  "config", NULL))
		return NULL;
	in.axles = (int)json_integer_value(json_object_get(w, "axles"));
	in.has_mass = true;
	in.mass_kg = json_integer_value(json_object_get(w, "gross_kg"));
	in.wim = true;
	in.date = instant_local_date(json_integer_value(json_object_get(w, "weighed_at")));
	struct overload_settings s = *set;
	/* the tolerance the record was classified with, whatever the setting now */
	s.wim_tolerance_kg = json_integer_value(json_object_get(w, "tolerance_kg"));
	if (!overload_check(rules, &in, &s, &res, NULL)) {
		j = overload_result_to_json(&res);
		overload_result_release(&res);
	}
	return j;
}

/* The API view of a weighing: the row plus time text and calculation. */
static int weigh_view(struct store *st, const char *org_id, json_t *w, struct zf_error *err)
{
	char when[INSTANT_STR_LEN];
	instant_format(json_integer_value(json_object_get(w, "weighed_at")), when);
	json_object_set_new(w, "time", json_string(when));
	json_t *unloaded = json_object_get(w, "reweigh_kg");
	if (json_is_integer(unloaded))
		json_object_set_new(w, "cleared", json_boolean(json_integer_value(unloaded) <=
							       json_integer_value(json_object_get(w, "limit_kg"))));
	if (json_is_null(json_object_get(w, "calc"))) {
		struct overload_rules rules;
		struct overload_settings set;
		int rc;
		overload_rules_init(&rules);
		if (!(rc = store_overload_settings(st, org_id, &set, err)) &&
		    !(rc = overload_rules_load_builtin(&rules, err))) {
			json_t *c = wim_calc(w, &rules, &set);
			if (c)
				json_object_set_new(w, "calc", c);
		}
		overload_rules_release(&rules);
		return rc;
	}
	return ZF_OK;
}

int store_weigh_get(struct store *st, struct zf_ctx *ctx, const char *id, json_t **out,
		    struct zf_error *err)
{
	char *text = NULL;
	int rc = store__need_org(ctx, err);
	if (!rc)
		rc = st->ops->weighing_json(st, ctx->org_id, id ? id : "", &text, err);
	json_t *w = loads_owned(text, err, &rc);
	if (!rc)
		rc = weigh_view(st, ctx->org_id, w, err);
	if (rc)
		json_decref(w);
	else
		*out = w;
	return rc;
}

int store_weigh_list(struct store *st, struct zf_ctx *ctx, const struct weigh_filter *f,
		     json_t **out, struct zf_error *err)
{
	static const char *const reviews[] = {"none", "pending", "confirmed", "dismissed", NULL};
	int64_t from = INT64_MIN, to = INT64_MAX;
	char *text = NULL;
	int rc = store__need_org(ctx, err);
	if (!rc && (f->limit < 0 || f->limit > 1000))
		rc = zf_fail(err, ZF_EINVAL, "invalid_number", "limit", "每页条数应在 1 至 1000 之间");
	if (!rc && f->review && !text_in(f->review, reviews))
		rc = zf_fail(err, ZF_EINVAL, "unknown_code", "review", "未知的审核状态“%s”",
			     f->review);
	if (!rc && f->year) {
		if (f->year < 2000 || f->year > 2099)
			return zf_fail(err, ZF_EINVAL, "invalid_number", "year", "年份应在 2000 至 2099 之间");
		from = instant_from_local_date((struct zf_date){f->year, 1, 1});
		to = instant_from_local_date((struct zf_date){f->year + 1, 1, 1});
	}
	if (!rc)
		rc = st->ops->weighing_list_json(st, ctx->org_id, f, from, to, &text, err);
	json_t *list = loads_owned(text, err, &rc);
	size_t i;
	json_t *w;
	json_array_foreach(list, i, w) {
		char when[INSTANT_STR_LEN];
		instant_format(json_integer_value(json_object_get(w, "weighed_at")), when);
		json_object_set_new(w, "time", json_string(when));
		json_object_del(w, "calc");
	}
	if (rc)
		json_decref(list);
	else
		*out = list;
	return rc;
}

/* ---- changes to a weighing --------------------------------------------- */

struct weigh_cur {
	json_t *w;				/* the row as JSON */
	struct store_weighing_change c;		/* its mutable part, pointing into w */
};

static const char *js(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int64_t ji(const json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static int weigh_load(struct store *st, const struct zf_ctx *ctx, const char *id,
		      struct weigh_cur *cur, struct zf_error *err)
{
	char *text = NULL;
	int rc = st->ops->weighing_json(st, ctx->org_id, id ? id : "", &text, err);
	cur->w = loads_owned(text, err, &rc);
	if (rc)
		return rc;
	const json_t *w = cur->w;
	cur->c = (struct store_weighing_change){
		.org_id = ctx->org_id, .id = js(w, "id"), .review = js(w, "review"),
		.review_reason = js(w, "review_reason"), .reviewed_by = js(w, "reviewed_by"),
		.reviewed_at = ji(w, "reviewed_at"), .case_id = js(w, "case_id"),
		.unload_goods = js(w, "unload_goods"), .unload_place = js(w, "unload_place"),
		.unloaded_kg = ji(w, "unloaded_kg"), .reweigh_kg = ji(w, "reweigh_kg"),
		.unloaded_at = ji(w, "unloaded_at"), .now = ctx->now_us,
	};
	return ZF_OK;
}

/* Write cur's change with one entry, then hand out the weighing. */
static int weigh_save(struct store *st, struct zf_ctx *ctx, struct weigh_cur *cur,
		      const char *action, const json_t *detail, json_t **out,
		      struct zf_error *err)
{
	char id[REG_ID_LEN];
	zf_strlcpy(id, cur->c.id, sizeof(id));
	int rc = store__tx_begin(st, err);
	if (rc)
		return rc;
	rc = st->ops->weighing_update(st, &cur->c, err);
	if (!rc)
		rc = append_state(st, ctx, action, "weighing", id, detail, err);
	if (!(rc = store__tx_end(st, rc, err)) && out)
		rc = store_weigh_get(st, ctx, id, out, err);
	return rc;
}

int store_weigh_unload(struct store *st, struct zf_ctx *ctx, const char *id,
		       const struct unload_in *in, json_t **out, struct zf_error *err)
{
	struct weigh_cur cur = {0};
	int rc;
	if ((rc = store__need_org(ctx, err)) ||
	    (rc = text_check(in->goods, "goods", 100, true, err)) ||
	    (rc = text_check(in->place, "place", 200, true, err)) ||
	    (rc = weigh_load(st, ctx, id, &cur, err)))
		goto out;
	int64_t gross = ji(cur.w, "gross_kg");
	if (!json_is_true(json_object_get(cur.w, "over")) || ji(cur.w, "over_kg") <= 0) {
		rc = zf_fail(err, ZF_EREFUSED, "not_over_limit", "id",
			     "该车未超过质量限定标准，无需卸载");
	} else if (cur.c.unloaded_at) {
		rc = zf_fail(err, ZF_EREFUSED, "already_unloaded", "id", "该称重记录已有卸载记录");
	} else if (in->unloaded_kg <= 0 || in->unloaded_kg >= gross) {
		rc = zf_fail(err, ZF_EINVAL, "invalid_number", "unloaded_kg",
			     "卸载质量应大于 0 且小于车货总质量 %lld 千克", (long long)gross);
	} else if (in->reweigh_kg <= 0 || in->reweigh_kg >= gross) {
		rc = zf_fail(err, ZF_EINVAL, "invalid_number", "reweigh_kg",
			     "复磅质量应大于 0 且小于车货总质量 %lld 千克", (long long)gross);
	} else if (in->at < ji(cur.w, "weighed_at") || in->at > ctx->now_us) {
		rc = zf_fail(err, ZF_EINVAL, "invalid_period", "unloaded_at",
			     "卸载时间应在称重之后、现在之前");
	}
	if (rc)
		goto out;
	cur.c.unload_goods = in->goods;
	cur.c.unload_place = in->place;
	cur.c.unloaded_kg = in->unloaded_kg;
	cur.c.reweigh_kg = in->reweigh_kg;
	cur.c.unloaded_at = in->at;
	rc = weigh_save(st, ctx, &cur, "weigh.unload", NULL, out, err);
out:
	json_decref(cur.w);
	return rc;
}

int store_weigh_dismiss(struct store *st, struct zf_ctx *ctx, const char *id,
			const char *reviewer, const char *reason, json_t **out,
			struct zf_error *err)
{
	struct weigh_cur cur = {0};
	json_t *by = NULL;
	const char *keys[1] = {reviewer};
	int rc;
	if ((rc = store__need_org(ctx, err)) ||
	    (rc = text_check(reason, "reason", 500, true, err)) ||
	    (rc = text_check(reviewer, "reviewer", 64, true, err)) ||
	    (rc = weigh_load(st, ctx, id, &cur, err)))
		goto out;
	if (strcmp(cur.c.review, "pending")) {
		rc = zf_fail(err, ZF_EREFUSED, "review_not_pending", "id",
			     "该记录不是待审核的超限记录（当前：%s）", cur.c.review);
		goto out;
	}
	if ((rc = weigh_officers(st, ctx->org_id, keys, 1,
				 instant_local_date(ctx->now_us), 1, &by, err)))
		goto out;
	cur.c.review = "dismissed";
	cur.c.review_reason = reason;
	cur.c.reviewed_by = json_string_value(json_array_get(by, 0));
	cur.c.reviewed_at = ctx->now_us;
	rc = weigh_save(st, ctx, &cur, "weigh.dismiss", NULL, out, err);
out:
	json_decref(by);
	json_decref(cur.w);
	return rc;
}

/* A weighing may become a case's evidence: over the limit, not linked yet,
 * reviewed if it is a machine record, by a scale calibrated that day. */
static int weigh_usable(struct store *st, const struct zf_ctx *ctx, const json_t *w,
			struct zf_error *err)
{
	const char *source = js(w, "source");
	if (!json_is_true(json_object_get(w, "over")))
		return zf_fail(err, ZF_EREFUSED, "not_over_limit", "id",
			       "该车未超限，不能据此立案");
	if (js(w, "case_id"))
		return zf_fail(err, ZF_ECONFLICT, "weighing_has_case", "id",
			       "该称重记录已关联案件");
	if (!strcmp(source, "import")) {
		if (strcmp(js(w, "review"), "pending"))
			return zf_fail(err, ZF_EREFUSED, "review_not_pending", "id",
				       "该记录不是待审核的超限记录（当前：%s）", js(w, "review"));
		if (!js(w, "image_sha256"))
			return zf_fail(err, ZF_EREFUSED, "wim_no_image", "id",
				       "动态称重记录没有车辆图像，无法核实车辆，不能作为证据"
				       "（行政处罚法第四十一条：记录应当真实、清晰、完整、准确）");
	}
	if (!js(w, "device_id"))
		return zf_fail(err, ZF_EREFUSED, "scale_not_calibrated", "device",
			       "该记录没有经检定的称重设备，不能作为执法证据");
	struct device d = {0};
	char until[DATE_STR_LEN];
	int rc = st->ops->device_get(st, ctx->org_id, js(w, "device_id"), &d, err);
	if (!rc)
		rc = calibrated_on(st, ctx->org_id, &d,
				   instant_local_date(ji(w, "weighed_at")), until, err);
	device_release(&d);
	return rc;
}

/* Prior over-limit cases of the vehicle and the party in the year before
 * the weighing (公路安全保护条例 Art. 66: more than N times in a year). */
static int weigh_history(struct store *st, const struct zf_ctx *ctx, const json_t *w,
			 const char *party_id, const char *owner_id, int repeat_times,
			 json_t **out, struct zf_error *err)
{
	int64_t at = ji(w, "weighed_at"), nv = 0, np = 0, no = 0, unused;
	struct zf_date day = instant_local_date(at);
	struct zf_date start = {day.y - 1, day.m, day.d == 29 && day.m == 2 ? 28 : day.d};
	int64_t from = instant_from_local_date(start);
	int rc = st->ops->weighing_history(st, ctx->org_id, js(w, "plate"), party_id, from, at,
					   js(w, "id"), &nv, &np, err);
	/* the driver is the party: the owning company's record counts too */
	bool owner = owner_id && strcmp(owner_id, party_id);
	if (!rc && owner)
		rc = st->ops->weighing_history(st, ctx->org_id, js(w, "plate"), owner_id, from, at,
					       js(w, "id"), &unused, &no, err);
	if (rc)
		return rc;
	/* this one counted too: "more than N times" is reached at N + 1 */
	*out = json_pack("{sI sI sb sb si}", "vehicle_prior", (json_int_t)nv, "party_prior",
			 (json_int_t)np, "first_offence", nv == 0 && np == 0 && no == 0, "repeat",
			 nv + 1 > repeat_times || np + 1 > repeat_times, "repeat_times",
			 repeat_times);
	if (*out && owner)
		json_object_set_new(*out, "owner_prior", json_integer(no));
	return *out ? ZF_OK : store__oom(err);
}

static char *weigh_facts(const json_t *w, const char *place)
{
	struct buf b;
	buf_init(&b, 4096);
	int64_t at = ji(w, "weighed_at") + (int64_t)ZF_LOCAL_OFFSET_S * 1000000;
	struct zf_date day = instant_local_date(ji(w, "weighed_at"));
	int64_t sec = (at / 1000000) % 86400;
	int bad = buf_printf(&b, "%04d年%d月%d日%02d时%02d分，车辆%s（", day.y, day.m, day.d,
			     (int)(sec / 3600), (int)(sec / 60 % 60), js(w, "plate"));
	if (js(w, "trailer_plate"))
		bad = bad || buf_printf(&b, "挂车%s，", js(w, "trailer_plate"));
	bad = bad || buf_printf(&b, "%lld轴%s）在%s经%s称重，车货总质量%lld千克",
			      (long long)ji(w, "axles"),
			      !strcmp(js(w, "config"), "train") ? "汽车列车" : "货车",
			      place,
			      !strcmp(js(w, "source"), "import") ? "动态称重系统" : "检测站衡器",
			      (long long)ji(w, "gross_kg"));
	if (ji(w, "tolerance_kg"))
		bad = bad || buf_printf(&b, "（扣除动态称重允许误差%lld千克）",
				      (long long)ji(w, "tolerance_kg"));
	bad = bad || buf_printf(&b, "，限定标准%lld千克", (long long)ji(w, "limit_kg"));
	if (ji(w, "over_kg"))
		bad = bad || buf_printf(&b, "，超限%lld千克", (long long)ji(w, "over_kg"));
	const json_t *calc = json_object_get(w, "calc");
	if (json_is_true(json_object_get(calc, "oversize")))
		bad = bad || buf_printf(&b, "，外廓尺寸超过限定标准");
	bad = bad || buf_printf(&b, "。");
	char *s = bad ? NULL : zf_strdup(buf_cstr(&b));
	buf_release(&b);
	return s;
}

/* The case's register parameters, prefilled from the weighing. */
static int weigh_case_params(struct store *st, const struct zf_ctx *ctx, const json_t *w,
			     const json_t *extra, const char *party_id, const char *owner_id,
			     json_t **out, struct zf_error *err)
{
	struct proc_params params;
	struct zf_date day = instant_local_date(ji(w, "weighed_at"));
	json_t *history = NULL;
	char act[DATE_STR_LEN];
	int rc;
	if ((rc = store__proc_params(day, &params, err)) ||
	    (rc = weigh_history(st, ctx, w, party_id, owner_id, params.overload_repeat_times,
				&history, err)))
		return rc;
	const json_t *calc = json_object_get(w, "calc");
	bool mass = ji(w, "over_kg") > 0;
	const char *place = json_string_value(json_object_get(extra, "place"));
	char *facts = weigh_facts(w, place ? place : js(w, "station"));
	json_t *p = extra ? json_deep_copy(extra) : json_object();
	json_t *weighing = json_pack(
		"{ss ss ss sI sI sI sI sO* sO}", "id", js(w, "id"), "station", js(w, "station"),
		"plate", js(w, "plate"), "gross_kg", (json_int_t)ji(w, "gross_kg"), "limit_kg",
		(json_int_t)ji(w, "limit_kg"), "over_kg", (json_int_t)ji(w, "over_kg"),
		"weighed_at", (json_int_t)ji(w, "weighed_at"), "calc", calc, "history", history);
	date_format(day, act);
	if (!facts || !p || !weighing) {
		rc = store__oom(err);
	} else {
		/* the record's evidence goes with the case: images and video by
		 * their SHA-256, as the weigh-in-motion system delivered them */
		static const char *const opt[] = {"trailer_plate", "image_sha256", "video_sha256",
						  "device_id", "calibrated_until", "source"};
		for (size_t i = 0; i < ZF_ARRAY_LEN(opt); i++)
			if (js(w, opt[i]))
				json_object_set_new(weighing, opt[i], json_string(js(w, opt[i])));
		json_object_set_new(p, "violation",
				    json_string(mass ? "overload_mass" : "overload_dimension"));
		json_object_set_new(p, "act_date", json_string(act));
		if (!json_object_get(p, "place"))
			json_object_set_new(p, "place", json_string(js(w, "station")));
		json_object_set_new(p, "facts", json_string(facts));
		json_object_set_new(p, "source", json_string(!strcmp(js(w, "source"), "import")
							     ? "monitoring" : "inspection"));
		json_object_set(p, "weighing", weighing);
		*out = p;
		p = NULL;
	}
	zf_free(facts);
	json_decref(p);
	json_decref(weighing);
	json_decref(history);
	return rc;
}

int store_weigh_open_case(struct store *st, struct zf_ctx *ctx, const char *id,
			  const struct case_step_in *in, json_t **out, struct zf_error *err)
{
	struct weigh_cur cur = {0};
	struct party party = {0};
	struct vehicle veh = {0};
	struct case_step_in reg = *in;
	json_t *params = NULL, *kase = NULL, *by = NULL;
	int rc;
	if ((rc = store__need_org(ctx, err)) || (rc = weigh_load(st, ctx, id, &cur, err)))
		goto out;
	if ((rc = weigh_view(st, ctx->org_id, cur.w, err)) ||
	    (rc = weigh_usable(st, ctx, cur.w, err)))
		goto out;
	/* the vehicle named, else the weighed one if registered: its owner is
	 * the default party, and the owner's record counts for repeats */
	if (!st->ops->vehicle_get(st, ctx->org_id, in->vehicle ? in->vehicle : js(cur.w, "plate"),
				  &veh, NULL) &&
	    !in->vehicle)
		reg.vehicle = veh.id;
	/* no party named: the registered owner of the vehicle, if known */
	const char *party_key = in->party && *in->party ? in->party : veh.owner_id;
	if (!party_key) {
		rc = zf_fail(err, ZF_EINVAL, "required", "party",
			     "缺少当事人（驾驶人或车辆所属企业；车辆未登记所有人）");
		goto out;
	}
	if ((rc = st->ops->party_get(st, ctx->org_id, party_key, &party, err))) {
		if (err)
			zf_strlcpy(err->field, "party", sizeof(err->field));
		goto out;
	}
	/* reviewed by the officers who open the case (Art. 41) */
	if (!strcmp(js(cur.w, "source"), "import") &&
	    (rc = weigh_officers(st, ctx->org_id, in->officers, in->nofficers, in->date, 1,
				 &by, err)))
		goto out;
	if ((rc = weigh_case_params(st, ctx, cur.w, in->params, party.id, veh.owner_id, &params,
				     err)))
		goto out;
	reg.transition = "register";
	reg.party = party.id;
	reg.params = params;
	if ((rc = store_case_step(st, ctx, NULL, &reg, &kase, err)))
		goto out;
	cur.c.case_id = js(kase, "id");
	if (by) {
		cur.c.review = "confirmed";
		cur.c.reviewed_by = json_string_value(json_array_get(by, 0));
		cur.c.reviewed_at = ctx->now_us;
	}
	rc = weigh_save(st, ctx, &cur, "weigh.case", NULL, NULL, err);
	if (!rc && out)
		rc = store_case_get(st, ctx, cur.c.case_id, out, err);
out:
	json_decref(kase);
	json_decref(params);
	json_decref(by);
	json_decref(cur.w);
	party_release(&party);
	vehicle_release(&veh);
	return rc;
}

int store_weigh_link(struct store *st, struct zf_ctx *ctx, const char *id,
		     const char *case_key, const char *reviewer, json_t **out,
		     struct zf_error *err)
{
	struct weigh_cur cur = {0};
	json_t *kase = NULL, *by = NULL;
	const char *keys[1] = {reviewer};
	int rc;
	if ((rc = store__need_org(ctx, err)) ||
	    (rc = text_check(case_key, "case", 64, true, err)) ||
	    (rc = weigh_load(st, ctx, id, &cur, err)) ||
	    (rc = weigh_usable(st, ctx, cur.w, err)))
		goto out;
	if ((rc = store_case_get(st, ctx, case_key, &kase, err))) {
		if (err)
			zf_strlcpy(err->field, "case", sizeof(err->field));
		goto out;
	}
	const char *v = js(kase, "violation");
	if (!strcmp(js(kase, "state"), "archived")) {
		rc = zf_fail(err, ZF_EREFUSED, "case_archived", "case",
			     "案件已归档，不得再关联证据（行政处罚法第四十七条）");
		goto out;
	}
	if (!v || strncmp(v, "overload_", 9)) {
		rc = zf_fail(err, ZF_EREFUSED, "not_overload_case", "case",
			     "案件的违法行为不是超限运输，不能关联称重记录");
		goto out;
	}
	cur.c.case_id = js(kase, "id");
	/* a machine record: the link is its review, by a named officer (Art. 41) */
	if (!strcmp(cur.c.review, "pending")) {
		if (!reviewer || !*reviewer) {
			rc = zf_fail(err, ZF_EINVAL, "required", "reviewer",
				     "动态称重记录须由执法人员审核后才能作为证据，缺少审核人"
				     "（行政处罚法第四十一条）");
			goto out;
		}
		if ((rc = weigh_officers(st, ctx->org_id, keys, 1,
					 instant_local_date(ctx->now_us), 1, &by, err)))
			goto out;
		cur.c.review = "confirmed";
		cur.c.reviewed_by = json_string_value(json_array_get(by, 0));
		cur.c.reviewed_at = ctx->now_us;
	}
	rc = weigh_save(st, ctx, &cur, "weigh.case", NULL, out, err);
out:
	json_decref(by);
	json_decref(kase);
	json_decref(cur.w);
	return rc;
}

/* ---- weigh-in-motion import -------------------------------------------- */

struct calib_span {
	struct zf_date from, until;
};

struct store_weigh_import {
	struct store *st;
	struct zf_ctx ctx;
	char id[REG_ID_LEN];
	char *name;
	struct device dev;
	bool has_device, strict, in_tx;
	struct calib_span *spans;
	size_t nspans;
	struct overload_rules rules;
	struct wim_classifier cls;
	bool have_cls;
	struct wim_scan sc;
	struct ledger_hasher *file_h;	/* SHA-256 of the bytes */
	struct ledger_hasher *rows_h;	/* the organisation's algorithm, digest lines */
	struct wim_record recs[WEIGH_BATCH];
	size_t lines[WEIGH_BATCH];
	char ids[WEIGH_BATCH][REG_ID_LEN];
	char untils[WEIGH_BATCH][DATE_STR_LEN];
	struct store_weighing_row rows[WEIGH_BATCH];
	bool added[WEIGH_BATCH];
	int64_t pos[WEIGH_BATCH];
	size_t nbatch;
	int64_t first_pos, last_pos;	/* of the rows added so far */
	int64_t commit_rows;		/* setting weigh_import_commit_rows (not strict) */
	uint64_t since_commit;		/* rows added since the last commit */
	bool row_written;		/* the weigh_import row exists (a batch committed) */
	uint64_t added_total, over_added, uncalibrated;
	json_t *errors;
	struct zf_error cb_err;		/* why a callback stopped the scan */
};

static int import_on_error(void *arg, const struct wim_error *e)
{
	struct store_weigh_import *imp = arg;
	if (wim_report_note_error(imp->errors, e))
		return store__oom(&imp->cb_err);
	return 0;
}

int store__weighing_line(const struct store_weighing_row *r, char *buf, size_t size)
{
	int n = snprintf(buf, size,
			 "%lld|%s|%s|%lld|%s|%s|%d|%d|%s|%lld|%d|%s|%s|%lld|%lld|%lld|%d\n",
			 (long long)r->line, r->id ? r->id : "", r->station ? r->station : "",
			 (long long)r->weighed_at, r->plate ? r->plate : "",
			 r->plate_colour ? r->plate_colour : "", r->lane, r->axles,
			 r->config ? r->config : "", (long long)r->gross_kg, r->speed_kmh,
			 r->image_sha256 ? r->image_sha256 : "",
			 r->video_sha256 ? r->video_sha256 : "", (long long)r->limit_kg,
			 (long long)r->tolerance_kg, (long long)r->over_kg, r->over ? 1 : 0);
	return n < 0 || (size_t)n >= size ? -1 : n;
}

/* Insert the batch; hash the lines of the rows it added, in file order. */
static int import_flush(struct store_weigh_import *imp)
{
	if (!imp->nbatch)
		return ZF_OK;
	int rc = imp->st->ops->weighing_insert(imp->st, imp->rows, imp->nbatch, imp->added,
					       imp->pos, &imp->cb_err);
	for (size_t i = 0; !rc && i < imp->nbatch; i++) {
		const struct store_weighing_row *r = &imp->rows[i];
		char line[WIM_LINE_MAX + 256];
		if (!imp->added[i])
			continue;
		int n = store__weighing_line(r, line, sizeof(line));
		if (n < 0)
			ZF_BUG("weighing digest line too long");
		if (ledger_hasher_update(imp->rows_h, line, (size_t)n))
			rc = store__oom(&imp->cb_err);
		if (!imp->added_total)
			imp->first_pos = imp->pos[i];
		imp->last_pos = imp->pos[i];
		imp->added_total++;
		imp->since_commit++;
		imp->over_added += r->over;
	}
	imp->nbatch = 0;
	return rc;
}

/*
 * Write the import's row (insert the first time, then update) with the
 * counts so far, the digest of the rows added so far, their range and the
 * status, append its weigh.import entry and commit; unless final, open the
 * next batch's transaction.  Batches keep the write-ahead log and memory
 * flat however long the file (BENCHMARKS.md); each is recorded, so an
 * import cut short stays "loading" with what it stored, and the same file
 * loaded again adds the rest.
 */
static int import_save(struct store_weigh_import *imp, bool final, const char *file_sha256,
		       struct zf_error *err)
{
	struct store *st = imp->st;
	const struct wim_stats *s = &imp->sc.stats;
	uint8_t rd[LEDGER_HASH_LEN];
	char rhex[LEDGER_HEX_LEN];
	uint64_t rejected = s->rejected + imp->uncalibrated;
	int rc = final ? ledger_hasher_final(imp->rows_h, rd) : ledger_hasher_peek(imp->rows_h, rd);
	if (rc)
		return store__oom(err);
	ledger_hex(rd, LEDGER_HASH_LEN, rhex);
	struct store_weigh_import_row row = {
		.org_id = imp->ctx.org_id, .id = imp->id, .name = imp->name,
		.file_sha256 = file_sha256, .rows_digest = rhex,
		.device_id = imp->has_device ? imp->dev.id : NULL, .rows = (int64_t)s->rows,
		.accepted = (int64_t)(s->accepted - imp->uncalibrated),
		.added = (int64_t)imp->added_total, .rejected = (int64_t)rejected,
		.over_limit = (int64_t)imp->over_added, .now = imp->ctx.now_us,
		.first_pos = imp->added_total ? imp->first_pos : 0,
		.last_pos = imp->added_total ? imp->last_pos : -1,
		.status = final ? "done" : "loading",
	};
	json_t *detail = json_pack("{sI sI ss}", "added", (json_int_t)imp->added_total,
				   "over_limit", (json_int_t)imp->over_added, "status", row.status);
	rc = detail ? st->ops->weigh_import_put(st, &row, imp->row_written, err) : store__oom(err);
	if (!rc)
		rc = append_state(st, &imp->ctx, "weigh.import", "weigh_import", imp->id, detail,
				  err);
	json_decref(detail);
	imp->in_tx = false;
	if ((rc = store__tx_end(st, rc, err)))
		return rc;
	imp->row_written = true;
	imp->since_commit = 0;
	if (!final) {
		if ((rc = store__tx_begin(st, err)))
			return rc;
		imp->in_tx = true;
	}
	return ZF_OK;
}

static bool import_calibrated(const struct store_weigh_import *imp, struct zf_date day,
			      char until[DATE_STR_LEN])
{
	bool found = false;
	struct zf_date best = {0, 0, 0};
	for (size_t i = 0; i < imp->nspans; i++)
		if (date_cmp(imp->spans[i].from, day) <= 0 && date_cmp(day, imp->spans[i].until) <= 0 &&
		    (!found || date_cmp(imp->spans[i].until, best) > 0))
			best = imp->spans[i].until, found = true;
	if (found)
		date_format(best, until);
	return found;
}

static int import_on_record(void *arg, size_t line, const struct wim_record *rec)
{
	struct store_weigh_import *imp = arg;
	size_t k = imp->nbatch;
	char *until = imp->untils[k];
	if (imp->has_device &&
	    !import_calibrated(imp, instant_local_date(rec->time_us), until)) {
		struct wim_error e = {line, 2, {0}};
		zf_fail(&e.err, ZF_EREFUSED, "scale_not_calibrated", "time",
			"称重时衡器“%s”没有有效的检定证书，该记录不能作为执法证据", imp->dev.code);
		imp->uncalibrated++;
		return import_on_error(imp, &e);
	}
	imp->recs[k] = *rec;
	imp->lines[k] = line;
	const struct wim_record *r = &imp->recs[k];
	/* the import's id with the line number as its last 12 hex digits:
	 * unique, cheap, and the row says where it came from */
	int n = snprintf(imp->ids[k], REG_ID_LEN, "%.24s%012llx", imp->id,
			 (unsigned long long)line);
	if (n != REG_ID_LEN - 1)
		ZF_BUG("weighing id length %d", n);
	imp->rows[k] = (struct store_weighing_row){
		.org_id = imp->ctx.org_id, .id = imp->ids[k], .source = "import",
		.station = r->station, .weighed_at = r->time_us, .plate = r->plate,
		.plate_colour = wim_plate_colour_code(r->plate_colour), .lane = r->lane,
		.axles = r->axles, .config = overload_config_code(r->config),
		.gross_kg = r->gross_kg, .speed_kmh = r->speed_kmh,
		.device_id = imp->has_device ? imp->dev.id : NULL,
		.calibrated_until = imp->has_device ? until : NULL,
		.image_sha256 = r->image_sha256[0] ? r->image_sha256 : NULL,
		.video_sha256 = r->video_sha256[0] ? r->video_sha256 : NULL,
		.limit_kg = r->limit_kg, .tolerance_kg = r->tolerance_kg, .over_kg = r->over_kg,
		.over = r->over, .import_id = imp->id, .line = (int64_t)line,
		.review = r->over ? "pending" : "none", .now = imp->ctx.now_us,
	};
	if (++imp->nbatch < WEIGH_BATCH)
		return 0;
	if (import_flush(imp))
		return ZF_ESTORE;
	/* a strict import is all or nothing: one transaction */
	if (!imp->strict && imp->since_commit >= (uint64_t)imp->commit_rows &&
	    import_save(imp, false, "", &imp->cb_err))
		return ZF_ESTORE;
	return 0;
}

void store_weigh_import_abort(struct store_weigh_import *imp)
{
	if (!imp)
		return;
	if (imp->in_tx)
		imp->st->ops->tx_rollback(imp->st);
	if (imp->have_cls)
		wim_classifier_release(&imp->cls);
	overload_rules_release(&imp->rules);
	ledger_hasher_free(imp->file_h);
	ledger_hasher_free(imp->rows_h);
	device_release(&imp->dev);
	json_decref(imp->errors);
	zf_free(imp->spans);
	zf_free(imp->name);
	zf_free(imp);
}

static int import_spans(struct store_weigh_import *imp, struct zf_error *err)
{
	char *text = NULL;
	int rc = imp->st->ops->calibrations_json(imp->st, imp->ctx.org_id, imp->dev.id, &text, err);
	json_t *list = loads_owned(text, err, &rc);
	size_t i, n = json_array_size(list);
	json_t *c;
	if (!rc && n && !(imp->spans = zf_calloc(n, sizeof(*imp->spans))))
		rc = store__oom(err);
	json_array_foreach(list, i, c) {
		if (rc)
			break;
		if (date_parse(js(c, "valid_from"), &imp->spans[i].from, "valid_from", err) ||
		    date_parse(js(c, "valid_until"), &imp->spans[i].until, "valid_until", err))
			rc = ZF_ESTORE;
		imp->nspans++;
	}
	json_decref(list);
	return rc;
}

int store_weigh_import_begin(struct store *st, const struct zf_ctx *ctx, const char *name,
			     const char *device, bool strict,
			     struct store_weigh_import **out, struct zf_error *err)
{
	struct overload_settings set;
	enum ledger_alg alg;
	int64_t seq;
	uint8_t leaf[LEDGER_HASH_LEN];
	int rc;
	*out = NULL;
	if ((rc = store__need_org(ctx, err)) ||
	    (rc = text_check(name, "name", 200, true, err)))
		return rc;
	struct store_weigh_import *imp = zf_calloc(1, sizeof(*imp));
	if (!imp)
		return store__oom(err);
	imp->st = st;
	imp->ctx = *ctx;
	imp->strict = strict;
	overload_rules_init(&imp->rules);
	if (!(imp->name = zf_strdup(name)) || !(imp->errors = json_array())) {
		rc = store__oom(err);
		goto fail;
	}
	if (device && *device) {
		if ((rc = scale_get(st, ctx->org_id, device, &imp->dev, "device", err)) ||
		    (rc = import_spans(imp, err)))
			goto fail;
		imp->has_device = true;
	}
	char *every = NULL;
	rc = st->ops->setting_get(st, ctx->org_id, "weigh_import_commit_rows", &every, err);
	imp->commit_rows = 100000;
	if (!rc && every)
		rc = text_parse_int(every, 1, 100000000, &imp->commit_rows,
				    "weigh_import_commit_rows", err);
	zf_free(every);
	if (rc)
		goto fail;
	if ((rc = store_overload_settings(st, ctx->org_id, &set, err)) ||
	    (rc = overload_rules_load_builtin(&imp->rules, err)) ||
	    (rc = wim_classifier_init(&imp->cls, &imp->rules, &set, err)))
		goto fail;
	imp->have_cls = true;
	if ((rc = st->ops->ledger_head(st, ctx->org_id, &seq, leaf, &alg, err)) ||
	    (rc = store__new_id(ctx, imp->id, err)))
		goto fail;
	imp->file_h = ledger_hasher_new(LEDGER_SHA256);
	imp->rows_h = ledger_hasher_new(alg);
	if (!imp->file_h || !imp->rows_h || ledger_hasher_begin(imp->file_h) ||
	    ledger_hasher_begin(imp->rows_h)) {
		rc = store__oom(err);
		goto fail;
	}
	wim_scan_init(&imp->sc, &imp->cls, import_on_record, import_on_error, imp);
	if ((rc = store__tx_begin(st, err)))
		goto fail;
	imp->in_tx = true;
	*out = imp;
	return ZF_OK;
fail:
	store_weigh_import_abort(imp);
	return rc;
}

int store_weigh_import_feed(struct store_weigh_import *imp, const char *buf, size_t len,
			    bool eof, size_t *used, struct zf_error *err)
{
	int rc = wim_scan_feed(&imp->sc, buf, len, eof, used, err);
	if (rc && rc != ZF_EINVAL) {
		/* a callback stopped the scan: its own reason */
		if (err)
			*err = imp->cb_err;
		return rc;
	}
	if (rc)
		return rc;
	if (ledger_hasher_update(imp->file_h, buf, *used))
		return store__oom(err);
	return ZF_OK;
}

int store_weigh_import_commit(struct store_weigh_import *imp, json_t **out,
			      struct zf_error *err)
{
	uint8_t fd[LEDGER_HASH_LEN];
	char fhex[LEDGER_HEX_LEN];
	const struct wim_stats *s = &imp->sc.stats;
	uint64_t rejected = s->rejected + imp->uncalibrated;
	int rc = ZF_OK;
	if (!imp->sc.header_done)
		rc = zf_fail(err, ZF_EINVAL, "invalid_format", "header",
			     "文件为空或缺少表头（docs/wim-csv.md）");
	else if (import_flush(imp))
		rc = (*err = imp->cb_err, err->rc ? err->rc : ZF_ESTORE);
	else if (imp->strict && rejected > 0)
		rc = zf_fail(err, ZF_EINVAL, "invalid_format", "file",
			     "文件有 %llu 行不合格，--strict 要求整个文件合格，未导入任何记录",
			     (unsigned long long)rejected);
	else if (ledger_hasher_final(imp->file_h, fd))
		rc = store__oom(err);
	if (rc) {
		/* the operator still sees which rows made a strict import fail */
		if (out && imp->strict && rejected > 0)
			*out = json_pack("{ss sI sI sI sb sO}", "name", imp->name, "rows",
					 (json_int_t)s->rows, "accepted",
					 (json_int_t)(s->accepted - imp->uncalibrated), "rejected",
					 (json_int_t)rejected, "stored", 0, "errors", imp->errors);
		store_weigh_import_abort(imp);
		return rc;
	}
	ledger_hex(fd, LEDGER_HASH_LEN, fhex);
	uint64_t accepted = s->accepted - imp->uncalibrated;
	rc = import_save(imp, true, fhex, err);
	if (!rc && out) {
		*out = json_pack("{ss ss ss sI sI sI sI sI sI sO}", "id", imp->id, "name",
				 imp->name, "file_sha256", fhex, "rows", (json_int_t)s->rows,
				 "accepted", (json_int_t)accepted, "added",
				 (json_int_t)imp->added_total, "duplicates",
				 (json_int_t)(accepted - imp->added_total), "rejected",
				 (json_int_t)rejected, "over_limit", (json_int_t)imp->over_added,
				 "errors", imp->errors);
		if (!*out)
			rc = store__oom(err);
	}
	store_weigh_import_abort(imp);
	return rc;
}

int store_weigh_import_list(struct store *st, struct zf_ctx *ctx, json_t **out,
			    struct zf_error *err)
{
	char *text = NULL;
	int rc = store__need_org(ctx, err);
	if (!rc)
		rc = st->ops->weigh_imports_json(st, ctx->org_id, &text, err);
	*out = loads_owned(text, err, &rc);
	return rc;
}

/* ---- statistics -------------------------------------------------------- */

/*
 * Over-limit rate and tonnes on one group of the stats, as integers and
 * text (no binary fractions in the API): the rate in basis points (万分之一,
 * rounded half up) and "0.98%"; tonnes as "133.0".
 */
static void stats_decorate(json_t *g)
{
	int64_t checked = ji(g, "checked"), over = ji(g, "over_limit");
	int64_t bp = checked ? (over * 10000 * 2 + checked) / (checked * 2) : 0;
	int64_t kg = ji(g, "unloaded_kg");
	char pct[32], t[32];
	snprintf(pct, sizeof(pct), "%lld.%02lld%%", (long long)(bp / 100), (long long)(bp % 100));
	snprintf(t, sizeof(t), "%lld.%lld", (long long)(kg / 1000), (long long)(kg % 1000 / 100));
	json_object_set_new(g, "over_limit_rate_bp", json_integer(bp));
	json_object_set_new(g, "over_limit_rate_text", json_string(pct));
	json_object_set_new(g, "unloaded_t_text", json_string(t));
}

int store_overload_stats(struct store *st, struct zf_ctx *ctx, int year, json_t **out,
			 struct zf_error *err)
{
	char *text = NULL;
	int rc = store__need_org(ctx, err);
	if (!rc && (year < 2000 || year > 2099))
		rc = zf_fail(err, ZF_EINVAL, "invalid_number", "year", "年份应在 2000 至 2099 之间");
	if (rc)
		return rc;
	int64_t from = instant_from_local_date((struct zf_date){year, 1, 1});
	int64_t to = instant_from_local_date((struct zf_date){year + 1, 1, 1});
	rc = st->ops->overload_stats_json(st, ctx->org_id, from, to, ZF_LOCAL_OFFSET_S, &text,
					  err);
	json_t *s = loads_owned(text, err, &rc);
	if (rc)
		return rc;
	json_t *doc = json_object_get(s, "total");
	json_object_set_new(doc, "year", json_integer(year));
	stats_decorate(doc);
	size_t i;
	json_t *g;
	json_array_foreach(json_object_get(s, "by_station"), i, g)
		stats_decorate(g);
	json_array_foreach(json_object_get(s, "by_month"), i, g)
		stats_decorate(g);
	json_object_set(doc, "by_station", json_object_get(s, "by_station"));
	json_object_set(doc, "by_month", json_object_get(s, "by_month"));
	*out = json_incref(doc);
	json_decref(s);
	return ZF_OK;
}

/* ---- ledger verify ----------------------------------------------------- */

static int hash_row(void *arg, const struct store_weighing_row *r)
{
	/* a row stored with longer values than an import can give cannot
	 * match its digest anyway: hash a marker instead */
	char line[WIM_LINE_MAX + 256];
	int n = store__weighing_line(r, line, sizeof(line));
	if (n < 0)
		return ledger_hasher_update(arg, "!\n", 2) ? ZF_ENOMEM : ZF_OK;
	return ledger_hasher_update(arg, line, (size_t)n) ? ZF_ENOMEM : ZF_OK;
}

/* An import's state with its rows digest recomputed from the rows as they
 * are now: any row changed, added or removed under it shows as a mismatch. */
static json_t *import_state(struct store *st, const char *org_id, const char *id)
{
	struct zf_error err;
	enum ledger_alg alg;
	int64_t seq;
	uint8_t leaf[LEDGER_HASH_LEN], d[LEDGER_HASH_LEN];
	char hex[LEDGER_HEX_LEN];
	char *text = NULL;
	int rc = st->ops->weigh_import_json(st, org_id, id, &text, &err);
	json_t *s = loads_owned(text, &err, &rc);
	struct ledger_hasher *h = NULL;
	if (!rc)
		rc = st->ops->ledger_head(st, org_id, &seq, leaf, &alg, &err);
	if (!rc && (!(h = ledger_hasher_new(alg)) || ledger_hasher_begin(h)))
		rc = ZF_ENOMEM;
	if (!rc)
		rc = st->ops->weighing_rows(st, org_id, id, hash_row, h, &err);
	if (!rc && ledger_hasher_final(h, d))
		rc = ZF_ENOMEM;
	ledger_hasher_free(h);
	if (rc) {
		json_decref(s);
		return NULL;
	}
	ledger_hex(d, LEDGER_HASH_LEN, hex);
	json_object_set_new(s, "rows_digest", json_string(hex));
	return s;
}

json_t *store__overload_state(struct store *st, const char *org_id, const char *type,
			      const char *id)
{
	struct zf_error err;
	char *text = NULL;
	int rc;
	if (!strcmp(type, "weigh_import"))
		return import_state(st, org_id, id);
	if (!strcmp(type, "weighing"))
		rc = st->ops->weighing_json(st, org_id, id, &text, &err);
	else if (!strcmp(type, "calibration"))
		rc = st->ops->calibration_json(st, org_id, id, &text, &err);
	else
		return NULL;
	return loads_owned(text, &err, &rc);
}
