/*
 * zhifa demo: the demo bureau, 杭锦后旗交通运输局, as its 2025 annual report
 * describes it (../shared/context/2025-annual-report.txt): 60 certified
 * officers, 10 body cameras (执法记录仪), and the parties and vehicles that
 * later issues' cases, licences and weighings refer to.
 *
 * Everything goes through the same store operations as real use, each with
 * its own ledger entry, with "now" stepping through working hours of 2025.
 * The synthetic data comes from a fixed-seed generator, so two runs produce
 * the same people, plates and figures (only the random UUIDs differ).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ids.h"

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
	if ((rc = add_cameras(&d, err)))
		return rc;
	at(&d, 2025, 1, 7, 9);
	if ((rc = add_parties(&d, err)))
		return rc;

	int64_t size = 0;
	if ((rc = store_ledger_size(c->st, d.county_id, &size, err)))
		return rc;
	return cli_print(c, json_pack("{ss ss si si si si sI}", "org_id", d.county_id,
				      "org", DEMO_ORG_NAME, "officers", DEMO_OFFICERS,
				      "body_cameras", DEMO_CAMERAS, "persons", DEMO_PERSONS,
				      "companies", DEMO_COMPANIES, "ledger_size",
				      (json_int_t)size), NULL);
}
