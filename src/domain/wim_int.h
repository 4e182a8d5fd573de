/*
 * wim_int.h: internals shared by wim.c (parsing a line), wim_classify.c and
 * wim_scan.c.  Outside these three files, include wim.h only.
 */
#ifndef ZF_WIM_INT_H
#define ZF_WIM_INT_H

#include "wim.h"

#define WIM_LIKELY(x) __builtin_expect(!!(x), 1)
#define WIM_UNLIKELY(x) __builtin_expect(!!(x), 0)
/* for the paths only a refused row takes */
#define WIM_COLD __attribute__((cold, noinline))

#define WIM_SHOW_MAX 256	/* bytes of a quoted value in a message, with escapes */

/* The columns in file order; wim_error.column holds one. */
enum wim_column {
	WIM_COL_ROW = 0,	/* the row as a whole */
	WIM_COL_STATION,
	WIM_COL_TIME,
	WIM_COL_LANE,
	WIM_COL_PLATE,
	WIM_COL_COLOUR,
	WIM_COL_AXLES,
	WIM_COL_CONFIG,
	WIM_COL_GROSS,
	WIM_COL_SPEED,
	WIM_COL_IMAGE,
	WIM_COL_VIDEO,
};

/* The header's names, indexed by enum wim_column ("row" for WIM_COL_ROW). */
extern const char *const wim_col_names[];

/*
 * Fill *err (may be NULL) for column col: code, field = the column's name,
 * message "<name>（<中文>）<fmt...>" ("该行<fmt...>" for the row).  Leaves
 * err->line alone.  Returns ZF_EINVAL.
 */
int wim_fail(struct wim_error *err, enum wim_column col, const char *code,
	     const char *fmt, ...) ZF_PRINTF(4, 5);

/*
 * p[0..n) fit to quote in a message: at most max input bytes, valid UTF-8
 * kept, control characters and other bytes as \xNN, "…" when cut.
 */
void wim_show(const char *p, size_t n, size_t max, char out[WIM_SHOW_MAX]);

#endif
