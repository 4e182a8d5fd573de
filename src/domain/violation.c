/*
 * violation.c: the violation catalogue (a strict loader for the files under
 * data/violations/, format in data/violations/README.md) and the discretion
 * engine (行政处罚法 Arts. 5, 32, 33, 34, 37).
 *
 * A file is parsed into a separate array first and merged only when every
 * member is good and every allocation has succeeded, so a rejected file
 * leaves the catalogue as it was (like calendar.c).  Money is yuan in the
 * files and fen in memory.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "text.h"
#include "violation.h"

/* Bounds that keep a hand-edited file from growing memory without limit. */
#define MAX_FILE_BYTES ((size_t)8 << 20)
#define MAX_VIOLATIONS 4096
#define MAX_VERSIONS 32
#define MAX_LEVELS 16
#define MAX_YUAN 1000000000LL	/* 10亿元: far above any statutory fine */
#define MAX_LIMITATION_YEARS 30
#define MAX_CODE 48
#define PATH_LEN 192
#define REASON_MAX 4096

static const struct {
	const char *code;
	const char *label;
} kinds[] = {
	[PK_NONE] = {"none", "无"},
	[PK_WARNING] = {"warning", "警告"},
	[PK_CRITICISM] = {"criticism", "通报批评"},
	[PK_FINE] = {"fine", "罚款"},
	[PK_CONFISCATE_GAINS] = {"confiscate_gains", "没收违法所得"},
	[PK_CONFISCATE_PROPERTY] = {"confiscate_property", "没收非法财物"},
	[PK_SUSPEND_LICENCE] = {"suspend_licence", "暂扣许可证件"},
	[PK_DOWNGRADE] = {"downgrade", "降低资质等级"},
	[PK_REVOKE_LICENCE] = {"revoke_licence", "吊销许可证件"},
	[PK_RESTRICT_BUSINESS] = {"restrict_business", "限制开展生产经营活动"},
	[PK_STOP_BUSINESS] = {"stop_business", "责令停产停业"},
	[PK_CLOSE] = {"close", "责令关闭"},
	[PK_RESTRICT_PRACTICE] = {"restrict_practice", "限制从业"},
};

#define PK_LAST PK_RESTRICT_PRACTICE
#define KIND_BIT(k) (1u << (unsigned)(k))

static const char *const categories[] = {"road", "overload", "transport", NULL};
static const char *const publicities[] = {"public", "credit", "none", NULL};
static const char *const confidences[] = {"V1", "V2", "M", "M?", NULL};

static const char *const law = "《中华人民共和国行政处罚法》";

const char *penalty_kind_code(enum penalty_kind k)
{
	if ((unsigned)k > PK_LAST)
		return "none";
	return kinds[k].code;
}

const char *penalty_kind_label(enum penalty_kind k)
{
	if ((unsigned)k > PK_LAST)
		return kinds[PK_NONE].label;
	return kinds[k].label;
}

int penalty_kind_parse(const char *s, enum penalty_kind *out, const char *field,
		       struct zf_error *err)
{
	for (unsigned k = PK_WARNING; k <= PK_LAST; k++) {
		if (s && strcmp(s, kinds[k].code) == 0) {
			*out = (enum penalty_kind)k;
			return ZF_OK;
		}
	}
	return zf_fail(err, ZF_EINVAL, "unknown_code", field,
		       "“%s”不是处罚种类代码（《中华人民共和国行政处罚法》第九条：warning、"
		       "criticism、fine、confiscate_gains、confiscate_property、"
		       "suspend_licence、downgrade、revoke_licence、restrict_business、"
		       "stop_business、close、restrict_practice）",
		       s ? s : "");
}

/*
 * Art. 63 para 1: (3) 降低资质等级、吊销许可证件 and (4) 责令停产停业、责令关闭、
 * 限制从业 carry the right whatever the amount.  限制开展生产经营活动 is not named
 * in item (4), but sits with those kinds in Art. 9 (4) and is at least as
 * heavy as 暂扣 or 降级; it is treated as "其他较重的行政处罚" of item (5), in the
 * party's favour.  Fines (1) and confiscation (2) depend on the amount, which
 * the organisation's 较大数额 setting decides, so they are false here.
 */
bool penalty_kind_hearing_right(enum penalty_kind k)
{
	switch (k) {
	case PK_DOWNGRADE:
	case PK_REVOKE_LICENCE:
	case PK_RESTRICT_BUSINESS:
	case PK_STOP_BUSINESS:
	case PK_CLOSE:
	case PK_RESTRICT_PRACTICE:
		return true;
	default:
		return false;
	}
}

/* ---- catalogue memory ---- */

static void level_release(struct discretion_level *l)
{
	zf_free(l->code);
	zf_free(l->label);
	zf_free(l->circumstances);
}

static void version_release(struct violation_version *v)
{
	for (size_t i = 0; i < v->nlevels; i++)
		level_release(&v->levels[i]);
	zf_free(v->levels);
	zf_free(v->penalty_basis);
	zf_free(v->standard);
}

static void violation_release(struct violation *v)
{
	for (size_t i = 0; i < v->nversions; i++)
		version_release(&v->versions[i]);
	zf_free(v->versions);
	zf_free(v->code);
	zf_free(v->name);
	zf_free(v->category);
	zf_free(v->violated);
	zf_free(v->limitation_basis);
	zf_free(v->publicity);
	zf_free(v->confidence);
	memset(v, 0, sizeof(*v));
}

void violation_catalogue_init(struct violation_catalogue *c)
{
	memset(c, 0, sizeof(*c));
}

void violation_catalogue_release(struct violation_catalogue *c)
{
	for (size_t i = 0; i < c->n; i++)
		violation_release(&c->items[i]);
	zf_free(c->items);
	violation_catalogue_init(c);
}

const struct violation *violation_find(const struct violation_catalogue *c,
				       const char *code)
{
	if (!code)
		return NULL;
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->items[i].code, code) == 0)
			return &c->items[i];
	return NULL;
}

static bool in_force(const struct violation_version *v, struct zf_date d)
{
	if (date_cmp(d, v->from) < 0)
		return false;
	return v->to.y == 0 || date_cmp(d, v->to) <= 0;
}

const struct violation_version *violation_version_at(const struct violation *v,
						     struct zf_date d)
{
	for (size_t i = 0; i < v->nversions; i++)
		if (in_force(&v->versions[i], d))
			return &v->versions[i];
	return NULL;
}

/* ---- the loader ---- */

static int bad(struct zf_error *err, const char *path, const char *fmt, ...)
	ZF_PRINTF(3, 4);

static int bad(struct zf_error *err, const char *path, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return zf_fail(err, ZF_EINVAL, "invalid_violation_file", path,
		       "违法行为目录文件 %s：%s", path, msg);
}

static int no_memory(struct zf_error *err)
{
	return zf_fail(err, ZF_ENOMEM, "out_of_memory", "",
		       "内存不足，无法载入违法行为目录");
}

/*
 * Paths are short (codes are at most MAX_CODE characters, indexes small), and
 * a path cut at PATH_LEN still names the place; vsnprintf keeps the compiler's
 * truncation analysis out of it.
 */
static void pathf(char out[PATH_LEN], const char *fmt, ...) ZF_PRINTF(2, 3);

static void pathf(char out[PATH_LEN], const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out, PATH_LEN, fmt, ap);
	va_end(ap);
}

static void join(char out[PATH_LEN], const char *prefix, const char *key)
{
	if (prefix[0])
		pathf(out, "%s.%s", prefix, key);
	else
		pathf(out, "%s", key);
}

/* Every member of o must be in allowed: a misspelt key is an error, not ignored. */
static int check_members(const json_t *o, const char *prefix,
			 const char *const *allowed, struct zf_error *err)
{
	const char *key;
	json_t *val;
	char path[PATH_LEN];

	json_object_foreach((json_t *)o, key, val) {
		(void)val;
		if (!text_in(key, allowed)) {
			join(path, prefix, key);
			return bad(err, path, "未知成员“%s”", key);
		}
	}
	return ZF_OK;
}

static json_t *member(const json_t *o, const char *prefix, const char *key,
		      char path[PATH_LEN])
{
	join(path, prefix, key);
	return json_object_get(o, key);
}

/* No control characters: these strings go into decisions and public notices. */
static bool clean_text(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

static int get_text(const json_t *o, const char *prefix, const char *key,
		    long max_chars, bool allow_empty, char **out,
		    struct zf_error *err)
{
	char path[PATH_LEN];
	json_t *v = member(o, prefix, key, path);
	const char *s;
	long n;

	if (!v)
		return bad(err, path, "缺少必需的成员 %s", key);
	if (!json_is_string(v))
		return bad(err, path, "%s 应为字符串", key);
	s = json_string_value(v);
	if (strlen(s) != json_string_length(v) || !clean_text(s))
		return bad(err, path, "%s 含有控制字符", key);
	n = text_utf8_len(s);
	if (n < 0)
		return bad(err, path, "%s 不是有效的 UTF-8", key);
	if (n == 0 && !allow_empty)
		return bad(err, path, "%s 不能为空", key);
	if (n > max_chars)
		return bad(err, path, "%s 超过 %ld 个字符", key, max_chars);
	*out = zf_strdup(s);
	return *out ? ZF_OK : no_memory(err);
}

static bool valid_code(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n == 0 || n > max || s[0] < 'a' || s[0] > 'z')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '_'))
			return false;
	return true;
}

static int get_code(const json_t *o, const char *prefix, const char *key,
		    char **out, struct zf_error *err)
{
	char path[PATH_LEN];
	json_t *v = member(o, prefix, key, path);

	if (!v)
		return bad(err, path, "缺少必需的成员 %s", key);
	if (!json_is_string(v) || !valid_code(json_string_value(v), MAX_CODE))
		return bad(err, path,
			   "%s 应为小写字母开头、由小写字母、数字和下划线组成的代码（至多 %d 个字符）",
			   key, MAX_CODE);
	*out = zf_strdup(json_string_value(v));
	return *out ? ZF_OK : no_memory(err);
}

static int get_enum(const json_t *o, const char *prefix, const char *key,
		    const char *const *list, const char *listed, char **out,
		    struct zf_error *err)
{
	char path[PATH_LEN];
	json_t *v = member(o, prefix, key, path);

	if (!v)
		return bad(err, path, "缺少必需的成员 %s", key);
	if (!json_is_string(v) || !text_in(json_string_value(v), list))
		return bad(err, path, "%s 应为 %s 之一", key, listed);
	*out = zf_strdup(json_string_value(v));
	return *out ? ZF_OK : no_memory(err);
}

static int get_bool(const json_t *o, const char *prefix, const char *key,
		    bool *out, struct zf_error *err)
{
	char path[PATH_LEN];
	json_t *v = member(o, prefix, key, path);

	if (!v)
		return bad(err, path, "缺少必需的成员 %s", key);
	if (!json_is_boolean(v))
		return bad(err, path, "%s 应为 true 或 false", key);
	*out = json_is_true(v);
	return ZF_OK;
}

static int get_int(const json_t *o, const char *prefix, const char *key,
		   int64_t min, int64_t max, bool required, bool *given,
		   int64_t *out, struct zf_error *err)
{
	char path[PATH_LEN];
	json_t *v = member(o, prefix, key, path);

	if (given)
		*given = v != NULL;
	if (!v) {
		if (!required)
			return ZF_OK;
		return bad(err, path, "缺少必需的成员 %s", key);
	}
	if (!json_is_integer(v) || json_integer_value(v) < min ||
	    json_integer_value(v) > max)
		return bad(err, path, "%s 应为 %lld 至 %lld 之间的整数", key,
			   (long long)min, (long long)max);
	*out = json_integer_value(v);
	return ZF_OK;
}

/* "to" may be null (still in force); "from" may not. */
static int get_date(const json_t *o, const char *prefix, const char *key,
		    bool nullable, struct zf_date *out, struct zf_error *err)
{
	char path[PATH_LEN];
	json_t *v = member(o, prefix, key, path);

	memset(out, 0, sizeof(*out));
	if (!v)
		return bad(err, path, "缺少必需的成员 %s%s", key,
			   nullable ? "（仍在施行的写 null）" : "");
	if (nullable && json_is_null(v))
		return ZF_OK;
	if (!json_is_string(v) ||
	    date_parse(json_string_value(v), out, key, NULL) != ZF_OK)
		return bad(err, path, "%s 应为 YYYY-MM-DD 格式的真实日期", key);
	return ZF_OK;
}

static int get_kinds(const json_t *o, const char *prefix, unsigned *out,
		     struct zf_error *err)
{
	char path[PATH_LEN], item[PATH_LEN];
	json_t *v = member(o, prefix, "kinds", path);
	size_t i;
	json_t *k;

	*out = 0;
	if (!v)
		return bad(err, path, "缺少必需的成员 kinds");
	if (!json_is_array(v) || json_array_size(v) == 0)
		return bad(err, path, "kinds 应为非空的处罚种类代码数组");
	json_array_foreach(v, i, k) {
		enum penalty_kind pk = PK_NONE;

		pathf(item, "%s[%zu]", path, i);
		if (!json_is_string(k) ||
		    penalty_kind_parse(json_string_value(k), &pk, item, NULL) != ZF_OK)
			return bad(err, item,
				   "不是处罚种类代码（《中华人民共和国行政处罚法》第九条）");
		if (*out & KIND_BIT(pk))
			return bad(err, item, "处罚种类“%s”重复",
				   json_string_value(k));
		*out |= KIND_BIT(pk);
	}
	return ZF_OK;
}

static int get_array(const json_t *o, const char *prefix, const char *key,
		     size_t max, json_t **out, struct zf_error *err)
{
	char path[PATH_LEN];
	json_t *v = member(o, prefix, key, path);

	if (!v)
		return bad(err, path, "缺少必需的成员 %s", key);
	if (!json_is_array(v) || json_array_size(v) == 0)
		return bad(err, path, "%s 应为非空数组", key);
	if (json_array_size(v) > max)
		return bad(err, path, "%s 至多 %zu 项", key, max);
	*out = v;
	return ZF_OK;
}

static int object_at(const json_t *v, const char *path, json_t **out,
		     struct zf_error *err)
{
	if (!json_is_object(v))
		return bad(err, path, "应为 JSON 对象");
	*out = (json_t *)v;
	return ZF_OK;
}

static char *yuan_text(int64_t fen, char out[40])
{
	const char *sign = fen < 0 ? "-" : "";
	uint64_t a = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;

	if (a % 100)
		snprintf(out, 40, "%s%llu.%02llu元", sign,
			 (unsigned long long)(a / 100), (unsigned long long)(a % 100));
	else
		snprintf(out, 40, "%s%llu元", sign, (unsigned long long)(a / 100));
	return out;
}

/*
 * A range must fit its kinds: without a fine there is no amount (0-0); with
 * one the upper bound is above zero.
 */
static int check_range(unsigned kbits, int64_t min, int64_t max,
		       const char *prefix, struct zf_error *err)
{
	char path[PATH_LEN];

	if (min > max) {
		join(path, prefix, "min_yuan");
		return bad(err, path, "min_yuan 大于 max_yuan");
	}
	if (!(kbits & KIND_BIT(PK_FINE)) && max != 0) {
		join(path, prefix, "max_yuan");
		return bad(err, path, "处罚种类不含罚款（fine），罚款幅度应为 0 至 0");
	}
	if ((kbits & KIND_BIT(PK_FINE)) && max == 0) {
		join(path, prefix, "max_yuan");
		return bad(err, path, "处罚种类含罚款（fine），max_yuan 应大于 0");
	}
	return ZF_OK;
}

static const char *const level_members[] = {
	"code", "label", "circumstances", "kinds", "min_yuan", "max_yuan", NULL,
};

static int parse_level(const json_t *o, const char *prefix,
		       const struct violation_version *ver,
		       const struct discretion_level *prev,
		       struct discretion_level *l, struct zf_error *err)
{
	char path[PATH_LEN];
	int64_t min = 0, max = 0;
	int rc;

	if ((rc = check_members(o, prefix, level_members, err)) ||
	    (rc = get_code(o, prefix, "code", &l->code, err)) ||
	    (rc = get_text(o, prefix, "label", 20, false, &l->label, err)) ||
	    (rc = get_text(o, prefix, "circumstances", 1000, false,
			   &l->circumstances, err)) ||
	    (rc = get_kinds(o, prefix, &l->kinds, err)) ||
	    (rc = get_int(o, prefix, "min_yuan", 0, MAX_YUAN, true, NULL, &min, err)) ||
	    (rc = get_int(o, prefix, "max_yuan", 0, MAX_YUAN, true, NULL, &max, err)) ||
	    (rc = check_range(l->kinds, min, max, prefix, err)))
		return rc;
	l->min_fen = min * 100;
	l->max_fen = max * 100;
	if (l->kinds & ~ver->kinds) {
		join(path, prefix, "kinds");
		return bad(err, path, "档次的处罚种类超出本版本的法定处罚种类");
	}
	if (l->min_fen < ver->min_fen || l->max_fen > ver->max_fen) {
		char a[40], b[40];

		join(path, prefix, l->min_fen < ver->min_fen ? "min_yuan" : "max_yuan");
		return bad(err, path, "档次幅度超出本版本的法定幅度（%s至%s）",
			   yuan_text(ver->min_fen, a), yuan_text(ver->max_fen, b));
	}
	/* The engine takes the first level as the lightest when none is named. */
	if (prev && (l->min_fen < prev->min_fen || l->max_fen < prev->max_fen)) {
		join(path, prefix, l->min_fen < prev->min_fen ? "min_yuan" : "max_yuan");
		return bad(err, path, "档次应按由轻到重排列，本档次轻于上一档次“%s”",
			   prev->code);
	}
	return ZF_OK;
}

static const char *const version_members[] = {
	"from", "to", "penalty_basis", "kinds", "min_yuan", "max_yuan",
	"person_max_yuan", "standard", "levels", NULL,
};

static int parse_version(const json_t *o, const char *prefix,
			 const struct violation_version *prev,
			 struct violation_version *v, struct zf_error *err)
{
	char path[PATH_LEN], lpath[PATH_LEN];
	int64_t min = 0, max = 0, pmax = 0;
	bool has_pmax = false;
	json_t *levels = NULL, *lo;
	size_t i;
	int rc;

	if ((rc = check_members(o, prefix, version_members, err)) ||
	    (rc = get_date(o, prefix, "from", false, &v->from, err)) ||
	    (rc = get_date(o, prefix, "to", true, &v->to, err)) ||
	    (rc = get_text(o, prefix, "penalty_basis", 500, false,
			   &v->penalty_basis, err)) ||
	    (rc = get_kinds(o, prefix, &v->kinds, err)) ||
	    (rc = get_int(o, prefix, "min_yuan", 0, MAX_YUAN, true, NULL, &min, err)) ||
	    (rc = get_int(o, prefix, "max_yuan", 0, MAX_YUAN, true, NULL, &max, err)) ||
	    (rc = get_int(o, prefix, "person_max_yuan", 1, MAX_YUAN, false,
			  &has_pmax, &pmax, err)) ||
	    (rc = get_text(o, prefix, "standard", 500, false, &v->standard, err)) ||
	    (rc = check_range(v->kinds, min, max, prefix, err)) ||
	    (rc = get_array(o, prefix, "levels", MAX_LEVELS, &levels, err)))
		return rc;
	v->min_fen = min * 100;
	v->max_fen = max * 100;
	if (v->to.y && date_cmp(v->to, v->from) < 0) {
		join(path, prefix, "to");
		return bad(err, path, "to 早于 from");
	}
	if (prev && (prev->to.y == 0 || date_cmp(v->from, prev->to) <= 0)) {
		join(path, prefix, "from");
		return bad(err, path,
			   "与上一版本的施行期间重叠（版本应按 from 升序排列，前一版本须写明 to）");
	}
	if (has_pmax) {
		if (!(v->kinds & KIND_BIT(PK_FINE)) || pmax < min || pmax > max) {
			join(path, prefix, "person_max_yuan");
			return bad(err, path,
				   "person_max_yuan 应在 min_yuan 至 max_yuan 之间，且处罚种类含罚款");
		}
		v->person_max_fen = pmax * 100;
	}
	v->levels = zf_calloc(json_array_size(levels), sizeof(*v->levels));
	if (!v->levels)
		return no_memory(err);
	json_array_foreach(levels, i, lo) {
		json_t *obj = NULL;

		pathf(lpath, "%s.levels[%zu]", prefix, i);
		if ((rc = object_at(lo, lpath, &obj, err)))
			return rc;
		rc = parse_level(obj, lpath, v, i ? &v->levels[i - 1] : NULL,
				 &v->levels[i], err);
		v->nlevels = i + 1;
		if (rc)
			return rc;
		for (size_t j = 0; j < i; j++) {
			if (strcmp(v->levels[j].code, v->levels[i].code) == 0) {
				join(path, lpath, "code");
				return bad(err, path, "档次代码“%s”重复",
					   v->levels[i].code);
			}
		}
	}
	return ZF_OK;
}

static const char *const violation_members[] = {
	"code", "name", "category", "violated", "art36_harm", "limitation_years",
	"limitation_basis", "minor_no_penalty", "first_offence", "publicity",
	"confidence", "versions", NULL,
};

static int parse_violation(const json_t *o, const char *where,
			   struct violation *v, struct zf_error *err)
{
	char prefix[PATH_LEN], path[PATH_LEN], vpath[PATH_LEN];
	json_t *versions = NULL, *vo;
	int64_t years = 0;
	char *basis = NULL;
	size_t i;
	int rc;

	/* Until the code is known the path names the array index. */
	if ((rc = check_members(o, where, violation_members, err)) ||
	    (rc = get_code(o, where, "code", &v->code, err)))
		return rc;
	zf_strlcpy(prefix, v->code, sizeof(prefix));
	if ((rc = get_text(o, prefix, "name", 200, false, &v->name, err)) ||
	    (rc = get_enum(o, prefix, "category", categories,
			   "road、overload、transport", &v->category, err)) ||
	    (rc = get_text(o, prefix, "violated", 500, false, &v->violated, err)) ||
	    (rc = get_bool(o, prefix, "art36_harm", &v->art36_harm, err)) ||
	    (rc = get_int(o, prefix, "limitation_years", 0, MAX_LIMITATION_YEARS,
			  true, NULL, &years, err)) ||
	    (rc = get_text(o, prefix, "limitation_basis", 200, true, &basis, err)) ||
	    (rc = get_bool(o, prefix, "minor_no_penalty", &v->minor_no_penalty, err)) ||
	    (rc = get_bool(o, prefix, "first_offence", &v->first_offence, err)) ||
	    (rc = get_enum(o, prefix, "publicity", publicities,
			   "public、credit、none", &v->publicity, err)) ||
	    (rc = get_enum(o, prefix, "confidence", confidences, "V1、V2、M、M?",
			   &v->confidence, err)) ||
	    (rc = get_array(o, prefix, "versions", MAX_VERSIONS, &versions, err)))
		goto out;
	/* Art. 36 para 1: only a statute may set another period, and it is cited. */
	v->limitation_years = (int)years;
	if ((years > 0) != (basis[0] != '\0')) {
		join(path, prefix, "limitation_basis");
		rc = bad(err, path,
			 years ? "limitation_years 不为 0 时须写明规定该期限的法律条文"
			       : "limitation_years 为 0（适用行政处罚法第三十六条）时 limitation_basis 应为空");
		goto out;
	}
	if (basis[0]) {
		v->limitation_basis = basis;
		basis = NULL;
	}
	v->versions = zf_calloc(json_array_size(versions), sizeof(*v->versions));
	if (!v->versions) {
		rc = no_memory(err);
		goto out;
	}
	json_array_foreach(versions, i, vo) {
		json_t *obj = NULL;

		pathf(vpath, "%s.versions[%zu]", prefix, i);
		if ((rc = object_at(vo, vpath, &obj, err)))
			goto out;
		rc = parse_version(obj, vpath, i ? &v->versions[i - 1] : NULL,
				   &v->versions[i], err);
		v->nversions = i + 1;
		if (rc)
			goto out;
	}
out:
	zf_free(basis);
	return rc;
}

struct pending {
	struct violation *items;
	size_t n;
};

static void pending_release(struct pending *p)
{
	for (size_t i = 0; i < p->n; i++)
		violation_release(&p->items[i]);
	zf_free(p->items);
	memset(p, 0, sizeof(*p));
}

static const char *const file_members[] = {"standard", "violations", NULL};

static int parse_file(const json_t *root, struct pending *p, struct zf_error *err)
{
	char where[PATH_LEN];
	json_t *arr = NULL, *vo;
	char *standard = NULL;
	size_t i;
	int rc;

	if (!json_is_object(root))
		return bad(err, "root", "文件应为一个 JSON 对象");
	/* The file's source document is for people reading it; versions keep their own. */
	if ((rc = check_members(root, "", file_members, err)) ||
	    (rc = get_text(root, "", "standard", 500, false, &standard, err)) ||
	    (rc = get_array(root, "", "violations", MAX_VIOLATIONS, &arr, err)))
		goto out;
	p->items = zf_calloc(json_array_size(arr), sizeof(*p->items));
	if (!p->items) {
		rc = no_memory(err);
		goto out;
	}
	json_array_foreach(arr, i, vo) {
		json_t *obj = NULL;

		pathf(where, "violations[%zu]", i);
		if ((rc = object_at(vo, where, &obj, err)))
			goto out;
		rc = parse_violation(obj, where, &p->items[i], err);
		p->n = i + 1;
		if (rc)
			goto out;
		for (size_t j = 0; j < i; j++) {
			if (strcmp(p->items[j].code, p->items[i].code) == 0) {
				pathf(where, "%s.code", p->items[i].code);
				rc = bad(err, where, "违法行为代码“%s”在本文件中重复",
					 p->items[i].code);
				goto out;
			}
		}
	}
out:
	zf_free(standard);
	return rc;
}

static size_t find_index(const struct violation_catalogue *c, const char *code)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->items[i].code, code) == 0)
			return i;
	return SIZE_MAX;
}

/* Takes over p's violations; cannot fail once the array has grown. */
static int merge(struct violation_catalogue *c, struct pending *p, bool replace,
		 struct zf_error *err)
{
	struct violation *items;
	size_t fresh = 0;

	for (size_t i = 0; i < p->n; i++) {
		if (find_index(c, p->items[i].code) == SIZE_MAX) {
			fresh++;
			continue;
		}
		if (!replace) {
			char field[PATH_LEN];

			pathf(field, "%s.code", p->items[i].code);
			return zf_fail(err, ZF_ECONFLICT, "violation_exists", field,
				       "违法行为代码“%s”已在目录中；导入的裁量基准须以替换方式载入",
				       p->items[i].code);
		}
	}
	if (c->n + fresh > MAX_VIOLATIONS)
		return zf_fail(err, ZF_ETOOBIG, "invalid_violation_file", "violations",
			       "违法行为目录至多 %d 项", MAX_VIOLATIONS);
	items = zf_realloc(c->items, (c->n + fresh) * sizeof(*items));
	if (!items)
		return no_memory(err);
	c->items = items;
	for (size_t i = 0; i < p->n; i++) {
		size_t at = find_index(c, p->items[i].code);

		if (at == SIZE_MAX) {
			at = c->n++;
		} else {
			violation_release(&c->items[at]);
		}
		c->items[at] = p->items[i];
	}
	zf_free(p->items);
	memset(p, 0, sizeof(*p));
	return ZF_OK;
}

int violation_catalogue_load_json(struct violation_catalogue *c, const char *text,
				  size_t len, bool replace, struct zf_error *err)
{
	struct pending p = {0};
	json_error_t jerr;
	json_t *root;
	int rc;

	if (len > MAX_FILE_BYTES)
		return zf_fail(err, ZF_ETOOBIG, "invalid_violation_file", "root",
			       "违法行为目录文件超过 %zu 字节", MAX_FILE_BYTES);
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		char field[32];

		snprintf(field, sizeof(field), "line %d", jerr.line);
		return zf_fail(err, ZF_EINVAL, "invalid_violation_file", field,
			       "违法行为目录文件第 %d 行第 %d 列不是有效的 JSON：%s",
			       jerr.line, jerr.column, jerr.text);
	}
	rc = parse_file(root, &p, err);
	json_decref(root);
	if (rc == ZF_OK)
		rc = merge(c, &p, replace, err);
	pending_release(&p);
	return rc;
}

/* ---- JSON out ---- */

static json_t *kinds_json(unsigned bits)
{
	json_t *a = json_array();

	for (unsigned k = PK_WARNING; a && k <= PK_LAST; k++)
		if (bits & KIND_BIT(k))
			json_array_append_new(a, json_string(kinds[k].code));
	return a;
}

static json_t *date_json(struct zf_date d)
{
	char s[DATE_STR_LEN];

	if (d.y == 0)
		return json_null();
	date_format(d, s);
	return json_string(s);
}

static json_t *version_json(const struct violation_version *v)
{
	json_t *levels = json_array();

	for (size_t i = 0; levels && i < v->nlevels; i++) {
		const struct discretion_level *l = &v->levels[i];

		json_array_append_new(levels, json_pack(
			"{ss ss ss so sI sI}", "code", l->code, "label", l->label,
			"circumstances", l->circumstances, "kinds", kinds_json(l->kinds),
			"min_fen", (json_int_t)l->min_fen, "max_fen",
			(json_int_t)l->max_fen));
	}
	return json_pack("{so so ss so sI sI so ss so}", "from", date_json(v->from),
			 "to", date_json(v->to), "penalty_basis", v->penalty_basis,
			 "kinds", kinds_json(v->kinds), "min_fen",
			 (json_int_t)v->min_fen, "max_fen", (json_int_t)v->max_fen,
			 "person_max_fen",
			 v->person_max_fen ? json_integer(v->person_max_fen) : json_null(),
			 "standard", v->standard, "levels", levels);
}

json_t *violation_to_json(const struct violation *v)
{
	json_t *versions = json_array();

	for (size_t i = 0; versions && i < v->nversions; i++)
		json_array_append_new(versions, version_json(&v->versions[i]));
	return json_pack("{ss ss ss ss sb si ss? sb sb ss ss so}", "code", v->code,
			 "name", v->name, "category", v->category, "violated",
			 v->violated, "art36_harm", v->art36_harm, "limitation_years",
			 v->limitation_years, "limitation_basis", v->limitation_basis,
			 "minor_no_penalty", v->minor_no_penalty, "first_offence",
			 v->first_offence, "publicity", v->publicity, "confidence",
			 v->confidence, "versions", versions);
}

/* ---- the discretion engine ---- */

static const struct {
	unsigned bit;
	const char *item;
	const char *text;
} grounds[] = {
	{ART32_ELIMINATED_HARM, "第（一）项", "主动消除或者减轻违法行为危害后果"},
	{ART32_COERCED, "第（二）项", "受他人胁迫或者诱骗实施违法行为"},
	{ART32_CONFESSED, "第（三）项", "主动供述行政机关尚未掌握的违法行为"},
	{ART32_MERITORIOUS, "第（四）项", "配合行政机关查处违法行为有立功表现"},
};

#define ART32_ALL (ART32_ELIMINATED_HARM | ART32_COERCED | ART32_CONFESSED | \
		   ART32_MERITORIOUS)

/* The range one version gives for the case, before Art. 37 picks between two. */
struct range {
	const struct violation_version *ver;
	const struct discretion_level *lvl;
	bool fallback;		/* the level named is not in this version */
	bool capped;		/* the citizen cap lowered the upper bound */
	int64_t min, max;	/* after the cap and Art. 32 */
	int64_t before32;	/* upper bound before Art. 32 */
};

static const struct discretion_level *level_in(const struct violation_version *v,
					       const char *code)
{
	for (size_t i = 0; i < v->nlevels; i++)
		if (strcmp(v->levels[i].code, code) == 0)
			return &v->levels[i];
	return NULL;
}

static void compute(const struct violation_version *ver,
		    const struct discretion_input *in, struct range *r)
{
	memset(r, 0, sizeof(*r));
	r->ver = ver;
	r->lvl = in->level ? level_in(ver, in->level) : NULL;
	if (!r->lvl) {
		r->fallback = in->level != NULL;
		r->lvl = &ver->levels[0];
	}
	r->min = r->lvl->min_fen;
	r->max = r->lvl->max_fen;
	if (!in->party_is_org && ver->person_max_fen && r->max > ver->person_max_fen) {
		r->max = ver->person_max_fen;
		if (r->min > r->max)
			r->min = r->max;
		r->capped = true;
	}
	r->before32 = r->max;
	/* Art. 32: 从轻 keeps the amount in the lower half of the range. */
	if (in->art32)
		r->max = r->min + (r->max - r->min) / 2;
}

/* Art. 37: is b lighter than a?  The upper bound first, then the lower. */
static bool lighter(const struct range *b, const struct range *a)
{
	if (b->max != a->max)
		return b->max < a->max;
	return b->min < a->min;
}

struct reasons {
	struct discretion_proposal *p;
	size_t cap;
	int rc;
};

static void add_reason(struct reasons *rs, const char *fmt, ...) ZF_PRINTF(2, 3);

static void add_reason(struct reasons *rs, const char *fmt, ...)
{
	char *s;
	va_list ap;
	int n;

	if (rs->rc)
		return;
	s = zf_malloc(REASON_MAX);
	if (!s) {
		rs->rc = ZF_ENOMEM;
		return;
	}
	va_start(ap, fmt);
	n = vsnprintf(s, REASON_MAX, fmt, ap);
	va_end(ap);
	if (n < 0)
		s[0] = '\0';
	if (rs->p->nreasons == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 8;
		char **r = zf_realloc(rs->p->reasons, cap * sizeof(*r));

		if (!r) {
			zf_free(s);
			rs->rc = ZF_ENOMEM;
			return;
		}
		rs->p->reasons = r;
		rs->cap = cap;
	}
	rs->p->reasons[rs->p->nreasons++] = s;
}

static void kinds_text(unsigned bits, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (unsigned k = PK_WARNING; k <= PK_LAST; k++) {
		if (!(bits & KIND_BIT(k)))
			continue;
		int n = snprintf(out + len, size - len, "%s%s", len ? "、" : "",
				 kinds[k].label);
		if (n < 0 || (size_t)n >= size - len)
			return;
		len += (size_t)n;
	}
}

/* Two yuan amounts of at most 39 bytes each and 至: RANGE_TEXT_MAX holds them. */
#define RANGE_TEXT_MAX 96

static void range_text(int64_t min, int64_t max, char *out, size_t size)
{
	char a[40], b[40];

	snprintf(out, size, "%s至%s", yuan_text(min, a), yuan_text(max, b));
}

static void dated(const struct violation_version *v, char *out, size_t size)
{
	char from[DATE_STR_LEN];

	date_format(v->from, from);
	snprintf(out, size, "%s，自%s起施行", v->standard, from);
}

static void art37_reason(struct reasons *rs, const struct range *act,
			 const struct range *dec, bool later)
{
	char ra[RANGE_TEXT_MAX], rd[RANGE_TEXT_MAX], da[600], dd[600];

	if (act->ver == dec->ver) {
		add_reason(rs,
			   "违法行为发生时和作出处罚决定时施行的是同一规定（%s），依照%s第三十七条，"
			   "适用违法行为发生时的规定。",
			   act->ver->standard, law);
		return;
	}
	range_text(act->min, act->max, ra, sizeof(ra));
	range_text(dec->min, dec->max, rd, sizeof(rd));
	dated(act->ver, da, sizeof(da));
	dated(dec->ver, dd, sizeof(dd));
	if (later)
		add_reason(rs,
			   "违法行为发生时施行的规定（%s）罚款幅度为%s，作出处罚决定时施行的规定（%s）"
			   "罚款幅度为%s；依照%s第三十七条，新规定处罚较轻，适用新规定。",
			   da, ra, dd, rd, law);
	else
		add_reason(rs,
			   "违法行为发生时施行的规定（%s）罚款幅度为%s，作出处罚决定时施行的规定（%s）"
			   "罚款幅度为%s；新规定处罚不轻于旧规定，依照%s第三十七条，"
			   "适用违法行为发生时的规定。",
			   da, ra, dd, rd, law);
}

static void range_reasons(struct reasons *rs, const struct violation *v,
			  const struct discretion_input *in, const struct range *r)
{
	char kt[256], rt[RANGE_TEXT_MAX], a[40], b[40];

	add_reason(rs, "当事人的行为违反了%s，依照%s予以处罚。", v->violated,
		   r->ver->penalty_basis);
	if (r->fallback)
		add_reason(rs,
			   "所适用的规定（%s）没有“%s”档次，依照%s第五条（过罚相当），"
			   "按该规定最轻的档次裁量。",
			   r->ver->standard, in->level, law);
	kinds_text(r->lvl->kinds, kt, sizeof(kt));
	range_text(r->lvl->min_fen, r->lvl->max_fen, rt, sizeof(rt));
	if (r->lvl->kinds & KIND_BIT(PK_FINE))
		add_reason(rs,
			   "依照%s第三十四条和裁量基准（%s），本案属于“%s”情形（%s），处罚种类为%s，罚款幅度为%s。",
			   law, r->ver->standard, r->lvl->label, r->lvl->circumstances,
			   kt, rt);
	else
		add_reason(rs,
			   "依照%s第三十四条和裁量基准（%s），本案属于“%s”情形（%s），处罚种类为%s，不处罚款。",
			   law, r->ver->standard, r->lvl->label, r->lvl->circumstances, kt);
	if (r->capped)
		add_reason(rs, "当事人为公民，依照%s，对公民的罚款不超过%s。",
			   r->ver->penalty_basis, yuan_text(r->ver->person_max_fen, a));
	if (in->art32) {
		char names[512] = "", items[128] = "";
		size_t nl = 0, il = 0;

		for (size_t i = 0; i < ZF_ARRAY_LEN(grounds); i++) {
			if (!(in->art32 & grounds[i].bit))
				continue;
			int n = snprintf(names + nl, sizeof(names) - nl, "%s%s",
					 nl ? "，并" : "", grounds[i].text);
			int m = snprintf(items + il, sizeof(items) - il, "%s%s",
					 il ? "、" : "", grounds[i].item);
			if (n > 0 && (size_t)n < sizeof(names) - nl)
				nl += (size_t)n;
			if (m > 0 && (size_t)m < sizeof(items) - il)
				il += (size_t)m;
		}
		if (r->before32 > r->min)
			add_reason(rs,
				   "当事人%s，依照%s第三十二条%s，应当从轻或者减轻处罚；本建议从轻处罚，"
				   "罚款幅度上限由%s降至%s。",
				   names, law, items, yuan_text(r->before32, a),
				   yuan_text(r->max, b));
		else
			add_reason(rs,
				   "当事人%s，依照%s第三十二条%s，应当从轻或者减轻处罚；本档次的罚款幅度无从下调，"
				   "应在处罚种类或者数额上依法从轻或者减轻。",
				   names, law, items);
	}
}

static int64_t suggest(const struct range *r)
{
	int64_t mid = r->min + (r->max - r->min) / 2;

	return mid - mid % 100;
}

static int amount_error(struct zf_error *err, const struct discretion_input *in,
			const struct discretion_proposal *p, const char *std)
{
	char a[40], rt[RANGE_TEXT_MAX];

	range_text(p->min_fen, p->max_fen, rt, sizeof(rt));
	return zf_fail(err, ZF_EINVAL, "amount_out_of_range", "amount",
		       "拟处罚款%s不在裁量幅度%s之内（%s）", yuan_text(in->amount_fen, a),
		       rt, std);
}

static int propose(const struct violation *v, const struct discretion_input *in,
		   const struct violation_version *at_act,
		   const struct violation_version *at_dec,
		   struct discretion_proposal *out, struct zf_error *err)
{
	struct reasons rs = {.p = out};
	struct range ra, rd;
	const struct range *r;
	const char *std = NULL;

	out->at_act = at_act;
	out->at_decision = at_dec;
	if (in->no_fault) {
		out->outcome = DISC_NO_PENALTY;
		out->basis = "《中华人民共和国行政处罚法》第三十三条第二款";
		add_reason(&rs,
			   "当事人有证据足以证明没有主观过错，依照%s第三十三条第二款，不予行政处罚"
			   "（法律、行政法规另有规定的，从其规定）；依照同条第三款，应当对当事人进行教育。",
			   law);
		goto checked;
	}
	if (in->minor_corrected && v->minor_no_penalty) {
		out->outcome = DISC_NO_PENALTY;
		out->basis = "《中华人民共和国行政处罚法》第三十三条第一款";
		add_reason(&rs,
			   "违法行为轻微并及时改正，没有造成危害后果，依照%s第三十三条第一款，不予行政处罚；"
			   "依照同条第三款，应当对当事人进行教育。",
			   law);
		goto checked;
	}
	compute(at_act, in, &ra);
	compute(at_dec, in, &rd);
	out->later_law_applied = at_act != at_dec && lighter(&rd, &ra);
	r = out->later_law_applied ? &rd : &ra;
	std = r->ver->standard;
	out->outcome = DISC_PENALTY;
	out->kinds = r->lvl->kinds;
	out->min_fen = r->min;
	out->max_fen = r->max;
	out->suggested_fen = suggest(r);
	out->basis = r->ver->penalty_basis;
	if (in->first_offence && v->first_offence) {
		out->outcome = DISC_MAY_EXEMPT;
		add_reason(&rs,
			   "当事人初次违法且危害后果轻微并及时改正，依照%s第三十三条第一款，可以不予行政处罚；"
			   "决定不予处罚的，应当依照同条第三款对当事人进行教育；决定给予处罚的，适用下列裁量幅度。",
			   law);
	}
	art37_reason(&rs, &ra, &rd, out->later_law_applied);
	range_reasons(&rs, v, in, r);
	if (in->minor_corrected && !v->minor_no_penalty)
		add_reason(&rs,
			   "本违法行为未列入本裁量基准的轻微违法不予处罚事项，本建议不适用%s第三十三条第一款"
			   "关于轻微违法不予处罚的规定；执法机关认定违法行为轻微并及时改正、没有造成危害后果的，"
			   "应当依照该款不予处罚。",
			   law);
	if (in->first_offence && !v->first_offence)
		add_reason(&rs,
			   "本违法行为未列入本裁量基准的首违不罚事项，本建议不适用%s第三十三条第一款"
			   "关于初次违法可以不予处罚的规定。",
			   law);
	if (out->kinds & KIND_BIT(PK_FINE)) {
		char a[40];

		add_reason(&rs, "依照%s第五条（过罚相当），建议罚款%s，为裁量幅度的中间值（取整到元）。",
			   law, yuan_text(out->suggested_fen, a));
	}
checked:
	if (rs.rc)
		return no_memory(err);
	if (in->has_amount &&
	    (in->amount_fen < out->min_fen || in->amount_fen > out->max_fen)) {
		if (!std)
			return zf_fail(err, ZF_EINVAL, "amount_out_of_range", "amount",
				       "依照%s，本案依法不予行政处罚，不得处以罚款", out->basis);
		return amount_error(err, in, out, std);
	}
	return ZF_OK;
}

int discretion_propose(const struct violation_catalogue *c,
		       const struct discretion_input *in,
		       struct discretion_proposal *out, struct zf_error *err)
{
	const struct violation *v;
	const struct violation_version *at_act, *at_dec;
	char da[DATE_STR_LEN], dd[DATE_STR_LEN];
	int rc;

	memset(out, 0, sizeof(*out));
	v = violation_find(c, in->violation);
	if (!v)
		return zf_fail(err, ZF_EINVAL, "unknown_code", "violation",
			       "违法行为代码“%s”不在违法行为目录中",
			       in->violation ? in->violation : "");
	if (!date_is_valid(in->act_date.y, in->act_date.m, in->act_date.d))
		return zf_fail(err, ZF_EINVAL, "invalid_date", "act_date",
			       "违法行为发生日期无效");
	if (!date_is_valid(in->decision_date.y, in->decision_date.m,
			   in->decision_date.d))
		return zf_fail(err, ZF_EINVAL, "invalid_date", "decision_date",
			       "处罚决定日期无效");
	date_format(in->act_date, da);
	date_format(in->decision_date, dd);
	if (date_cmp(in->decision_date, in->act_date) < 0)
		return zf_fail(err, ZF_EINVAL, "invalid_period", "decision_date",
			       "处罚决定日期（%s）早于违法行为发生日期（%s）", dd, da);
	if (in->art32 & ~(unsigned)ART32_ALL)
		return zf_fail(err, ZF_EINVAL, "unknown_code", "art32",
			       "从轻、减轻处罚情节代码无效（%s第三十二条只列有四项）", law);
	at_act = violation_version_at(v, in->act_date);
	if (!at_act)
		return zf_fail(err, ZF_EREFUSED, "no_rule_in_force", "act_date",
			       "违法行为发生时（%s）目录中没有“%s”施行中的处罚规定；依照%s第四条，"
			       "没有法律、法规、规章规定的，不得给予行政处罚",
			       da, v->name, law);
	at_dec = violation_version_at(v, in->decision_date);
	if (!at_dec)
		return zf_fail(err, ZF_EREFUSED, "no_rule_in_force", "decision_date",
			       "作出处罚决定时（%s）目录中没有“%s”施行中的处罚规定；如该行为已不再认定为违法，"
			       "依照%s第三十七条应适用新规定，不予处罚；如目录缺少该时期的规定，请先补充",
			       dd, v->name, law);
	if (in->level && !level_in(at_act, in->level) && !level_in(at_dec, in->level))
		return zf_fail(err, ZF_EINVAL, "unknown_code", "level",
			       "“%s”在所适用的裁量基准（%s）中没有“%s”档次", v->name,
			       at_act->standard, in->level);
	rc = propose(v, in, at_act, at_dec, out, err);
	if (rc)
		discretion_proposal_release(out);
	return rc;
}

void discretion_proposal_release(struct discretion_proposal *p)
{
	for (size_t i = 0; i < p->nreasons; i++)
		zf_free(p->reasons[i]);
	zf_free(p->reasons);
	memset(p, 0, sizeof(*p));
}

static const char *outcome_code(enum discretion_outcome o)
{
	switch (o) {
	case DISC_PENALTY:
		return "penalty";
	case DISC_NO_PENALTY:
		return "no_penalty";
	case DISC_MAY_EXEMPT:
		return "may_exempt";
	}
	return "penalty";
}

static json_t *version_ref_json(const struct violation_version *v)
{
	if (!v)
		return json_null();
	return json_pack("{so so ss}", "from", date_json(v->from), "to",
			 date_json(v->to), "standard", v->standard);
}

json_t *discretion_proposal_to_json(const struct discretion_proposal *p)
{
	json_t *reasons = json_array();

	for (size_t i = 0; reasons && i < p->nreasons; i++)
		json_array_append_new(reasons, json_string(p->reasons[i]));
	return json_pack("{ss so sI sI sI ss? sb so so so}", "outcome",
			 outcome_code(p->outcome), "kinds", kinds_json(p->kinds),
			 "min_fen", (json_int_t)p->min_fen, "max_fen",
			 (json_int_t)p->max_fen, "suggested_fen",
			 (json_int_t)p->suggested_fen, "basis", p->basis,
			 "later_law_applied", p->later_law_applied, "version_at_act",
			 version_ref_json(p->at_act), "version_at_decision",
			 version_ref_json(p->at_decision), "reasons", reasons);
}
