/* overload check: the limits and penalty engine (law.md §3) from the command line. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "overload.h"
#include "text.h"

/* An optional length in metres (up to 3 decimals) as millimetres. */
static int opt_mm(struct cli *c, const char *name, const char *field,
		  bool *has, int64_t *mm, struct zf_error *err)
{
	const char *v = cli_opt(c, name);

	*has = v != NULL;
	return v ? overload_parse_mm(v, mm, field, err) : ZF_OK;
}

/*
 * The organisation's settings when a database is named, else the defaults
 * (whole tonnes of the total excess; tolerance 0).  A setting the database
 * does not know yet reads as its default.
 */
static int org_settings(struct cli *c, struct overload_settings *s,
			struct zf_error *err)
{
	json_t *settings = NULL;
	const char *mode, *tol;
	int64_t kg = 0;
	int rc;

	memset(s, 0, sizeof(*s));
	s->part_tonne = OVERLOAD_WHOLE_TONNES;
	if (!c->db_explicit)
		return ZF_OK;
	if ((rc = cli_open_store(c, false, true, err)) ||
	    (rc = store_org_settings(c->st, c->ctx.org_id, &settings, err)))
		return rc;
	mode = json_string_value(json_object_get(settings, "overload_part_tonne_mode"));
	tol = json_string_value(json_object_get(settings, "wim_tolerance_kg"));
	if (mode)
		rc = overload_part_tonne_parse(mode, &s->part_tonne,
					       "overload_part_tonne_mode", err);
	if (!rc && tol)
		rc = text_parse_int(tol, 0, OVERLOAD_MAX_TOLERANCE_KG, &kg,
				    "wim_tolerance_kg", err);
	s->wim_tolerance_kg = kg;
	json_decref(settings);
	return rc;
}

static void print_text(const struct overload_result *res)
{
	for (size_t i = 0; i < res->nexplain; i++)
		printf("%zu. %s\n", i + 1, res->explain[i]);
	printf("限定标准: %lld 千克\n", (long long)res->limit_kg);
	if (res->has_mass)
		printf("超限: %lld 千克\n", (long long)res->over_kg);
	printf("处罚: %s", overload_penalty_kind_code(res->kind));
	if (res->kind == OVERLOAD_PENALTY_FINE)
		printf(" %lld-%lld 元", (long long)res->min_yuan, (long long)res->max_yuan);
	putchar('\n');
	for (size_t i = 0; i < res->nbasis; i++)
		printf("依据: %s\n", res->basis[i]);
}

int cmd_overload_check(struct cli *c, struct zf_error *err)
{
	struct overload_input in;
	struct overload_settings s;
	struct overload_rules rules;
	struct overload_result res;
	const char *v;
	/* wide ranges: the engine refuses what is out of range, naming the field */
	const int64_t wide = INT64_C(1) << 40, count = 1000000;
	int64_t axles = 0, tyres = 0;
	bool given;
	int rc;

	memset(&in, 0, sizeof(in));
	overload_rules_init(&rules);
	if ((rc = cli_need(c, "axles", &v, err)) ||
	    (rc = cli_opt_int(c, "axles", -count, count, &axles, NULL, err)) ||
	    (rc = cli_need(c, "config", &v, err)) ||
	    (rc = overload_config_parse(v, &in.config, "config", err)) ||
	    (rc = cli_opt_int(c, "single-tyre-axles", -count, count, &tyres, NULL, err)) ||
	    (rc = cli_opt_int(c, "mass-kg", -wide, wide, &in.mass_kg,
			      &in.has_mass, err)) ||
	    (rc = cli_opt_int(c, "licence-mass-kg", -wide, wide,
			      &in.licence_mass_kg, &in.has_licence_mass, err)) ||
	    (rc = opt_mm(c, "height-m", "height_m", &in.has_height, &in.height_mm, err)) ||
	    (rc = opt_mm(c, "width-m", "width_m", &in.has_width, &in.width_mm, err)) ||
	    (rc = opt_mm(c, "length-m", "length_m", &in.has_length, &in.length_mm, err)) ||
	    (rc = cli_opt_date(c, "date", &in.date, &given, err)))
		return rc;
	if (!given)
		in.date = instant_local_date(c->ctx.now_us);
	in.axles = (int)axles;
	in.single_tyre_axles = (int)tyres;
	in.single_drive_axle = cli_flag(c, "single-drive-axle");
	in.refrigerated = cli_flag(c, "refrigerated");
	in.air_suspension = cli_flag(c, "air-suspension");
	in.wim = cli_flag(c, "wim");
	if ((rc = org_settings(c, &s, err)) ||
	    (rc = overload_rules_load_builtin(&rules, err)))
		goto out;
	if ((rc = overload_check(&rules, &in, &s, &res, err)))
		goto out;
	if (c->json) {
		json_t *doc = overload_result_to_json(&res);

		rc = doc ? cli_print(c, doc, NULL) :
			   zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
	} else {
		print_text(&res);
	}
	overload_result_release(&res);
out:
	overload_rules_release(&rules);
	return rc;
}
