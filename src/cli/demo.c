/*
 * zhifa demo: the demo bureau, 杭锦后旗交通运输局, as its 2025 annual report
 * describes it (../shared/context/2025-annual-report.txt): 60 certified
 * officers, 10 body cameras (执法记录仪), the parties and vehicles that
 * cases, licences and weighings refer to, and the year's penalty caseload
 * (31 penalties decided, cases still open at the year's end).
 *
 * Everything goes through the same store operations as real use, each with
 * its own ledger entry, with "now" stepping through working hours of 2025.
 * The synthetic data comes from a fixed-seed generator, so two runs produce
 * the same people, plates and figures (only the random UUIDs differ).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "buf.h"
#include "cli.h"
#include "demo.h"
#include "ids.h"
#include "procedure.h"
#include "text.h"

#define DEMO_ORG_NAME "杭锦后旗交通运输局"
#define DEMO_OFFICERS 60
#define DEMO_CAMERAS 10
#define DEMO_PERSONS 24
#define DEMO_COMPANIES 12

struct demo {
	struct cli *c;
	uint32_t seed;
	int64_t now_us;
	char county_id[REG_ID_LEN];
};

static uint32_t rnd(struct demo *d, uint32_t n)
{
	d->seed = d->seed * 1103515245u + 12345u;
	return (d->seed >> 8) % n;
}

/* Step the clock: each act is recorded a little after the previous one. */
static void tick(struct demo *d, int64_t minutes)
{
	d->now_us += minutes * 60 * 1000000;
	d->c->ctx.now_us = d->now_us;
}

static void at(struct demo *d, int y, int m, int day, int hour)
{
	struct zf_date dt = {y, m, day};
	d->now_us = instant_from_local_date(dt) + (int64_t)hour * 3600 * 1000000;
	d->c->ctx.now_us = d->now_us;
}

static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
	"马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "宋", "谢",
	"韩", "唐", "冯", "于", "董", "萧", "程", "曹", "袁", "邓", "许", "傅",
	"沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾", "丁", "魏", "薛",
	"叶", "阎", "余", "潘", "杜", "戴", "夏", "钟", "汪", "田", "任", "姜",
	"范", "方", "石", "姚", "谭", "廖", "邹", "熊", "金", "陆", "郝", "孔",
	"白", "崔", "康", "毛", "邱", "秦", "江", "史", "顾", "侯", "邵", "孟",
	"龙", "万", "段", "雷", "钱", "汤", "尹", "黎", "易", "常", "武", "乔",
	"贺", "赖", "龚", "文", "巴特尔", "乌力吉", "其木格",
};
static const char *const given[] = {
	"建国", "海峰", "志强", "文静", "晓东", "丽娜", "国庆", "永胜", "春梅",
	"宏伟", "秀英", "俊杰", "美玲", "立新", "建华", "玉兰", "振华", "淑芬",
	"德明", "红霞", "少华", "慧敏", "金山", "雅琴", "浩然", "桂英", "宝音",
	"斯琴", "那日苏", "额尔敦", "乌兰", "敖登",
};

static void person_name(struct demo *d, char *out, size_t size)
{
	snprintf(out, size, "%s%s", surnames[rnd(d, ZF_ARRAY_LEN(surnames) - 3)],
		 given[rnd(d, ZF_ARRAY_LEN(given))]);
}

/* A synthetic 居民身份证号 of the banner (150826) with a valid check character. */
static void resident_id(struct demo *d, int birth_year, char out[19])
{
	char first17[18];
	snprintf(first17, sizeof(first17), "150826%04d%02u%02u%03u", birth_year,
		 rnd(d, 12) + 1, rnd(d, 28) + 1, rnd(d, 999) + 1);
	snprintf(out, 19, "%s%c", first17, ids_resident_id_check_char(first17));
}

/* A synthetic 统一社会信用代码: 9 (市场监管) 1 (企业), the banner, a 9-character
 * organisation code with its own GB 11714 check, and the GB 32100 check. */
static void credit_code(struct demo *d, char out[19])
{
	static const char digits[] = "0123456789";
	static const int w[] = {3, 7, 9, 10, 5, 8, 4, 2};
	char body[9], first17[18];
	int sum = 0;
	for (int i = 0; i < 8; i++) {
		body[i] = digits[rnd(d, 10)];
		sum += (body[i] - '0') * w[i];
	}
	int c = 11 - sum % 11;
	body[8] = c == 10 ? 'X' : c == 11 ? '0' : (char)('0' + c);
	snprintf(first17, sizeof(first17), "91150826%.9s", body);
	snprintf(out, 19, "%s%c", first17, ids_credit_code_check_char(first17));
}

static void plate(struct demo *d, bool trailer, char *out, size_t size)
{
	static const char letters[] = "ABCDEFGHJKLMNPQRSTUVWXYZ";
	if (trailer)
		snprintf(out, size, "蒙L%04u挂", rnd(d, 9000) + 1000);
	else
		snprintf(out, size, "蒙L%c%04u", letters[rnd(d, 24)], rnd(d, 10000));
}

static int add_org(struct demo *d, const char *name, const char *level,
		   const char *division, const char *abbr, const char *parent,
		   char id_out[REG_ID_LEN], struct zf_error *err)
{
	struct org o = {0};
	int rc = ZF_OK;
	if (!zf_set_str(&o.name, name) || !zf_set_str(&o.level, level) ||
	    !zf_set_str(&o.division_code, division) || !zf_set_str(&o.doc_abbr, abbr) ||
	    !zf_set_str(&o.parent_id, parent))
		rc = zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
	if (!rc)
		rc = store_org_create(d->c->st, &d->c->ctx, &o, err);
	if (!rc)
		zf_strlcpy(id_out, o.id, REG_ID_LEN);
	org_release(&o);
	tick(d, 5);
	return rc;
}

/*
 * 60 officers (report §二.1): certificates of 5 years issued in waves; the
 * five issued early in 2021 expire in the first weeks of 2026, within 60
 * days of the year's end, so the registry warns about them.  Two officers
 * hold the legal professional qualification (法律专业人才短缺, report §五).
 */
static int add_officers(struct demo *d, struct zf_error *err)
{
	for (int i = 0; i < DEMO_OFFICERS; i++) {
		struct officer o = {0};
		char name[64], cert[32], idn[19];
		int birth = 1968 + (int)rnd(d, 32);
		person_name(d, name, sizeof(name));
		resident_id(d, birth, idn);
		snprintf(cert, sizeof(cert), "15082620%04d", i + 1);
		const char *roles = i == 0 ? "enforcer,head" :
				    i == 1 ? "enforcer,head" :
				    i < 4 ? "enforcer,legal_reviewer" :
				    i == 4 ? "enforcer,disclosure_officer" : "enforcer";
		/* every twelfth certificate dates from the 2021 wave */
		int wave = i % 12 == 7 ? 0 : 1 + i % 3;
		struct zf_date from[] = {{2021, 1, 11}, {2022, 3, 1}, {2023, 5, 15}, {2024, 9, 2}};
		o.valid_from = from[wave];
		struct zf_date end = {from[wave].y + 5, from[wave].m, from[wave].d};
		o.valid_to = date_add_days(end, -1);
		o.legal_qualification = i == 2 || i == 3;
		if (!zf_set_str(&o.name, name) || !zf_set_str(&o.cert_no, cert) ||
		    !zf_set_str(&o.id_number, idn) || !zf_set_str(&o.roles, roles)) {
			officer_release(&o);
			return zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
		}
		int rc = store_officer_add(d->c->st, &d->c->ctx, &o, err);
		officer_release(&o);
		if (rc)
			return rc;
		tick(d, 3);
	}
	return ZF_OK;
}

static int add_cameras(struct demo *d, struct zf_error *err)
{
	for (int i = 1; i <= DEMO_CAMERAS; i++) {
		struct device dev = {0};
		char code[16], name[64];
		snprintf(code, sizeof(code), "DSJ-%02d", i);
		snprintf(name, sizeof(name), "执法记录仪 %d 号", i);
		if (!zf_set_str(&dev.code, code) || !zf_set_str(&dev.kind, "body_camera") ||
		    !zf_set_str(&dev.name, name)) {
			device_release(&dev);
			return zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
		}
		int rc = store_device_add(d->c->st, &d->c->ctx, &dev, err);
		device_release(&dev);
		if (rc)
			return rc;
		tick(d, 2);
	}
	return ZF_OK;
}

static const char *const companies[] = {
	"杭锦后旗顺达物流有限公司", "巴彦淖尔市河套运输有限责任公司",
	"杭锦后旗陕坝砂石料有限公司", "内蒙古黄河路桥工程有限公司",
	"杭锦后旗蒙垦农产品运销有限公司", "巴彦淖尔市天运货运有限公司",
	"杭锦后旗鑫源煤炭运销有限公司", "巴彦淖尔市畅行网约车服务有限公司",
	"杭锦后旗金穗粮油贸易有限公司", "内蒙古河套建材有限公司",
	"杭锦后旗通达汽车运输有限公司", "巴彦淖尔市北方重型运输有限公司",
};
static const char *const towns[] = {
	"陕坝镇", "头道桥镇", "三道桥镇", "蛮会镇", "团结镇", "双庙镇", "沙海镇",
	"二道桥镇", "蒙海镇",
};

/* Parties: drivers and owners (natural persons) and transport companies,
 * with the vehicles they own: single trucks and tractor-trailer combinations. */
static int add_parties(struct demo *d, struct zf_error *err)
{
	int rc = ZF_OK;
	for (int i = 0; i < DEMO_PERSONS + DEMO_COMPANIES && !rc; i++) {
		struct party p = {0};
		char name[64], idn[19], phone[16], addr[128];
		bool person = i < DEMO_PERSONS;
		snprintf(phone, sizeof(phone), "13%u%08u", 4 + rnd(d, 6), rnd(d, 100000000));
		snprintf(addr, sizeof(addr), "内蒙古自治区巴彦淖尔市杭锦后旗%s%u号",
			 towns[rnd(d, ZF_ARRAY_LEN(towns))], rnd(d, 300) + 1);
		if (person) {
			person_name(d, name, sizeof(name));
			resident_id(d, 1965 + (int)rnd(d, 35), idn);
		} else {
			credit_code(d, idn);
		}
		bool ok = zf_set_str(&p.kind, person ? "person" : "org") &&
			  zf_set_str(&p.name, person ? name : companies[i - DEMO_PERSONS]) &&
			  zf_set_str(person ? &p.id_number : &p.credit_code, idn) &&
			  zf_set_str(&p.phone, phone) && zf_set_str(&p.address, addr);
		if (ok && !person) {
			person_name(d, name, sizeof(name));
			ok = zf_set_str(&p.legal_rep, name);
		}
		if (!ok)
			rc = zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
		if (!rc)
			rc = store_party_add(d->c->st, &d->c->ctx, &p, err);
		tick(d, 7);
		/* a person owns one truck; a company a tractor and its trailer */
		for (int k = 0; !rc && k < (person ? 1 : 2); k++) {
			struct vehicle v = {0};
			char pl[32];
			bool trailer = k == 1;
			plate(d, trailer, pl, sizeof(pl));
			static const int axles[] = {2, 3, 4, 6};
			const char *config = trailer ? "trailer" : person ? "truck" : "tractor";
			v.axles = trailer ? 3 : person ? axles[rnd(d, 3)] : 3;
			if (!zf_set_str(&v.plate, pl) || !zf_set_str(&v.config, config) ||
			    !zf_set_str(&v.owner_id, p.id))
				rc = zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
			if (!rc)
				rc = store_vehicle_add(d->c->st, &d->c->ctx, &v, err);
			/* a random plate may repeat: draw another */
			if (rc == ZF_ECONFLICT) {
				rc = ZF_OK;
				k--;
			}
			vehicle_release(&v);
			tick(d, 3);
		}
		party_release(&p);
	}
	return rc;
}

/* ---- the 2025 caseload ------------------------------------------------ */

/*
 * The bureau's 2025 penalty cases (report §二.4, §四.1): 16 general- and 15
 * simplified-procedure penalties decided in 2025, 16 of them over-limit
 * vehicles; plus the cases still open at the year's end, in every state of
 * the general procedure, with clocks due around 2025-12-31 (the default
 * "now" of `make run`), and the branches: a time-barred case ending in
 * 不予处罚, a 首违不罚, a revoked filing and a transfer.
 *
 * Each case is a script of steps: a date (YYYY-MM-DD, or +N working days
 * after the previous step; none: the same day), then transitions, some with
 * an argument after a colon:
 *   evidence:DATE           the investigation corrects the act date
 *   schedule_hearing:DATE   the hearing date (default: the hold_hearing step's)
 *   extend:DAYS, serve:METHOD, enforce:HOW, transfer:TO,
 *   decide_no_penalty:REASON, decide_on_spot:stock (a pre-printed form).
 * The steps of all cases run in date order through store_case_step(), each
 * with "now" set to a working hour of its day, so the ledger, the document
 * numbers and the clocks come out as a year of real use would leave them.
 */

#define P(i) (i)			/* natural person i (0..23) */
#define CO(i) (DEMO_PERSONS + (i))	/* company i (0..11) */
#define STOCK_PREFIX "蒙交当"

struct case_spec {
	const char *tag;	/* G general decided, S simplified, O open, N no penalty / branch */
	const char *violation;
	const char *level;
	int party;
	bool vehicle;		/* the party's truck or tractor */
	const char *kind;	/* fine | warning | NULL: no penalty is notified */
	int yuan;
	const char *flags;	/* major,complex,serious or NULL */
	const char *act;	/* act date as first reported; NULL: the first step's day */
	const char *source;
	const char *place;
	const char *facts;
	const char *script;
};

static const char PL_STATION[] = "G242线K1096+300 杭锦后旗超限检测站";
static const char PL_POINT[] = "S311线K45+200 陕坝超限检测点";
static const char PL_S212[] = "S212线K78+600 头道桥镇路段";
static const char PL_G242[] = "G242线K1102+150 蛮会镇路段";
static const char PL_X702[] = "X702线K12+400 团结镇路段";
static const char PL_S311[] = "S311线K51+900 双庙镇路段";
static const char PL_TOWN[] = "陕坝镇北环路与解放街交叉口";

static const struct case_spec demo_cases[] = {
	/* general procedure, decided in 2025: 12 over-limit, 4 others */
	{"G1", "overload_mass", "ordinary", P(0), true, "fine", 1500, NULL, NULL, "inspection",
	 PL_STATION, "经称重检测，车货总质量52.0吨，超过限定标准49吨3.0吨",
	 "2025-02-10 register file +1 evidence +2 notify +1 waive +1 approve decide serve"
	 " +3 pay +2 close +1 report_overload +3 archive"},
	{"G2", "overload_mass", "ordinary", CO(0), true, "fine", 4500, NULL, NULL, "inspection",
	 PL_STATION, "经称重检测，车货总质量58.1吨，超过限定标准49吨9.1吨",
	 "2025-03-04 register file +2 evidence +1 notify +2 statement +2 approve decide +1 serve"
	 " +6 pay +2 close +1 report_overload +5 archive"},
	{"G3", "overload_dimension", "ordinary", P(1), true, "fine", 600, NULL, NULL, "inspection",
	 PL_POINT, "经测量，车货总高度4.4米，超过4米的限定标准",
	 "2025-03-18 register file +1 evidence +1 notify +1 waive +1 approve decide serve"
	 " +2 pay +3 close +1 report_overload +2 archive"},
	{"G4", "overload_mass", "serious", P(2), true, "fine", 8000, NULL, NULL, "inspection",
	 PL_STATION, "经称重检测，车货总质量65.0吨，超过限定标准49吨16.0吨",
	 "2025-05-12 register file +2 evidence +2 notify +2 request_hearing +2 schedule_hearing"
	 " +8 hold_hearing +2 legal_review +1 approve decide serve +4 pay +3 close"
	 " +1 report_overload +3 archive"},
	{"G5", "overload_mass", "serious", CO(1), true, "fine", 12000, "major", NULL, "inspection",
	 PL_STATION, "经称重检测，车货总质量73.0吨，超过限定标准49吨24.0吨",
	 "2025-04-14 register file +3 evidence +2 legal_review +1 notify +1 waive +1 approve decide"
	 " serve +5 pay +2 close +1 report_overload +4 archive"},
	{"G6", "overload_mass", "very_serious", CO(11), true, "fine", 22000, "major,complex", NULL,
	 "inspection", PL_STATION,
	 "经称重检测，车货总质量93.6吨，超过限定标准49吨44.6吨，且拒不自行卸载",
	 "2025-07-07 register file +5 evidence +5 evidence +2 notify +4 statement +1 legal_review"
	 " +1 collective +1 approve decide +1 serve +8 pay +3 close +1 report_overload +5 archive"},
	{"G7", "overload_dimension", "serious", CO(5), true, "fine", 2500, NULL, NULL, "inspection",
	 PL_POINT, "经测量，车货总宽度3.9米、总长度24米，超过限定标准",
	 "2025-08-11 register file +1 evidence +1 notify +1 waive +1 approve decide serve"
	 " +7 pay +2 close +1 report_overload +3 archive"},
	{"G8", "overload_mass", "ordinary", P(3), true, "fine", 2000, NULL, NULL, "inspection",
	 PL_STATION, "经称重检测，车货总质量53.2吨，超过限定标准49吨4.2吨",
	 "2025-06-09 register file +1 evidence +1 notify +4 approve decide +1 serve"
	 " 2025-09-15 enforce:court +2 close +1 report_overload +3 archive"},
	{"G9", "overload_mass", "ordinary", P(4), true, "fine", 3500, NULL, NULL, "inspection",
	 PL_POINT, "经称重检测，车货总质量56.0吨，超过限定标准49吨7.0吨",
	 "2025-09-08 register file +2 evidence +1 notify +1 waive +1 approve decide serve"
	 " +1 pay +3 close +1 report_overload +4 archive"},
	{"G10", "overload_mass", "serious", P(5), true, "fine", 6000, NULL, NULL, "inspection",
	 PL_STATION, "经称重检测，车货总质量61.3吨，超过限定标准49吨12.3吨",
	 "2025-10-20 register file +2 evidence +2 notify +1 waive +2 approve decide serve"
	 " +6 pay +3 close +2 report_overload"},
	{"G11", "overload_mass", "ordinary", CO(6), true, "fine", 4000, NULL, NULL, "inspection",
	 PL_STATION, "经称重检测，车货总质量57.2吨，超过限定标准49吨8.2吨",
	 "2025-11-24 register file +2 evidence +1 notify +4 approve decide +1 serve +8 pay"},
	{"G12", "overload_dimension", "ordinary", P(6), true, "fine", 800, NULL, NULL, "inspection",
	 PL_POINT, "经测量，车货总长度21.5米，超过18.1米的限定标准",
	 "2025-11-07 register file +2 evidence +1 notify +4 approve decide 2025-11-20 serve:mail"},
	{"G13", "road_spill_load", "ordinary", P(7), true, "fine", 1000, NULL, NULL, "inspection",
	 PL_S212, "运输砂石料未采取覆盖措施，沿途遗洒约300米，污染公路路面",
	 "2025-04-21 register file +1 evidence +1 notify +1 waive +1 approve decide serve"
	 " +2 pay +2 close +3 archive"},
	{"G14", "road_occupy_dig", "ordinary", CO(3), false, "fine", 5000, NULL, NULL, "report",
	 PL_G242, "未经许可在公路用地范围内开挖排水沟约40米",
	 "2025-08-25 register file +3 evidence +2 notify +4 approve decide +1 serve +5 pay"
	 " +2 close +4 archive"},
	{"G15", "transport_unlicensed_freight", "ordinary", P(8), true, "fine", 5000, NULL, NULL,
	 "inspection", PL_TOWN,
	 "未取得道路运输经营许可，使用自有货车从事普通货物运输经营，已收取运费",
	 "2025-12-01 register file +2 evidence 2025-12-08 notify 2025-12-16 approve decide serve"},
	{"G16", "road_damage_facilities", "ordinary", CO(9), false, "fine", 4000, NULL, NULL,
	 "inspection", PL_S311, "装载机作业时撞坏公路波形护栏12米，未采取补救措施",
	 "2025-12-10 register file +2 evidence +1 notify +1 waive 2025-12-22 approve decide"},

	/* simplified procedure (当场处罚), decided in 2025: 4 over-limit, 11 others */
	{"S1", "overload_dimension", "minor", P(9), true, "fine", 200, NULL, NULL, "inspection",
	 PL_POINT, "经测量，车货总高度4.1米，超过4米的限定标准",
	 "2025-01-13 decide_on_spot:stock deliver +2 record +3 pay +2 close +3 archive"},
	{"S2", "overload_mass", "minor", P(10), true, "warning", 0, NULL, NULL, "inspection",
	 PL_STATION, "经称重检测，车货总质量49.6吨，超过限定标准49吨0.6吨",
	 "2025-03-25 decide_on_spot deliver +1 record +2 close +3 archive"},
	{"S3", "overload_dimension", "ordinary", CO(10), true, "fine", 800, NULL, NULL,
	 "inspection", PL_POINT, "经测量，车货总宽度3.2米，超过2.55米的限定标准",
	 "2025-05-14 decide_on_spot:stock deliver +3 pay +1 record +2 close +2 archive"},
	{"S4", "overload_dimension", "minor", P(11), true, "fine", 150, NULL, NULL, "inspection",
	 PL_POINT, "经测量，车货总长度18.6米，超过18.1米的限定标准",
	 "2025-12-19 decide_on_spot deliver +1 record"},
	{"S5", "road_spill_load", "minor", P(12), true, "fine", 200, NULL, NULL, "inspection",
	 PL_S212, "运输土方遗洒，污染公路路面约20米",
	 "2025-02-18 decide_on_spot:stock deliver +1 pay +1 record +2 close +3 archive"},
	{"S6", "road_obstacle_dumping", "minor", P(13), false, "fine", 100, NULL, NULL,
	 "inspection", PL_X702, "在公路路肩堆放玉米秸秆，影响公路畅通",
	 "2025-04-09 decide_on_spot deliver +2 record +2 pay +2 close +3 archive"},
	{"S7", "road_damage_not_reported", "ordinary", P(14), true, "fine", 150, NULL, NULL,
	 "inspection", PL_G242, "驾驶车辆刮倒公路里程碑一块，未向公路管理机构报告",
	 "2025-06-04 decide_on_spot:stock deliver +1 record +3 pay +2 close +3 archive"},
	{"S8", "transport_unqualified_driver", "ordinary", P(15), true, "fine", 200, NULL, NULL,
	 "inspection", PL_TOWN, "未取得道路运输从业资格证驾驶营运货车",
	 "2025-07-15 decide_on_spot deliver +1 pay +1 record +2 close +3 archive"},
	{"S9", "transport_ride_hailing_no_driver_cert", "ordinary", P(16), false, "warning", 0,
	 NULL, NULL, "inspection", PL_TOWN,
	 "未取得网络预约出租汽车驾驶员证，通过网约车平台接单载客一次",
	 "2025-08-19 decide_on_spot deliver +1 record +2 close +3 archive"},
	{"S10", "transport_ride_hailing_no_vehicle_cert", "ordinary", CO(7), false, "fine", 3000,
	 NULL, NULL, "inspection", PL_TOWN,
	 "所属车辆未取得网络预约出租汽车运输证从事网约车经营活动",
	 "2025-09-10 decide_on_spot:stock deliver +2 record +3 pay +2 close +4 archive"},
	{"S11", "road_obstacle_dumping", "minor", CO(8), false, "fine", 500, NULL, NULL,
	 "inspection", PL_X702, "在公路上晾晒粮食约150平方米，影响公路畅通",
	 "2025-11-11 decide_on_spot deliver +1 pay +1 record +2 close"},
	{"S12", "road_spill_load", "minor", P(17), true, "fine", 100, NULL, NULL, "inspection",
	 PL_S311, "运输煤炭未覆盖，遗洒污染公路路面约15米",
	 "2025-12-08 decide_on_spot deliver +2 record +4 pay"},
	{"S13", "road_iron_wheel", "minor", P(18), false, "fine", 200, NULL, NULL, "inspection",
	 PL_X702, "驾驶履带式拖拉机擅自在公路上行驶",
	 "2025-12-24 decide_on_spot deliver"},
	{"S14", "road_non_road_signs", "minor", P(19), false, "fine", 200, NULL, NULL,
	 "inspection", PL_G242, "在公路用地范围内擅自设置商业广告牌一块",
	 "2025-12-31 decide_on_spot:stock"},
	{"S15", "road_spill_load", "ordinary", CO(2), true, "fine", 1000, NULL, NULL,
	 "inspection", PL_S212, "运输砂石料遗洒，污染公路路面约80米",
	 "2025-10-14 decide_on_spot deliver +1 record +3 pay +2 close +3 archive"},

	/* open at the year's end: every state of the general procedure */
	{"O1", "road_non_road_signs", "ordinary", CO(8), false, NULL, 0, NULL, NULL, "report",
	 PL_S311, "群众举报：在公路用地范围内设置商业广告牌三块",
	 "2025-12-29 register"},
	{"O2", "overload_mass", "ordinary", P(20), true, NULL, 0, NULL, NULL, "monitoring",
	 PL_STATION, "不停车检测系统记录车货总质量55.8吨，超过限定标准49吨6.8吨",
	 "2025-12-31 register"},
	{"O3", "road_control_zone_building", "ordinary", P(21), false, NULL, 0, NULL, NULL,
	 "inspection", PL_G242, "在公路建筑控制区内修建彩钢板房约60平方米",
	 "2025-09-24 register file +3 evidence"},
	{"O4", "road_unpermitted_works", "ordinary", CO(3), false, NULL, 0, NULL, NULL,
	 "inspection", PL_S212, "未经许可在公路上进行管道顶管穿越施工",
	 "2025-09-02 register file +5 evidence 2025-11-26 extend:30 +3 evidence"},
	{"O5", "road_spill_load", "ordinary", P(22), true, "fine", 800, NULL, NULL, "inspection",
	 PL_S212, "运输建筑垃圾遗洒，污染公路路面约120米",
	 "2025-12-22 register file +2 evidence 2025-12-26 notify"},
	{"O6", "overload_mass", "serious", P(23), true, "fine", 7000, NULL, NULL, "inspection",
	 PL_STATION, "经称重检测，车货总质量63.2吨，超过限定标准49吨14.2吨",
	 "2025-12-15 register file +3 evidence 2025-12-24 notify"},
	{"O7", "overload_mass", "serious", P(13), true, "fine", 6500, NULL, NULL, "inspection",
	 PL_STATION, "经称重检测，车货总质量62.4吨，超过限定标准49吨13.4吨",
	 "2025-12-08 register file +3 evidence 2025-12-19 notify 2025-12-23 request_hearing"},
	{"O8", "transport_unlicensed_passenger", "ordinary", P(14), false, "fine", 20000, NULL,
	 NULL, "report", PL_TOWN,
	 "未取得道路客运经营许可，使用自有车辆在陕坝镇至临河区之间招揽旅客从事客运经营",
	 "2025-11-17 register file +3 evidence 2025-12-05 notify +2 request_hearing"
	 " 2025-12-15 schedule_hearing:2026-01-06"},
	{"O9", "overload_mass", "very_serious", P(15), true, "fine", 18000, "major", NULL,
	 "inspection", PL_STATION, "经称重检测，车货总质量86.5吨，超过限定标准49吨37.5吨",
	 "2025-10-27 register file +3 evidence 2025-11-14 notify +2 request_hearing"
	 " +2 schedule_hearing 2025-12-02 hold_hearing"},
	{"O10", "road_occupy_dig", "ordinary", CO(2), false, "fine", 6000, NULL, NULL, "report",
	 PL_G242, "未经许可在公路用地范围内挖掘取土约200立方米",
	 "2025-10-09 register file +4 evidence 2025-12-17 notify +1 statement 2025-12-30 approve"},
	{"O11", "road_crossing_pipeline", "ordinary", CO(4), false, "fine", 8000, NULL, NULL,
	 "inspection", PL_X702, "未经同意在公路下埋设灌溉管道",
	 "2025-09-22 register file +5 evidence 2025-12-10 notify +1 waive"},

	/* no penalty and the other branches */
	{"N1", "road_occupy_dig", "ordinary", P(4), false, NULL, 0, NULL, "2024-06-01", "report",
	 PL_X702, "群众举报：在公路边沟内挖掘取土",
	 "2025-04-08 register file +2 evidence:2023-03-20 +2 decide_no_penalty:time_barred"
	 " +2 close +3 archive"},
	{"N2", "road_spill_load", "minor", P(5), true, NULL, 0, NULL, NULL, "inspection",
	 PL_S311, "运输农家肥少量遗洒，当场清理干净",
	 "2025-07-21 register file +1 evidence +1 decide_no_penalty:first_offence +2 close"
	 " +3 archive"},
	{"N3", "road_obstacle_dumping", "minor", P(6), false, NULL, 0, NULL, NULL, "report",
	 PL_X702, "群众举报：在公路上堆放杂物", "2025-06-16 register +2 revoke +1 close +2 archive"},
	{"N4", "road_bridge_dangerous_works", "ordinary", P(9), false, NULL, 0, NULL, NULL,
	 "inspection", PL_S212, "利用公路桥梁铺设输送液化气的管道，涉嫌危害公共安全",
	 "2025-11-03 register file +2 evidence +1 transfer:杭锦后旗公安局"},
};

#define DEMO_NCASES ZF_ARRAY_LEN(demo_cases)

/* One step of one case, placed in the year. */
struct case_event {
	int ci;			/* index into demo_cases */
	int n;			/* step number within the case */
	int64_t day;		/* date_to_days */
	int minute;		/* minutes after local midnight */
	char transition[24];
	char arg[48];
};

struct caseload {
	struct case_event *ev;
	size_t nev;
	struct officer *officers;
	size_t nofficers;
	struct party *parties;
	size_t nparties;
	struct vehicle *vehicles;
	size_t nvehicles;
	const char *heads[2];
	const char *reviewers[2];
	struct {
		char id[REG_ID_LEN];
		const char *team[2];
		const char *party_id;
		const char *vehicle;	/* plate */
		char trailer[32];	/* the trailer's plate (trains) */
		char weighing[REG_ID_LEN];	/* the over-limit weighing, "" if none */
	} cases[DEMO_NCASES];
	int stock_next;
};

static int plan_fail(struct zf_error *err, const struct case_spec *k, const char *what)
{
	return zf_fail(err, ZF_EINVAL, "invalid_date", "demo",
		       "演示案件 %s 的安排有误：%s", k->tag, what);
}

/* Turn the scripts into dated steps. */
static int plan_cases(const struct calendar *cal, struct caseload *L, struct zf_error *err)
{
	for (size_t ci = 0; ci < DEMO_NCASES; ci++) {
		const struct case_spec *k = &demo_cases[ci];
		const char *p = k->script;
		struct zf_date cur = {0, 0, 0};
		int minute = 0, n = 0;
		size_t first = L->nev;
		while (*p) {
			char tok[80];
			size_t len = strcspn(p, " ");
			if (len == 0) {
				p++;
				continue;
			}
			if (len >= sizeof(tok))
				return plan_fail(err, k, "步骤过长");
			memcpy(tok, p, len);
			tok[len] = '\0';
			p += len;
			if (tok[0] == '2') {
				struct zf_date nd;
				if (date_parse(tok, &nd, "date", err))
					return plan_fail(err, k, tok);
				if (cur.y && date_cmp(nd, cur) < 0)
					return plan_fail(err, k, "日期倒退");
				if (!cur.y || date_cmp(nd, cur) > 0)
					minute = 9 * 60 + (int)((ci * 17) % 300);
				cur = nd;
				continue;
			}
			if (tok[0] == '+') {
				int64_t wd;
				struct calendar_result res = {0};
				if (!cur.y || text_parse_int(tok + 1, 0, 200, &wd, "days", err) ||
				    calendar_add(cal, cur, CAL_UNIT_WORKING_DAYS, (int)wd, false,
						 &res, err))
					return plan_fail(err, k, tok);
				if (wd > 0)
					minute = 9 * 60 + (int)((ci * 17) % 300);
				cur = res.due;
				calendar_result_release(&res);
				continue;
			}
			if (!cur.y)
				return plan_fail(err, k, "第一步没有日期");
			if (calendar_is_rest_day(cal, cur) || cur.y != 2025)
				return plan_fail(err, k, "步骤不在 2025 年的工作日");
			struct case_event *ev = zf_realloc(L->ev, (L->nev + 1) * sizeof(*ev));
			if (!ev)
				return zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
			L->ev = ev;
			ev = &L->ev[L->nev++];
			memset(ev, 0, sizeof(*ev));
			ev->ci = (int)ci;
			ev->n = n++;
			ev->day = date_to_days(cur);
			ev->minute = minute;
			minute += 12;
			if (minute > 17 * 60)
				return plan_fail(err, k, "同一天步骤过多");
			const char *colon = strchr(tok, ':');
			size_t tlen = colon ? (size_t)(colon - tok) : strlen(tok);
			if (tlen >= sizeof(ev->transition))
				return plan_fail(err, k, tok);
			memcpy(ev->transition, tok, tlen);
			ev->transition[tlen] = '\0';
			if (!proc_transition_procedure(ev->transition))
				return plan_fail(err, k, tok);
			if (colon && !zf_strlcpy(ev->arg, colon + 1, sizeof(ev->arg)))
				return plan_fail(err, k, tok);
		}
		/* a hearing scheduled without a date is held on its hold_hearing day */
		for (size_t i = first; i < L->nev; i++) {
			if (strcmp(L->ev[i].transition, "schedule_hearing") || L->ev[i].arg[0])
				continue;
			for (size_t j = i + 1; j < L->nev && !L->ev[i].arg[0]; j++)
				if (!strcmp(L->ev[j].transition, "hold_hearing")) {
					char s[DATE_STR_LEN];
					date_format(date_from_days(L->ev[j].day), s);
					zf_strlcpy(L->ev[i].arg, s, sizeof(L->ev[i].arg));
				}
			if (!L->ev[i].arg[0])
				return plan_fail(err, k, "听证没有日期");
		}
		if (first == L->nev)
			return plan_fail(err, k, "没有步骤");
	}
	return ZF_OK;
}

static int event_cmp(const void *a, const void *b)
{
	const struct case_event *x = a, *y = b;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	if (x->minute != y->minute)
		return x->minute < y->minute ? -1 : 1;
	if (x->ci != y->ci)
		return x->ci < y->ci ? -1 : 1;
	return x->n < y->n ? -1 : x->n > y->n;
}

/* Who acts: the heads approve, the two legal reviewers review (and preside
 * over hearings of cases they do not review), and each case gets two
 * enforcement officers whose certificates are valid on every day it acts. */
static int assign_people(struct demo *d, struct caseload *L, struct zf_error *err)
{
	struct officer_filter all = {0};
	const struct officer *cand[DEMO_OFFICERS];
	size_t ncand = 0, nheads = 0, nrev = 0;
	int rc;
	if ((rc = store_officer_list(d->c->st, &d->c->ctx, &all, &L->officers, &L->nofficers,
				     err)) ||
	    (rc = store_party_list(d->c->st, &d->c->ctx, NULL, &L->parties, &L->nparties,
				   err)) ||
	    (rc = store_vehicle_list(d->c->st, &d->c->ctx, &L->vehicles, &L->nvehicles, err)))
		return rc;
	for (size_t i = 0; i < L->nofficers; i++) {
		const struct officer *o = &L->officers[i];
		if (officer_has_role(o, "head")) {
			if (nheads < 2)
				L->heads[nheads++] = o->id;
		} else if (officer_has_role(o, "legal_reviewer")) {
			if (nrev < 2 && o->legal_qualification)
				L->reviewers[nrev++] = o->id;
		} else if (officer_has_role(o, "enforcer") &&
			   !officer_has_role(o, "disclosure_officer") && ncand < DEMO_OFFICERS) {
			cand[ncand++] = o;
		}
	}
	if (nheads < 2 || nrev < 2 || ncand < 2 || L->nparties < DEMO_PERSONS + DEMO_COMPANIES)
		return zf_fail(err, ZF_ENOTFOUND, "officer_not_found", "demo",
			       "演示机构的执法人员或当事人不全");
	for (size_t ci = 0; ci < DEMO_NCASES; ci++) {
		const struct case_spec *k = &demo_cases[ci];
		struct zf_date first = {9999, 12, 31}, last = {0, 1, 1};
		for (size_t i = 0; i < L->nev; i++)
			if (L->ev[i].ci == (int)ci) {
				struct zf_date dd = date_from_days(L->ev[i].day);
				if (date_cmp(dd, first) < 0)
					first = dd;
				if (date_cmp(dd, last) > 0)
					last = dd;
			}
		/* a certificate is valid over one period: its first and last days suffice */
		size_t got = 0;
		for (size_t j = 0; j < ncand && got < 2; j++) {
			const struct officer *o = cand[(ci * 2 + j) % ncand];
			if (officer_may_act_on(o, first) && officer_may_act_on(o, last))
				L->cases[ci].team[got++] = o->id;
		}
		if (got < 2)
			return zf_fail(err, ZF_ENOTFOUND, "officer_not_found", "officers",
				       "演示案件 %s：没有两名执法证在办案期间有效的执法人员", k->tag);
		/* parties are listed by id, i.e. in the order add_parties() made them */
		const struct party *pt = &L->parties[k->party];
		L->cases[ci].party_id = pt->id;
		for (size_t v = 0; k->vehicle && v < L->nvehicles && !L->cases[ci].vehicle; v++)
			if (L->vehicles[v].owner_id && !strcmp(L->vehicles[v].owner_id, pt->id) &&
			    strcmp(L->vehicles[v].config, "trailer"))
				L->cases[ci].vehicle = L->vehicles[v].plate;
		if (k->vehicle && !L->cases[ci].vehicle)
			return zf_fail(err, ZF_ENOTFOUND, "vehicle_not_found", "vehicle",
				       "演示案件 %s：当事人没有车辆", k->tag);
		/* a company's own trailer; a driver's hired one */
		snprintf(L->cases[ci].trailer, sizeof(L->cases[ci].trailer), "蒙L%04u挂",
			 (unsigned)(2100 + ci * 37));
		for (size_t v = 0; v < L->nvehicles; v++)
			if (L->vehicles[v].owner_id && !strcmp(L->vehicles[v].owner_id, pt->id) &&
			    !strcmp(L->vehicles[v].config, "trailer"))
				zf_strlcpy(L->cases[ci].trailer, L->vehicles[v].plate,
					   sizeof(L->cases[ci].trailer));
	}
	return ZF_OK;
}

static bool is_one_of(const char *t, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(t, *list))
			return true;
	return false;
}

static void put_penalty_params(json_t *p, const struct case_spec *k)
{
	json_object_set_new(p, "kind", json_string(k->kind ? k->kind : "warning"));
	if (k->kind && !strcmp(k->kind, "fine"))
		json_object_set_new(p, "amount_fen", json_integer((json_int_t)k->yuan * 100));
}

/* The parameters of one step, as an officer would enter them. */
static int event_params(struct caseload *L, const struct case_event *ev, json_t *p,
			struct zf_error *err)
{
	const struct case_spec *k = &demo_cases[ev->ci];
	const char *t = ev->transition, *a = ev->arg;
	char text[400];
	if (!strcmp(t, "register") || !strcmp(t, "decide_on_spot")) {
		char act[DATE_STR_LEN];
		date_format(date_from_days(ev->day), act);
		if (L->cases[ev->ci].vehicle)
			snprintf(text, sizeof(text), "%s号车辆：%s", L->cases[ev->ci].vehicle,
				 k->facts);
		else
			zf_strlcpy(text, k->facts, sizeof(text));
		json_object_set_new(p, "violation", json_string(k->violation));
		json_object_set_new(p, "act_date", json_string(k->act ? k->act : act));
		json_object_set_new(p, "facts", json_string(text));
		json_object_set_new(p, "place", json_string(k->place));
		json_object_set_new(p, "source", json_string(k->source));
		json_object_set_new(p, "level", json_string(k->level));
		if (k->flags) {
			json_t *f = json_object();
			static const char *const names[] = {"major", "complex", "serious", "harm"};
			for (size_t i = 0; i < ZF_ARRAY_LEN(names); i++)
				if (strstr(k->flags, names[i]))
					json_object_set_new(f, names[i], json_true());
			json_object_set_new(p, "flags", f);
		}
		if (!strcmp(t, "decide_on_spot")) {
			put_penalty_params(p, k);
			if (!strcmp(a, "stock")) {
				snprintf(text, sizeof(text), STOCK_PREFIX "%04d", ++L->stock_next);
				json_object_set_new(p, "form_number", json_string(text));
			}
		}
	} else if (!strcmp(t, "evidence")) {
		json_object_set_new(p, "note", json_string(
			a[0] ? "调取卫星影像和周边群众询问笔录，查明违法行为实际发生于登记时所称日期之前"
			     : "制作现场笔录、询问笔录，拍摄现场照片，调取执法记录仪音像资料"));
		if (a[0])
			json_object_set_new(p, "act_date", json_string(a));
	} else if (!strcmp(t, "legal_review")) {
		json_object_set_new(p, "result", json_string("pass"));
		json_object_set_new(p, "opinion", json_string(
			"主体合法，事实清楚，证据确凿，程序合法，适用依据正确，裁量适当"));
	} else if (!strcmp(t, "notify") || !strcmp(t, "approve")) {
		put_penalty_params(p, k);
		if (!strcmp(t, "notify"))
			json_object_set_new(p, "level", json_string(k->level));
	} else if (!strcmp(t, "statement")) {
		json_object_set_new(p, "summary", json_string(
			"当事人陈述对违法事实无异议，以初次违法、经营困难为由请求从轻处罚；经复核，"
			"拟处罚款已在裁量基准幅度内，不予采纳"));
		json_object_set_new(p, "accepted", json_false());
	} else if (!strcmp(t, "schedule_hearing")) {
		json_object_set_new(p, "hearing_date", json_string(a));
		json_object_set_new(p, "presider",
				    json_string(L->reviewers[(ev->ci + 1) % 2]));
	} else if (!strcmp(t, "hold_hearing")) {
		json_object_set_new(p, "record", json_string(
			"听证公开举行。案件调查人员提出当事人违法的事实、证据和处罚建议；当事人进行"
			"申辩和质证，对称重数据无异议，请求减轻处罚。听证笔录经当事人核对签字"));
	} else if (!strcmp(t, "collective")) {
		json_object_set_new(p, "conclusion", json_string(
			"局负责人集体讨论：违法事实清楚，情节较重，同意按拟处罚款作出行政处罚决定"));
	} else if (!strcmp(t, "extend")) {
		int64_t days;
		int rc = text_parse_int(a, 1, 30, &days, "days", err);
		if (rc)
			return rc;
		json_object_set_new(p, "days", json_integer(days));
		json_object_set_new(p, "reason", json_string(
			"需委托第三方检测机构鉴定公路结构损坏程度，案情复杂，不能在期限内作出决定"));
	} else if (!strcmp(t, "decide_no_penalty")) {
		json_object_set_new(p, "reason", json_string(a));
		json_object_set_new(p, "explanation", json_string(
			!strcmp(a, "time_barred")
			? "经调查，违法行为发生于2023年3月，至发现时已超过二年，依法不再给予行政处罚"
			: "当事人初次违法，危害后果轻微并及时改正，依法不予行政处罚，已进行批评教育"));
	} else if (!strcmp(t, "serve")) {
		json_object_set_new(p, "method", json_string(a[0] ? a : "direct"));
	} else if (!strcmp(t, "pay")) {
		json_object_set_new(p, "amount_fen", json_integer((json_int_t)k->yuan * 100));
	} else if (!strcmp(t, "enforce")) {
		json_object_set_new(p, "how", json_string(a));
		json_object_set_new(p, "note", json_string(
			"当事人逾期不缴纳罚款，经催告仍未履行，申请杭锦后旗人民法院强制执行，罚款已执行到位"));
	} else if (!strcmp(t, "close")) {
		json_object_set_new(p, "summary", json_string(
			!strcmp(k->tag, "N1") ? "违法行为超过追责时效，决定不予行政处罚，结案"
			: !strcmp(k->tag, "N2") ? "首违不罚，已对当事人进行教育，结案"
			: !strcmp(k->tag, "N3") ? "举报事项经核查不属实，撤销立案，结案"
			: "处罚决定已执行完毕，结案"));
	} else if (!strcmp(t, "report_overload")) {
		json_object_set_new(p, "authority",
				    json_string("巴彦淖尔市交通运输综合行政执法支队（车籍地道路运输管理机构）"));
		json_object_set_new(p, "channel", json_string("全国治超联网管理信息系统"));
	} else if (!strcmp(t, "revoke") || !strcmp(t, "transfer")) {
		json_object_set_new(p, "reason", json_string(
			!strcmp(t, "revoke") ? "经现场核查，举报的堆放物品已由村委会清理，未发现违法行为"
					     : "涉嫌危害公共安全犯罪，依法移送公安机关"));
		if (a[0])
			json_object_set_new(p, "to", json_string(a));
	}
	return ZF_OK;
}

static int run_event(struct demo *d, struct caseload *L, const struct case_event *ev,
		     struct zf_error *err)
{
	static const char *const with_team[] = {
		"register", "decide_on_spot", "file", "evidence", "notify", "schedule_hearing",
		"hold_hearing", "decide", "serve", "deliver", "enforce", NULL,
	};
	static const char *const with_approver[] = {
		"file", "extend", "approve", "decide_no_penalty", "close", "revoke", "transfer",
		"terminate", NULL,
	};
	const struct case_spec *k = &demo_cases[ev->ci];
	struct zf_date date = date_from_days(ev->day);
	const char *t = ev->transition;
	bool creates = !strcmp(t, "register") || !strcmp(t, "decide_on_spot");
	struct case_step_in in = {0};
	json_t *params = json_object(), *out = NULL;
	int rc;
	if (!params)
		return zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
	d->now_us = instant_from_local_date(date) + (int64_t)ev->minute * 60 * 1000000;
	d->c->ctx.now_us = d->now_us;
	in.transition = t;
	in.date = date;
	if (is_one_of(t, with_team)) {
		in.officers = L->cases[ev->ci].team;
		in.nofficers = 2;
	}
	if (is_one_of(t, with_approver))
		in.approver = L->heads[ev->ci % 2];
	if (!strcmp(t, "legal_review"))
		in.reviewer = L->reviewers[ev->ci % 2];
	if (creates) {
		in.party = L->cases[ev->ci].party_id;
		in.vehicle = L->cases[ev->ci].vehicle;
	}
	rc = event_params(L, ev, params, err);
	in.params = params;
	/* an over-limit vehicle is weighed (and unloaded) before its case:
	 * the general-procedure case is opened from the weighing, the
	 * on-the-spot decision linked to it (issue 8 "Demo") */
	const struct demo_weighing *w = creates ? demo_weighing_for(k->tag) : NULL;
	char *wid = L->cases[ev->ci].weighing;
	if (!rc && w)
		rc = demo_weigh_before(d->c, w, L->cases[ev->ci].vehicle, L->cases[ev->ci].trailer,
				       L->cases[ev->ci].team, d->now_us, wid, err);
	if (!rc && w && !strcmp(t, "register"))
		rc = store_weigh_open_case(d->c->st, &d->c->ctx, wid, &in, &out, err);
	else if (!rc)
		rc = store_case_step(d->c->st, &d->c->ctx, creates ? NULL : L->cases[ev->ci].id,
				     &in, creates ? &out : NULL, err);
	if (!rc && w && strcmp(t, "register")) {
		json_t *linked = NULL;
		d->c->ctx.now_us += 2 * 60 * INT64_C(1000000);
		rc = store_weigh_link(d->c->st, &d->c->ctx, wid,
				      json_string_value(json_object_get(out, "id")), NULL, &linked,
				      err);
		json_decref(linked);
	}
	if (!rc && creates &&
	    !zf_strlcpy(L->cases[ev->ci].id, json_string_value(json_object_get(out, "id")),
			sizeof(L->cases[ev->ci].id)))
		rc = zf_fail(err, ZF_ESTORE, "case_corrupt", "case", "案件数据无法读取");
	json_decref(out);
	json_decref(params);
	if (rc) {
		char msg[sizeof(err->message)], day[DATE_STR_LEN];
		date_format(date, day);
		if (snprintf(msg, sizeof(msg), "演示案件 %s 第 %d 步“%s”（%s）：%s", k->tag,
			     ev->n + 1, t, day, err->message) >= 0)
			zf_strlcpy(err->message, msg, sizeof(err->message));
	}
	return rc;
}

struct caseload_counts {
	int cases, decided, general, simplified, overload, open;
};

/* Count the year as `zhifa case list --year 2025` shows it. */
static int count_cases(struct demo *d, struct caseload_counts *n, struct zf_error *err)
{
	static const char *const open_states[] = {
		"clue", "filed", "notified", "hearing_requested", "hearing_scheduled", "heard",
		"approved", NULL,
	};
	struct case_filter f = {.year = 2025, .limit = 100000};
	json_t *list = NULL, *c;
	size_t i;
	int rc = store_case_list(d->c->st, &d->c->ctx, &f, &list, err);
	if (rc)
		return rc;
	memset(n, 0, sizeof(*n));
	json_array_foreach(list, i, c) {
		json_t *dec = json_object_get(c, "decision");
		const char *date = json_string_value(json_object_get(c, "decided_date"));
		const char *proc = json_string_value(json_object_get(c, "procedure"));
		const char *state = json_string_value(json_object_get(c, "state"));
		const char *v = json_string_value(json_object_get(c, "violation"));
		n->cases++;
		if (state && is_one_of(state, open_states))
			n->open++;
		if (!dec || !date || strncmp(date, "2025-", 5) ||
		    strcmp(json_string_value(json_object_get(dec, "outcome")), "penalty"))
			continue;
		n->decided++;
		if (proc && !strcmp(proc, "general"))
			n->general++;
		else
			n->simplified++;
		if (v && (!strcmp(v, "overload_mass") || !strcmp(v, "overload_dimension")))
			n->overload++;
	}
	json_decref(list);
	return ZF_OK;
}

static void caseload_release(struct caseload *L)
{
	zf_free(L->ev);
	store_officer_list_free(L->officers, L->nofficers);
	store_party_list_free(L->parties, L->nparties);
	store_vehicle_list_free(L->vehicles, L->nvehicles);
}

static int add_caseload(struct demo *d, struct caseload_counts *n, struct zf_error *err)
{
	struct caseload L;
	struct calendar cal;
	int rc;
	memset(&L, 0, sizeof(L));
	/* the pre-printed on-the-spot decision forms of the year (Art. 52) */
	at(d, 2025, 1, 8, 9);
	if ((rc = store_stock_add(d->c->st, &d->c->ctx, "onsite_decision", STOCK_PREFIX, 1,
				  500, 4, NULL, err)))
		return rc;
	if ((rc = store_calendar_get(d->c->st, d->county_id, &cal, err)))
		return rc;
	rc = plan_cases(&cal, &L, err);
	calendar_release(&cal);
	if (!rc)
		rc = assign_people(d, &L, err);
	if (!rc) {
		struct demo_overload ov;
		/* the first enforcer of the first case reviews the pilot's records */
		demo_overload_init(&ov, L.cases[0].team[0]);
		qsort(L.ev, L.nev, sizeof(*L.ev), event_cmp);
		for (size_t i = 0; i < L.nev && !rc; i++) {
			int64_t t = instant_from_local_date(date_from_days(L.ev[i].day)) +
				    ((int64_t)L.ev[i].minute - 120) * 60 * 1000000;
			if (!(rc = demo_overload_until(d->c, &ov, t, err)))
				rc = run_event(d, &L, &L.ev[i], err);
		}
		if (!rc)
			rc = demo_overload_until(d->c, &ov, INT64_MAX, err);
	}
	if (!rc)
		rc = count_cases(d, n, err);
	caseload_release(&L);
	return rc;
}

/*
 * One login per role (issue 5), and a supervisor at the city level.  The
 * password and the administrators' TOTP secrets are fixed so that `make
 * run` can print them: DEMO ONLY, never for a real bureau.
 */
#define DEMO_PASSWORD "Demo-Zhifa-2025"

static const struct {
	bool city;
	const char *username, *display, *roles, *officer, *totp;
} demo_users[] = {
	{false, "enforcer", "执法人员（演示）", "enforcer", "150826200006", NULL},
	{false, "enforcer2", "执法人员二（演示）", "enforcer", "150826200007", NULL},
	{false, "reviewer", "法制审核员（演示）", "legal_reviewer", "150826200003", NULL},
	{false, "head", "负责人（演示）", "head", "150826200001", NULL},
	{false, "disclosure", "政务公开专员（演示）", "disclosure_officer", "150826200005", NULL},
	{false, "auditor", "审计员（演示）", "auditor", NULL, NULL},
	{false, "sysadmin", "系统管理员（演示）", "system_admin", NULL,
	 "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"},
	{false, "secadmin", "安全管理员（演示）", "security_admin", NULL,
	 "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U"},
	{false, "auditadmin", "审计管理员（演示）", "audit_admin", NULL,
	 "KRUGS4ZANFZSAYJAORSXG5BAONSWG4TF"},
	{true, "bynr.supervisor", "巴彦淖尔市监督（演示）", "auditor", NULL, NULL},
};

static int add_users(struct demo *d, const char *city_id, json_t *out,
		     struct zf_error *err)
{
	struct buf hash;
	char county[REG_ID_LEN];
	int rc = ZF_OK;
	buf_init(&hash, 512);
	/* one hash serves every demo login: they share the demo password */
	if (auth_password_hash(DEMO_PASSWORD, &hash))
		return zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "无法计算密码哈希");
	zf_strlcpy(county, d->c->ctx.org_id, sizeof(county));
	for (size_t i = 0; !rc && i < ZF_ARRAY_LEN(demo_users); i++) {
		struct user u = {0};
		zf_strlcpy(d->c->ctx.org_id, demo_users[i].city ? city_id : county,
			   sizeof(d->c->ctx.org_id));
		if ((rc = auth_roles_parse(demo_users[i].roles, &u.roles, err)))
			break;
		if (!zf_set_str(&u.username, demo_users[i].username) ||
		    !zf_set_str(&u.display_name, demo_users[i].display) ||
		    !zf_set_str(&u.officer_id, demo_users[i].officer) ||
		    !zf_set_str(&u.password_hash, buf_cstr(&hash)) ||
		    !zf_set_str(&u.totp_secret, demo_users[i].totp))
			rc = zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
		if (!rc)
			rc = store_user_add(d->c->st, &d->c->ctx, &u, err);
		if (!rc)
			json_array_append_new(out, json_pack("{ss ss ss ss* ss}", "username",
				demo_users[i].username, "roles", demo_users[i].roles,
				"password", DEMO_PASSWORD, "totp_secret", demo_users[i].totp,
				"org", demo_users[i].city ? "巴彦淖尔市交通运输局" : DEMO_ORG_NAME));
		user_release(&u);
		tick(d, 1);
	}
	zf_strlcpy(d->c->ctx.org_id, county, sizeof(d->c->ctx.org_id));
	buf_release(&hash);
	return rc;
}

int cmd_demo(struct cli *c, struct zf_error *err)
{
	struct demo d = {.c = c, .seed = 150826};
	struct org existing = {0};
	char province[REG_ID_LEN], city[REG_ID_LEN];
	int rc = cli_open_store(c, false, false, err);
	if (rc)
		return rc;
	if (store_org_find(c->st, DEMO_ORG_NAME, &existing, NULL) == ZF_OK) {
		org_release(&existing);
		return zf_fail(err, ZF_ECONFLICT, "demo_exists", "db",
			       "数据库中已有演示机构“%s”", DEMO_ORG_NAME);
	}
	zf_strlcpy(c->ctx.actor, "demo", sizeof(c->ctx.actor));
	at(&d, 2025, 1, 2, 9);
	if ((rc = add_org(&d, "内蒙古自治区交通运输厅", "province", "150000", "内交",
			  NULL, province, err)) ||
	    (rc = add_org(&d, "巴彦淖尔市交通运输局", "city", "150800", "巴交", province,
			  city, err)) ||
	    (rc = add_org(&d, DEMO_ORG_NAME, "county", "150826", "杭交", city,
			  d.county_id, err)))
		return rc;
	zf_strlcpy(c->ctx.org_id, d.county_id, sizeof(c->ctx.org_id));
	at(&d, 2025, 1, 3, 9);
	if ((rc = add_officers(&d, err)))
		return rc;
	at(&d, 2025, 1, 6, 10);
	if ((rc = add_cameras(&d, err)) || (rc = demo_scales(c, err)))
		return rc;
	at(&d, 2025, 1, 7, 9);
	if ((rc = add_parties(&d, err)))
		return rc;
	json_t *users = json_array();
	at(&d, 2025, 1, 7, 8);
	if ((rc = add_users(&d, city, users, err))) {
		json_decref(users);
		return rc;
	}
	struct caseload_counts n;
	if ((rc = add_caseload(&d, &n, err))) {
		json_decref(users);
		return rc;
	}

	int64_t size = 0;
	if ((rc = store_ledger_size(c->st, d.county_id, &size, err))) {
		json_decref(users);
		return rc;
	}
	return cli_print(c, json_pack("{ss ss si si si si si si si si si si sI so ss}", "org_id",
				      d.county_id, "org", DEMO_ORG_NAME, "officers",
				      DEMO_OFFICERS, "body_cameras", DEMO_CAMERAS, "persons",
				      DEMO_PERSONS, "companies", DEMO_COMPANIES, "cases", n.cases,
				      "cases_decided_2025", n.decided, "general_decided_2025",
				      n.general, "simplified_decided_2025", n.simplified,
				      "overload_decided_2025", n.overload, "open_cases", n.open,
				      "ledger_size", (json_int_t)size, "users", users,
				      "users_note", "演示账号，仅供演示，切勿用于真实机构"), NULL);
}
