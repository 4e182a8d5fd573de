/*
 * overload.c: the over-limit limits and penalty engine (law.md §3.2–3.4,
 * §3.7).  The file formats are described in data/rules/README.md.
 *
 * Every legal number (limits, reductions, bands, amounts, caps) comes from
 * the two tables; this file knows only how the rules combine.  A file is
 * parsed into a separate array first and swapped in only when every row and
 * every cross-row check is good: a refused file leaves the rules as they
 * were.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "embed.h"
#include "overload.h"
#include "text.h"

#define LIMITS_FILE "data/rules/overload_limits.tsv"
#define PENALTIES_FILE "data/rules/overload_penalties.tsv"

#define MAX_LINE 4096		/* bytes in one line */
#define MAX_ROWS 1024		/* rows in one file */
#define MAX_COLS 13		/* one more than the widest header */
#define MAX_ID 32
#define MAX_LABEL 100		/* characters */
#define MAX_BASIS 500		/* characters */
#define MAX_AMOUNT 1000000000	/* any mm, kg or yuan in a file */

static const struct zf_date open_end = {9999, 12, 31};

static const char *const limits_header[] = {
	"id", "measure", "config", "axles", "drive", "condition", "value",
	"from", "to", "conf", "label", "basis", NULL,
};
static const char *const penalties_header[] = {
	"id", "rule", "params", "from", "to", "conf", "basis", NULL,
};

struct code {
	const char *code;
	int value;
};

static const struct code measure_codes[] = {
	{"height", OVERLOAD_HEIGHT},
	{"width", OVERLOAD_WIDTH},
	{"length", OVERLOAD_LENGTH},
	{"mass", OVERLOAD_MASS},
	{"licence_mass", OVERLOAD_LICENCE_MASS},
	{"single_tyre", OVERLOAD_SINGLE_TYRE},
	{NULL, 0},
};

static const struct code config_codes[] = {
	{"truck", OVERLOAD_TRUCK},
	{"train", OVERLOAD_TRAIN},
	{"farm_tractor", OVERLOAD_FARM_TRACTOR},
	{"farm_vehicle", OVERLOAD_FARM_VEHICLE},
	{"low_speed_truck", OVERLOAD_LOW_SPEED_TRUCK},
	{NULL, 0},
};

static const char *const config_names[] = {
	[OVERLOAD_ANY] = "车辆",
	[OVERLOAD_TRUCK] = "货车",
	[OVERLOAD_TRAIN] = "汽车列车",
	[OVERLOAD_FARM_TRACTOR] = "拖拉机",
	[OVERLOAD_FARM_VEHICLE] = "农用车",
	[OVERLOAD_LOW_SPEED_TRUCK] = "低速货车",
};

static const struct code drive_codes[] = {
	{"single", OVERLOAD_DRIVE_SINGLE},
	{"multi", OVERLOAD_DRIVE_MULTI},
	{NULL, 0},
};

static const struct code condition_codes[] = {
	{"refrigerated", OVERLOAD_COND_REFRIGERATED},
	{"air_suspension", OVERLOAD_COND_AIR_SUSPENSION},
	{NULL, 0},
};

static const struct code rule_codes[] = {
	{"dim_band", OVERLOAD_DIM_BAND},
	{"mass_warning", OVERLOAD_MASS_WARNING},
	{"mass_fine", OVERLOAD_MASS_FINE},
	{"combined_cap", OVERLOAD_COMBINED_CAP},
	{"statute_cap", OVERLOAD_STATUTE_CAP},
	{NULL, 0},
};

static const struct code part_tonne_codes[] = {
	{"whole_tonnes_of_total_excess", OVERLOAD_WHOLE_TONNES},
	{"round_up", OVERLOAD_ROUND_UP},
	{"excess_over_warning_band", OVERLOAD_OVER_WARNING_BAND},
	{NULL, 0},
};

/* ---- reading a file ---------------------------------------------------- */

struct field {
	const char *p;
	size_t len;
};

struct reader {
	const char *text;
	size_t len, pos, line;
	const char *what;	/* the file's name for people */
	struct zf_error *err;
	char buf[MAX_LINE + 1];
};

static int line_error(struct reader *rd, const char *fmt, ...) ZF_PRINTF(2, 3);

static int line_error(struct reader *rd, const char *fmt, ...)
{
	char field[32];
	char msg[400];
	va_list ap;

	snprintf(field, sizeof(field), "line %zu", rd->line);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return zf_fail(rd->err, ZF_EINVAL, "invalid_overload_file", field,
		       "%s第 %zu 行：%s", rd->what, rd->line, msg);
}

static int no_memory(struct zf_error *err)
{
	return zf_fail(err, ZF_ENOMEM, "out_of_memory", "",
		       "内存不足，无法完成超限规则的处理");
}

static bool field_is(struct field f, const char *word)
{
	return f.len == strlen(word) && memcmp(f.p, word, f.len) == 0;
}

/* Split at tabs; returns the field count, storing at most MAX_COLS. */
static size_t split(const char *s, size_t len, struct field f[MAX_COLS])
{
	size_t nf = 0, start = 0;

	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] != '\t')
			continue;
		if (nf < MAX_COLS) {
			f[nf].p = s + start;
			f[nf].len = i - start;
		}
		nf++;
		start = i + 1;
	}
	return nf;
}

/*
 * The next line that is neither blank nor a comment, split at tabs into
 * rd->buf.  *nf is 0 at the end of the text.
 */
static int next_row(struct reader *rd, struct field f[MAX_COLS], size_t *nf)
{
	*nf = 0;
	if (rd->pos == 0 && rd->len >= 3 && memcmp(rd->text, "\xef\xbb\xbf", 3) == 0)
		rd->pos = 3;
	while (rd->pos < rd->len) {
		const char *s = rd->text + rd->pos;
		const char *nl = memchr(s, '\n', rd->len - rd->pos);
		size_t n = nl ? (size_t)(nl - s) : rd->len - rd->pos;

		rd->pos += n + (nl ? 1 : 0);
		rd->line++;
		if (n > 0 && s[n - 1] == '\r')
			n--;
		if (n > MAX_LINE)
			return line_error(rd, "行过长（超过 %d 字节）", MAX_LINE);
		memcpy(rd->buf, s, n);
		rd->buf[n] = '\0';
		if (strlen(rd->buf) != n || text_utf8_len(rd->buf) < 0)
			return line_error(rd, "含有无效的 UTF-8 编码");
		for (size_t i = 0; i < n; i++) {
			unsigned char b = (unsigned char)rd->buf[i];

			if ((b < 0x20 && b != '\t') || b == 0x7f)
				return line_error(rd, "含有控制字符");
		}
		if (n == 0 || rd->buf[0] == '#')
			continue;
		*nf = split(rd->buf, n, f);
		return ZF_OK;
	}
	return ZF_OK;
}

static int read_header(struct reader *rd, const char *const *names)
{
	struct field f[MAX_COLS];
	size_t nf, want = 0;
	int rc = next_row(rd, f, &nf);

	if (rc)
		return rc;
	while (names[want])
		want++;
	if (nf == 0)
		return zf_fail(rd->err, ZF_EINVAL, "invalid_overload_file", "header",
			       "%s没有表头行和规则行", rd->what);
	for (size_t i = 0; i < want && nf == want; i++)
		if (!field_is(f[i], names[i]))
			nf = 0;
	if (nf != want)
		return line_error(rd, "第一行应为表头（%s 等 %zu 栏，以制表符分隔）",
				  names[0], want);
	return ZF_OK;
}

static bool lookup(const struct code *t, struct field f, int *out)
{
	for (; t->code; t++)
		if (field_is(f, t->code)) {
			*out = t->value;
			return true;
		}
	return false;
}

static const char *code_of(const struct code *t, int value)
{
	for (; t->code; t++)
		if (t->value == value)
			return t->code;
	return "unknown";
}

static bool parse_uint(struct field f, int64_t max, int64_t *out)
{
	int64_t v = 0;

	if (f.len == 0 || f.len > 10)
		return false;
	for (size_t i = 0; i < f.len; i++) {
		if (f.p[i] < '0' || f.p[i] > '9')
			return false;
		v = v * 10 + (f.p[i] - '0');
	}
	if (v > max)
		return false;
	*out = v;
	return true;
}

static bool parse_day(struct field f, struct zf_date *out)
{
	char s[DATE_STR_LEN];

	if (f.len != DATE_STR_LEN - 1)
		return false;
	memcpy(s, f.p, f.len);
	s[f.len] = '\0';
	return date_parse(s, out, "date", NULL) == ZF_OK;
}

/* from and to (or "-" for open); to may not be before from. */
static int parse_period(struct reader *rd, struct field from, struct field to,
			struct zf_date *f, struct zf_date *t)
{
	if (!parse_day(from, f))
		return line_error(rd, "from 应为 YYYY-MM-DD 格式的真实日期");
	if (field_is(to, "-")) {
		*t = open_end;
		return ZF_OK;
	}
	if (!parse_day(to, t))
		return line_error(rd, "to 应为 YYYY-MM-DD 格式的真实日期，仍在施行的写 -");
	if (date_cmp(*t, *f) < 0)
		return line_error(rd, "to 早于 from");
	return ZF_OK;
}

static int parse_id(struct reader *rd, struct field f, char **out)
{
	if (f.len == 0 || f.len > MAX_ID)
		goto bad;
	for (size_t i = 0; i < f.len; i++) {
		char ch = f.p[i];
		bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
			  (i > 0 && (ch == '.' || ch == '_' || ch == '-'));

		if (!ok)
			goto bad;
	}
	*out = zf_strndup(f.p, f.len);
	return *out ? ZF_OK : no_memory(rd->err);
bad:
	return line_error(rd, "id 应为小写字母、数字和 . _ -，以字母或数字开头，最多 %d 个字符",
			  MAX_ID);
}

static int parse_conf(struct reader *rd, struct field f, char out[4])
{
	if (!field_is(f, "V1") && !field_is(f, "V2") && !field_is(f, "M") &&
	    !field_is(f, "M?"))
		return line_error(rd, "conf 应为 V1、V2、M 或 M?（law.md §0）");
	memcpy(out, f.p, f.len);
	out[f.len] = '\0';
	return ZF_OK;
}

static size_t utf8_chars(struct field f)
{
	size_t n = 0;

	for (size_t i = 0; i < f.len; i++)
		n += ((unsigned char)f.p[i] & 0xc0) != 0x80;
	return n;
}

static int parse_text(struct reader *rd, struct field f, const char *name,
		      size_t max, char **out)
{
	size_t n = utf8_chars(f);

	if (n == 0 || n > max)
		return line_error(rd, "%s 应为 1 至 %zu 个字符，实为 %zu 个", name,
				  max, n);
	*out = zf_strndup(f.p, f.len);
	return *out ? ZF_OK : no_memory(rd->err);
}

static bool overlaps(struct zf_date af, struct zf_date at, struct zf_date bf,
		     struct zf_date bt)
{
	return date_cmp(af, bt) <= 0 && date_cmp(bf, at) <= 0;
}

static bool in_force(struct zf_date from, struct zf_date to, struct zf_date d)
{
	return date_cmp(from, d) <= 0 && date_cmp(d, to) <= 0;
}

/* ---- the limits file --------------------------------------------------- */

static void limit_rows_free(struct overload_limit_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		zf_free(rows[i].id);
		zf_free(rows[i].label);
		zf_free(rows[i].basis);
	}
	zf_free(rows);
}

/* mass and licence_mass are one family: both give the gross-mass limit. */
static int family(enum overload_measure m)
{
	return m == OVERLOAD_LICENCE_MASS ? OVERLOAD_MASS : (int)m;
}

static int parse_axles(struct reader *rd, struct field f,
		       struct overload_limit_row *row)
{
	int64_t n;
	struct field num = f;

	if (field_is(f, "*")) {
		row->axles_min = 2;
		row->axles_max = 0;
		return ZF_OK;
	}
	if (f.len > 1 && f.p[f.len - 1] == '+')
		num.len--;
	if (!parse_uint(num, OVERLOAD_MAX_AXLES, &n) || n < 2)
		return line_error(rd, "axles 应为 * 、轴数（2 至 %d）或“轴数+”（该轴数及以上）",
				  OVERLOAD_MAX_AXLES);
	row->axles_min = (int)n;
	row->axles_max = num.len == f.len ? (int)n : 0;
	return ZF_OK;
}

static int parse_limit_row(struct reader *rd, const struct field *f, size_t nf,
			   struct overload_limit_row *row)
{
	int v, rc;

	memset(row, 0, sizeof(*row));
	row->line = rd->line;
	if (nf != 12)
		return line_error(rd, "应有 12 栏（以制表符分隔），实为 %zu 栏", nf);
	if ((rc = parse_id(rd, f[0], &row->id)))
		return rc;
	if (!lookup(measure_codes, f[1], &v))
		return line_error(rd, "measure 应为 height、width、length、mass、licence_mass 或 single_tyre");
	row->measure = v;
	if (field_is(f[2], "*"))
		row->config = OVERLOAD_ANY;
	else if (lookup(config_codes, f[2], &v))
		row->config = v;
	else
		return line_error(rd, "config 应为 *、truck、train、farm_tractor、farm_vehicle 或 low_speed_truck");
	if ((rc = parse_axles(rd, f[3], row)))
		return rc;
	if (field_is(f[4], "*"))
		row->drive = OVERLOAD_DRIVE_ANY;
	else if (lookup(drive_codes, f[4], &v))
		row->drive = v;
	else
		return line_error(rd, "drive 应为 *、single 或 multi");
	if (field_is(f[5], "-"))
		row->condition = OVERLOAD_COND_NONE;
	else if (lookup(condition_codes, f[5], &v))
		row->condition = v;
	else
		return line_error(rd, "condition 应为 -、refrigerated 或 air_suspension");
	if (row->measure == OVERLOAD_LICENCE_MASS) {
		if (!field_is(f[6], "-"))
			return line_error(rd, "licence_mass 以行驶证核定的总质量为限定标准，value 应写 -");
		if (row->condition != OVERLOAD_COND_NONE)
			return line_error(rd, "licence_mass 行不能附加 condition");
	} else if (!parse_uint(f[6], MAX_AMOUNT, &row->value) || row->value < 1) {
		return line_error(rd, "value 应为正整数（毫米或千克）");
	}
	if ((rc = parse_period(rd, f[7], f[8], &row->from, &row->to)) ||
	    (rc = parse_conf(rd, f[9], row->conf)) ||
	    (rc = parse_text(rd, f[10], "label", MAX_LABEL, &row->label)) ||
	    (rc = parse_text(rd, f[11], "basis", MAX_BASIS, &row->basis)))
		return rc;
	return ZF_OK;
}

static bool axles_meet(const struct overload_limit_row *a,
		       const struct overload_limit_row *b)
{
	int amax = a->axles_max ? a->axles_max : OVERLOAD_MAX_AXLES;
	int bmax = b->axles_max ? b->axles_max : OVERLOAD_MAX_AXLES;

	return a->axles_min <= bmax && b->axles_min <= amax;
}

/*
 * Two rows could both answer the same question on the same day: the same
 * family, overlapping periods, a vehicle that matches both, and either the
 * same condition or two different conditions (a vehicle may have both).
 */
static bool limit_rows_clash(const struct overload_limit_row *a,
			     const struct overload_limit_row *b)
{
	return family(a->measure) == family(b->measure) &&
	       overlaps(a->from, a->to, b->from, b->to) &&
	       (a->config == OVERLOAD_ANY || b->config == OVERLOAD_ANY ||
		a->config == b->config) &&
	       axles_meet(a, b) &&
	       (a->drive == OVERLOAD_DRIVE_ANY || b->drive == OVERLOAD_DRIVE_ANY ||
		a->drive == b->drive) &&
	       (a->condition == b->condition ||
		(a->condition != OVERLOAD_COND_NONE &&
		 b->condition != OVERLOAD_COND_NONE));
}

int overload_rules_load_limits(struct overload_rules *r, const char *text,
			       size_t len, struct zf_error *err)
{
	struct reader rd = {.text = text, .len = len, .what = "超限限定标准表",
			    .err = err};
	struct overload_limit_row *rows = NULL;
	size_t n = 0;
	int rc;

	rows = zf_calloc(MAX_ROWS, sizeof(*rows));
	if (!rows)
		return no_memory(err);
	if ((rc = read_header(&rd, limits_header)))
		goto out;
	for (;;) {
		struct field f[MAX_COLS];
		size_t nf;

		if ((rc = next_row(&rd, f, &nf)) || nf == 0)
			break;
		if (n == MAX_ROWS) {
			rc = line_error(&rd, "规则行超过 %d 行", MAX_ROWS);
			break;
		}
		rc = parse_limit_row(&rd, f, nf, &rows[n]);
		n++;		/* a half-read row is freed with the rest */
		if (rc)
			break;
		for (size_t i = 0; i + 1 < n && !rc; i++) {
			if (strcmp(rows[i].id, rows[n - 1].id) == 0)
				rc = line_error(&rd, "id %s 与第 %zu 行重复",
						rows[i].id, rows[i].line);
			else if (limit_rows_clash(&rows[i], &rows[n - 1]))
				rc = line_error(&rd, "与第 %zu 行（%s）重叠：同一天同一车辆会适用两条规则",
						rows[i].line, rows[i].id);
		}
		if (rc)
			break;
	}
	if (!rc && n == 0)
		rc = zf_fail(err, ZF_EINVAL, "invalid_overload_file", "rows",
			     "%s没有规则行", rd.what);
	if (!rc) {
		limit_rows_free(r->limits, r->nlimits);
		r->limits = rows;
		r->nlimits = n;
		rows = NULL;
		n = 0;
	}
out:
	limit_rows_free(rows, n);
	return rc;
}

/* ---- the penalties file ------------------------------------------------ */

enum param {
	P_HEIGHT, P_WIDTH, P_LENGTH, P_MIN, P_MAX, P_MAY, P_OVER, P_PER, P_YUAN,
	NPARAMS
};

static const char *const param_names[NPARAMS] = {
	"height_mm", "width_mm", "length_mm", "min_yuan", "max_yuan", "may",
	"over_kg", "per_kg", "yuan",
};

#define PB(p) (1u << (p))
#define P_BOUNDS (PB(P_HEIGHT) | PB(P_WIDTH) | PB(P_LENGTH))

/* Indexed by enum overload_rule: the parameters a rule requires. */
static const unsigned rule_params[] = {
	[OVERLOAD_DIM_BAND] = PB(P_MIN) | PB(P_MAX) | PB(P_MAY),
	[OVERLOAD_MASS_WARNING] = PB(P_OVER),
	[OVERLOAD_MASS_FINE] = PB(P_PER) | PB(P_YUAN) | PB(P_MAX),
	[OVERLOAD_COMBINED_CAP] = PB(P_MAX),
	[OVERLOAD_STATUTE_CAP] = PB(P_MAX),
};

static void penalty_rows_free(struct overload_penalty_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		zf_free(rows[i].id);
		zf_free(rows[i].basis);
	}
	zf_free(rows);
}

/* "key=value key=value", single spaces; each key at most once. */
static int parse_params(struct reader *rd, struct field f, const char *rule,
			unsigned allowed, int64_t v[NPARAMS], unsigned *seen)
{
	size_t i = 0;

	*seen = 0;
	while (i < f.len) {
		struct field kv = {f.p + i, 0}, key, val;
		const char *eq;
		int p;

		while (i + kv.len < f.len && f.p[i + kv.len] != ' ')
			kv.len++;
		i += kv.len + 1;
		eq = memchr(kv.p, '=', kv.len);
		if (!eq)
			return line_error(rd, "params 应为以空格分隔的“名=值”");
		key = (struct field){kv.p, (size_t)(eq - kv.p)};
		val = (struct field){eq + 1, kv.len - key.len - 1};
		for (p = 0; p < NPARAMS && !field_is(key, param_names[p]); p++)
			;
		if (p == NPARAMS || !(allowed & PB(p)))
			return line_error(rd, "规则 %s 没有参数“%.*s”", rule,
					  (int)key.len, key.p);
		if (*seen & PB(p))
			return line_error(rd, "参数 %s 重复", param_names[p]);
		if (!parse_uint(val, p == P_MAY ? 1 : MAX_AMOUNT, &v[p]))
			return line_error(rd, "参数 %s 应为%s", param_names[p],
					  p == P_MAY ? " 0 或 1" : "非负整数");
		*seen |= PB(p);
	}
	if (f.len == 0 || f.p[f.len - 1] == ' ')
		return line_error(rd, "params 应为以空格分隔的“名=值”");
	return ZF_OK;
}

static int parse_penalty_row(struct reader *rd, const struct field *f, size_t nf,
			     struct overload_penalty_row *row)
{
	int64_t v[NPARAMS] = {0};
	unsigned seen, need, allowed;
	int rule, rc;

	memset(row, 0, sizeof(*row));
	row->line = rd->line;
	if (nf != 7)
		return line_error(rd, "应有 7 栏（以制表符分隔），实为 %zu 栏", nf);
	if ((rc = parse_id(rd, f[0], &row->id)))
		return rc;
	if (!lookup(rule_codes, f[1], &rule))
		return line_error(rd, "rule 应为 dim_band、mass_warning、mass_fine、combined_cap 或 statute_cap");
	row->rule = rule;
	need = rule_params[rule];
	allowed = need | (rule == OVERLOAD_DIM_BAND ? P_BOUNDS : 0);
	if ((rc = parse_params(rd, f[2], code_of(rule_codes, rule), allowed, v,
			       &seen)))
		return rc;
	for (int p = 0; p < NPARAMS; p++)
		if ((need & PB(p)) && !(seen & PB(p)))
			return line_error(rd, "规则 %s 缺少参数 %s",
					  code_of(rule_codes, rule), param_names[p]);
	if ((seen & P_BOUNDS) && (seen & P_BOUNDS) != P_BOUNDS)
		return line_error(rd, "height_mm、width_mm、length_mm 须同时给出（最重一档都不写）");
	if ((seen & P_BOUNDS) && (!v[P_HEIGHT] || !v[P_WIDTH] || !v[P_LENGTH]))
		return line_error(rd, "height_mm、width_mm、length_mm 应为正整数");
	if (rule == OVERLOAD_DIM_BAND && v[P_MIN] > v[P_MAX])
		return line_error(rd, "min_yuan 大于 max_yuan");
	if (rule == OVERLOAD_MASS_WARNING && v[P_OVER] < 1)
		return line_error(rd, "over_kg 应为正整数");
	if (rule == OVERLOAD_MASS_FINE &&
	    (v[P_PER] < 1 || v[P_YUAN] < 1 || v[P_MAX] < v[P_YUAN]))
		return line_error(rd, "per_kg、yuan 应为正整数，max_yuan 不小于 yuan");
	if ((rule == OVERLOAD_COMBINED_CAP || rule == OVERLOAD_STATUTE_CAP) &&
	    v[P_MAX] < 1)
		return line_error(rd, "max_yuan 应为正整数");
	row->height_mm = v[P_HEIGHT];
	row->width_mm = v[P_WIDTH];
	row->length_mm = v[P_LENGTH];
	row->min_yuan = v[P_MIN];
	row->max_yuan = v[P_MAX];
	row->may = v[P_MAY] == 1;
	row->over_kg = v[P_OVER];
	row->per_kg = v[P_PER];
	row->yuan = v[P_YUAN];
	if ((rc = parse_period(rd, f[3], f[4], &row->from, &row->to)) ||
	    (rc = parse_conf(rd, f[5], row->conf)) ||
	    (rc = parse_text(rd, f[6], "basis", MAX_BASIS, &row->basis)))
		return rc;
	return ZF_OK;
}

static bool bounded(const struct overload_penalty_row *b)
{
	return b->height_mm != 0;
}

/*
 * Checks of the new row against the earlier ones.  The bands of one period
 * share from and to and are listed lightest first, each bound above the
 * previous one, ending with the one open band.
 */
static int check_penalty_row(struct reader *rd, struct overload_penalty_row *rows,
			     size_t n)
{
	const struct overload_penalty_row *row = &rows[n - 1], *prev = NULL;

	for (size_t i = 0; i + 1 < n; i++) {
		const struct overload_penalty_row *o = &rows[i];
		bool ov = overlaps(o->from, o->to, row->from, row->to);

		if (strcmp(o->id, row->id) == 0)
			return line_error(rd, "id %s 与第 %zu 行重复", o->id, o->line);
		if (!ov)
			continue;
		if (o->rule == row->rule && row->rule != OVERLOAD_DIM_BAND)
			return line_error(rd, "与第 %zu 行（%s）的施行期间重叠", o->line,
					  o->id);
		if (o->rule == OVERLOAD_DIM_BAND && row->rule == OVERLOAD_DIM_BAND) {
			if (date_cmp(o->from, row->from) || date_cmp(o->to, row->to))
				return line_error(rd, "外廓尺寸各档的施行期间应相同，与第 %zu 行不同",
						  o->line);
			prev = o;
		}
		/* beyond the warning band at least one unit must be counted */
		if ((o->rule == OVERLOAD_MASS_WARNING && row->rule == OVERLOAD_MASS_FINE &&
		     o->over_kg < row->per_kg) ||
		    (o->rule == OVERLOAD_MASS_FINE && row->rule == OVERLOAD_MASS_WARNING &&
		     row->over_kg < o->per_kg))
			return line_error(rd, "警告幅度 over_kg 小于罚款计算单位 per_kg（与第 %zu 行）",
					  o->line);
	}
	if (row->rule != OVERLOAD_DIM_BAND || !prev)
		return ZF_OK;
	if (!bounded(prev))
		return line_error(rd, "第 %zu 行已是最重一档（不写上限），其后不能再有档次",
				  prev->line);
	if (bounded(row) && (row->height_mm <= prev->height_mm ||
			     row->width_mm <= prev->width_mm ||
			     row->length_mm <= prev->length_mm))
		return line_error(rd, "各档上限应逐档增大（上一档见第 %zu 行）", prev->line);
	if (row->min_yuan < prev->min_yuan || row->max_yuan < prev->max_yuan)
		return line_error(rd, "各档罚款幅度应从轻到重排列（上一档见第 %zu 行）",
				  prev->line);
	return ZF_OK;
}

/* Every period with bands ends with the open one. */
static int check_ladders(struct reader *rd, const struct overload_penalty_row *rows,
			 size_t n)
{
	for (size_t i = 0; i < n; i++) {
		bool last = true;

		if (rows[i].rule != OVERLOAD_DIM_BAND || !bounded(&rows[i]))
			continue;
		for (size_t j = i + 1; j < n && last; j++)
			if (rows[j].rule == OVERLOAD_DIM_BAND &&
			    !date_cmp(rows[j].from, rows[i].from) &&
			    !date_cmp(rows[j].to, rows[i].to))
				last = false;
		if (last) {
			rd->line = rows[i].line;
			return line_error(rd, "外廓尺寸分档缺少最重一档（不写上限的一行）");
		}
	}
	return ZF_OK;
}

int overload_rules_load_penalties(struct overload_rules *r, const char *text,
				  size_t len, struct zf_error *err)
{
	struct reader rd = {.text = text, .len = len, .what = "超限处罚标准表",
			    .err = err};
	struct overload_penalty_row *rows;
	size_t n = 0;
	int rc;

	rows = zf_calloc(MAX_ROWS, sizeof(*rows));
	if (!rows)
		return no_memory(err);
	if ((rc = read_header(&rd, penalties_header)))
		goto out;
	for (;;) {
		struct field f[MAX_COLS];
		size_t nf;

		if ((rc = next_row(&rd, f, &nf)) || nf == 0)
			break;
		if (n == MAX_ROWS) {
			rc = line_error(&rd, "规则行超过 %d 行", MAX_ROWS);
			break;
		}
		rc = parse_penalty_row(&rd, f, nf, &rows[n]);
		n++;
		if (rc || (rc = check_penalty_row(&rd, rows, n)))
			break;
	}
	if (!rc && n == 0)
		rc = zf_fail(err, ZF_EINVAL, "invalid_overload_file", "rows",
			     "%s没有规则行", rd.what);
	if (!rc)
		rc = check_ladders(&rd, rows, n);
	if (!rc) {
		penalty_rows_free(r->penalties, r->npenalties);
		r->penalties = rows;
		r->npenalties = n;
		rows = NULL;
		n = 0;
	}
out:
	penalty_rows_free(rows, n);
	return rc;
}

void overload_rules_init(struct overload_rules *r)
{
	memset(r, 0, sizeof(*r));
}

void overload_rules_release(struct overload_rules *r)
{
	limit_rows_free(r->limits, r->nlimits);
	penalty_rows_free(r->penalties, r->npenalties);
	overload_rules_init(r);
}

int overload_rules_load_builtin(struct overload_rules *r, struct zf_error *err)
{
	const struct embed_file *l = embed_find(LIMITS_FILE);
	const struct embed_file *p = embed_find(PENALTIES_FILE);
	int rc;

	if (!l || !p)
		ZF_BUG("data file %s is not embedded", l ? PENALTIES_FILE : LIMITS_FILE);
	if ((rc = overload_rules_load_limits(r, (const char *)l->data, l->len, err)))
		return rc;
	return overload_rules_load_penalties(r, (const char *)p->data, p->len, err);
}

/* ---- codes ------------------------------------------------------------- */

const char *overload_config_code(enum overload_config c)
{
	return code_of(config_codes, c);
}

static int parse_code(const struct code *t, const char *s, int *out,
		      const char *field, struct zf_error *err)
{
	struct field f = {s ? s : "", s ? strlen(s) : 0};
	struct buf list;

	if (lookup(t, f, out))
		return ZF_OK;
	buf_init(&list, 512);
	for (; t->code; t++)
		if (buf_printf(&list, "%s%s", list.len ? "、" : "", t->code))
			break;
	zf_fail(err, ZF_EINVAL, "unknown_code", field, "“%s”应为 %s 之一，实为“%s”",
		field, buf_cstr(&list), s ? s : "");
	buf_release(&list);
	return ZF_EINVAL;
}

int overload_config_parse(const char *s, enum overload_config *out,
			  const char *field, struct zf_error *err)
{
	int v;
	int rc = parse_code(config_codes, s, &v, field, err);

	if (!rc)
		*out = v;
	return rc;
}

const char *overload_part_tonne_code(enum overload_part_tonne m)
{
	return code_of(part_tonne_codes, m);
}

int overload_part_tonne_parse(const char *s, enum overload_part_tonne *out,
			      const char *field, struct zf_error *err)
{
	int v;
	int rc = parse_code(part_tonne_codes, s, &v, field, err);

	if (!rc)
		*out = v;
	return rc;
}

const char *overload_penalty_kind_code(enum overload_penalty_kind k)
{
	switch (k) {
	case OVERLOAD_PENALTY_WARNING:
		return "warning";
	case OVERLOAD_PENALTY_FINE:
		return "fine";
	default:
		return "none";
	}
}

int overload_parse_mm(const char *s, int64_t *mm, const char *field,
		      struct zf_error *err)
{
	const char *p = s ? s : "";
	int64_t whole = 0, frac = 0;
	int nint = 0, nfrac = 0;

	for (; *p >= '0' && *p <= '9' && nint < 7; p++, nint++)
		whole = whole * 10 + (*p - '0');
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9' && nfrac < 4; p++, nfrac++)
			frac = frac * 10 + (*p - '0');
		if (nfrac == 0)
			nint = 0;
	}
	if (nint == 0 || nfrac > 3 || *p)
		return zf_fail(err, ZF_EINVAL, "invalid_number", field,
			       "“%s”应为以米为单位、最多三位小数的数，如 4.25，实为“%s”",
			       field, s ? s : "");
	while (nfrac++ < 3)
		frac *= 10;
	*mm = whole * 1000 + frac;
	return ZF_OK;
}

/* ---- the engine -------------------------------------------------------- */

struct strlist {
	char **v;
	size_t n, cap;
};

static int strlist_push(struct strlist *l, char *s)
{
	if (!s)
		return ZF_ENOMEM;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		char **v = zf_realloc(l->v, cap * sizeof(*v));

		if (!v) {
			zf_free(s);
			return ZF_ENOMEM;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = s;
	return ZF_OK;
}

static void strlist_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		zf_free(v[i]);
	zf_free(v);
}

struct calc {
	const struct overload_rules *r;
	const struct overload_input *in;
	const struct overload_settings *s;
	struct overload_result *res;
	struct strlist explain, basis;
	int rc;			/* sticky: the first allocation failure */
};

static void say(struct calc *c, const char *fmt, ...) ZF_PRINTF(2, 3);

/* Add one sentence to the explanation. */
static void say(struct calc *c, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *s;

	if (c->rc)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = n < 0 ? NULL : zf_malloc((size_t)n + 1);
	if (s) {
		va_start(ap, fmt);
		vsnprintf(s, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	c->rc = strlist_push(&c->explain, s);
}

/* Add each "；"-separated article of a row's basis, once. */
static void cite(struct calc *c, const char *basis)
{
	static const char sep[] = "；";
	const char *p = basis;

	while (!c->rc && *p) {
		const char *e = strstr(p, sep);
		size_t n = e ? (size_t)(e - p) : strlen(p);
		bool seen = n == 0;

		for (size_t i = 0; i < c->basis.n && !seen; i++)
			seen = strlen(c->basis.v[i]) == n &&
			       memcmp(c->basis.v[i], p, n) == 0;
		if (!seen)
			c->rc = strlist_push(&c->basis, zf_strndup(p, n));
		p += n + (e ? strlen(sep) : 0);
	}
}

/* A row's basis as prose: "A；B" reads "A、B".  Owned by the caller. */
static char *prose(struct calc *c, const char *basis)
{
	struct buf b;
	const char *p = basis, *e;

	buf_init(&b, BUF_MAX_DEFAULT);
	while (!c->rc && (e = strstr(p, "；"))) {
		if (buf_append(&b, p, (size_t)(e - p)) || buf_puts(&b, "、"))
			c->rc = ZF_ENOMEM;
		p = e + strlen("；");
	}
	if (!c->rc && buf_puts(&b, p))
		c->rc = ZF_ENOMEM;
	if (c->rc) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

/* say() with the row's basis as the first %s. */
static void say_basis(struct calc *c, const char *basis, const char *fmt, ...)
	ZF_PRINTF(3, 4);

static void say_basis(struct calc *c, const char *basis, const char *fmt, ...)
{
	char *b = prose(c, basis);
	char rest[1024];
	va_list ap;

	if (!b)
		return;
	va_start(ap, fmt);
	vsnprintf(rest, sizeof(rest), fmt, ap);
	va_end(ap);
	say(c, "依据%s，%s", b, rest);
	zf_free(b);
}

static void metres(int64_t mm, char out[32])
{
	size_t n;

	snprintf(out, 32, "%lld.%03lld", (long long)(mm / 1000),
		 (long long)(mm % 1000));
	n = strlen(out);
	while (out[n - 1] == '0')
		out[--n] = '\0';
	if (out[n - 1] == '.')
		out[n - 1] = '\0';
}

static bool limit_matches(const struct overload_limit_row *row,
			  const struct overload_input *in)
{
	int amax = row->axles_max ? row->axles_max : OVERLOAD_MAX_AXLES;

	if (row->config != OVERLOAD_ANY && row->config != in->config)
		return false;
	if (in->axles < row->axles_min || in->axles > amax)
		return false;
	if (row->drive == OVERLOAD_DRIVE_SINGLE && !in->single_drive_axle)
		return false;
	if (row->drive == OVERLOAD_DRIVE_MULTI && in->single_drive_axle)
		return false;
	switch (row->condition) {
	case OVERLOAD_COND_REFRIGERATED:
		return in->refrigerated;
	case OVERLOAD_COND_AIR_SUSPENSION:
		return in->air_suspension;
	default:
		return true;
	}
}

/*
 * The row of measure family m for this vehicle on its date; a row with a
 * condition the vehicle meets wins over the plain one (the loader refuses
 * two rows that could both apply otherwise).
 */
static const struct overload_limit_row *find_limit(const struct overload_rules *r,
						   int m,
						   const struct overload_input *in)
{
	const struct overload_limit_row *plain = NULL;

	for (size_t i = 0; i < r->nlimits; i++) {
		const struct overload_limit_row *row = &r->limits[i];

		if (family(row->measure) != m || !limit_matches(row, in) ||
		    !in_force(row->from, row->to, in->date))
			continue;
		if (row->condition != OVERLOAD_COND_NONE)
			return row;
		plain = row;
	}
	return plain;
}

static const struct overload_penalty_row *find_rule(const struct overload_rules *r,
						    enum overload_rule rule,
						    struct zf_date d)
{
	for (size_t i = 0; i < r->npenalties; i++)
		if (r->penalties[i].rule == rule &&
		    in_force(r->penalties[i].from, r->penalties[i].to, d))
			return &r->penalties[i];
	return NULL;
}

static int no_rule(const struct overload_input *in, const char *what,
		   struct zf_error *err)
{
	char d[DATE_STR_LEN];

	date_format(in->date, d);
	return zf_fail(err, ZF_EREFUSED, "no_rule_in_force", "date",
		       "%s没有施行中的%s", d, what);
}

static int check_range(int64_t v, int64_t min, int64_t max, const char *field,
		       const char *what, struct zf_error *err)
{
	if (v >= min && v <= max)
		return ZF_OK;
	return zf_fail(err, ZF_EINVAL, "invalid_number", field,
		       "%s应在 %lld 到 %lld 之间，实为 %lld", what, (long long)min,
		       (long long)max, (long long)v);
}

static int check_input(const struct overload_input *in,
		       const struct overload_settings *s, struct zf_error *err)
{
	int rc;

	if (!date_is_valid(in->date.y, in->date.m, in->date.d))
		return zf_fail(err, ZF_EINVAL, "invalid_date", "date", "日期无效");
	if (in->config <= OVERLOAD_ANY || in->config > OVERLOAD_LOW_SPEED_TRUCK)
		return zf_fail(err, ZF_EINVAL, "unknown_code", "config",
			       "车辆类型应为 truck、train、farm_tractor、farm_vehicle 或 low_speed_truck");
	if ((rc = check_range(in->axles, 2, OVERLOAD_MAX_AXLES, "axles", "轴数", err)) ||
	    (rc = check_range(in->single_tyre_axles, 0, in->axles - 1,
			      "single_tyre_axles", "单轮胎车轴数（驱动轴除外，少于轴数）", err)) ||
	    (in->has_mass && (rc = check_range(in->mass_kg, 1, OVERLOAD_MAX_MASS_KG,
					       "mass_kg", "车货总质量（千克）", err))) ||
	    (in->has_licence_mass &&
	     (rc = check_range(in->licence_mass_kg, 1, OVERLOAD_MAX_MASS_KG,
			       "licence_mass_kg", "行驶证核定的总质量（千克）", err))) ||
	    (in->has_height && (rc = check_range(in->height_mm, 1, OVERLOAD_MAX_HEIGHT_MM,
						 "height_m", "车货总高度（毫米）", err))) ||
	    (in->has_width && (rc = check_range(in->width_mm, 1, OVERLOAD_MAX_WIDTH_MM,
						"width_m", "车货总宽度（毫米）", err))) ||
	    (in->has_length && (rc = check_range(in->length_mm, 1, OVERLOAD_MAX_LENGTH_MM,
						 "length_m", "车货总长度（毫米）", err))) ||
	    (rc = check_range(s->wim_tolerance_kg, 0, OVERLOAD_MAX_TOLERANCE_KG,
			      "wim_tolerance_kg", "动态称重计量误差（千克）", err)) ||
	    (rc = check_range(s->wim_tolerance_permille, 0,
			      OVERLOAD_MAX_TOLERANCE_PERMILLE, "wim_tolerance_permille",
			      "动态称重计量误差（千分比）", err)))
		return rc;
	if (s->wim_tolerance_kg && s->wim_tolerance_permille)
		return zf_fail(err, ZF_EINVAL, "invalid_number", "wim_tolerance_permille",
			       "动态称重计量误差只能按千克或按千分比设置一种");
	if (s->part_tonne != OVERLOAD_WHOLE_TONNES && s->part_tonne != OVERLOAD_ROUND_UP &&
	    s->part_tonne != OVERLOAD_OVER_WARNING_BAND)
		return zf_fail(err, ZF_EINVAL, "unknown_code", "overload_part_tonne_mode",
			       "不足一个计罚单位的超限质量的计算方式未知");
	return ZF_OK;
}

/* Why no gross-mass row applies: the configuration, the axles, or the date. */
static int no_mass_limit(const struct overload_rules *r,
			 const struct overload_input *in, struct zf_error *err)
{
	bool config = false, axles = false;

	for (size_t i = 0; i < r->nlimits; i++) {
		const struct overload_limit_row *row = &r->limits[i];
		if (family(row->measure) != OVERLOAD_MASS ||
		    (row->config != OVERLOAD_ANY && row->config != in->config))
			continue;
		config = true;
		axles = axles || limit_matches(row, in);
	}
	if (!config)
		return zf_fail(err, ZF_EINVAL, "unknown_code", "config",
			       "限定标准表中没有%s的车货总质量限定标准",
			       config_names[in->config]);
	if (!axles)
		return zf_fail(err, ZF_EINVAL, "unknown_code", "axles",
			       "限定标准表中没有%d轴%s的车货总质量限定标准，请核对轴数和车辆类型"
			       "（二轴组按2轴、三轴组按3轴计算）",
			       in->axles, config_names[in->config]);
	return no_rule(in, "车货总质量限定标准", err);
}

/* The vehicle, as the decision describes it. */
static void describe(struct calc *c, char out[256])
{
	const struct overload_input *in = c->in;

	snprintf(out, 256, "%d轴%s%s%s%s", in->axles, config_names[in->config],
		 !in->single_drive_axle ? "" :
		 in->config == OVERLOAD_TRAIN ? "，牵引车驱动轴为单轴" : "，驱动轴为单轴",
		 in->air_suspension ? "，驱动轴为每轴每侧双轮胎并装备空气悬架" : "",
		 in->refrigerated ? "，冷藏车" : "");
}

static int mass_limit(struct calc *c, struct zf_error *err)
{
	const struct overload_input *in = c->in;
	struct overload_result *res = c->res;
	const struct overload_limit_row *row = find_limit(c->r, OVERLOAD_MASS, in);
	const struct overload_limit_row *tyre = NULL;
	char veh[256];

	if (!row)
		return no_mass_limit(c->r, in, err);
	describe(c, veh);
	if (row->measure == OVERLOAD_LICENCE_MASS) {
		if (!in->has_licence_mass)
			return zf_fail(err, ZF_EINVAL, "required", "licence_mass_kg",
				       "%s以行驶证核定的总质量为限定标准，请给出行驶证核定的总质量",
				       row->label);
		if (in->single_tyre_axles)
			return zf_fail(err, ZF_EINVAL, "invalid_number", "single_tyre_axles",
				       "%s以行驶证核定的总质量为限定标准，不按单轮胎车轴减少",
				       row->label);
		res->base_limit_kg = res->limit_kg = in->licence_mass_kg;
		cite(c, row->basis);
		say_basis(c, row->basis, "%s以行驶证核定的总质量为限定标准；车辆为%s，"
			  "行驶证核定的总质量为%lld千克。", row->label, veh,
			  (long long)in->licence_mass_kg);
		return ZF_OK;
	}
	if (in->single_tyre_axles) {
		tyre = find_limit(c->r, OVERLOAD_SINGLE_TYRE, in);
		if (!tyre)
			return no_rule(in, "单轮胎车轴减少限定标准的规定", err);
		if (row->value <= tyre->value * in->single_tyre_axles)
			return zf_fail(err, ZF_EINVAL, "invalid_number", "single_tyre_axles",
				       "单轮胎车轴 %d 根，减少后限定标准不大于零，请核对",
				       in->single_tyre_axles);
	}
	res->base_limit_kg = row->value;
	res->limit_kg = row->value;
	cite(c, row->basis);
	say_basis(c, row->basis, "%s的车货总质量限定标准为%lld千克；车辆为%s，适用该标准。",
		  row->label, (long long)row->value, veh);
	if (tyre) {
		res->limit_kg -= tyre->value * in->single_tyre_axles;
		cite(c, tyre->basis);
		say_basis(c, tyre->basis, "%s每轴减少%lld千克；车辆有%d根车轴每侧为单轮胎"
			  "（驱动轴除外），限定标准减为%lld千克。", tyre->label,
			  (long long)tyre->value, in->single_tyre_axles,
			  (long long)res->limit_kg);
	}
	return ZF_OK;
}

static void weigh(struct calc *c)
{
	const struct overload_input *in = c->in;
	const struct overload_settings *s = c->s;
	struct overload_result *res = c->res;

	res->has_mass = true;
	res->mass_kg = in->mass_kg;
	if (!in->wim) {
		say(c, "实测车货总质量%lld千克（静态称重，不扣除计量误差）。",
		    (long long)in->mass_kg);
	} else {
		if (s->wim_tolerance_permille)
			res->tolerance_kg = (in->mass_kg * s->wim_tolerance_permille + 999) / 1000;
		else
			res->tolerance_kg = s->wim_tolerance_kg;
		res->mass_kg = in->mass_kg > res->tolerance_kg ?
			       in->mass_kg - res->tolerance_kg : 0;
		if (s->wim_tolerance_permille)
			say(c, "动态称重车货总质量%lld千克；本机构设置的动态称重计量误差为称重值的"
			    "千分之%lld（不足1千克按1千克计），计%lld千克，扣除后为%lld千克。",
			    (long long)in->mass_kg, (long long)s->wim_tolerance_permille,
			    (long long)res->tolerance_kg, (long long)res->mass_kg);
		else
			say(c, "动态称重车货总质量%lld千克；本机构设置的动态称重计量误差为%lld千克，"
			    "扣除后为%lld千克。", (long long)in->mass_kg,
			    (long long)res->tolerance_kg, (long long)res->mass_kg);
	}
	res->overweight = res->mass_kg > res->limit_kg;
	res->over_kg = res->overweight ? res->mass_kg - res->limit_kg : 0;
	if (res->overweight)
		say(c, "超过限定标准%lld千克，车货总质量超限。", (long long)res->over_kg);
	else
		say(c, "未超过限定标准%lld千克（超过限定标准才认定为超限），车货总质量不超限。",
		    (long long)res->limit_kg);
}

struct dim {
	const char *name;	/* in a band sentence */
	const char *field;
	enum overload_measure m;
	bool has;
	int64_t mm;
	int64_t *limit;
	const struct overload_limit_row *row;
	bool over;
};

static int dimensions(struct calc *c, struct dim d[3], struct zf_error *err)
{
	const struct overload_input *in = c->in;
	struct overload_result *res = c->res;
	static const char *const names[] = {"车货总高度从地面算起", "总宽度", "总长度"};

	d[0] = (struct dim){names[0], "height_m", OVERLOAD_HEIGHT, in->has_height,
			    in->height_mm, &res->height_limit_mm, NULL, false};
	d[1] = (struct dim){names[1], "width_m", OVERLOAD_WIDTH, in->has_width,
			    in->width_mm, &res->width_limit_mm, NULL, false};
	d[2] = (struct dim){names[2], "length_m", OVERLOAD_LENGTH, in->has_length,
			    in->length_mm, &res->length_limit_mm, NULL, false};
	for (int i = 0; i < 3; i++) {
		char v[32], lim[32], diff[32];

		d[i].row = find_limit(c->r, d[i].m, in);
		if (!d[i].row)
			return no_rule(in, "车货外廓尺寸限定标准", err);
		*d[i].limit = d[i].row->value;
		if (!d[i].has)
			continue;
		d[i].over = d[i].mm > d[i].row->value;
		res->oversize = res->oversize || d[i].over;
		metres(d[i].mm, v);
		metres(d[i].row->value, lim);
		metres(d[i].over ? d[i].mm - d[i].row->value : 0, diff);
		cite(c, d[i].row->basis);
		if (d[i].over)
			say_basis(c, d[i].row->basis, "%s的限定标准为%s米；实测%s米，超过%s米。",
				  d[i].row->label, lim, v, diff);
		else
			say_basis(c, d[i].row->basis, "%s的限定标准为%s米；实测%s米，未超过。",
				  d[i].row->label, lim, v);
	}
	return ZF_OK;
}

/* Art. 43 para 1 (1): the lightest band whose every bound holds. */
static const struct overload_penalty_row *dim_band(struct calc *c,
						   const struct dim d[3], int *index,
						   const struct overload_penalty_row **below)
{
	const struct overload_rules *r = c->r;

	*index = 0;
	*below = NULL;
	for (size_t i = 0; i < r->npenalties; i++) {
		const struct overload_penalty_row *b = &r->penalties[i];
		int64_t bound[3] = {b->height_mm, b->width_mm, b->length_mm};
		bool fits = true;

		if (b->rule != OVERLOAD_DIM_BAND || !in_force(b->from, b->to, c->in->date))
			continue;
		++*index;
		if (!bounded(b))
			return b;
		for (int k = 0; k < 3; k++)
			if (d[k].has && d[k].mm > bound[k])
				fits = false;
		if (fits)
			return b;
		*below = b;
	}
	return NULL;
}

static void say_range(char *out, size_t size, bool may, int64_t min, int64_t max)
{
	if (min == max)
		snprintf(out, size, "%s处%lld元罚款", may ? "可以" : "", (long long)max);
	else if (min == 0)
		snprintf(out, size, "%s处%lld元以下罚款", may ? "可以" : "", (long long)max);
	else
		snprintf(out, size, "%s处%lld元以上%lld元以下罚款", may ? "可以" : "",
			 (long long)min, (long long)max);
}

static int dim_penalty(struct calc *c, const struct dim d[3], int64_t *min,
		       int64_t *max, bool *may, struct zf_error *err)
{
	const struct overload_penalty_row *below, *b = dim_band(c, d, &c->res->dim_band, &below);
	char cond[512] = "", range[128], unmeasured[128] = "";
	size_t n = 0;

	if (!b)
		return no_rule(c->in, "外廓尺寸超限的处罚标准", err);
	if (bounded(b)) {
		char h[32], w[32], l[32];

		metres(b->height_mm, h);
		metres(b->width_mm, w);
		metres(b->length_mm, l);
		snprintf(cond, sizeof(cond), "车货总高度从地面算起未超过%s米、总宽度未超过%s米"
			 "且总长度未超过%s米", h, w, l);
	} else if (below) {
		int64_t bound[3] = {below->height_mm, below->width_mm, below->length_mm};

		for (int k = 0; k < 3; k++) {
			char m[32];

			if (!d[k].has || d[k].mm <= bound[k])
				continue;
			metres(bound[k], m);
			n += (size_t)snprintf(cond + n, sizeof(cond) - n, "%s%s超过%s米",
					      n ? "、" : "", d[k].name, m);
		}
	}
	for (int k = 0, u = 0; k < 3; k++)
		if (!d[k].has)
			u += snprintf(unmeasured + u, sizeof(unmeasured) - (size_t)u, "%s%s",
				      u ? "、" : "", d[k].name);
	*min = b->min_yuan;
	*max = b->max_yuan;
	*may = b->may;
	say_range(range, sizeof(range), b->may, b->min_yuan, b->max_yuan);
	cite(c, b->basis);
	say_basis(c, b->basis, "外廓尺寸超限%s%s的，%s（第%d档）。", cond[0] ? "，" : "",
		  cond, range, c->res->dim_band);
	if (unmeasured[0])
		say(c, "%s未测量，分档时按未超过各档上限计。", unmeasured);
	return ZF_OK;
}

static int mass_penalty(struct calc *c, int64_t *fine, struct zf_error *err)
{
	struct overload_result *res = c->res;
	const struct overload_penalty_row *w = find_rule(c->r, OVERLOAD_MASS_WARNING, c->in->date);
	const struct overload_penalty_row *f = find_rule(c->r, OVERLOAD_MASS_FINE, c->in->date);
	int64_t over = res->over_kg, units, raw;

	if (!w || !f)
		return no_rule(c->in, "车货总质量超限的处罚标准", err);
	if (over <= w->over_kg) {
		res->mass_warning = true;
		cite(c, w->basis);
		say_basis(c, w->basis, "车货总质量超过限定标准，但未超过%lld千克的，予以警告；"
			  "本车超过%lld千克，予以警告。", (long long)w->over_kg, (long long)over);
		*fine = 0;
		return ZF_OK;
	}
	cite(c, f->basis);
	say_basis(c, f->basis, "超限质量超过%lld千克的，每超%lld千克罚款%lld元，"
		  "最高不得超过%lld元。", (long long)w->over_kg, (long long)f->per_kg,
		  (long long)f->yuan, (long long)f->max_yuan);
	switch (c->s->part_tonne) {
	case OVERLOAD_ROUND_UP:
		units = (over + f->per_kg - 1) / f->per_kg;
		say(c, "不足%lld千克的部分如何计算，本机构设置为“按超限总质量计算，不足%lld千克的"
		    "部分按%lld千克计”（round_up）：超限%lld千克计%lld个%lld千克。",
		    (long long)f->per_kg, (long long)f->per_kg, (long long)f->per_kg,
		    (long long)over, (long long)units, (long long)f->per_kg);
		break;
	case OVERLOAD_OVER_WARNING_BAND:
		units = (over - w->over_kg + f->per_kg - 1) / f->per_kg;
		say(c, "不足%lld千克的部分如何计算，本机构设置为“只计超过警告幅度%lld千克的部分，"
		    "不足%lld千克的部分按%lld千克计”（excess_over_warning_band）：超过警告幅度"
		    "%lld千克，计%lld个%lld千克。", (long long)f->per_kg, (long long)w->over_kg,
		    (long long)f->per_kg, (long long)f->per_kg, (long long)(over - w->over_kg),
		    (long long)units, (long long)f->per_kg);
		break;
	default:
		units = over / f->per_kg;
		say(c, "不足%lld千克的部分如何计算，本机构设置为“按超限总质量计整%lld千克数，"
		    "不足%lld千克的部分不计”（whole_tonnes_of_total_excess）：超限%lld千克计"
		    "%lld个%lld千克。", (long long)f->per_kg, (long long)f->per_kg,
		    (long long)f->per_kg, (long long)over, (long long)units,
		    (long long)f->per_kg);
		break;
	}
	res->mass_units = units;
	raw = units * f->yuan;
	*fine = raw < f->max_yuan ? raw : f->max_yuan;
	if (raw > f->max_yuan)
		say(c, "按每%lld千克%lld元计为%lld元，超过最高%lld元，罚款%lld元。",
		    (long long)f->per_kg, (long long)f->yuan, (long long)raw,
		    (long long)f->max_yuan, (long long)*fine);
	else
		say(c, "按每%lld千克%lld元计，罚款%lld元。", (long long)f->per_kg,
		    (long long)f->yuan, (long long)*fine);
	return ZF_OK;
}

static void cap(struct calc *c, const struct overload_penalty_row *row,
		const char *why)
{
	struct overload_result *res = c->res;

	cite(c, row->basis);
	if (res->max_yuan <= row->max_yuan) {
		say_basis(c, row->basis, "%s最高不得超过%lld元，未超过。", why,
			  (long long)row->max_yuan);
		return;
	}
	say_basis(c, row->basis, "%s最高不得超过%lld元，按%lld元计。", why,
		  (long long)row->max_yuan, (long long)row->max_yuan);
	res->max_yuan = row->max_yuan;
	if (res->min_yuan > row->max_yuan)
		res->min_yuan = row->max_yuan;
}

static int penalty(struct calc *c, const struct dim d[3], struct zf_error *err)
{
	struct overload_result *res = c->res;
	const struct overload_penalty_row *statute, *combined = NULL;
	int64_t dmin = 0, dmax = 0, mfine = 0;
	bool may = false;
	char range[128];
	int rc;

	if (!res->overweight && !res->oversize) {
		if (c->in->has_mass || c->in->has_height || c->in->has_width ||
		    c->in->has_length)
			say(c, "车辆未超限，不予处罚。");
		return ZF_OK;
	}
	statute = find_rule(c->r, OVERLOAD_STATUTE_CAP, c->in->date);
	if (!statute)
		return no_rule(c->in, "超限运输的罚款上限规定", err);
	if (res->overweight && res->oversize &&
	    !(combined = find_rule(c->r, OVERLOAD_COMBINED_CAP, c->in->date)))
		return no_rule(c->in, "多项超限违法行为罚款累计的规定", err);
	if (res->overweight) {
		res->violations[0] = "overload_mass";
		if ((rc = mass_penalty(c, &mfine, err)))
			return rc;
		res->mass_fine_yuan = mfine;
	}
	if (res->oversize) {
		res->violations[res->overweight ? 1 : 0] = "overload_dimension";
		if ((rc = dim_penalty(c, d, &dmin, &dmax, &may, err)))
			return rc;
	}
	res->min_yuan = dmin + mfine;
	res->max_yuan = dmax + mfine;
	res->kind = res->max_yuan > 0 || res->oversize ? OVERLOAD_PENALTY_FINE :
		    OVERLOAD_PENALTY_WARNING;
	if (combined) {
		if (res->mass_warning)
			say(c, "车货总质量超限予以警告，外廓尺寸超限另处罚款，两项并处。");
		else
			say(c, "外廓尺寸超限和车货总质量超限并存，罚款数额累计为%lld元至%lld元。",
			    (long long)res->min_yuan, (long long)res->max_yuan);
		cap(c, combined, "有多项违法行为的，相应罚款数额累计，累计罚款数额");
	}
	if (res->kind == OVERLOAD_PENALTY_WARNING) {
		cite(c, statute->basis);
		say(c, "综上，予以警告。");
		return ZF_OK;
	}
	cap(c, statute, "超限车辆在公路上行驶的，罚款");
	say_range(range, sizeof(range), may && !mfine, res->min_yuan, res->max_yuan);
	say(c, "综上，%s%s。", res->mass_warning ? "予以警告，并" : "", range);
	return ZF_OK;
}

int overload_check(const struct overload_rules *r, const struct overload_input *in,
		   const struct overload_settings *s, struct overload_result *res,
		   struct zf_error *err)
{
	struct calc c = {.r = r, .in = in, .s = s, .res = res};
	struct dim d[3];
	int rc;

	memset(res, 0, sizeof(*res));
	if ((rc = check_input(in, s, err)) || (rc = mass_limit(&c, err)))
		goto out;
	if (in->has_mass)
		weigh(&c);
	if ((rc = dimensions(&c, d, err)))
		goto out;
	if (!in->has_mass && !in->has_height && !in->has_width && !in->has_length)
		say(&c, "未提供车货总质量和外廓尺寸的测量数据，仅给出限定标准。");
	rc = penalty(&c, d, err);
out:
	if (!rc && c.rc)
		rc = c.rc;
	if (rc == ZF_ENOMEM)
		no_memory(err);
	if (rc) {
		strlist_free(c.explain.v, c.explain.n);
		strlist_free(c.basis.v, c.basis.n);
		memset(res, 0, sizeof(*res));
		return rc;
	}
	res->explain = c.explain.v;
	res->nexplain = c.explain.n;
	res->basis = c.basis.v;
	res->nbasis = c.basis.n;
	return ZF_OK;
}

void overload_result_release(struct overload_result *res)
{
	strlist_free(res->explain, res->nexplain);
	strlist_free(res->basis, res->nbasis);
	memset(res, 0, sizeof(*res));
}

static json_t *strings(char **v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < n; i++)
		if (json_array_append_new(a, json_string(v[i]))) {
			json_decref(a);
			return NULL;
		}
	return a;
}

json_t *overload_result_to_json(const struct overload_result *res)
{
	json_t *over = res->has_mass ? json_integer(res->over_kg) : json_null();

	return json_pack("{sI so sb sb s{ss sI sI} so so}",
			 "limit_kg", (json_int_t)res->limit_kg,
			 "over_kg", over,
			 "overweight", res->overweight,
			 "oversize", res->oversize,
			 "penalty", "kind", overload_penalty_kind_code(res->kind),
			 "min_yuan", (json_int_t)res->min_yuan,
			 "max_yuan", (json_int_t)res->max_yuan,
			 "basis", strings(res->basis, res->nbasis),
			 "explain", strings(res->explain, res->nexplain));
}
