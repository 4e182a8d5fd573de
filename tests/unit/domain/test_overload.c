/*
 * Tests for src/domain/overload.c: the over-limit limits and penalties
 * shipped under data/rules/ (law.md §3.2–3.4, §3.7), the strict loader,
 * and the engine.  One row per rule of 62号令 Art. 3 and Art. 43; each row
 * cites the rule it checks, so a failing row leads back to the law.  The
 * data files are the embedded copies the binary ships with.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "embed.h"
#include "overload.h"

static struct overload_rules rules;

static struct zf_date day(const char *s)
{
	struct zf_date d = {0, 0, 0};

	if (date_parse(s, &d, "test", NULL) != ZF_OK)
		fail_msg("bad date in test table: %s", s);
	return d;
}

static int setup(void **state)
{
	struct zf_error err;

	(void)state;
	overload_rules_init(&rules);
	zf_error_clear(&err);
	if (overload_rules_load_builtin(&rules, &err) != ZF_OK)
		fail_msg("builtin rules: %s %s %s", err.code, err.field, err.message);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	overload_rules_release(&rules);
	return 0;
}

/* ---- the engine, one row per rule ---- */

#define REFR 1u		/* refrigerated */
#define AIR 2u		/* air suspension */
#define WIM 4u		/* weigh-in-motion record */
#define SDA 8u		/* single drive axle */

struct row {
	const char *rule;
	enum overload_config config;
	int axles;
	unsigned flags;
	int tyres;			/* single-tyre axles */
	int64_t mass;			/* 0: not measured */
	const char *h, *w, *l;		/* metres; NULL: not measured */
	int64_t licence;		/* 0: not given */
	enum overload_part_tonne mode;
	int64_t tol;
	/* expected */
	int64_t limit, over;
	bool overweight, oversize;
	enum overload_penalty_kind kind;
	int64_t min, max;
	const char *cites;		/* one article the basis must list */
};

#define T OVERLOAD_TRUCK
#define TR OVERLOAD_TRAIN
#define WHOLE OVERLOAD_WHOLE_TONNES
#define UP OVERLOAD_ROUND_UP
#define BAND OVERLOAD_OVER_WARNING_BAND
#define NONE OVERLOAD_PENALTY_NONE
#define WARN OVERLOAD_PENALTY_WARNING
#define FINE OVERLOAD_PENALTY_FINE

static const struct row rows[] = {
	/* 62号令 Art. 3 para 1 (1)-(3): dimensions; "超过" is strictly greater */
	{"62号令第三条第一款第（一）项：高度4米，恰为4米不超限", T, 2, 0, 0, 0, "4", NULL,
	 NULL, 0, WHOLE, 0, 18000, 0, false, false, NONE, 0, 0, "第三条第一款第（一）项"},
	{"62号令第三条第一款第（一）项：高度超过4米（4.001米）", T, 2, 0, 0, 0, "4.001", NULL,
	 NULL, 0, WHOLE, 0, 18000, 0, false, true, FINE, 0, 200, "第三条第一款第（一）项"},
	{"62号令第三条第一款第（二）项：宽度2.55米不超限", T, 2, 0, 0, 0, NULL, "2.55",
	 NULL, 0, WHOLE, 0, 18000, 0, false, false, NONE, 0, 0, "第三条第一款第（二）项"},
	{"62号令第三条第一款第（二）项：宽度超过2.55米", T, 2, 0, 0, 0, NULL, "2.551",
	 NULL, 0, WHOLE, 0, 18000, 0, false, true, FINE, 0, 200, "第三条第一款第（二）项"},
	{"62号令第三条第一款第（三）项：长度18.1米不超限", TR, 5, 0, 0, 0, NULL, NULL,
	 "18.1", 0, WHOLE, 0, 43000, 0, false, false, NONE, 0, 0, "第三条第一款第（三）项"},
	{"62号令第三条第一款第（三）项：长度超过18.1米", TR, 5, 0, 0, 0, NULL, NULL,
	 "18.101", 0, WHOLE, 0, 43000, 0, false, true, FINE, 0, 200, "第三条第一款第（三）项"},
	/* Art. 3 para 1 (4)-(8): gross mass by axles and configuration */
	{"62号令第三条第一款第（四）项：二轴货车18000千克，恰为限值不超限", T, 2, 0, 0, 18000,
	 NULL, NULL, NULL, 0, WHOLE, 0, 18000, 0, false, false, NONE, 0, 0,
	 "第三条第一款第（四）项"},
	{"62号令第三条第一款第（四）项：二轴货车超过1千克", T, 2, 0, 0, 18001, NULL, NULL,
	 NULL, 0, WHOLE, 0, 18000, 1, true, false, WARN, 0, 0, "第三条第一款第（四）项"},
	{"62号令第三条第一款第（五）项：三轴货车25000千克", T, 3, 0, 0, 25001, NULL, NULL,
	 NULL, 0, WHOLE, 0, 25000, 1, true, false, WARN, 0, 0, "第三条第一款第（五）项"},
	{"62号令第三条第一款第（五）项：三轴汽车列车27000千克", TR, 3, 0, 0, 27000, NULL,
	 NULL, NULL, 0, WHOLE, 0, 27000, 0, false, false, NONE, 0, 0, "第三条第一款第（五）项"},
	{"62号令第三条第一款第（六）项：四轴货车31000千克", T, 4, 0, 0, 31001, NULL, NULL,
	 NULL, 0, WHOLE, 0, 31000, 1, true, false, WARN, 0, 0, "第三条第一款第（六）项"},
	{"62号令第三条第一款第（六）项：四轴汽车列车36000千克", TR, 4, 0, 0, 36000, NULL,
	 NULL, NULL, 0, WHOLE, 0, 36000, 0, false, false, NONE, 0, 0, "第三条第一款第（六）项"},
	{"62号令第三条第一款第（七）项：五轴汽车列车43000千克", TR, 5, 0, 0, 43001, NULL,
	 NULL, NULL, 0, WHOLE, 0, 43000, 1, true, false, WARN, 0, 0, "第三条第一款第（七）项"},
	{"62号令第三条第一款第（八）项：六轴汽车列车49000千克", TR, 6, 0, 0, 49000, NULL,
	 NULL, NULL, 0, WHOLE, 0, 49000, 0, false, false, NONE, 0, 0, "第三条第一款第（八）项"},
	{"62号令第三条第一款第（八）项：六轴以上（七轴）汽车列车49000千克", TR, 7, 0, 0,
	 49001, NULL, NULL, NULL, 0, WHOLE, 0, 49000, 1, true, false, WARN, 0, 0,
	 "第三条第一款第（八）项"},
	{"62号令第三条第一款第（八）项：牵引车驱动轴为单轴的46000千克", TR, 6, SDA, 0, 46001,
	 NULL, NULL, NULL, 0, WHOLE, 0, 46000, 1, true, false, WARN, 0, 0,
	 "第三条第一款第（八）项"},
	{"62号令第三条第一款第（八）项：八轴、牵引车驱动轴为单轴的46000千克", TR, 8, SDA, 0,
	 46000, NULL, NULL, NULL, 0, WHOLE, 0, 46000, 0, false, false, NONE, 0, 0,
	 "第三条第一款第（八）项"},
	/* Art. 3 para 2: the rules for applying the limits */
	{"62号令第三条第二款第（二）项：单轮胎车轴每轴减少3000千克（2根）", TR, 6, 0, 2,
	 43001, NULL, NULL, NULL, 0, WHOLE, 0, 43000, 1, true, false, WARN, 0, 0,
	 "第三条第二款第（二）项"},
	{"62号令第三条第二款第（二）项：三轴货车1根单轮胎车轴", T, 3, 0, 1, 22000, NULL,
	 NULL, NULL, 0, WHOLE, 0, 22000, 0, false, false, NONE, 0, 0, "第三条第二款第（二）项"},
	{"62号令第三条第二款第（四）项：拖拉机以行驶证核定总质量为限", OVERLOAD_FARM_TRACTOR,
	 2, 0, 0, 5500, NULL, NULL, NULL, 5000, WHOLE, 0, 5000, 500, true, false, WARN, 0, 0,
	 "第三条第二款第（四）项"},
	{"62号令第三条第二款第（四）项：低速货车以行驶证核定总质量为限",
	 OVERLOAD_LOW_SPEED_TRUCK, 2, 0, 0, 4500, NULL, NULL, NULL, 4500, WHOLE, 0, 4500, 0,
	 false, false, NONE, 0, 0, "第三条第二款第（四）项"},
	{"62号令第三条第二款第（四）项：农用车以行驶证核定总质量为限", OVERLOAD_FARM_VEHICLE,
	 3, 0, 0, 8000, NULL, NULL, NULL, 6000, WHOLE, 0, 6000, 2000, true, false, FINE,
	 1000, 1000, "第三条第二款第（四）项"},
	{"62号令第三条第二款第（五）项、GB 1589-2016：空气悬架三轴货车26000千克", T, 3, AIR,
	 0, 26000, NULL, NULL, NULL, 0, WHOLE, 0, 26000, 0, false, false, NONE, 0, 0,
	 "第三条第二款第（五）项"},
	{"62号令第三条第二款第（五）项、GB 1589-2016：空气悬架四轴货车32000千克", T, 4, AIR,
	 0, 32001, NULL, NULL, NULL, 0, WHOLE, 0, 32000, 1, true, false, WARN, 0, 0,
	 "第三条第二款第（五）项"},
	{"GB 1589-2016 空气悬架放宽只适用于三轴、四轴货车：四轴汽车列车仍为36000千克", TR, 4,
	 AIR, 0, 36001, NULL, NULL, NULL, 0, WHOLE, 0, 36000, 1, true, false, WARN, 0, 0,
	 "第三条第一款第（六）项"},
	{"62号令第三条第二款第（五）项、GB 1589-2016：冷藏车宽度2.6米不超限", T, 2, REFR, 0,
	 0, NULL, "2.6", NULL, 0, WHOLE, 0, 18000, 0, false, false, NONE, 0, 0,
	 "第三条第二款第（五）项"},
	{"62号令第三条第二款第（五）项、GB 1589-2016：冷藏车宽度超过2.6米", T, 2, REFR, 0,
	 0, NULL, "2.601", NULL, 0, WHOLE, 0, 18000, 0, false, true, FINE, 0, 200,
	 "第三条第二款第（五）项"},
	/* Art. 43 para 1 (2): mass, warning band and 500 yuan per 1000 kg */
	{"62号令第四十三条第一款第（二）项：超过1000千克以内予以警告", TR, 6, 0, 0, 50000,
	 NULL, NULL, NULL, 0, WHOLE, 0, 49000, 1000, true, false, WARN, 0, 0,
	 "第四十三条第一款第（二）项"},
	{"第四十三条第一款第（二）项：超过1001千克，整吨计1个，罚500元", TR, 6, 0, 0, 50001,
	 NULL, NULL, NULL, 0, WHOLE, 0, 49000, 1001, true, false, FINE, 500, 500,
	 "第四十三条第一款第（二）项"},
	{"第四十三条第一款第（二）项：超过1001千克，进一计2个，罚1000元", TR, 6, 0, 0, 50001,
	 NULL, NULL, NULL, 0, UP, 0, 49000, 1001, true, false, FINE, 1000, 1000,
	 "第四十三条第一款第（二）项"},
	{"第四十三条第一款第（二）项：超过1001千克，只计警告幅度以上，罚500元", TR, 6, 0, 0,
	 50001, NULL, NULL, NULL, 0, BAND, 0, 49000, 1001, true, false, FINE, 500, 500,
	 "第四十三条第一款第（二）项"},
	{"law.md §3.4 不足一吨：超过2400千克，超限总质量整吨数（默认）：2个，1000元", TR, 6,
	 0, 0, 51400, NULL, NULL, NULL, 0, WHOLE, 0, 49000, 2400, true, false, FINE, 1000,
	 1000, "第四十三条第一款第（二）项"},
	{"law.md §3.4 不足一吨：超过2400千克，进一：3个，1500元", TR, 6, 0, 0, 51400, NULL,
	 NULL, NULL, 0, UP, 0, 49000, 2400, true, false, FINE, 1500, 1500,
	 "第四十三条第一款第（二）项"},
	{"law.md §3.4 不足一吨：超过2400千克，只计超过警告幅度的1400千克：2个，1000元", TR,
	 6, 0, 0, 51400, NULL, NULL, NULL, 0, BAND, 0, 49000, 2400, true, false, FINE, 1000,
	 1000, "第四十三条第一款第（二）项"},
	{"law.md §3.4 不足一吨：超过2000千克，只计超过警告幅度的1000千克：1个，500元", TR,
	 6, 0, 0, 51000, NULL, NULL, NULL, 0, BAND, 0, 49000, 2000, true, false, FINE, 500,
	 500, "第四十三条第一款第（二）项"},
	{"第四十三条第一款第（二）项：恰为最高30000元（超过60000千克）", TR, 6, 0, 0, 109000,
	 NULL, NULL, NULL, 0, WHOLE, 0, 49000, 60000, true, false, FINE, 30000, 30000,
	 "第四十三条第一款第（二）项"},
	{"第四十三条第一款第（二）项：最高不得超过30000元（超过70000千克）", TR, 6, 0, 0,
	 119000, NULL, NULL, NULL, 0, WHOLE, 0, 49000, 70000, true, false, FINE, 30000, 30000,
	 "第四十三条第一款第（二）项"},
	/* Art. 43 para 1 (1): dimension bands, each edge */
	{"第四十三条第一款第（一）项：高度未超过4.2米，可以处200元以下", T, 2, 0, 0, 0, "4.2",
	 NULL, NULL, 0, WHOLE, 0, 18000, 0, false, true, FINE, 0, 200,
	 "第四十三条第一款第（一）项"},
	{"第四十三条第一款第（一）项：高度超过4.2米，200元以上1000元以下", T, 2, 0, 0, 0,
	 "4.201", NULL, NULL, 0, WHOLE, 0, 18000, 0, false, true, FINE, 200, 1000,
	 "第四十三条第一款第（一）项"},
	{"第四十三条第一款第（一）项：高度未超过4.5米，200元以上1000元以下", T, 2, 0, 0, 0,
	 "4.5", NULL, NULL, 0, WHOLE, 0, 18000, 0, false, true, FINE, 200, 1000,
	 "第四十三条第一款第（一）项"},
	{"第四十三条第一款第（一）项：高度超过4.5米，1000元以上3000元以下", T, 2, 0, 0, 0,
	 "4.501", NULL, NULL, 0, WHOLE, 0, 18000, 0, false, true, FINE, 1000, 3000,
	 "第四十三条第一款第（一）项"},
	{"第四十三条第一款第（一）项：宽度未超过3米", T, 2, 0, 0, 0, NULL, "3", NULL, 0,
	 WHOLE, 0, 18000, 0, false, true, FINE, 0, 200, "第四十三条第一款第（一）项"},
	{"第四十三条第一款第（一）项：宽度超过3米", T, 2, 0, 0, 0, NULL, "3.001", NULL, 0,
	 WHOLE, 0, 18000, 0, false, true, FINE, 200, 1000, "第四十三条第一款第（一）项"},
	{"第四十三条第一款第（一）项：宽度未超过3.75米", T, 2, 0, 0, 0, NULL, "3.75", NULL, 0,
	 WHOLE, 0, 18000, 0, false, true, FINE, 200, 1000, "第四十三条第一款第（一）项"},
	{"第四十三条第一款第（一）项：宽度超过3.75米", T, 2, 0, 0, 0, NULL, "3.751", NULL, 0,
	 WHOLE, 0, 18000, 0, false, true, FINE, 1000, 3000, "第四十三条第一款第（一）项"},
	{"第四十三条第一款第（一）项：长度未超过20米", TR, 6, 0, 0, 0, NULL, NULL, "20", 0,
	 WHOLE, 0, 49000, 0, false, true, FINE, 0, 200, "第四十三条第一款第（一）项"},
	{"第四十三条第一款第（一）项：长度超过20米", TR, 6, 0, 0, 0, NULL, NULL, "20.001", 0,
	 WHOLE, 0, 49000, 0, false, true, FINE, 200, 1000, "第四十三条第一款第（一）项"},
	{"第四十三条第一款第（一）项：长度未超过28米", TR, 6, 0, 0, 0, NULL, NULL, "28", 0,
	 WHOLE, 0, 49000, 0, false, true, FINE, 200, 1000, "第四十三条第一款第（一）项"},
	{"第四十三条第一款第（一）项：长度超过28米", TR, 6, 0, 0, 0, NULL, NULL, "28.001", 0,
	 WHOLE, 0, 49000, 0, false, true, FINE, 1000, 3000, "第四十三条第一款第（一）项"},
	{"第四十三条第一款第（一）项：三项都在第一档内，任一项进入第二档即第二档", T, 2, 0, 0,
	 0, "4.1", "2.9", "20.5", 0, WHOLE, 0, 18000, 0, false, true, FINE, 200, 1000,
	 "第四十三条第一款第（一）项"},
	/* Art. 43 para 2: several violations added, the total at most 30000 */
	{"第四十三条第二款：质量罚款6000元与第二档200-1000元累计", TR, 6, 0, 0, 61400, "4.3",
	 NULL, NULL, 0, WHOLE, 0, 49000, 12400, true, true, FINE, 6200, 7000,
	 "第四十三条第二款"},
	{"第四十三条第二款：累计最高不得超过30000元（上限部分适用）", TR, 6, 0, 0, 108500,
	 "4.3", NULL, NULL, 0, WHOLE, 0, 49000, 59500, true, true, FINE, 29700, 30000,
	 "第四十三条第二款"},
	{"第四十三条第二款：累计最高不得超过30000元（全部适用）", TR, 6, 0, 0, 119000, "4.6",
	 NULL, NULL, 0, WHOLE, 0, 49000, 70000, true, true, FINE, 30000, 30000,
	 "第四十三条第二款"},
	{"第四十三条第一款第（一）（二）项：质量警告并处尺寸罚款", TR, 6, 0, 0, 49500, "4.1",
	 NULL, NULL, 0, WHOLE, 0, 49000, 500, true, true, FINE, 0, 200, "第四十三条第二款"},
	{"条例第六十四条：超限即引用条例", TR, 6, 0, 0, 50001, NULL, NULL, NULL, 0, WHOLE, 0,
	 49000, 1001, true, false, FINE, 500, 500, "《公路安全保护条例》第六十四条"},
	/* law.md §3.7: the tolerance applies to weigh-in-motion records only */
	{"law.md §3.7 动态称重扣除误差500千克后超过300千克：警告", TR, 6, WIM, 0, 49800,
	 NULL, NULL, NULL, 0, WHOLE, 500, 49000, 300, true, false, WARN, 0, 0,
	 "第四十三条第一款第（二）项"},
	{"law.md §3.7 动态称重扣除误差后恰为限值：不超限", TR, 6, WIM, 0, 49500, NULL, NULL,
	 NULL, 0, WHOLE, 500, 49000, 0, false, false, NONE, 0, 0, "第三条第一款第（八）项"},
	{"law.md §3.7 静态称重不扣除误差", TR, 6, 0, 0, 49500, NULL, NULL, NULL, 0, WHOLE, 500,
	 49000, 500, true, false, WARN, 0, 0, "第三条第一款第（八）项"},
};

static void input_of(const struct row *r, struct overload_input *in,
		     struct overload_settings *s)
{
	memset(in, 0, sizeof(*in));
	memset(s, 0, sizeof(*s));
	in->config = r->config;
	in->axles = r->axles;
	in->single_drive_axle = r->flags & SDA;
	in->refrigerated = r->flags & REFR;
	in->air_suspension = r->flags & AIR;
	in->wim = r->flags & WIM;
	in->single_tyre_axles = r->tyres;
	in->has_mass = r->mass != 0;
	in->mass_kg = r->mass;
	in->has_licence_mass = r->licence != 0;
	in->licence_mass_kg = r->licence;
	in->has_height = r->h != NULL;
	in->has_width = r->w != NULL;
	in->has_length = r->l != NULL;
	if ((r->h && overload_parse_mm(r->h, &in->height_mm, "h", NULL)) ||
	    (r->w && overload_parse_mm(r->w, &in->width_mm, "w", NULL)) ||
	    (r->l && overload_parse_mm(r->l, &in->length_mm, "l", NULL)))
		fail_msg("%s: bad metres in the table", r->rule);
	in->date = day("2025-06-01");
	s->part_tonne = r->mode;
	s->wim_tolerance_kg = r->tol;
}

/* A row of the table by the start of its rule text. */
static const struct row *row_named(const char *rule)
{
	for (size_t i = 0; i < ZF_ARRAY_LEN(rows); i++)
		if (strncmp(rows[i].rule, rule, strlen(rule)) == 0)
			return &rows[i];
	fail_msg("no row %s", rule);
	return NULL;
}

#define SIX_AXLE_TRAIN "62号令第三条第一款第（八）项：六轴汽车列车49000千克"
#define TWO_AXLE_TRUCK "62号令第三条第一款第（四）项：二轴货车18000千克"
#define HEIGHT_4M "62号令第三条第一款第（一）项：高度4米"
#define COMBINED "第四十三条第二款：质量罚款6000元"
#define COMBINED_CAPPED "第四十三条第二款：累计最高不得超过30000元（全部适用）"

static bool has_basis(const struct overload_result *res, const char *part)
{
	for (size_t i = 0; i < res->nbasis; i++)
		if (strstr(res->basis[i], part))
			return true;
	return false;
}

static void test_rows(void **state)
{
	(void)state;
	for (size_t i = 0; i < ZF_ARRAY_LEN(rows); i++) {
		const struct row *r = &rows[i];
		struct overload_input in;
		struct overload_settings s;
		struct overload_result res;
		struct zf_error err;

		input_of(r, &in, &s);
		zf_error_clear(&err);
		if (overload_check(&rules, &in, &s, &res, &err) != ZF_OK)
			fail_msg("%s: %s %s %s", r->rule, err.code, err.field, err.message);
		if (res.limit_kg != r->limit || res.over_kg != r->over ||
		    res.overweight != r->overweight || res.oversize != r->oversize ||
		    res.kind != r->kind || res.min_yuan != r->min || res.max_yuan != r->max)
			fail_msg("%s: limit %lld over %lld overweight %d oversize %d kind %s "
				 "%lld-%lld", r->rule, (long long)res.limit_kg,
				 (long long)res.over_kg, res.overweight, res.oversize,
				 overload_penalty_kind_code(res.kind), (long long)res.min_yuan,
				 (long long)res.max_yuan);
		if (!has_basis(&res, r->cites))
			fail_msg("%s: basis does not cite %s", r->rule, r->cites);
		/* every line of the explanation is a sentence for the decision */
		assert_true(res.nexplain >= 2);
		for (size_t k = 0; k < res.nexplain; k++) {
			const char *e = res.explain[k];
			size_t n = strlen(e);

			if (n < 3 || strcmp(e + n - 3, "。") != 0)
				fail_msg("%s: line %zu is not a sentence: %s", r->rule, k, e);
		}
		/* the violation codes of data/violations/overload.json */
		if (r->overweight)
			assert_string_equal(res.violations[0], "overload_mass");
		if (r->oversize)
			assert_string_equal(res.violations[r->overweight ? 1 : 0],
					    "overload_dimension");
		overload_result_release(&res);
	}
}

static bool explains(const struct overload_result *res, const char *part)
{
	for (size_t i = 0; i < res->nexplain; i++)
		if (strstr(res->explain[i], part))
			return true;
	return false;
}

static void check_explain(const struct row *r, const char *const *parts)
{
	struct overload_input in;
	struct overload_settings s;
	struct overload_result res;

	input_of(r, &in, &s);
	assert_int_equal(overload_check(&rules, &in, &s, &res, NULL), ZF_OK);
	for (; *parts; parts++)
		if (!explains(&res, *parts)) {
			for (size_t i = 0; i < res.nexplain; i++)
				print_message("  %s\n", res.explain[i]);
			fail_msg("%s: explanation lacks “%s”", r->rule, *parts);
		}
	overload_result_release(&res);
}

/* The explanation names the limit and why, the excess, the setting, the band, the cap. */
static void test_explain(void **state)
{
	static const struct row single = {
		"62号令第三条第一款第（八）项、第二款第（二）项", TR, 6, SDA, 2, 52400, NULL,
		NULL, NULL, 0, WHOLE, 0, 0, 0, 0, 0, 0, 0, 0, NULL};
	static const char *const single_parts[] = {
		"六轴及六轴以上汽车列车（牵引车驱动轴为单轴）的车货总质量限定标准为46000千克",
		"牵引车驱动轴为单轴",
		"每轴减少3000千克；车辆有2根车轴每侧为单轮胎",
		"限定标准减为40000千克",
		"实测车货总质量52400千克（静态称重，不扣除计量误差）",
		"超过限定标准12400千克",
		"whole_tonnes_of_total_excess",
		"超限12400千克计12个1000千克",
		"罚款6000元",
		"《公路安全保护条例》第六十四条",
		"综上，处6000元罚款。",
		NULL};
	static const struct row up = {
		"law.md §3.4 进一", TR, 6, 0, 0, 51400, NULL, NULL, NULL, 0, UP, 0, 0, 0, 0,
		0, 0, 0, 0, NULL};
	static const char *const up_parts[] = {"round_up", "超限2400千克计3个1000千克",
					       "罚款1500元", NULL};
	static const struct row band = {
		"law.md §3.4 警告幅度以上", TR, 6, 0, 0, 51400, NULL, NULL, NULL, 0, BAND, 0, 0,
		0, 0, 0, 0, 0, 0, NULL};
	static const char *const band_parts[] = {"excess_over_warning_band",
						 "超过警告幅度1400千克，计2个1000千克",
						 "罚款1000元", NULL};
	static const struct row capped = {
		"第四十三条第二款", TR, 6, 0, 0, 119000, "4.6", NULL, NULL, 0, WHOLE, 0, 0, 0,
		0, 0, 0, 0, 0, NULL};
	static const char *const capped_parts[] = {
		"超过最高30000元，罚款30000元",
		"车货总高度从地面算起超过4.5米的，处1000元以上3000元以下罚款（第3档）",
		"总宽度、总长度未测量",
		"罚款数额累计为31000元至33000元",
		"累计罚款数额最高不得超过30000元，按30000元计",
		"综上，处30000元罚款。",
		NULL};
	static const struct row warn = {
		"第四十三条第一款第（一）（二）项", TR, 6, 0, 0, 49500, "4.1", NULL, NULL, 0,
		WHOLE, 0, 0, 0, 0, 0, 0, 0, 0, NULL};
	static const char *const warn_parts[] = {
		"但未超过1000千克的，予以警告",
		"车货总高度从地面算起未超过4.2米、总宽度未超过3米且总长度未超过20米的，"
		"可以处200元以下罚款（第1档）",
		"综上，予以警告，并可以处200元以下罚款。",
		NULL};
	static const struct row wim = {
		"law.md §3.7", TR, 6, WIM, 0, 49800, NULL, NULL, NULL, 0, WHOLE, 500, 0, 0, 0,
		0, 0, 0, 0, NULL};
	static const char *const wim_parts[] = {
		"本机构设置的动态称重计量误差为500千克，扣除后为49300千克", "综上，予以警告。",
		NULL};
	static const struct row none = {
		"未测量", T, 2, 0, 0, 0, NULL, NULL, NULL, 0, WHOLE, 0, 0, 0, 0, 0, 0, 0, 0,
		NULL};
	static const char *const none_parts[] = {"仅给出限定标准", NULL};

	(void)state;
	check_explain(&single, single_parts);
	check_explain(&up, up_parts);
	check_explain(&band, band_parts);
	check_explain(&capped, capped_parts);
	check_explain(&warn, warn_parts);
	check_explain(&wim, wim_parts);
	check_explain(&none, none_parts);
}

/* law.md §3.7: a tolerance in permille of the measured mass, rounded up. */
static void test_tolerance_permille(void **state)
{
	struct overload_input in;
	struct overload_settings s;
	struct overload_result res;
	struct zf_error err;

	(void)state;
	input_of(row_named(HEIGHT_4M), &in, &s);
	in.config = OVERLOAD_TRAIN;
	in.axles = 6;
	in.has_height = false;
	in.has_mass = true;
	in.mass_kg = 50001;	/* 2% = 1000.02 kg, rounded up to 1001 */
	in.wim = true;
	s.wim_tolerance_permille = 20;
	assert_int_equal(overload_check(&rules, &in, &s, &res, NULL), ZF_OK);
	assert_int_equal(res.tolerance_kg, 1001);
	assert_int_equal(res.mass_kg, 49000);
	assert_false(res.overweight);
	assert_true(explains(&res, "千分之20"));
	overload_result_release(&res);
	/* kg and permille together are refused */
	s.wim_tolerance_kg = 100;
	zf_error_clear(&err);
	assert_int_equal(overload_check(&rules, &in, &s, &res, &err), ZF_EINVAL);
	assert_string_equal(err.field, "wim_tolerance_permille");
}

/* ---- refused input ---- */

struct bad_input {
	const char *why;
	void (*change)(struct overload_input *in, struct overload_settings *s);
	int rc;
	const char *code, *field;
};

static void axles_1(struct overload_input *in, struct overload_settings *s)
{
	(void)s;
	in->axles = 1;
}

static void axles_21(struct overload_input *in, struct overload_settings *s)
{
	(void)s;
	in->axles = OVERLOAD_MAX_AXLES + 1;
}

static void no_config(struct overload_input *in, struct overload_settings *s)
{
	(void)s;
	in->config = OVERLOAD_ANY;
}

static void truck_5(struct overload_input *in, struct overload_settings *s)
{
	(void)s;
	in->config = OVERLOAD_TRUCK;
	in->axles = 5;
}

static void train_2(struct overload_input *in, struct overload_settings *s)
{
	(void)s;
	in->axles = 2;
}

static void tyres_all(struct overload_input *in, struct overload_settings *s)
{
	(void)s;
	in->single_tyre_axles = in->axles;
}

static void tyres_negative(struct overload_input *in, struct overload_settings *s)
{
	(void)s;
	in->single_tyre_axles = -1;
}

static void tyres_licence(struct overload_input *in, struct overload_settings *s)
{
	(void)s;
	in->config = OVERLOAD_FARM_TRACTOR;
	in->has_licence_mass = true;
	in->licence_mass_kg = 4000;
	in->single_tyre_axles = 1;
}

static void licence_missing(struct overload_input *in, struct overload_settings *s)
{
	(void)s;
	in->config = OVERLOAD_LOW_SPEED_TRUCK;
}

static void mass_zero(struct overload_input *in, struct overload_settings *s)
{
	(void)s;
	in->has_mass = true;
	in->mass_kg = 0;
}

static void mass_negative(struct overload_input *in, struct overload_settings *s)
{
	(void)s;
	in->has_mass = true;
	in->mass_kg = -5;
}

static void mass_absurd(struct overload_input *in, struct overload_settings *s)
{
	(void)s;
	in->has_mass = true;
	in->mass_kg = OVERLOAD_MAX_MASS_KG + 1;
}

static void height_zero(struct overload_input *in, struct overload_settings *s)
{
	(void)s;
	in->has_height = true;
	in->height_mm = 0;
}

static void width_absurd(struct overload_input *in, struct overload_settings *s)
{
	(void)s;
	in->has_width = true;
	in->width_mm = OVERLOAD_MAX_WIDTH_MM + 1;
}

static void length_absurd(struct overload_input *in, struct overload_settings *s)
{
	(void)s;
	in->has_length = true;
	in->length_mm = OVERLOAD_MAX_LENGTH_MM + 1;
}

static void before_62(struct overload_input *in, struct overload_settings *s)
{
	(void)s;
	in->date = day("2016-09-20");
}

static void bad_date(struct overload_input *in, struct overload_settings *s)
{
	(void)s;
	in->date = (struct zf_date){2025, 2, 30};
}

static void tolerance_absurd(struct overload_input *in, struct overload_settings *s)
{
	(void)in;
	s->wim_tolerance_kg = OVERLOAD_MAX_TOLERANCE_KG + 1;
}

static void mode_unknown(struct overload_input *in, struct overload_settings *s)
{
	(void)in;
	s->part_tonne = (enum overload_part_tonne)7;
}

static const struct bad_input bad_inputs[] = {
	{"62号令第三条：货车至少二轴", axles_1, ZF_EINVAL, "invalid_number", "axles"},
	{"轴数超出合理范围", axles_21, ZF_EINVAL, "invalid_number", "axles"},
	{"车辆类型必填", no_config, ZF_EINVAL, "unknown_code", "config"},
	{"62号令第三条第一款第（七）项只规定五轴汽车列车", truck_5, ZF_EINVAL, "unknown_code",
	 "axles"},
	{"62号令第三条没有二轴汽车列车", train_2, ZF_EINVAL, "unknown_code", "axles"},
	{"第三条第二款第（二）项：驱动轴除外，单轮胎车轴少于轴数", tyres_all, ZF_EINVAL,
	 "invalid_number", "single_tyre_axles"},
	{"单轮胎车轴数不能为负", tyres_negative, ZF_EINVAL, "invalid_number",
	 "single_tyre_axles"},
	{"第三条第二款第（四）项：行驶证核定总质量不按单轮胎减少", tyres_licence, ZF_EINVAL,
	 "invalid_number", "single_tyre_axles"},
	{"第三条第二款第（四）项：须给出行驶证核定的总质量", licence_missing, ZF_EINVAL,
	 "required", "licence_mass_kg"},
	{"质量为零", mass_zero, ZF_EINVAL, "invalid_number", "mass_kg"},
	{"质量为负", mass_negative, ZF_EINVAL, "invalid_number", "mass_kg"},
	{"质量超出合理范围", mass_absurd, ZF_EINVAL, "invalid_number", "mass_kg"},
	{"高度为零", height_zero, ZF_EINVAL, "invalid_number", "height_m"},
	{"宽度超出合理范围", width_absurd, ZF_EINVAL, "invalid_number", "width_m"},
	{"长度超出合理范围", length_absurd, ZF_EINVAL, "invalid_number", "length_m"},
	{"62号令2016-09-21施行，此前没有施行中的规则", before_62, ZF_EREFUSED,
	 "no_rule_in_force", "date"},
	{"日期无效", bad_date, ZF_EINVAL, "invalid_date", "date"},
	{"计量误差超出合理范围", tolerance_absurd, ZF_EINVAL, "invalid_number",
	 "wim_tolerance_kg"},
	{"不足一吨的计算方式未知", mode_unknown, ZF_EINVAL, "unknown_code",
	 "overload_part_tonne_mode"},
};

static void test_bad_input(void **state)
{
	(void)state;
	for (size_t i = 0; i < ZF_ARRAY_LEN(bad_inputs); i++) {
		const struct bad_input *b = &bad_inputs[i];
		struct overload_input in;
		struct overload_settings s;
		struct overload_result res;
		struct zf_error err;
		int rc;

		input_of(row_named(SIX_AXLE_TRAIN), &in, &s);
		b->change(&in, &s);
		zf_error_clear(&err);
		rc = overload_check(&rules, &in, &s, &res, &err);
		if (rc != b->rc || strcmp(err.code, b->code) || strcmp(err.field, b->field))
			fail_msg("%s: rc %d code %s field %s: %s", b->why, rc, err.code,
				 err.field, err.message);
		assert_true(err.message[0] != '\0');
		assert_null(res.explain);
		assert_null(res.basis);
	}
}

/* ---- codes and metres ---- */

static void test_parse(void **state)
{
	static const struct {
		const char *s;
		int64_t mm;
	} good[] = {{"4", 4000}, {"4.2", 4200}, {"4.25", 4250}, {"18.125", 18125},
		    {"0.001", 1}, {"2.550", 2550}, {"0", 0}};
	static const char *const bad[] = {"", "4.", ".5", "4.2555", "-1", "1e3", "4,2",
					  "4.2m", " 4", "+4", "12345678"};
	enum overload_part_tonne m;
	enum overload_config c;
	struct zf_error err;
	int64_t mm;

	(void)state;
	for (size_t i = 0; i < ZF_ARRAY_LEN(good); i++) {
		assert_int_equal(overload_parse_mm(good[i].s, &mm, "height_m", NULL), ZF_OK);
		assert_int_equal(mm, good[i].mm);
	}
	for (size_t i = 0; i < ZF_ARRAY_LEN(bad); i++) {
		zf_error_clear(&err);
		if (overload_parse_mm(bad[i], &mm, "height_m", &err) != ZF_EINVAL)
			fail_msg("“%s” accepted as metres", bad[i]);
		assert_string_equal(err.code, "invalid_number");
		assert_string_equal(err.field, "height_m");
	}
	for (int i = OVERLOAD_WHOLE_TONNES; i <= OVERLOAD_OVER_WARNING_BAND; i++) {
		assert_int_equal(overload_part_tonne_parse(overload_part_tonne_code(i), &m,
							   "mode", NULL), ZF_OK);
		assert_int_equal(m, i);
	}
	assert_string_equal(overload_part_tonne_code(OVERLOAD_WHOLE_TONNES),
			    "whole_tonnes_of_total_excess");
	zf_error_clear(&err);
	assert_int_equal(overload_part_tonne_parse("nearest", &m, "overload_part_tonne_mode",
						   &err), ZF_EINVAL);
	assert_string_equal(err.code, "unknown_code");
	assert_string_equal(err.field, "overload_part_tonne_mode");
	for (int i = OVERLOAD_TRUCK; i <= OVERLOAD_LOW_SPEED_TRUCK; i++) {
		assert_int_equal(overload_config_parse(overload_config_code(i), &c, "config",
						       NULL), ZF_OK);
		assert_int_equal(c, i);
	}
	zf_error_clear(&err);
	assert_int_equal(overload_config_parse("bus", &c, "config", &err), ZF_EINVAL);
	assert_string_equal(err.code, "unknown_code");
	assert_string_equal(err.field, "config");
}

/* ---- the shipped data ---- */

static void test_builtin_data(void **state)
{
	size_t art3 = 0;

	(void)state;
	/* every row names its article and is in force on the reference date */
	for (size_t i = 0; i < rules.nlimits; i++) {
		const struct overload_limit_row *r = &rules.limits[i];

		if (!strstr(r->basis, "《超限运输车辆行驶公路管理规定》第三条"))
			fail_msg("%s does not cite 62号令 Art. 3", r->id);
		assert_true(date_cmp(r->from, day("2016-09-21")) == 0);
		art3 += r->measure == OVERLOAD_MASS && r->condition == OVERLOAD_COND_NONE;
	}
	/* Art. 3 para 1 (4)-(8): eight gross-mass rows (items 5, 6 and 8 have two) */
	assert_int_equal(art3, 8);
	assert_int_equal(rules.npenalties, 7);
	for (size_t i = 0; i < rules.npenalties; i++)
		assert_true(strstr(rules.penalties[i].basis, "第四十三条") ||
			    strstr(rules.penalties[i].basis, "《公路安全保护条例》第六十四条"));
}

/* ---- the strict loader ---- */

#define LH "id\tmeasure\tconfig\taxles\tdrive\tcondition\tvalue\tfrom\tto\tconf\tlabel\tbasis\n"
#define PH "id\trule\tparams\tfrom\tto\tconf\tbasis\n"
#define OK_MASS "a\tmass\ttruck\t2\t*\t-\t18000\t2016-09-21\t-\tV2\t二轴货车\t第三条\n"

struct bad_file {
	const char *rule;
	bool penalties;
	const char *text;
	const char *field;
};

static const struct bad_file bad_files[] = {
	{"README: the first line is the header", false, OK_MASS, "line 1"},
	{"README: the header names every column", false,
	 "id\tmeasure\tconfig\n" OK_MASS, "line 1"},
	{"README: empty file", false, "", "header"},
	{"README: comments only", false, "# 注释\n", "header"},
	{"README: a header without rows", false, LH, "rows"},
	{"README: 12 columns", false,
	 LH "a\tmass\ttruck\t2\t*\t-\t18000\t2016-09-21\t-\tV2\t二轴货车\n", "line 2"},
	{"README: id is lower-case ASCII", false,
	 LH "A\tmass\ttruck\t2\t*\t-\t18000\t2016-09-21\t-\tV2\t二轴货车\t第三条\n",
	 "line 2"},
	{"README: measure codes", false,
	 LH "a\tweight\ttruck\t2\t*\t-\t18000\t2016-09-21\t-\tV2\t二轴货车\t第三条\n",
	 "line 2"},
	{"README: config codes", false,
	 LH "a\tmass\tbus\t2\t*\t-\t18000\t2016-09-21\t-\tV2\t二轴货车\t第三条\n", "line 2"},
	{"README: axles at least 2", false,
	 LH "a\tmass\ttruck\t1\t*\t-\t18000\t2016-09-21\t-\tV2\t二轴货车\t第三条\n", "line 2"},
	{"README: axles N, N+ or *", false,
	 LH "a\tmass\ttruck\tsix+\t*\t-\t18000\t2016-09-21\t-\tV2\t二轴货车\t第三条\n",
	 "line 2"},
	{"README: drive codes", false,
	 LH "a\tmass\ttruck\t2\ttandem\t-\t18000\t2016-09-21\t-\tV2\t二轴货车\t第三条\n",
	 "line 2"},
	{"README: condition codes", false,
	 LH "a\tmass\ttruck\t2\t*\tcold\t18000\t2016-09-21\t-\tV2\t二轴货车\t第三条\n",
	 "line 2"},
	{"README: value is a positive integer", false,
	 LH "a\tmass\ttruck\t2\t*\t-\t0\t2016-09-21\t-\tV2\t二轴货车\t第三条\n", "line 2"},
	{"README: value is whole mm or kg", false,
	 LH "a\tmass\ttruck\t2\t*\t-\t18.5\t2016-09-21\t-\tV2\t二轴货车\t第三条\n", "line 2"},
	{"README: licence_mass has no value", false,
	 LH "a\tlicence_mass\tfarm_tractor\t*\t*\t-\t5000\t2016-09-21\t-\tV2\t拖拉机\t第三条\n",
	 "line 2"},
	{"README: licence_mass has no condition", false,
	 LH "a\tlicence_mass\tfarm_tractor\t*\t*\trefrigerated\t-\t2016-09-21\t-\tV2\t拖拉机\t第三条\n",
	 "line 2"},
	{"README: from is a real date", false,
	 LH "a\tmass\ttruck\t2\t*\t-\t18000\t2016-02-30\t-\tV2\t二轴货车\t第三条\n", "line 2"},
	{"README: to is not before from", false,
	 LH "a\tmass\ttruck\t2\t*\t-\t18000\t2016-09-21\t2016-01-01\tV2\t二轴货车\t第三条\n",
	 "line 2"},
	{"README: conf as law.md §0", false,
	 LH "a\tmass\ttruck\t2\t*\t-\t18000\t2016-09-21\t-\tV3\t二轴货车\t第三条\n", "line 2"},
	{"README: label is required", false,
	 LH "a\tmass\ttruck\t2\t*\t-\t18000\t2016-09-21\t-\tV2\t\t第三条\n", "line 2"},
	{"README: basis is required", false,
	 LH "a\tmass\ttruck\t2\t*\t-\t18000\t2016-09-21\t-\tV2\t二轴货车\t\n", "line 2"},
	{"README: no control characters", false,
	 LH "a\tmass\ttruck\t2\t*\t-\t18000\t2016-09-21\t-\tV2\t二轴\x01货车\t第三条\n",
	 "line 2"},
	{"README: UTF-8", false,
	 LH "a\tmass\ttruck\t2\t*\t-\t18000\t2016-09-21\t-\tV2\t\xff\t第三条\n", "line 2"},
	{"README: ids are unique", false,
	 LH OK_MASS "a\tmass\ttruck\t3\t*\t-\t25000\t2016-09-21\t-\tV2\t三轴货车\t第三条\n",
	 "line 3"},
	{"README: rows may not overlap (same vehicle, same period)", false,
	 LH OK_MASS "b\tmass\ttruck\t2\t*\t-\t19000\t2020-01-01\t-\tV2\t二轴货车\t第三条\n",
	 "line 3"},
	{"README: rows may not overlap (6+ covers 7)", false,
	 LH "a\tmass\ttrain\t6+\t*\t-\t49000\t2016-09-21\t-\tV2\t六轴\t第三条\n"
	    "b\tmass\ttrain\t7\t*\t-\t50000\t2016-09-21\t-\tV2\t七轴\t第三条\n",
	 "line 3"},
	{"README: rows may not overlap (* drive covers single)", false,
	 LH "a\tmass\ttrain\t6+\t*\t-\t49000\t2016-09-21\t-\tV2\t六轴\t第三条\n"
	    "b\tmass\ttrain\t6+\tsingle\t-\t46000\t2016-09-21\t-\tV2\t六轴\t第三条\n",
	 "line 3"},
	{"README: licence_mass and mass may not both apply", false,
	 LH OK_MASS "b\tlicence_mass\t*\t*\t*\t-\t-\t2016-09-21\t-\tV2\t任何车辆\t第三条\n",
	 "line 3"},
	{"README: two conditions may not both apply", false,
	 LH "a\tmass\ttruck\t3\t*\trefrigerated\t26000\t2016-09-21\t-\tV2\t冷藏\t第三条\n"
	    "b\tmass\ttruck\t3\t*\tair_suspension\t26000\t2016-09-21\t-\tV2\t空悬\t第三条\n",
	 "line 3"},
	{"README: penalty header", true, "id\trule\n", "line 1"},
	{"README: 7 columns", true, PH "a\tmass_warning\tover_kg=1000\t2016-09-21\t-\tV2\n",
	 "line 2"},
	{"README: rule codes", true,
	 PH "a\tmass_bonus\tover_kg=1000\t2016-09-21\t-\tV2\t第四十三条\n", "line 2"},
	{"README: unknown parameter", true,
	 PH "a\tmass_warning\tover_t=1\t2016-09-21\t-\tV2\t第四十三条\n", "line 2"},
	{"README: a parameter of another rule", true,
	 PH "a\tmass_warning\tover_kg=1000 yuan=500\t2016-09-21\t-\tV2\t第四十三条\n",
	 "line 2"},
	{"README: parameters once", true,
	 PH "a\tmass_warning\tover_kg=1000 over_kg=1000\t2016-09-21\t-\tV2\t第四十三条\n",
	 "line 2"},
	{"README: parameters are required", true,
	 PH "a\tmass_fine\tper_kg=1000 yuan=500\t2016-09-21\t-\tV2\t第四十三条\n", "line 2"},
	{"README: single spaces between parameters", true,
	 PH "a\tmass_warning\tover_kg=1000 \t2016-09-21\t-\tV2\t第四十三条\n", "line 2"},
	{"README: parameters are whole numbers", true,
	 PH "a\tmass_warning\tover_kg=1000.5\t2016-09-21\t-\tV2\t第四十三条\n", "line 2"},
	{"README: may is 0 or 1", true,
	 PH "a\tdim_band\tmin_yuan=0 max_yuan=200 may=2\t2016-09-21\t-\tV2\t第四十三条\n",
	 "line 2"},
	{"README: band bounds come as three", true,
	 PH "a\tdim_band\theight_mm=4200 min_yuan=0 max_yuan=200 may=1\t2016-09-21\t-\tV2\t第四十三条\n",
	 "line 2"},
	{"README: min_yuan <= max_yuan", true,
	 PH "a\tdim_band\tmin_yuan=300 max_yuan=200 may=0\t2016-09-21\t-\tV2\t第四十三条\n",
	 "line 2"},
	{"README: one rule of a kind in force at a time", true,
	 PH "a\tcombined_cap\tmax_yuan=30000\t2016-09-21\t-\tV2\t第四十三条\n"
	    "b\tcombined_cap\tmax_yuan=20000\t2020-01-01\t-\tV2\t第四十三条\n",
	 "line 3"},
	{"README: the bands of a period share from and to", true,
	 PH "a\tdim_band\theight_mm=4200 width_mm=3000 length_mm=20000 min_yuan=0 max_yuan=200 may=1\t2016-09-21\t-\tV2\t第四十三条\n"
	    "b\tdim_band\tmin_yuan=200 max_yuan=1000 may=0\t2017-01-01\t-\tV2\t第四十三条\n",
	 "line 3"},
	{"README: band bounds increase", true,
	 PH "a\tdim_band\theight_mm=4500 width_mm=3750 length_mm=28000 min_yuan=0 max_yuan=200 may=1\t2016-09-21\t-\tV2\t第四十三条\n"
	    "b\tdim_band\theight_mm=4200 width_mm=3000 length_mm=20000 min_yuan=200 max_yuan=1000 may=0\t2016-09-21\t-\tV2\t第四十三条\n"
	    "c\tdim_band\tmin_yuan=1000 max_yuan=3000 may=0\t2016-09-21\t-\tV2\t第四十三条\n",
	 "line 3"},
	{"README: bands lightest first", true,
	 PH "a\tdim_band\theight_mm=4200 width_mm=3000 length_mm=20000 min_yuan=200 max_yuan=1000 may=0\t2016-09-21\t-\tV2\t第四十三条\n"
	    "b\tdim_band\tmin_yuan=0 max_yuan=200 may=1\t2016-09-21\t-\tV2\t第四十三条\n",
	 "line 3"},
	{"README: nothing after the open band", true,
	 PH "a\tdim_band\tmin_yuan=1000 max_yuan=3000 may=0\t2016-09-21\t-\tV2\t第四十三条\n"
	    "b\tdim_band\theight_mm=4200 width_mm=3000 length_mm=20000 min_yuan=1000 max_yuan=3000 may=0\t2016-09-21\t-\tV2\t第四十三条\n",
	 "line 3"},
	{"README: the bands end with the open one", true,
	 PH "a\tdim_band\theight_mm=4200 width_mm=3000 length_mm=20000 min_yuan=0 max_yuan=200 may=1\t2016-09-21\t-\tV2\t第四十三条\n",
	 "line 2"},
	{"README: the warning band is at least one fine unit", true,
	 PH "a\tmass_warning\tover_kg=500\t2016-09-21\t-\tV2\t第四十三条\n"
	    "b\tmass_fine\tper_kg=1000 yuan=500 max_yuan=30000\t2016-09-21\t-\tV2\t第四十三条\n",
	 "line 3"},
};

static void test_bad_files(void **state)
{
	(void)state;
	for (size_t i = 0; i < ZF_ARRAY_LEN(bad_files); i++) {
		const struct bad_file *b = &bad_files[i];
		struct overload_limit_row *limits = rules.limits;
		struct overload_penalty_row *penalties = rules.penalties;
		size_t nl = rules.nlimits, np = rules.npenalties;
		struct zf_error err;
		int rc;

		zf_error_clear(&err);
		rc = b->penalties ?
		     overload_rules_load_penalties(&rules, b->text, strlen(b->text), &err) :
		     overload_rules_load_limits(&rules, b->text, strlen(b->text), &err);
		if (rc != ZF_EINVAL || strcmp(err.code, "invalid_overload_file") ||
		    strcmp(err.field, b->field))
			fail_msg("%s: rc %d code %s field %s (want %s): %s", b->rule, rc,
				 err.code, err.field, b->field, err.message);
		assert_true(err.message[0] != '\0');
		/* all or nothing: the rules loaded before are untouched */
		assert_ptr_equal(rules.limits, limits);
		assert_ptr_equal(rules.penalties, penalties);
		assert_int_equal(rules.nlimits, nl);
		assert_int_equal(rules.npenalties, np);
	}
}

/* README: when a rule changes, the old row ends and a new one starts. */
static void test_versions(void **state)
{
	static const char limits[] =
		"\xef\xbb\xbf# 测试：两个施行期间\r\n" LH
		"h\theight\t*\t*\t*\t-\t4000\t2016-09-21\t-\tM\t高\t第三条\n"
		"w\twidth\t*\t*\t*\t-\t2550\t2016-09-21\t-\tM\t宽\t第三条\n"
		"l\tlength\t*\t*\t*\t-\t18100\t2016-09-21\t-\tM\t长\t第三条\n"
		"\n"
		"old\tmass\ttruck\t2\t*\t-\t18000\t2016-09-21\t2020-12-31\tM\t二轴货车\t旧第三条\n"
		"new\tmass\ttruck\t2\t*\t-\t19000\t2021-01-01\t-\tM\t二轴货车\t新第三条\n";
	struct overload_rules r;
	struct overload_input in;
	struct overload_settings s;
	struct overload_result res;
	struct zf_error err;
	const struct embed_file *p = embed_find("data/rules/overload_penalties.tsv");

	(void)state;
	assert_non_null(p);
	overload_rules_init(&r);
	zf_error_clear(&err);
	if (overload_rules_load_limits(&r, limits, strlen(limits), &err) ||
	    overload_rules_load_penalties(&r, (const char *)p->data, p->len, &err))
		fail_msg("%s %s %s", err.code, err.field, err.message);
	input_of(row_named(TWO_AXLE_TRUCK), &in, &s);
	in.date = day("2020-12-31");
	assert_int_equal(overload_check(&r, &in, &s, &res, NULL), ZF_OK);
	assert_int_equal(res.limit_kg, 18000);
	assert_string_equal(res.basis[0], "旧第三条");
	overload_result_release(&res);
	in.date = day("2021-01-01");
	assert_int_equal(overload_check(&r, &in, &s, &res, NULL), ZF_OK);
	assert_int_equal(res.limit_kg, 19000);
	assert_string_equal(res.basis[0], "新第三条");
	overload_result_release(&res);
	/* a configuration the file does not list */
	in.config = OVERLOAD_TRAIN;
	in.axles = 3;
	zf_error_clear(&err);
	assert_int_equal(overload_check(&r, &in, &s, &res, &err), ZF_EINVAL);
	assert_string_equal(err.code, "unknown_code");
	assert_string_equal(err.field, "config");
	overload_rules_release(&r);
}

/* ---- JSON and allocation failures ---- */

static void test_json(void **state)
{
	struct overload_input in;
	struct overload_settings s;
	struct overload_result res;
	json_t *j;

	(void)state;
	input_of(row_named(COMBINED), &in, &s);
	assert_int_equal(overload_check(&rules, &in, &s, &res, NULL), ZF_OK);
	j = overload_result_to_json(&res);
	assert_non_null(j);
	assert_int_equal(json_object_size(j), 7);
	assert_int_equal(json_integer_value(json_object_get(j, "limit_kg")), 49000);
	assert_int_equal(json_integer_value(json_object_get(j, "over_kg")), 12400);
	assert_true(json_is_true(json_object_get(j, "overweight")));
	assert_true(json_is_true(json_object_get(j, "oversize")));
	assert_string_equal(json_string_value(json_object_get(
		json_object_get(j, "penalty"), "kind")), "fine");
	assert_int_equal(json_integer_value(json_object_get(
		json_object_get(j, "penalty"), "min_yuan")), 6200);
	assert_int_equal(json_integer_value(json_object_get(
		json_object_get(j, "penalty"), "max_yuan")), 7000);
	assert_int_equal(json_array_size(json_object_get(j, "basis")), res.nbasis);
	assert_int_equal(json_array_size(json_object_get(j, "explain")), res.nexplain);
	json_decref(j);
	overload_result_release(&res);
	/* no mass measured: over_kg is null */
	input_of(row_named(HEIGHT_4M), &in, &s);
	assert_int_equal(overload_check(&rules, &in, &s, &res, NULL), ZF_OK);
	j = overload_result_to_json(&res);
	assert_true(json_is_null(json_object_get(j, "over_kg")));
	json_decref(j);
	overload_result_release(&res);
}

static void test_alloc_failure(void **state)
{
	struct overload_input in;
	struct overload_settings s;
	const struct embed_file *f = embed_find("data/rules/overload_limits.tsv");
	long k;

	(void)state;
	input_of(row_named(COMBINED_CAPPED), &in, &s);	/* the longest path */
	for (k = 1;; k++) {
		struct overload_result res;
		struct zf_error err;
		int rc;

		zf_alloc_fail_after(k);
		rc = overload_check(&rules, &in, &s, &res, &err);
		zf_alloc_fail_after(0);
		if (rc == ZF_OK) {
			overload_result_release(&res);
			break;
		}
		assert_int_equal(rc, ZF_ENOMEM);
		assert_null(res.explain);
	}
	assert_true(k > 10);
	for (k = 1;; k++) {
		struct overload_rules r;
		struct zf_error err;
		int rc;

		overload_rules_init(&r);
		zf_alloc_fail_after(k);
		rc = overload_rules_load_limits(&r, (const char *)f->data, f->len, &err);
		zf_alloc_fail_after(0);
		overload_rules_release(&r);
		if (rc == ZF_OK)
			break;
		assert_int_equal(rc, ZF_ENOMEM);
	}
	assert_true(k > 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_explain),
		cmocka_unit_test(test_tolerance_permille),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_builtin_data),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_alloc_failure),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
