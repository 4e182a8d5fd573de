/*
 * ctx: what every command and request carries: the organisation it acts for,
 * the actor (user and role) and "now".
 *
 * "Now" never comes straight from the system clock: ctx_now_from_env() reads
 * ZHIFA_NOW (ISO 8601) when set, and only otherwise the real clock, so tests
 * and the demo give the same results whatever the day.  Passing a ctx
 * replaces any global state (STYLE §15).
 */
#ifndef ZF_CTX_H
#define ZF_CTX_H

#include "zf.h"

#define CTX_ID_LEN 37		/* a UUID string + NUL */
#define CTX_NAME_MAX 64

struct zf_ctx {
	int64_t now_us;			/* UTC microseconds */
	int64_t effective_us;		/* when the act took effect (补录); 0 = now */
	char org_id[CTX_ID_LEN];	/* "" until an organisation is chosen */
	char actor[CTX_NAME_MAX];	/* user name, e.g. "cli" or "admin" */
	char role[CTX_NAME_MAX];	/* role code, e.g. "system_admin" */
};

/*
 * Read ZHIFA_NOW into *now_us, or the system clock if unset.  A malformed
 * ZHIFA_NOW is an error (code "invalid_now"), never silently ignored.
 */
int ctx_now_from_env(int64_t *now_us, struct zf_error *err) ZF_WUR;
/* The real clock; only ctx_now_from_env() and durations may call it. */
int64_t ctx_wall_clock_us(void);

#endif
