/*
 * The demo bureau's weigh stations in 2025 (issue 8 "Demo"; annual report
 * §一.4: "全年查处超限车辆16辆、卸载货物100余吨，超限率控制在被检测车辆2%以内").
 *
 *   - two stations, each with a scale and its verification certificates,
 *     and the weigh-in-motion pilot at the G242 station's entrance (科技治超,
 *     the 2026 plan) from December;
 *   - the stations' logs of vehicles checked and found within the limits,
 *     loaded month by month with `weigh import` (about 1,200 vehicles);
 *   - the 16 over-limit vehicles, each weighed by officers, unloaded when
 *     over the mass limit (about 133 t in all), and attached to its one of
 *     the 16 over-limit penalty cases (demo.c opens the general-procedure
 *     ones from the weighing, and links the on-the-spot ones);
 *   - the pilot's December records: over-limit ones waiting for review
 *     (行政处罚法 Art. 41) and two dismissed by a reviewer.
 * So `zhifa overload stats --year 2025` gives 16 over-limit of 1,635 checked
 * (0.98%) and 133 t unloaded; no penalty is added.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "demo.h"
#include "text.h"

#define ST_G242 "G242-K1096"	/* 杭锦后旗超限检测站, G242线K1096+300 */
#define ST_S311 "S311-K45"	/* 陕坝超限检测点, S311线K45+200 */
#define WIM_HEADER_LINE "station,time,lane,plate,plate_colour,axles,config,gross_kg," \
			"speed_kmh,image_sha256,video_sha256\n"

static const struct {
	const char *code, *name;
} scales[] = {
	{"SCALE-G242", "杭锦后旗超限检测站静态衡器（SCS-100）"},
	{"SCALE-S311", "陕坝超限检测点便携式轴重仪"},
	{"WIM-G242", "杭锦后旗超限检测站入口不停车称重设备（试运行）"},
};

static const struct {
	const char *scale, *cert, *from, *until;
} certs[] = {
	{"SCALE-G242", "巴计检（衡）2024-0871", "2024-07-01", "2025-06-30"},
	{"SCALE-S311", "巴计检（衡）2024-1153", "2024-11-15", "2025-11-14"},
	{"SCALE-G242", "巴计检（衡）2025-0912", "2025-06-25", "2026-06-24"},
	{"SCALE-S311", "巴计检（衡）2025-1207", "2025-11-10", "2026-11-09"},
	{"WIM-G242", "巴计检（动）2025-0033", "2025-11-28", "2026-11-27"},
};

/* The over-limit vehicles as weighed: mass cases are six-axle trains over
 * 49 t; dimension cases were measured (62号令 Art. 3 items 1-3). */
static const struct demo_weighing weighings[] = {
	{"G1", ST_G242, 6, "train", 52000, 0, 0, 0, "煤炭", 3500, 0},
	{"G2", ST_G242, 6, "train", 58100, 0, 0, 0, "煤炭", 9500, 0},
	{"G3", ST_S311, 3, "truck", 23800, 4400, 0, 0, NULL, 0, 0},
	{"G4", ST_G242, 6, "train", 65000, 0, 0, 0, "砂石料", 16500, 0},
	{"G5", ST_G242, 6, "train", 73000, 0, 0, 0, "砂石料", 24500, 0},
	{"G6", ST_G242, 6, "train", 93600, 0, 0, 0, "煤炭", 45000, 1},
	{"G7", ST_S311, 6, "train", 45200, 0, 3900, 24000, NULL, 0, 0},
	{"G8", ST_G242, 6, "train", 53200, 0, 0, 0, "玉米", 4500, 0},
	{"G9", ST_S311, 6, "train", 56000, 0, 0, 0, "葵花籽", 7500, 0},
	{"G10", ST_G242, 6, "train", 61300, 0, 0, 0, "煤炭", 12500, 0},
	{"G11", ST_G242, 6, "train", 57200, 0, 0, 0, "钢材", 8500, 0},
	{"G12", ST_S311, 6, "train", 41000, 0, 0, 21500, NULL, 0, 0},
	{"S1", ST_S311, 2, "truck", 15200, 4100, 0, 0, NULL, 0, 0},
	{"S2", ST_G242, 6, "train", 49600, 0, 0, 0, "玉米", 1000, 0},
	{"S3", ST_S311, 4, "truck", 28600, 0, 3200, 0, NULL, 0, 0},
	{"S4", ST_S311, 6, "train", 47500, 0, 0, 18600, NULL, 0, 0},
};

const struct demo_weighing *demo_weighing_for(const char *tag)
{
	for (size_t i = 0; i < ZF_ARRAY_LEN(weighings); i++)
		if (!strcmp(weighings[i].tag, tag))
			return &weighings[i];
	return NULL;
}

const char *demo_station_name(const char *code)
{
	return !strcmp(code, ST_G242) ? "G242线K1096+300 杭锦后旗超限检测站"
				      : "S311线K45+200 陕坝超限检测点";
}

static const char *scale_of(const char *station)
{
	return !strcmp(station, ST_G242) ? "SCALE-G242" : "SCALE-S311";
}

int demo_scales(struct cli *c, struct zf_error *err)
{
	int rc = ZF_OK;
	for (size_t i = 0; !rc && i < ZF_ARRAY_LEN(scales); i++) {
		struct device dev = {0};
		if (!zf_set_str(&dev.code, scales[i].code) || !zf_set_str(&dev.kind, "scale") ||
		    !zf_set_str(&dev.name, scales[i].name))
			rc = zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
		if (!rc)
			rc = store_device_add(c->st, &c->ctx, &dev, err);
		device_release(&dev);
		c->ctx.now_us += 60 * INT64_C(1000000);
	}
	return rc;
}

int demo_weigh_before(struct cli *c, const struct demo_weighing *w, const char *plate,
		      const char *trailer, const char *const officers[2], int64_t case_at,
		      char id_out[REG_ID_LEN], struct zf_error *err)
{
	struct weigh_in in = {0};
	json_t *out = NULL;
	int64_t saved = c->ctx.now_us;
	in.station = w->station;
	in.weighed_at = case_at - 90 * 60 * INT64_C(1000000);
	in.plate = plate;
	in.trailer_plate = !strcmp(w->config, "train") ? trailer : NULL;
	in.axles = w->axles;
	in.config = w->config;
	in.gross_kg = w->gross_kg;
	in.height_mm = w->height_mm;
	in.width_mm = w->width_mm;
	in.length_mm = w->length_mm;
	in.device = scale_of(w->station);
	in.officers = officers;
	in.nofficers = 2;
	c->ctx.now_us = in.weighed_at + 5 * 60 * INT64_C(1000000);
	int rc = store_weigh_record(c->st, &c->ctx, &in, &out, err);
	if (!rc)
		zf_strlcpy(id_out, json_string_value(json_object_get(out, "id")), REG_ID_LEN);
	json_decref(out);
	if (!rc && w->goods) {
		char place[128];
		snprintf(place, sizeof(place), "%s卸货场", demo_station_name(w->station));
		struct unload_in u = {
			.goods = w->goods, .unloaded_kg = w->unloaded_kg, .place = place,
			.reweigh_kg = w->gross_kg - w->unloaded_kg,
			.at = in.weighed_at + 50 * 60 * INT64_C(1000000),
		};
		c->ctx.now_us = u.at + 5 * 60 * INT64_C(1000000);
		rc = store_weigh_unload(c->st, &c->ctx, id_out, &u, NULL, err);
	}
	c->ctx.now_us = saved;
	return rc;
}

/* ---- the stations' logs ------------------------------------------------- */

static uint32_t lcg(uint32_t *s, uint32_t n)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 8) % n;
}

/* Within the limits: 35%..97% of the axle count's limit. */
static int row(struct buf *b, uint32_t *seed, const char *station, int64_t at, bool wim,
	       int64_t gross_override)
{
	static const char letters[] = "ABCDEFGHJKLMNPQRSTUVWXYZ";
	static const char *const prov[] = {"蒙L", "蒙L", "蒙L", "蒙B", "蒙K", "宁A", "甘B", "陕K"};
	static const struct {
		int axles;
		const char *config;
		int64_t limit;
	} kinds[] = {{2, "truck", 18000}, {3, "truck", 25000}, {4, "truck", 31000},
		     {5, "train", 43000}, {6, "train", 49000}, {6, "train", 49000}};
	int k = (int)lcg(seed, ZF_ARRAY_LEN(kinds));
	int64_t gross = gross_override ? gross_override
				       : kinds[k].limit * (35 + (int64_t)lcg(seed, 63)) / 100;
	if (gross_override)
		k = 4;
	char when[INSTANT_STR_LEN], img[65];
	instant_format(at, when);
	for (int i = 0; i < 64; i++)
		img[i] = "0123456789abcdef"[lcg(seed, 16)];
	img[64] = '\0';
	return buf_printf(b, "%s,%s,%u,%s%c%04u,%s,%d,%s,%lld,%u,%s,\n", station, when,
			  1 + lcg(seed, 2), prov[lcg(seed, ZF_ARRAY_LEN(prov))],
			  letters[lcg(seed, 24)], lcg(seed, 10000),
			  kinds[k].axles == 2 && lcg(seed, 4) == 0 ? "blue" : "yellow",
			  kinds[k].axles, kinds[k].config, (long long)(gross / 10 * 10),
			  wim ? 20 + lcg(seed, 50) : 0, img);
}

static int import_text(struct cli *c, const char *name, const char *device, struct buf *b,
		       json_t **out, struct zf_error *err)
{
	struct store_weigh_import *imp = NULL;
	size_t used = 0;
	int rc = store_weigh_import_begin(c->st, &c->ctx, name, device, true, &imp, err);
	if (!rc && (rc = store_weigh_import_feed(imp, buf_cstr(b), strlen(buf_cstr(b)), true,
					       &used, err)))
		store_weigh_import_abort(imp);
	else if (!rc)
		rc = store_weigh_import_commit(imp, out, err);
	return rc;
}

/*
 * The month's log of one station: vehicles checked and within the limits
 * (the over-limit ones are entered by the officers who stopped them), each
 * at a whole minute of a day of the month, loaded after the month ends.
 */
static int station_month(struct cli *c, int month, uint32_t *seed, struct zf_error *err)
{
	static const struct {
		const char *station, *device;
		int per_month;
	} st[] = {{ST_G242, "SCALE-G242", 70}, {ST_S311, "SCALE-S311", 30}};
	int rc = ZF_OK;
	for (size_t s = 0; !rc && s < ZF_ARRAY_LEN(st); s++) {
		struct buf b;
		char name[96];
		int days = date_days_in_month(2025, month);
		buf_init(&b, (size_t)1 << 20);
		int bad = buf_puts(&b, WIM_HEADER_LINE);
		for (int i = 0; !bad && i < st[s].per_month; i++) {
			struct zf_date d = {2025, month, 1 + (int)lcg(seed, (uint32_t)days)};
			/* 06:00..21:59 local, whole minutes */
			int64_t at = instant_from_local_date(d) +
				     (int64_t)(360 + lcg(seed, 960)) * 60 * 1000000;
			if (at >= c->ctx.now_us)
				continue;
			bad = row(&b, seed, st[s].station, at, false, 0);
		}
		snprintf(name, sizeof(name), "%s-2025-%02d.csv", st[s].station, month);
		json_t *out = NULL;
		rc = bad ? zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足")
			 : import_text(c, name, st[s].device, &b, &out, err);
		json_decref(out);
		buf_release(&b);
		c->ctx.now_us += 10 * 60 * INT64_C(1000000);
	}
	return rc;
}

/*
 * The weigh-in-motion pilot's December: vehicles passing the G242 entrance
 * lane, a few over the limit.  Those wait for a person's review (Art. 41);
 * two were dismissed on the images (another vehicle beside it, a plate
 * read wrongly).  Called on the year's last afternoon.
 */
static int wim_pilot(struct cli *c, const char *reviewer, struct zf_error *err)
{
	static const int64_t over[] = {55800, 52300, 61200, 50900, 57400, 53600};
	uint32_t seed = 20251201;
	struct buf b;
	json_t *out = NULL;
	buf_init(&b, (size_t)1 << 20);
	int bad = buf_puts(&b, WIM_HEADER_LINE);
	for (int i = 0; !bad && i < 420; i++) {
		struct zf_date d = {2025, 12, 1 + i * 30 / 420};
		int64_t at = instant_from_local_date(d) + (int64_t)(i % 14 * 60 + 420) * 60 *
								 1000000 + i * 1000000;
		bad = row(&b, &seed, "G242-K1096-WIM", at, true,
			  i % 70 == 35 ? over[i / 70] : 0);
	}
	int rc = bad ? zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足")
		     : import_text(c, "G242-K1096-WIM-2025-12.csv", "WIM-G242", &b, &out, err);
	buf_release(&b);
	json_decref(out);
	if (rc)
		return rc;
	struct weigh_filter f = {.review = "pending", .over_only = true, .year = 2025};
	json_t *list = NULL;
	if ((rc = store_weigh_list(c->st, &c->ctx, &f, &list, err)))
		return rc;
	static const char *const reasons[] = {
		"图像显示称重时相邻车道有车辆并行，称重数据受干扰，不能确认为该车数据",
		"图像中号牌与识别结果不符（识别错误），无法确定车辆",
	};
	for (size_t i = 0; !rc && i < 2 && i < json_array_size(list); i++) {
		c->ctx.now_us += 7 * 60 * INT64_C(1000000);
		rc = store_weigh_dismiss(
			c->st, &c->ctx,
			json_string_value(json_object_get(json_array_get(list, i), "id")), reviewer,
			reasons[i], NULL, err);
	}
	json_decref(list);
	return rc;
}

/* ---- when each of these happens ---------------------------------------- */

enum { EV_CERT, EV_MONTH, EV_WIM };

static int64_t local_at(struct zf_date d, int hour, int minute)
{
	return instant_from_local_date(d) + ((int64_t)hour * 60 + minute) * 60 * INT64_C(1000000);
}

/* Certificates registered on the day they start (those from 2024 on the
 * demo's first working day), each month's logs loaded on the first day of
 * the next (December's on the year's last afternoon), then the pilot. */
void demo_overload_init(struct demo_overload *o, const char *reviewer)
{
	memset(o, 0, sizeof(*o));
	o->seed = 150826;
	o->reviewer = reviewer;
	for (size_t i = 0; i < ZF_ARRAY_LEN(certs); i++) {
		struct zf_date from;
		if (date_parse(certs[i].from, &from, "valid_from", NULL))
			ZF_BUG("demo certificate date %s", certs[i].from);
		if (from.y < 2025)
			from = (struct zf_date){2025, 1, 2};
		o->ev[o->n++] = (struct demo_overload_event){local_at(from, 8, 10 + (int)i), EV_CERT,
							     (int)i};
	}
	for (int m = 1; m <= 12; m++)
		o->ev[o->n++] = (struct demo_overload_event){
			m < 12 ? local_at((struct zf_date){2025, m + 1, 1}, 8, 30)
			       : local_at((struct zf_date){2025, 12, 31}, 15, 0),
			EV_MONTH, m};
	o->ev[o->n++] = (struct demo_overload_event){
		local_at((struct zf_date){2025, 12, 31}, 16, 0), EV_WIM, 0};
	/* in time order (insertion sort: a few dozen) */
	for (size_t i = 1; i < o->n; i++)
		for (size_t j = i; j > 0 && o->ev[j].at < o->ev[j - 1].at; j--) {
			struct demo_overload_event t = o->ev[j];
			o->ev[j] = o->ev[j - 1];
			o->ev[j - 1] = t;
		}
}

int demo_overload_until(struct cli *c, struct demo_overload *o, int64_t t,
			struct zf_error *err)
{
	int rc = ZF_OK;
	int64_t saved = c->ctx.now_us;
	while (!rc && o->next < o->n && o->ev[o->next].at <= t) {
		const struct demo_overload_event *e = &o->ev[o->next++];
		c->ctx.now_us = e->at;
		if (e->kind == EV_CERT) {
			struct zf_date from, until;
			if (!(rc = date_parse(certs[e->arg].from, &from, "valid_from", err)) &&
			    !(rc = date_parse(certs[e->arg].until, &until, "valid_until", err)))
				rc = store_calibration_add(c->st, &c->ctx, certs[e->arg].scale,
							   certs[e->arg].cert, from, until, NULL, err);
		} else if (e->kind == EV_MONTH) {
			rc = station_month(c, e->arg, &o->seed, err);
		} else {
			rc = wim_pilot(c, o->reviewer, err);
		}
	}
	if (c->ctx.now_us < saved)
		c->ctx.now_us = saved;
	return rc;
}
