/*
 * wim.c: one weigh-in-motion CSV line -> struct wim_record
 * (docs/wim-csv.md); see wim.h.  Classification is in wim_classify.c,
 * walking a file in wim_scan.c.
 *
 * The parser has two halves.  The hot half reads a line once, left to
 * right, each column consuming its own bytes and the comma after them,
 * and answers only "good" (with the record) or "not good".  The cold half
 * runs only for a refused line: it splits the line, re-runs the same column
 * readers on each column alone to find the first one that fails, and says
 * why in Chinese.  Because both halves use the same readers they cannot
 * disagree about which lines are good.
 *
 * The plate is the one column whose full check (ids_plate_check, with its
 * UTF-8 walk and messages: about 70 ns, as much as the rest of the line) is
 * too slow to run 10^7 times: the hot half accepts the common shapes
 * (province + upper-case letters and digits) itself and hands anything else
 * (lower case, 挂/学/警/港/澳, errors) to ids_plate_check.  The unit tests
 * check that the two agree.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wim_int.h"

#define SHOW_BYTES 48	/* input bytes of a column quoted at most */

const char *const wim_col_names[] = {
	"row", "station", "time", "lane", "plate", "plate_colour", "axles",
	"config", "gross_kg", "speed_kmh", "image_sha256", "video_sha256",
};

static const char *const col_labels[] = {
	"行", "称重站点", "称重时间", "车道", "号牌号码", "号牌颜色", "轴数",
	"车辆类型", "车货总质量", "车速", "图像 SHA-256 摘要", "视频 SHA-256 摘要",
};

static const struct {
	const char *code;
	size_t len;
	enum wim_plate_colour colour;
} colours[] = {
	{"yellow", 6, WIM_YELLOW},
	{"blue", 4, WIM_BLUE},
	{"green", 5, WIM_GREEN},
	{"yellow_green", 12, WIM_YELLOW_GREEN},
	{"white", 5, WIM_WHITE},
	{"black", 5, WIM_BLACK},
};

const char *wim_plate_colour_code(enum wim_plate_colour c)
{
	for (size_t i = 0; i < ZF_ARRAY_LEN(colours); i++)
		if (colours[i].colour == c)
			return colours[i].code;
	ZF_BUG("unknown plate colour %d", (int)c);
}

/* ---- the hot half: column readers ---------------------------------------
 *
 * Each reader takes the cursor *pp and the end of the line e, checks its
 * column, writes the record, and moves *pp past the comma that ends the
 * column (the last column must end at e).  It returns false, leaving *pp
 * anywhere, for a column that is not good.
 */

static inline unsigned digit(char c)
{
	return (unsigned)((unsigned char)c - '0');
}

static inline bool is_station_char(unsigned char c)
{
	return (unsigned)((c | 0x20) - 'a') < 26 || (unsigned)(c - '0') < 10 ||
	       c == '-' || c == '_' || c == '.' || c == '+';
}

static inline bool read_station(const char **pp, const char *e, struct wim_record *r)
{
	const char *p = *pp;
	size_t n = 0;

	while (p + n < e && n <= WIM_STATION_MAX && is_station_char((unsigned char)p[n]))
		n++;
	if (n == 0 || n > WIM_STATION_MAX || p + n >= e || p[n] != ',')
		return false;
	memcpy(r->station, p, n);
	r->station[n] = '\0';
	*pp = p + n + 1;
	return true;
}

static inline bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static inline int days_in_month(int y, int m)
{
	static const unsigned char dim[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && is_leap(y) ? 29 : dim[m];
}

/* Days since 1970-01-01 of a valid date with y >= 1 (H. Hinnant's
 * days_from_civil). */
static inline int64_t civil_days(int y, int m, int d)
{
	int64_t yy = y - (m <= 2);
	int64_t era = yy / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

/*
 * YYYY-MM-DDTHH:MM:SS[.f{1,6}](Z|+HH:MM|-HH:MM): instant_parse's syntax
 * without its bare-date form and with at most 6 fraction digits.
 */
static inline bool read_time(const char **pp, const char *e, int64_t *us)
{
	const char *p = *pp, *q;
	unsigned y0, y1, y2, y3, m0, m1, d0, d1, h0, h1, i0, i1, s0, s1;
	int y, m, d, hh, mi, ss;
	int64_t frac = 0, off = 0;

	/* the shortest good column: 19 + "Z" + "," */
	if (e - p < 21)
		return false;
	y0 = digit(p[0]), y1 = digit(p[1]), y2 = digit(p[2]), y3 = digit(p[3]);
	m0 = digit(p[5]), m1 = digit(p[6]), d0 = digit(p[8]), d1 = digit(p[9]);
	h0 = digit(p[11]), h1 = digit(p[12]), i0 = digit(p[14]), i1 = digit(p[15]);
	s0 = digit(p[17]), s1 = digit(p[18]);
	if (((y0 > 9) | (y1 > 9) | (y2 > 9) | (y3 > 9) | (m0 > 9) | (m1 > 9) |
	     (d0 > 9) | (d1 > 9) | (h0 > 9) | (h1 > 9) | (i0 > 9) | (i1 > 9) |
	     (s0 > 9) | (s1 > 9)) ||
	    p[4] != '-' || p[7] != '-' || p[10] != 'T' || p[13] != ':' || p[16] != ':')
		return false;
	y = (int)(y0 * 1000 + y1 * 100 + y2 * 10 + y3);
	m = (int)(m0 * 10 + m1);
	d = (int)(d0 * 10 + d1);
	hh = (int)(h0 * 10 + h1);
	mi = (int)(i0 * 10 + i1);
	ss = (int)(s0 * 10 + s1);
	if (y < WIM_YEAR_MIN || y > WIM_YEAR_MAX || m < 1 || m > 12 || d < 1 ||
	    d > days_in_month(y, m) || hh > 23 || mi > 59 || ss > 59)
		return false;
	q = p + 19;
	if (*q == '.') {
		static const int64_t scale[7] = {0, 100000, 10000, 1000, 100, 10, 1};
		int n = 0;

		q++;
		while (q < e && n < 7 && digit(*q) <= 9) {
			frac = frac * 10 + digit(*q);
			q++;
			n++;
		}
		if (n == 0 || n > 6)
			return false;
		frac *= scale[n];
	}
	if (q < e && *q == 'Z') {
		q++;
	} else if (e - q >= 6 && (*q == '+' || *q == '-') && q[3] == ':') {
		unsigned a = digit(q[1]), b = digit(q[2]), c = digit(q[4]), f = digit(q[5]);
		int oh = (int)(a * 10 + b), om = (int)(c * 10 + f);

		if (a > 9 || b > 9 || c > 9 || f > 9 || oh > 14 || om > 59)
			return false;
		off = (int64_t)(oh * 3600 + om * 60) * (*q == '-' ? -1 : 1);
		q += 6;
	} else {
		return false;
	}
	if (q >= e || *q != ',')
		return false;
	*us = ((civil_days(y, m, d) * 86400 + hh * 3600 + mi * 60 + ss) - off) *
		      1000000 + frac;
	*pp = q + 1;
	return true;
}

/* An unsigned decimal of 1..maxd digits without a leading zero, then ','. */
static inline bool read_uint(const char **pp, const char *e, int maxd, int64_t *v)
{
	const char *p = *pp;
	int64_t x = 0;
	int n = 0;

	while (p < e && n <= maxd && digit(*p) <= 9) {
		x = x * 10 + digit(*p);
		p++;
		n++;
	}
	if (n == 0 || n > maxd || (n > 1 && **pp == '0') || p >= e || *p != ',')
		return false;
	*v = x;
	*pp = p + 1;
	return true;
}

/*
 * The first character of a plate: the code point of a 3-byte UTF-8
 * sequence at p (0 if it is not one) tested against the 31 province
 * abbreviations of law.md §8.3 (the list in ids.c).
 */
static inline bool is_province_at(const unsigned char *p)
{
	unsigned cp;

	if ((p[0] & 0xF0) != 0xE0 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
		return false;
	cp = ((unsigned)(p[0] & 0x0F) << 12) | ((unsigned)(p[1] & 0x3F) << 6) |
	     (unsigned)(p[2] & 0x3F);
	switch (cp) {
	case 0x4EAC: /* 京 */ case 0x6D25: /* 津 */ case 0x5180: /* 冀 */
	case 0x664B: /* 晋 */ case 0x8499: /* 蒙 */ case 0x8FBD: /* 辽 */
	case 0x5409: /* 吉 */ case 0x9ED1: /* 黑 */ case 0x6CAA: /* 沪 */
	case 0x82CF: /* 苏 */ case 0x6D59: /* 浙 */ case 0x7696: /* 皖 */
	case 0x95FD: /* 闽 */ case 0x8D63: /* 赣 */ case 0x9C81: /* 鲁 */
	case 0x8C6B: /* 豫 */ case 0x9102: /* 鄂 */ case 0x6E58: /* 湘 */
	case 0x7CA4: /* 粤 */ case 0x6842: /* 桂 */ case 0x743C: /* 琼 */
	case 0x6E1D: /* 渝 */ case 0x5DDD: /* 川 */ case 0x8D35: /* 贵 */
	case 0x4E91: /* 云 */ case 0x85CF: /* 藏 */ case 0x9655: /* 陕 */
	case 0x7518: /* 甘 */ case 0x9752: /* 青 */ case 0x5B81: /* 宁 */
	case 0x65B0: /* 新 */
		return true;
	}
	return false;
}

/* GA 36-2018 serial classes of ids.c, upper case only. */
static inline bool plate_letter(char c)
{
	return c >= 'A' && c <= 'Z' && c != 'I' && c != 'O';
}

static inline bool plate_alnum(char c)
{
	return plate_letter(c) || digit(c) <= 9;
}

static inline bool nev_type(char c)
{
	return (c >= 'A' && c <= 'H') || c == 'J' || c == 'K';
}

/*
 * The shapes nearly every plate has, after the province: ordinary
 * L X X X X X, small new-energy L N X D D D D, large new-energy
 * L D D D D D T (T = D or F).
 */
static inline bool plate_fast(const char *s, size_t n)
{
	if (n == 6)
		return plate_letter(s[0]) && plate_alnum(s[1]) && plate_alnum(s[2]) &&
		       plate_alnum(s[3]) && plate_alnum(s[4]) && plate_alnum(s[5]);
	if (n != 7 || !plate_letter(s[0]))
		return false;
	if (digit(s[1]) <= 9)
		return digit(s[2]) <= 9 && digit(s[3]) <= 9 && digit(s[4]) <= 9 &&
		       digit(s[5]) <= 9 && (s[6] == 'D' || s[6] == 'F');
	return nev_type(s[1]) && plate_alnum(s[2]) && digit(s[3]) <= 9 &&
	       digit(s[4]) <= 9 && digit(s[5]) <= 9 && digit(s[6]) <= 9;
}

/* Longest plate column passed to ids_plate_check: 8 characters of 4 bytes. */
#define PLATE_COL_MAX 32

/* The full check on a NUL-terminated copy (when it can be made faithfully). */
static bool plate_slow(const char *p, size_t n, char out[IDS_NORM_MAX],
		       struct zf_error *err)
{
	char buf[PLATE_COL_MAX + 1];
	struct ids_plate pl;

	if (n == 0 || n > PLATE_COL_MAX || memchr(p, '\0', n))
		return false;
	memcpy(buf, p, n);
	buf[n] = '\0';
	if (ids_plate_check(buf, &pl, wim_col_names[WIM_COL_PLATE], err) != ZF_OK)
		return false;
	zf_strlcpy(out, pl.text, IDS_NORM_MAX);
	return true;
}

static inline bool read_plate(const char **pp, const char *e, struct wim_record *r)
{
	const char *p = *pp;
	const char *c = memchr(p, ',', (size_t)(e - p));
	size_t n;

	if (!c)
		return false;
	n = (size_t)(c - p);
	if (WIM_LIKELY(n >= 3 && n < IDS_NORM_MAX && is_province_at((const unsigned char *)p) &&
		   plate_fast(p + 3, n - 3))) {
		memcpy(r->plate, p, n);
		r->plate[n] = '\0';
	} else if (!plate_slow(p, n, r->plate, NULL)) {
		return false;
	}
	*pp = c + 1;
	return true;
}

static inline bool read_colour(const char **pp, const char *e, struct wim_record *r)
{
	const char *p = *pp;
	const char *c = memchr(p, ',', (size_t)(e - p));
	size_t n;

	if (!c)
		return false;
	n = (size_t)(c - p);
	for (size_t i = 0; i < ZF_ARRAY_LEN(colours); i++)
		if (n == colours[i].len && memcmp(p, colours[i].code, n) == 0) {
			r->plate_colour = colours[i].colour;
			*pp = c + 1;
			return true;
		}
	return false;
}

static inline bool read_axles(const char **pp, const char *e, struct wim_record *r)
{
	const char *p = *pp;
	unsigned a;

	if (e - p < 2 || p[1] != ',')
		return false;
	a = digit(p[0]);
	if (a < WIM_AXLES_MIN || a > WIM_AXLES_MAX)
		return false;
	r->axles = (int)a;
	*pp = p + 2;
	return true;
}

static inline bool read_config(const char **pp, const char *e, struct wim_record *r)
{
	const char *p = *pp;

	if (e - p < 6)
		return false;
	if (memcmp(p, "train,", 6) == 0)
		r->config = OVERLOAD_TRAIN;
	else if (memcmp(p, "truck,", 6) == 0)
		r->config = OVERLOAD_TRUCK;
	else
		return false;
	*pp = p + 6;
	return true;
}

/*
 * 64 hex digits (either case, stored in lower case) or nothing.  The last
 * column ends at e, the others at a comma.
 */
static inline bool read_hash(const char **pp, const char *e, bool last, char out[WIM_HASH_HEX + 1])
{
	const char *p = *pp;
	unsigned bad = 0;

	if (last ? p == e : p < e && *p == ',') {
		out[0] = '\0';
		*pp = p + !last;
		return true;
	}
	if (e - p < WIM_HASH_HEX + !last)
		return false;
	for (int i = 0; i < WIM_HASH_HEX; i++) {
		unsigned char c = (unsigned char)p[i];
		unsigned char lc = c | 0x20;

		bad |= !((unsigned)(c - '0') < 10 || (unsigned)(lc - 'a') < 6);
		out[i] = (char)lc;
	}
	out[WIM_HASH_HEX] = '\0';
	p += WIM_HASH_HEX;
	if (bad || (last ? p != e : *p != ','))
		return false;
	*pp = p + !last;
	return true;
}

/* Every column in order; true when the whole line [p, e) is good. */
static inline bool read_line(const char *p, const char *e, struct wim_record *r)
{
	int64_t v;

	if (!read_station(&p, e, r) || !read_time(&p, e, &r->time_us))
		return false;
	if (!read_uint(&p, e, 2, &v) || v < 1 || v > WIM_LANE_MAX)
		return false;
	r->lane = (int)v;
	if (!read_plate(&p, e, r) || !read_colour(&p, e, r) || !read_axles(&p, e, r) ||
	    !read_config(&p, e, r))
		return false;
	if (!read_uint(&p, e, 6, &v) || v < WIM_GROSS_MIN_KG || v > WIM_GROSS_MAX_KG)
		return false;
	r->gross_kg = v;
	if (!read_uint(&p, e, 3, &v) || v > WIM_SPEED_MAX_KMH)
		return false;
	r->speed_kmh = (int)v;
	return read_hash(&p, e, false, r->image_sha256) &&
	       read_hash(&p, e, true, r->video_sha256);
}

/* ---- the cold half: saying why ----------------------------------------- */

struct span {
	const char *p;
	size_t n;
};

/* Bytes of a well-formed UTF-8 sequence at p (RFC 3629), else 0. */
static size_t utf8_seq(const unsigned char *p, size_t avail)
{
	unsigned char lo = 0x80, hi = 0xBF;
	size_t n;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xC2 && p[0] <= 0xDF)
		n = 2;
	else if (p[0] >= 0xE0 && p[0] <= 0xEF)
		n = 3;
	else if (p[0] >= 0xF0 && p[0] <= 0xF4)
		n = 4;
	else
		return 0;
	if (n > avail)
		return 0;
	if (p[0] == 0xE0)
		lo = 0xA0;
	else if (p[0] == 0xED)
		hi = 0x9F;
	else if (p[0] == 0xF0)
		lo = 0x90;
	else if (p[0] == 0xF4)
		hi = 0x8F;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	return n;
}

void wim_show(const char *p, size_t n, size_t max, char out[WIM_SHOW_MAX])
{
	const unsigned char *u = (const unsigned char *)p;
	size_t i = 0, o = 0, lim = n < max ? n : max;

	while (i < lim && o + 8 < WIM_SHOW_MAX) {
		size_t k = utf8_seq(u + i, n - i);

		if (k == 1 && (u[i] < 0x20 || u[i] == 0x7F))
			k = 0;
		if (k == 0) {
			o += (size_t)snprintf(out + o, WIM_SHOW_MAX - o, "\\x%02X", u[i]);
			i++;
			continue;
		}
		memcpy(out + o, u + i, k);
		o += k;
		i += k;
	}
	if (i < n && o + 4 <= WIM_SHOW_MAX) {
		memcpy(out + o, "\xe2\x80\xa6", 3); /* … */
		o += 3;
	}
	out[o] = '\0';
}

static void show(struct span v, char out[WIM_SHOW_MAX])
{
	wim_show(v.p, v.n, SHOW_BYTES, out);
}

int wim_fail(struct wim_error *err, enum wim_column col, const char *code,
	     const char *fmt, ...)
{
	char msg[sizeof(err->err.message)];
	va_list ap;

	if (!err)
		return ZF_EINVAL;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	err->column = col;
	if (col == WIM_COL_ROW)
		zf_fail(&err->err, ZF_EINVAL, code, wim_col_names[col], "该行%s", msg);
	else
		zf_fail(&err->err, ZF_EINVAL, code, wim_col_names[col], "%s（%s）%s",
			wim_col_names[col], col_labels[col], msg);
	return ZF_EINVAL;
}

/* Run the hot reader of column col on v alone. */
static bool column_good(int col, struct span v)
{
	char buf[WIM_LINE_MAX + 2];
	struct wim_record r;
	const char *p = buf, *e;
	int64_t x;

	if (v.n > WIM_LINE_MAX)
		return false;
	memcpy(buf, v.p, v.n);
	buf[v.n] = ',';
	e = buf + v.n + (col != WIM_COL_VIDEO);
	switch (col) {
	case WIM_COL_STATION:
		return read_station(&p, e, &r) && p == e;
	case WIM_COL_TIME:
		return read_time(&p, e, &r.time_us) && p == e;
	case WIM_COL_LANE:
		return read_uint(&p, e, 2, &x) && p == e && x >= 1 && x <= WIM_LANE_MAX;
	case WIM_COL_PLATE:
		return read_plate(&p, e, &r) && p == e;
	case WIM_COL_COLOUR:
		return read_colour(&p, e, &r) && p == e;
	case WIM_COL_AXLES:
		return read_axles(&p, e, &r) && p == e;
	case WIM_COL_CONFIG:
		return read_config(&p, e, &r) && p == e;
	case WIM_COL_GROSS:
		return read_uint(&p, e, 6, &x) && p == e && x >= WIM_GROSS_MIN_KG &&
		       x <= WIM_GROSS_MAX_KG;
	case WIM_COL_SPEED:
		return read_uint(&p, e, 3, &x) && p == e && x <= WIM_SPEED_MAX_KMH;
	case WIM_COL_IMAGE:
		return read_hash(&p, e, false, r.image_sha256) && p == e;
	case WIM_COL_VIDEO:
		return read_hash(&p, e, true, r.video_sha256) && p == e;
	}
	ZF_BUG("unknown column %d", col);
}

/* What is wrong with a time column that read_time refused. */
static const char *time_reason(struct span v)
{
	const char *s = v.p;
	size_t n = v.n, i;
	int y, m, d;

	if (n < 19)
		return "不完整";
	for (i = 0; i < 19; i++) {
		bool want_digit = !(i == 4 || i == 7 || i == 10 || i == 13 || i == 16);

		if (want_digit != (digit(s[i]) <= 9))
			break;
	}
	if (i < 19 || s[4] != '-' || s[7] != '-' || s[13] != ':' || s[16] != ':')
		return "格式不对";
	if (s[10] != 'T')
		return "日期和时刻之间应为字母 T";
	y = (int)(digit(s[0]) * 1000 + digit(s[1]) * 100 + digit(s[2]) * 10 + digit(s[3]));
	m = (int)(digit(s[5]) * 10 + digit(s[6]));
	d = (int)(digit(s[8]) * 10 + digit(s[9]));
	if (y < WIM_YEAR_MIN || y > WIM_YEAR_MAX)
		return "年份应在 2000 至 2099 之间";
	if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return "日期不存在";
	if (digit(s[11]) * 10 + digit(s[12]) > 23 || digit(s[14]) * 10 + digit(s[15]) > 59 ||
	    digit(s[17]) * 10 + digit(s[18]) > 59)
		return "时刻不存在";
	i = 19;
	if (i < n && s[i] == '.') {
		size_t k = ++i;

		while (i < n && digit(s[i]) <= 9)
			i++;
		if (i == k || i - k > 6)
			return "秒的小数部分应为 1 至 6 位数字";
	}
	if (i == n)
		return "缺少时区偏移（Z 或 +08:00）";
	if (s[i] == 'Z')
		return "时区偏移 Z 之后有多余的字符";
	if (n - i >= 6 && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':' &&
	    digit(s[i + 1]) <= 9 && digit(s[i + 2]) <= 9 && digit(s[i + 4]) <= 9 &&
	    digit(s[i + 5]) <= 9 && digit(s[i + 1]) * 10 + digit(s[i + 2]) <= 14 &&
	    digit(s[i + 4]) * 10 + digit(s[i + 5]) <= 59)
		return "时区偏移之后有多余的字符";
	return "时区偏移应为 Z 或 ±HH:MM（时不超过 14）";
}

/* Why column col (which column_good refused) is not good. */
static int column_error(int col, struct span v, struct wim_error *err)
{
	char shown[WIM_SHOW_MAX];
	struct zf_error pe;

	show(v, shown);
	switch (col) {
	case WIM_COL_STATION:
		if (v.n == 0)
			return wim_fail(err, col, "invalid_format", "为空");
		if (v.n > WIM_STATION_MAX)
			return wim_fail(err, col, "invalid_format", "过长：%zu 字节，至多 %d 字节",
				    v.n, WIM_STATION_MAX);
		return wim_fail(err, col, "invalid_format",
			    "“%s”含有不允许的字符（只允许字母、数字和 - _ . +）", shown);
	case WIM_COL_TIME:
		return wim_fail(err, col, "invalid_instant",
			    "“%s”无效：%s；应为带时区偏移的 ISO 8601 时间，"
			    "如 2025-03-01T10:00:00+08:00", shown, time_reason(v));
	case WIM_COL_LANE:
		return wim_fail(err, col, "invalid_number", "应为 1 至 %d 的整数，实际为“%s”",
			    WIM_LANE_MAX, shown);
	case WIM_COL_PLATE: {
		char norm[IDS_NORM_MAX];

		zf_error_clear(&pe);
		if (v.n == 0)
			return wim_fail(err, col, "invalid_plate", "为空");
		if (v.n > PLATE_COL_MAX || memchr(v.p, '\0', v.n))
			return wim_fail(err, col, "invalid_plate",
				    "“%s”不是机动车号牌（过长或含有空字符）", shown);
		if (plate_slow(v.p, v.n, norm, &pe))
			break;
		return wim_fail(err, col, "invalid_plate", "“%s”：%s", shown, pe.message);
	}
	case WIM_COL_COLOUR:
		return wim_fail(err, col, "unknown_code",
			    "应为 yellow、blue、green、yellow_green、white 或 black，实际为“%s”",
			    shown);
	case WIM_COL_AXLES:
		return wim_fail(err, col, "invalid_number", "应为 %d 至 %d 的整数，实际为“%s”",
			    WIM_AXLES_MIN, WIM_AXLES_MAX, shown);
	case WIM_COL_CONFIG:
		return wim_fail(err, col, "unknown_code",
			    "应为 truck（货车）或 train（汽车列车），实际为“%s”", shown);
	case WIM_COL_GROSS:
		return wim_fail(err, col, "invalid_number",
			    "应为 %d 至 %d 的整数（千克），实际为“%s”", WIM_GROSS_MIN_KG,
			    WIM_GROSS_MAX_KG, shown);
	case WIM_COL_SPEED:
		return wim_fail(err, col, "invalid_number",
			    "应为 0 至 %d 的整数（千米/小时），实际为“%s”", WIM_SPEED_MAX_KMH,
			    shown);
	case WIM_COL_IMAGE:
	case WIM_COL_VIDEO:
		if (v.n != WIM_HASH_HEX)
			return wim_fail(err, col, "invalid_format",
				    "应为 %d 位十六进制数字或留空，实际为 %zu 字节：“%s”",
				    WIM_HASH_HEX, v.n, shown);
		for (size_t i = 0; i < v.n; i++) {
			char one[WIM_SHOW_MAX];

			if (digit(v.p[i]) <= 9 || (unsigned)((v.p[i] | 0x20) - 'a') < 6)
				continue;
			show((struct span){v.p + i, 1}, one);
			return wim_fail(err, col, "invalid_format",
				    "第 %zu 位“%s”不是十六进制数字", i + 1, one);
		}
		break;
	}
	ZF_BUG("column %d refused without a reason", col);
}

/* The line [line, line+len) was refused by read_line: say why. */
static WIM_COLD int diagnose(const char *line, size_t len, struct wim_error *err)
{
	struct span f[WIM_COLUMNS + 1];
	const char *p = line, *e = line + len, *q;
	size_t nf = 0;

	if (!err)
		return ZF_EINVAL;
	memset(err, 0, sizeof(*err));
	if (len == 0)
		return wim_fail(err, WIM_COL_ROW, "invalid_format", "是空行");
	for (;;) {
		const char *c = memchr(p, ',', (size_t)(e - p));
		const char *end = c ? c : e;

		if (nf < ZF_ARRAY_LEN(f))
			f[nf] = (struct span){p, (size_t)(end - p)};
		nf++;
		if (!c)
			break;
		p = c + 1;
	}
	q = memchr(line, '"', len);
	if (q) {
		int col = 1;

		for (const char *s = line; s < q; s++)
			col += *s == ',';
		return wim_fail(err, col <= WIM_COLUMNS ? col : WIM_COL_ROW, "invalid_format",
			    "含有双引号：本格式的字段不加引号，字段中也不得含有逗号或双引号"
			    "（docs/wim-csv.md）");
	}
	if (nf != WIM_COLUMNS)
		return wim_fail(err, WIM_COL_ROW, "invalid_format",
			    "应为 %d 列（以英文逗号分隔），实际为 %zu 列", WIM_COLUMNS, nf);
	for (int col = WIM_COL_STATION; col <= WIM_COL_VIDEO; col++)
		if (!column_good(col, f[col - 1]))
			return column_error(col, f[col - 1], err);
	ZF_BUG("a refused line has no bad column");
}

int wim_parse_line(const char *line, size_t len, struct wim_record *out,
		   struct wim_error *err)
{
	if (len > 0 && line[len - 1] == '\r')
		len--;
	out->limit_kg = out->tolerance_kg = out->over_kg = 0;
	out->over = false;
	if (WIM_LIKELY(len <= WIM_LINE_MAX && read_line(line, line + len, out)))
		return ZF_OK;
	if (len > WIM_LINE_MAX) {
		if (err)
			memset(err, 0, sizeof(*err));
		return wim_fail(err, WIM_COL_ROW, "invalid_format", "过长：超过 %d 字节",
			    WIM_LINE_MAX);
	}
	return diagnose(line, len, err);
}
