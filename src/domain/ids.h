/*
 * ids: checks of the identifiers the bureau records (law.md §8), pure code.
 *
 *   居民身份证号 (GB 11643-1999): 18 characters, the ISO 7064 MOD 11-2 check
 *     character, a real birth date not after `today`; a lower-case x is
 *     accepted and normalised to X.
 *   统一社会信用代码 (GB 32100-2015): 18 characters from the 31-character set
 *     (no I, O, S, V, Z), positions 3-8 digits, the MOD 31 check character.
 *   机动车号牌 (GA 36-2018): ordinary (incl. 挂 trailer and 学/警/港/澳),
 *     small and large new-energy plates; letters I and O are refused.
 *
 * Nothing here does I/O or reads the clock: `today` is passed in.
 */
#ifndef ZF_IDS_H
#define ZF_IDS_H

#include "date.h"
#include "zf.h"

#define IDS_NORM_MAX 48 /* room for any normalised identifier + NUL */

enum ids_kind {
	IDS_UNKNOWN = 0,
	IDS_RESIDENT_ID,
	IDS_CREDIT_CODE,
	IDS_PLATE,
};

enum ids_plate_kind {
	IDS_PLATE_ORDINARY = 0, /* 蒙L12345 */
	IDS_PLATE_TRAILER,	/* 蒙L1234挂 */
	IDS_PLATE_SPECIAL,	/* last character 学 警 港 澳 */
	IDS_PLATE_NEV_SMALL,	/* 蒙LD12345 */
	IDS_PLATE_NEV_LARGE,	/* 蒙L12345D */
};

struct ids_plate {
	enum ids_plate_kind kind;
	char text[IDS_NORM_MAX];	/* normalised: ASCII letters upper-cased */
	char province[8];		/* the province abbreviation, UTF-8 */
	char authority;			/* issuing-authority letter */
};

/* "resident_id", "credit_code", "plate", "unknown" */
const char *ids_kind_code(enum ids_kind k);
/* "ordinary", "trailer", "special", "nev_small", "nev_large" */
const char *ids_plate_kind_code(enum ids_plate_kind k);

/*
 * Each check returns ZF_OK and writes the normalised form, or ZF_EINVAL with
 * err naming `field`, the code ("invalid_resident_id", "invalid_credit_code",
 * "invalid_plate") and a Chinese message saying what is wrong (length,
 * character at position N, birth date, check character expected X, ...).
 */
int ids_resident_id_check(const char *s, struct zf_date today,
			  char out[IDS_NORM_MAX], const char *field,
			  struct zf_error *err) ZF_WUR;
int ids_credit_code_check(const char *s, char out[IDS_NORM_MAX],
			  const char *field, struct zf_error *err) ZF_WUR;
int ids_plate_check(const char *s, struct ids_plate *out, const char *field,
		    struct zf_error *err) ZF_WUR;

/* The check character a 17-character prefix needs ('\0' if not computable). */
char ids_resident_id_check_char(const char *first17);
char ids_credit_code_check_char(const char *first17);

struct ids_result {
	enum ids_kind kind;
	bool valid;
	char normalised[IDS_NORM_MAX];	/* when valid */
	struct zf_error err;		/* when not valid */
};

/*
 * Check s as every kind its shape could be (an 18-character string of
 * digits could be an ID number or a credit code, so it is checked as both).
 * Writes up to 3 results, candidates in the order resident_id, credit_code,
 * plate, and returns how many; 0 when s fits no kind's shape at all.
 */
size_t ids_check_any(const char *s, struct zf_date today,
		     struct ids_result out[3]);

#endif
