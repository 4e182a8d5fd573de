/*
 * overload: the over-limit (超限) limits and penalty engine, law as data
 * (law.md §3; DESIGN principle 2).
 *
 * The rules are two tables compiled into the binary:
 *   data/rules/overload_limits.tsv     62号令 Art. 3: the limits (height,
 *                                      width, length, gross mass by axle
 *                                      count and configuration) and the rules
 *                                      for applying them (single tyres,
 *                                      licence mass, the GB 1589 allowances);
 *   data/rules/overload_penalties.tsv  62号令 Art. 43 and 条例 Art. 64: the
 *                                      dimension bands, the mass warning and
 *                                      fine, the caps.
 * Every row carries its article and the dates it is in force; the format is
 * in data/rules/README.md.  No legal number lives in this code.
 *
 * overload_check() is pure: configuration + measurements + date + the
 * organisation's two settings (how a part-tonne is counted, the
 * weigh-in-motion tolerance) -> limit, excess, verdict ("over" means
 * strictly greater than the limit), penalty range, legal basis, and a
 * step-by-step explanation in Chinese for the decision document.
 * Masses are kilograms, lengths millimetres, money whole yuan (every amount
 * in Art. 43 is whole yuan).
 */
#ifndef ZF_OVERLOAD_H
#define ZF_OVERLOAD_H

#include <jansson.h>

#include "date.h"
#include "zf.h"

/* Plausibility bounds for input (not legal numbers): beyond them a
 * measurement is a typing or device error, refused as invalid_number. */
#define OVERLOAD_MAX_AXLES 20
#define OVERLOAD_MAX_MASS_KG 1000000		/* 1,000 t */
#define OVERLOAD_MAX_HEIGHT_MM 10000		/* 10 m */
#define OVERLOAD_MAX_WIDTH_MM 10000		/* 10 m */
#define OVERLOAD_MAX_LENGTH_MM 100000		/* 100 m */
#define OVERLOAD_MAX_TOLERANCE_KG 10000
#define OVERLOAD_MAX_TOLERANCE_PERMILLE 100

/* Vehicle configurations, as the data files spell them. */
enum overload_config {
	OVERLOAD_ANY = 0,		/* "*" in the data: every configuration */
	OVERLOAD_TRUCK,			/* truck 货车 */
	OVERLOAD_TRAIN,			/* train 汽车列车 (tractor + trailer(s)) */
	OVERLOAD_FARM_TRACTOR,		/* farm_tractor 拖拉机 */
	OVERLOAD_FARM_VEHICLE,		/* farm_vehicle 农用车 */
	OVERLOAD_LOW_SPEED_TRUCK,	/* low_speed_truck 低速货车 */
};

/* What a limits row limits. */
enum overload_measure {
	OVERLOAD_HEIGHT = 1,	/* height, mm */
	OVERLOAD_WIDTH,		/* width, mm */
	OVERLOAD_LENGTH,	/* length, mm */
	OVERLOAD_MASS,		/* mass: gross mass limit, kg */
	OVERLOAD_LICENCE_MASS,	/* licence_mass: the 行驶证 gross mass is the limit */
	OVERLOAD_SINGLE_TYRE,	/* single_tyre: reduction per single-tyre axle, kg */
};

enum overload_drive {
	OVERLOAD_DRIVE_ANY = 0,	/* "*" */
	OVERLOAD_DRIVE_SINGLE,	/* single: the (tractor's) drive axle is a single axle */
	OVERLOAD_DRIVE_MULTI,	/* multi: it is not (a tandem drive group) */
};

/* A row that applies only when the input says so (GB 1589 allowances). */
enum overload_condition {
	OVERLOAD_COND_NONE = 0,		/* "-" */
	OVERLOAD_COND_REFRIGERATED,	/* refrigerated 冷藏车 */
	OVERLOAD_COND_AIR_SUSPENSION,	/* air_suspension: twin-tyre drive axle with air suspension */
};

enum overload_rule {
	OVERLOAD_DIM_BAND = 1,	/* dim_band: Art. 43 para 1 (1), one band */
	OVERLOAD_MASS_WARNING,	/* mass_warning: warning up to over_kg */
	OVERLOAD_MASS_FINE,	/* mass_fine: yuan per per_kg over, at most max_yuan */
	OVERLOAD_COMBINED_CAP,	/* combined_cap: several violations added, at most */
	OVERLOAD_STATUTE_CAP,	/* statute_cap: the regulation's maximum */
};

/* How "每超1000千克罚款500元" counts a part-tonne (law.md §3.4, open). */
enum overload_part_tonne {
	OVERLOAD_WHOLE_TONNES = 0,	/* whole_tonnes_of_total_excess (default) */
	OVERLOAD_ROUND_UP,		/* round_up: a started unit counts */
	OVERLOAD_OVER_WARNING_BAND,	/* excess_over_warning_band: only the part above
					 * the warning band, a started unit counts */
};

enum overload_penalty_kind {
	OVERLOAD_PENALTY_NONE = 0,
	OVERLOAD_PENALTY_WARNING,
	OVERLOAD_PENALTY_FINE,
};

struct overload_limit_row {
	char *id;
	enum overload_measure measure;
	enum overload_config config;
	int axles_min, axles_max;	/* axles_max 0: no upper bound ("6+") */
	enum overload_drive drive;
	enum overload_condition condition;
	int64_t value;			/* mm or kg; 0 for licence_mass */
	struct zf_date from, to;	/* to 9999-12-31 when open ("-") */
	char conf[4];			/* V1 V2 M M? (law.md §0) */
	char *label;			/* what the row is about, 中文 */
	char *basis;			/* the article(s), "；"-separated */
	size_t line;
};

struct overload_penalty_row {
	char *id;
	enum overload_rule rule;
	/* dim_band: upper bounds in mm (inclusive), all 0 for the open top band */
	int64_t height_mm, width_mm, length_mm;
	int64_t min_yuan, max_yuan;	/* dim_band range; max_yuan of fine and caps */
	bool may;			/* dim_band: "可以处" */
	int64_t over_kg;		/* mass_warning: warning while excess <= over_kg */
	int64_t per_kg, yuan;		/* mass_fine: yuan for each per_kg over */
	struct zf_date from, to;
	char conf[4];
	char *basis;
	size_t line;
};

struct overload_rules {
	struct overload_limit_row *limits;
	size_t nlimits;
	struct overload_penalty_row *penalties;
	size_t npenalties;
};

void overload_rules_init(struct overload_rules *r);
void overload_rules_release(struct overload_rules *r);

/*
 * Load the text of a limits or penalties file (format in
 * data/rules/README.md), replacing that half of r.  The loader is strict:
 * a wrong header, an unknown code, a bad number or date, a missing or
 * extra column, rows that overlap, or bands out of order refuse the whole
 * file with code "invalid_overload_file" and field "line N" ("header" for
 * a file without one, "rows" for a file without rules), and leave r
 * unchanged.
 */
int overload_rules_load_limits(struct overload_rules *r, const char *text,
			       size_t len, struct zf_error *err) ZF_WUR;
int overload_rules_load_penalties(struct overload_rules *r, const char *text,
				  size_t len, struct zf_error *err) ZF_WUR;
/* Both shipped files, from the copies embedded in the binary (a build
 * without them is a programmer error: ZF_BUG). */
int overload_rules_load_builtin(struct overload_rules *r,
				struct zf_error *err) ZF_WUR;

/* Codes <-> enums; "unknown_code" naming field on failure. */
const char *overload_config_code(enum overload_config c);
int overload_config_parse(const char *s, enum overload_config *out,
			  const char *field, struct zf_error *err) ZF_WUR;
const char *overload_part_tonne_code(enum overload_part_tonne m);
int overload_part_tonne_parse(const char *s, enum overload_part_tonne *out,
			      const char *field, struct zf_error *err) ZF_WUR;
const char *overload_penalty_kind_code(enum overload_penalty_kind k);

/*
 * Parse metres written as a decimal with at most 3 places ("4", "4.2",
 * "18.125") into millimetres, without floating point.  Code
 * "invalid_number" naming field.
 */
int overload_parse_mm(const char *s, int64_t *mm, const char *field,
		      struct zf_error *err) ZF_WUR;

/* The organisation's settings, passed as values. */
struct overload_settings {
	enum overload_part_tonne part_tonne;
	/* weigh-in-motion tolerance: at most one of the two is non-zero */
	int64_t wim_tolerance_kg;
	int64_t wim_tolerance_permille;	/* of the measured mass, rounded up */
};

struct overload_input {
	enum overload_config config;	/* not OVERLOAD_ANY */
	int axles;			/* a tandem group counts 2, a tridem 3 (Art. 3 para 2 (1)) */
	bool single_drive_axle;
	int single_tyre_axles;		/* axles with single tyres each side, drive axles excluded */
	bool refrigerated;
	bool air_suspension;		/* drive axle twin-tyred with air suspension */
	bool has_licence_mass;
	int64_t licence_mass_kg;	/* 行驶证 gross mass: farm_tractor, farm_vehicle, low_speed_truck */
	bool has_mass, has_height, has_width, has_length;
	int64_t mass_kg, height_mm, width_mm, length_mm;
	bool wim;			/* a weigh-in-motion record: the tolerance applies */
	struct zf_date date;		/* the date of the act */
};

struct overload_result {
	int64_t limit_kg;		/* gross-mass limit after reductions */
	int64_t base_limit_kg;		/* before the single-tyre reduction */
	bool has_mass;			/* a mass was measured */
	int64_t tolerance_kg;		/* deducted (wim only) */
	int64_t mass_kg;		/* measured minus tolerance, not below 0 */
	int64_t over_kg;		/* mass_kg - limit_kg when overweight, else 0 */
	bool overweight, oversize;
	int64_t height_limit_mm, width_limit_mm, length_limit_mm;
	int dim_band;			/* 0 none, else 1-based band of Art. 43 para 1 (1) */
	int64_t mass_units;		/* units counted for the mass fine */
	int64_t mass_fine_yuan;		/* after its own cap */
	enum overload_penalty_kind kind;	/* fine when any fine, else warning or none */
	bool mass_warning;		/* the mass part is a warning */
	int64_t min_yuan, max_yuan;	/* the fine's range, caps applied */
	const char *violations[2];	/* overload_mass / overload_dimension codes, NULL-padded */
	char **basis;			/* articles applied, in order, no repeats; owned */
	size_t nbasis;
	char **explain;			/* one sentence per line, 中文; owned */
	size_t nexplain;
};

/*
 * Refuses bad input naming the field: "invalid_number" (axles,
 * single_tyre_axles, mass_kg, height_m, width_m, length_m, licence_mass_kg,
 * wim_tolerance_kg, wim_tolerance_permille), "unknown_code" (config, axles:
 * no limit for that configuration), "required" (licence_mass_kg),
 * "no_rule_in_force" (date), "invalid_date" (date).  On success release
 * res with overload_result_release(); on failure res owns nothing.
 */
int overload_check(const struct overload_rules *r,
		   const struct overload_input *in,
		   const struct overload_settings *s,
		   struct overload_result *res, struct zf_error *err) ZF_WUR;
void overload_result_release(struct overload_result *res);

/* {"limit_kg","over_kg","overweight","oversize","penalty":{"kind","min_yuan",
 * "max_yuan"},"basis":[...],"explain":[...]}; over_kg is null when no mass
 * was measured.  NULL on allocation failure. */
json_t *overload_result_to_json(const struct overload_result *res);

#endif
