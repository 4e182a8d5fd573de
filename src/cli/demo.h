/* demo.h: the demo bureau's parts kept outside demo.c (demo_overload.c). */
#ifndef ZF_DEMO_H
#define ZF_DEMO_H

#include "cli.h"

/* An over-limit vehicle of the demo year, as weighed (issue 8 "Demo"). */
struct demo_weighing {
	const char *tag;		/* the penalty case it belongs to (demo.c) */
	const char *station;		/* station code */
	int axles;
	const char *config;		/* truck | train */
	int64_t gross_kg;
	int64_t height_mm, width_mm, length_mm;	/* 0: not over, not recorded */
	const char *goods;		/* unloaded goods; NULL: not unloaded */
	int64_t unloaded_kg;
	int assisted;			/* the party refused; unloaded with the bureau's help */
};

/* The weighing of case `tag`, or NULL for a case without one. */
const struct demo_weighing *demo_weighing_for(const char *tag);
/* The station's name, for a case's place. */
const char *demo_station_name(const char *code);
/* The scales (devices of kind scale). */
int demo_scales(struct cli *c, struct zf_error *err);
/* Weigh the vehicle 90 minutes before its case is opened at case_at (and
 * unload it); *id_out gets the weighing. */
int demo_weigh_before(struct cli *c, const struct demo_weighing *w, const char *plate,
		      const char *trailer, const char *const officers[2], int64_t case_at,
		      char id_out[REG_ID_LEN], struct zf_error *err);

struct demo_overload_event {
	int64_t at;
	int kind;
	int arg;
};

/* The other weigh-station acts of the year, run in time order between the
 * cases' steps: certificates, the stations' monthly logs, the pilot. */
struct demo_overload {
	struct demo_overload_event ev[32];
	size_t n, next;
	uint32_t seed;
	const char *reviewer;	/* dismisses two pilot records */
};

void demo_overload_init(struct demo_overload *o, const char *reviewer);
/* Run every act due at or before t. */
int demo_overload_until(struct cli *c, struct demo_overload *o, int64_t t,
			struct zf_error *err) ZF_WUR;

#endif
