/* violation list|show and discretion propose (issue 3: law as data). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "embed.h"
#include "text.h"
#include "violation.h"

#define VIOLATION_DIR "data/violations/"

static bool is_violation_file(const char *name)
{
	size_t n = strlen(name), p = strlen(VIOLATION_DIR);

	return n > p + 5 && strncmp(name, VIOLATION_DIR, p) == 0 &&
	       strcmp(name + n - 5, ".json") == 0;
}

/* The organisation's catalogue when a database is named (built-in files plus
 * the standards it imported), else the built-in files alone. */
int cli_violation_catalogue(struct cli *c, struct violation_catalogue *out,
			    struct zf_error *err)
{
	if (c->db_explicit || c->st) {
		int rc = c->st ? ZF_OK : cli_open_store(c, false, true, err);
		return rc ? rc : store_violation_catalogue(c->st, c->ctx.org_id, out, err);
	}
	violation_catalogue_init(out);
	for (const struct embed_file *f = embed_files; f->name; f++) {
		int rc;

		if (!is_violation_file(f->name))
			continue;
		rc = violation_catalogue_load_json(out, (const char *)f->data, f->len,
						   false, err);
		if (rc) {
			violation_catalogue_release(out);
			return rc;
		}
	}
	return ZF_OK;
}

int cmd_violation_list(struct cli *c, struct zf_error *err)
{
	static const char *const cols[] = {"code", "name", "category", NULL};
	struct violation_catalogue cat;
	json_t *arr;
	int rc;

	if ((rc = cli_violation_catalogue(c, &cat, err)))
		return rc;
	arr = json_array();
	for (size_t i = 0; arr && i < cat.n; i++) {
		const struct violation *v = &cat.items[i];

		json_array_append_new(arr, json_pack("{ss ss ss ss}", "code", v->code,
						     "name", v->name, "category",
						     v->category, "confidence",
						     v->confidence));
	}
	violation_catalogue_release(&cat);
	return cli_print(c, arr, cols);
}

static void yuan(int64_t fen, char out[40])
{
	if (fen % 100)
		snprintf(out, 40, "%lld.%02lld元", (long long)(fen / 100),
			 (long long)(fen % 100));
	else
		snprintf(out, 40, "%lld元", (long long)(fen / 100));
}

static void print_kinds(unsigned bits)
{
	bool first = true;

	for (unsigned k = PK_WARNING; k <= PK_RESTRICT_PRACTICE; k++) {
		if (!(bits & (1u << k)))
			continue;
		printf("%s%s", first ? "" : "、", penalty_kind_label(k));
		first = false;
	}
	if (first)
		fputs("-", stdout);
	putchar('\n');
}

static void print_version(size_t i, const struct violation_version *v)
{
	char from[DATE_STR_LEN], to[DATE_STR_LEN], a[40], b[40];

	date_format(v->from, from);
	if (v->to.y)
		date_format(v->to, to);
	else
		zf_strlcpy(to, "-", sizeof(to));
	printf("versions[%zu].in_force: %s 至 %s\n", i, from, to);
	printf("versions[%zu].penalty_basis: %s\n", i, v->penalty_basis);
	printf("versions[%zu].kinds: ", i);
	print_kinds(v->kinds);
	yuan(v->min_fen, a);
	yuan(v->max_fen, b);
	printf("versions[%zu].range: %s至%s\n", i, a, b);
	if (v->person_max_fen) {
		yuan(v->person_max_fen, a);
		printf("versions[%zu].person_max: %s\n", i, a);
	}
	printf("versions[%zu].standard: %s\n", i, v->standard);
	for (size_t j = 0; j < v->nlevels; j++) {
		const struct discretion_level *l = &v->levels[j];

		yuan(l->min_fen, a);
		yuan(l->max_fen, b);
		printf("versions[%zu].levels[%zu]: %s %s %s至%s：%s；", i, j, l->code,
		       l->label, a, b, l->circumstances);
		print_kinds(l->kinds);
	}
}

int cmd_violation_show(struct cli *c, struct zf_error *err)
{
	struct violation_catalogue cat;
	const struct violation *v;
	int rc;

	if ((rc = cli_violation_catalogue(c, &cat, err)))
		return rc;
	v = violation_find(&cat, c->args[0]);
	if (!v) {
		rc = zf_fail(err, ZF_EINVAL, "unknown_code", "code",
			     "违法行为代码“%s”不在违法行为目录中（zhifa violation list 列出全部）",
			     c->args[0]);
		violation_catalogue_release(&cat);
		return rc;
	}
	if (c->json) {
		rc = cli_print(c, violation_to_json(v), NULL);
		violation_catalogue_release(&cat);
		return rc;
	}
	printf("code: %s\nname: %s\ncategory: %s\nviolated: %s\n", v->code, v->name,
	       v->category, v->violated);
	printf("art36_harm: %s\n", v->art36_harm ? "true" : "false");
	printf("limitation_years: %d%s%s\n", v->limitation_years,
	       v->limitation_basis ? " " : "",
	       v->limitation_basis ? v->limitation_basis : "");
	printf("minor_no_penalty: %s\nfirst_offence: %s\npublicity: %s\nconfidence: %s\n",
	       v->minor_no_penalty ? "true" : "false",
	       v->first_offence ? "true" : "false", v->publicity, v->confidence);
	for (size_t i = 0; i < v->nversions; i++)
		print_version(i, &v->versions[i]);
	violation_catalogue_release(&cat);
	return ZF_OK;
}

static const struct {
	const char *code;
	unsigned bit;
} ground_codes[] = {
	{"eliminated_harm", ART32_ELIMINATED_HARM},
	{"coerced", ART32_COERCED},
	{"confessed", ART32_CONFESSED},
	{"meritorious", ART32_MERITORIOUS},
};

/* --ground eliminated_harm,confessed: the Art. 32 grounds by code. */
static int parse_grounds(const char *s, unsigned *out, struct zf_error *err)
{
	*out = 0;
	while (s) {
		const char *comma = strchr(s, ',');
		size_t n = comma ? (size_t)(comma - s) : strlen(s);
		bool found = false;

		for (size_t i = 0; i < ZF_ARRAY_LEN(ground_codes); i++) {
			if (strlen(ground_codes[i].code) == n &&
			    strncmp(s, ground_codes[i].code, n) == 0) {
				*out |= ground_codes[i].bit;
				found = true;
			}
		}
		if (!found)
			return zf_fail(err, ZF_EINVAL, "unknown_code", "ground",
				       "“%.*s”不是从轻、减轻处罚情节代码（《中华人民共和国行政处罚法》第三十二条："
				       "eliminated_harm、coerced、confessed、meritorious）",
				       (int)n, s);
		s = comma ? comma + 1 : NULL;
	}
	return ZF_OK;
}

static const char *outcome_label(enum discretion_outcome o)
{
	switch (o) {
	case DISC_NO_PENALTY:
		return "不予处罚 (no_penalty)";
	case DISC_MAY_EXEMPT:
		return "可以不予处罚（首违不罚），否则按下列幅度处罚 (may_exempt)";
	case DISC_PENALTY:
		break;
	}
	return "处罚 (penalty)";
}

static void print_proposal(const struct discretion_proposal *p)
{
	char a[40], b[40];

	printf("结论: %s\n", outcome_label(p->outcome));
	if (p->outcome != DISC_NO_PENALTY) {
		fputs("处罚种类: ", stdout);
		print_kinds(p->kinds);
		if (p->kinds & (1u << PK_FINE)) {
			yuan(p->min_fen, a);
			yuan(p->max_fen, b);
			printf("罚款幅度: %s至%s\n", a, b);
			yuan(p->suggested_fen, a);
			printf("建议罚款: %s\n", a);
		} else {
			fputs("罚款幅度: 不处罚款\n", stdout);
		}
		printf("适用新规定: %s\n", p->later_law_applied ? "是" : "否");
	}
	printf("依据: %s\n理由:\n", p->basis);
	for (size_t i = 0; i < p->nreasons; i++)
		printf("%zu. %s\n", i + 1, p->reasons[i]);
}

int cmd_discretion_propose(struct cli *c, struct zf_error *err)
{
	struct violation_catalogue cat;
	struct discretion_input in = {0};
	struct discretion_proposal p;
	const char *party = NULL, *grounds;
	int64_t amount = 0;
	bool has_decision = false;
	int rc;

	if ((rc = cli_need(c, "violation", &in.violation, err)) ||
	    (rc = cli_opt_date(c, "act-date", &in.act_date, NULL, err)) ||
	    (rc = cli_opt_date(c, "decision-date", &in.decision_date, &has_decision,
			       err)) ||
	    (rc = cli_need(c, "party-kind", &party, err)) ||
	    (rc = cli_opt_int(c, "amount", 0, 100000000, &amount, &in.has_amount, err)))
		return rc;
	if (!cli_opt(c, "act-date"))
		return zf_fail(err, ZF_EUSAGE, "missing_option", "act_date",
			       "缺少必需的选项 --act-date（违法行为发生日期）");
	/* the decision is made today unless another day is named */
	if (!has_decision)
		in.decision_date = instant_local_date(c->ctx.now_us);
	if (strcmp(party, "person") != 0 && strcmp(party, "org") != 0)
		return zf_fail(err, ZF_EINVAL, "unknown_code", "party_kind",
			       "--party-kind 应为 person（公民）或 org（法人或者其他组织）");
	grounds = cli_opt(c, "ground");
	if (grounds && (rc = parse_grounds(grounds, &in.art32, err)))
		return rc;
	in.level = cli_opt(c, "level");
	in.party_is_org = strcmp(party, "org") == 0;
	in.minor_corrected = cli_flag(c, "minor-corrected");
	in.first_offence = cli_flag(c, "first-offence");
	in.no_fault = cli_flag(c, "no-fault");
	in.amount_fen = amount * 100;
	if ((rc = cli_violation_catalogue(c, &cat, err)))
		return rc;
	rc = discretion_propose(&cat, &in, &p, err);
	if (rc == ZF_OK) {
		if (c->json)
			rc = cli_print(c, discretion_proposal_to_json(&p), NULL);
		else
			print_proposal(&p);
		discretion_proposal_release(&p);
	}
	violation_catalogue_release(&cat);
	return rc;
}
