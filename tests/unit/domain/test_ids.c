/*
 * Unit tests for src/domain/ids.c: resident ID numbers, credit codes and
 * plates (law.md §8).  One row per rule; each row has a stable ID that a
 * bug report can quote and names the rule it checks.  Expected check
 * characters were computed independently of ids.c from the weights in
 * law.md §8.1 and §8.2.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "ids.h"

#define FIELD "party.id_number"

/* Tests never read the clock: "today" is fixed, as ZHIFA_NOW is. */
static const struct zf_date today = {2025, 6, 1};

/* A failed check must leave the output as it was ("writes nothing"). */
#define SENTINEL '#'

static void expect_error(const char *id, const char *rule, int rc,
			 const struct zf_error *err, const char *code,
			 const char *msg)
{
	if (rc != ZF_EINVAL)
		fail_msg("%s (%s): rc %d, want ZF_EINVAL", id, rule, rc);
	if (err->rc != ZF_EINVAL || strcmp(err->code, code) != 0 ||
	    strcmp(err->field, FIELD) != 0)
		fail_msg("%s (%s): error %d/%s/%s, want %d/%s/%s", id, rule,
			 err->rc, err->code, err->field, ZF_EINVAL, code,
			 FIELD);
	if (msg && !strstr(err->message, msg))
		fail_msg("%s (%s): message \"%s\" lacks \"%s\"", id, rule,
			 err->message, msg);
}

/* ---- 居民身份证号 ---- */

struct rid_case {
	const char *id;
	const char *rule;
	const char *input;
	const char *norm; /* the normalised form, or NULL: refused */
	const char *msg;  /* a part of the message when refused */
};

static const struct rid_case rid_cases[] = {
	{"rid-01", "GB 11643-1999 check character: standard's example",
	 "11010519491231002X", "11010519491231002X", NULL},
	{"rid-02", "law.md 8.1: lower-case x accepted, stored as X",
	 "11010519491231002x", "11010519491231002X", NULL},
	{"rid-03", "GB 11643-1999 check character: digit", "150802199001010199",
	 "150802199001010199", NULL},
	{"rid-04", "GB 11643-1999 check character: digit", "150203197508151235",
	 "150203197508151235", NULL},
	{"rid-05", "GB 11643-1999 check character: wrong digit for X",
	 "110105194912310021", NULL, "校验码应为 X，实际为 1"},
	{"rid-06", "GB 11643-1999 check character: X where a digit is due",
	 "15080219900101019X", NULL, "校验码应为 9，实际为 X"},
	{"rid-07", "GB 11643-1999 check character: lower-case x wrong too",
	 "15080219900101019x", NULL, "校验码应为 9，实际为 X"},
	{"rid-08", "GB 11643-1999: 18 characters (17)", "11010519491231002",
	 NULL, "身份证号应为18位，实际为17位"},
	{"rid-09", "GB 11643-1999: 18 characters (19)", "11010519491231002X1",
	 NULL, "身份证号应为18位，实际为19位"},
	{"rid-10", "GB 11643-1999: legacy 15-digit numbers are not accepted",
	 "110105491231002", NULL, "身份证号应为18位，实际为15位"},
	{"rid-11", "GB 11643-1999: positions 1-17 are digits",
	 "1101051949123100AX", NULL, "第17位字符“A”不允许"},
	{"rid-12", "GB 11643-1999: X only as the check character",
	 "11010519491X31002X", NULL, "第12位字符“X”不允许"},
	{"rid-13", "GB 11643-1999: check character is a digit or X",
	 "11010519491231002Y", NULL, "第18位字符“Y”不允许"},
	{"rid-14", "GB 11643-1999: full-width digits are not digits",
	 "１10105194912310021", NULL, "第1位字符“１”不允许"},
	{"rid-15", "law.md 8.1: birth date not after today",
	 "110105203001010016", NULL, "出生日期 2030-01-01 晚于今天"},
	{"rid-16", "law.md 8.1: born today is not in the future",
	 "150802202506010017", "150802202506010017", NULL},
	{"rid-17", "law.md 8.1: born tomorrow is in the future",
	 "150802202506020012", NULL, "出生日期 2025-06-02 晚于今天"},
	{"rid-18", "law.md 8.1: birth date is a real date (Feb 30)",
	 "110105199002300016", NULL, "出生日期 1990-02-30 不是真实日期"},
	{"rid-19", "law.md 8.1: birth date is a real date (leap day 2000)",
	 "150802200002290028", "150802200002290028", NULL},
	{"rid-20", "law.md 8.1: birth date is a real date (1900 not leap)",
	 "15080219000229003X", NULL, "出生日期 1900-02-29 不是真实日期"},
	{"rid-21", "law.md 8.1: birth date is a real date (month 13)",
	 "150802199013010057", NULL, "出生日期 1990-13-01 不是真实日期"},
	{"rid-22", "ids.h: birth year 1900 or later", "150802189912310046",
	 NULL, "出生年份 1899 早于1900年"},
	{"rid-23", "ids.h: empty input refused", "", NULL, "身份证号为空"},
	{"rid-24", "GB 11643-1999 check character 0 (every residue mod 11)",
	 "150822198503170070", "150822198503170070", NULL},
	{"rid-25", "GB 11643-1999 check character 1 (every residue mod 11)",
	 "150822198503170011", "150822198503170011", NULL},
	{"rid-26", "GB 11643-1999 check character 2 (every residue mod 11)",
	 "150822198503170062", "150822198503170062", NULL},
	{"rid-27", "GB 11643-1999 check character 3 (every residue mod 11)",
	 "150822198503170193", "150822198503170193", NULL},
	{"rid-28", "GB 11643-1999 check character 4 (every residue mod 11)",
	 "150822198503170054", "150822198503170054", NULL},
	{"rid-29", "GB 11643-1999 check character 5 (every residue mod 11)",
	 "150822198503170185", "150822198503170185", NULL},
	{"rid-30", "GB 11643-1999 check character 6 (every residue mod 11)",
	 "150822198503170046", "150822198503170046", NULL},
	{"rid-31", "GB 11643-1999 check character 7 (every residue mod 11)",
	 "150822198503170097", "150822198503170097", NULL},
	{"rid-32", "GB 11643-1999 check character 8 (every residue mod 11)",
	 "150822198503170038", "150822198503170038", NULL},
	{"rid-33", "GB 11643-1999 check character 9 (every residue mod 11)",
	 "150822198503170089", "150822198503170089", NULL},
	{"rid-34", "GB 11643-1999 check character X (every residue mod 11)",
	 "15082219850317002X", "15082219850317002X", NULL},
};

static void test_resident_id(void **state)
{
	(void)state;
	for (size_t i = 0; i < ZF_ARRAY_LEN(rid_cases); i++) {
		const struct rid_case *c = &rid_cases[i];
		char out[IDS_NORM_MAX];
		struct zf_error err;
		int rc;

		memset(out, SENTINEL, sizeof(out));
		zf_error_clear(&err);
		rc = ids_resident_id_check(c->input, today, out, FIELD, &err);
		if (c->norm) {
			if (rc != ZF_OK)
				fail_msg("%s (%s): refused: %s", c->id, c->rule,
					 err.message);
			if (strcmp(out, c->norm) != 0)
				fail_msg("%s (%s): got %s, want %s", c->id,
					 c->rule, out, c->norm);
		} else {
			expect_error(c->id, c->rule, rc, &err,
				     "invalid_resident_id", c->msg);
			assert_int_equal(out[0], SENTINEL);
		}
	}
}

/* ---- 统一社会信用代码 ---- */

static const struct rid_case uscc_cases[] = {
	{"uscc-01", "GB 32100-2015 check character: standard's example",
	 "91350100M000100Y43", "91350100M000100Y43", NULL},
	{"uscc-02", "ids.h: lower-case letters normalised to upper case",
	 "91350100m000100y43", "91350100M000100Y43", NULL},
	{"uscc-03", "law.md 8.2: position-1 code Y not validated",
	 "Y1150802MA0N2K3L0R", "Y1150802MA0N2K3L0R", NULL},
	{"uscc-04", "law.md 8.2: position-1 code N not validated",
	 "N2150802MA7X8Y9P0F", "N2150802MA7X8Y9P0F", NULL},
	{"uscc-05", "law.md 8.2: position-2 code not validated",
	 "52150802MJ1234567H", "52150802MJ1234567H", NULL},
	{"uscc-06", "GB 32100-2015 check character: all digits but the last",
	 "12150800011528306F", "12150800011528306F", NULL},
	{"uscc-07", "GB 32100-2015 check character: wrong",
	 "91350100M000100Y44", NULL, "校验码应为 3，实际为 4"},
	{"uscc-08", "GB 32100-2015 check character: the ID example is not one",
	 "11010519491231002X", NULL, "校验码应为 B，实际为 X"},
	{"uscc-09", "GB 32100-2015: I not in the character set",
	 "91350100I000100Y43", NULL, "第9位字符“I”不允许"},
	{"uscc-10", "GB 32100-2015: O not in the character set",
	 "91350100M0O0100Y43", NULL, "第11位字符“O”不允许"},
	{"uscc-11", "GB 32100-2015: S not in the character set",
	 "91350100M000100S43", NULL, "第16位字符“S”不允许"},
	{"uscc-12", "GB 32100-2015: V not in the character set",
	 "V1350100M000100Y43", NULL, "第1位字符“V”不允许"},
	{"uscc-13", "GB 32100-2015: Z not in the character set",
	 "91350100M000100Y4Z", NULL, "第18位字符“Z”不允许"},
	{"uscc-14", "GB 32100-2015: lower-case i is I, also refused",
	 "9i350100M000100Y43", NULL,
	 "第2位字符“i”不允许（统一社会信用代码不使用 I、O、S、V、Z）"},
	{"uscc-15", "GB 32100-2015: positions 3-8 are digits",
	 "91A50100M000100Y43", NULL, "第3位字符“A”不允许（第3至8位"},
	{"uscc-16", "GB 32100-2015: positions 3-8 are digits (8)",
	 "9135010AM000100Y43", NULL, "第8位字符“A”不允许"},
	{"uscc-17", "GB 32100-2015: punctuation refused", "91350100-000100Y43",
	 NULL, "第9位字符“-”不允许"},
	{"uscc-18", "GB 32100-2015: 18 characters (17)", "91350100M000100Y4",
	 NULL, "统一社会信用代码应为18位，实际为17位"},
	{"uscc-19", "GB 32100-2015: 18 characters (19)", "91350100M000100Y433",
	 NULL, "统一社会信用代码应为18位，实际为19位"},
	{"uscc-20", "ids.h: empty input refused", "", NULL,
	 "统一社会信用代码为空"},
	{"uscc-21", "GB 32100-2015 check character 0 (sum divisible by 31)",
	 "91150822MA00000080", "91150822MA00000080", NULL},
	{"uscc-22", "GB 32100-2015 check character Y (value 30)",
	 "91150822MA0000027Y", "91150822MA0000027Y", NULL},
	{"uscc-23", "GB 32100-2015 check character 0 expected",
	 "91150822MA00000081", NULL, "校验码应为 0，实际为 1"},
};

static void test_credit_code(void **state)
{
	(void)state;
	for (size_t i = 0; i < ZF_ARRAY_LEN(uscc_cases); i++) {
		const struct rid_case *c = &uscc_cases[i];
		char out[IDS_NORM_MAX];
		struct zf_error err;
		int rc;

		memset(out, SENTINEL, sizeof(out));
		zf_error_clear(&err);
		rc = ids_credit_code_check(c->input, out, FIELD, &err);
		if (c->norm) {
			if (rc != ZF_OK)
				fail_msg("%s (%s): refused: %s", c->id, c->rule,
					 err.message);
			if (strcmp(out, c->norm) != 0)
				fail_msg("%s (%s): got %s, want %s", c->id,
					 c->rule, out, c->norm);
		} else {
			expect_error(c->id, c->rule, rc, &err,
				     "invalid_credit_code", c->msg);
			assert_int_equal(out[0], SENTINEL);
		}
	}
}

/* ---- check characters alone ---- */

struct check_char_case {
	const char *id;
	const char *rule;
	const char *first17;
	char rid;  /* ids_resident_id_check_char */
	char uscc; /* ids_credit_code_check_char */
};

static const struct check_char_case check_char_cases[] = {
	{"cc-01", "GB 11643-1999 / GB 32100-2015 on the ID example",
	 "11010519491231002", 'X', 'B'},
	{"cc-02", "GB 32100-2015 on the standard's example",
	 "91350100M000100Y4", '\0', '3'},
	{"cc-03", "both schemes agree on this digit prefix",
	 "15080219900101019", '9', '9'},
	{"cc-04", "an 18-character value: only 17 are read",
	 "11010519491231002X", 'X', 'B'},
	{"cc-05", "GB 32100-2015: lower-case read as upper case",
	 "91350100m000100y4", '\0', '3'},
	{"cc-06", "not computable: 16 characters", "1101051949123100", '\0',
	 '\0'},
	{"cc-07", "not computable: I in the prefix", "9135010I00001000Y", '\0',
	 '\0'},
	{"cc-08", "not computable: empty", "", '\0', '\0'},
};

static void test_check_chars(void **state)
{
	(void)state;
	for (size_t i = 0; i < ZF_ARRAY_LEN(check_char_cases); i++) {
		const struct check_char_case *c = &check_char_cases[i];
		char r = ids_resident_id_check_char(c->first17);
		char u = ids_credit_code_check_char(c->first17);

		if (r != c->rid || u != c->uscc)
			fail_msg("%s (%s): got '%c' '%c', want '%c' '%c'",
				 c->id, c->rule, r ? r : '0', u ? u : '0',
				 c->rid ? c->rid : '0',
				 c->uscc ? c->uscc : '0');
	}
	assert_int_equal(ids_resident_id_check_char(NULL), '\0');
	assert_int_equal(ids_credit_code_check_char(NULL), '\0');
}

/* ---- 机动车号牌 ---- */

struct plate_case {
	const char *id;
	const char *rule;
	const char *input;
	bool ok;
	enum ids_plate_kind kind;
	const char *text;
	const char *msg; /* when refused */
};

static const struct plate_case plate_cases[] = {
	{"plate-01", "GA 36-2018 ordinary: P L X{5}", "蒙L12345", true,
	 IDS_PLATE_ORDINARY, "蒙L12345", NULL},
	{"plate-02", "GA 36-2018 ordinary: letters in the serial", "京AB12C3",
	 true, IDS_PLATE_ORDINARY, "京AB12C3", NULL},
	{"plate-03", "GA 36-2018 trailer: last character 挂", "蒙L1234挂", true,
	 IDS_PLATE_TRAILER, "蒙L1234挂", NULL},
	{"plate-04", "GA 36-2018 special: last character 学", "蒙L1234学", true,
	 IDS_PLATE_SPECIAL, "蒙L1234学", NULL},
	{"plate-05", "GA 36-2018 special: last character 警", "蒙L0001警", true,
	 IDS_PLATE_SPECIAL, "蒙L0001警", NULL},
	{"plate-06", "GA 36-2018 special: last character 港", "粤Z1234港", true,
	 IDS_PLATE_SPECIAL, "粤Z1234港", NULL},
	{"plate-07", "GA 36-2018 special: last character 澳", "粤Z1234澳", true,
	 IDS_PLATE_SPECIAL, "粤Z1234澳", NULL},
	{"plate-08", "GA 36-2018 small NEV: P L [DF] X d{4}", "蒙LD12345", true,
	 IDS_PLATE_NEV_SMALL, "蒙LD12345", NULL},
	{"plate-09", "GA 36-2018 small NEV: F, letter second", "蒙LFA1234",
	 true, IDS_PLATE_NEV_SMALL, "蒙LFA1234", NULL},
	{"plate-10", "law.md 8.3 extended NEV letters (A-H, J, K) accepted",
	 "沪AA12345", true, IDS_PLATE_NEV_SMALL, "沪AA12345", NULL},
	{"plate-11", "law.md 8.3 extended NEV letters (A-H, J, K) accepted",
	 "沪AK12345", true, IDS_PLATE_NEV_SMALL, "沪AK12345", NULL},
	{"plate-12", "GA 36-2018 large NEV: P L d{5} [DF]", "蒙L12345D", true,
	 IDS_PLATE_NEV_LARGE, "蒙L12345D", NULL},
	{"plate-13", "GA 36-2018 large NEV: F last", "蒙L12345F", true,
	 IDS_PLATE_NEV_LARGE, "蒙L12345F", NULL},
	{"plate-14", "7 characters is ordinary even with D third", "蒙LD1234",
	 true, IDS_PLATE_ORDINARY, "蒙LD1234", NULL},
	{"plate-15", "ids.h: lower-case letters normalised", "蒙l12345", true,
	 IDS_PLATE_ORDINARY, "蒙L12345", NULL},
	{"plate-16", "GA 36-2018 small NEV: last four are digits (lower case)",
	 "蒙ld1234f", false, IDS_PLATE_ORDINARY, NULL,
	 "第8位字符“f”不允许（应为数字）"},
	{"plate-17", "ids.h: lower-case letters normalised (NEV)", "蒙ld12345",
	 true, IDS_PLATE_NEV_SMALL, "蒙LD12345", NULL},
	{"plate-18", "law.md 8.3: the last of the 31 provinces", "新A12345",
	 true, IDS_PLATE_ORDINARY, "新A12345", NULL},
	{"plate-19", "GA 36-2018: I and O not used (serial)", "蒙LI2345", false,
	 IDS_PLATE_ORDINARY, NULL,
	 "第3位字符“I”不允许（号牌不使用字母 I 和 O）"},
	{"plate-20", "GA 36-2018: I and O not used (serial)", "蒙L0O123", false,
	 IDS_PLATE_ORDINARY, NULL, "第4位字符“O”不允许"},
	{"plate-21", "GA 36-2018: I and O not used (authority)", "蒙O12345",
	 false, IDS_PLATE_ORDINARY, NULL, "第2位字符“O”不允许"},
	{"plate-22", "GA 36-2018: I and O not used (lower case)", "蒙Li2345",
	 false, IDS_PLATE_ORDINARY, NULL, "第3位字符“i”不允许"},
	{"plate-23", "GA 36-2018: I and O not used (NEV serial)", "蒙LDI1234",
	 false, IDS_PLATE_ORDINARY, NULL, "第4位字符“I”不允许"},
	{"plate-24", "law.md 8.3: unknown province", "XX12345", false,
	 IDS_PLATE_ORDINARY, NULL, "第1位“X”不是省"},
	{"plate-25", "law.md 8.3: unknown province (港 is not one)", "港A12345",
	 false, IDS_PLATE_ORDINARY, NULL, "第1位“港”不是省"},
	{"plate-26", "GA 36-2018: the authority is a letter", "蒙112345", false,
	 IDS_PLATE_ORDINARY, NULL, "第2位字符“1”不允许"},
	{"plate-27", "GA 36-2018: 挂 only as the last character", "蒙L12挂45",
	 false, IDS_PLATE_ORDINARY, NULL, "第5位字符“挂”不允许"},
	{"plate-28", "law.md 8.3 pattern: 试 is not a listed last character",
	 "蒙L1234试", false, IDS_PLATE_ORDINARY, NULL, "第7位字符“试”不允许"},
	{"plate-29", "GA 36-2018 small NEV: 3rd is D or F (or extended)",
	 "蒙LL12345", false, IDS_PLATE_ORDINARY, NULL,
	 "第3位字符“L”不允许（新能源号牌第3位应为 D 或 F）"},
	{"plate-30", "GA 36-2018 small NEV: last four are digits", "蒙LD1234A",
	 false, IDS_PLATE_ORDINARY, NULL, "第8位字符“A”不允许"},
	{"plate-31", "GA 36-2018 large NEV: last is D or F", "蒙L12345A", false,
	 IDS_PLATE_ORDINARY, NULL,
	 "第8位字符“A”不允许（新能源号牌末位应为 D 或 F）"},
	{"plate-32", "GA 36-2018 large NEV: first five are digits", "蒙L1234AD",
	 false, IDS_PLATE_ORDINARY, NULL, "第7位字符“A”不允许（应为数字）"},
	{"plate-33", "GA 36-2018: 7 or 8 characters (6)", "蒙L1234", false,
	 IDS_PLATE_ORDINARY, NULL, "实际为6位"},
	{"plate-34", "GA 36-2018: 7 or 8 characters (9)", "蒙L1234567", false,
	 IDS_PLATE_ORDINARY, NULL, "实际为9位"},
	{"plate-35", "GA 36-2018: no spaces inside", "蒙L 1234", false,
	 IDS_PLATE_ORDINARY, NULL, "第3位字符“\\x20”不允许"},
	{"plate-36", "ids.h: invalid UTF-8 is shown as bytes",
	 "蒙L\xff"
	 "1234",
	 false, IDS_PLATE_ORDINARY, NULL, "第3位字符“\\xFF”不允许"},
	{"plate-37", "ids.h: empty input refused", "", false,
	 IDS_PLATE_ORDINARY, NULL, "号牌号码为空"},
	{"plate-38", "RFC 3629: an overlong sequence is three bad bytes",
	 "\xe0\x80\xafL12345", false, IDS_PLATE_ORDINARY, NULL, "实际为9位"},
	{"plate-39", "RFC 3629: a surrogate is three bad bytes",
	 "\xed\xa0\x80L12345", false, IDS_PLATE_ORDINARY, NULL, "实际为9位"},
	{"plate-40", "RFC 3629: a 4-byte character counts once",
	 "\xf0\x9f\x9a\x97L12345", false, IDS_PLATE_ORDINARY, NULL,
	 "第1位“\xf0\x9f\x9a\x97”不是省"},
	{"plate-41", "RFC 3629: an overlong 4-byte sequence is bad bytes",
	 "\xf0\x8f\xbf\xbfL123", false, IDS_PLATE_ORDINARY, NULL,
	 "第1位“\\xF0”不是省"},
	{"plate-42", "RFC 3629: nothing above U+10FFFF",
	 "\xf4\x90\x80\x80L123", false, IDS_PLATE_ORDINARY, NULL,
	 "第1位“\\xF4”不是省"},
	{"plate-43", "RFC 3629: F5 never starts a sequence",
	 "\xf5\x80\x80\x80L123", false, IDS_PLATE_ORDINARY, NULL,
	 "第1位“\\xF5”不是省"},
};

static void test_plate(void **state)
{
	(void)state;
	for (size_t i = 0; i < ZF_ARRAY_LEN(plate_cases); i++) {
		const struct plate_case *c = &plate_cases[i];
		struct ids_plate out;
		struct zf_error err;
		int rc;

		memset(&out, SENTINEL, sizeof(out));
		zf_error_clear(&err);
		rc = ids_plate_check(c->input, &out, FIELD, &err);
		if (!c->ok) {
			expect_error(c->id, c->rule, rc, &err, "invalid_plate",
				     c->msg);
			assert_int_equal(out.text[0], SENTINEL);
			continue;
		}
		if (rc != ZF_OK)
			fail_msg("%s (%s): refused: %s", c->id, c->rule,
				 err.message);
		if (strcmp(out.text, c->text) != 0 || out.kind != c->kind)
			fail_msg("%s (%s): got %s %s, want %s %s", c->id,
				 c->rule, out.text,
				 ids_plate_kind_code(out.kind), c->text,
				 ids_plate_kind_code(c->kind));
		/* The province is the first 3 bytes, the authority after it. */
		if (strlen(out.province) != 3 ||
		    memcmp(out.province, c->text, 3) != 0 ||
		    out.authority != c->text[3])
			fail_msg("%s (%s): province %s authority %c", c->id,
				 c->rule, out.province, out.authority);
	}
}

static void test_plate_fields(void **state)
{
	struct ids_plate out;
	struct zf_error err;

	(void)state;
	zf_error_clear(&err);
	assert_int_equal(ids_plate_check("蒙l1234挂", &out, FIELD, &err),
			 ZF_OK);
	assert_string_equal(out.text, "蒙L1234挂");
	assert_string_equal(out.province, "蒙");
	assert_int_equal(out.authority, 'L');
	assert_int_equal(out.kind, IDS_PLATE_TRAILER);
	assert_string_equal(ids_plate_kind_code(out.kind), "trailer");
	assert_string_equal(ids_plate_kind_code(IDS_PLATE_ORDINARY),
			    "ordinary");
	assert_string_equal(ids_plate_kind_code(IDS_PLATE_SPECIAL), "special");
	assert_string_equal(ids_plate_kind_code(IDS_PLATE_NEV_SMALL),
			    "nev_small");
	assert_string_equal(ids_plate_kind_code(IDS_PLATE_NEV_LARGE),
			    "nev_large");
	assert_string_equal(ids_kind_code(IDS_RESIDENT_ID), "resident_id");
	assert_string_equal(ids_kind_code(IDS_CREDIT_CODE), "credit_code");
	assert_string_equal(ids_kind_code(IDS_PLATE), "plate");
	assert_string_equal(ids_kind_code(IDS_UNKNOWN), "unknown");
}

/* ---- hostile input: NULL, empty, long ---- */

static void test_hostile_input(void **state)
{
	char longs[3][700];
	char out[IDS_NORM_MAX];
	struct ids_plate pl;
	struct ids_result res[3];
	struct zf_error err;

	(void)state;
	/* 200 digits; 200 letters; 200 copies of 蒙 (600 bytes). */
	memset(longs[0], '1', 200);
	longs[0][200] = '\0';
	memset(longs[1], 'a', 200);
	longs[1][200] = '\0';
	for (int i = 0; i < 200; i++)
		memcpy(longs[2] + 3 * i, "蒙", 3);
	longs[2][600] = '\0';

	for (int i = 0; i < 3; i++) {
		zf_error_clear(&err);
		assert_int_equal(ids_resident_id_check(longs[i], today, out,
						       FIELD, &err),
				 ZF_EINVAL);
		assert_non_null(strstr(err.message, "实际为200位"));
		assert_int_equal(
			ids_credit_code_check(longs[i], out, FIELD, &err),
			ZF_EINVAL);
		assert_non_null(strstr(err.message, "实际为200位"));
		assert_int_equal(ids_plate_check(longs[i], &pl, FIELD, &err),
				 ZF_EINVAL);
		assert_non_null(strstr(err.message, "实际为200位"));
	}
	/* Only the one starting with a non-ASCII byte looks like a plate. */
	assert_int_equal(ids_check_any(longs[0], today, res), 0);
	assert_int_equal(ids_check_any(longs[1], today, res), 0);
	assert_int_equal(ids_check_any(longs[2], today, res), 1);
	assert_int_equal(res[0].kind, IDS_PLATE);
	assert_false(res[0].valid);

	/* NULL is refused like the empty string, and err may be NULL. */
	zf_error_clear(&err);
	assert_int_equal(ids_resident_id_check(NULL, today, out, FIELD, &err),
			 ZF_EINVAL);
	assert_string_equal(err.code, "invalid_resident_id");
	assert_int_equal(ids_credit_code_check(NULL, out, FIELD, &err),
			 ZF_EINVAL);
	assert_string_equal(err.code, "invalid_credit_code");
	assert_int_equal(ids_plate_check(NULL, &pl, FIELD, &err), ZF_EINVAL);
	assert_string_equal(err.code, "invalid_plate");
	assert_int_equal(ids_plate_check("蒙L12345", &pl, FIELD, NULL), ZF_OK);
	assert_int_equal(ids_plate_check("蒙LI2345", &pl, FIELD, NULL),
			 ZF_EINVAL);
	assert_int_equal(ids_check_any(NULL, today, res), 0);

	/* Truncated and overlong UTF-8 sequences are single bad bytes. */
	assert_int_equal(ids_plate_check("\xe8\x92", &pl, FIELD, &err),
			 ZF_EINVAL);
	assert_int_equal(ids_plate_check("\xc0\xaf\xc0\xaf\xc0\xaf\xc0", &pl,
					 FIELD, &err),
			 ZF_EINVAL);
	assert_non_null(strstr(err.message, "第1位“\\xC0”"));
}

/* ---- ids_check_any ---- */

struct any_case {
	const char *id;
	const char *rule;
	const char *input;
	size_t n;
	struct {
		enum ids_kind kind;
		bool valid;
		const char *norm; /* when valid */
		const char *msg;  /* when not */
	} r[3];
};

static const struct any_case any_cases[] = {
	{"any-01",
	 "ids.h: 18 digits valid as both ID and credit code",
	 "150802199001010199",
	 2,
	 {{IDS_RESIDENT_ID, true, "150802199001010199", NULL},
	  {IDS_CREDIT_CODE, true, "150802199001010199", NULL}}},
	{"any-02",
	 "ids.h: an ID number is also credit-code shaped",
	 "11010519491231002x",
	 2,
	 {{IDS_RESIDENT_ID, true, "11010519491231002X", NULL},
	  {IDS_CREDIT_CODE, false, NULL, "校验码应为 B，实际为 X"}}},
	{"any-03",
	 "ids.h: 18 digits, invalid both ways",
	 "110105203001010016",
	 2,
	 {{IDS_RESIDENT_ID, false, NULL, "晚于今天"},
	  {IDS_CREDIT_CODE, false, NULL, "校验码应为 P，实际为 6"}}},
	{"any-04",
	 "ids.h: letters inside: credit code only",
	 "91350100m000100Y43",
	 1,
	 {{IDS_CREDIT_CODE, true, "91350100M000100Y43", NULL}}},
	{"any-05",
	 "ids.h: 17 digits then a letter not in either set",
	 "11010519491231002Z",
	 1,
	 {{IDS_RESIDENT_ID, false, NULL, "第18位字符“Z”不允许"}}},
	{"any-06",
	 "ids.h: a plate",
	 "蒙l12345",
	 1,
	 {{IDS_PLATE, true, "蒙L12345", NULL}}},
	{"any-07",
	 "ids.h: a NEV plate",
	 "蒙L12345D",
	 1,
	 {{IDS_PLATE, true, "蒙L12345D", NULL}}},
	{"any-08",
	 "ids.h: plate length, no province",
	 "ABC1234",
	 1,
	 {{IDS_PLATE, false, NULL, "第1位“A”不是省"}}},
	{"any-09",
	 "ids.h: non-ASCII start is a plate candidate",
	 "蒙",
	 1,
	 {{IDS_PLATE, false, NULL, "实际为1位"}}},
	{"any-10",
	 "ids.h: non-ASCII start, 18 characters",
	 "蒙15080219900101019",
	 1,
	 {{IDS_PLATE, false, NULL, "实际为18位"}}},
	{"any-11", "ids.h: fits no shape", "hello", 0, {{0}}},
	{"any-12",
	 "ids.h: 18 characters, not an ID number: reported as a credit code "
	 "positions 3-8 must be digits (GB 32100)",
	 "ABCDEFGHIJKLMNOPQR",
	 1,
	 {{IDS_CREDIT_CODE, false, NULL, "第3位字符“C”不允许"}}},
	{"any-13", "ids.h: empty fits no shape", "", 0, {{0}}},
};

static void test_check_any(void **state)
{
	(void)state;
	for (size_t i = 0; i < ZF_ARRAY_LEN(any_cases); i++) {
		const struct any_case *c = &any_cases[i];
		struct ids_result res[3];
		size_t n;

		memset(res, SENTINEL, sizeof(res));
		n = ids_check_any(c->input, today, res);
		if (n != c->n)
			fail_msg("%s (%s): %zu results, want %zu", c->id,
				 c->rule, n, c->n);
		for (size_t k = 0; k < n; k++) {
			const struct ids_result *r = &res[k];
			const char *code = ids_kind_code(c->r[k].kind);

			if (r->kind != c->r[k].kind ||
			    r->valid != c->r[k].valid)
				fail_msg("%s (%s): result %zu is %s/%d", c->id,
					 c->rule, k, ids_kind_code(r->kind),
					 r->valid);
			if (r->valid) {
				if (strcmp(r->normalised, c->r[k].norm) != 0)
					fail_msg("%s (%s): got %s, want %s",
						 c->id, c->rule, r->normalised,
						 c->r[k].norm);
				continue;
			}
			/* The field is the kind; the code names it too. */
			if (strcmp(r->err.field, code) != 0 ||
			    strncmp(r->err.code, "invalid_", 8) != 0 ||
			    strcmp(r->err.code + 8, code) != 0 ||
			    !strstr(r->err.message, c->r[k].msg))
				fail_msg("%s (%s): error %s/%s/%s", c->id,
					 c->rule, r->err.code, r->err.field,
					 r->err.message);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resident_id),
		cmocka_unit_test(test_credit_code),
		cmocka_unit_test(test_check_chars),
		cmocka_unit_test(test_plate),
		cmocka_unit_test(test_plate_fields),
		cmocka_unit_test(test_hostile_input),
		cmocka_unit_test(test_check_any),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
