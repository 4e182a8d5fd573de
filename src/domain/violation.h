/*
 * violation: the violation catalogue and the discretion engine (裁量基准),
 * law as data (DESIGN principle 2).
 *
 * A catalogue is loaded from the JSON files under data/violations/ (format in
 * data/violations/README.md) and, per organisation, from its province's
 * discretion standard imported through the ledger.  Each violation has the
 * violated article, the penalty article, and versions with the dates they
 * are in force; each version has the penalty kinds, the statutory range and
 * the discretion levels (circumstances -> range).
 *
 * discretion_propose() is pure: given a violation, the circumstances, the
 * dates of the act and of the decision and the party's kind, it proposes
 * the outcome (penalty, no penalty, may be exempted) with its range and the
 * reasons in Chinese.  For a penalty it evaluates both the version in force
 * at the act and the one at the decision and applies the lighter
 * (从旧兼从轻, 行政处罚法 Art. 37).  Money is integer fen.
 */
#ifndef ZF_VIOLATION_H
#define ZF_VIOLATION_H

#include <jansson.h>

#include "date.h"
#include "zf.h"

/* 行政处罚法 Art. 9, ordered lightest to heaviest as the national statistics form does. */
enum penalty_kind {
	PK_NONE = 0,
	PK_WARNING,		/* warning 警告 */
	PK_CRITICISM,		/* criticism 通报批评 */
	PK_FINE,		/* fine 罚款 */
	PK_CONFISCATE_GAINS,	/* confiscate_gains 没收违法所得 */
	PK_CONFISCATE_PROPERTY,	/* confiscate_property 没收非法财物 */
	PK_SUSPEND_LICENCE,	/* suspend_licence 暂扣许可证件 */
	PK_DOWNGRADE,		/* downgrade 降低资质等级 */
	PK_REVOKE_LICENCE,	/* revoke_licence 吊销许可证件 */
	PK_RESTRICT_BUSINESS,	/* restrict_business 限制开展生产经营活动 */
	PK_STOP_BUSINESS,	/* stop_business 责令停产停业 */
	PK_CLOSE,		/* close 责令关闭 */
	PK_RESTRICT_PRACTICE,	/* restrict_practice 限制从业 */
};

const char *penalty_kind_code(enum penalty_kind k);
const char *penalty_kind_label(enum penalty_kind k);
/* Parse a code; "unknown_code" naming field on failure. */
int penalty_kind_parse(const char *s, enum penalty_kind *out, const char *field,
		       struct zf_error *err) ZF_WUR;
/*
 * Art. 63 para 1 (3)-(5): kinds that carry a hearing right whatever the
 * amount (降低资质等级, 吊销许可证件, 责令停产停业, 责令关闭, 限制从业, and
 * 限制开展生产经营活动 as a "较重" penalty).  Fines (1) and confiscation (2)
 * depend on the 较大数额 the organisation sets, so they are false here.
 */
bool penalty_kind_hearing_right(enum penalty_kind k);

struct discretion_level {
	char *code;		/* e.g. minor, ordinary, serious, very_serious */
	char *label;		/* 轻微 / 一般 / 较重 / 严重 */
	char *circumstances;	/* 情形, Chinese */
	unsigned kinds;		/* bit (1 << enum penalty_kind) for each kind allowed */
	int64_t min_fen, max_fen;
};

struct violation_version {
	struct zf_date from;	/* in force from */
	struct zf_date to;	/* last day in force; {0,0,0} = open */
	char *penalty_basis;	/* 处罚依据, e.g. 《公路安全保护条例》第六十四条 */
	unsigned kinds;		/* statutory kinds (bits) */
	int64_t min_fen, max_fen; /* statutory range of the fine */
	int64_t person_max_fen;	/* 0 = same as max_fen; some rules differ for citizens */
	char *standard;		/* the discretion standard it comes from */
	struct discretion_level *levels;
	size_t nlevels;
};

struct violation {
	char *code;		/* e.g. road_unpermitted_works */
	char *name;		/* 违法行为名称 */
	char *category;		/* road | overload | transport */
	char *violated;		/* 违反条款 */
	bool art36_harm;	/* may fall under Art. 36's 5-year period */
	int limitation_years;	/* 0 = Art. 36 default; >0 only with a statute cited */
	char *limitation_basis;	/* the statute that sets limitation_years */
	bool minor_no_penalty;	/* Art. 33 para 1 (first sentence) may apply */
	bool first_offence;	/* listed for 首违不罚 (Art. 33 para 1 second sentence) */
	char *publicity;	/* public | credit | none */
	char *confidence;	/* V1 V2 M M? as in law.md */
	struct violation_version *versions;	/* sorted by from */
	size_t nversions;
};

struct violation_catalogue {
	struct violation *items;
	size_t n;
};

void violation_catalogue_init(struct violation_catalogue *c);
void violation_catalogue_release(struct violation_catalogue *c);
/*
 * Add the violations of one JSON file.  A code already present is replaced
 * when `replace` is true (an organisation's imported standard overrides the
 * built-in one) and refused otherwise.  Strict: unknown members, bad dates,
 * overlapping versions, a level outside its version's range, min > max are
 * refused with code "invalid_violation_file" and a field naming the path
 * (e.g. "road_unpermitted_works.versions[0].levels[1].max_yuan", the member
 * as the file spells it).  A code already present with replace false is
 * "violation_exists".  On error the catalogue is unchanged.
 */
int violation_catalogue_load_json(struct violation_catalogue *c, const char *text,
				  size_t len, bool replace,
				  struct zf_error *err) ZF_WUR;
const struct violation *violation_find(const struct violation_catalogue *c,
				       const char *code);
/* The version in force on d, or NULL. */
const struct violation_version *violation_version_at(const struct violation *v,
						     struct zf_date d);
json_t *violation_to_json(const struct violation *v);

/* Art. 32 grounds that make a lighter (从轻) or mitigated (减轻) penalty mandatory. */
enum art32_ground {
	ART32_ELIMINATED_HARM = 1u << 0,	/* 主动消除或者减轻违法行为危害后果 */
	ART32_COERCED = 1u << 1,		/* 受他人胁迫或者诱骗 */
	ART32_CONFESSED = 1u << 2,		/* 主动供述行政机关尚未掌握的违法行为 */
	ART32_MERITORIOUS = 1u << 3,		/* 配合查处有立功表现 */
};

struct discretion_input {
	const char *violation;		/* code */
	const char *level;		/* discretion level code; NULL = the engine picks the lowest */
	struct zf_date act_date;
	struct zf_date decision_date;
	bool party_is_org;
	bool minor_corrected;		/* Art. 33 para 1: minor, corrected promptly, no harm */
	bool first_offence;		/* Art. 33 para 1: first, slight harm, corrected promptly */
	bool no_fault;			/* Art. 33 para 2: proves no fault */
	unsigned art32;			/* enum art32_ground bits */
	bool has_amount;		/* check a proposed amount against the range */
	int64_t amount_fen;
};

enum discretion_outcome {
	DISC_PENALTY = 1,		/* penalise within [min_fen, max_fen] */
	DISC_NO_PENALTY,		/* 不予处罚 mandatory */
	DISC_MAY_EXEMPT,		/* 首违不罚: may be exempted; else the range applies */
};

struct discretion_proposal {
	enum discretion_outcome outcome;
	unsigned kinds;			/* allowed kinds (bits) */
	int64_t min_fen, max_fen;
	int64_t suggested_fen;		/* the middle of the range, rounded to yuan */
	const struct violation_version *at_act;		/* borrowed */
	const struct violation_version *at_decision;	/* borrowed */
	bool later_law_applied;		/* Art. 37: the version at the decision is lighter */
	const char *basis;		/* penalty basis of the version applied (borrowed) */
	char **reasons;			/* Chinese, each citing its article; owned */
	size_t nreasons;
};

/*
 * Propose.  Errors: unknown violation or level ("unknown_code", field
 * "violation"/"level"), no version in force on a date ("no_rule_in_force",
 * field "act_date"/"decision_date"), decision before act ("invalid_period"),
 * an amount outside the range ("amount_out_of_range", field "amount",
 * naming the range and the standard).  Release with
 * discretion_proposal_release().
 */
int discretion_propose(const struct violation_catalogue *c,
		       const struct discretion_input *in,
		       struct discretion_proposal *out, struct zf_error *err) ZF_WUR;
void discretion_proposal_release(struct discretion_proposal *p);
json_t *discretion_proposal_to_json(const struct discretion_proposal *p);

#endif
