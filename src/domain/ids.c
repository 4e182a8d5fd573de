/*
 * ids: resident ID numbers, unified social credit codes and motor-vehicle
 * plates (law.md §8).  See ids.h for the contract.
 *
 * Inputs are untrusted UTF-8 of any length (they come from forms, imports
 * and the fuzzer), so every loop is bounded by the NUL and every message
 * names positions in characters, not bytes.  A byte that is not valid UTF-8
 * counts as one character and is shown as \xNN, so no message ever carries
 * invalid UTF-8 on to the JSON layer.  The raw input is never copied into a
 * message: it may be long, and truncating it could split a character.
 */
#include <stdio.h>
#include <string.h>

#include "ids.h"

#define RID_LEN 18
#define USCC_LEN 18
#define PLATE_LEN 7	/* GA 36-2018 ordinary plate */
#define PLATE_NEV_LEN 8	/* GA 36-2018 new-energy plate */

/* Room for one shown character: 4 UTF-8 bytes, or "\xNN", plus NUL. */
#define SHOWN_MAX 8

#define RID_CODE "invalid_resident_id"
#define USCC_CODE "invalid_credit_code"
#define PLATE_CODE "invalid_plate"

const char *ids_kind_code(enum ids_kind k)
{
	switch (k) {
	case IDS_RESIDENT_ID:
		return "resident_id";
	case IDS_CREDIT_CODE:
		return "credit_code";
	case IDS_PLATE:
		return "plate";
	case IDS_UNKNOWN:
		break;
	}
	return "unknown";
}

const char *ids_plate_kind_code(enum ids_plate_kind k)
{
	switch (k) {
	case IDS_PLATE_ORDINARY:
		return "ordinary";
	case IDS_PLATE_TRAILER:
		return "trailer";
	case IDS_PLATE_SPECIAL:
		return "special";
	case IDS_PLATE_NEV_SMALL:
		return "nev_small";
	case IDS_PLATE_NEV_LARGE:
		return "nev_large";
	}
	ZF_BUG("unknown plate kind %d", (int)k);
}

/* Own helpers rather than <ctype.h>, whose answers depend on the locale. */
static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static char to_upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

static bool is_cont(unsigned char b)
{
	return (b & 0xC0) == 0x80;
}

/*
 * Bytes in the character at p (p[0] != NUL): the length of a well-formed
 * UTF-8 sequence (RFC 3629: no overlongs, surrogates or code points above
 * U+10FFFF), else 1.  Never reads past a NUL, since NUL is not a
 * continuation byte.
 */
static size_t char_len(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;
	unsigned char lo = 0x80, hi = 0xBF;
	size_t n;

	if (u[0] < 0x80)
		return 1;
	if (u[0] >= 0xC2 && u[0] <= 0xDF)
		n = 2;
	else if (u[0] >= 0xE0 && u[0] <= 0xEF)
		n = 3;
	else if (u[0] >= 0xF0 && u[0] <= 0xF4)
		n = 4;
	else
		return 1;
	if (u[0] == 0xE0)
		lo = 0xA0;
	else if (u[0] == 0xED)
		hi = 0x9F;
	else if (u[0] == 0xF0)
		lo = 0x90;
	else if (u[0] == 0xF4)
		hi = 0x8F;
	if (u[1] < lo || u[1] > hi)
		return 1;
	for (size_t i = 2; i < n; i++)
		if (!is_cont(u[i]))
			return 1;
	return n;
}

static size_t char_count(const char *s)
{
	size_t n = 0;

	for (const char *p = s; *p; p += char_len(p))
		n++;
	return n;
}

/* The character at p (len bytes) in a form fit for a message. */
static void show_char(const char *p, size_t len, char out[SHOWN_MAX])
{
	unsigned char b = (unsigned char)p[0];

	if (len > 1) {
		memcpy(out, p, len);
		out[len] = '\0';
	} else if (b > 0x20 && b < 0x7F) {
		out[0] = (char)b;
		out[1] = '\0';
	} else {
		snprintf(out, SHOWN_MAX, "\\x%02X", b);
	}
}

/* ---- 居民身份证号, GB 11643-1999 ---- */

/* 2^(18-i) mod 11 for positions i = 1..17 (law.md §8.1). */
static const int rid_weights[17] = {
	7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2,
};

char ids_resident_id_check_char(const char *first17)
{
	int sum = 0;

	if (!first17)
		return '\0';
	for (int i = 0; i < 17; i++) {
		if (!is_digit(first17[i]))
			return '\0';
		sum += (first17[i] - '0') * rid_weights[i];
	}
	return "10X98765432"[sum % 11];
}

static int read_digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

int ids_resident_id_check(const char *s, struct zf_date today,
			  char out[IDS_NORM_MAX], const char *field,
			  struct zf_error *err)
{
	char id[RID_LEN + 1];
	char shown[SHOWN_MAX];
	size_t pos = 1, nchars;
	struct zf_date birth;
	char want;

	if (!s || !*s)
		return zf_fail(err, ZF_EINVAL, RID_CODE, field, "身份证号为空");
	nchars = char_count(s);
	if (nchars != RID_LEN)
		return zf_fail(err, ZF_EINVAL, RID_CODE, field,
			       "身份证号应为18位，实际为%zu位", nchars);
	for (const char *p = s; *p; pos++) {
		size_t len = char_len(p);
		bool last = pos == RID_LEN;

		if (len == 1 &&
		    (is_digit(*p) || (last && to_upper(*p) == 'X'))) {
			id[pos - 1] = to_upper(*p);
		} else {
			show_char(p, len, shown);
			return zf_fail(
				err, ZF_EINVAL, RID_CODE, field,
				"第%zu位字符“%s”不允许（%s）", pos, shown,
				last ? "应为数字或 X" : "前17位应为数字");
		}
		p += len;
	}
	id[RID_LEN] = '\0';

	birth.y = read_digits(id + 6, 4);
	birth.m = read_digits(id + 10, 2);
	birth.d = read_digits(id + 12, 2);
	if (birth.y < 1900)
		return zf_fail(err, ZF_EINVAL, RID_CODE, field,
			       "出生年份 %04d 早于1900年", birth.y);
	if (!date_is_valid(birth.y, birth.m, birth.d))
		return zf_fail(
			err, ZF_EINVAL, RID_CODE, field,
			"出生日期 %04d-%02d-%02d 不是真实日期（第7至14位）",
			birth.y, birth.m, birth.d);
	if (date_cmp(birth, today) > 0) {
		char b[DATE_STR_LEN], t[DATE_STR_LEN];

		date_format(birth, b);
		date_format(today, t);
		return zf_fail(err, ZF_EINVAL, RID_CODE, field,
			       "出生日期 %s 晚于今天（%s）", b, t);
	}

	want = ids_resident_id_check_char(id);
	if (want != id[17])
		return zf_fail(err, ZF_EINVAL, RID_CODE, field,
			       "校验码应为 %c，实际为 %c", want, id[17]);
	if (out)
		memcpy(out, id, sizeof(id));
	return ZF_OK;
}

/* ---- 统一社会信用代码, GB 32100-2015 ---- */

/* Each character's value is its index; I, O, S, V and Z are not used. */
static const char uscc_charset[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* 3^(i-1) mod 31 for positions i = 1..17 (law.md §8.2). */
static const int uscc_weights[17] = {
	1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
};

/* The value of an upper-case code character, or -1. */
static int uscc_value(char c)
{
	const char *hit;

	if (c == '\0')
		return -1;
	hit = memchr(uscc_charset, c, sizeof(uscc_charset) - 1);
	return hit ? (int)(hit - uscc_charset) : -1;
}

char ids_credit_code_check_char(const char *first17)
{
	int sum = 0;

	if (!first17)
		return '\0';
	for (int i = 0; i < 17; i++) {
		int v = uscc_value(to_upper(first17[i]));

		if (v < 0)
			return '\0';
		sum += v * uscc_weights[i];
	}
	return uscc_charset[(31 - sum % 31) % 31];
}

/*
 * Only the character set, the division-code digits and the check character
 * are enforced: law.md §8.2 says unknown position-1/2 codes are warnings,
 * and the list of registration authorities has grown since 2015.
 * NEEDSWORK: there is no warning channel yet, so they are not reported.
 */
int ids_credit_code_check(const char *s, char out[IDS_NORM_MAX],
			  const char *field, struct zf_error *err)
{
	char code[USCC_LEN + 1];
	char shown[SHOWN_MAX];
	size_t pos = 1, nchars;
	char want;

	if (!s || !*s)
		return zf_fail(err, ZF_EINVAL, USCC_CODE, field,
			       "统一社会信用代码为空");
	nchars = char_count(s);
	if (nchars != USCC_LEN)
		return zf_fail(err, ZF_EINVAL, USCC_CODE, field,
			       "统一社会信用代码应为18位，实际为%zu位", nchars);
	for (const char *p = s; *p; pos++) {
		size_t len = char_len(p);
		char up = to_upper(*p);

		show_char(p, len, shown);
		if (len != 1 || uscc_value(up) < 0)
			return zf_fail(
				err, ZF_EINVAL, USCC_CODE, field,
				"第%zu位字符“%s”不允许（%s）", pos, shown,
				len == 1 && is_upper(up)
					? "统一社会信用代码不使用 I、O、S、V、Z"
					: "应为数字或字母");
		if (pos >= 3 && pos <= 8 && !is_digit(up))
			return zf_fail(
				err, ZF_EINVAL, USCC_CODE, field,
				"第%zu位字符“%s”不允许（第3至8位为行政区划码，应为数字）",
				pos, shown);
		code[pos - 1] = up;
		p += len;
	}
	code[USCC_LEN] = '\0';

	want = ids_credit_code_check_char(code);
	if (want != code[17])
		return zf_fail(err, ZF_EINVAL, USCC_CODE, field,
			       "校验码应为 %c，实际为 %c", want, code[17]);
	if (out)
		memcpy(out, code, sizeof(code));
	return ZF_OK;
}

/* ---- 机动车号牌, GA 36-2018 ---- */

/* The 31 province-level abbreviations of law.md §8.3, UTF-8. */
static const char *const provinces[] = {
	"京", "津", "冀", "晋", "蒙", "辽", "吉", "黑", "沪", "苏", "浙",
	"皖", "闽", "赣", "鲁", "豫", "鄂", "湘", "粤", "桂", "琼", "渝",
	"川", "贵", "云", "藏", "陕", "甘", "青", "宁", "新",
};

/*
 * Last characters of an ordinary-length plate other than a letter or digit.
 * 试, 超 and 领 (law.md §8.3) are left out on purpose: the suggested
 * pattern does not list them and a county bureau does not meet them.
 */
static const struct {
	const char *ch;
	enum ids_plate_kind kind;
} plate_finals[] = {
	{"挂", IDS_PLATE_TRAILER}, {"学", IDS_PLATE_SPECIAL},
	{"警", IDS_PLATE_SPECIAL}, {"港", IDS_PLATE_SPECIAL},
	{"澳", IDS_PLATE_SPECIAL},
};

/*
 * What a serial position accepts, one letter per position after the
 * province (law.md §8.3's suggested patterns, L = letter without I/O,
 * X = letter without I/O or digit):
 *   'L' issuing-authority letter    'X' letter or digit
 *   'E' X, or a special last char   'D' digit
 *   'N' new-energy type letter      'T' D or F
 */
static const char pat_ordinary[] = "LXXXXE"; /* ^P L X{4} [X挂学警港澳]$ */
static const char pat_nev_small[] = "LNXDDDD"; /* ^P L [DF] X \d{4}$ */
static const char pat_nev_large[] = "LDDDDDT"; /* ^P L \d{5} [DF]$ */

static bool is_province(const char *p, size_t len)
{
	for (size_t i = 0; i < ZF_ARRAY_LEN(provinces); i++)
		if (len == strlen(provinces[i]) &&
		    memcmp(p, provinces[i], len) == 0)
			return true;
	return false;
}

/* Index into plate_finals of the character at p, or -1. */
static int final_index(const char *p, size_t len)
{
	for (size_t i = 0; i < ZF_ARRAY_LEN(plate_finals); i++)
		if (len == strlen(plate_finals[i].ch) &&
		    memcmp(p, plate_finals[i].ch, len) == 0)
			return (int)i;
	return -1;
}

/*
 * Whether upper-case c fits class cls.  'N' accepts D and F (GA 36-2018)
 * and also A-C, E, G, H, J, K, which some cities have issued since
 * (law.md §8.3 [M?]: accept them).  NEEDSWORK: the law note asks for a
 * warning on those extended letters; ids.h has no channel for one.
 */
static bool fits(char cls, char c)
{
	bool letter = is_upper(c) && c != 'I' && c != 'O';

	switch (cls) {
	case 'L':
		return letter;
	case 'X':
	case 'E':
		return letter || is_digit(c);
	case 'D':
		return is_digit(c);
	case 'N':
		return (c >= 'A' && c <= 'H') || c == 'J' || c == 'K';
	case 'T':
		return c == 'D' || c == 'F';
	}
	ZF_BUG("unknown plate class '%c'", cls);
}

static const char *class_name(char cls)
{
	switch (cls) {
	case 'L':
		return "应为发证机关代号字母";
	case 'X':
		return "应为字母或数字";
	case 'E':
		return "应为字母、数字或挂、学、警、港、澳";
	case 'D':
		return "应为数字";
	case 'N':
		return "新能源号牌第3位应为 D 或 F";
	case 'T':
		return "新能源号牌末位应为 D 或 F";
	}
	ZF_BUG("unknown plate class '%c'", cls);
}

int ids_plate_check(const char *s, struct ids_plate *out, const char *field,
		    struct zf_error *err)
{
	struct ids_plate pl;
	char shown[SHOWN_MAX];
	const char *pat, *p;
	size_t nchars, len, tlen, pos = 2;

	if (!s || !*s)
		return zf_fail(err, ZF_EINVAL, PLATE_CODE, field,
			       "号牌号码为空");
	/*
	 * The length decides the pattern: 7 characters is an ordinary plate
	 * and 8 a new-energy one, so 蒙LD12345 is never read as an ordinary
	 * plate with a stray character, nor 蒙LD1234 as a short NEV plate.
	 */
	nchars = char_count(s);
	if (nchars != PLATE_LEN && nchars != PLATE_NEV_LEN)
		return zf_fail(
			err, ZF_EINVAL, PLATE_CODE, field,
			"号牌应为7位（普通号牌）或8位（新能源号牌），实际为%zu位",
			nchars);
	len = char_len(s);
	if (!is_province(s, len)) {
		show_char(s, len, shown);
		return zf_fail(err, ZF_EINVAL, PLATE_CODE, field,
			       "第1位“%s”不是省、自治区、直辖市简称", shown);
	}

	memset(&pl, 0, sizeof(pl));
	memcpy(pl.province, s, len);
	memcpy(pl.text, s, len);
	tlen = len;
	p = s + len;
	/* Of 8 characters, a digit third means large, a letter small. */
	if (nchars == PLATE_LEN) {
		pat = pat_ordinary;
		pl.kind = IDS_PLATE_ORDINARY;
	} else if (is_digit(p[char_len(p)])) {
		pat = pat_nev_large;
		pl.kind = IDS_PLATE_NEV_LARGE;
	} else {
		pat = pat_nev_small;
		pl.kind = IDS_PLATE_NEV_SMALL;
	}

	for (; *p; p += len, pos++) {
		char cls = pat[pos - 2];
		char up = to_upper(*p);
		int fi;

		len = char_len(p);
		if (len == 1 && fits(cls, up)) {
			pl.text[tlen++] = up;
			continue;
		}
		fi = len > 1 && cls == 'E' ? final_index(p, len) : -1;
		if (fi >= 0) {
			memcpy(pl.text + tlen, p, len);
			tlen += len;
			pl.kind = plate_finals[fi].kind;
			continue;
		}
		show_char(p, len, shown);
		if (len == 1 && (up == 'I' || up == 'O'))
			return zf_fail(
				err, ZF_EINVAL, PLATE_CODE, field,
				"第%zu位字符“%s”不允许（号牌不使用字母 I 和 O）",
				pos, shown);
		return zf_fail(err, ZF_EINVAL, PLATE_CODE, field,
			       "第%zu位字符“%s”不允许（%s）", pos, shown,
			       class_name(cls));
	}
	pl.text[tlen] = '\0';
	pl.authority = pl.text[strlen(pl.province)];
	if (out)
		*out = pl;
	return ZF_OK;
}

/* ---- any kind ---- */

static bool all_ascii_alnum(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char up = to_upper(s[i]);

		if (!is_digit(up) && !is_upper(up))
			return false;
	}
	return true;
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return false;
	return true;
}

static bool all_uscc(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (uscc_value(to_upper(s[i])) < 0)
			return false;
	return true;
}

/*
 * The shapes are deliberately loose: a candidate that fails its check is
 * still reported, with the reason, so a mistyped ID number gets "check
 * character should be 7" rather than "not an identifier".  Each result's
 * error names the kind's code as its field, since there is no form field.
 */
size_t ids_check_any(const char *s, struct zf_date today,
		     struct ids_result out[3])
{
	size_t n = 0, len, nchars;
	struct ids_result *r;

	if (!s)
		return 0;
	len = strlen(s);
	if (len == RID_LEN && all_ascii_alnum(s, len)) {
		if (all_digits(s, 17)) {
			r = &out[n++];
			memset(r, 0, sizeof(*r));
			r->kind = IDS_RESIDENT_ID;
			r->valid = ids_resident_id_check(
					   s, today, r->normalised,
					   "resident_id", &r->err) == ZF_OK;
		}
		/* anything 18 characters long that is not an ID number is
		 * reported as a bad credit code, naming the bad character */
		if (all_uscc(s, len) || !all_digits(s, 17)) {
			r = &out[n++];
			memset(r, 0, sizeof(*r));
			r->kind = IDS_CREDIT_CODE;
			r->valid = ids_credit_code_check(s, r->normalised,
							 "credit_code",
							 &r->err) == ZF_OK;
		}
	}
	nchars = char_count(s);
	if ((unsigned char)s[0] >= 0x80 || nchars == PLATE_LEN ||
	    nchars == PLATE_NEV_LEN) {
		struct ids_plate pl;

		r = &out[n++];
		memset(r, 0, sizeof(*r));
		r->kind = IDS_PLATE;
		r->valid = ids_plate_check(s, &pl, "plate", &r->err) == ZF_OK;
		if (r->valid)
			memcpy(r->normalised, pl.text, sizeof(r->normalised));
	}
	return n;
}
