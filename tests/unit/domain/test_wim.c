/*
 * Tests for src/domain/wim.c: the weigh-in-motion CSV (docs/wim-csv.md).
 *
 *   wim-col-*    one row per column and per kind of good and bad value:
 *                the column is replaced in a good line, and a bad value must
 *                be refused naming that column with the expected code;
 *   wim-row-*    the row as a whole: column count, quotes, blank, too long;
 *   wim-plate    the fast plate path agrees with ids_plate_check;
 *   wim-time     the fast time parser agrees with instant_parse;
 *   wim-scan-*   header, line numbers, CRLF, BOM, chunks, callbacks;
 *   wim-cls-*    classification against the overload engine (62号令 Art. 3
 *                limits, the organisation's weigh-in-motion tolerance).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "embed.h"
#include "text.h"
#include "wim.h"

#define H64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define H64U "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"

/* The good line every column row starts from, as columns. */
static const char *const base[WIM_COLUMNS] = {
	"HS-G7-01", "2025-03-01T10:00:00+08:00", "1", "蒙L12345", "yellow", "6",
	"train", "49000", "62", H64, "",
};

static struct overload_rules rules;

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

/* The base line with column col (1-based, 0 for none) replaced by v. */
static size_t line_with(int col, const char *v, char *out, size_t cap)
{
	size_t n = 0;

	for (int i = 0; i < WIM_COLUMNS; i++) {
		const char *s = i + 1 == col ? v : base[i];
		int w = snprintf(out + n, cap - n, "%s%s", i ? "," : "", s);

		assert_true(w >= 0 && (size_t)w < cap - n);
		n += (size_t)w;
	}
	return n;
}

/* ---- columns ---- */

struct col_row {
	const char *id;
	int col;
	const char *value;
	const char *code;	/* NULL: good */
};

#define GOOD NULL
#define NUM "invalid_number"
#define FMT "invalid_format"
#define INST "invalid_instant"
#define PLATE "invalid_plate"
#define CODE "unknown_code"

static const struct col_row col_rows[] = {
	{"wim-col-station-1", 1, "A", GOOD},
	{"wim-col-station-2", 1, "G7-K123+500", GOOD},
	{"wim-col-station-3", 1, "st_1.a", GOOD},
	{"wim-col-station-4", 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", GOOD},
	{"wim-col-station-5", 1, "", FMT},
	{"wim-col-station-6", 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456", FMT},
	{"wim-col-station-7", 1, "站点1", FMT},
	{"wim-col-station-8", 1, "a b", FMT},
	{"wim-col-station-9", 1, "a\tb", FMT},

	{"wim-col-time-1", 2, "2025-03-01T10:00:00Z", GOOD},
	{"wim-col-time-2", 2, "2025-03-01T10:00:00-05:30", GOOD},
	{"wim-col-time-3", 2, "2025-03-01T10:00:00.5+08:00", GOOD},
	{"wim-col-time-4", 2, "2025-03-01T10:00:00.123456+08:00", GOOD},
	{"wim-col-time-5", 2, "2024-02-29T23:59:59+14:00", GOOD},
	{"wim-col-time-6", 2, "2000-01-01T00:00:00+08:00", GOOD},
	{"wim-col-time-7", 2, "2099-12-31T23:59:59+08:00", GOOD},
	{"wim-col-time-8", 2, "2025-03-01T10:00:00", INST},
	{"wim-col-time-9", 2, "2025-03-01 10:00:00+08:00", INST},
	{"wim-col-time-10", 2, "2025-02-29T10:00:00+08:00", INST},
	{"wim-col-time-11", 2, "2025-13-01T10:00:00+08:00", INST},
	{"wim-col-time-12", 2, "1999-12-31T10:00:00+08:00", INST},
	{"wim-col-time-13", 2, "2025-03-01T24:00:00+08:00", INST},
	{"wim-col-time-14", 2, "2025-03-01T10:60:00+08:00", INST},
	{"wim-col-time-15", 2, "2025-03-01T10:00:60+08:00", INST},
	{"wim-col-time-16", 2, "2025-03-01T10:00:00.1234567+08:00", INST},
	{"wim-col-time-17", 2, "2025-03-01T10:00:00.+08:00", INST},
	{"wim-col-time-18", 2, "2025-03-01T10:00:00+15:00", INST},
	{"wim-col-time-19", 2, "2025-03-01T10:00:00+08:60", INST},
	{"wim-col-time-20", 2, "2025-03-01T10:00:00+0800", INST},
	{"wim-col-time-21", 2, "2025-03-01", INST},
	{"wim-col-time-22", 2, "", INST},
	{"wim-col-time-23", 2, "2025-03-01T10:00:00z", INST},
	{"wim-col-time-24", 2, "2025-3-01T10:00:00+08:00", INST},
	{"wim-col-time-25", 2, "2025-03-01T10:00:00+08:00 ", INST},

	{"wim-col-lane-1", 3, "99", GOOD},
	{"wim-col-lane-2", 3, "0", NUM},
	{"wim-col-lane-3", 3, "100", NUM},
	{"wim-col-lane-4", 3, "01", NUM},
	{"wim-col-lane-5", 3, "-1", NUM},
	{"wim-col-lane-6", 3, "", NUM},
	{"wim-col-lane-7", 3, "1.5", NUM},

	{"wim-col-plate-1", 4, "京AD12345", GOOD},
	{"wim-col-plate-2", 4, "粤B12345F", GOOD},
	{"wim-col-plate-3", 4, "蒙L1234挂", GOOD},
	{"wim-col-plate-4", 4, "蒙l12345", GOOD},
	{"wim-col-plate-5", 4, "新A0000学", GOOD},
	{"wim-col-plate-6", 4, "", PLATE},
	{"wim-col-plate-7", 4, "蒙I12345", PLATE},
	{"wim-col-plate-8", 4, "乙L12345", PLATE},
	{"wim-col-plate-9", 4, "蒙L1234", PLATE},
	{"wim-col-plate-10", 4, "蒙L123456789", PLATE},
	{"wim-col-plate-11", 4, "ABC12345", PLATE},
	{"wim-col-plate-12", 4, "\xff\xfe" "L12345", PLATE},
	{"wim-col-plate-13", 4, "蒙L12345 ", PLATE},
	{"wim-col-plate-14", 4, "蒙LZ12345", PLATE},
	{"wim-col-plate-15", 4, "蒙L12345G", PLATE},
	{"wim-col-plate-16", 4, "蒙L1234警X", PLATE},

	{"wim-col-colour-1", 5, "blue", GOOD},
	{"wim-col-colour-2", 5, "green", GOOD},
	{"wim-col-colour-3", 5, "yellow_green", GOOD},
	{"wim-col-colour-4", 5, "white", GOOD},
	{"wim-col-colour-5", 5, "black", GOOD},
	{"wim-col-colour-6", 5, "Yellow", CODE},
	{"wim-col-colour-7", 5, "red", CODE},
	{"wim-col-colour-8", 5, "", CODE},
	{"wim-col-colour-9", 5, "yellowgreen", CODE},

	{"wim-col-axles-1", 6, "2", GOOD},
	{"wim-col-axles-2", 6, "8", GOOD},
	{"wim-col-axles-3", 6, "1", NUM},
	{"wim-col-axles-4", 6, "9", NUM},
	{"wim-col-axles-5", 6, "10", NUM},
	{"wim-col-axles-6", 6, "06", NUM},
	{"wim-col-axles-7", 6, "", NUM},
	{"wim-col-axles-8", 6, "a", NUM},

	{"wim-col-config-1", 7, "truck", GOOD},
	{"wim-col-config-2", 7, "Truck", CODE},
	{"wim-col-config-3", 7, "tractor", CODE},
	{"wim-col-config-4", 7, "", CODE},
	{"wim-col-config-5", 7, "trains", CODE},

	{"wim-col-gross-1", 8, "1000", GOOD},
	{"wim-col-gross-2", 8, "200000", GOOD},
	{"wim-col-gross-3", 8, "999", NUM},
	{"wim-col-gross-4", 8, "200001", NUM},
	{"wim-col-gross-5", 8, "01000", NUM},
	{"wim-col-gross-6", 8, "1e4", NUM},
	{"wim-col-gross-7", 8, "-5000", NUM},
	{"wim-col-gross-8", 8, "49000.5", NUM},
	{"wim-col-gross-9", 8, "", NUM},
	{"wim-col-gross-10", 8, "1000000", NUM},

	{"wim-col-speed-1", 9, "0", GOOD},
	{"wim-col-speed-2", 9, "200", GOOD},
	{"wim-col-speed-3", 9, "201", NUM},
	{"wim-col-speed-4", 9, "1000", NUM},
	{"wim-col-speed-5", 9, "-1", NUM},
	{"wim-col-speed-6", 9, "", NUM},
	{"wim-col-speed-7", 9, "60.5", NUM},
	{"wim-col-speed-8", 9, "00", NUM},

	{"wim-col-image-1", 10, "", GOOD},
	{"wim-col-image-2", 10, H64U, GOOD},
	{"wim-col-image-3", 10, H64 "0", FMT},
	{"wim-col-image-4", 10, "0123456789abcdef", FMT},
	{"wim-col-image-5", 10, "g123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", FMT},
	{"wim-col-image-6", 10, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde ", FMT},

	{"wim-col-video-1", 11, H64, GOOD},
	{"wim-col-video-2", 11, H64U, GOOD},
	{"wim-col-video-3", 11, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeX", FMT},
	{"wim-col-video-4", 11, "00", FMT},
};

static const char *const col_name[] = {
	"row", "station", "time", "lane", "plate", "plate_colour", "axles",
	"config", "gross_kg", "speed_kmh", "image_sha256", "video_sha256",
};

static void test_columns(void **state)
{
	(void)state;
	for (size_t i = 0; i < ZF_ARRAY_LEN(col_rows); i++) {
		const struct col_row *r = &col_rows[i];
		char line[WIM_LINE_MAX + 1];
		size_t n = line_with(r->col, r->value, line, sizeof(line));
		struct wim_record rec;
		struct wim_error err;
		int rc;

		memset(&err, 0, sizeof(err));
		rc = wim_parse_line(line, n, &rec, &err);
		if (!r->code) {
			if (rc != ZF_OK)
				fail_msg("%s: refused: %s %s %s", r->id, err.err.code,
					 err.err.field, err.err.message);
			continue;
		}
		if (rc != ZF_EINVAL)
			fail_msg("%s: \"%s\" accepted", r->id, r->value);
		if (strcmp(err.err.code, r->code) != 0 ||
		    strcmp(err.err.field, col_name[r->col]) != 0 || err.column != r->col)
			fail_msg("%s: got %s %s (column %d), want %s %s: %s", r->id,
				 err.err.code, err.err.field, err.column, r->code,
				 col_name[r->col], err.err.message);
		/* the message names the column and is fit for JSON */
		assert_non_null(strstr(err.err.message, col_name[r->col]));
		assert_true(text_utf8_len(err.err.message) > 0);
		assert_int_equal(err.line, 0);
	}
}

/* The record a good line gives, field by field. */
static void test_record(void **state)
{
	char line[WIM_LINE_MAX + 1];
	struct wim_record rec;
	struct wim_error err;
	size_t n;

	(void)state;
	n = line_with(0, NULL, line, sizeof(line));
	assert_int_equal(wim_parse_line(line, n, &rec, &err), ZF_OK);
	assert_string_equal(rec.station, "HS-G7-01");
	/* 2025-03-01T02:00:00Z */
	assert_true(rec.time_us == INT64_C(1740794400) * 1000000);
	assert_int_equal(rec.lane, 1);
	assert_string_equal(rec.plate, "蒙L12345");
	assert_int_equal(rec.plate_colour, WIM_YELLOW);
	assert_string_equal(wim_plate_colour_code(rec.plate_colour), "yellow");
	assert_int_equal(rec.axles, 6);
	assert_int_equal(rec.config, OVERLOAD_TRAIN);
	assert_int_equal(rec.gross_kg, 49000);
	assert_int_equal(rec.speed_kmh, 62);
	assert_string_equal(rec.image_sha256, H64);
	assert_string_equal(rec.video_sha256, "");
	assert_false(rec.over);

	/* normalised: lower-case plate letters and hex digits */
	n = line_with(4, "蒙l1234a", line, sizeof(line));
	assert_int_equal(wim_parse_line(line, n, &rec, &err), ZF_OK);
	assert_string_equal(rec.plate, "蒙L1234A");
	n = line_with(11, H64U, line, sizeof(line));
	assert_int_equal(wim_parse_line(line, n, &rec, &err), ZF_OK);
	assert_string_equal(rec.video_sha256, H64);

	/* fractions and offsets */
	n = line_with(2, "2025-03-01T10:00:00.25-01:30", line, sizeof(line));
	assert_int_equal(wim_parse_line(line, n, &rec, &err), ZF_OK);
	assert_true(rec.time_us == (INT64_C(1740823200) + 5400) * 1000000 + 250000);

	/* a trailing CR is the line end's, not the last column's */
	n = line_with(0, NULL, line, sizeof(line));
	line[n++] = '\r';
	assert_int_equal(wim_parse_line(line, n, &rec, &err), ZF_OK);
	assert_string_equal(rec.video_sha256, "");
	/* the line need not be NUL-terminated: parse a prefix of a longer buffer */
	n = line_with(0, NULL, line, sizeof(line));
	line[n] = 'X';
	assert_int_equal(wim_parse_line(line, n, &rec, &err), ZF_OK);
	/* err may be NULL */
	assert_int_equal(wim_parse_line(line, n + 1, &rec, NULL), ZF_EINVAL);
}

/* ---- the row as a whole ---- */

struct row_case {
	const char *id;
	const char *line;
	const char *field;
	const char *code;
	const char *says;	/* a part of the message */
};

static const struct row_case row_cases[] = {
	{"wim-row-1", "", "row", FMT, "空行"},
	{"wim-row-2", "\r", "row", FMT, "空行"},
	{"wim-row-3", "HS1,2025-03-01T10:00:00+08:00,1,蒙L12345,yellow,6,train,49000,62,",
	 "row", FMT, "实际为 10 列"},
	{"wim-row-4", "HS1,2025-03-01T10:00:00+08:00,1,蒙L12345,yellow,6,train,49000,62,,,",
	 "row", FMT, "实际为 12 列"},
	{"wim-row-5", "\"HS1\",2025-03-01T10:00:00+08:00,1,蒙L12345,yellow,6,train,49000,62,,",
	 "station", FMT, "双引号"},
	{"wim-row-6", "HS1,2025-03-01T10:00:00+08:00,1,\"蒙L12345,x\",yellow,6,train,49000,62,,",
	 "plate", FMT, "双引号"},
	{"wim-row-7", "HS1;2025-03-01T10:00:00+08:00;1;蒙L12345;yellow;6;train;49000;62;;",
	 "row", FMT, "实际为 1 列"},
	/* the first bad column is the one reported */
	{"wim-row-8", "HS1,2025-03-01T10:00:00+08:00,0,蒙I12345,red,9,train,49000,62,,",
	 "lane", NUM, "实际为“0”"},
	/* an unprintable byte is shown escaped, so the message stays valid UTF-8 */
	{"wim-row-9", "H\x01S,2025-03-01T10:00:00+08:00,1,蒙L12345,yellow,6,train,49000,62,,",
	 "station", FMT, "\\x01"},
	{"wim-row-10", "HS,2025-03-01T10:00:00+08:00,1,蒙L12345,yellow,6,train,49000,62,\xe8\x92,",
	 "image_sha256", FMT, "\\xE8\\x92"},
};

static void test_rows(void **state)
{
	(void)state;
	for (size_t i = 0; i < ZF_ARRAY_LEN(row_cases); i++) {
		const struct row_case *c = &row_cases[i];
		struct wim_record rec;
		struct wim_error err;

		if (wim_parse_line(c->line, strlen(c->line), &rec, &err) != ZF_EINVAL)
			fail_msg("%s: accepted", c->id);
		if (strcmp(err.err.field, c->field) != 0 || strcmp(err.err.code, c->code) != 0 ||
		    !strstr(err.err.message, c->says))
			fail_msg("%s: got %s %s: %s", c->id, err.err.field, err.err.code,
				 err.err.message);
		assert_true(text_utf8_len(err.err.message) > 0);
	}
}

static void test_too_long(void **state)
{
	char line[WIM_LINE_MAX + 200];
	struct wim_record rec;
	struct wim_error err;
	size_t n;

	(void)state;
	n = line_with(1, "A", line, sizeof(line));
	memset(line + n, 'x', sizeof(line) - n);
	assert_int_equal(wim_parse_line(line, sizeof(line), &rec, &err), ZF_EINVAL);
	assert_string_equal(err.err.field, "row");
	assert_non_null(strstr(err.err.message, "过长"));
}

/* ---- the fast plate path and ids_plate_check agree ---- */

static uint64_t rng = 88172645463325252u;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void test_plates_agree(void **state)
{
	static const char *const firsts[] = {
		"蒙", "京", "新", "粤", "乙", "中", "A", "\xe8\x92", "",
	};
	static const char *const chars[] = {
		"A", "B", "D", "F", "H", "I", "J", "K", "L", "O", "Z", "a", "d", "i", "0",
		"1", "5", "9", "挂", "学", "警", "港", "澳", "试", " ", "-", "\xff",
	};
	int accepted = 0, refused = 0;

	(void)state;
	for (int k = 0; k < 200000; k++) {
		char plate[64], line[WIM_LINE_MAX + 1];
		size_t n;
		int len = 4 + (int)(next() % 6);
		struct wim_record rec;
		struct wim_error err;
		struct ids_plate pl;
		int want, got;

		n = (size_t)snprintf(plate, sizeof(plate), "%s",
				     firsts[k % 8 == 0 ? next() % ZF_ARRAY_LEN(firsts) : next() % 4]);
		for (int i = 0; i < len; i++) {
			/* mostly plate-like characters, so many candidates are good */
			const char *c = next() % 4 ? chars[next() % 19] : chars[next() % ZF_ARRAY_LEN(chars)];

			n += (size_t)snprintf(plate + n, sizeof(plate) - n, "%s", c);
		}
		n = line_with(4, plate, line, sizeof(line));
		got = wim_parse_line(line, n, &rec, &err);
		want = ids_plate_check(plate, &pl, "plate", NULL);
		if ((got == ZF_OK) != (want == ZF_OK))
			fail_msg("plate \"%s\": wim %d, ids %d", plate, got, want);
		if (got == ZF_OK) {
			assert_string_equal(rec.plate, pl.text);
			accepted++;
		} else {
			assert_string_equal(err.err.field, "plate");
			refused++;
		}
	}
	assert_true(accepted > 1000 && refused > 1000);
}

/* ---- the fast time parser and instant_parse agree ---- */

static void test_times_agree(void **state)
{
	(void)state;
	for (int k = 0; k < 100000; k++) {
		char t[64], line[WIM_LINE_MAX + 1];
		int y = 2000 + (int)(next() % 100), m = 1 + (int)(next() % 12);
		int d = 1 + (int)(next() % 31), oh = (int)(next() % 15), om = (int)(next() % 60);
		int fd = (int)(next() % 7);
		char frac[8] = "";
		int64_t want_us = 0;
		struct wim_record rec;
		struct wim_error err;
		size_t n;
		int want, got;

		for (int i = 0; i < fd; i++)
			frac[i] = (char)('0' + next() % 10);
		frac[fd] = '\0';
		snprintf(t, sizeof(t), "%04d-%02d-%02dT%02d:%02d:%02d%s%s%s%02d:%02d", y, m, d,
			 (int)(next() % 24), (int)(next() % 60), (int)(next() % 60),
			 fd ? "." : "", frac, next() % 2 ? "+" : "-", oh, om);
		n = line_with(2, t, line, sizeof(line));
		got = wim_parse_line(line, n, &rec, &err);
		want = instant_parse(t, &want_us, "time", NULL);
		if ((got == ZF_OK) != (want == ZF_OK))
			fail_msg("time \"%s\": wim %d, instant_parse %d", t, got, want);
		if (got == ZF_OK && rec.time_us != want_us)
			fail_msg("time \"%s\": wim %lld, instant_parse %lld", t,
				 (long long)rec.time_us, (long long)want_us);
	}
}

/* ---- scanning ---- */

struct seen {
	size_t nrec, nerr;
	size_t rec_lines[64], err_lines[64];
	char err_fields[64][64];
	int64_t over_kg[64];
	size_t stop_after;	/* return 7 from the callback after this many records */
};

static int on_rec(void *arg, size_t line, const struct wim_record *rec)
{
	struct seen *s = arg;

	if (s->nrec < 64) {
		s->rec_lines[s->nrec] = line;
		s->over_kg[s->nrec] = rec->over_kg;
	}
	s->nrec++;
	return s->stop_after && s->nrec == s->stop_after ? 7 : 0;
}

static int on_err(void *arg, const struct wim_error *err)
{
	struct seen *s = arg;

	if (s->nerr < 64) {
		s->err_lines[s->nerr] = err->line;
		zf_strlcpy(s->err_fields[s->nerr], err->err.field, 64);
	}
	s->nerr++;
	return 0;
}

#define HDR WIM_HEADER
#define ROW(gross) "HS1,2025-03-01T10:00:00+08:00,1,蒙L12345,yellow,6,train," gross ",62,,"

static const char scan_file[] =
	HDR "\n"
	ROW("49000") "\n"		/* line 2 */
	ROW("49001") "\n"		/* 3: over by 1 */
	ROW("4900x") "\n"		/* 4: bad */
	"\n"				/* 5: blank */
	ROW("50000") "\n"		/* 6: over by 1000 */
	"HS1,2025-03-01T10:00:00+08:00,1,蒙L12345,yellow,5,truck,30000,62,,\n" /* 7: no limit */
	ROW("20000");			/* 8: no final newline */

static void check_scan_file(const struct seen *s, const struct wim_stats *st)
{
	static const size_t rec_lines[] = {2, 3, 6, 8};
	static const size_t err_lines[] = {4, 5, 7};
	static const char *const err_fields[] = {"gross_kg", "row", "axles"};

	assert_int_equal(st->rows, 7);
	assert_int_equal(st->accepted, 4);
	assert_int_equal(st->rejected, 3);
	assert_int_equal(st->over_limit, 2);
	assert_int_equal(s->nrec, 4);
	assert_int_equal(s->nerr, 3);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(s->rec_lines[i], rec_lines[i]);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(s->err_lines[i], err_lines[i]);
		assert_string_equal(s->err_fields[i], err_fields[i]);
	}
	assert_int_equal(s->over_kg[0], 0);
	assert_int_equal(s->over_kg[1], 1);
	assert_int_equal(s->over_kg[2], 1000);
}

static void init_cls(struct wim_classifier *c, int64_t tol_kg, int64_t tol_permille)
{
	struct overload_settings set = {OVERLOAD_WHOLE_TONNES, tol_kg, tol_permille};
	struct zf_error err;

	zf_error_clear(&err);
	if (wim_classifier_init(c, &rules, &set, &err) != ZF_OK)
		fail_msg("classifier: %s %s %s", err.code, err.field, err.message);
}

static void test_scan_lines(void **state)
{
	struct wim_classifier cls;
	struct wim_stats st;
	struct seen s;
	struct zf_error err;

	(void)state;
	init_cls(&cls, 0, 0);
	memset(&s, 0, sizeof(s));
	assert_int_equal(wim_scan(scan_file, strlen(scan_file), &cls, on_rec, on_err, &s,
				  &st, &err), ZF_OK);
	check_scan_file(&s, &st);
	wim_classifier_release(&cls);
}

/* The same file with "\r\n" line ends and a byte-order mark. */
static void test_scan_crlf(void **state)
{
	char buf[sizeof(scan_file) * 2 + 8];
	struct wim_classifier cls;
	struct wim_stats st;
	struct seen s;
	struct zf_error err;
	size_t n = 0;

	(void)state;
	memcpy(buf, "\xef\xbb\xbf", 3);
	n = 3;
	for (const char *p = scan_file; *p; p++) {
		if (*p == '\n')
			buf[n++] = '\r';
		buf[n++] = *p;
	}
	init_cls(&cls, 0, 0);
	memset(&s, 0, sizeof(s));
	assert_int_equal(wim_scan(buf, n, &cls, on_rec, on_err, &s, &st, &err), ZF_OK);
	check_scan_file(&s, &st);
	wim_classifier_release(&cls);
}

/* Fed in chunks through a buffer of the smallest size wim.h allows. */
static void test_scan_chunks(void **state)
{
	enum { CAP = WIM_LINE_MAX + 2 };
	struct wim_classifier cls;
	struct wim_scan sc;
	struct seen s;
	struct zf_error err;
	char buf[CAP];

	(void)state;
	init_cls(&cls, 0, 0);
	for (size_t step = 1; step < 200; step += 7) {
		size_t have = 0, off = 0, len = strlen(scan_file), used;

		memset(&s, 0, sizeof(s));
		wim_scan_init(&sc, &cls, on_rec, on_err, &s);
		for (;;) {
			size_t take = len - off < step ? len - off : step;

			if (take > CAP - have)
				take = CAP - have;
			memcpy(buf + have, scan_file + off, take);
			have += take;
			off += take;
			assert_int_equal(wim_scan_feed(&sc, buf, have, off == len, &used, &err),
					 ZF_OK);
			memmove(buf, buf + used, have - used);
			have -= used;
			if (off == len) {
				assert_int_equal(have, 0);
				break;
			}
		}
		check_scan_file(&s, &sc.stats);
	}
	wim_classifier_release(&cls);
}

/* A line over WIM_LINE_MAX is one refused row, whole or in chunks. */
static void test_scan_long_line(void **state)
{
	static char file[4 * WIM_LINE_MAX];
	char buf[WIM_LINE_MAX + 2];
	struct wim_scan sc;
	struct wim_stats st;
	struct seen s;
	struct zf_error err;
	size_t n = 0, off = 0, have = 0, used;

	(void)state;
	n += (size_t)snprintf(file + n, sizeof(file) - n, "%s\n%s\n", HDR, ROW("49000"));
	memset(file + n, 'x', 2 * WIM_LINE_MAX);
	n += 2 * WIM_LINE_MAX;
	n += (size_t)snprintf(file + n, sizeof(file) - n, "\n%s\n", ROW("49000"));

	memset(&s, 0, sizeof(s));
	assert_int_equal(wim_scan(file, n, NULL, on_rec, on_err, &s, &st, &err), ZF_OK);
	assert_int_equal(st.rows, 3);
	assert_int_equal(st.rejected, 1);
	assert_int_equal(s.err_lines[0], 3);
	assert_string_equal(s.err_fields[0], "row");
	assert_int_equal(s.rec_lines[1], 4);

	memset(&s, 0, sizeof(s));
	wim_scan_init(&sc, NULL, on_rec, on_err, &s);
	while (off < n || have) {
		size_t take = n - off < sizeof(buf) - have ? n - off : sizeof(buf) - have;

		memcpy(buf + have, file + off, take);
		have += take;
		off += take;
		assert_int_equal(wim_scan_feed(&sc, buf, have, off == n, &used, &err), ZF_OK);
		memmove(buf, buf + used, have - used);
		have -= used;
		if (off == n)
			break;
	}
	assert_int_equal(sc.stats.rows, 3);
	assert_int_equal(sc.stats.rejected, 1);
	assert_int_equal(s.nerr, 1);
	assert_int_equal(s.err_lines[0], 3);
	assert_int_equal(s.rec_lines[1], 4);
}

struct header_case {
	const char *id;
	const char *file;
	const char *says;
};

static const struct header_case header_cases[] = {
	{"wim-scan-header-1", "", "缺少表头"},
	{"wim-scan-header-2", "\n" ROW("49000") "\n", "缺少表头"},
	{"wim-scan-header-3", ROW("49000") "\n", "自第 1 列起不同"},
	{"wim-scan-header-4",
	 "station,time,lane,plate,colour,axles,config,gross_kg,speed_kmh,image_sha256,video_sha256\n",
	 "自第 5 列起不同"},
	{"wim-scan-header-5",
	 "station,time,lane,plate,plate_colour,axles,config,gross_kg,speed_kmh,image_sha256\n"
	 ROW("49000") "\n", "自第 11 列起不同"},
	{"wim-scan-header-6", HDR ",extra\n", "自第 12 列起不同"},
	{"wim-scan-header-7", "STATION,time,lane,plate,plate_colour,axles,config,gross_kg,"
	 "speed_kmh,image_sha256,video_sha256\n", "自第 1 列起不同"},
};

static void test_scan_header(void **state)
{
	(void)state;
	for (size_t i = 0; i < ZF_ARRAY_LEN(header_cases); i++) {
		const struct header_case *c = &header_cases[i];
		struct wim_stats st;
		struct seen s;
		struct zf_error err;

		memset(&s, 0, sizeof(s));
		zf_error_clear(&err);
		assert_int_equal(wim_scan(c->file, strlen(c->file), NULL, on_rec, on_err, &s,
					  &st, &err), ZF_EINVAL);
		if (strcmp(err.code, "invalid_format") != 0 || strcmp(err.field, "header") != 0 ||
		    !strstr(err.message, c->says))
			fail_msg("%s: %s %s %s", c->id, err.code, err.field, err.message);
		assert_int_equal(s.nrec + s.nerr, 0);
		assert_int_equal(st.rows, 0);
	}
	/* a header alone is a good, empty file */
	{
		struct wim_stats st;
		struct zf_error err;

		assert_int_equal(wim_scan(HDR "\r\n", strlen(HDR) + 2, NULL, NULL, NULL, NULL,
					  &st, &err), ZF_OK);
		assert_int_equal(st.rows, 0);
	}
}

/* A callback's non-zero value stops the scan and is returned. */
static void test_scan_stop(void **state)
{
	struct wim_stats st;
	struct seen s;
	struct zf_error err;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.stop_after = 2;
	assert_int_equal(wim_scan(scan_file, strlen(scan_file), NULL, on_rec, on_err, &s,
				  &st, &err), 7);
	assert_int_equal(s.nrec, 2);
	assert_int_equal(st.rows, 2);
	assert_int_equal(st.accepted, 2);
}

/* ---- classification ---- */

static struct wim_record record(const char *time, int axles, enum overload_config config,
				int64_t gross)
{
	struct wim_record r;
	char line[WIM_LINE_MAX + 1];
	char a[8], g[16];
	struct wim_error err;
	size_t n;
	const char *cols[WIM_COLUMNS];

	snprintf(a, sizeof(a), "%d", axles);
	snprintf(g, sizeof(g), "%lld", (long long)gross);
	memcpy(cols, base, sizeof(cols));
	cols[1] = time;
	cols[5] = a;
	cols[6] = config == OVERLOAD_TRUCK ? "truck" : "train";
	cols[7] = g;
	n = (size_t)snprintf(line, sizeof(line), "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s", cols[0],
			     cols[1], cols[2], cols[3], cols[4], cols[5], cols[6], cols[7],
			     cols[8], cols[9], cols[10]);
	if (wim_parse_line(line, n, &r, &err) != ZF_OK)
		fail_msg("record: %s", err.err.message);
	return r;
}

struct cls_row {
	const char *id;
	int axles;
	enum overload_config config;
	int64_t gross;
	int64_t tol_kg, tol_permille;
	/* expected */
	int64_t limit, tolerance, over_kg;
	bool over;
};

#define T OVERLOAD_TRUCK
#define TR OVERLOAD_TRAIN

static const struct cls_row cls_rows[] = {
	/* 62号令 Art. 3 para 1 (4)-(8); "over" is strictly greater */
	{"wim-cls-1", 6, TR, 49000, 0, 0, 49000, 0, 0, false},
	{"wim-cls-2", 6, TR, 49001, 0, 0, 49000, 0, 1, true},
	{"wim-cls-3", 8, TR, 49001, 0, 0, 49000, 0, 1, true},
	{"wim-cls-4", 2, T, 18000, 0, 0, 18000, 0, 0, false},
	{"wim-cls-5", 2, T, 18001, 0, 0, 18000, 0, 1, true},
	{"wim-cls-6", 3, T, 25001, 0, 0, 25000, 0, 1, true},
	{"wim-cls-7", 3, TR, 27000, 0, 0, 27000, 0, 0, false},
	{"wim-cls-8", 4, T, 31500, 0, 0, 31000, 0, 500, true},
	{"wim-cls-9", 4, TR, 36000, 0, 0, 36000, 0, 0, false},
	{"wim-cls-10", 5, TR, 43001, 0, 0, 43000, 0, 1, true},
	/* the organisation's tolerance in kg: deducted before comparing */
	{"wim-cls-11", 6, TR, 49500, 500, 0, 49000, 500, 0, false},
	{"wim-cls-12", 6, TR, 49501, 500, 0, 49000, 500, 1, true},
	/* in permille of the weighing, a started kilogram counts */
	{"wim-cls-13", 6, TR, 49495, 0, 10, 49000, 495, 0, false},
	{"wim-cls-14", 6, TR, 49496, 0, 10, 49000, 495, 1, true},
	{"wim-cls-15", 6, TR, 60000, 0, 10, 49000, 600, 10400, true},
};

static void test_classify_rows(void **state)
{
	(void)state;
	for (size_t i = 0; i < ZF_ARRAY_LEN(cls_rows); i++) {
		const struct cls_row *c = &cls_rows[i];
		struct wim_classifier cls;
		struct wim_record r = record("2025-03-01T10:00:00+08:00", c->axles, c->config,
					     c->gross);
		struct wim_error err;

		init_cls(&cls, c->tol_kg, c->tol_permille);
		if (wim_classify(&cls, &r, &err) != ZF_OK)
			fail_msg("%s: %s", c->id, err.err.message);
		if (r.limit_kg != c->limit || r.tolerance_kg != c->tolerance ||
		    r.over_kg != c->over_kg || r.over != c->over)
			fail_msg("%s: limit %lld tolerance %lld over %lld (%d)", c->id,
				 (long long)r.limit_kg, (long long)r.tolerance_kg,
				 (long long)r.over_kg, r.over);
		wim_classifier_release(&cls);
	}
}

/* What the engine cannot classify is refused with the engine's error. */
static void test_classify_refused(void **state)
{
	struct wim_classifier cls;
	struct wim_record r;
	struct wim_error err;
	struct overload_settings bad = {OVERLOAD_WHOLE_TONNES, 100, 10};
	struct zf_error ze;

	(void)state;
	init_cls(&cls, 0, 0);
	r = record("2025-03-01T10:00:00+08:00", 5, OVERLOAD_TRUCK, 30000);
	assert_int_equal(wim_classify(&cls, &r, &err), ZF_EINVAL);
	assert_string_equal(err.err.code, "unknown_code");
	assert_string_equal(err.err.field, "axles");
	assert_int_equal(err.column, 6);
	assert_false(r.over);
	/* 2 axles: no train limit */
	r = record("2025-03-01T10:00:00+08:00", 2, OVERLOAD_TRAIN, 30000);
	assert_int_equal(wim_classify(&cls, &r, &err), ZF_EINVAL);
	assert_string_equal(err.err.field, "axles");
	/* before 62号令 was in force (2016-09-21, local date) */
	r = record("2016-09-20T23:59:59+08:00", 6, OVERLOAD_TRAIN, 60000);
	assert_int_equal(wim_classify(&cls, &r, &err), ZF_EREFUSED);
	assert_string_equal(err.err.code, "no_rule_in_force");
	assert_string_equal(err.err.field, "time");
	assert_int_equal(err.column, 2);
	r = record("2016-09-20T16:00:00Z", 6, OVERLOAD_TRAIN, 60000);
	assert_int_equal(wim_classify(&cls, &r, &err), ZF_OK);
	assert_true(r.over);
	/* a record the parser would not have produced */
	r.axles = 12;
	assert_int_equal(wim_classify(&cls, &r, &err), ZF_EINVAL);
	assert_string_equal(err.err.field, "axles");
	assert_false(r.over);
	r.axles = 6;
	r.config = OVERLOAD_FARM_TRACTOR;
	assert_int_equal(wim_classify(&cls, &r, &err), ZF_EINVAL);
	assert_string_equal(err.err.field, "config");
	wim_classifier_release(&cls);

	/* settings the engine refuses are refused at init */
	zf_error_clear(&ze);
	assert_int_equal(wim_classifier_init(&cls, &rules, &bad, &ze), ZF_EINVAL);
	assert_string_equal(ze.field, "wim_tolerance_permille");
}

/* For many records, the table agrees with overload_check itself. */
static void test_classify_agrees(void **state)
{
	static const int64_t tols[][2] = {{0, 0}, {300, 0}, {0, 25}, {10000, 0}};

	(void)state;
	for (size_t t = 0; t < ZF_ARRAY_LEN(tols); t++) {
		struct overload_settings set = {OVERLOAD_WHOLE_TONNES, tols[t][0], tols[t][1]};
		struct wim_classifier cls;

		init_cls(&cls, tols[t][0], tols[t][1]);
		for (int k = 0; k < 3000; k++) {
			char time[40];
			int axles = WIM_AXLES_MIN + (int)(next() % 7);
			enum overload_config cfg = next() % 2 ? OVERLOAD_TRUCK : OVERLOAD_TRAIN;
			int64_t gross = WIM_GROSS_MIN_KG + (int64_t)(next() % 80000);
			struct wim_record r;
			struct wim_error err;
			struct overload_input in;
			struct overload_result res;
			struct zf_error ze;
			int got, want;

			snprintf(time, sizeof(time), "20%02d-%02d-%02dT%02d:00:00+08:00",
				 14 + (int)(next() % 12), 1 + (int)(next() % 12),
				 1 + (int)(next() % 28), (int)(next() % 24));
			r = record(time, axles, cfg, gross);
			got = wim_classify(&cls, &r, &err);
			wim_overload_input(&r, &in);
			zf_error_clear(&ze);
			want = overload_check(&rules, &in, &set, &res, &ze);
			if (got != want)
				fail_msg("%s %d %s %lld: wim %d (%s), engine %d (%s)", time, axles,
					 overload_config_code(cfg), (long long)gross, got,
					 err.err.code, want, ze.code);
			if (want != ZF_OK) {
				assert_string_equal(err.err.code, ze.code);
				continue;
			}
			if (r.limit_kg != res.limit_kg || r.over != res.overweight ||
			    r.over_kg != res.over_kg || r.tolerance_kg != res.tolerance_kg)
				fail_msg("%s %d %s %lld: wim %lld/%lld/%lld, engine %lld/%lld/%lld",
					 time, axles, overload_config_code(cfg), (long long)gross,
					 (long long)r.limit_kg, (long long)r.tolerance_kg,
					 (long long)r.over_kg, (long long)res.limit_kg,
					 (long long)res.tolerance_kg, (long long)res.over_kg);
			overload_result_release(&res);
		}
		wim_classifier_release(&cls);
	}
}

/*
 * A limit that changes on a date: the classification follows the local
 * (UTC+8) date of the weighing, period by period.  The 49 t row is ended
 * on 2029-12-31 and a 50 t row begins on 2030-01-01 (a made-up change).
 */
static void test_classify_periods(void **state)
{
	const struct embed_file *f = embed_find("data/rules/overload_limits.tsv");
	static const char old_row[] = "a3.1.8\tmass\ttrain\t6+\tmulti\t-\t49000\t2016-09-21\t-\t";
	static const char new_rows[] =
		"a3.1.8\tmass\ttrain\t6+\tmulti\t-\t49000\t2016-09-21\t2029-12-31\tV2\tx\ty\n"
		"a3.1.8n\tmass\ttrain\t6+\tmulti\t-\t50000\t2030-01-01\t-\t";
	struct overload_rules r2;
	struct wim_classifier cls;
	struct overload_settings set = {OVERLOAD_WHOLE_TONNES, 0, 0};
	struct zf_error err;
	static char text[65536];
	const char *at, *eol;
	size_t n;
	struct {
		const char *time;
		int64_t limit;
	} cases[] = {
		{"2029-12-31T23:59:59+08:00", 49000},
		{"2029-12-31T15:59:59.999999Z", 49000},
		{"2029-12-31T16:00:00Z", 50000},
		{"2030-01-01T00:00:00+08:00", 50000},
		{"2029-12-31T12:00:00-05:00", 50000},
	};

	(void)state;
	assert_non_null(f);
	at = strstr((const char *)f->data, old_row);
	assert_non_null(at);
	eol = strchr(at, '\n');
	assert_non_null(eol);
	/* keep the old row's conf, label and basis after the new 50 t row */
	n = (size_t)(at - (const char *)f->data);
	memcpy(text, f->data, n);
	n += (size_t)snprintf(text + n, sizeof(text) - n, "%s", new_rows);
	n += (size_t)snprintf(text + n, sizeof(text) - n, "%.*s",
			      (int)(eol - at - (sizeof(old_row) - 1)), at + sizeof(old_row) - 1);
	n += (size_t)snprintf(text + n, sizeof(text) - n, "%s", eol);

	overload_rules_init(&r2);
	zf_error_clear(&err);
	if (overload_rules_load_limits(&r2, text, n, &err) != ZF_OK ||
	    overload_rules_load_penalties(&r2, (const char *)embed_find(
				"data/rules/overload_penalties.tsv")->data,
				embed_find("data/rules/overload_penalties.tsv")->len, &err) != ZF_OK)
		fail_msg("rules: %s %s", err.field, err.message);
	assert_int_equal(wim_classifier_init(&cls, &r2, &set, &err), ZF_OK);
	for (size_t i = 0; i < ZF_ARRAY_LEN(cases); i++) {
		struct wim_record rec = record(cases[i].time, 6, OVERLOAD_TRAIN, 60000);
		struct wim_error we;

		assert_int_equal(wim_classify(&cls, &rec, &we), ZF_OK);
		if (rec.limit_kg != cases[i].limit)
			fail_msg("%s: limit %lld, want %lld", cases[i].time,
				 (long long)rec.limit_kg, (long long)cases[i].limit);
	}
	wim_classifier_release(&cls);
	overload_rules_release(&r2);
}

static void test_classifier_alloc_failure(void **state)
{
	struct overload_settings set = {OVERLOAD_WHOLE_TONNES, 0, 0};
	struct wim_classifier cls;
	struct zf_error err;
	int rc = ZF_ENOMEM;

	(void)state;
	for (long k = 1; rc == ZF_ENOMEM && k < 10000; k++) {
		zf_error_clear(&err);
		zf_alloc_fail_after(k);
		rc = wim_classifier_init(&cls, &rules, &set, &err);
		zf_alloc_fail_after(0);
		if (rc == ZF_ENOMEM)
			assert_string_equal(err.code, "out_of_memory");
	}
	assert_int_equal(rc, ZF_OK);
	wim_classifier_release(&cls);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_columns),
		cmocka_unit_test(test_record),
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_plates_agree),
		cmocka_unit_test(test_times_agree),
		cmocka_unit_test(test_scan_lines),
		cmocka_unit_test(test_scan_crlf),
		cmocka_unit_test(test_scan_chunks),
		cmocka_unit_test(test_scan_long_line),
		cmocka_unit_test(test_scan_header),
		cmocka_unit_test(test_scan_stop),
		cmocka_unit_test(test_classify_rows),
		cmocka_unit_test(test_classify_refused),
		cmocka_unit_test(test_classify_agrees),
		cmocka_unit_test(test_classify_periods),
		cmocka_unit_test(test_classifier_alloc_failure),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
