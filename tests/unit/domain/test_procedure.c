/*
 * Tests for src/domain/procedure.c: the penalty procedure's state machines
 * and the legal guards of issue 3 (numbered 1-10 there), through
 * proc_apply() alone, with hand-built values: officers as a struct officer
 * array, the calendar and the violation catalogue from the embedded
 * data/calendar/YYYY.tsv and data/violations/NAME.json, the legal parameters from
 * data/procedure/params.tsv, and the case's clocks as struct proc_clock
 * values that the test keeps itself (struct kase below plays the store:
 * it applies the clock effects the way src/store/store_case.c does).
 *
 * For every guard there is a request the law allows and one it refuses, so
 * that taking the guard's check out of procedure.c fails a test.  Every
 * refusal is checked for ZF_EREFUSED, its exact code, and the article that
 * docs/codes.tsv gives that code appearing in the message (the message is
 * what the officer reads: it must name the rule).  Each test cites the
 * article it checks.
 *
 * The case timeline most tests use (2025, a Monday to a Friday; the
 * holidays of data/calendar/2025.tsv decide the working days):
 *   03-03 register + file (decision clock: 90 days -> 06-01 is 端午, due 06-03)
 *   03-04 notify (statement window 3 working days -> 03-07;
 *                 hearing request 5 working days -> 03-11)
 *   03-10 approve, 03-11 decide (service 7 working days -> 03-20)
 *   03-12 serve (payment 15 days -> 03-27), then pay, close, archive.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "calendar.h"
#include "embed.h"
#include "procedure.h"
#include "registry.h"
#include "violation.h"

/* ---- fixture: calendar, catalogue, parameters, officers ---------------- */

struct off_row {
	const char *id, *name, *cert, *from, *to, *status, *roles;
	bool qualified;
};

/* Officers of a made-up bureau; ids are short so that failures read well. */
static const struct off_row off_rows[] = {
	{"h1", "负责人甲", "150826200001", "2020-01-01", "2030-12-31", "active", "enforcer,head", false},
	{"h2", "负责人乙", "150826200002", "2020-01-01", "2030-12-31", "active", "enforcer,head", false},
	{"r1", "审核员甲", "150826200003", "2020-01-01", "2030-12-31", "active", "enforcer,legal_reviewer", true},
	{"r0", "审核员乙", "150826200004", "2020-01-01", "2030-12-31", "active", "enforcer,legal_reviewer", false},
	{"e1", "执法员一", "150826200006", "2020-01-01", "2030-12-31", "active", "enforcer", false},
	{"e2", "执法员二", "150826200007", "2020-01-01", "2030-12-31", "active", "enforcer", false},
	{"e3", "执法员三", "150826200009", "2020-01-01", "2030-12-31", "active", "enforcer", false},
	{"e4", "执法员四", "150826200010", "2020-01-01", "2030-12-31", "active", "enforcer", false},
	/* certificate expired 2025-01-10 */
	{"x1", "过期员", "150826200008", "2021-01-11", "2025-01-10", "active", "enforcer", false},
	/* certificate valid only from 2025-09-01 */
	{"n1", "新证员", "150826200061", "2025-09-01", "2030-08-31", "active", "enforcer", false},
	/* suspended */
	{"s1", "停职员", "150826200062", "2020-01-01", "2030-12-31", "suspended", "enforcer", false},
};

#define NOFF (sizeof(off_rows) / sizeof(off_rows[0]))

/* A refusal code of docs/codes.tsv and its basis. */
struct code_row {
	char code[64];
	char basis[256];
};

struct fixture {
	struct calendar cal;
	struct violation_catalogue cat;
	struct proc_params params;
	struct officer off[NOFF];
	struct code_row codes[128];
	size_t ncodes;
};

static struct fixture F;

static struct zf_date day(const char *s)
{
	struct zf_date d = {0, 0, 0};

	if (date_parse(s, &d, "test", NULL) != ZF_OK)
		fail_msg("bad date in test: %s", s);
	return d;
}

static const struct embed_file *file(const char *name)
{
	const struct embed_file *f = embed_find(name);

	if (!f)
		fail_msg("%s is not embedded; re-run cmake", name);
	return f;
}

static char *sdup(const char *s)
{
	char *p = zf_strdup(s);

	if (!p)
		fail_msg("out of memory");
	return p;
}

/* docs/codes.tsv: kind, code, label, basis; keep the refusals. */
static void load_codes(void)
{
	char line[1024];
	FILE *f = fopen(ZF_SOURCE_DIR "/docs/codes.tsv", "r");

	if (!f)
		fail_msg("cannot read %s/docs/codes.tsv", ZF_SOURCE_DIR);
	while (fgets(line, sizeof(line), f)) {
		char *fld[4] = {line, NULL, NULL, NULL};
		size_t k = 1;

		line[strcspn(line, "\r\n")] = '\0';
		for (char *p = line; *p && k < 4; p++)
			if (*p == '\t') {
				*p = '\0';
				fld[k++] = p + 1;
			}
		if (k < 2 || strcmp(fld[0], "refusal"))
			continue;
		if (F.ncodes == ZF_ARRAY_LEN(F.codes))
			fail_msg("docs/codes.tsv: more refusals than the test expects");
		zf_strlcpy(F.codes[F.ncodes].code, fld[1], sizeof(F.codes[0].code));
		zf_strlcpy(F.codes[F.ncodes].basis, k > 3 ? fld[3] : "",
			   sizeof(F.codes[0].basis));
		F.ncodes++;
	}
	fclose(f);
}

static const struct code_row *code_row(const char *code)
{
	for (size_t i = 0; i < F.ncodes; i++)
		if (!strcmp(F.codes[i].code, code))
			return &F.codes[i];
	return NULL;
}

static int setup(void **state)
{
	static const char *const years[] = {"data/calendar/2024.tsv",
					    "data/calendar/2025.tsv",
					    "data/calendar/2026.tsv"};
	struct zf_error err;

	memset(&F, 0, sizeof(F));
	calendar_init(&F.cal);
	for (size_t i = 0; i < ZF_ARRAY_LEN(years); i++) {
		const struct embed_file *f = file(years[i]);

		zf_error_clear(&err);
		if (calendar_load_tsv(&F.cal, (const char *)f->data, f->len, &err))
			fail_msg("%s: %s", years[i], err.message);
	}
	violation_catalogue_init(&F.cat);
	for (const struct embed_file *f = embed_files; f->name; f++) {
		size_t n = strlen(f->name);

		if (strncmp(f->name, "data/violations/", 16) || n < 5 ||
		    strcmp(f->name + n - 5, ".json"))
			continue;
		zf_error_clear(&err);
		if (violation_catalogue_load_json(&F.cat, (const char *)f->data, f->len,
						  false, &err))
			fail_msg("%s: %s %s", f->name, err.field, err.message);
	}
	const struct embed_file *p = file("data/procedure/params.tsv");
	zf_error_clear(&err);
	if (proc_params_load((const char *)p->data, p->len, day("2025-06-01"), &F.params,
			     &err))
		fail_msg("params.tsv: %s %s", err.field, err.message);
	for (size_t i = 0; i < NOFF; i++) {
		struct officer *o = &F.off[i];

		zf_strlcpy(o->id, off_rows[i].id, sizeof(o->id));
		zf_strlcpy(o->org_id, "org", sizeof(o->org_id));
		o->name = sdup(off_rows[i].name);
		o->cert_no = sdup(off_rows[i].cert);
		o->category = sdup("交通运输行政执法证");
		o->valid_from = day(off_rows[i].from);
		o->valid_to = day(off_rows[i].to);
		o->status = sdup(off_rows[i].status);
		o->roles = sdup(off_rows[i].roles);
		o->legal_qualification = off_rows[i].qualified;
	}
	load_codes();
	*state = &F;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	calendar_release(&F.cal);
	violation_catalogue_release(&F.cat);
	for (size_t i = 0; i < NOFF; i++)
		officer_release(&F.off[i]);
	return 0;
}

/* ---- a case driven by the test (the store's part, done by hand) -------- */

struct tclock {
	const char *kind;		/* static string from the effect */
	struct zf_date start, due, paused_since;
	int unit, count, extended, paused_days;
	bool open, paused;
};

struct kase {
	json_t *doc;
	struct proc_env env;
	struct tclock clocks[12];
	struct proc_clock pclocks[12];
	size_t nclocks;
	struct proc_effects fx;		/* effects of the last step that was allowed */
	json_t *params;			/* its params: fx may borrow strings from them */
	struct zf_error err;		/* error of the last step that was refused */
};

/* The request of one step; params as JSON with single quotes. */
struct rq {
	const char *t, *date, *officers, *approver, *reviewer, *params;
};

static void kase_init(struct kase *k, bool party_is_org)
{
	memset(k, 0, sizeof(*k));
	k->env.today = day("2025-12-31");
	k->env.cal = &F.cal;
	k->env.cat = &F.cat;
	k->env.params = &F.params;
	k->env.statement_window_working_days = 3;	/* organisation setting, default */
	k->env.hearing_threshold_person_fen = 500000;	/* 5,000 yuan */
	k->env.hearing_threshold_org_fen = 10000000;	/* 100,000 yuan */
	k->env.party_is_org = party_is_org;
	k->env.party_known = true;
	k->env.officers = F.off;
	k->env.nofficers = NOFF;
	k->env.reviewer_prior_reviews = 0;
}

static void kase_release(struct kase *k)
{
	json_decref(k->doc);
	json_decref(k->params);
	k->doc = NULL;
	k->params = NULL;
}

static struct tclock *tclock(struct kase *k, const char *kind)
{
	for (size_t i = 0; i < k->nclocks; i++)
		if (!strcmp(k->clocks[i].kind, kind))
			return &k->clocks[i];
	return NULL;
}

/* Due date as the store computes it: the period plus extensions, plus the
 * excluded days for a period in calendar days. */
static void recompute(struct tclock *c)
{
	struct calendar_result res = {0};
	struct zf_error err;
	int n = c->count + c->extended + (c->unit == CAL_UNIT_DAYS ? c->paused_days : 0);

	zf_error_clear(&err);
	if (calendar_add(&F.cal, c->start, (enum calendar_unit)c->unit, n, true, &res, &err))
		fail_msg("calendar_add for clock %s: %s", c->kind, err.message);
	c->due = res.due;
	calendar_result_release(&res);
}

static void apply_clock_effects(struct kase *k)
{
	for (size_t i = 0; i < k->fx.nclocks; i++) {
		const struct proc_clock_effect *e = &k->fx.clocks[i];
		struct tclock *c = tclock(k, e->kind);

		if (e->op == CLOCK_OPEN) {
			if (!c) {
				if (k->nclocks == ZF_ARRAY_LEN(k->clocks))
					fail_msg("too many clocks");
				c = &k->clocks[k->nclocks++];
			}
			memset(c, 0, sizeof(*c));
			c->kind = e->kind;
			c->start = e->date;
			c->unit = e->unit;
			c->count = e->count;
			c->open = true;
			recompute(c);
			continue;
		}
		if (!c)
			continue;
		switch (e->op) {
		case CLOCK_MET:
		case CLOCK_CANCEL:
			c->open = false;
			break;
		case CLOCK_PAUSE:
			c->paused = true;
			c->paused_since = e->date;
			break;
		case CLOCK_RESUME:
			if (c->paused)
				c->paused_days += (int)(date_to_days(e->date) -
							date_to_days(c->paused_since));
			c->paused = false;
			recompute(c);
			break;
		case CLOCK_EXTEND:
			c->extended += e->count;
			recompute(c);
			break;
		default:
			break;
		}
	}
}

/* Force a clock's due date (a clock the store keeps, seen by the guards). */
static void set_due(struct kase *k, const char *kind, const char *due)
{
	struct tclock *c = tclock(k, kind);

	if (!c)
		fail_msg("case has no clock %s", kind);
	c->due = day(due);
}

static struct zf_date due_of(struct kase *k, const char *kind)
{
	struct tclock *c = tclock(k, kind);

	if (!c)
		fail_msg("case has no clock %s", kind);
	return c->due;
}

static void assert_due(struct kase *k, const char *kind, const char *want)
{
	char s[DATE_STR_LEN];

	date_format(due_of(k, kind), s);
	if (strcmp(s, want))
		fail_msg("clock %s due %s, want %s", kind, s, want);
}

/* Single quotes -> double quotes, then parse. */
static json_t *params_of(const char *text)
{
	char buf[2048];
	json_error_t jerr;
	json_t *j;

	if (!text)
		return json_object();
	if (strlen(text) >= sizeof(buf))
		fail_msg("params too long");
	zf_strlcpy(buf, text, sizeof(buf));
	for (char *p = buf; *p; p++)
		if (*p == '\'')
			*p = '"';
	if (!(j = json_loads(buf, 0, &jerr)))
		fail_msg("bad params in test: %s (%s)", text, jerr.text);
	return j;
}

/*
 * Apply one step.  On success the case takes the new document and the
 * effects; on refusal the case is unchanged and the error is in k->err.
 * Either way proc_apply must leave nothing behind on refusal.
 */
static int apply(struct kase *k, struct rq r)
{
	char obuf[256];
	const char *officers[8];
	size_t n = 0;
	json_t *params = params_of(r.params), *out = NULL;
	struct proc_effects fx;
	struct proc_request rq = {0};
	int rc;

	if (r.officers) {
		if (strlen(r.officers) >= sizeof(obuf))
			fail_msg("officers too long");
		zf_strlcpy(obuf, r.officers, sizeof(obuf));
		for (char *p = obuf; *p && n < ZF_ARRAY_LEN(officers);) {
			char *comma = strchr(p, ',');

			officers[n++] = p;
			if (!comma)
				break;
			*comma = '\0';
			p = comma + 1;
		}
	}
	if (!k->doc) {
		/* the store names the new case, its organisation and party */
		if (!json_object_get(params, "id"))
			json_object_set_new(params, "id", json_string("case-1"));
		if (!json_object_get(params, "org_id"))
			json_object_set_new(params, "org_id", json_string("org"));
		if (!json_object_get(params, "party_id"))
			json_object_set_new(params, "party_id", json_string("party-1"));
	}
	for (size_t i = 0; i < k->nclocks; i++) {
		k->pclocks[i].kind = k->clocks[i].kind;
		k->pclocks[i].due = k->clocks[i].due;
		k->pclocks[i].open = k->clocks[i].open;
		k->pclocks[i].paused = k->clocks[i].paused;
	}
	k->env.clocks = k->pclocks;
	k->env.nclocks = k->nclocks;
	rq.transition = r.t;
	rq.date = r.date ? day(r.date) : k->env.today;
	rq.officers = officers;
	rq.nofficers = n;
	rq.approver = r.approver;
	rq.reviewer = r.reviewer;
	rq.params = params;
	zf_error_clear(&k->err);
	memset(&fx, 0xa5, sizeof(fx));
	rc = proc_apply(k->doc, &rq, &k->env, &out, &fx, &k->err);
	if (rc) {
		json_decref(params);
		if (out)
			fail_msg("%s refused but returned a document", r.t);
		if (fx.nclocks || fx.ndocs)
			fail_msg("%s refused but left effects", r.t);
		return rc;
	}
	if (!out)
		fail_msg("%s allowed without a document", r.t);
	json_decref(k->doc);
	json_decref(k->params);
	k->doc = out;
	k->params = params;
	k->fx = fx;
	apply_clock_effects(k);
	return rc;
}

static void ok_at(int line, struct kase *k, struct rq r)
{
	if (apply(k, r) != ZF_OK)
		fail_msg("line %d: %s on %s refused: %s (%s) %s", line, r.t,
			 r.date ? r.date : "today", k->err.code, k->err.field,
			 k->err.message);
}

/*
 * Refused with ZF_EREFUSED and `code`; the message names the article that
 * docs/codes.tsv gives the code (at least one of its 第…条), and contains
 * `want` when given (a date, an amount).
 */
static void refused_at(int line, struct kase *k, const char *code, const char *want,
		       struct rq r)
{
	char *before = k->doc ? json_dumps(k->doc, JSON_SORT_KEYS) : NULL;
	int rc = apply(k, r);
	const struct code_row *row = code_row(code);

	if (rc == ZF_OK)
		fail_msg("line %d: %s on %s allowed, want refusal %s", line, r.t,
			 r.date ? r.date : "today", code);
	if (strcmp(k->err.code, code))
		fail_msg("line %d: %s refused with %s (%s), want %s", line, r.t, k->err.code,
			 k->err.message, code);
	if (rc != ZF_EREFUSED)
		fail_msg("line %d: %s: %s returned rc %d, want ZF_EREFUSED (%d): a refusal "
			 "names a rule", line, r.t, code, rc, ZF_EREFUSED);
	if (!row)
		fail_msg("line %d: refusal %s is not in docs/codes.tsv", line, code);
	if (row->basis[0]) {
		/* the articles of the basis: each 第…条 */
		const char *di = "第", *tiao = "条";
		bool any = false, named = false;
		for (const char *p = strstr(row->basis, di); p; p = strstr(p + 1, di)) {
			const char *end = strstr(p, tiao);
			char art[64];
			size_t len;

			if (!end)
				break;
			len = (size_t)(end - p) + strlen(tiao);
			if (len >= sizeof(art))
				continue;
			memcpy(art, p, len);
			art[len] = '\0';
			any = true;
			if (strstr(k->err.message, art))
				named = true;
		}
		if (!any)
			named = strstr(k->err.message, row->basis) != NULL;
		if (!named)
			fail_msg("line %d: %s: message “%s” does not name the article of "
				 "docs/codes.tsv (%s)", line, code, k->err.message, row->basis);
	}
	if (want && !strstr(k->err.message, want))
		fail_msg("line %d: %s: message “%s” lacks “%s”", line, code, k->err.message,
			 want);
	if (before) {
		char *after = json_dumps(k->doc, JSON_SORT_KEYS);
		bool same = after && !strcmp(before, after);

		free(before);
		free(after);
		if (!same)
			fail_msg("line %d: refused step changed the case", line);
	}
}

/* Refused (an input error or a refusal) with `code`. */
static void bad_at(int line, struct kase *k, const char *code, struct rq r)
{
	int rc = apply(k, r);

	if (rc == ZF_OK)
		fail_msg("line %d: %s allowed, want %s", line, r.t, code);
	if (strcmp(k->err.code, code))
		fail_msg("line %d: %s refused with %s (%s), want %s", line, r.t, k->err.code,
			 k->err.message, code);
}

/*
 * A step reads as OK(&k, "file", "2025-03-03", "e1,e2", "h1") or with the
 * later members named: OK(&k, "approve", "2025-03-10", .approver = "h2",
 * .params = ...).  Members left out are NULL; GCC's -Wextra would warn
 * about each of them in such a mixed initialiser, so the warning is off here.
 */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#define OK(k, ...) ok_at(__LINE__, (k), (struct rq){__VA_ARGS__})
#define NO(k, code, want, ...) refused_at(__LINE__, (k), (code), (want), (struct rq){__VA_ARGS__})
#define BAD(k, code, ...) bad_at(__LINE__, (k), (code), (struct rq){__VA_ARGS__})

static const char *state_of(struct kase *k)
{
	const char *s = json_string_value(json_object_get(k->doc, "state"));

	return s ? s : "";
}

#define STATE(k, want) assert_string_equal(state_of(k), (want))

static const char *jpath(struct kase *k, const char *a, const char *b)
{
	json_t *v = json_object_get(k->doc, a);

	if (b)
		v = json_object_get(v, b);
	return json_string_value(v);
}

static const struct proc_clock_effect *fx_clock(struct kase *k, enum proc_clock_op op,
						const char *kind)
{
	for (size_t i = 0; i < k->fx.nclocks; i++)
		if (k->fx.clocks[i].op == op && !strcmp(k->fx.clocks[i].kind, kind))
			return &k->fx.clocks[i];
	return NULL;
}

static void assert_doc(struct kase *k, const char *kind, const char *path)
{
	for (size_t i = 0; i < k->fx.ndocs; i++)
		if (!strcmp(k->fx.docs[i].kind, kind)) {
			assert_string_equal(k->fx.docs[i].path, path);
			return;
		}
	fail_msg("no %s document effect (%zu documents)", kind, k->fx.ndocs);
}

/* ---- case builders ---------------------------------------------------- */

static void fparams(char *buf, size_t n, const char *violation, const char *act,
		    const char *flags)
{
	snprintf(buf, n,
		 "{'violation':'%s','act_date':'%s','place':'G242 陕坝段',"
		 "'facts':'货车超限运输'%s%s}",
		 violation, act, flags ? ",'flags':" : "", flags ? flags : "");
}

/* register on 2025-03-03 (a clue, not yet filed) */
static void registered_with(struct kase *k, const char *violation, const char *act,
			    const char *flags, const char *officers)
{
	char p[512];

	fparams(p, sizeof(p), violation, act, flags);
	OK(k, "register", "2025-03-03", officers, .params = p);
}

/* register and file on 2025-03-03 (transport rule Art. 63: the head approves). */
static void filed_with(struct kase *k, const char *violation, const char *act,
		       const char *flags, const char *officers)
{
	registered_with(k, violation, act, flags, officers);
	STATE(k, "clue");
	OK(k, "file", "2025-03-03", officers, "h1");
	STATE(k, "filed");
}

static void filed(struct kase *k, const char *flags)
{
	filed_with(k, "overload_mass", "2025-03-03", flags, "e1,e2");
}

/* notify on 2025-03-04: a fine of `yuan`, level `level`. */
static void notified(struct kase *k, int yuan, const char *level)
{
	char p[256];

	snprintf(p, sizeof(p), "{'kind':'fine','amount_fen':%d,'level':'%s'}", yuan * 100,
		 level);
	OK(k, "notify", "2025-03-04", "e1,e2", .params = p);
	STATE(k, "notified");
}

#define FINE_3000 "{'kind':'fine','amount_fen':300000}"

/* a case decided on 2025-03-11 with a fine of 3,000 yuan */
static void decided(struct kase *k)
{
	filed(k, NULL);
	notified(k, 3000, "ordinary");
	OK(k, "approve", "2025-03-10", .approver = "h2", .params = FINE_3000);
	OK(k, "decide", "2025-03-11", "e1,e2");
	STATE(k, "decided");
}

/* a simplified case: 100 yuan on the spot, 2025-03-03 */
#define ONSPOT(kind_amount, extra)                                                   \
	"{'violation':'overload_dimension','act_date':'2025-03-03','place':'G242',"    \
	"'facts':'车货总宽度超限'," kind_amount extra "}"

/* ---- the whole general procedure -------------------------------------- */

/* 一般程序 from 线索登记 to 归档 (行政处罚法 Arts. 54-67; 交通运输行政执法程序规定). */
static void test_general_procedure_to_archive(void **state)
{
	struct kase k;

	(void)state;
	kase_init(&k, false);
	decided(&k);
	assert_due(&k, "service", "2025-03-20");
	OK(&k, "serve", "2025-03-12", "e1,e2", .params = "{'method':'direct'}");
	STATE(&k, "served");
	assert_due(&k, "payment", "2025-03-27");
	OK(&k, "pay", "2025-03-20", .params = FINE_3000);
	STATE(&k, "executed");
	OK(&k, "close", "2025-03-24", .approver = "h1", .params = "{'summary':'罚款已缴清'}");
	STATE(&k, "closed");
	OK(&k, "archive", "2025-03-25");
	STATE(&k, "archived");
	assert_string_equal(jpath(&k, "archived_date", NULL), "2025-03-25");
	assert_string_equal(jpath(&k, "decision", "kind"), "fine");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(k.doc, "decision"),
							    "amount_fen")), 300000);
	kase_release(&k);
}

/* ---- guard 1: two certified officers (Art. 42), legal reviewer (Art. 58) */

/* Art. 42: at least two officers, each with a certificate valid that day. */
static void test_guard1_two_certified_officers(void **state)
{
	struct kase k;
	char p[512];

	(void)state;
	kase_init(&k, false);
	fparams(p, sizeof(p), "overload_mass", "2025-03-03", NULL);
	OK(&k, "register", "2025-03-03", "e1,e2", .params = p);
	/* one officer; the same one named twice is still one (Art. 42) */
	NO(&k, "two_officers_required", NULL, "file", "2025-03-03", "e1", "h1");
	NO(&k, "two_officers_required", NULL, "file", "2025-03-03", "e1,e1", "h1");
	/* certificate expired on 2025-01-10 (Art. 42) */
	NO(&k, "officer_not_certified", "150826200008", "file", "2025-03-03", "e1,x1", "h1");
	/* certificate valid only from 2025-09-01 (Art. 42) */
	NO(&k, "officer_not_certified", "150826200061", "file", "2025-03-03", "e1,n1", "h1");
	/* suspended officer (Art. 42) */
	NO(&k, "officer_not_certified", NULL, "file", "2025-03-03", "s1,e1", "h1");
	OK(&k, "file", "2025-03-03", "e1,e2", "h1");
	kase_release(&k);

	/* the expired certificate was still valid on the step's date: allowed */
	kase_init(&k, false);
	fparams(p, sizeof(p), "overload_mass", "2025-01-06", NULL);
	OK(&k, "register", "2025-01-09", "e1,x1", .params = p);
	OK(&k, "file", "2025-01-10", "e1,x1", "h1");
	/* and the same officer a day later may no longer act (Art. 42) */
	NO(&k, "officer_not_certified", NULL, "notify", "2025-01-13", "e1,x1",
	   .params = "{'kind':'fine','amount_fen':100000,'level':'ordinary'}");
	OK(&k, "notify", "2025-01-13", "e1,e2",
	   .params = "{'kind':'fine','amount_fen':100000,'level':'ordinary'}");
	kase_release(&k);
}

/* Art. 42 on every step that acts on the party: evidence, notify,
 * schedule_hearing, decide, serve, enforce, decide_on_spot, deliver. */
static void test_guard1_every_step_on_the_party(void **state)
{
	struct kase k;

	(void)state;
	kase_init(&k, false);
	filed(&k, NULL);
	NO(&k, "two_officers_required", NULL, "evidence", "2025-03-04", "e1",
	   .params = "{'note':'称重记录'}");
	OK(&k, "evidence", "2025-03-04", "e1,e2", .params = "{'note':'称重记录'}");
	NO(&k, "two_officers_required", NULL, "notify", "2025-03-04", "e3",
	   .params = "{'kind':'fine','amount_fen':800000,'level':'serious'}");
	OK(&k, "notify", "2025-03-04", "e1,e2",
	   .params = "{'kind':'fine','amount_fen':800000,'level':'serious'}");
	OK(&k, "request_hearing", "2025-03-05");
	NO(&k, "two_officers_required", NULL, "schedule_hearing", "2025-03-05", "e1",
	   .params = "{'hearing_date':'2025-03-20','presider':'e3'}");
	NO(&k, "officer_not_certified", NULL, "schedule_hearing", "2025-03-05", "e1,x1",
	   .params = "{'hearing_date':'2025-03-20','presider':'e3'}");
	OK(&k, "schedule_hearing", "2025-03-05", "e1,e2",
	   .params = "{'hearing_date':'2025-03-20','presider':'e3'}");
	kase_release(&k);

	kase_init(&k, false);
	filed(&k, NULL);
	notified(&k, 3000, "ordinary");
	OK(&k, "approve", "2025-03-10", .approver = "h2", .params = FINE_3000);
	NO(&k, "two_officers_required", NULL, "decide", "2025-03-11", "e1");
	NO(&k, "officer_not_certified", NULL, "decide", "2025-03-11", "e1,s1");
	OK(&k, "decide", "2025-03-11", "e1,e2");
	NO(&k, "two_officers_required", NULL, "serve", "2025-03-12", "e1",
	   .params = "{'method':'direct'}");
	OK(&k, "serve", "2025-03-12", "e1,e2", .params = "{'method':'direct'}");
	NO(&k, "two_officers_required", NULL, "enforce", "2025-04-01", "e1",
	   .params = "{'how':'court','note':'申请法院强制执行'}");
	OK(&k, "enforce", "2025-04-01", "e1,e2",
	   .params = "{'how':'court','note':'申请法院强制执行'}");
	kase_release(&k);

	kase_init(&k, false);
	NO(&k, "two_officers_required", NULL, "decide_on_spot", "2025-03-03", "e1",
	   .params = ONSPOT("'kind':'fine','amount_fen':10000", ""));
	NO(&k, "officer_not_certified", NULL, "decide_on_spot", "2025-03-03", "e1,x1",
	   .params = ONSPOT("'kind':'fine','amount_fen':10000", ""));
	OK(&k, "decide_on_spot", "2025-03-03", "e1,e2",
	   .params = ONSPOT("'kind':'fine','amount_fen':10000", ""));
	NO(&k, "two_officers_required", NULL, "deliver", "2025-03-03", "e2");
	OK(&k, "deliver", "2025-03-03", "e1,e2");
	kase_release(&k);
}

/* Art. 58: the reviewer is a legal reviewer, none of the case officers, and
 * one reviewing for the first time holds the legal professional qualification. */
static void test_guard1_legal_reviewer(void **state)
{
	struct kase k;
	const char *pass = "{'result':'pass','opinion':'事实清楚，证据确凿，适用依据正确'}";

	(void)state;
	kase_init(&k, false);
	filed_with(&k, "overload_mass", "2025-03-03", NULL, "e1,r1");
	/* first review, no qualification (Art. 58 para 2) */
	k.env.reviewer_prior_reviews = 0;
	NO(&k, "reviewer_not_qualified", NULL, "legal_review", "2025-03-04",
	   .reviewer = "r0", .params = pass);
	/* not a legal reviewer (Art. 58) */
	NO(&k, "reviewer_not_legal_reviewer", NULL, "legal_review", "2025-03-04",
	   .reviewer = "e3", .params = pass);
	/* r1 is qualified but investigated this case (Art. 58) */
	NO(&k, "reviewer_is_case_officer", NULL, "legal_review", "2025-03-04",
	   .reviewer = "r1", .params = pass);
	/* a reviewer with prior reviews needs no qualification */
	k.env.reviewer_prior_reviews = 3;
	OK(&k, "legal_review", "2025-03-04", .reviewer = "r0", .params = pass);
	assert_int_equal(json_array_size(json_object_get(k.doc, "legal_reviews")), 1);
	kase_release(&k);

	/* a first-time reviewer with the qualification */
	kase_init(&k, false);
	filed(&k, NULL);
	OK(&k, "legal_review", "2025-03-04", .reviewer = "r1", .params = pass);
	kase_release(&k);
}

/* ---- guard 2: simplified procedure (Art. 51) ---------------------------- */

/* Art. 51: on the spot only a warning, or a fine up to 200 yuan (citizen). */
static void test_guard2_onspot_person(void **state)
{
	struct kase k;

	(void)state;
	kase_init(&k, false);
	NO(&k, "simplified_not_allowed", "200", "decide_on_spot", "2025-03-03", "e1,e2",
	   .params = ONSPOT("'kind':'fine','amount_fen':20001,'level':'ordinary'", ""));
	NO(&k, "simplified_not_allowed", NULL, "decide_on_spot", "2025-03-03", "e1,e2",
	   .params = ONSPOT("'kind':'fine','amount_fen':30000,'level':'ordinary'", ""));
	OK(&k, "decide_on_spot", "2025-03-03", "e1,e2",
	   .params = ONSPOT("'kind':'fine','amount_fen':20000,'level':'ordinary'", ""));
	STATE(&k, "onsite_decided");
	assert_string_equal(jpath(&k, "procedure", NULL), "simplified");
	kase_release(&k);

	/* a warning (overload_mass, minor) */
	kase_init(&k, false);
	OK(&k, "decide_on_spot", "2025-03-03", "e1,e2",
	   .params = "{'violation':'overload_mass','act_date':'2025-03-03','place':'G242',"
		     "'facts':'轻微超限','kind':'warning','level':'minor'}");
	kase_release(&k);

	/* neither warning nor fine: never on the spot (Art. 51) */
	kase_init(&k, true);
	NO(&k, "simplified_not_allowed", NULL, "decide_on_spot", "2025-03-03", "e1,e2",
	   .params = "{'violation':'overload_repeat_company','act_date':'2025-03-03',"
		     "'place':'G242','facts':'一年内多次超限','kind':'stop_business',"
		     "'level':'ordinary'}");
	kase_release(&k);
}

/* Art. 51: up to 3,000 yuan for a legal person or other organisation. */
static void test_guard2_onspot_org(void **state)
{
	struct kase k;

	(void)state;
	kase_init(&k, true);
	NO(&k, "simplified_not_allowed", "3000", "decide_on_spot", "2025-03-03", "e1,e2",
	   .params = ONSPOT("'kind':'fine','amount_fen':300001,'level':'serious'", ""));
	OK(&k, "decide_on_spot", "2025-03-03", "e1,e2",
	   .params = ONSPOT("'kind':'fine','amount_fen':300000,'level':'serious'", ""));
	kase_release(&k);
}

/* ---- guard 3: limitation (Art. 36) -------------------------------------- */

/* Art. 36: not discovered within 2 years: no penalty, filing refused. */
static void test_guard3_register_time_barred(void **state)
{
	struct kase k;
	char p[512];

	(void)state;
	kase_init(&k, false);
	/* act 2023-03-02, discovered 2025-03-03: two years and a day */
	fparams(p, sizeof(p), "overload_dimension", "2023-03-02", NULL);
	NO(&k, "time_barred", NULL, "register", "2025-03-03", "e1,e2", .params = p);
	/* exactly two years: still within the period */
	fparams(p, sizeof(p), "overload_dimension", "2023-03-03", NULL);
	OK(&k, "register", "2025-03-03", "e1,e2", .params = p);
	kase_release(&k);

	/* Art. 36 para 1: five years where life and health were harmed */
	kase_init(&k, false);
	fparams(p, sizeof(p), "overload_mass", "2021-03-04", "{'harm':true}");
	OK(&k, "register", "2025-03-03", "e1,e2", .params = p);
	kase_release(&k);
	kase_init(&k, false);
	fparams(p, sizeof(p), "overload_mass", "2021-03-04", NULL);
	NO(&k, "time_barred", NULL, "register", "2025-03-03", "e1,e2", .params = p);
	kase_release(&k);

	/* simplified procedure too (Art. 36) */
	kase_init(&k, false);
	NO(&k, "time_barred", NULL, "decide_on_spot", "2025-03-03", "e1,e2",
	   .params = "{'violation':'overload_dimension','act_date':'2023-01-05','place':'G242',"
		     "'facts':'超宽','kind':'fine','amount_fen':10000,'level':'minor'}");
	kase_release(&k);
}

/* Art. 36: filing is refused for a clue that is time-barred. */
static void test_guard3_file_time_barred(void **state)
{
	struct kase k;
	char p[512];

	(void)state;
	kase_init(&k, false);
	fparams(p, sizeof(p), "overload_mass", "2023-06-01", NULL);
	OK(&k, "register", "2025-03-03", "e1,e2", .params = p);
	/* the clue's act date as entered is corrected before filing: by hand here,
	 * since only an investigation step may change it in the procedure */
	json_object_set_new(k.doc, "act_date", json_string("2023-03-01"));
	NO(&k, "time_barred", NULL, "file", "2025-03-04", "e1,e2", "h1");
	json_object_set_new(k.doc, "act_date", json_string("2023-06-01"));
	OK(&k, "file", "2025-03-04", "e1,e2", "h1");
	kase_release(&k);
}

/* Art. 36: a case found time-barred by the investigation can only end in
 * 不予处罚 for that reason; the reason is refused on a case that is not. */
static void test_guard3_found_time_barred(void **state)
{
	struct kase k;

	(void)state;
	kase_init(&k, false);
	filed_with(&k, "overload_dimension", "2024-12-20", NULL, "e1,e2");
	/* not time-barred: the reason is refused (Art. 36) */
	NO(&k, "not_time_barred", NULL, "decide_no_penalty", "2025-03-04", .approver = "h1",
	   .params = "{'reason':'time_barred','explanation':'超过追责期限'}");
	OK(&k, "notify", "2025-03-04", "e1,e2",
	   .params = "{'kind':'fine','amount_fen':50000,'level':'ordinary'}");
	/* the evidence shows the act was on 2023-02-10 */
	OK(&k, "evidence", "2025-03-05", "e1,e2",
	   .params = "{'note':'行车记录显示违法行为发生于2023年2月10日','act_date':'2023-02-10'}");
	assert_string_equal(jpath(&k, "act_date", NULL), "2023-02-10");
	/* no penalty can be notified or approved any more (Art. 36) */
	NO(&k, "time_barred", "不予处罚", "notify", "2025-03-10", "e1,e2",
	   .params = "{'kind':'fine','amount_fen':50000,'level':'ordinary'}");
	NO(&k, "time_barred", NULL, "approve", "2025-03-10", .approver = "h1",
	   .params = "{'kind':'fine','amount_fen':50000}");
	OK(&k, "decide_no_penalty", "2025-03-10", .approver = "h1",
	   .params = "{'reason':'time_barred','explanation':'违法行为二年内未被发现'}");
	STATE(&k, "no_penalty");
	assert_string_equal(jpath(&k, "decision", "reason"), "time_barred");
	assert_doc(&k, "no_penalty_decision", "decision");
	assert_non_null(fx_clock(&k, CLOCK_CANCEL, "decision"));
	OK(&k, "close", "2025-03-11", .approver = "h1", .params = "{'summary':'不予处罚'}");
	kase_release(&k);
}

/* Art. 36: a time-barred case ends in 不予处罚 for that reason, not on
 * another ground (overload_dimension is on the 轻微不罚 list, so "minor"
 * would otherwise be accepted). */
static void test_guard3_time_barred_no_other_reason(void **state)
{
	struct kase k;

	(void)state;
	kase_init(&k, false);
	filed_with(&k, "overload_dimension", "2024-12-20", NULL, "e1,e2");
	OK(&k, "evidence", "2025-03-05", "e1,e2",
	   .params = "{'note':'违法行为发生于2023年2月10日','act_date':'2023-02-10'}");
	NO(&k, "time_barred", NULL, "decide_no_penalty", "2025-03-10", .approver = "h1",
	   .params = "{'reason':'minor','explanation':'情节轻微'}");
	/* nor by terminating, revoking or transferring the case (Art. 36) */
	NO(&k, "time_barred", NULL, "terminate", "2025-03-10", .approver = "h1",
	   .params = "{'reason':'终止调查'}");
	NO(&k, "time_barred", NULL, "revoke", "2025-03-10", .approver = "h1",
	   .params = "{'reason':'撤销立案'}");
	NO(&k, "time_barred", NULL, "decide_no_penalty", "2025-03-10", .approver = "h1",
	   .params = "{'reason':'first_offence','explanation':'首次违法'}");
	OK(&k, "decide_no_penalty", "2025-03-10", .approver = "h1",
	   .params = "{'reason':'time_barred','explanation':'违法行为二年内未被发现'}");
	kase_release(&k);
}

/* Art. 33 para 1: 首违不罚 and 轻微不罚 only for the violations listed. */
static void test_no_penalty_reasons(void **state)
{
	struct kase k;

	(void)state;
	kase_init(&k, false);
	filed(&k, NULL);	/* overload_mass: neither list */
	NO(&k, "first_offence_not_listed", NULL, "decide_no_penalty", "2025-03-04",
	   .approver = "h1", .params = "{'reason':'first_offence','explanation':'首次违法'}");
	NO(&k, "minor_not_applicable", NULL, "decide_no_penalty", "2025-03-04",
	   .approver = "h1", .params = "{'reason':'minor','explanation':'轻微'}");
	kase_release(&k);

	kase_init(&k, false);
	filed_with(&k, "overload_dimension", "2025-03-03", NULL, "e1,e2");
	OK(&k, "decide_no_penalty", "2025-03-04", .approver = "h1",
	   .params = "{'reason':'first_offence','explanation':'首次违法且及时改正'}");
	STATE(&k, "no_penalty");
	kase_release(&k);
}

/* ---- guard 4: notice, statement, hearing (Arts. 44, 45, 62-65) ---------- */

/* Arts. 44, 62: no decision before the party was notified. */
static void test_guard4_not_notified(void **state)
{
	struct kase k;

	(void)state;
	kase_init(&k, false);
	filed(&k, NULL);
	NO(&k, "not_notified", "第四十四条", "approve", "2025-03-10", .approver = "h2",
	   .params = FINE_3000);
	kase_release(&k);
}

/* Arts. 44, 45, 62: the statement window (3 working days) must pass or be
 * waived before the decision. */
static void test_guard4_statement_window(void **state)
{
	struct kase k;

	(void)state;
	kase_init(&k, false);
	filed(&k, NULL);
	notified(&k, 3000, "ordinary");
	assert_due(&k, "statement", "2025-03-07");
	assert_null(tclock(&k, "hearing_request"));	/* 3,000 < 5,000: no hearing right */
	NO(&k, "statement_window_open", NULL, "approve", "2025-03-05", .approver = "h2",
	   .params = FINE_3000);
	/* the last day of the window still belongs to the party */
	NO(&k, "statement_window_open", NULL, "approve", "2025-03-07", .approver = "h2",
	   .params = FINE_3000);
	OK(&k, "approve", "2025-03-10", .approver = "h2", .params = FINE_3000);
	STATE(&k, "approved");
	assert_non_null(fx_clock(&k, CLOCK_MET, "statement"));
	kase_release(&k);

	/* waived: allowed at once (Art. 44) */
	kase_init(&k, false);
	filed(&k, NULL);
	notified(&k, 3000, "ordinary");
	OK(&k, "waive", "2025-03-05");
	assert_non_null(fx_clock(&k, CLOCK_MET, "statement"));
	OK(&k, "approve", "2025-03-05", .approver = "h2", .params = FINE_3000);
	kase_release(&k);

	/* the organisation's setting decides the window: 5 working days */
	kase_init(&k, false);
	k.env.statement_window_working_days = 5;
	filed(&k, NULL);
	notified(&k, 3000, "ordinary");
	assert_due(&k, "statement", "2025-03-11");
	NO(&k, "statement_window_open", NULL, "approve", "2025-03-10", .approver = "h2",
	   .params = FINE_3000);
	OK(&k, "approve", "2025-03-12", .approver = "h2", .params = FINE_3000);
	kase_release(&k);
}

/* Art. 63: hearing right for a fine at or above the organisation's 较大数额,
 * and for 吊销许可证件 whatever the amount. */
static void test_guard4_hearing_right(void **state)
{
	struct kase k;

	(void)state;
	kase_init(&k, false);
	filed(&k, NULL);
	notified(&k, 4999, "ordinary");
	assert_false(json_is_true(json_object_get(json_object_get(k.doc, "notice"),
						  "hearing_right")));
	assert_null(fx_clock(&k, CLOCK_OPEN, "hearing_request"));
	NO(&k, "no_hearing_right", NULL, "request_hearing", "2025-03-05");
	kase_release(&k);

	kase_init(&k, false);
	filed(&k, NULL);
	notified(&k, 5000, "ordinary");	/* the threshold itself */
	assert_true(json_is_true(json_object_get(json_object_get(k.doc, "notice"),
						 "hearing_right")));
	const struct proc_clock_effect *c = fx_clock(&k, CLOCK_OPEN, "hearing_request");
	assert_non_null(c);
	assert_int_equal(c->count, 5);
	assert_int_equal(c->unit, CAL_UNIT_WORKING_DAYS);
	assert_non_null(strstr(c->basis, "第六十四条"));
	assert_due(&k, "hearing_request", "2025-03-11");
	kase_release(&k);

	/* 吊销许可证件 (Art. 63 para 1 (3)) */
	kase_init(&k, true);
	filed_with(&k, "overload_repeat_company", "2025-03-03", NULL, "e1,e2");
	OK(&k, "notify", "2025-03-04", "e1,e2",
	   .params = "{'kind':'revoke_licence','level':'serious'}");
	assert_true(json_is_true(json_object_get(json_object_get(k.doc, "notice"),
						 "hearing_right")));
	assert_non_null(fx_clock(&k, CLOCK_OPEN, "hearing_request"));
	kase_release(&k);
}

/* Art. 64(1): the decision waits for the 5-working-day hearing request
 * window; a request after it is late. */
static void test_guard4_hearing_window(void **state)
{
	struct kase k;
	const char *fine = "{'kind':'fine','amount_fen':800000}";

	(void)state;
	kase_init(&k, false);
	filed(&k, NULL);
	notified(&k, 8000, "serious");
	/* statement window over (03-07), hearing window (03-11) not */
	NO(&k, "hearing_window_open", NULL, "approve", "2025-03-10", .approver = "h2",
	   .params = fine);
	NO(&k, "hearing_window_open", NULL, "approve", "2025-03-11", .approver = "h2",
	   .params = fine);
	NO(&k, "hearing_request_late", "2025-03-11", "request_hearing", "2025-03-12");
	OK(&k, "approve", "2025-03-12", .approver = "h2", .params = fine);
	kase_release(&k);

	/* waiving the statement waives the hearing too */
	kase_init(&k, false);
	filed(&k, NULL);
	notified(&k, 8000, "serious");
	OK(&k, "waive", "2025-03-05");
	assert_non_null(fx_clock(&k, CLOCK_MET, "hearing_request"));
	OK(&k, "approve", "2025-03-05", .approver = "h2", .params = fine);
	kase_release(&k);
}

/* Arts. 64, 65: a hearing requested in time blocks the decision until it
 * was held; the notice goes out 7 working days ahead; the presider did not
 * investigate (Art. 64(4)). */
static void test_guard4_hearing(void **state)
{
	struct kase k;
	const char *fine = "{'kind':'fine','amount_fen':800000}";
	const char *pass = "{'result':'pass','opinion':'听证后事实清楚'}";

	(void)state;
	kase_init(&k, false);
	filed(&k, NULL);
	notified(&k, 8000, "serious");
	OK(&k, "collective", "2025-03-05", .params = "{'conclusion':'较重情节，拟罚八千元'}");
	OK(&k, "request_hearing", "2025-03-11");	/* the last day of the window */
	STATE(&k, "hearing_requested");
	/* the hearing is excluded from the decision period: the clock pauses */
	assert_non_null(fx_clock(&k, CLOCK_PAUSE, "decision"));
	assert_non_null(fx_clock(&k, CLOCK_MET, "hearing_request"));
	/* 7 working days from 03-12: 13 14 17 18 19 20 21 -> 03-21 (Art. 64(2), 85) */
	NO(&k, "hearing_notice_too_short", "2025-03-21", "schedule_hearing", "2025-03-12",
	   "e1,e2", .params = "{'hearing_date':'2025-03-20','presider':'e3'}");
	NO(&k, "presider_is_investigator", NULL, "schedule_hearing", "2025-03-12", "e1,e2",
	   .params = "{'hearing_date':'2025-03-21','presider':'e1'}");
	OK(&k, "schedule_hearing", "2025-03-12", "e1,e2",
	   .params = "{'hearing_date':'2025-03-21','presider':'e3'}");
	STATE(&k, "hearing_scheduled");
	assert_doc(&k, "hearing_notice", "hearing_notice");
	OK(&k, "hold_hearing", "2025-03-21", .params = "{'record':'当事人到场陈述'}");
	STATE(&k, "heard");
	assert_doc(&k, "hearing_record", "hearing_record");
	assert_non_null(fx_clock(&k, CLOCK_RESUME, "decision"));
	/* heard: legal review after the hearing (Art. 58) */
	NO(&k, "legal_review_required", NULL, "approve", "2025-03-24", .approver = "h2",
	   .params = fine);
	OK(&k, "legal_review", "2025-03-24", .reviewer = "r1", .params = pass);
	OK(&k, "approve", "2025-03-24", .approver = "h2", .params = fine);
	OK(&k, "decide", "2025-03-25", "e1,e2");
	STATE(&k, "decided");
	kase_release(&k);
}

/* Art. 65: once a hearing is requested, no decision until it was held; the
 * refusal names the rule rather than the state. */
static void test_guard4_hearing_pending(void **state)
{
	struct kase k;
	const char *fine = "{'kind':'fine','amount_fen':800000}";

	(void)state;
	kase_init(&k, false);
	filed(&k, NULL);
	notified(&k, 8000, "serious");
	OK(&k, "request_hearing", "2025-03-06");
	NO(&k, "hearing_pending", NULL, "approve", "2025-03-12", .approver = "h2",
	   .params = fine);
	OK(&k, "schedule_hearing", "2025-03-12", "e1,e2",
	   .params = "{'hearing_date':'2025-03-21','presider':'e3'}");
	NO(&k, "hearing_pending", NULL, "approve", "2025-03-13", .approver = "h2",
	   .params = fine);
	kase_release(&k);
}

/* Art. 64: the hearing is held on the day the notice gave, not before. */
static void test_guard4_hearing_not_yet(void **state)
{
	struct kase k;

	(void)state;
	kase_init(&k, false);
	filed(&k, NULL);
	notified(&k, 8000, "serious");
	OK(&k, "request_hearing", "2025-03-06");
	OK(&k, "schedule_hearing", "2025-03-06", "e1,e2",
	   .params = "{'hearing_date':'2025-03-17','presider':'e3'}");
	NO(&k, "hearing_not_yet", NULL, "hold_hearing", "2025-03-14",
	   .params = "{'record':'听证笔录'}");
	OK(&k, "hold_hearing", "2025-03-17", .params = "{'record':'听证笔录'}");
	kase_release(&k);
}

/* ---- guard 5: never heavier than notified, never for the defence (Art. 45) */

/* Arts. 44, 45: the decided penalty is not heavier than the notified one. */
static void test_guard5_heavier_than_notified(void **state)
{
	struct kase k;

	(void)state;
	kase_init(&k, false);
	filed(&k, NULL);
	notified(&k, 3000, "ordinary");
	NO(&k, "heavier_than_notified", NULL, "approve", "2025-03-10", .approver = "h2",
	   .params = "{'kind':'fine','amount_fen':350000}");
	OK(&k, "approve", "2025-03-10", .approver = "h2",
	   .params = "{'kind':'fine','amount_fen':250000}");
	kase_release(&k);

	/* a warning notified: a fine is heavier (Art. 9's order) */
	kase_init(&k, false);
	filed(&k, NULL);
	OK(&k, "notify", "2025-03-04", "e1,e2",
	   .params = "{'kind':'warning','level':'minor'}");
	NO(&k, "heavier_than_notified", NULL, "approve", "2025-03-10", .approver = "h2",
	   .params = "{'kind':'fine','amount_fen':50000}");
	OK(&k, "approve", "2025-03-10", .approver = "h2", .params = "{'kind':'warning'}");
	kase_release(&k);
}

/* Art. 45: never heavier because the party defended itself; a new notice
 * with new evidence may be heavier. */
static void test_guard5_heavier_after_defence(void **state)
{
	struct kase k;
	const char *p4000 = "{'kind':'fine','amount_fen':400000,'level':'ordinary'}";

	(void)state;
	kase_init(&k, false);
	filed(&k, NULL);
	notified(&k, 3000, "ordinary");
	OK(&k, "statement", "2025-03-05", .params = "{'summary':'当事人称不知超限'}");
	NO(&k, "heavier_after_defence", NULL, "notify", "2025-03-06", "e1,e2", .params = p4000);
	/* the same or a lighter notice is fine */
	OK(&k, "notify", "2025-03-06", "e1,e2",
	   .params = "{'kind':'fine','amount_fen':300000,'level':'ordinary'}");
	OK(&k, "statement", "2025-03-07", .params = "{'summary':'再次申辩'}");
	NO(&k, "heavier_after_defence", NULL, "notify", "2025-03-10", "e1,e2", .params = p4000);
	/* new facts gathered after the notice */
	OK(&k, "evidence", "2025-03-10", "e1,e2",
	   .params = "{'note':'复磅显示超限更多'}");
	OK(&k, "notify", "2025-03-10", "e1,e2", .params = p4000);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(k.doc, "notice"),
							    "count")), 3);
	/* the new notice opens a new window: 03-13 */
	assert_due(&k, "statement", "2025-03-13");
	NO(&k, "statement_window_open", NULL, "approve", "2025-03-13", .approver = "h2",
	   .params = "{'kind':'fine','amount_fen':400000}");
	OK(&k, "approve", "2025-03-14", .approver = "h2",
	   .params = "{'kind':'fine','amount_fen':400000}");
	kase_release(&k);

	/* without a statement a heavier notice needs nothing more */
	kase_init(&k, false);
	filed(&k, NULL);
	notified(&k, 3000, "ordinary");
	OK(&k, "notify", "2025-03-05", "e1,e2", .params = p4000);
	kase_release(&k);
}

/* ---- guard 6: legal review, collective discussion, the approving head --- */

/* Art. 58: legal review before the decision of a major or complex case. */
static void test_guard6_legal_review_required(void **state)
{
	struct kase k;
	const char *pass = "{'result':'pass','opinion':'同意'}";
	const char *failr = "{'result':'fail','opinion':'证据不足'}";

	(void)state;
	kase_init(&k, false);
	filed(&k, "{'major':true}");
	notified(&k, 3000, "ordinary");
	NO(&k, "legal_review_required", NULL, "approve", "2025-03-10", .approver = "h2",
	   .params = FINE_3000);
	OK(&k, "legal_review", "2025-03-10", .reviewer = "r1", .params = failr);
	NO(&k, "legal_review_required", NULL, "approve", "2025-03-10", .approver = "h2",
	   .params = FINE_3000);
	OK(&k, "legal_review", "2025-03-10", .reviewer = "r1", .params = pass);
	OK(&k, "approve", "2025-03-10", .approver = "h2", .params = FINE_3000);
	kase_release(&k);

	/* a plain case needs neither review nor collective discussion */
	kase_init(&k, false);
	filed(&k, NULL);
	notified(&k, 3000, "ordinary");
	OK(&k, "approve", "2025-03-10", .approver = "h2", .params = FINE_3000);
	kase_release(&k);
}

/* Art. 58: a review before the hearing does not count after it. */
static void test_guard6_review_before_hearing(void **state)
{
	struct kase k;
	const char *pass = "{'result':'pass','opinion':'同意'}";
	const char *fine = "{'kind':'fine','amount_fen':800000}";

	(void)state;
	kase_init(&k, false);
	filed(&k, "{'major':true}");
	OK(&k, "legal_review", "2025-03-04", .reviewer = "r1", .params = pass);
	notified(&k, 8000, "serious");
	OK(&k, "request_hearing", "2025-03-05");
	OK(&k, "schedule_hearing", "2025-03-05", "e1,e2",
	   .params = "{'hearing_date':'2025-03-14','presider':'e3'}");
	OK(&k, "hold_hearing", "2025-03-14", .params = "{'record':'听证'}");
	NO(&k, "legal_review_required", "听证", "approve", "2025-03-17", .approver = "h2",
	   .params = fine);
	OK(&k, "legal_review", "2025-03-17", .reviewer = "r1", .params = pass);
	OK(&k, "approve", "2025-03-17", .approver = "h2", .params = fine);
	kase_release(&k);
}

/* Art. 57 para 2: collective discussion for complex or serious cases. */
static void test_guard6_collective_required(void **state)
{
	struct kase k;
	const char *pass = "{'result':'pass','opinion':'同意'}";

	(void)state;
	kase_init(&k, false);
	filed(&k, "{'complex':true}");
	notified(&k, 3000, "ordinary");
	NO(&k, "legal_review_required", NULL, "approve", "2025-03-10", .approver = "h2",
	   .params = FINE_3000);
	OK(&k, "legal_review", "2025-03-10", .reviewer = "r1", .params = pass);
	NO(&k, "collective_required", NULL, "approve", "2025-03-10", .approver = "h2",
	   .params = FINE_3000);
	OK(&k, "collective", "2025-03-10", .params = "{'conclusion':'同意处罚'}");
	OK(&k, "approve", "2025-03-10", .approver = "h2", .params = FINE_3000);
	kase_release(&k);

	kase_init(&k, false);
	filed(&k, "{'serious':true}");
	notified(&k, 3000, "ordinary");
	NO(&k, "collective_required", NULL, "approve", "2025-03-10", .approver = "h2",
	   .params = FINE_3000);
	OK(&k, "collective", "2025-03-10", .params = "{'conclusion':'同意处罚'}");
	OK(&k, "approve", "2025-03-10", .approver = "h2", .params = FINE_3000);
	kase_release(&k);
}

/* Art. 57; transport rule Art. 63: a head approves, and not one of the case
 * officers. */
static void test_guard6_approver(void **state)
{
	struct kase k;
	char p[512];

	(void)state;
	kase_init(&k, false);
	fparams(p, sizeof(p), "overload_mass", "2025-03-03", NULL);
	OK(&k, "register", "2025-03-03", "h1,e1", .params = p);
	NO(&k, "approval_required", NULL, "file", "2025-03-03", "h1,e1");
	NO(&k, "approver_not_head", NULL, "file", "2025-03-03", "h1,e1", "e3");
	OK(&k, "file", "2025-03-03", "h1,e1", "h2");
	OK(&k, "notify", "2025-03-04", "h1,e1",
	   .params = "{'kind':'fine','amount_fen':300000,'level':'ordinary'}");
	NO(&k, "approver_not_head", NULL, "approve", "2025-03-10", .approver = "r1",
	   .params = FINE_3000);
	OK(&k, "approve", "2025-03-10", .approver = "h2", .params = FINE_3000);
	kase_release(&k);
}

/* Art. 57: the head who approves did not act in the case. */
static void test_guard6_approver_is_case_officer(void **state)
{
	struct kase k;
	char p[512];

	(void)state;
	kase_init(&k, false);
	fparams(p, sizeof(p), "overload_mass", "2025-03-03", NULL);
	OK(&k, "register", "2025-03-03", "h1,e1", .params = p);
	NO(&k, "approver_is_case_officer", NULL, "file", "2025-03-03", "h1,e1", "h1");
	OK(&k, "file", "2025-03-03", "h1,e1", "h2");
	OK(&k, "notify", "2025-03-04", "h1,e1",
	   .params = "{'kind':'fine','amount_fen':300000,'level':'ordinary'}");
	NO(&k, "approver_is_case_officer", NULL, "approve", "2025-03-10", .approver = "h1",
	   .params = FINE_3000);
	kase_release(&k);
}

/* ---- guard 7: the decision clock (Art. 60) ------------------------------ */

/* Art. 60: 90 days from filing; no decision after it. */
static void test_guard7_decision_overdue(void **state)
{
	struct kase k;
	const struct proc_clock_effect *c;

	(void)state;
	kase_init(&k, false);
	filed(&k, NULL);
	c = fx_clock(&k, CLOCK_OPEN, "decision");
	assert_non_null(c);
	assert_int_equal(c->count, 90);
	assert_int_equal(c->unit, CAL_UNIT_DAYS);
	assert_non_null(strstr(c->basis, "第六十条"));
	assert_doc(&k, "filing_form", "filing");
	/* 03-03 + 90 = 06-01 (端午), moved to 06-03 */
	assert_due(&k, "decision", "2025-06-03");
	notified(&k, 3000, "ordinary");
	OK(&k, "approve", "2025-03-10", .approver = "h2", .params = FINE_3000);
	NO(&k, "decision_overdue", "2025-06-03", "decide", "2025-06-04", "e1,e2");
	OK(&k, "decide", "2025-06-03", "e1,e2");
	assert_non_null(fx_clock(&k, CLOCK_MET, "decision"));
	kase_release(&k);

	/* approval after the period is refused too */
	kase_init(&k, false);
	filed(&k, NULL);
	notified(&k, 3000, "ordinary");
	NO(&k, "decision_overdue", NULL, "approve", "2025-06-04", .approver = "h2",
	   .params = FINE_3000);
	kase_release(&k);
}

/* Art. 60 with the transport rule: one extension of up to 30 days by the
 * head; a further one only after collective discussion. */
static void test_guard7_extension(void **state)
{
	struct kase k;
	const struct proc_clock_effect *c;

	(void)state;
	kase_init(&k, false);
	filed(&k, NULL);
	notified(&k, 3000, "ordinary");
	OK(&k, "approve", "2025-03-10", .approver = "h2", .params = FINE_3000);
	NO(&k, "extension_too_long", "30", "extend", "2025-05-20", .approver = "h1",
	   .params = "{'days':31,'reason':'案情复杂'}");
	NO(&k, "approval_required", NULL, "extend", "2025-05-20",
	   .params = "{'days':30,'reason':'案情复杂'}");
	OK(&k, "extend", "2025-05-20", .approver = "h1",
	   .params = "{'days':30,'reason':'案情复杂，需补充鉴定'}");
	c = fx_clock(&k, CLOCK_EXTEND, "decision");
	assert_non_null(c);
	assert_int_equal(c->count, 30);
	/* 03-03 + 120 = 07-01 */
	assert_due(&k, "decision", "2025-07-01");
	json_t *ext = json_array_get(json_object_get(k.doc, "extensions"), 0);
	assert_string_equal(json_string_value(json_object_get(ext, "approver")), "h1");
	assert_string_equal(json_string_value(json_object_get(ext, "reason")),
			    "案情复杂，需补充鉴定");
	NO(&k, "extension_needs_collective", NULL, "extend", "2025-06-20", .approver = "h1",
	   .params = "{'days':10,'reason':'再次延长'}");
	OK(&k, "collective", "2025-06-20", .params = "{'conclusion':'同意再延长十日'}");
	OK(&k, "extend", "2025-06-20", .approver = "h1",
	   .params = "{'days':10,'reason':'再次延长'}");
	assert_due(&k, "decision", "2025-07-11");
	/* the extended period allows the decision */
	OK(&k, "decide", "2025-07-11", "e1,e2");
	kase_release(&k);
}

/* Art. 60: excluded periods (public notice, testing, appraisal...) pause the
 * clock; a paused clock is not overdue. */
static void test_guard7_pause_resume(void **state)
{
	struct kase k;

	(void)state;
	kase_init(&k, false);
	filed(&k, NULL);
	NO(&k, "clock_not_paused", NULL, "resume", "2025-03-04");
	OK(&k, "pause", "2025-03-04", .params = "{'reason':'appraisal'}");
	assert_non_null(fx_clock(&k, CLOCK_PAUSE, "decision"));
	assert_true(tclock(&k, "decision")->paused);
	NO(&k, "clock_not_running", NULL, "pause", "2025-03-05",
	   .params = "{'reason':'testing'}");
	OK(&k, "resume", "2025-03-14");
	assert_non_null(fx_clock(&k, CLOCK_RESUME, "decision"));
	/* ten days excluded: 03-03 + 100 = 06-11 */
	assert_due(&k, "decision", "2025-06-11");
	OK(&k, "notify", "2025-03-14", "e1,e2",
	   .params = "{'kind':'fine','amount_fen':300000,'level':'ordinary'}");
	OK(&k, "approve", "2025-03-20", .approver = "h2", .params = FINE_3000);
	OK(&k, "decide", "2025-06-10", "e1,e2");
	kase_release(&k);

	/* while paused the due date does not bind */
	kase_init(&k, false);
	filed(&k, NULL);
	notified(&k, 3000, "ordinary");
	OK(&k, "approve", "2025-03-10", .approver = "h2", .params = FINE_3000);
	OK(&k, "pause", "2025-03-11", .params = "{'reason':'public_notice'}");
	set_due(&k, "decision", "2025-03-12");
	OK(&k, "decide", "2025-03-20", "e1,e2");
	kase_release(&k);
}

/* ---- guard 8: service, payment, surcharge (Arts. 61, 67, 72, 73) -------- */

/* Art. 61: service within 7 working days; electronic only with consent;
 * Art. 67: payment due 15 days after service. */
static void test_guard8_service(void **state)
{
	struct kase k;
	const struct proc_clock_effect *c;

	(void)state;
	kase_init(&k, false);
	decided(&k);
	assert_doc(&k, "decision", "decision");
	c = fx_clock(&k, CLOCK_OPEN, "service");
	assert_non_null(c);
	assert_int_equal(c->count, 7);
	assert_int_equal(c->unit, CAL_UNIT_WORKING_DAYS);
	NO(&k, "electronic_service_without_consent", NULL, "serve", "2025-03-12", "e1,e2",
	   .params = "{'method':'electronic'}");
	OK(&k, "serve", "2025-03-12", "e1,e2",
	   .params = "{'method':'electronic','consent':true}");
	STATE(&k, "served");
	assert_doc(&k, "service_receipt", "service");
	assert_non_null(fx_clock(&k, CLOCK_MET, "service"));
	c = fx_clock(&k, CLOCK_OPEN, "payment");
	assert_non_null(c);
	assert_int_equal(c->count, 15);
	assert_int_equal(c->unit, CAL_UNIT_DAYS);
	assert_non_null(strstr(c->basis, "第六十七条"));
	assert_string_equal(jpath(&k, "service", "date"), "2025-03-12");
	assert_false(json_is_true(json_object_get(json_object_get(k.doc, "service"), "late")));
	kase_release(&k);

	/* served after the 7 working days: recorded as late */
	kase_init(&k, false);
	decided(&k);
	OK(&k, "serve", "2025-03-21", "e1,e2", .params = "{'method':'mail'}");
	assert_true(json_is_true(json_object_get(json_object_get(k.doc, "service"), "late")));
	kase_release(&k);
}

/* Arts. 67, 72: the amount due is the fine, plus 3% a day after the due date. */
static void test_guard8_pay(void **state)
{
	struct kase k;

	(void)state;
	kase_init(&k, false);
	decided(&k);
	OK(&k, "serve", "2025-03-14", "e1,e2", .params = "{'method':'direct'}");
	/* 03-14 + 15 = 03-29 (Saturday), moved to 03-31 */
	assert_due(&k, "payment", "2025-03-31");
	NO(&k, "wrong_amount", "3000.00", "pay", "2025-03-20",
	   .params = "{'amount_fen':290000}");
	NO(&k, "wrong_amount", "3000.00", "pay", "2025-03-31", .params = "{}");
	/* two days late: 3000 * 3% * 2 = 180 */
	NO(&k, "wrong_amount", "3180.00", "pay", "2025-04-02",
	   .params = "{'amount_fen':300000}");
	OK(&k, "pay", "2025-04-02", .params = "{'amount_fen':318000}");
	STATE(&k, "executed");
	json_t *pay = json_object_get(k.doc, "payment");
	assert_int_equal(json_integer_value(json_object_get(pay, "surcharge_fen")), 18000);
	assert_int_equal(json_integer_value(json_object_get(pay, "amount_fen")), 318000);
	assert_non_null(fx_clock(&k, CLOCK_MET, "payment"));
	kase_release(&k);
}

/* Art. 73: the days a 复议 or lawsuit was pending do not count. */
static void test_guard8_pay_after_appeal(void **state)
{
	struct kase k;

	(void)state;
	kase_init(&k, false);
	decided(&k);
	OK(&k, "serve", "2025-03-14", "e1,e2", .params = "{'method':'direct'}");
	OK(&k, "appeal", "2025-04-01", .params = "{'kind':'reconsideration'}");
	OK(&k, "appeal_outcome", "2025-04-10", .params = "{'outcome':'upheld'}");
	STATE(&k, "served");
	/* 04-12: 12 days after 03-31, 9 of them pending: 3 days, 270 yuan */
	NO(&k, "wrong_amount", "3270.00", "pay", "2025-04-12",
	   .params = "{'amount_fen':300000}");
	OK(&k, "pay", "2025-04-12", .params = "{'amount_fen':327000}");
	kase_release(&k);
}

/* Art. 72(1): 3% of the fine a day from the day after the due date, capped at
 * the fine; Art. 73: pending days not counted. */
static void test_guard8_surcharge(void **state)
{
	struct zf_date due = day("2025-03-31");

	(void)state;
	assert_int_equal(F.params.surcharge_permille_per_day, 30);
	assert_int_equal(proc_surcharge_fen(300000, due, day("2025-03-20"), 0, &F.params), 0);
	assert_int_equal(proc_surcharge_fen(300000, due, due, 0, &F.params), 0);
	assert_int_equal(proc_surcharge_fen(300000, due, day("2025-04-01"), 0, &F.params), 9000);
	assert_int_equal(proc_surcharge_fen(300000, due, day("2025-04-02"), 0, &F.params), 18000);
	assert_int_equal(proc_surcharge_fen(300000, due, day("2025-04-30"), 0, &F.params),
			 270000);
	/* 34 days would be 306000: capped at the fine */
	assert_int_equal(proc_surcharge_fen(300000, due, day("2025-05-04"), 0, &F.params),
			 300000);
	assert_int_equal(proc_surcharge_fen(300000, due, day("2026-03-31"), 0, &F.params),
			 300000);
	/* 10 days late, 5 of them under appeal */
	assert_int_equal(proc_surcharge_fen(300000, due, day("2025-04-10"), 5, &F.params), 45000);
	assert_int_equal(proc_surcharge_fen(300000, due, day("2025-04-10"), 10, &F.params), 0);
	assert_int_equal(proc_surcharge_fen(300000, due, day("2025-04-10"), 12, &F.params), 0);
	assert_int_equal(proc_surcharge_fen(10000, due, day("2025-04-01"), 0, &F.params), 300);
	assert_int_equal(proc_surcharge_fen(0, due, day("2025-05-01"), 0, &F.params), 0);
}

/* 行政强制法 Arts. 45, 53: enforcement only after the payment deadline. */
static void test_guard8_enforce(void **state)
{
	struct kase k;
	const char *court = "{'how':'court','note':'申请人民法院强制执行'}";

	(void)state;
	kase_init(&k, false);
	decided(&k);
	OK(&k, "serve", "2025-03-12", "e1,e2", .params = "{'method':'direct'}");
	NO(&k, "payment_not_overdue", NULL, "enforce", "2025-03-20", "e1,e2", .params = court);
	NO(&k, "payment_not_overdue", NULL, "enforce", "2025-03-27", "e1,e2", .params = court);
	OK(&k, "enforce", "2025-03-28", "e1,e2", .params = court);
	STATE(&k, "executed");
	assert_string_equal(jpath(&k, "execution", "how"), "enforced");
	kase_release(&k);
}

/* ---- guard 9: close and archive --------------------------------------- */

/* 结案 only after execution or a branch; 归档 only after 结案; afterwards
 * only notes (Art. 47). */
static void test_guard9_close_archive(void **state)
{
	struct kase k;

	(void)state;
	kase_init(&k, false);
	decided(&k);
	NO(&k, "transition_not_allowed", NULL, "close", "2025-03-11", .approver = "h1",
	   .params = "{'summary':'结案'}");
	OK(&k, "serve", "2025-03-12", "e1,e2", .params = "{'method':'direct'}");
	NO(&k, "transition_not_allowed", NULL, "close", "2025-03-12", .approver = "h1",
	   .params = "{'summary':'结案'}");
	NO(&k, "transition_not_allowed", NULL, "archive", "2025-03-12");
	OK(&k, "pay", "2025-03-20", .params = FINE_3000);
	NO(&k, "transition_not_allowed", NULL, "archive", "2025-03-20");
	NO(&k, "approval_required", NULL, "close", "2025-03-21", .params = "{'summary':'结案'}");
	OK(&k, "close", "2025-03-21", .approver = "h1", .params = "{'summary':'结案'}");
	assert_doc(&k, "closing_report", "closing");
	OK(&k, "archive", "2025-03-24");
	/* archived: nothing changes any more (Art. 47) */
	NO(&k, "case_archived", NULL, "appeal", "2025-03-25",
	   .params = "{'kind':'lawsuit'}");
	NO(&k, "case_archived", NULL, "close", "2025-03-25", .approver = "h1",
	   .params = "{'summary':'再结案'}");
	NO(&k, "case_archived", NULL, "archive", "2025-03-25");
	OK(&k, "note", "2025-03-26", .params = "{'text':'卷宗移交档案室'}");
	STATE(&k, "archived");
	assert_string_equal(jpath(&k, "last_date", NULL), "2025-03-24");
	assert_int_equal(json_array_size(json_object_get(k.doc, "notes")), 1);
	kase_release(&k);
}

/* Art. 73: a case under 复议 or lawsuit is not closed. */
static void test_guard9_close_with_pending_appeal(void **state)
{
	struct kase k;

	(void)state;
	kase_init(&k, false);
	decided(&k);
	OK(&k, "serve", "2025-03-12", "e1,e2", .params = "{'method':'direct'}");
	OK(&k, "pay", "2025-03-20", .params = FINE_3000);
	NO(&k, "no_pending_appeal", NULL, "appeal_outcome", "2025-03-21",
	   .params = "{'outcome':'upheld'}");
	OK(&k, "appeal", "2025-03-21", .params = "{'kind':'lawsuit'}");
	NO(&k, "appeal_pending", NULL, "appeal", "2025-03-24",
	   .params = "{'kind':'reconsideration'}");
	NO(&k, "appeal_pending", NULL, "close", "2025-03-24", .approver = "h1",
	   .params = "{'summary':'结案'}");
	kase_release(&k);
}

/* Art. 73: once the court or the reviewing body has decided, the case closes. */
static void test_guard9_close_after_appeal_outcome(void **state)
{
	struct kase k;

	(void)state;
	kase_init(&k, false);
	decided(&k);
	OK(&k, "serve", "2025-03-12", "e1,e2", .params = "{'method':'direct'}");
	OK(&k, "pay", "2025-03-20", .params = FINE_3000);
	OK(&k, "appeal", "2025-03-21", .params = "{'kind':'lawsuit'}");
	OK(&k, "appeal_outcome", "2025-05-06", .params = "{'outcome':'dismissed'}");
	OK(&k, "close", "2025-05-07", .approver = "h1", .params = "{'summary':'结案'}");
	STATE(&k, "closed");
	kase_release(&k);

	/* revoked by the reviewing body before payment: carried out, may close */
	kase_init(&k, false);
	decided(&k);
	OK(&k, "serve", "2025-03-12", "e1,e2", .params = "{'method':'direct'}");
	OK(&k, "appeal", "2025-03-13", .params = "{'kind':'reconsideration'}");
	OK(&k, "appeal_outcome", "2025-04-30", .params = "{'outcome':'revoked'}");
	STATE(&k, "executed");
	assert_string_equal(jpath(&k, "execution", "how"), "revoked");
	OK(&k, "close", "2025-05-06", .approver = "h1", .params = "{'summary':'决定被撤销'}");
	kase_release(&k);
}

/* 交通运输行政执法程序规定 Art. 61: a simplified case is recorded before it
 * is closed. */
static void test_guard9_simplified_not_recorded(void **state)
{
	struct kase k;
	const struct proc_clock_effect *c;

	(void)state;
	kase_init(&k, false);
	OK(&k, "decide_on_spot", "2025-03-03", "e1,e2",
	   .params = ONSPOT("'kind':'fine','amount_fen':10000,'level':'minor'", ""));
	c = fx_clock(&k, CLOCK_OPEN, "simplified_filing");
	assert_non_null(c);
	assert_int_equal(c->count, 5);
	assert_int_equal(c->unit, CAL_UNIT_WORKING_DAYS);
	OK(&k, "deliver", "2025-03-03", "e1,e2");
	STATE(&k, "delivered");
	assert_non_null(fx_clock(&k, CLOCK_OPEN, "payment"));
	OK(&k, "pay", "2025-03-04", .params = "{'amount_fen':10000}");
	STATE(&k, "executed");
	NO(&k, "not_recorded", NULL, "close", "2025-03-05", .approver = "h1",
	   .params = "{'summary':'当场处罚结案'}");
	OK(&k, "record", "2025-03-05");
	STATE(&k, "executed");
	OK(&k, "close", "2025-03-05", .approver = "h1", .params = "{'summary':'当场处罚结案'}");
	OK(&k, "archive", "2025-03-06");
	STATE(&k, "archived");
	kase_release(&k);

	/* recorded before payment: delivered -> recorded -> executed */
	kase_init(&k, false);
	OK(&k, "decide_on_spot", "2025-03-03", "e1,e2",
	   .params = ONSPOT("'kind':'fine','amount_fen':10000,'level':'minor'", ""));
	OK(&k, "deliver", "2025-03-03", "e1,e2");
	OK(&k, "record", "2025-03-04");
	STATE(&k, "recorded");
	assert_non_null(fx_clock(&k, CLOCK_MET, "simplified_filing"));
	OK(&k, "pay", "2025-03-05", .params = "{'amount_fen':10000}");
	STATE(&k, "executed");
	OK(&k, "close", "2025-03-05", .approver = "h1", .params = "{'summary':'结案'}");
	kase_release(&k);
}

/* 交通运输行政执法程序规定 Art. 61: a decision is recorded once. */
static void test_guard9_already_recorded(void **state)
{
	struct kase k;

	(void)state;
	kase_init(&k, false);
	OK(&k, "decide_on_spot", "2025-03-03", "e1,e2",
	   .params = ONSPOT("'kind':'fine','amount_fen':10000,'level':'minor'", ""));
	OK(&k, "deliver", "2025-03-03", "e1,e2");
	OK(&k, "pay", "2025-03-04", .params = "{'amount_fen':10000}");
	OK(&k, "record", "2025-03-05");
	NO(&k, "already_recorded", NULL, "record", "2025-03-05");
	kase_release(&k);
}

/* ---- guard 10: documents ---------------------------------------------- */

/* Each step that issues a document names its kind and where its number
 * goes; the store numbers it (交通运输行政执法文书式样). */
static void test_guard10_document_effects(void **state)
{
	struct kase k;

	(void)state;
	kase_init(&k, false);
	filed(&k, NULL);
	assert_int_equal(k.fx.ndocs, 1);
	assert_doc(&k, "filing_form", "filing");
	assert_null(k.fx.docs[0].stock_number);
	notified(&k, 8000, "serious");
	assert_int_equal(k.fx.ndocs, 1);
	assert_doc(&k, "violation_notice", "notice");
	OK(&k, "statement", "2025-03-05", .params = "{'summary':'申辩'}");
	assert_int_equal(k.fx.ndocs, 0);
	OK(&k, "request_hearing", "2025-03-05");
	assert_int_equal(k.fx.ndocs, 0);
	OK(&k, "schedule_hearing", "2025-03-05", "e1,e2",
	   .params = "{'hearing_date':'2025-03-14','presider':'e3'}");
	assert_doc(&k, "hearing_notice", "hearing_notice");
	OK(&k, "hold_hearing", "2025-03-14", .params = "{'record':'听证'}");
	assert_doc(&k, "hearing_record", "hearing_record");
	OK(&k, "legal_review", "2025-03-14", .reviewer = "r1",
	   .params = "{'result':'pass','opinion':'同意'}");
	OK(&k, "collective", "2025-03-14", .params = "{'conclusion':'同意'}");
	OK(&k, "approve", "2025-03-17", .approver = "h2",
	   .params = "{'kind':'fine','amount_fen':800000}");
	assert_int_equal(k.fx.ndocs, 0);
	OK(&k, "decide", "2025-03-17", "e1,e2");
	assert_int_equal(k.fx.ndocs, 1);
	assert_doc(&k, "decision", "decision");
	OK(&k, "serve", "2025-03-18", "e1,e2", .params = "{'method':'direct'}");
	assert_doc(&k, "service_receipt", "service");
	OK(&k, "pay", "2025-03-19", .params = "{'amount_fen':800000}");
	assert_int_equal(k.fx.ndocs, 0);
	OK(&k, "close", "2025-03-20", .approver = "h1", .params = "{'summary':'结案'}");
	assert_doc(&k, "closing_report", "closing");
	OK(&k, "archive", "2025-03-21");
	assert_int_equal(k.fx.ndocs, 0);
	kase_release(&k);

	/* Art. 52: a pre-printed form's number passes through to the store */
	kase_init(&k, false);
	OK(&k, "decide_on_spot", "2025-03-03", "e1,e2",
	   .params = ONSPOT("'kind':'fine','amount_fen':10000,'level':'minor'",
			    ",'form_number':'蒙交当0042'"));
	assert_int_equal(k.fx.ndocs, 1);
	assert_doc(&k, "onsite_decision", "decision");
	assert_string_equal(k.fx.docs[0].stock_number, "蒙交当0042");
	kase_release(&k);
	kase_init(&k, false);
	OK(&k, "decide_on_spot", "2025-03-03", "e1,e2",
	   .params = ONSPOT("'kind':'fine','amount_fen':10000,'level':'minor'", ""));
	assert_doc(&k, "onsite_decision", "decision");
	assert_null(k.fx.docs[0].stock_number);
	kase_release(&k);

	/* branches: 撤销立案 and 移送 after filing issue their documents */
	kase_init(&k, false);
	filed(&k, NULL);
	OK(&k, "revoke", "2025-03-04", .approver = "h1", .params = "{'reason':'不属于本机关管辖'}");
	STATE(&k, "revoked");
	assert_doc(&k, "revocation_decision", "ending");
	assert_non_null(fx_clock(&k, CLOCK_CANCEL, "decision"));
	kase_release(&k);
	kase_init(&k, false);
	filed(&k, NULL);
	OK(&k, "transfer", "2025-03-04", .approver = "h1",
	   .params = "{'reason':'涉嫌犯罪','to':'杭锦后旗公安局'}");
	STATE(&k, "transferred");
	assert_doc(&k, "transfer_letter", "ending");
	kase_release(&k);
}

/* The number pattern of the organisation setting doc_number_pattern. */
static void test_guard10_doc_number(void **state)
{
	const char *pat = "{abbr}{word}〔{year}〕第{seq}号";
	char *s;

	(void)state;
	s = proc_doc_number(pat, "杭交", "执罚决字", 2025, 1);
	assert_string_equal(s, "杭交执罚决字〔2025〕第0001号");
	zf_free(s);
	s = proc_doc_number(pat, "杭交", "执罚立字", 2025, 42);
	assert_string_equal(s, "杭交执罚立字〔2025〕第0042号");
	zf_free(s);
	s = proc_doc_number(pat, "巴交", "执罚当字", 2026, 12345);
	assert_string_equal(s, "巴交执罚当字〔2026〕第12345号");
	zf_free(s);
	/* unknown placeholders are kept as written */
	s = proc_doc_number("{abbr}{x}-{seq}", "杭交", "w", 2025, 7);
	assert_string_equal(s, "杭交{x}-0007");
	zf_free(s);
}

/* data/procedure/documents.tsv: the words the numbers use. */
static void test_guard10_doc_kinds(void **state)
{
	static const char *const kinds[][2] = {
		{"filing_form", "执罚立字"}, {"violation_notice", "执罚告字"},
		{"hearing_notice", "执罚听字"}, {"hearing_record", "执罚听记字"},
		{"onsite_decision", "执罚当字"}, {"decision", "执罚决字"},
		{"no_penalty_decision", "执不罚字"}, {"service_receipt", "执罚送字"},
		{"closing_report", "执罚结字"}, {"revocation_decision", "执罚撤字"},
		{"transfer_letter", "执罚移字"}, {"detention_decision", "执强扣字"},
		{"detention_list", "执强清字"}, {"detention_extension", "执强延字"},
		{"detention_release", "执强解字"}, {"detention_notice", "执强告字"},
		{"detention_disposal", "执强处字"},
	};
	const struct embed_file *f = file("data/procedure/documents.tsv");
	struct proc_doc_kinds dk;
	struct zf_error err;

	(void)state;
	zf_error_clear(&err);
	if (proc_doc_kinds_load((const char *)f->data, f->len, &dk, &err))
		fail_msg("documents.tsv: %s", err.message);
	for (size_t i = 0; i < ZF_ARRAY_LEN(kinds); i++) {
		const struct proc_doc_kind *k = proc_doc_kind_find(&dk, kinds[i][0]);

		if (!k)
			fail_msg("documents.tsv lacks %s", kinds[i][0]);
		assert_string_equal(k->word, kinds[i][1]);
	}
	assert_null(proc_doc_kind_find(&dk, "no_such_kind"));
	proc_doc_kinds_release(&dk);
}

/* ---- detention (扣押): 行政强制法 Arts. 18-28; 公路安全保护条例 Art. 72 ---- */

#define DETAIN                                                                       \
	"{'reason':'造成公路损坏，拒不接受现场调查处理','text':'重型半挂牵引车 蒙L12345 一辆',"     \
	"'to':'杭锦后旗治超站停车场'}"
#define DETAIN_EMERGENCY                                                             \
	"{'reason':'造成公路损坏，拒不接受现场调查处理','text':'重型半挂牵引车 蒙L12345 一辆',"     \
	"'to':'杭锦后旗治超站停车场','emergency':true}"

#define EXTEND_10 "{'days':10,'reason':'复杂'}"

/* a member of the case's detention */
static json_t *detention_of(struct kase *k, const char *key)
{
	return json_object_get(json_object_get(k->doc, "detention"), key);
}

static const char *detention_str(struct kase *k, const char *key)
{
	return json_string_value(detention_of(k, key));
}

static bool detention_bool(struct kase *k, const char *key)
{
	return json_is_true(detention_of(k, key));
}

/* a filed case (03-03) with a vehicle detained on `date`, approved by h1 */
static void detained(struct kase *k, const char *date)
{
	filed(k, NULL);
	OK(k, "detain", date, "e1,e2", "h1", .params = DETAIN);
	assert_string_equal(detention_str(k, "status"), "detained");
}

/* a fresh case (a person's), filed on 03-03 */
static void new_filed(struct kase *k)
{
	kase_init(k, false);
	filed(k, NULL);
}

/* the same on a fresh case */
static void new_detained(struct kase *k, const char *date)
{
	kase_init(k, false);
	detained(k, date);
}

/* a fresh case, filed (03-03), with a vehicle detained on `date` in an
 * emergency (Art. 19): no approver yet */
static void new_detained_emergency(struct kase *k, const char *date)
{
	new_filed(k);
	OK(k, "detain", date, "e1,e2", .params = DETAIN_EMERGENCY);
}

/*
 * The last step opened clock `kind`; its unit and count are checked unless
 * negative, and its basis must name `article` unless NULL.  Failures are
 * reported at the caller's line.
 */
#define CLOCK_OPENED(k, kind, unit, count, article)                                  \
	clock_opened_at(__LINE__, (k), (kind), (unit), (count), (article))

static void clock_opened_at(int line, struct kase *k, const char *kind, int unit,
			    int count, const char *article)
{
	const struct proc_clock_effect *c = fx_clock(k, CLOCK_OPEN, kind);

	_assert_true(cast_ptr_to_largest_integral_type(c), "fx_clock(k, CLOCK_OPEN, kind)",
		     __FILE__, line);
	if (unit >= 0)
		_assert_int_equal(cast_to_largest_integral_type(c->unit),
				  cast_to_largest_integral_type(unit), __FILE__, line);
	if (count >= 0)
		_assert_int_equal(cast_to_largest_integral_type(c->count),
				  cast_to_largest_integral_type(count), __FILE__, line);
	if (article)
		_assert_true(cast_ptr_to_largest_integral_type(strstr(c->basis, article)),
			     "strstr(c->basis, article)", __FILE__, line);
}

/* whether the release came after the period had run (Art. 62(3)) */
static json_t *release_late(struct kase *k)
{
	return json_object_get(detention_of(k, "release"), "late");
}

/*
 * The whole of it: detained with the head's approval (Art. 18), held 30
 * days (Art. 25), extended once by 30 days, noticed for 3 months when the
 * party does not come (公路安全保护条例 Art. 72), disposed of after the notice
 * period; the case closes only then.  Each step issues its document and
 * moves its clock; the case's own state never changes.
 */
static void test_detention_flow(void **state)
{
	struct kase k;

	(void)state;
	kase_init(&k, false);
	decided(&k);
	OK(&k, "detain", "2025-03-12", "e1,e2", "h1", .params = DETAIN);
	STATE(&k, "decided");
	assert_string_equal(detention_str(&k, "status"), "detained");
	assert_string_equal(detention_str(&k, "date"), "2025-03-12");
	assert_string_equal(detention_str(&k, "approver"), "h1");
	assert_string_equal(detention_str(&k, "approved_date"), "2025-03-12");
	assert_string_equal(detention_str(&k, "items"), "重型半挂牵引车 蒙L12345 一辆");
	assert_string_equal(detention_str(&k, "place"), "杭锦后旗治超站停车场");
	assert_string_equal(detention_str(&k, "reason"), "造成公路损坏，拒不接受现场调查处理");
	assert_false(detention_bool(&k, "emergency"));
	assert_int_equal(json_array_size(detention_of(&k, "officers")), 2);
	/* Art. 24: the decision and the list handed over on the spot */
	assert_int_equal(k.fx.ndocs, 2);
	assert_doc(&k, "detention_decision", "detention");
	assert_doc(&k, "detention_list", "detention_list");
	/* Art. 25: 30 calendar days, 03-12 + 30 = 04-11 */
	CLOCK_OPENED(&k, "detention", CAL_UNIT_DAYS, 30, "第二十五条");
	assert_null(fx_clock(&k, CLOCK_OPEN, "detention_approval"));
	assert_due(&k, "detention", "2025-04-11");

	/* Art. 25: once, 30 more days: 03-12 + 60 = 05-11 (Sunday) -> 05-12 */
	OK(&k, "extend_detention", "2025-04-10", .approver = "h2",
	   .params = "{'days':30,'reason':'需对车辆进行技术鉴定'}");
	STATE(&k, "decided");
	assert_doc(&k, "detention_extension", "detention_extension");
	CLOCK_OPENED(&k, "detention", -1, 60, NULL);
	assert_string_equal(jpath(&k, "detention", "date"), "2025-03-12");
	assert_due(&k, "detention", "2025-05-12");
	json_t *ext = detention_of(&k, "extension");
	assert_int_equal(json_integer_value(json_object_get(ext, "days")), 30);
	assert_string_equal(json_string_value(json_object_get(ext, "approver")), "h2");
	NO(&k, "detention_already_extended", "2025-04-10", "extend_detention", "2025-04-20",
	   .approver = "h2", .params = "{'days':5,'reason':'再延长'}");

	/* 公路安全保护条例 Art. 72: the notice, on the last day of the period,
	 * meets the detention clock and runs 3 months: 05-12 -> 08-12, 92 days
	 * (not 90: 08-10) */
	OK(&k, "notice_detention", "2025-05-12",
	   .params = "{'text':'当事人逾期未接受处理，在本局网站和治超站公告栏公告'}");
	assert_string_equal(detention_str(&k, "status"), "noticed");
	assert_doc(&k, "detention_notice", "detention_notice");
	assert_non_null(fx_clock(&k, CLOCK_MET, "detention"));
	CLOCK_OPENED(&k, "disposal_notice", CAL_UNIT_DAYS, 92, "第七十二条");
	assert_due(&k, "disposal_notice", "2025-08-12");
	NO(&k, "detention_already_noticed", NULL, "notice_detention", "2025-05-13",
	   .params = "{'text':'再次公告'}");
	/* the party does not come: the decision is served by notice and the
	 * fine enforced (行政强制法 Art. 46: the detained vehicle sold for it) */
	OK(&k, "serve", "2025-05-13", "e1,e2", .params = "{'method':'public_notice'}");
	OK(&k, "enforce", "2025-05-29", "e1,e2",
	   .params = "{'how':'self','note':'以扣押车辆依法拍卖所得抵缴罚款'}");
	STATE(&k, "executed");
	NO(&k, "detention_in_force", "第二十八条", "close", "2025-05-29", .approver = "h1",
	   .params = "{'summary':'结案'}");

	/* disposed of only after the last day of the notice */
	NO(&k, "disposal_notice_running", "2025-08-12", "dispose_detention", "2025-08-12",
	   .params = "{'note':'依法拍卖，所得上缴国库'}");
	OK(&k, "dispose_detention", "2025-08-13", .approver = "h1",
	   .params = "{'note':'依法拍卖，所得上缴国库'}");
	assert_string_equal(detention_str(&k, "status"), "disposed");
	assert_doc(&k, "detention_disposal", "detention_disposal");
	assert_non_null(fx_clock(&k, CLOCK_MET, "disposal_notice"));
	NO(&k, "detention_not_in_force", NULL, "dispose_detention", "2025-08-14",
	   .params = "{'note':'再次处理'}");
	OK(&k, "close", "2025-08-14", .approver = "h1", .params = "{'summary':'结案'}");
	STATE(&k, "closed");
	NO(&k, "transition_not_allowed", NULL, "detain", "2025-08-15", "e1,e2", "h1",
	   .params = DETAIN);
	NO(&k, "transition_not_allowed", NULL, "release_detention", "2025-08-15",
	   .params = "{'reason':'退还'}");
	kase_release(&k);
}

/* Art. 18: the head approves first and two certified officers carry it out;
 * Art. 24: the reason, what is held and where are on the decision. */
static void test_detention_detain_guards(void **state)
{
	struct kase k;

	(void)state;
	kase_init(&k, false);
	registered_with(&k, "overload_mass", "2025-03-03", NULL, "e1,e2");
	NO(&k, "transition_not_allowed", NULL, "detain", "2025-03-03", "e1,e2", "h1",
	   .params = DETAIN);
	OK(&k, "file", "2025-03-03", "e1,e2", "h1");
	NO(&k, "two_officers_required", "第十八条", "detain", "2025-03-04", "e1", "h1",
	   .params = DETAIN);
	NO(&k, "officer_not_certified", "第十八条", "detain", "2025-03-04", "e1,x1", "h1",
	   .params = DETAIN);
	NO(&k, "approval_required", "第十八条", "detain", "2025-03-04", "e1,e2",
	   .params = DETAIN);
	NO(&k, "approver_not_head", "第十八条", "detain", "2025-03-04", "e1,e2", "e3",
	   .params = DETAIN);
	BAD(&k, "required", "detain", "2025-03-04", "e1,e2", "h1",
	    .params = "{'text':'货车一辆','to':'停车场'}");
	assert_string_equal(k.err.field, "reason");
	BAD(&k, "required", "detain", "2025-03-04", "e1,e2", "h1",
	    .params = "{'reason':'拒不接受处理','to':'停车场'}");
	assert_string_equal(k.err.field, "text");
	BAD(&k, "required", "detain", "2025-03-04", "e1,e2", "h1",
	    .params = "{'reason':'拒不接受处理','text':'货车一辆'}");
	assert_string_equal(k.err.field, "to");
	/* the head who approves may be one of the case's officers: 行政强制法
	 * Art. 18 asks for a head, not for one outside the case */
	OK(&k, "detain", "2025-03-04", "h2,e1", "h2", .params = DETAIN);
	/* one detention per case */
	NO(&k, "detention_exists", "2025-03-04", "detain", "2025-03-05", "e1,e2", "h1",
	   .params = DETAIN);
	/* the other steps need a detention */
	kase_release(&k);
	new_filed(&k);
	NO(&k, "no_detention", NULL, "approve_detention", "2025-03-04", .approver = "h1");
	NO(&k, "no_detention", NULL, "extend_detention", "2025-03-04", .approver = "h1",
	   .params = EXTEND_10);
	NO(&k, "no_detention", NULL, "release_detention", "2025-03-04",
	   .params = "{'reason':'退还'}");
	NO(&k, "no_detention", NULL, "notice_detention", "2025-03-04",
	   .params = "{'text':'公告'}");
	NO(&k, "no_detention", NULL, "dispose_detention", "2025-03-04",
	   .params = "{'note':'拍卖'}");
	/* an approver given with emergency: approved beforehand, no clock */
	OK(&k, "detain", "2025-03-04", "e1,e2", "h1", .params = DETAIN_EMERGENCY);
	assert_false(detention_bool(&k, "emergency"));
	assert_null(fx_clock(&k, CLOCK_OPEN, "detention_approval"));
	NO(&k, "detention_approval_not_pending", NULL, "approve_detention", "2025-03-04",
	   .approver = "h2");
	kase_release(&k);
}

/*
 * Art. 19: on the spot in an emergency, reported to the head and approved
 * within 24 hours.  Hours are not 日: detained on Friday 03-07, the approval
 * is due on Saturday 03-08, not moved to Monday.  Until approved the
 * detention goes no further.
 */
static void test_detention_emergency(void **state)
{
	struct kase k;

	(void)state;
	new_filed(&k);
	NO(&k, "approval_required", NULL, "detain", "2025-03-07", "e1,e2",
	   .params = "{'reason':'拒不接受处理','text':'货车一辆','to':'停车场','emergency':false}");
	OK(&k, "detain", "2025-03-07", "e1,e2", .params = DETAIN_EMERGENCY);
	assert_true(detention_bool(&k, "emergency"));
	assert_null(detention_str(&k, "approver"));
	assert_null(detention_str(&k, "approved_date"));
	CLOCK_OPENED(&k, "detention_approval", -1, -1, "第十九条");
	assert_due(&k, "detention_approval", "2025-03-08");
	assert_due(&k, "detention", "2025-04-07");	/* 03-07 + 30 = 04-06 (清明) -> 04-07 */
	NO(&k, "detention_not_approved", NULL, "extend_detention", "2025-03-07",
	   .approver = "h1", .params = EXTEND_10);
	NO(&k, "detention_not_approved", NULL, "notice_detention", "2025-03-07",
	   .params = "{'text':'公告'}");
	NO(&k, "approval_required", "第十九条", "approve_detention", "2025-03-08");
	NO(&k, "approver_not_head", "第十九条", "approve_detention", "2025-03-08",
	   .approver = "e3");
	NO(&k, "detention_approval_late", "2025-03-08", "approve_detention", "2025-03-10",
	   .approver = "h2");
	OK(&k, "approve_detention", "2025-03-08", .approver = "h2");
	assert_string_equal(detention_str(&k, "approver"), "h2");
	assert_string_equal(detention_str(&k, "approved_date"), "2025-03-08");
	assert_non_null(fx_clock(&k, CLOCK_MET, "detention_approval"));
	assert_false(tclock(&k, "detention_approval")->open);
	NO(&k, "detention_approval_not_pending", NULL, "approve_detention", "2025-03-08",
	   .approver = "h1");
	/* approved: the detention goes on */
	OK(&k, "extend_detention", "2025-03-10", .approver = "h1",
	   .params = "{'days':10,'reason':'需技术鉴定'}");
	assert_due(&k, "detention", "2025-04-16");	/* 03-07 + 40 */
	kase_release(&k);

	/* not approved within the 24 hours: the head releases it (Art. 19),
	 * which answers the report */
	new_detained_emergency(&k, "2025-03-04");
	assert_due(&k, "detention_approval", "2025-03-05");
	OK(&k, "release_detention", "2025-03-05", .approver = "h1",
	   .params = "{'reason':'负责人认为不应当采取扣押措施'}");
	assert_non_null(fx_clock(&k, CLOCK_MET, "detention_approval"));
	assert_non_null(fx_clock(&k, CLOCK_MET, "detention"));
	kase_release(&k);

	/* released without a head: the report is still owed */
	new_detained_emergency(&k, "2025-03-04");
	NO(&k, "approver_not_head", NULL, "release_detention", "2025-03-04", .approver = "e3",
	   .params = "{'reason':'当事人接受处理'}");
	OK(&k, "release_detention", "2025-03-04", .params = "{'reason':'当事人接受处理'}");
	assert_null(fx_clock(&k, CLOCK_MET, "detention_approval"));
	assert_true(tclock(&k, "detention_approval")->open);
	OK(&k, "approve_detention", "2025-03-05", .approver = "h1");
	kase_release(&k);
}

/* Art. 25: one extension, of at most 30 days, approved by the head, with
 * its reason, while the period still runs. */
static void test_detention_extension(void **state)
{
	struct kase k;

	(void)state;
	new_detained(&k, "2025-03-04");
	assert_due(&k, "detention", "2025-04-03");
	NO(&k, "approval_required", "第二十五条", "extend_detention", "2025-03-20",
	   .params = "{'days':30,'reason':'情况复杂'}");
	NO(&k, "approver_not_head", "第二十五条", "extend_detention", "2025-03-20",
	   .approver = "r1", .params = "{'days':30,'reason':'情况复杂'}");
	BAD(&k, "required", "extend_detention", "2025-03-20", .approver = "h1",
	    .params = "{'days':30}");
	assert_string_equal(k.err.field, "reason");
	BAD(&k, "invalid_number", "extend_detention", "2025-03-20", .approver = "h1",
	    .params = "{'reason':'情况复杂'}");
	NO(&k, "detention_extension_too_long", "30", "extend_detention", "2025-03-20",
	   .approver = "h1", .params = "{'days':31,'reason':'情况复杂'}");
	NO(&k, "detention_expired", "2025-04-03", "extend_detention", "2025-04-07",
	   .approver = "h1", .params = "{'days':30,'reason':'情况复杂'}");
	NO(&k, "detention_expired", "2025-04-03", "notice_detention", "2025-04-07",
	   .params = "{'text':'公告'}");
	/* on the last day it still runs */
	OK(&k, "extend_detention", "2025-04-03", .approver = "h1",
	   .params = "{'days':30,'reason':'情况复杂'}");
	assert_due(&k, "detention", "2025-05-06");	/* 03-04 + 60 = 05-03 (劳动节) -> 05-06 */
	kase_release(&k);
}

/* Art. 28: released (late once the period has run, Art. 62(3)); afterwards
 * nothing more is done with it.  A party coming during the notice gets the
 * vehicle back and the notice stops. */
static void test_detention_release(void **state)
{
	struct kase k;

	(void)state;
	new_detained(&k, "2025-03-04");
	BAD(&k, "required", "release_detention", "2025-03-05");
	assert_string_equal(k.err.field, "reason");
	NO(&k, "disposal_without_notice", NULL, "dispose_detention", "2025-03-05",
	   .params = "{'note':'拍卖'}");
	OK(&k, "release_detention", "2025-04-04", .params = "{'reason':'扣押期限届满'}");
	assert_string_equal(detention_str(&k, "status"), "released");
	assert_doc(&k, "detention_release", "detention_release");
	assert_non_null(fx_clock(&k, CLOCK_MET, "detention"));
	assert_true(json_is_true(release_late(&k)));	/* due 04-03 */
	NO(&k, "detention_not_in_force", NULL, "release_detention", "2025-04-04",
	   .params = "{'reason':'再次解除'}");
	NO(&k, "detention_not_in_force", NULL, "extend_detention", "2025-04-04",
	   .approver = "h1", .params = EXTEND_10);
	NO(&k, "detention_not_in_force", NULL, "notice_detention", "2025-04-04",
	   .params = "{'text':'公告'}");
	NO(&k, "detention_not_in_force", NULL, "dispose_detention", "2025-04-04",
	   .params = "{'note':'拍卖'}");
	NO(&k, "detention_exists", NULL, "detain", "2025-04-04", "e1,e2", "h1",
	   .params = DETAIN);
	kase_release(&k);

	/* in time: not late */
	new_detained(&k, "2025-03-04");
	OK(&k, "release_detention", "2025-04-03", .params = "{'reason':'当事人已接受处理'}");
	assert_true(json_is_false(release_late(&k)));
	kase_release(&k);

	/* during the notice */
	new_detained(&k, "2025-03-04");
	OK(&k, "notice_detention", "2025-03-20", .params = "{'text':'公告'}");
	assert_due(&k, "disposal_notice", "2025-06-20");
	NO(&k, "detention_already_noticed", NULL, "extend_detention", "2025-03-21",
	   .approver = "h1", .params = EXTEND_10);
	OK(&k, "release_detention", "2025-04-20", .params = "{'reason':'当事人到场接受处理'}");
	assert_non_null(fx_clock(&k, CLOCK_CANCEL, "disposal_notice"));
	assert_true(json_is_false(release_late(&k)));
	kase_release(&k);
}

/* 公路安全保护条例 Art. 72: three calendar months (民法典 Art. 202), a last
 * day on a rest day moving on (Art. 203); disposal only after it. */
static void test_detention_notice_period(void **state)
{
	struct kase k;

	(void)state;
	new_detained(&k, "2025-03-04");
	/* 03-31 + 3 months = 06-30 (a Monday), 91 days */
	OK(&k, "notice_detention", "2025-03-31", .params = "{'text':'公告'}");
	assert_int_equal(fx_clock(&k, CLOCK_OPEN, "disposal_notice")->count, 91);
	assert_due(&k, "disposal_notice", "2025-06-30");
	BAD(&k, "required", "dispose_detention", "2025-07-01");
	assert_string_equal(k.err.field, "note");
	NO(&k, "approver_not_head", NULL, "dispose_detention", "2025-07-01", .approver = "e3",
	   .params = "{'note':'依法拍卖'}");
	NO(&k, "disposal_notice_running", "2025-06-30", "dispose_detention", "2025-06-30",
	   .params = "{'note':'依法拍卖'}");
	OK(&k, "dispose_detention", "2025-07-01", .params = "{'note':'依法拍卖'}");
	kase_release(&k);

	/* 2025-11-30 + 3 months: no 02-30, so 2026-02-28, a Saturday but a
	 * working day (春节调休): not moved */
	new_detained(&k, "2025-11-04");
	BAD(&k, "required", "notice_detention", "2025-11-30");
	assert_string_equal(k.err.field, "text");
	OK(&k, "notice_detention", "2025-11-30", .params = "{'text':'公告'}");
	assert_int_equal(fx_clock(&k, CLOCK_OPEN, "disposal_notice")->count, 90);
	assert_due(&k, "disposal_notice", "2026-02-28");
	kase_release(&k);

	/* 2025-11-01 + 3 months = 2026-02-01, a Sunday -> Monday 02-02 */
	kase_init(&k, false);
	k.env.today = day("2026-12-31");
	detained(&k, "2025-10-20");
	OK(&k, "notice_detention", "2025-11-01", .params = "{'text':'公告'}");
	assert_int_equal(fx_clock(&k, CLOCK_OPEN, "disposal_notice")->count, 92);
	assert_due(&k, "disposal_notice", "2026-02-02");
	NO(&k, "disposal_notice_running", "2026-02-02", "dispose_detention", "2026-02-02",
	   .params = "{'note':'依法拍卖'}");
	kase_release(&k);
}

/* The procedure ending (no penalty, revoked, ...) does not end a detention:
 * its clocks keep running, and the case closes only once it is released
 * or disposed of (Arts. 27, 28). */
static void test_detention_outlives_the_procedure(void **state)
{
	struct kase k;

	(void)state;
	new_detained(&k, "2025-03-04");
	OK(&k, "decide_no_penalty", "2025-03-05", .approver = "h1",
	   .params = "{'reason':'not_established','explanation':'违法事实不能成立'}");
	STATE(&k, "no_penalty");
	assert_non_null(fx_clock(&k, CLOCK_CANCEL, "decision"));
	assert_null(fx_clock(&k, CLOCK_CANCEL, "detention"));
	assert_true(tclock(&k, "detention")->open);
	NO(&k, "transition_not_allowed", NULL, "extend_detention", "2025-03-05",
	   .approver = "h1", .params = EXTEND_10);
	NO(&k, "detention_in_force", "第二十八条", "close", "2025-03-05", .approver = "h1",
	   .params = "{'summary':'不予处罚'}");
	OK(&k, "release_detention", "2025-03-05", .params = "{'reason':'当事人没有违法行为'}");
	STATE(&k, "no_penalty");
	OK(&k, "close", "2025-03-06", .approver = "h1", .params = "{'summary':'不予处罚'}");
	STATE(&k, "closed");
	kase_release(&k);

	new_detained(&k, "2025-03-04");
	OK(&k, "revoke", "2025-03-05", .approver = "h1", .params = "{'reason':'不属于本机关管辖'}");
	assert_null(fx_clock(&k, CLOCK_CANCEL, "detention"));
	OK(&k, "notice_detention", "2025-03-06", .params = "{'text':'公告'}");
	NO(&k, "detention_in_force", NULL, "close", "2025-03-07", .approver = "h1",
	   .params = "{'summary':'撤销立案'}");
	kase_release(&k);

	/* a closed case leaves no detention clock running */
	new_detained(&k, "2025-03-04");
	OK(&k, "release_detention", "2025-03-05", .params = "{'reason':'退还'}");
	OK(&k, "revoke", "2025-03-05", .approver = "h1", .params = "{'reason':'不属于本机关管辖'}");
	OK(&k, "close", "2025-03-06", .approver = "h1", .params = "{'summary':'撤销立案'}");
	kase_release(&k);
}

/* ---- dates, unknown transitions, procedures --------------------------- */

/* A step cannot be dated after today, nor before the previous step (Art. 47:
 * the record of the procedure is kept as it happened, never back-dated). */
static void test_dates(void **state)
{
	struct kase k;
	char p[512];

	(void)state;
	kase_init(&k, false);
	k.env.today = day("2025-03-03");
	fparams(p, sizeof(p), "overload_mass", "2025-03-01", NULL);
	BAD(&k, "date_in_future", "register", "2025-03-04", "e1,e2", .params = p);
	OK(&k, "register", "2025-03-03", "e1,e2", .params = p);
	BAD(&k, "date_in_future", "file", "2025-03-04", "e1,e2", "h1");
	k.env.today = day("2025-12-31");
	OK(&k, "file", "2025-03-05", "e1,e2", "h1");
	OK(&k, "notify", "2025-03-05", "e1,e2",
	   .params = "{'kind':'fine','amount_fen':300000,'level':'ordinary'}");
	/* an act after its discovery */
	kase_release(&k);
	kase_init(&k, false);
	fparams(p, sizeof(p), "overload_mass", "2025-03-04", NULL);
	BAD(&k, "invalid_period", "register", "2025-03-03", "e1,e2", .params = p);
	kase_release(&k);
}

/* Art. 47: the record is kept as it happened: a step is never dated before
 * the previous one, and the refusal says which date that was. */
static void test_date_before_previous_step(void **state)
{
	struct kase k;

	(void)state;
	kase_init(&k, false);
	filed(&k, NULL);
	OK(&k, "evidence", "2025-03-05", "e1,e2", .params = "{'note':'询问笔录'}");
	NO(&k, "date_before_previous_step", "2025-03-05", "notify", "2025-03-04", "e1,e2",
	   .params = "{'kind':'fine','amount_fen':300000,'level':'ordinary'}");
	OK(&k, "notify", "2025-03-05", "e1,e2",
	   .params = "{'kind':'fine','amount_fen':300000,'level':'ordinary'}");
	/* a note does not move the date of the last step */
	OK(&k, "note", "2025-03-20", .params = "{'text':'补充说明'}");
	OK(&k, "approve", "2025-03-11", .approver = "h2", .params = FINE_3000);
	kase_release(&k);
}

/* Unknown transitions and those of the other procedure are refused. */
static void test_transitions(void **state)
{
	struct kase k;

	(void)state;
	kase_init(&k, false);
	BAD(&k, "unknown_code", "fly_away", "2025-03-03");
	NO(&k, "case_required", NULL, "file", "2025-03-03", "e1,e2", "h1");
	filed(&k, NULL);
	BAD(&k, "unknown_code", "fly_away", "2025-03-04");
	NO(&k, "case_exists", NULL, "register", "2025-03-04", "e1,e2");
	/* simplified steps on a general case */
	NO(&k, "wrong_procedure", NULL, "deliver", "2025-03-04", "e1,e2");
	NO(&k, "wrong_procedure", NULL, "record", "2025-03-04");
	/* and states: a decision needs an approval first */
	NO(&k, "transition_not_allowed", NULL, "decide", "2025-03-04", "e1,e2");
	NO(&k, "transition_not_allowed", NULL, "serve", "2025-03-04", "e1,e2",
	   .params = "{'method':'direct'}");
	kase_release(&k);

	kase_init(&k, false);
	OK(&k, "decide_on_spot", "2025-03-03", "e1,e2",
	   .params = ONSPOT("'kind':'fine','amount_fen':10000,'level':'minor'", ""));
	NO(&k, "wrong_procedure", NULL, "serve", "2025-03-03", "e1,e2",
	   .params = "{'method':'direct'}");
	NO(&k, "wrong_procedure", NULL, "notify", "2025-03-03", "e1,e2",
	   .params = "{'kind':'fine','amount_fen':10000}");
	NO(&k, "wrong_procedure", NULL, "approve", "2025-03-03", .approver = "h1",
	   .params = "{'kind':'fine','amount_fen':10000}");
	kase_release(&k);

	assert_string_equal(proc_transition_procedure("serve"), "general");
	assert_string_equal(proc_transition_procedure("deliver"), "simplified");
	assert_string_equal(proc_transition_procedure("pay"), "both");
	assert_null(proc_transition_procedure("fly_away"));
	assert_string_equal(proc_label("decide"), "作出处罚决定");
	assert_string_equal(proc_label("archived"), "已归档");
}

/* params.tsv: the values in force on a date, with their basis. */
static void test_params(void **state)
{
	const struct embed_file *f = file("data/procedure/params.tsv");
	struct proc_params p;
	struct zf_error err;

	(void)state;
	assert_int_equal(F.params.simplified_max_person_fen, 20000);
	assert_int_equal(F.params.simplified_max_org_fen, 300000);
	assert_int_equal(F.params.limitation_years, 2);
	assert_int_equal(F.params.limitation_harm_years, 5);
	assert_int_equal(F.params.decision_days, 90);
	assert_int_equal(F.params.extension_max_days, 30);
	assert_int_equal(F.params.hearing_request_working_days, 5);
	assert_int_equal(F.params.hearing_notice_working_days, 7);
	assert_int_equal(F.params.service_working_days, 7);
	assert_int_equal(F.params.payment_days, 15);
	assert_int_equal(F.params.simplified_filing_working_days, 5);
	assert_int_equal(F.params.min_officers, 2);
	assert_int_equal(F.params.detention_max_days, 30);
	assert_int_equal(F.params.detention_extension_max_days, 30);
	assert_int_equal(F.params.detention_approval_hours, 24);
	assert_int_equal(F.params.disposal_notice_months, 3);
	assert_non_null(strstr(proc_params_basis(&F.params, "detention_max_days"), "行政强制法第二十五条"));
	assert_non_null(strstr(proc_params_basis(&F.params, "detention_approval_hours"), "第十九条"));
	assert_non_null(strstr(proc_params_basis(&F.params, "disposal_notice_months"),
			       "公路安全保护条例第七十二条"));
	assert_non_null(strstr(proc_params_basis(&F.params, "decision_days"), "第六十条"));
	assert_string_equal(proc_params_basis(&F.params, "no_such_key"), "");
	/* before the 2021 law took effect nothing is in force */
	zf_error_clear(&err);
	assert_int_equal(proc_params_load((const char *)f->data, f->len, day("2021-07-14"), &p,
					  &err), ZF_EINVAL);
	assert_string_equal(err.code, "invalid_params_file");
	/* proc_params_load keeps its basis strings in one static copy: reload the
	 * fixture's date so F.params' pointers stay good */
	zf_error_clear(&err);
	assert_int_equal(proc_params_load((const char *)f->data, f->len, day("2025-06-01"),
					  &F.params, &err), ZF_OK);
}

/* Art. 36: the period counts from the act; 29 February ends on 28 February. */
static void test_time_barred(void **state)
{
	(void)state;
	assert_false(proc_time_barred(day("2023-03-03"), day("2025-03-03"), 2));
	assert_true(proc_time_barred(day("2023-03-03"), day("2025-03-04"), 2));
	assert_false(proc_time_barred(day("2024-02-29"), day("2026-02-28"), 2));
	assert_true(proc_time_barred(day("2024-02-29"), day("2026-03-01"), 2));
	assert_false(proc_time_barred(day("2020-03-03"), day("2025-03-03"), 5));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_general_procedure_to_archive),
		cmocka_unit_test(test_guard1_two_certified_officers),
		cmocka_unit_test(test_guard1_every_step_on_the_party),
		cmocka_unit_test(test_guard1_legal_reviewer),
		cmocka_unit_test(test_guard2_onspot_person),
		cmocka_unit_test(test_guard2_onspot_org),
		cmocka_unit_test(test_guard3_register_time_barred),
		cmocka_unit_test(test_guard3_file_time_barred),
		cmocka_unit_test(test_guard3_found_time_barred),
		cmocka_unit_test(test_guard3_time_barred_no_other_reason),
		cmocka_unit_test(test_no_penalty_reasons),
		cmocka_unit_test(test_guard4_not_notified),
		cmocka_unit_test(test_guard4_statement_window),
		cmocka_unit_test(test_guard4_hearing_right),
		cmocka_unit_test(test_guard4_hearing_window),
		cmocka_unit_test(test_guard4_hearing),
		cmocka_unit_test(test_guard4_hearing_pending),
		cmocka_unit_test(test_guard4_hearing_not_yet),
		cmocka_unit_test(test_guard5_heavier_than_notified),
		cmocka_unit_test(test_guard5_heavier_after_defence),
		cmocka_unit_test(test_guard6_legal_review_required),
		cmocka_unit_test(test_guard6_review_before_hearing),
		cmocka_unit_test(test_guard6_collective_required),
		cmocka_unit_test(test_guard6_approver),
		cmocka_unit_test(test_guard6_approver_is_case_officer),
		cmocka_unit_test(test_guard7_decision_overdue),
		cmocka_unit_test(test_guard7_extension),
		cmocka_unit_test(test_guard7_pause_resume),
		cmocka_unit_test(test_guard8_service),
		cmocka_unit_test(test_guard8_pay),
		cmocka_unit_test(test_guard8_pay_after_appeal),
		cmocka_unit_test(test_guard8_surcharge),
		cmocka_unit_test(test_guard8_enforce),
		cmocka_unit_test(test_guard9_close_archive),
		cmocka_unit_test(test_guard9_close_with_pending_appeal),
		cmocka_unit_test(test_guard9_close_after_appeal_outcome),
		cmocka_unit_test(test_guard9_simplified_not_recorded),
		cmocka_unit_test(test_guard9_already_recorded),
		cmocka_unit_test(test_guard10_document_effects),
		cmocka_unit_test(test_guard10_doc_number),
		cmocka_unit_test(test_guard10_doc_kinds),
		cmocka_unit_test(test_detention_flow),
		cmocka_unit_test(test_detention_detain_guards),
		cmocka_unit_test(test_detention_emergency),
		cmocka_unit_test(test_detention_extension),
		cmocka_unit_test(test_detention_release),
		cmocka_unit_test(test_detention_notice_period),
		cmocka_unit_test(test_detention_outlives_the_procedure),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_date_before_previous_step),
		cmocka_unit_test(test_transitions),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_time_barred),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
