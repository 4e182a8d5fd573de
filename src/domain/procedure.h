/*
 * procedure: the penalty procedure's state machines and their legal guards
 * (行政处罚法; 交通运输行政执法程序规定), pure code.
 *
 * A case is a JSON document (its shape is in docs/case.md).  proc_apply()
 * takes the document as it is, a requested transition with its date,
 * officers and parameters, and an environment of plain values (the
 * officers' records, the calendar, the violation catalogue, the
 * organisation's settings, the legal parameters, the clocks' due dates), and
 * returns the new document plus the effects the store must carry out in the
 * same transaction: documents to number and clocks to open, close, pause,
 * resume or extend.  A refused transition returns ZF_EREFUSED with a code
 * and a Chinese message that names the rule and its article.
 *
 * General procedure (一般程序):
 *
 *   register -> clue --file--> filed --notify--> notified --approve--> approved
 *      --decide--> decided --serve--> served --pay|enforce--> executed
 *      --close--> closed --archive--> archived
 *   notified --request_hearing--> hearing_requested --schedule_hearing-->
 *      hearing_scheduled --hold_hearing--> heard --approve--> approved
 *   branches: decide_no_penalty -> no_penalty; revoke -> revoked;
 *      transfer -> transferred; terminate -> terminated; each then close.
 *   in place: evidence, legal_review, statement, waive, collective, extend,
 *      pause, resume, appeal, appeal_outcome, note (note also after archive).
 *
 * Simplified procedure (简易程序):
 *
 *   decide_on_spot -> onsite_decided --deliver--> delivered --record-->
 *      recorded --pay|enforce--> executed --close--> closed --archive--> archived
 *
 * Detention (扣押, a compulsory measure: 行政强制法 Arts. 18, 19, 24-28;
 * 公路安全保护条例 Art. 72) runs beside the general procedure and leaves the
 * case's state alone; its own state is the member "detention" of the case:
 *
 *   (none) --detain--> detained --release_detention--> released
 *   detained --notice_detention--> noticed --dispose_detention--> disposed
 *   noticed --release_detention--> released      (the party came after all)
 *   in place: approve_detention (an emergency detention approved after the
 *      fact, Art. 19), extend_detention (once, Art. 25).
 *
 * detain from filed to served; the others also from the end states before
 * close (executed, no_penalty, revoked, transferred, terminated), and close
 * is refused while the detention is detained or noticed.  The parameters
 * are read under the names the CLI and the API already pass: "reason" (理由
 * 和依据), "text" (the vehicle or items and their number; for the notice, its
 * text), "to" (where they are kept), "note" (how they were disposed of),
 * "days" (the extension), "emergency" (true: carried out on the spot without
 * the head's prior approval).
 */
#ifndef ZF_PROCEDURE_H
#define ZF_PROCEDURE_H

#include <jansson.h>

#include "calendar.h"
#include "registry.h"
#include "violation.h"
#include "zf.h"

/* The legal numbers of data/procedure/params.tsv, in force on a date. */
struct proc_params {
	int64_t simplified_max_person_fen;
	int64_t simplified_max_org_fen;
	int limitation_years;
	int limitation_harm_years;
	int decision_days;
	int extension_max_days;
	int hearing_request_working_days;
	int hearing_notice_working_days;
	int service_working_days;
	int payment_days;
	int surcharge_permille_per_day;
	int simplified_filing_working_days;
	int min_officers;
	int overload_report_working_days;	/* 62号令 Art. 44 */
	int overload_repeat_times;		/* 公路安全保护条例 Art. 66: "more than N in a year" */
	int detention_max_days;			/* 行政强制法 Art. 25 */
	int detention_extension_max_days;	/* 行政强制法 Art. 25, once */
	int detention_approval_hours;		/* 行政强制法 Art. 19 */
	int disposal_notice_months;		/* 公路安全保护条例 Art. 72 */
	/* the basis text of each, for explanations (pointing into text) */
	const char *basis[24];
	char text[8192];	/* the rows in force, owned by this struct */
};

/* Parse params.tsv and fill the values in force on `on`. */
int proc_params_load(const char *text, size_t len, struct zf_date on,
		     struct proc_params *out, struct zf_error *err) ZF_WUR;
/* Basis text of a key, "" if unknown. */
const char *proc_params_basis(const struct proc_params *p, const char *key);

/* The documents of data/procedure/documents.tsv. */
struct proc_doc_kind {
	char *kind;
	int form_no;
	char *name;
	char *word;
};

struct proc_doc_kinds {
	struct proc_doc_kind *items;
	size_t n;
};

int proc_doc_kinds_load(const char *text, size_t len, struct proc_doc_kinds *out,
			struct zf_error *err) ZF_WUR;
void proc_doc_kinds_release(struct proc_doc_kinds *k);
const struct proc_doc_kind *proc_doc_kind_find(const struct proc_doc_kinds *k,
					       const char *kind);
/* {abbr}{word}〔{year}〕第{seq:4}号 by pattern (setting case_number_pattern
 * uses {abbr} {word} {year} {seq}); returns a new string. */
char *proc_doc_number(const char *pattern, const char *abbr, const char *word,
		      int year, int64_t seq);

/* What the store must do besides writing the new document. */
enum proc_clock_op {
	CLOCK_OPEN = 1,		/* kind, start, unit, count, basis */
	CLOCK_MET,		/* kind, date: satisfied on date */
	CLOCK_CANCEL,		/* kind: no longer runs (e.g. branch closed the case) */
	CLOCK_PAUSE,		/* kind, date: excluded period starts */
	CLOCK_RESUME,		/* kind, date: excluded period ends */
	CLOCK_EXTEND,		/* kind, count: days added */
};

struct proc_clock_effect {
	enum proc_clock_op op;
	const char *kind;	/* static string */
	struct zf_date date;	/* start (OPEN) or when (MET, PAUSE, RESUME) */
	int unit;		/* enum calendar_unit (OPEN) */
	int count;		/* days (OPEN, EXTEND) */
	const char *basis;	/* article (OPEN), borrowed from params */
};

struct proc_doc_effect {
	const char *kind;	/* document kind */
	const char *path;	/* member of the case document that gets the number, e.g. "decision" */
	const char *stock_number; /* pre-printed number (simplified procedure), or NULL */
};

#define PROC_MAX_EFFECTS 12

struct proc_effects {
	struct proc_clock_effect clocks[PROC_MAX_EFFECTS];
	size_t nclocks;
	struct proc_doc_effect docs[2];
	size_t ndocs;
};

/* A clock as the store keeps it, given to the guards. */
struct proc_clock {
	const char *kind;
	struct zf_date due;
	bool open;
	bool paused;
};

struct proc_env {
	struct zf_date today;			/* the local date of "now" */
	const struct calendar *cal;
	const struct violation_catalogue *cat;
	const struct proc_params *params;
	/* organisation settings */
	int statement_window_working_days;
	int64_t hearing_threshold_person_fen;
	int64_t hearing_threshold_org_fen;
	/* the party */
	bool party_is_org;
	bool party_known;
	/* officers named by the request or the case, with their records */
	const struct officer *officers;
	size_t nofficers;
	/* legal reviews this organisation's reviewer has done before (Art. 58) */
	int reviewer_prior_reviews;
	/* the case's clocks */
	const struct proc_clock *clocks;
	size_t nclocks;
};

struct proc_request {
	const char *transition;		/* code, e.g. "notify" */
	struct zf_date date;		/* the day the step happened (may be before today: 补录) */
	const char *const *officers;	/* officer ids acting in this step */
	size_t nofficers;
	const char *approver;		/* officer id of the head approving, if the step needs one */
	const char *reviewer;		/* legal_review */
	const json_t *params;		/* transition parameters (see docs/case.md) */
};

/* Is `code` a transition, and of which procedure ("general", "simplified", "both")? */
const char *proc_transition_procedure(const char *code);
/* Chinese label of a state or transition code. */
const char *proc_label(const char *code);
/* NULL-terminated lists, for the vocabulary test and the CLI's help. */
extern const char *const proc_states[];
extern const char *const proc_transitions[];

/*
 * Apply a transition.  `doc` is NULL for the transitions that create a case
 * (register, decide_on_spot); then the case's id, org and party must be in
 * the request's params ("id", "org_id", "party_id", ...).  On success *out
 * is the new document (caller owns) and *fx the effects.  On refusal nothing
 * is returned and err names the rule.
 */
int proc_apply(const json_t *doc, const struct proc_request *rq,
	       const struct proc_env *env, json_t **out, struct proc_effects *fx,
	       struct zf_error *err) ZF_WUR;

/*
 * Late-payment surcharge (加处罚款, Art. 72): fine * permille/1000 per day
 * from the day after `payment_due` to `on`, not counting `paused_days`,
 * capped at the fine.
 */
int64_t proc_surcharge_fen(int64_t fine_fen, struct zf_date payment_due,
			   struct zf_date on, int paused_days,
			   const struct proc_params *p);

/* Time-barred (Art. 36) if not discovered within the period from the act. */
bool proc_time_barred(struct zf_date act, struct zf_date discovered, int years);

#endif
