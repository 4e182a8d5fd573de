/* case, clock, document and stock commands: the penalty procedure. */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "procedure.h"
#include "text.h"

/* "200", "200.5", "200.50" yuan -> fen; no sign, no exponent. */
static int parse_yuan(const char *s, int64_t *fen, const char *field,
		      struct zf_error *err)
{
	int64_t whole = 0, frac = 0;
	int fd = 0;
	const char *p = s ? s : "";
	bool digits = false;
	for (; *p >= '0' && *p <= '9'; p++, digits = true)
		if ((whole = whole * 10 + (*p - '0')) > 100000000000LL)
			break;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9' && fd < 2; p++, fd++)
			frac = frac * 10 + (*p - '0');
	if (!digits || *p)
		return zf_fail(err, ZF_EINVAL, "invalid_amount", field,
			       "金额“%s”无效：应为元，最多两位小数，如 200 或 200.50",
			       s ? s : "");
	if (fd == 1)
		frac *= 10;
	*fen = whole * 100 + frac;
	return ZF_OK;
}

/* Options that are not transition parameters. */
static const char *const not_params[] = {"date", "officers", "approver", "reviewer",
					 "party", "vehicle", NULL};

/* Every other option becomes a parameter: --hearing-date -> "hearing_date";
 * --amount (yuan) -> "amount_fen"; --days -> a number; flags -> true. */
static int params_from_opts(const struct cli *c, json_t *params, struct zf_error *err)
{
	for (size_t i = 0; i < c->nopts; i++) {
		const struct cli_opt *o = &c->opts[i];
		char key[64];
		int rc;
		if (text_in(o->name, not_params))
			continue;
		zf_strlcpy(key, o->name, sizeof(key));
		for (char *p = key; *p; p++)
			if (*p == '-')
				*p = '_';
		if (!o->value) {
			json_object_set_new(params, key, json_true());
		} else if (!strcmp(key, "amount")) {
			int64_t fen = 0;
			if ((rc = parse_yuan(o->value, &fen, "amount", err)))
				return rc;
			json_object_set_new(params, "amount_fen", json_integer(fen));
		} else if (!strcmp(key, "days")) {
			int64_t d;
			if ((rc = text_parse_int(o->value, 1, 365, &d, "days", err)))
				return rc;
			json_object_set_new(params, key, json_integer(d));
		} else if (!strcmp(key, "flags")) {
			char *copy;
			const char *f[8];
			size_t n = cli_split_list(o->value, &copy, f, 8);
			json_t *fl = json_object();
			for (size_t k = 0; k < n; k++)
				json_object_set_new(fl, f[k], json_true());
			json_object_set_new(params, "flags", fl);
			zf_free(copy);
		} else {
			json_object_set_new(params, key, json_string(o->value));
		}
	}
	return ZF_OK;
}

static void print_case_text(const json_t *c)
{
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)c, k, v) {
		if (json_is_string(v) || json_is_integer(v) || json_is_boolean(v)) {
			char *s = json_dumps(v, JSON_ENCODE_ANY);
			printf("%s: %s\n", k, json_is_string(v) ? json_string_value(v) : s);
			free(s);
		}
	}
	size_t i;
	json_t *s;
	printf("\n环节:\n");
	json_array_foreach(json_object_get(c, "steps"), i, s)
		printf("  %2lld %s %-18s %s -> %s  账本#%lld\n",
		       (long long)json_integer_value(json_object_get(s, "n")),
		       json_string_value(json_object_get(s, "date")),
		       proc_label(json_string_value(json_object_get(s, "transition"))),
		       json_string_value(json_object_get(s, "from")),
		       json_string_value(json_object_get(s, "to")),
		       (long long)json_integer_value(json_object_get(s, "ledger_seq")));
	printf("\n文书:\n");
	json_array_foreach(json_object_get(c, "documents"), i, s)
		printf("  %s %s %s\n", json_string_value(json_object_get(s, "issued_on")),
		       json_string_value(json_object_get(s, "number")),
		       json_string_value(json_object_get(s, "status")));
	printf("\n期限:\n");
	json_array_foreach(json_object_get(c, "clocks"), i, s) {
		json_t *left = json_object_get(s, "days_left");
		printf("  %-16s 届满 %s  %s", json_string_value(json_object_get(s, "label")),
		       json_string_value(json_object_get(s, "due")),
		       json_string_value(json_object_get(s, "status")));
		if (json_is_integer(left))
			printf("  剩余 %lld 日", (long long)json_integer_value(left));
		if (json_is_true(json_object_get(s, "paused")))
			printf("  （中止计算）");
		putchar('\n');
	}
}

static int print_case(struct cli *c, json_t *doc)
{
	if (c->json)
		return cli_print(c, doc, NULL);
	print_case_text(doc);
	json_decref(doc);
	return ZF_OK;
}

/* Build the step request shared by file, onspot and advance. */
static int step_in(struct cli *c, const char *transition, struct case_step_in *in,
		   json_t **params, char **ocopy, const char **officers, size_t max,
		   struct zf_error *err)
{
	bool given;
	int rc;
	memset(in, 0, sizeof(*in));
	in->transition = transition;
	in->date = instant_local_date(c->ctx.now_us);
	if ((rc = cli_opt_date(c, "date", &in->date, &given, err)))
		return rc;
	in->nofficers = cli_split_list(cli_opt(c, "officers"), ocopy, officers, max);
	in->officers = officers;
	in->approver = cli_opt(c, "approver");
	in->reviewer = cli_opt(c, "reviewer");
	in->party = cli_opt(c, "party");
	in->vehicle = cli_opt(c, "vehicle");
	if (!(*params = json_object()))
		return zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
	if ((rc = params_from_opts(c, *params, err)))
		return rc;
	in->params = *params;
	return ZF_OK;
}

static int run_step(struct cli *c, const char *key, const char *transition,
		    struct zf_error *err)
{
	struct case_step_in in;
	json_t *params = NULL, *out = NULL;
	char *ocopy = NULL;
	const char *officers[12];
	int rc = step_in(c, transition, &in, &params, &ocopy, officers, 12, err);
	if (!rc)
		rc = cli_open_store(c, false, true, err);
	if (!rc)
		rc = store_case_step(c->st, &c->ctx, key, &in, &out, err);
	json_decref(params);
	zf_free(ocopy);
	return rc ? rc : print_case(c, out);
}

/*
 * zhifa case file: 线索登记, and with --approver also 立案 the same day
 * (two steps, two ledger entries), as an officer files a case found on patrol.
 */
int cmd_case_file(struct cli *c, struct zf_error *err)
{
	struct case_step_in in;
	json_t *params = NULL, *out = NULL;
	char *ocopy = NULL;
	const char *officers[12];
	const char *approver = cli_opt(c, "approver");
	int rc = step_in(c, "register", &in, &params, &ocopy, officers, 12, err);
	in.approver = NULL;
	if (!rc)
		rc = cli_open_store(c, false, true, err);
	if (!rc)
		rc = store_case_step(c->st, &c->ctx, NULL, &in, &out, err);
	if (!rc && approver) {
		char id[64];
		zf_strlcpy(id, json_string_value(json_object_get(out, "id")), sizeof(id));
		json_decref(out);
		out = NULL;
		json_t *none = json_object();
		in.transition = "file";
		in.approver = approver;
		in.params = none;
		in.party = in.vehicle = NULL;
		rc = store_case_step(c->st, &c->ctx, id, &in, &out, err);
		json_decref(none);
	}
	json_decref(params);
	zf_free(ocopy);
	return rc ? rc : print_case(c, out);
}

int cmd_case_onspot(struct cli *c, struct zf_error *err)
{
	return run_step(c, NULL, "decide_on_spot", err);
}

int cmd_case_advance(struct cli *c, struct zf_error *err)
{
	if (!proc_transition_procedure(c->args[1]))
		return zf_fail(err, ZF_EINVAL, "unknown_code", "transition",
			       "未知的程序环节“%s”", c->args[1]);
	return run_step(c, c->args[0], c->args[1], err);
}

int cmd_case_extend(struct cli *c, struct zf_error *err)
{
	return run_step(c, c->args[0], "extend", err);
}

int cmd_case_note(struct cli *c, struct zf_error *err)
{
	return run_step(c, c->args[0], "note", err);
}

int cmd_case_show(struct cli *c, struct zf_error *err)
{
	json_t *out = NULL;
	int rc = cli_open_store(c, false, true, err);
	if (!rc)
		rc = store_case_get(c->st, &c->ctx, c->args[0], &out, err);
	return rc ? rc : print_case(c, out);
}

int cmd_case_list(struct cli *c, struct zf_error *err)
{
	static const char *const cols[] = {"number", "procedure", "state", "violation",
					   "filed_date", "decided_date", NULL};
	struct case_filter f = {0};
	struct officer o = {0};
	int64_t year = 0, limit = 0;
	json_t *out = NULL;
	int rc;
	if ((rc = cli_opt_int(c, "year", 1900, 9999, &year, NULL, err)) ||
	    (rc = cli_opt_int(c, "limit", 1, 100000, &limit, NULL, err)))
		return rc;
	f.year = (int)year;
	f.limit = limit;
	f.state = cli_opt(c, "state");
	f.procedure = cli_opt(c, "procedure");
	f.violation = cli_opt(c, "violation");
	f.overdue = cli_flag(c, "overdue");
	f.after = cli_opt(c, "after");
	if (f.state && !text_in(f.state, proc_states))
		return zf_fail(err, ZF_EINVAL, "unknown_code", "state", "未知的案件状态“%s”",
			       f.state);
	if (f.procedure && strcmp(f.procedure, "general") && strcmp(f.procedure, "simplified"))
		return zf_fail(err, ZF_EINVAL, "unknown_code", "procedure",
			       "程序只能是 general 或 simplified");
	if ((rc = cli_open_store(c, false, true, err)))
		return rc;
	if (cli_opt(c, "officer")) {
		if ((rc = store_officer_get(c->st, &c->ctx, cli_opt(c, "officer"), &o, err)))
			return rc;
		f.officer = o.id;
	}
	rc = store_case_list(c->st, &c->ctx, &f, &out, err);
	officer_release(&o);
	return rc ? rc : cli_print(c, out, cols);
}

int cmd_clock_list(struct cli *c, struct zf_error *err)
{
	static const char *const cols[] = {"due", "days_left", "label", "case_number",
					   "status", NULL};
	const char *w = cli_opt(c, "due-within");
	int64_t days = 3;
	json_t *out = NULL;
	int rc;
	if (w) {
		char num[16];
		size_t n = strlen(w);
		if (n && n < sizeof(num) && w[n - 1] == 'd')
			n--;
		snprintf(num, sizeof(num), "%.*s", (int)(n < 15 ? n : 15), w);
		if ((rc = text_parse_int(num, 0, 3660, &days, "due_within", err)))
			return rc;
	}
	if ((rc = cli_open_store(c, false, true, err)) ||
	    (rc = store_clock_list(c->st, &c->ctx, (int)days, &out, err)))
		return rc;
	return cli_print(c, out, cols);
}

int cmd_document_void(struct cli *c, struct zf_error *err)
{
	const char *reason;
	int rc;
	if ((rc = cli_need(c, "reason", &reason, err)) ||
	    (rc = cli_open_store(c, false, true, err)) ||
	    (rc = store_document_void(c->st, &c->ctx, c->args[0], reason, err)))
		return rc;
	return cli_print(c, json_pack("{ss ss}", "number", c->args[0], "status", "void"),
			 NULL);
}

int cmd_stock_add(struct cli *c, struct zf_error *err)
{
	const char *kind, *prefix;
	int64_t first = 0, last = 0, width = 4;
	json_t *out = NULL;
	int rc;
	if ((rc = cli_need(c, "kind", &kind, err)) || (rc = cli_need(c, "prefix", &prefix, err)) ||
	    (rc = cli_opt_int(c, "from", 0, 999999999, &first, NULL, err)) ||
	    (rc = cli_opt_int(c, "to", 0, 999999999, &last, NULL, err)) ||
	    (rc = cli_opt_int(c, "width", 1, 12, &width, NULL, err)) ||
	    (rc = cli_open_store(c, false, true, err)) ||
	    (rc = store_stock_add(c->st, &c->ctx, kind, prefix, first, last, (int)width,
				  &out, err)))
		return rc;
	return cli_print(c, out, NULL);
}

int cmd_violation_import(struct cli *c, struct zf_error *err)
{
	const char *name;
	struct buf b;
	json_t *out = NULL;
	int rc = cli_need(c, "name", &name, err);
	if (rc || (rc = cli_read_file(c->args[0], (size_t)4 << 20, &b, "file", err)))
		return rc;
	if (!rc)
		rc = cli_open_store(c, false, true, err);
	if (!rc)
		rc = store_violation_import(c->st, &c->ctx, name, buf_cstr(&b), b.len, &out, err);
	buf_release(&b);
	return rc ? rc : cli_print(c, out, NULL);
}
