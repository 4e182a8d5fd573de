/*
 * wim: weigh-in-motion (动态称重) records, the off-site enforcement input
 * (issue 8; law.md §3; 行政处罚法 Art. 41).  The file format is in
 * docs/wim-csv.md.
 *
 * Three layers, each usable on its own:
 *   wim_parse_line()  one CSV line -> struct wim_record, every field
 *                     validated strictly;
 *   wim_classify()    a record -> its gross-mass limit, the weigh-in-motion
 *                     tolerance, the excess and the over-limit verdict, from
 *                     the overload engine (overload.h);
 *   wim_scan_feed()   walks the lines of a buffer (a whole mmapped file, or
 *                     successive chunks), checks the header, parses and
 *                     classifies every row, counts, and calls back per
 *                     record and per refused row with its line number.
 *
 * Speed is part of the contract (issue 8 "Performance": ≥ 0.08 × `wc -l`
 * on one core).  Nothing here allocates per row, formats text for a good
 * row, or reads the clock; a Chinese message is produced only for a row
 * that is refused.  A good row costs a few hundred nanoseconds.
 *
 * Depends on lib/ (date), domain/ids (the plate check, on the rare path)
 * and domain/overload.  No I/O, no global state: the caller maps or reads
 * the file, and may scan several files in parallel threads.
 *
 * Files: wim.c (a line), wim_classify.c, wim_scan.c; wim_int.h is theirs.
 */
#ifndef ZF_WIM_H
#define ZF_WIM_H

#include "ids.h"
#include "overload.h"
#include "zf.h"

#define WIM_COLUMNS 11
/* The header line, exactly (after an optional UTF-8 byte-order mark). */
#define WIM_HEADER "station,time,lane,plate,plate_colour,axles,config," \
		   "gross_kg,speed_kmh,image_sha256,video_sha256"
#define WIM_LINE_MAX 1024	/* bytes in one line, without its line end */
#define WIM_STATION_MAX 32	/* bytes of a station code */
#define WIM_HASH_HEX 64		/* SHA-256 in hex */
#define WIM_AXLES_MIN 2
#define WIM_AXLES_MAX 8
#define WIM_GROSS_MIN_KG 1000
#define WIM_GROSS_MAX_KG 200000
#define WIM_SPEED_MAX_KMH 200
#define WIM_LANE_MAX 99
#define WIM_YEAR_MIN 2000	/* a time outside these years is a device clock error */
#define WIM_YEAR_MAX 2099

/* Plate colours as the file spells them (GA 36-2018). */
enum wim_plate_colour {
	WIM_YELLOW = 1,		/* yellow 黄牌 */
	WIM_BLUE,		/* blue 蓝牌 */
	WIM_GREEN,		/* green 绿牌 (small new-energy) */
	WIM_YELLOW_GREEN,	/* yellow_green 黄绿双拼 (large new-energy) */
	WIM_WHITE,		/* white 白牌 */
	WIM_BLACK,		/* black 黑牌 */
};

/*
 * One weigh-in-motion record.  Self-contained (no pointer into the input),
 * so a callback may copy it and the input may go away.
 */
struct wim_record {
	char station[WIM_STATION_MAX + 1];	/* as in the file */
	int64_t time_us;			/* UTC microseconds since the epoch */
	int lane;				/* 1..WIM_LANE_MAX */
	char plate[IDS_NORM_MAX];		/* normalised as ids_plate_check does */
	enum wim_plate_colour plate_colour;
	int axles;				/* WIM_AXLES_MIN..WIM_AXLES_MAX */
	enum overload_config config;		/* OVERLOAD_TRUCK or OVERLOAD_TRAIN */
	int64_t gross_kg;			/* as weighed, before any tolerance */
	int speed_kmh;				/* 0..WIM_SPEED_MAX_KMH */
	char image_sha256[WIM_HASH_HEX + 1];	/* lower-case hex, "" when none */
	char video_sha256[WIM_HASH_HEX + 1];	/* lower-case hex, "" when none */

	/* filled by wim_classify(), zero after wim_parse_line() */
	int64_t limit_kg;	/* the gross-mass limit that applies */
	int64_t tolerance_kg;	/* deducted for weigh-in-motion (settings) */
	int64_t over_kg;	/* gross - tolerance - limit when over, else 0 */
	bool over;		/* strictly greater than the limit */
};

/*
 * Why a row was refused.  err.field is the column's name ("gross_kg"), or
 * "row" for the row as a whole (column count, quotes, blank, too long), or
 * "header"; err.code is one of docs/codes.tsv: invalid_format,
 * invalid_instant, invalid_number, invalid_plate, unknown_code,
 * no_rule_in_force.  err.message says what is wrong in Chinese and quotes
 * the value; it does not repeat the line number, which is in `line`.
 */
struct wim_error {
	size_t line;		/* 1-based line in the file; 0 from wim_parse_line */
	int column;		/* 1-based column, 0 for the row as a whole */
	struct zf_error err;
};

const char *wim_plate_colour_code(enum wim_plate_colour c);

/*
 * Parse one line (without its '\n'; a trailing '\r' is accepted) into *out.
 * Returns ZF_OK, or ZF_EINVAL with *err filled (err may be NULL).  The line
 * need not be NUL-terminated and is not modified.  No allocation.
 */
int wim_parse_line(const char *line, size_t len, struct wim_record *out,
		   struct wim_error *err) ZF_WUR;

/*
 * The engine's gross-mass limits, tabulated once for every configuration,
 * axle count and period in which the rules do not change, so that
 * classifying a record is a table look-up.
 *
 * A record does not say whether the tractor's drive axle is single or how
 * many axles have single tyres.  The classification assumes neither (the
 * limit more favourable to the party: 49 t rather than 46 t for six axles);
 * a reviewer who sees otherwise on the images re-checks the record with
 * overload_check().  wim_overload_input() builds that check's input, and
 * for every record overload_check() agrees with wim_classify() (the unit
 * tests compare them).
 */
struct wim_classifier {
	const struct overload_rules *rules;	/* borrowed */
	struct overload_settings settings;	/* copied */
	size_t nperiods;
	int64_t *start_us;	/* period i starts at start_us[i] (UTC µs), ascending */
	/* [period][config][axles]: kg, or a negative WIM_NO_* */
	int64_t (*limit_kg)[2][WIM_AXLES_MAX + 1];
};

/*
 * Tabulate the limits of `rules` (which must outlive c) with the
 * organisation's settings (copied; the tolerance applies, the part-tonne
 * mode does not matter here).  Bad settings are refused as overload_check
 * refuses them; "out_of_memory".  On failure c owns nothing.
 */
int wim_classifier_init(struct wim_classifier *c,
			const struct overload_rules *rules,
			const struct overload_settings *settings,
			struct zf_error *err) ZF_WUR;
void wim_classifier_release(struct wim_classifier *c);

/*
 * Fill rec's limit_kg, tolerance_kg, over_kg and over, and return ZF_OK.
 * When the rules have no limit for the record's configuration and axle
 * count (a 5-axle truck, a 2-axle train), returns the engine's own error:
 * ZF_EINVAL, unknown_code naming "axles" (column 6); with none in force on
 * the record's local date, ZF_EREFUSED, no_rule_in_force naming "time"
 * (column 2).  A record wim_parse_line() would not produce (axles outside
 * 2..8, another configuration) is ZF_EINVAL naming that column.  On an
 * error rec's classification fields are zero.  No allocation on success.
 */
int wim_classify(const struct wim_classifier *c, struct wim_record *rec,
		 struct wim_error *err) ZF_WUR;

/* The overload_check() input for rec: its configuration, axles, gross mass,
 * local date, wim = true, and nothing else measured. */
void wim_overload_input(const struct wim_record *rec,
			struct overload_input *in);

/* ---- scanning a file ---------------------------------------------------- */

struct wim_stats {
	uint64_t rows;		/* lines after the header */
	uint64_t accepted;	/* parsed and (with a classifier) classified */
	uint64_t rejected;	/* rows - accepted */
	uint64_t over_limit;	/* accepted rows with rec->over */
};

/*
 * Callbacks.  Returning non-zero stops the scan: wim_scan_feed() returns
 * that value at once and leaves its err alone (the callback keeps its own
 * account of why).  `line` is 1-based; the header is line 1.  The record
 * and the error are valid only during the call.
 */
typedef int wim_record_fn(void *arg, size_t line, const struct wim_record *rec);
typedef int wim_error_fn(void *arg, const struct wim_error *err);

struct wim_scan {
	const struct wim_classifier *cls;	/* NULL: parse and validate only */
	wim_record_fn *on_record;		/* NULL: not called */
	wim_error_fn *on_error;			/* NULL: not called */
	void *arg;
	struct wim_stats stats;
	size_t line;		/* lines consumed so far */
	bool header_done;
	bool skipping;		/* inside a line longer than WIM_LINE_MAX */
};

/* cls, on_record, on_error and arg are borrowed for the scan's life. */
void wim_scan_init(struct wim_scan *sc, const struct wim_classifier *cls,
		   wim_record_fn *on_record, wim_error_fn *on_error, void *arg);

/*
 * Process the complete lines at the start of buf[0..len) and set *used to
 * the bytes consumed; the caller passes the rest again, followed by more of
 * the file.  With eof, a last line without '\n' is processed too and *used
 * is len.  A chunk reader therefore needs a buffer of at least
 * WIM_LINE_MAX + 2 bytes; a longer line is refused as a row (field "row")
 * and skipped.  Pointers into buf are not kept between calls.
 *
 * The first line must be WIM_HEADER (a UTF-8 byte-order mark before it and
 * a '\r' after it are accepted); otherwise, or for an empty file, the whole
 * file is refused: ZF_EINVAL, code invalid_format, field "header", nothing
 * called back.  Every later line is a row: blank lines too (refused).
 * Returns ZF_OK, or a callback's non-zero value.
 */
int wim_scan_feed(struct wim_scan *sc, const char *buf, size_t len, bool eof,
		  size_t *used, struct zf_error *err) ZF_WUR;

/*
 * A whole file in memory: wim_scan_init() + wim_scan_feed(eof).  *stats
 * (may be NULL) receives the counts, also when a callback stopped the scan.
 */
int wim_scan(const char *buf, size_t len, const struct wim_classifier *cls,
	     wim_record_fn *on_record, wim_error_fn *on_error, void *arg,
	     struct wim_stats *stats, struct zf_error *err) ZF_WUR;

#endif
