#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "procedure.h"
#include "text.h"

/* ---- vocabulary ------------------------------------------------------- */

struct transition {
	const char *code;
	const char *label;
	const char *procedure;	/* general | simplified | both */
	const char *from;	/* space-separated states; "" = creates the case; "*" = any */
	bool on_party;		/* acts on the party: two certified officers (Art. 42) */
};

/* Detention (扣押): imposed while the case is investigated or decided; ended
 * (released, noticed, disposed of) also after that, before the case closes. */
#define DETENTION_OPEN "filed notified hearing_requested hearing_scheduled heard approved decided served"
#define DETENTION_HELD DETENTION_OPEN " executed no_penalty revoked transferred terminated"

static const struct transition transitions[] = {
	{"register", "线索登记", "general", "", false},
	{"file", "立案", "general", "clue", false},
	{"evidence", "调查取证", "general", "filed notified hearing_requested hearing_scheduled heard", true},
	{"legal_review", "法制审核", "general", "filed notified heard approved", false},
	{"notify", "告知（违法行为通知书）", "general", "filed notified heard", true},
	{"statement", "陈述申辩", "general", "notified hearing_requested hearing_scheduled heard", false},
	{"waive", "放弃陈述申辩和听证", "general", "notified", false},
	{"request_hearing", "申请听证", "general", "notified", false},
	{"schedule_hearing", "通知听证", "general", "hearing_requested", true},
	{"hold_hearing", "举行听证", "general", "hearing_scheduled", false},
	{"collective", "集体讨论", "general", "filed notified heard approved", false},
	{"extend", "延长办案期限", "general", "filed notified hearing_requested hearing_scheduled heard approved", false},
	{"pause", "中止计算期限", "general", "filed notified heard approved", false},
	{"resume", "恢复计算期限", "general", "filed notified heard approved", false},
	{"approve", "负责人审批", "general",
	 "filed notified hearing_requested hearing_scheduled heard", false},
	{"decide", "作出处罚决定", "general", "approved", true},
	{"decide_no_penalty", "决定不予处罚", "general", "filed notified heard approved", false},
	{"revoke", "撤销立案", "general", "clue filed", false},
	{"transfer", "移送", "general", "clue filed notified", false},
	{"terminate", "终止调查", "general", "filed notified hearing_requested hearing_scheduled heard approved", false},
	{"serve", "送达", "general", "decided", true},
	{"decide_on_spot", "当场作出处罚决定", "simplified", "", true},
	{"deliver", "当场交付决定书", "simplified", "onsite_decided", true},
	{"record", "报所属部门备案", "simplified", "delivered executed", false},
	{"pay", "缴纳罚款", "both", "served delivered recorded", false},
	{"enforce", "强制执行", "both", "served delivered recorded", true},
	{"appeal", "申请复议或提起诉讼", "both", "decided served delivered recorded executed closed", false},
	{"appeal_outcome", "复议或诉讼结果", "both", "decided served delivered recorded executed closed", false},
	{"close", "结案", "both", "executed no_penalty revoked transferred terminated", false},
	{"report_overload", "抄告车籍地", "general", "closed", false},
	{"detain", "扣押", "general", DETENTION_OPEN, true},
	{"approve_detention", "补办扣押批准手续", "general", DETENTION_HELD, false},
	{"extend_detention", "延长扣押期限", "general", DETENTION_OPEN, false},
	{"release_detention", "解除扣押", "general", DETENTION_HELD, false},
	{"notice_detention", "公告扣押的车辆、工具", "general", DETENTION_HELD, false},
	{"dispose_detention", "依法处理扣押的车辆、工具", "general", DETENTION_HELD, false},
	{"archive", "归档", "both", "closed", false},
	{"note", "备注", "both", "*", false},
};

const char *const proc_states[] = {
	"clue", "filed", "notified", "hearing_requested", "hearing_scheduled", "heard",
	"approved", "decided", "served", "executed", "no_penalty", "revoked",
	"transferred", "terminated", "onsite_decided", "delivered", "recorded",
	"closed", "archived", NULL,
};

const char *const proc_transitions[] = {
	"register", "file", "evidence", "legal_review", "notify", "statement", "waive",
	"request_hearing", "schedule_hearing", "hold_hearing", "collective", "extend",
	"pause", "resume", "approve", "decide", "decide_no_penalty", "revoke",
	"transfer", "terminate", "serve", "decide_on_spot", "deliver", "record", "pay",
	"enforce", "appeal", "appeal_outcome", "close", "report_overload", "archive", "note",
	"detain", "approve_detention", "extend_detention", "release_detention",
	"notice_detention", "dispose_detention", NULL,
};

static const struct {
	const char *code, *label;
} state_labels[] = {
	{"clue", "线索登记"}, {"filed", "已立案（调查取证）"}, {"notified", "已告知"},
	{"hearing_requested", "已申请听证"}, {"hearing_scheduled", "已通知听证"},
	{"heard", "已听证"}, {"approved", "负责人已审批"}, {"decided", "已作出决定"},
	{"served", "已送达"}, {"executed", "已执行"}, {"no_penalty", "不予处罚"},
	{"revoked", "已撤销立案"}, {"transferred", "已移送"}, {"terminated", "已终止"},
	{"onsite_decided", "当场作出决定"}, {"delivered", "已当场交付"},
	{"recorded", "已备案"}, {"closed", "已结案"}, {"archived", "已归档"},
};

static const struct transition *find_transition(const char *code)
{
	for (size_t i = 0; code && i < ZF_ARRAY_LEN(transitions); i++)
		if (strcmp(transitions[i].code, code) == 0)
			return &transitions[i];
	return NULL;
}

const char *proc_transition_procedure(const char *code)
{
	const struct transition *t = find_transition(code);
	return t ? t->procedure : NULL;
}

const char *proc_label(const char *code)
{
	const struct transition *t = find_transition(code);
	if (t)
		return t->label;
	for (size_t i = 0; code && i < ZF_ARRAY_LEN(state_labels); i++)
		if (strcmp(state_labels[i].code, code) == 0)
			return state_labels[i].label;
	return code;
}

/* Is `state` one of the space-separated words of `list`? */
static bool in_list(const char *list, const char *state)
{
	size_t n = strlen(state);
	for (const char *p = list; *p;) {
		const char *sp = strchr(p, ' ');
		size_t len = sp ? (size_t)(sp - p) : strlen(p);
		if (len == n && memcmp(p, state, n) == 0)
			return true;
		p += len + (sp != NULL);
	}
	return false;
}

/* ---- legal parameters and documents ----------------------------------- */

static const char *const param_keys[] = {
	"simplified_max_person_fen", "simplified_max_org_fen", "limitation_years",
	"limitation_harm_years", "decision_days", "extension_max_days",
	"hearing_request_working_days", "hearing_notice_working_days",
	"service_working_days", "payment_days", "surcharge_permille_per_day",
	"simplified_filing_working_days", "min_officers",
	"overload_report_working_days", "overload_repeat_times", "detention_max_days",
	"detention_extension_max_days", "detention_approval_hours", "disposal_notice_months",
};

_Static_assert(ZF_ARRAY_LEN(param_keys) <= ZF_ARRAY_LEN(((struct proc_params *)0)->basis),
	       "struct proc_params has fewer basis slots than there are parameters");

static void param_set(struct proc_params *p, size_t i, int64_t v)
{
	switch (i) {
	case 0: p->simplified_max_person_fen = v; break;
	case 1: p->simplified_max_org_fen = v; break;
	case 2: p->limitation_years = (int)v; break;
	case 3: p->limitation_harm_years = (int)v; break;
	case 4: p->decision_days = (int)v; break;
	case 5: p->extension_max_days = (int)v; break;
	case 6: p->hearing_request_working_days = (int)v; break;
	case 7: p->hearing_notice_working_days = (int)v; break;
	case 8: p->service_working_days = (int)v; break;
	case 9: p->payment_days = (int)v; break;
	case 10: p->surcharge_permille_per_day = (int)v; break;
	case 11: p->simplified_filing_working_days = (int)v; break;
	case 12: p->min_officers = (int)v; break;
	case 13: p->overload_report_working_days = (int)v; break;
	case 14: p->overload_repeat_times = (int)v; break;
	case 15: p->detention_max_days = (int)v; break;
	case 16: p->detention_extension_max_days = (int)v; break;
	case 17: p->detention_approval_hours = (int)v; break;
	case 18: p->disposal_notice_months = (int)v; break;
	}
}

/* Split one line of a TSV into at most n fields (pointers into buf). */
static size_t split_tabs(char *buf, char **f, size_t n)
{
	size_t k = 0;
	f[k++] = buf;
	for (char *p = buf; *p && k < n; p++)
		if (*p == '\t') {
			*p = '\0';
			f[k++] = p + 1;
		}
	return k;
}

/*
 * The basis strings point into out->text, so the struct owns everything it
 * refers to and threads can each load their own.
 */
int proc_params_load(const char *text, size_t len, struct zf_date on,
		     struct proc_params *out, struct zf_error *err)
{
	bool seen[ZF_ARRAY_LEN(param_keys)] = {false};
	size_t used = 0, lineno = 0;
	memset(out, 0, sizeof(*out));
	char *store = out->text;
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		lineno++;
		if (n && *p != '#') {
			char *f[6];
			if (used + n + 1 > sizeof(out->text))
				return zf_fail(err, ZF_EINVAL, "invalid_params_file", "line",
					       "参数文件第 %zu 行过长", lineno);
			memcpy(store + used, p, n);
			store[used + n] = '\0';
			char *row = store + used;
			used += n + 1;
			size_t k = split_tabs(row, f, 6);
			int64_t v;
			struct zf_date from, to = {9999, 12, 31};
			if (k < 5 || text_parse_int(f[1], 0, INT64_MAX / 2, &v, "value", NULL) ||
			    date_parse(f[4], &from, "from", NULL) ||
			    (k > 5 && *f[5] && date_parse(f[5], &to, "to", NULL)))
				return zf_fail(err, ZF_EINVAL, "invalid_params_file", "line",
					       "参数文件第 %zu 行格式错误", lineno);
			size_t i = 0;
			while (i < ZF_ARRAY_LEN(param_keys) && strcmp(param_keys[i], f[0]))
				i++;
			if (i == ZF_ARRAY_LEN(param_keys))
				return zf_fail(err, ZF_EINVAL, "invalid_params_file", "line",
					       "参数文件第 %zu 行：未知参数“%s”", lineno, f[0]);
			if (date_cmp(from, on) <= 0 && date_cmp(on, to) <= 0) {
				param_set(out, i, v);
				out->basis[i] = f[3];
				seen[i] = true;
			}
		}
		p += n + 1;
	}
	for (size_t i = 0; i < ZF_ARRAY_LEN(param_keys); i++)
		if (!seen[i])
			return zf_fail(err, ZF_EINVAL, "invalid_params_file", param_keys[i],
				       "参数“%s”在该日期没有有效值", param_keys[i]);
	return ZF_OK;
}

const char *proc_params_basis(const struct proc_params *p, const char *key)
{
	for (size_t i = 0; i < ZF_ARRAY_LEN(param_keys); i++)
		if (strcmp(param_keys[i], key) == 0)
			return p->basis[i] ? p->basis[i] : "";
	return "";
}

void proc_doc_kinds_release(struct proc_doc_kinds *k)
{
	for (size_t i = 0; i < k->n; i++) {
		zf_free(k->items[i].kind);
		zf_free(k->items[i].name);
		zf_free(k->items[i].word);
	}
	zf_free(k->items);
	k->items = NULL;
	k->n = 0;
}

int proc_doc_kinds_load(const char *text, size_t len, struct proc_doc_kinds *out,
			struct zf_error *err)
{
	const char *p = text, *end = text + len;
	size_t lineno = 0;
	memset(out, 0, sizeof(*out));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		lineno++;
		if (n && *p != '#') {
			char *row = zf_strndup(p, n), *f[4];
			int64_t form;
			struct proc_doc_kind *items = zf_realloc(out->items,
								 (out->n + 1) * sizeof(*items));
			if (!row || !items) {
				zf_free(row);
				if (items)
					out->items = items;
				proc_doc_kinds_release(out);
				return zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
			}
			out->items = items;
			if (split_tabs(row, f, 4) != 4 ||
			    text_parse_int(f[1], 0, 99, &form, "form_no", NULL)) {
				zf_free(row);
				proc_doc_kinds_release(out);
				return zf_fail(err, ZF_EINVAL, "invalid_documents_file", "line",
					       "文书目录第 %zu 行格式错误", lineno);
			}
			struct proc_doc_kind *k = &out->items[out->n++];
			k->kind = zf_strdup(f[0]);
			k->form_no = (int)form;
			k->name = zf_strdup(f[2]);
			k->word = zf_strdup(f[3]);
			zf_free(row);
			if (!k->kind || !k->name || !k->word) {
				proc_doc_kinds_release(out);
				return zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
			}
		}
		p += n + 1;
	}
	return ZF_OK;
}

const struct proc_doc_kind *proc_doc_kind_find(const struct proc_doc_kinds *k,
					       const char *kind)
{
	for (size_t i = 0; kind && i < k->n; i++)
		if (strcmp(k->items[i].kind, kind) == 0)
			return &k->items[i];
	return NULL;
}

char *proc_doc_number(const char *pattern, const char *abbr, const char *word,
		      int year, int64_t seq)
{
	struct buf b;
	buf_init(&b, 512);
	int rc = ZF_OK;
	for (const char *p = pattern; *p && !rc; p++) {
		if (*p != '{') {
			rc = buf_putc(&b, *p);
			continue;
		}
		const char *close = strchr(p, '}');
		if (!close) {
			rc = buf_puts(&b, p);
			break;
		}
		size_t n = (size_t)(close - p - 1);
		if (n == 4 && !strncmp(p + 1, "abbr", 4))
			rc = buf_puts(&b, abbr);
		else if (n == 4 && !strncmp(p + 1, "word", 4))
			rc = buf_puts(&b, word);
		else if (n == 4 && !strncmp(p + 1, "year", 4))
			rc = buf_printf(&b, "%04d", year);
		else if (n == 3 && !strncmp(p + 1, "seq", 3))
			rc = buf_printf(&b, "%04lld", (long long)seq);
		else
			rc = buf_append(&b, p, n + 2);
		p = close;
	}
	if (rc) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

int64_t proc_surcharge_fen(int64_t fine_fen, struct zf_date payment_due,
			   struct zf_date on, int paused_days,
			   const struct proc_params *p)
{
	int64_t days = date_to_days(on) - date_to_days(payment_due) - paused_days;
	if (days <= 0 || fine_fen <= 0)
		return 0;
	/* multiply before dividing: no fen lost on fines that are not whole yuan */
	int64_t s = fine_fen * p->surcharge_permille_per_day * days / 1000;
	return s > fine_fen ? fine_fen : s;
}

static struct zf_date add_years(struct zf_date d, int years)
{
	struct zf_date r = {d.y + years, d.m, d.d};
	if (!date_is_valid(r.y, r.m, r.d))
		r.d = date_days_in_month(r.y, r.m);
	return r;
}

bool proc_time_barred(struct zf_date act, struct zf_date discovered, int years)
{
	return date_cmp(discovered, add_years(act, years)) > 0;
}

/* ---- helpers over the case document ----------------------------------- */

static int refuse(struct zf_error *err, const char *code, const char *field,
		  const char *fmt, ...) ZF_PRINTF(4, 5);

static int refuse(struct zf_error *err, const char *code, const char *field,
		  const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return zf_fail(err, ZF_EREFUSED, code, field, "%s", msg);
}

static int invalid(struct zf_error *err, const char *code, const char *field,
		   const char *msg)
{
	return zf_fail(err, ZF_EINVAL, code, field, "%s", msg);
}

static const char *jstr(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static bool jbool(const json_t *o, const char *k)
{
	return json_is_true(json_object_get(o, k));
}

static bool jdate(const json_t *o, const char *k, struct zf_date *d)
{
	const char *s = jstr(o, k);
	return s && date_parse(s, d, k, NULL) == ZF_OK;
}

static int64_t jint(const json_t *o, const char *k, int64_t def)
{
	json_t *v = json_object_get(o, k);
	return json_is_integer(v) ? json_integer_value(v) : def;
}

static void put_date(json_t *o, const char *k, struct zf_date d)
{
	char s[DATE_STR_LEN];
	date_format(d, s);
	json_object_set_new(o, k, json_string(s));
}

/* The object member k of o, created if missing. */
static json_t *sub(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	if (!json_is_object(v)) {
		v = json_object();
		json_object_set_new(o, k, v);
	}
	return v;
}

static json_t *arr(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	if (!json_is_array(v)) {
		v = json_array();
		json_object_set_new(o, k, v);
	}
	return v;
}

static const struct officer *officer_of(const struct proc_env *env, const char *id)
{
	for (size_t i = 0; id && i < env->nofficers; i++)
		if (strcmp(env->officers[i].id, id) == 0)
			return &env->officers[i];
	return NULL;
}

/* Is id one of the case's officers (those who investigated or acted)? */
static bool is_case_officer(const json_t *doc, const char *id)
{
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(doc, "officers"), i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), id) == 0)
			return true;
	return false;
}

static void add_case_officers(json_t *doc, const struct proc_request *rq)
{
	json_t *a = arr(doc, "officers");
	for (size_t i = 0; i < rq->nofficers; i++)
		if (!is_case_officer(doc, rq->officers[i]))
			json_array_append_new(a, json_string(rq->officers[i]));
}

static const struct proc_clock *clock_of(const struct proc_env *env,
					 const char *kind)
{
	for (size_t i = 0; i < env->nclocks; i++)
		if (strcmp(env->clocks[i].kind, kind) == 0)
			return &env->clocks[i];
	return NULL;
}

static void fx_clock(struct proc_effects *fx, enum proc_clock_op op,
		     const char *kind, struct zf_date date, int unit, int count,
		     const char *basis)
{
	if (fx->nclocks == PROC_MAX_EFFECTS)
		ZF_BUG("too many clock effects");
	struct proc_clock_effect *c = &fx->clocks[fx->nclocks++];
	c->op = op;
	c->kind = kind;
	c->date = date;
	c->unit = unit;
	c->count = count;
	c->basis = basis;
}

static void fx_doc(struct proc_effects *fx, const char *kind, const char *path,
		   const char *stock_number)
{
	if (fx->ndocs == ZF_ARRAY_LEN(fx->docs))
		ZF_BUG("too many document effects");
	fx->docs[fx->ndocs].kind = kind;
	fx->docs[fx->ndocs].path = path;
	fx->docs[fx->ndocs].stock_number = stock_number;
	fx->ndocs++;
}

static bool detention_clock(const char *kind)
{
	return !strcmp(kind, "detention") || !strcmp(kind, "detention_approval") ||
	       !strcmp(kind, "disposal_notice");
}

/*
 * Cancel every clock of the case that still runs.  A detention outlives
 * the end of the procedure (no penalty, revoked, ...): it still has to be
 * released or disposed of within its own periods, so keep_detention keeps
 * its clocks running.
 */
static void fx_cancel_all(struct proc_effects *fx, const struct proc_env *env,
			  struct zf_date date, bool keep_detention)
{
	for (size_t i = 0; i < env->nclocks && fx->nclocks < PROC_MAX_EFFECTS; i++)
		if (env->clocks[i].open &&
		    !(keep_detention && detention_clock(env->clocks[i].kind)))
			fx_clock(fx, CLOCK_CANCEL, env->clocks[i].kind, date, 0, 0, NULL);
}

#define PENALTY_OFFICERS_BASIS "《行政处罚法》第四十二条"
#define DETENTION_OFFICERS_BASIS "《行政强制法》第十七条第三款、第十八条第二项"

/*
 * Art. 42: every step that acts on the party is carried out by at least two
 * officers, each holding an enforcement certificate valid on that day; a
 * compulsory measure likewise (行政强制法 Arts. 17, 18).  basis names the
 * article in the refusal.
 */
static int guard_officers_basis(const struct proc_request *rq, const struct proc_env *env,
				const char *basis, struct zf_error *err)
{
	char d[DATE_STR_LEN];
	date_format(rq->date, d);
	size_t distinct = 0;
	for (size_t i = 0; i < rq->nofficers; i++) {
		bool dup = false;
		for (size_t j = 0; j < i && !dup; j++)
			dup = strcmp(rq->officers[i], rq->officers[j]) == 0;
		if (dup)
			continue;
		const struct officer *o = officer_of(env, rq->officers[i]);
		if (!o)
			return invalid(err, "officer_not_found", "officers",
				       "找不到执法人员");
		if (!officer_may_act_on(o, rq->date))
			return refuse(err, "officer_not_certified", "officers",
				      "执法人员%s（执法证号 %s）在 %s 不持有有效执法证或已暂停执法，"
				      "不得实施执法（%s）", o->name, o->cert_no, d, basis);
		distinct++;
	}
	if ((int)distinct < env->params->min_officers)
		return refuse(err, "two_officers_required", "officers",
			      "该环节须由不少于 %d 名持有效执法证的执法人员实施，实际 %zu 名"
			      "（%s）", env->params->min_officers, distinct, basis);
	return ZF_OK;
}

static int guard_officers(const struct proc_request *rq, const struct proc_env *env,
			  struct zf_error *err)
{
	return guard_officers_basis(rq, env, PENALTY_OFFICERS_BASIS, err);
}

/*
 * The approver is an active head.  need_basis is the article requiring the
 * approval, head_basis the one naming who gives it.  With doc, the head is
 * also none of the case's officers (行政处罚法 Art. 57); a compulsory
 * measure passes NULL, since 行政强制法 Art. 18 asks only for the head.
 */
static int check_head(const json_t *doc, const struct proc_request *rq,
		      const struct proc_env *env, const char *need_basis,
		      const char *head_basis, struct zf_error *err)
{
	const struct officer *o = officer_of(env, rq->approver);
	if (!rq->approver || !*rq->approver)
		return refuse(err, "approval_required", "approver",
			      "该环节须经执法部门负责人批准（%s）", need_basis);
	if (!o)
		return invalid(err, "officer_not_found", "approver", "找不到审批的负责人");
	if (!officer_has_role(o, "head"))
		return refuse(err, "approver_not_head", "approver",
			      "%s不是负责人，不能审批（%s）", o->name, head_basis);
	if (doc && is_case_officer(doc, o->id))
		return refuse(err, "approver_is_case_officer", "approver",
			      "审批的负责人%s是本案执法人员，应由其他负责人审批"
			      "（《行政处罚法》第五十七条）", o->name);
	if (o->status && strcmp(o->status, "active") != 0)
		return refuse(err, "approver_inactive", "approver",
			      "负责人%s当前状态不能审批", o->name);
	return ZF_OK;
}

/* The head who approves is a head, and none of the case's officers (Art. 57). */
static int guard_approver(const json_t *doc, const struct proc_request *rq,
			  const struct proc_env *env, struct zf_error *err)
{
	return check_head(doc, rq, env,
			  "《行政处罚法》第五十七条；《交通运输行政执法程序规定》第六十三条",
			  "《行政处罚法》第五十七条", err);
}

static int need_date_param(const json_t *params, const char *key,
			   struct zf_date *d, struct zf_error *err)
{
	const char *s = jstr(params, key);
	if (!s)
		return zf_fail(err, ZF_EINVAL, "required", key, "“%s”为必填项", key);
	return date_parse(s, d, key, err);
}

static int need_text_param(const json_t *params, const char *key, long max,
			   const char **out, struct zf_error *err)
{
	*out = jstr(params, key);
	return text_check(*out, key, max, true, err);
}

/* The fine or other penalty a step names: kind and amount, checked. */
static int penalty_param(const json_t *params, enum penalty_kind *kind,
			 int64_t *fen, struct zf_error *err)
{
	int rc = penalty_kind_parse(jstr(params, "kind"), kind, "kind", err);
	if (rc)
		return rc;
	json_t *a = json_object_get(params, "amount_fen");
	*fen = 0;
	if (*kind == PK_FINE) {
		if (!json_is_integer(a) || json_integer_value(a) <= 0)
			return invalid(err, "required", "amount",
				       "罚款须填写大于零的金额");
		*fen = json_integer_value(a);
	} else if (a && !json_is_null(a) && json_integer_value(a) != 0) {
		return invalid(err, "not_allowed", "amount", "该处罚种类不填写罚款金额");
	}
	return ZF_OK;
}

static void put_penalty(json_t *o, enum penalty_kind kind, int64_t fen)
{
	json_object_set_new(o, "kind", json_string(penalty_kind_code(kind)));
	json_object_set_new(o, "amount_fen", json_integer(fen));
}

static enum penalty_kind doc_kind(const json_t *o)
{
	enum penalty_kind k = PK_NONE;
	if (penalty_kind_parse(jstr(o, "kind"), &k, "kind", NULL) != ZF_OK)
		k = PK_NONE;
	return k;
}

/* Years within which a violation must be discovered (Art. 36). */
static int limitation_years(const json_t *doc, const struct proc_env *env)
{
	const struct violation *v = violation_find(env->cat, jstr(doc, "violation"));
	if (v && v->limitation_years > 0)
		return v->limitation_years;
	if (v && v->art36_harm && jbool(json_object_get(doc, "flags"), "harm"))
		return env->params->limitation_harm_years;
	return env->params->limitation_years;
}

static bool time_barred(const json_t *doc, const struct proc_env *env)
{
	struct zf_date act, disc;
	return jdate(doc, "act_date", &act) && jdate(doc, "discovered_date", &disc) &&
	       proc_time_barred(act, disc, limitation_years(doc, env));
}

static int refuse_time_barred(const json_t *doc, const struct proc_env *env,
			      struct zf_error *err)
{
	const struct violation *v = violation_find(env->cat, jstr(doc, "violation"));
	int years = limitation_years(doc, env);
	if (v && v->limitation_years > 0)
		return refuse(err, "time_barred", "act_date",
			      "违法行为在 %d 年内未被发现，不再给予行政处罚（%s）", years,
			      v->limitation_basis ? v->limitation_basis : "");
	return refuse(err, "time_barred", "act_date",
		      "违法行为在 %d 年内未被发现，不再给予行政处罚，只能决定不予处罚"
		      "（《行政处罚法》第三十六条）", years);
}

/* The range the discretion standard allows for this case (Art. 37 applied). */
static int check_amount(const json_t *doc, enum penalty_kind kind, int64_t fen,
			struct zf_date decision_date, const struct proc_env *env,
			struct zf_error *err)
{
	struct discretion_input in = {0};
	struct discretion_proposal prop = {0};
	in.violation = jstr(doc, "violation");
	in.level = jstr(doc, "level");
	if (!jdate(doc, "act_date", &in.act_date))
		in.act_date = decision_date;
	in.decision_date = decision_date;
	in.party_is_org = env->party_is_org;
	in.has_amount = kind == PK_FINE;
	in.amount_fen = fen;
	int rc = discretion_propose(env->cat, &in, &prop, err);
	if (!rc && !(prop.kinds & (1u << kind)))
		rc = refuse(err, "penalty_kind_not_allowed", "kind",
			    "该违法行为的处罚种类不包括“%s”（%s）", penalty_kind_label(kind),
			    prop.basis ? prop.basis : "");
	discretion_proposal_release(&prop);
	return rc;
}

/* Does the penalty (k2, f2) exceed (k1, f1)?  Severity order is Art. 9's. */
static bool heavier(enum penalty_kind k2, int64_t f2, enum penalty_kind k1, int64_t f1)
{
	if (k2 != k1)
		return k2 > k1;
	return f2 > f1;
}

static bool hearing_right(enum penalty_kind kind, int64_t fen, const struct proc_env *env)
{
	if (penalty_kind_hearing_right(kind))
		return true;
	int64_t threshold = env->party_is_org ? env->hearing_threshold_org_fen
					      : env->hearing_threshold_person_fen;
	return kind == PK_FINE && fen >= threshold;
}

static int clock_due_passed(const struct proc_env *env, const char *kind,
			    struct zf_date on, bool *passed)
{
	const struct proc_clock *c = clock_of(env, kind);
	*passed = !c || date_cmp(on, c->due) > 0;
	return ZF_OK;
}

/* ---- transitions ------------------------------------------------------ */

struct step {
	json_t *doc;			/* the new document being built */
	const struct proc_request *rq;
	const struct proc_env *env;
	struct proc_effects *fx;
	const json_t *p;		/* rq->params */
	char date[DATE_STR_LEN];
};

static const char *const sources[] = {"inspection", "report", "transfer", "assigned",
				      "lower_report", "monitoring", "other", NULL};

/* register and decide_on_spot: the facts every case starts with. */
static int start_case(struct step *s, const char *procedure, struct zf_error *err)
{
	const json_t *p = s->p;
	const char *facts, *place;
	struct zf_date act;
	int rc;
	const char *id = jstr(p, "id"), *org = jstr(p, "org_id");
	if (!id || !org)
		ZF_BUG("start_case without id or org_id");
	if (!s->env->party_known)
		return invalid(err, "party_not_found", "party", "找不到当事人");
	const char *vcode = jstr(p, "violation");
	const struct violation *v = violation_find(s->env->cat, vcode);
	if (!v)
		return zf_fail(err, ZF_EINVAL, "unknown_code", "violation",
			       "未知的违法行为代码“%s”", vcode ? vcode : "");
	if ((rc = need_date_param(p, "act_date", &act, err)) ||
	    (rc = need_text_param(p, "facts", 2000, &facts, err)) ||
	    (rc = need_text_param(p, "place", 200, &place, err)))
		return rc;
	if (date_cmp(act, s->rq->date) > 0)
		return invalid(err, "invalid_period", "act_date",
			       "违法行为发生日期晚于发现（登记）日期");
	const char *source = jstr(p, "source");
	if (source && !text_in(source, sources))
		return zf_fail(err, ZF_EINVAL, "unknown_code", "source",
			       "未知的案件来源“%s”", source);
	const char *level = jstr(p, "level");
	if (level && (rc = text_check(level, "level", 32, true, err)))
		return rc;
	json_t *d = s->doc;
	json_object_set_new(d, "id", json_string(id));
	json_object_set_new(d, "org_id", json_string(org));
	json_object_set_new(d, "procedure", json_string(procedure));
	json_object_set_new(d, "violation", json_string(vcode));
	json_object_set_new(d, "party_id", json_string(jstr(p, "party_id")));
	if (jstr(p, "vehicle_id"))
		json_object_set_new(d, "vehicle_id", json_string(jstr(p, "vehicle_id")));
	if (level)
		json_object_set_new(d, "level", json_string(level));
	put_date(d, "act_date", act);
	put_date(d, "discovered_date", s->rq->date);
	json_object_set_new(d, "place", json_string(place));
	json_object_set_new(d, "facts", json_string(facts));
	json_object_set_new(d, "source", json_string(source ? source : "inspection"));
	/* opened from a weighing (store_weigh_open_case): the measurements and
	 * the calculation go with the case and onto its documents */
	json_t *w = json_object_get(p, "weighing");
	if (w && (!json_is_object(w) || !jstr(w, "id")))
		return invalid(err, "invalid_format", "weighing", "称重记录参数应为含 id 的对象");
	if (w)
		json_object_set_new(d, "weighing", json_deep_copy(w));
	json_t *flags = json_object();
	static const char *const flag_names[] = {"major", "complex", "serious", "harm"};
	json_t *pf = json_object_get(p, "flags");
	for (size_t i = 0; i < ZF_ARRAY_LEN(flag_names); i++)
		json_object_set_new(flags, flag_names[i],
				    json_boolean(jbool(pf, flag_names[i])));
	json_object_set_new(d, "flags", flags);
	json_object_set_new(d, "officers", json_array());
	add_case_officers(d, s->rq);
	return ZF_OK;
}

static int t_register(struct step *s, struct zf_error *err)
{
	int rc = start_case(s, "general", err);
	if (!rc && time_barred(s->doc, s->env))
		return refuse_time_barred(s->doc, s->env, err);
	return rc;
}

/* 立案: approved by the head (transport rule Art. 63), two case officers
 * assigned, within the limitation period (Art. 36); opens the 90-day clock. */
static int t_file(struct step *s, struct zf_error *err)
{
	int rc;
	if ((rc = guard_approver(s->doc, s->rq, s->env, err)) ||
	    (rc = guard_officers(s->rq, s->env, err)))
		return rc;
	if (time_barred(s->doc, s->env))
		return refuse_time_barred(s->doc, s->env, err);
	add_case_officers(s->doc, s->rq);
	json_t *f = sub(s->doc, "filing");
	json_object_set_new(f, "date", json_string(s->date));
	json_object_set_new(f, "approver", json_string(s->rq->approver));
	put_date(s->doc, "filed_date", s->rq->date);
	fx_doc(s->fx, "filing_form", "filing", NULL);
	fx_clock(s->fx, CLOCK_OPEN, "decision", s->rq->date, CAL_UNIT_DAYS,
		 s->env->params->decision_days,
		 proc_params_basis(s->env->params, "decision_days"));
	return ZF_OK;
}

static int t_evidence(struct step *s, struct zf_error *err)
{
	const char *note;
	struct zf_date act;
	int rc;
	if ((rc = guard_officers(s->rq, s->env, err)) ||
	    (rc = need_text_param(s->p, "note", 2000, &note, err)))
		return rc;
	add_case_officers(s->doc, s->rq);
	if (jstr(s->p, "act_date")) {
		if ((rc = need_date_param(s->p, "act_date", &act, err)))
			return rc;
		if (date_cmp(act, s->rq->date) > 0)
			return invalid(err, "invalid_period", "act_date",
				       "违法行为发生日期不能晚于取证日期");
		put_date(s->doc, "act_date", act);
	}
	json_t *e = json_pack("{ss ss}", "date", s->date, "note", note);
	json_array_append_new(arr(s->doc, "evidence"), e);
	if (json_object_get(s->doc, "notice"))
		json_object_set_new(s->doc, "evidence_after_notice", json_true());
	return ZF_OK;
}

/* Art. 58: the reviewer is a legal reviewer and none of the case officers;
 * one reviewing for the first time holds the legal professional qualification. */
static int t_legal_review(struct step *s, struct zf_error *err)
{
	const struct officer *r = officer_of(s->env, s->rq->reviewer);
	const char *result = jstr(s->p, "result"), *opinion;
	int rc;
	if (!s->rq->reviewer || !r)
		return invalid(err, "required", "reviewer", "须指定法制审核人员");
	if (!officer_has_role(r, "legal_reviewer"))
		return refuse(err, "reviewer_not_legal_reviewer", "reviewer",
			      "%s不是法制审核人员（《行政处罚法》第五十八条）", r->name);
	if (is_case_officer(s->doc, r->id))
		return refuse(err, "reviewer_is_case_officer", "reviewer",
			      "法制审核人员%s是本案执法人员，不得审核本案（《行政处罚法》第五十八条）",
			      r->name);
	if (s->env->reviewer_prior_reviews == 0 && !r->legal_qualification)
		return refuse(err, "reviewer_not_qualified", "reviewer",
			      "初次从事法制审核的人员应当通过国家统一法律职业资格考试取得法律职业资格，"
			      "%s不具备（《行政处罚法》第五十八条第二款）", r->name);
	if (!result || (strcmp(result, "pass") && strcmp(result, "fail")))
		return invalid(err, "unknown_code", "result", "审核结论只能是 pass 或 fail");
	if ((rc = need_text_param(s->p, "opinion", 2000, &opinion, err)))
		return rc;
	json_t *e = json_pack("{ss ss ss ss}", "date", s->date, "reviewer", r->id,
			      "result", result, "opinion", opinion);
	json_array_append_new(arr(s->doc, "legal_reviews"), e);
	return ZF_OK;
}

/* 告知 (Arts. 44, 62, 63, 64): intended penalty, facts, reasons, basis and rights. */
static int t_notify(struct step *s, struct zf_error *err)
{
	enum penalty_kind kind;
	int64_t fen;
	int rc;
	if ((rc = guard_officers(s->rq, s->env, err)) ||
	    (rc = penalty_param(s->p, &kind, &fen, err)))
		return rc;
	if (time_barred(s->doc, s->env))
		return refuse_time_barred(s->doc, s->env, err);
	/* the discretion level found by the investigation (裁量档次) */
	const char *level = jstr(s->p, "level");
	if (level) {
		if ((rc = text_check(level, "level", 32, true, err)))
			return rc;
		json_object_set_new(s->doc, "level", json_string(level));
	}
	if ((rc = check_amount(s->doc, kind, fen, s->rq->date, s->env, err)))
		return rc;
	json_t *old = json_object_get(s->doc, "notice");
	/* Art. 45: never heavier because the party defended itself; a heavier
	 * notice after a statement needs new facts gathered since. */
	if (old && heavier(kind, fen, doc_kind(old), jint(old, "amount_fen", 0)) &&
	    json_object_get(s->doc, "statement") &&
	    !jbool(s->doc, "evidence_after_notice"))
		return refuse(err, "heavier_after_defence", "amount",
			      "当事人陈述申辩后拟加重处罚，但没有新的事实证据；行政机关不得因当事人"
			      "陈述、申辩而给予更重的处罚（《行政处罚法》第四十五条）");
	add_case_officers(s->doc, s->rq);
	bool right = hearing_right(kind, fen, s->env);
	json_t *n = json_object();
	json_object_set_new(n, "date", json_string(s->date));
	put_penalty(n, kind, fen);
	json_object_set_new(n, "hearing_right", json_boolean(right));
	json_object_set_new(n, "count", json_integer(old ? jint(old, "count", 1) + 1 : 1));
	json_object_set_new(s->doc, "notice", n);
	json_object_del(s->doc, "statement");
	json_object_del(s->doc, "evidence_after_notice");
	fx_doc(s->fx, "violation_notice", "notice", NULL);
	fx_clock(s->fx, CLOCK_OPEN, "statement", s->rq->date, CAL_UNIT_WORKING_DAYS,
		 s->env->statement_window_working_days,
		 "陈述申辩期限（机构设置 statement_window_working_days；《行政处罚法》第四十四条、第四十五条）");
	if (right)
		fx_clock(s->fx, CLOCK_OPEN, "hearing_request", s->rq->date,
			 CAL_UNIT_WORKING_DAYS, s->env->params->hearing_request_working_days,
			 proc_params_basis(s->env->params, "hearing_request_working_days"));
	return ZF_OK;
}

static int t_statement(struct step *s, struct zf_error *err)
{
	const char *summary;
	int rc = need_text_param(s->p, "summary", 2000, &summary, err);
	if (rc)
		return rc;
	json_t *st = sub(s->doc, "statement");
	json_object_set_new(st, "date", json_string(s->date));
	json_object_set_new(st, "summary", json_string(summary));
	json_object_set_new(st, "accepted", json_boolean(jbool(s->p, "accepted")));
	return ZF_OK;
}

static int t_waive(struct step *s, struct zf_error *err)
{
	(void)err;
	json_object_set_new(sub(s->doc, "notice"), "waived", json_true());
	json_object_set_new(sub(s->doc, "notice"), "waived_date", json_string(s->date));
	fx_clock(s->fx, CLOCK_MET, "statement", s->rq->date, 0, 0, NULL);
	if (clock_of(s->env, "hearing_request"))
		fx_clock(s->fx, CLOCK_MET, "hearing_request", s->rq->date, 0, 0, NULL);
	return ZF_OK;
}

/* Art. 64(1): within 5 working days of the notice; the hearing is excluded
 * from the decision period, so the clock pauses. */
static int t_request_hearing(struct step *s, struct zf_error *err)
{
	json_t *n = json_object_get(s->doc, "notice");
	const struct proc_clock *c = clock_of(s->env, "hearing_request");
	if (!jbool(n, "hearing_right"))
		return refuse(err, "no_hearing_right", "",
			      "告知的处罚不属于应当告知听证权利的情形（《行政处罚法》第六十三条）");
	if (!c || date_cmp(s->rq->date, c->due) > 0) {
		char due[DATE_STR_LEN] = "";
		if (c)
			date_format(c->due, due);
		return refuse(err, "hearing_request_late", "date",
			      "听证申请期限已于 %s 届满（《行政处罚法》第六十四条第一项：告知后五日内提出）",
			      due);
	}
	json_object_set_new(sub(s->doc, "hearing"), "requested_date", json_string(s->date));
	fx_clock(s->fx, CLOCK_MET, "hearing_request", s->rq->date, 0, 0, NULL);
	/* the party will be heard: the statement window is absorbed by the hearing */
	fx_clock(s->fx, CLOCK_MET, "statement", s->rq->date, 0, 0, NULL);
	fx_clock(s->fx, CLOCK_PAUSE, "decision", s->rq->date, 0, 0, NULL);
	return ZF_OK;
}

/* Art. 64(2): the party is told at least 7 working days before the hearing;
 * Art. 64(4): presided over by someone who did not investigate. */
static int t_schedule_hearing(struct step *s, struct zf_error *err)
{
	struct zf_date when;
	struct calendar_result earliest = {0};
	const char *presider = jstr(s->p, "presider");
	const struct officer *pr = officer_of(s->env, presider);
	int rc;
	if ((rc = guard_officers(s->rq, s->env, err)) ||
	    (rc = need_date_param(s->p, "hearing_date", &when, err)))
		return rc;
	if (!pr)
		return invalid(err, "required", "presider", "须指定听证主持人");
	if (is_case_officer(s->doc, pr->id))
		return refuse(err, "presider_is_investigator", "presider",
			      "听证由非本案调查人员主持，%s是本案执法人员（《行政处罚法》第六十四条第四项）",
			      pr->name);
	if ((rc = calendar_add(s->env->cal, s->rq->date, CAL_UNIT_WORKING_DAYS,
			       s->env->params->hearing_notice_working_days, true,
			       &earliest, err)))
		return rc;
	bool early = date_cmp(when, earliest.due) < 0;
	char e[DATE_STR_LEN];
	date_format(earliest.due, e);
	calendar_result_release(&earliest);
	if (early)
		return refuse(err, "hearing_notice_too_short", "hearing_date",
			      "应当在举行听证的七日前通知当事人，听证日期最早为 %s"
			      "（《行政处罚法》第六十四条第二项、第八十五条）", e);
	add_case_officers(s->doc, s->rq);
	json_t *h = sub(s->doc, "hearing");
	put_date(h, "date", when);
	json_object_set_new(h, "presider", json_string(pr->id));
	json_object_set_new(h, "noticed_date", json_string(s->date));
	fx_doc(s->fx, "hearing_notice", "hearing_notice", NULL);
	return ZF_OK;
}

static int t_hold_hearing(struct step *s, struct zf_error *err)
{
	json_t *h = json_object_get(s->doc, "hearing");
	struct zf_date when;
	const char *record;
	int rc = need_text_param(s->p, "record", 4000, &record, err);
	if (rc)
		return rc;
	if (jdate(h, "date", &when) && date_cmp(s->rq->date, when) < 0)
		return refuse(err, "hearing_not_yet", "date",
			      "听证日期未到，不能记录听证（《行政处罚法》第六十四条）");
	json_object_set_new(h, "held_date", json_string(s->date));
	json_object_set_new(h, "record", json_string(record));
	fx_doc(s->fx, "hearing_record", "hearing_record", NULL);
	fx_clock(s->fx, CLOCK_RESUME, "decision", s->rq->date, 0, 0, NULL);
	return ZF_OK;
}

static int t_collective(struct step *s, struct zf_error *err)
{
	const char *conclusion;
	int rc = need_text_param(s->p, "conclusion", 2000, &conclusion, err);
	if (rc)
		return rc;
	json_t *c = json_pack("{ss ss}", "date", s->date, "conclusion", conclusion);
	json_array_append_new(arr(s->doc, "collective"), c);
	return ZF_OK;
}

/* Art. 60 with the transport rule (law.md §2.4): 30 more days with the
 * head's approval; beyond that only by collective discussion. */
static int t_extend(struct step *s, struct zf_error *err)
{
	int64_t days = jint(s->p, "days", 0);
	const char *reason;
	int rc;
	if ((rc = guard_approver(s->doc, s->rq, s->env, err)) ||
	    (rc = need_text_param(s->p, "reason", 500, &reason, err)))
		return rc;
	if (days < 1 || days > 365)
		return invalid(err, "invalid_number", "days", "延长天数应在 1 到 365 之间");
	json_t *ext = arr(s->doc, "extensions");
	size_t n = json_array_size(ext);
	bool collective = false;
	if (n > 0) {
		/* a further extension needs a collective discussion since the last one */
		const char *last = jstr(json_array_get(ext, n - 1), "date");
		size_t i;
		json_t *c;
		json_array_foreach(json_object_get(s->doc, "collective"), i, c)
			if (last && strcmp(jstr(c, "date"), last) >= 0)
				collective = true;
		if (!collective)
			return refuse(err, "extension_needs_collective", "approver",
				      "再次延长办案期限须经负责人集体讨论决定（《行政处罚法》第六十条；"
				      "《交通运输行政执法程序规定》）");
	} else if (days > s->env->params->extension_max_days) {
		return refuse(err, "extension_too_long", "days",
			      "经负责人批准最多延长 %d 日（%s）",
			      s->env->params->extension_max_days,
			      proc_params_basis(s->env->params, "extension_max_days"));
	}
	json_t *e = json_pack("{ss ss ss sI sb}", "date", s->date, "approver",
			      s->rq->approver, "reason", reason, "days", (json_int_t)days,
			      "collective", collective);
	json_array_append_new(ext, e);
	fx_clock(s->fx, CLOCK_EXTEND, "decision", s->rq->date, 0, (int)days, NULL);
	return ZF_OK;
}

static const char *const pause_reasons[] = {"public_notice", "testing", "inspection",
					    "quarantine", "appraisal", NULL};

static int t_pause(struct step *s, struct zf_error *err)
{
	const char *reason = jstr(s->p, "reason");
	const struct proc_clock *c = clock_of(s->env, "decision");
	if (!text_in(reason, pause_reasons))
		return zf_fail(err, ZF_EINVAL, "unknown_code", "reason",
			       "中止计算的事由只能是公告、检测、检验、检疫、鉴定"
			       "（public_notice testing inspection quarantine appraisal）");
	if (!c || !c->open || c->paused)
		return refuse(err, "clock_not_running", "", "办案期限未在计算，不能中止");
	json_t *pz = json_pack("{ss ss}", "from", s->date, "reason", reason);
	json_array_append_new(arr(s->doc, "pauses"), pz);
	fx_clock(s->fx, CLOCK_PAUSE, "decision", s->rq->date, 0, 0, NULL);
	return ZF_OK;
}

static int t_resume(struct step *s, struct zf_error *err)
{
	const struct proc_clock *c = clock_of(s->env, "decision");
	json_t *pz = json_object_get(s->doc, "pauses");
	json_t *last = json_array_get(pz, json_array_size(pz) - 1);
	if (!c || !c->paused || !last || json_object_get(last, "to"))
		return refuse(err, "clock_not_paused", "", "办案期限未中止，不能恢复");
	json_object_set_new(last, "to", json_string(s->date));
	fx_clock(s->fx, CLOCK_RESUME, "decision", s->rq->date, 0, 0, NULL);
	return ZF_OK;
}

/* Art. 60: no decision after the (extended, paused) decision period. */
static int guard_decision_clock(const struct step *s, struct zf_error *err)
{
	const struct proc_clock *c = clock_of(s->env, "decision");
	if (c && c->open && !c->paused && date_cmp(s->rq->date, c->due) > 0) {
		char due[DATE_STR_LEN];
		date_format(c->due, due);
		return refuse(err, "decision_overdue", "date",
			      "办案期限已于 %s 届满，须先经批准延长期限"
			      "（《行政处罚法》第六十条）", due);
	}
	return ZF_OK;
}

static bool reviewed_since(const json_t *doc, const char *since)
{
	json_t *rv = json_object_get(doc, "legal_reviews");
	json_t *last = json_array_get(rv, json_array_size(rv) - 1);
	return last && strcmp(jstr(last, "result"), "pass") == 0 &&
	       (!since || strcmp(jstr(last, "date"), since) >= 0);
}

/* 负责人审批: every precondition of a decision is checked here (Arts. 44,
 * 45, 57, 58, 60, 62, 63, 64), and again when the decision is made. */
static int guard_decision_ready(const struct step *s, enum penalty_kind kind,
				int64_t fen, struct zf_error *err)
{
	const json_t *doc = s->doc;
	json_t *n = json_object_get(doc, "notice");
	json_t *flags = json_object_get(doc, "flags");
	json_t *h = json_object_get(doc, "hearing");
	bool passed;
	int rc;
	if (!n)
		return refuse(err, "not_notified", "",
			      "作出行政处罚决定前，应当告知当事人拟作出的处罚内容及事实、理由、依据和"
			      "陈述、申辩、要求听证的权利（《行政处罚法》第四十四条、第六十二条）");
	if (time_barred(doc, s->env))
		return refuse_time_barred(doc, s->env, err);
	bool waived = jbool(n, "waived");
	clock_due_passed(s->env, "statement", s->rq->date, &passed);
	if (!waived && !passed)
		return refuse(err, "statement_window_open", "date",
			      "陈述申辩期限尚未届满，当事人也未明确放弃，不得作出决定"
			      "（《行政处罚法》第四十四条、第四十五条、第六十二条）");
	if (jbool(n, "hearing_right") && !waived && !jstr(h, "requested_date")) {
		clock_due_passed(s->env, "hearing_request", s->rq->date, &passed);
		if (!passed)
			return refuse(err, "hearing_window_open", "date",
				      "当事人要求听证的期限（告知后五日）尚未届满，不得作出决定"
				      "（《行政处罚法》第六十四条第一项）");
	}
	if (jstr(h, "requested_date") && !jstr(h, "held_date"))
		return refuse(err, "hearing_pending", "",
			      "当事人已要求听证，听证结束前不得作出决定（《行政处罚法》第六十五条）");
	bool heard = jstr(h, "held_date") != NULL;
	if ((jbool(flags, "major") || jbool(flags, "complex") || heard) &&
	    !reviewed_since(doc, heard ? jstr(h, "held_date") : NULL))
		return refuse(err, "legal_review_required", "",
			      "本案%s，作出决定前须经法制审核且审核通过（《行政处罚法》第五十八条）",
			      heard ? "经过听证" : "属于重大或疑难复杂案件");
	if ((jbool(flags, "complex") || jbool(flags, "serious")) &&
	    !json_array_size(json_object_get(doc, "collective")))
		return refuse(err, "collective_required", "",
			      "情节复杂或者重大违法行为给予处罚，须经负责人集体讨论决定"
			      "（《行政处罚法》第五十七条第二款）");
	if (heavier(kind, fen, doc_kind(n), jint(n, "amount_fen", 0)))
		return refuse(err, "heavier_than_notified", "amount",
			      "决定的处罚重于告知的处罚，须重新告知当事人（《行政处罚法》第四十四条、"
			      "第四十五条）");
	if ((rc = guard_decision_clock(s, err)))
		return rc;
	return check_amount(doc, kind, fen, s->rq->date, s->env, err);
}

static int t_approve(struct step *s, struct zf_error *err)
{
	enum penalty_kind kind;
	int64_t fen;
	int rc;
	if ((rc = guard_approver(s->doc, s->rq, s->env, err)) ||
	    (rc = penalty_param(s->p, &kind, &fen, err)) ||
	    (rc = guard_decision_ready(s, kind, fen, err)))
		return rc;
	json_t *a = json_object();
	json_object_set_new(a, "date", json_string(s->date));
	json_object_set_new(a, "approver", json_string(s->rq->approver));
	put_penalty(a, kind, fen);
	json_object_set_new(s->doc, "approval", a);
	/* the party's windows have run their course */
	fx_clock(s->fx, CLOCK_MET, "statement", s->rq->date, 0, 0, NULL);
	fx_clock(s->fx, CLOCK_MET, "hearing_request", s->rq->date, 0, 0, NULL);
	return ZF_OK;
}

static int t_decide(struct step *s, struct zf_error *err)
{
	json_t *a = json_object_get(s->doc, "approval");
	enum penalty_kind kind = doc_kind(a);
	int64_t fen = jint(a, "amount_fen", 0);
	int rc;
	if ((rc = guard_officers(s->rq, s->env, err)) ||
	    (rc = guard_decision_ready(s, kind, fen, err)))
		return rc;
	add_case_officers(s->doc, s->rq);
	json_t *d = json_object();
	json_object_set_new(d, "date", json_string(s->date));
	json_object_set_new(d, "outcome", json_string("penalty"));
	put_penalty(d, kind, fen);
	json_object_set_new(s->doc, "decision", d);
	put_date(s->doc, "decided_date", s->rq->date);
	fx_doc(s->fx, "decision", "decision", NULL);
	fx_clock(s->fx, CLOCK_MET, "decision", s->rq->date, 0, 0, NULL);
	fx_clock(s->fx, CLOCK_OPEN, "service", s->rq->date, CAL_UNIT_WORKING_DAYS,
		 s->env->params->service_working_days,
		 proc_params_basis(s->env->params, "service_working_days"));
	return ZF_OK;
}

static const char *const no_penalty_reasons[] = {"minor", "first_offence", "no_fault",
						 "time_barred", "not_established",
						 "minor_age", NULL};

/* Art. 33, 36, 57(2)-(3): the reason must be one the law gives and must fit. */
static int t_decide_no_penalty(struct step *s, struct zf_error *err)
{
	const char *reason = jstr(s->p, "reason"), *explanation;
	const struct violation *v = violation_find(s->env->cat, jstr(s->doc, "violation"));
	int rc;
	if ((rc = guard_approver(s->doc, s->rq, s->env, err)))
		return rc;
	if (!text_in(reason, no_penalty_reasons))
		return zf_fail(err, ZF_EINVAL, "unknown_code", "reason",
			       "不予处罚的理由只能是 minor first_offence no_fault time_barred "
			       "not_established minor_age");
	if ((rc = need_text_param(s->p, "explanation", 2000, &explanation, err)))
		return rc;
	/* Art. 36: a time-barred case ends in 不予处罚 for that reason only */
	if (strcmp(reason, "time_barred") && time_barred(s->doc, s->env))
		return refuse_time_barred(s->doc, s->env, err);
	if (!strcmp(reason, "time_barred") && !time_barred(s->doc, s->env))
		return refuse(err, "not_time_barred", "reason",
			      "违法行为未超过追责期限，不能以此为由不予处罚（《行政处罚法》第三十六条）");
	if (!strcmp(reason, "first_offence") && !(v && v->first_offence))
		return refuse(err, "first_offence_not_listed", "reason",
			      "该违法行为不在首违不罚清单内（《行政处罚法》第三十三条第一款）");
	if (!strcmp(reason, "minor") && !(v && v->minor_no_penalty))
		return refuse(err, "minor_not_applicable", "reason",
			      "该违法行为不适用轻微不罚（《行政处罚法》第三十三条第一款）");
	json_t *d = json_pack("{ss ss ss ss}", "date", s->date, "outcome", "no_penalty",
			      "reason", reason, "explanation", explanation);
	json_object_set_new(s->doc, "decision", d);
	put_date(s->doc, "decided_date", s->rq->date);
	fx_doc(s->fx, "no_penalty_decision", "decision", NULL);
	fx_cancel_all(s->fx, s->env, s->rq->date, true);
	return ZF_OK;
}

/* 撤销立案, 移送, 终止: the head approves, the clocks stop. */
static int t_branch(struct step *s, const char *doc_kind_code, struct zf_error *err)
{
	const char *reason;
	int rc;
	if ((rc = guard_approver(s->doc, s->rq, s->env, err)) ||
	    (rc = need_text_param(s->p, "reason", 1000, &reason, err)))
		return rc;
	/* Art. 36: a case found time-barred ends only in 不予处罚 */
	if (json_object_get(s->doc, "filing") && time_barred(s->doc, s->env))
		return refuse_time_barred(s->doc, s->env, err);
	json_t *b = json_pack("{ss ss ss}", "date", s->date, "kind", s->rq->transition,
			      "reason", reason);
	if (jstr(s->p, "to"))
		json_object_set_new(b, "to", json_string(jstr(s->p, "to")));
	json_object_set_new(s->doc, "ending", b);
	if (doc_kind_code && json_object_get(s->doc, "filing"))
		fx_doc(s->fx, doc_kind_code, "ending", NULL);
	fx_cancel_all(s->fx, s->env, s->rq->date, true);
	return ZF_OK;
}

static const char *const service_methods[] = {"direct", "left_at_residence", "mail",
					      "electronic", "entrusted", "public_notice", NULL};

/* Art. 61: served within 7 working days when not handed over on the spot;
 * electronic service only with the party's signed consent. */
static int t_serve(struct step *s, struct zf_error *err)
{
	const char *method = jstr(s->p, "method");
	int rc;
	if ((rc = guard_officers(s->rq, s->env, err)))
		return rc;
	if (!text_in(method, service_methods))
		return zf_fail(err, ZF_EINVAL, "unknown_code", "method",
			       "送达方式只能是 direct left_at_residence mail electronic entrusted "
			       "public_notice");
	if (!strcmp(method, "electronic") && !jbool(s->p, "consent"))
		return refuse(err, "electronic_service_without_consent", "method",
			      "电子送达须经当事人同意并签订确认书（《行政处罚法》第六十一条第二款）");
	const struct proc_clock *c = clock_of(s->env, "service");
	add_case_officers(s->doc, s->rq);
	json_t *sv = json_pack("{ss ss sb}", "date", s->date, "method", method, "late",
			       c && date_cmp(s->rq->date, c->due) > 0);
	json_object_set_new(s->doc, "service", sv);
	fx_doc(s->fx, "service_receipt", "service", NULL);
	fx_clock(s->fx, CLOCK_MET, "service", s->rq->date, 0, 0, NULL);
	json_t *d = json_object_get(s->doc, "decision");
	if (doc_kind(d) == PK_FINE) {
		fx_clock(s->fx, CLOCK_OPEN, "payment", s->rq->date, CAL_UNIT_DAYS,
			 s->env->params->payment_days,
			 proc_params_basis(s->env->params, "payment_days"));
	} else {
		/* a warning is carried out by serving it */
		json_object_set_new(s->doc, "execution",
				    json_pack("{ss ss}", "date", s->date, "how", "served"));
	}
	return ZF_OK;
}

/* Art. 51: on the spot only a warning or a small fine. */
static int t_decide_on_spot(struct step *s, struct zf_error *err)
{
	enum penalty_kind kind;
	int64_t fen;
	int rc;
	if ((rc = guard_officers(s->rq, s->env, err)) ||
	    (rc = penalty_param(s->p, &kind, &fen, err)))
		return rc;
	int64_t max = s->env->party_is_org ? s->env->params->simplified_max_org_fen
					   : s->env->params->simplified_max_person_fen;
	if ((kind != PK_WARNING && kind != PK_FINE) || fen > max)
		return refuse(err, "simplified_not_allowed", "amount",
			      "当场处罚只适用于警告或对%s处 %lld 元以下罚款，本案应适用一般程序"
			      "（《行政处罚法》第五十一条）",
			      s->env->party_is_org ? "法人或者其他组织" : "公民",
			      (long long)(max / 100));
	if ((rc = start_case(s, "simplified", err)))
		return rc;
	if (time_barred(s->doc, s->env))
		return refuse_time_barred(s->doc, s->env, err);
	if ((rc = check_amount(s->doc, kind, fen, s->rq->date, s->env, err)))
		return rc;
	json_t *d = json_object();
	json_object_set_new(d, "date", json_string(s->date));
	json_object_set_new(d, "outcome", json_string("penalty"));
	put_penalty(d, kind, fen);
	json_object_set_new(s->doc, "decision", d);
	put_date(s->doc, "decided_date", s->rq->date);
	const char *stock = jstr(s->p, "form_number");
	fx_doc(s->fx, "onsite_decision", "decision", stock);
	fx_clock(s->fx, CLOCK_OPEN, "simplified_filing", s->rq->date,
		 CAL_UNIT_WORKING_DAYS, s->env->params->simplified_filing_working_days,
		 proc_params_basis(s->env->params, "simplified_filing_working_days"));
	return ZF_OK;
}

/* Art. 52: handed over on the spot; a refusal to sign is noted. */
static int t_deliver(struct step *s, struct zf_error *err)
{
	int rc = guard_officers(s->rq, s->env, err);
	if (rc)
		return rc;
	json_t *sv = json_pack("{ss ss sb}", "date", s->date, "method", "on_spot",
			       "party_signed", !jbool(s->p, "refused_to_sign"));
	json_object_set_new(s->doc, "service", sv);
	if (doc_kind(json_object_get(s->doc, "decision")) == PK_FINE)
		fx_clock(s->fx, CLOCK_OPEN, "payment", s->rq->date, CAL_UNIT_DAYS,
			 s->env->params->payment_days,
			 proc_params_basis(s->env->params, "payment_days"));
	else
		json_object_set_new(s->doc, "execution",
				    json_pack("{ss ss}", "date", s->date, "how", "served"));
	return ZF_OK;
}

static int t_record(struct step *s, struct zf_error *err)
{
	const struct proc_clock *c = clock_of(s->env, "simplified_filing");
	(void)err;
	if (jstr(json_object_get(s->doc, "recorded"), "date"))
		return refuse(err, "already_recorded", "", "该当场处罚决定已备案"
			      "（《交通运输行政执法程序规定》第六十一条）");
	json_object_set_new(s->doc, "recorded",
			    json_pack("{ss sb}", "date", s->date, "late",
				      c && date_cmp(s->rq->date, c->due) > 0));
	fx_clock(s->fx, CLOCK_MET, "simplified_filing", s->rq->date, 0, 0, NULL);
	return ZF_OK;
}

/* Days during which a 复议 or lawsuit was pending, up to `on` (Art. 73). */
static int appeal_days(const json_t *doc, struct zf_date on)
{
	int days = 0;
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(doc, "appeals"), i, a) {
		struct zf_date from, to = on;
		if (!jdate(a, "filed_date", &from))
			continue;
		jdate(a, "outcome_date", &to);
		if (date_cmp(to, on) > 0)
			to = on;
		if (date_cmp(to, from) > 0)
			days += (int)(date_to_days(to) - date_to_days(from));
	}
	return days;
}

/* Art. 67, 72: the fine, plus 3% a day from the day after the deadline,
 * capped at the fine, not counting days a 复议 or lawsuit was pending. */
static int t_pay(struct step *s, struct zf_error *err)
{
	json_t *d = json_object_get(s->doc, "decision");
	int64_t fine = jint(d, "amount_fen", 0);
	if (doc_kind(d) != PK_FINE)
		return refuse(err, "nothing_to_pay", "", "本案决定没有罚款");
	const struct proc_clock *c = clock_of(s->env, "payment");
	int64_t surcharge = c ? proc_surcharge_fen(fine, c->due, s->rq->date,
						   appeal_days(s->doc, s->rq->date),
						   s->env->params) : 0;
	int64_t want = fine + surcharge;
	json_t *a = json_object_get(s->p, "amount_fen");
	if (!json_is_integer(a) || json_integer_value(a) != want)
		return refuse(err, "wrong_amount", "amount",
			      "应缴金额为 %lld.%02lld 元（罚款 %lld.%02lld 元，加处罚款 %lld.%02lld 元；"
			      "《行政处罚法》第六十七条、第七十二条）",
			      (long long)(want / 100), (long long)(want % 100),
			      (long long)(fine / 100), (long long)(fine % 100),
			      (long long)(surcharge / 100), (long long)(surcharge % 100));
	json_object_set_new(s->doc, "payment",
			    json_pack("{ss sI sI}", "date", s->date, "amount_fen",
				      (json_int_t)want, "surcharge_fen", (json_int_t)surcharge));
	json_object_set_new(s->doc, "execution",
			    json_pack("{ss ss}", "date", s->date, "how", "paid"));
	fx_clock(s->fx, CLOCK_MET, "payment", s->rq->date, 0, 0, NULL);
	return ZF_OK;
}

/* 行政强制法 Arts. 45, 46, 53, 54: only once the payment deadline has passed. */
static int t_enforce(struct step *s, struct zf_error *err)
{
	const struct proc_clock *c = clock_of(s->env, "payment");
	const char *how = jstr(s->p, "how"), *note;
	int rc;
	if ((rc = guard_officers(s->rq, s->env, err)) ||
	    (rc = need_text_param(s->p, "note", 1000, &note, err)))
		return rc;
	if (!how || (strcmp(how, "court") && strcmp(how, "self")))
		return zf_fail(err, ZF_EINVAL, "unknown_code", "how",
			       "强制执行方式只能是 court（申请法院）或 self（依法自行）");
	if (!c || date_cmp(s->rq->date, c->due) <= 0)
		return refuse(err, "payment_not_overdue", "date",
			      "缴款期限届满前不得强制执行（《行政强制法》第四十五条、第五十三条）");
	json_object_set_new(s->doc, "execution",
			    json_pack("{ss ss ss}", "date", s->date, "how", "enforced",
				      "note", note));
	fx_clock(s->fx, CLOCK_MET, "payment", s->rq->date, 0, 0, NULL);
	return ZF_OK;
}

static int t_appeal(struct step *s, struct zf_error *err)
{
	const char *kind = jstr(s->p, "kind");
	if (!kind || (strcmp(kind, "reconsideration") && strcmp(kind, "lawsuit")))
		return zf_fail(err, ZF_EINVAL, "unknown_code", "kind",
			       "只能是 reconsideration（行政复议）或 lawsuit（行政诉讼）");
	json_t *ap = json_object_get(s->doc, "appeals");
	json_t *last = json_array_get(ap, json_array_size(ap) - 1);
	if (last && !jstr(last, "outcome"))
		return refuse(err, "appeal_pending", "", "已有未结的复议或诉讼（《行政处罚法》第七十三条）");
	json_array_append_new(arr(s->doc, "appeals"),
			      json_pack("{ss ss}", "kind", kind, "filed_date", s->date));
	return ZF_OK;
}

static const char *const outcomes[] = {"upheld", "revoked", "changed",
				       "confirmed_illegal", "dismissed", "withdrawn",
				       "ordered_to_act", NULL};

static int t_appeal_outcome(struct step *s, struct zf_error *err)
{
	const char *outcome = jstr(s->p, "outcome");
	json_t *ap = json_object_get(s->doc, "appeals");
	json_t *last = json_array_get(ap, json_array_size(ap) - 1);
	if (!last || jstr(last, "outcome"))
		return refuse(err, "no_pending_appeal", "", "没有未结的复议或诉讼");
	if (!text_in(outcome, outcomes))
		return zf_fail(err, ZF_EINVAL, "unknown_code", "outcome",
			       "结果只能是 upheld revoked changed confirmed_illegal dismissed "
			       "withdrawn ordered_to_act");
	json_object_set_new(last, "outcome", json_string(outcome));
	json_object_set_new(last, "outcome_date", json_string(s->date));
	json_t *d = json_object_get(s->doc, "decision");
	if (!strcmp(outcome, "changed")) {
		json_t *a = json_object_get(s->p, "amount_fen");
		if (!json_is_integer(a) || json_integer_value(a) < 0 ||
		    json_integer_value(a) > jint(d, "amount_fen", 0))
			return invalid(err, "invalid_number", "amount",
				       "变更后的罚款须为不超过原罚款的金额");
		json_object_set(d, "amount_fen", a);
		json_object_set_new(d, "changed_by", json_string(jstr(last, "kind")));
	}
	if (!strcmp(outcome, "revoked") && !json_object_get(s->doc, "execution"))
		json_object_set_new(s->doc, "execution",
				    json_pack("{ss ss}", "date", s->date, "how", "revoked"));
	return ZF_OK;
}

/* ---- detention (扣押): 行政强制法 Arts. 18-28, 公路安全保护条例 Art. 72 -- */

static const char *detention_status(const json_t *doc)
{
	return jstr(json_object_get(doc, "detention"), "status");
}

/* The vehicle or items are still held: detained, or noticed and waiting. */
static bool detention_in_force(const json_t *doc)
{
	const char *st = detention_status(doc);
	return st && (!strcmp(st, "detained") || !strcmp(st, "noticed"));
}

/* The detention is in one of the states of `want` (space-separated). */
static int need_detention(const struct step *s, const char *want, struct zf_error *err)
{
	const char *st = detention_status(s->doc);
	const char *label = proc_label(s->rq->transition);
	if (!st)
		return refuse(err, "no_detention", "transition",
			      "本案没有扣押车辆、工具，不能%s", label);
	if (in_list(want, st))
		return ZF_OK;
	if (!strcmp(st, "noticed"))
		return refuse(err, "detention_already_noticed", "transition",
			      "扣押的车辆、工具已经公告，只能解除扣押或在公告期满后依法处理，不能%s"
			      "（《公路安全保护条例》第七十二条）", label);
	if (!strcmp(st, "detained")) /* only disposal asks for more than detained */
		return refuse(err, "disposal_without_notice", "transition",
			      "扣押的车辆、工具须经公告三个月当事人仍不来接受处理，方可依法处理"
			      "（《公路安全保护条例》第七十二条）");
	return refuse(err, "detention_not_in_force", "transition",
		      "扣押已%s，不能%s（《行政强制法》第二十八条）",
		      !strcmp(st, "released") ? "解除" : "依法处理", label);
}

/* Art. 19: a detention carried out on the spot in an emergency goes no
 * further (extension, notice) until the head has approved it. */
static int guard_detention_approved(const struct step *s, struct zf_error *err)
{
	json_t *d = json_object_get(s->doc, "detention");
	if (jbool(d, "emergency") && !jstr(d, "approved_date"))
		return refuse(err, "detention_not_approved", "transition",
			      "情况紧急当场实施的扣押尚未补办负责人批准手续，不能%s（《行政强制法》第十九条）",
			      proc_label(s->rq->transition));
	return ZF_OK;
}

/* Arts. 25, 28(1)(4): once the period has run the detention must end; it
 * can no longer be extended or turned into a notice. */
static int guard_detention_running(const struct step *s, struct zf_error *err)
{
	const struct proc_clock *c = clock_of(s->env, "detention");
	if (c && c->open && date_cmp(s->rq->date, c->due) > 0) {
		char due[DATE_STR_LEN];
		date_format(c->due, due);
		return refuse(err, "detention_expired", "date",
			      "扣押期限已于 %s 届满，应当及时解除扣押（《行政强制法》第二十五条、"
			      "第二十八条第一款第四项）", due);
	}
	return ZF_OK;
}

/*
 * Art. 19's 24 hours, at the resolution of a date: the day after the
 * detention (hours are not 日, so neither Art. 69's working days nor the
 * move off a rest day applies).
 */
static struct zf_date detention_approval_due(struct zf_date detained,
					     const struct proc_params *p)
{
	return date_add_days(detained, (p->detention_approval_hours + 23) / 24);
}

/* The 3-month notice as calendar days from `from` (民法典 Arts. 201, 202). */
static int notice_days(struct zf_date from, const struct proc_params *p)
{
	return (int)(date_to_days(date_add_months(from, p->disposal_notice_months)) -
		     date_to_days(from));
}

#define DETENTION_APPROVAL_BASIS "《行政强制法》第十八条第一项"

/*
 * 扣押 (Arts. 18, 24, 25): approved by the head beforehand, or in an
 * emergency afterwards within 24 hours (Art. 19); two officers; the
 * decision and the list of what is held (Art. 24; the receipt of 公路安全保护
 * 条例 Art. 72); at most 30 days.
 */
static int t_detain(struct step *s, struct zf_error *err)
{
	const struct proc_params *pp = s->env->params;
	const char *reason, *items, *place;
	bool emergency = jbool(s->p, "emergency") && !s->rq->approver;
	int rc;
	if (json_object_get(s->doc, "detention")) {
		const char *when = jstr(json_object_get(s->doc, "detention"), "date");
		return refuse(err, "detention_exists", "transition",
			      "本案已于 %s 扣押，一案只记录一次扣押，不能再次扣押",
			      when ? when : "");
	}
	if ((rc = guard_officers_basis(s->rq, s->env, DETENTION_OFFICERS_BASIS, err)) ||
	    (!emergency && (rc = check_head(NULL, s->rq, s->env, DETENTION_APPROVAL_BASIS,
					    DETENTION_APPROVAL_BASIS, err))) ||
	    (rc = need_text_param(s->p, "reason", 1000, &reason, err)) ||
	    (rc = need_text_param(s->p, "text", 2000, &items, err)) ||
	    (rc = need_text_param(s->p, "to", 100, &place, err)))
		return rc;
	add_case_officers(s->doc, s->rq);
	json_t *d = json_pack("{ss ss ss ss ss sb}", "status", "detained", "date", s->date,
			      "reason", reason, "items", items, "place", place,
			      "emergency", emergency);
	json_t *who = json_array();
	for (size_t i = 0; i < s->rq->nofficers; i++)
		json_array_append_new(who, json_string(s->rq->officers[i]));
	json_object_set_new(d, "officers", who);
	if (jstr(s->doc, "vehicle_id"))
		json_object_set_new(d, "vehicle_id", json_string(jstr(s->doc, "vehicle_id")));
	if (!emergency) {
		json_object_set_new(d, "approver", json_string(s->rq->approver));
		json_object_set_new(d, "approved_date", json_string(s->date));
	}
	json_object_set_new(s->doc, "detention", d);
	fx_doc(s->fx, "detention_decision", "detention", NULL);
	fx_doc(s->fx, "detention_list", "detention_list", NULL);
	fx_clock(s->fx, CLOCK_OPEN, "detention", s->rq->date, CAL_UNIT_DAYS,
		 pp->detention_max_days, proc_params_basis(pp, "detention_max_days"));
	/* the calendar has no unit that never moves: start on the last day and
	 * count 0 working days, which is that day itself */
	if (emergency)
		fx_clock(s->fx, CLOCK_OPEN, "detention_approval",
			 detention_approval_due(s->rq->date, pp), CAL_UNIT_WORKING_DAYS, 0,
			 proc_params_basis(pp, "detention_approval_hours"));
	return ZF_OK;
}

/* Art. 19: the emergency detention approved by the head within 24 hours. */
static int t_approve_detention(struct step *s, struct zf_error *err)
{
	json_t *d = json_object_get(s->doc, "detention");
	struct zf_date detained, due;
	int rc;
	if (!d)
		return refuse(err, "no_detention", "transition",
			      "本案没有扣押车辆、工具，不能%s", proc_label(s->rq->transition));
	if (!jbool(d, "emergency") || jstr(d, "approved_date"))
		return refuse(err, "detention_approval_not_pending", "transition",
			      "该扣押已经负责人批准，或不是情况紧急当场实施的扣押，无须补办批准手续"
			      "（《行政强制法》第十八条第一项、第十九条）");
	if ((rc = check_head(NULL, s->rq, s->env, "《行政强制法》第十九条",
			     "《行政强制法》第十九条", err)))
		return rc;
	if (!jdate(d, "date", &detained))
		ZF_BUG("detention without a date");
	due = detention_approval_due(detained, s->env->params);
	if (date_cmp(s->rq->date, due) > 0) {
		char dd[DATE_STR_LEN];
		date_format(due, dd);
		return refuse(err, "detention_approval_late", "date",
			      "情况紧急当场实施的扣押，应当在 %d 小时内向负责人报告并补办批准手续，"
			      "已于 %s 届满；应当解除扣押（《行政强制法》第十九条）",
			      s->env->params->detention_approval_hours, dd);
	}
	json_object_set_new(d, "approver", json_string(s->rq->approver));
	json_object_set_new(d, "approved_date", json_string(s->date));
	fx_clock(s->fx, CLOCK_MET, "detention_approval", s->rq->date, 0, 0, NULL);
	return ZF_OK;
}

/* Art. 25: once, by at most 30 days, with the head's approval, the party
 * told in writing with the reason; only while the period runs. */
static int t_extend_detention(struct step *s, struct zf_error *err)
{
	const struct proc_params *pp = s->env->params;
	json_t *d = json_object_get(s->doc, "detention");
	int64_t days = jint(s->p, "days", 0);
	const char *reason;
	struct zf_date detained;
	int rc;
	if ((rc = need_detention(s, "detained", err)) ||
	    (rc = guard_detention_approved(s, err)) ||
	    (rc = check_head(NULL, s->rq, s->env, "《行政强制法》第二十五条第一款",
			     "《行政强制法》第二十五条第一款", err)) ||
	    (rc = need_text_param(s->p, "reason", 1000, &reason, err)))
		return rc;
	if (days < 1 || days > 365)
		return invalid(err, "invalid_number", "days", "延长天数应在 1 到 365 之间");
	if (json_object_get(d, "extension"))
		return refuse(err, "detention_already_extended", "transition",
			      "扣押期限已于 %s 延长过一次，不得再次延长（《行政强制法》第二十五条第一款）",
			      jstr(json_object_get(d, "extension"), "date"));
	if (days > pp->detention_extension_max_days)
		return refuse(err, "detention_extension_too_long", "days",
			      "扣押期限经负责人批准最多延长 %d 日（%s）",
			      pp->detention_extension_max_days,
			      proc_params_basis(pp, "detention_extension_max_days"));
	if ((rc = guard_detention_running(s, err)))
		return rc;
	if (!jdate(d, "date", &detained))
		ZF_BUG("detention without a date");
	json_object_set_new(d, "extension",
			    json_pack("{ss sI ss ss}", "date", s->date, "days", (json_int_t)days,
				      "approver", s->rq->approver, "reason", reason));
	fx_doc(s->fx, "detention_extension", "detention_extension", NULL);
	/*
	 * The clock is opened again over the whole period rather than
	 * extended: the store writes an extension's new due date into the
	 * case's "extensions", which are the decision period's (store_case.c
	 * move_clocks).
	 */
	fx_clock(s->fx, CLOCK_OPEN, "detention", detained, CAL_UNIT_DAYS,
		 pp->detention_max_days + (int)days,
		 proc_params_basis(pp, "detention_extension_max_days"));
	return ZF_OK;
}

/* Art. 28: released, and what was held given back; late if the period had
 * already run (Art. 62(3)).  A head named here (e.g. one who did not approve
 * an emergency detention, Art. 19) is checked and recorded. */
static int t_release_detention(struct step *s, struct zf_error *err)
{
	json_t *d = json_object_get(s->doc, "detention");
	const char *reason;
	int rc;
	if ((rc = need_detention(s, "detained noticed", err)) ||
	    (rc = need_text_param(s->p, "reason", 1000, &reason, err)) ||
	    (s->rq->approver && (rc = check_head(NULL, s->rq, s->env,
						  "《行政强制法》第十九条、第二十八条",
						  "《行政强制法》第十九条、第二十八条", err))))
		return rc;
	const struct proc_clock *c = clock_of(s->env, "detention");
	bool noticed = !strcmp(jstr(d, "status"), "noticed");
	json_t *r = json_pack("{ss ss sb}", "date", s->date, "reason", reason, "late",
			      !noticed && c && c->open && date_cmp(s->rq->date, c->due) > 0);
	if (s->rq->approver)
		json_object_set_new(r, "approver", json_string(s->rq->approver));
	json_object_set_new(d, "release", r);
	json_object_set_new(d, "status", json_string("released"));
	fx_doc(s->fx, "detention_release", "detention_release", NULL);
	fx_clock(s->fx, CLOCK_MET, "detention", s->rq->date, 0, 0, NULL);
	if (noticed)
		fx_clock(s->fx, CLOCK_CANCEL, "disposal_notice", s->rq->date, 0, 0, NULL);
	if (s->rq->approver && jbool(d, "emergency") && !jstr(d, "approved_date"))
		fx_clock(s->fx, CLOCK_MET, "detention_approval", s->rq->date, 0, 0, NULL);
	return ZF_OK;
}

/*
 * 公路安全保护条例 Art. 72: the party did not come within the time set, so
 * the detained vehicle or tools are publicly noticed for 3 months.  That
 * regulation is the "另有规定" of 行政强制法 Art. 25, so the notice, given
 * while the detention period runs, meets it.
 */
static int t_notice_detention(struct step *s, struct zf_error *err)
{
	const struct proc_params *pp = s->env->params;
	json_t *d = json_object_get(s->doc, "detention");
	const char *text;
	int rc;
	if ((rc = need_detention(s, "detained", err)) ||
	    (rc = guard_detention_approved(s, err)) ||
	    (rc = guard_detention_running(s, err)) ||
	    (rc = need_text_param(s->p, "text", 2000, &text, err)))
		return rc;
	json_object_set_new(d, "notice", json_pack("{ss ss}", "date", s->date, "text", text));
	json_object_set_new(d, "status", json_string("noticed"));
	fx_doc(s->fx, "detention_notice", "detention_notice", NULL);
	fx_clock(s->fx, CLOCK_MET, "detention", s->rq->date, 0, 0, NULL);
	fx_clock(s->fx, CLOCK_OPEN, "disposal_notice", s->rq->date, CAL_UNIT_DAYS,
		 notice_days(s->rq->date, pp), proc_params_basis(pp, "disposal_notice_months"));
	return ZF_OK;
}

/* 公路安全保护条例 Art. 72: disposed of according to law only once the
 * 3-month notice has run without the party coming. */
static int t_dispose_detention(struct step *s, struct zf_error *err)
{
	json_t *d = json_object_get(s->doc, "detention");
	const struct proc_clock *c = clock_of(s->env, "disposal_notice");
	const char *note;
	int rc;
	if ((rc = need_detention(s, "noticed", err)))
		return rc;
	if (!c || date_cmp(s->rq->date, c->due) <= 0) {
		char due[DATE_STR_LEN] = "";
		if (c)
			date_format(c->due, due);
		return refuse(err, "disposal_notice_running", "date",
			      "公告期至 %s 届满，期满当事人仍不来接受处理的，方可依法处理扣押的车辆、工具"
			      "（《公路安全保护条例》第七十二条）", due);
	}
	if ((rc = need_text_param(s->p, "note", 2000, &note, err)) ||
	    (s->rq->approver && (rc = check_head(NULL, s->rq, s->env,
						  "《公路安全保护条例》第七十二条",
						  "《公路安全保护条例》第七十二条", err))))
		return rc;
	json_t *x = json_pack("{ss ss}", "date", s->date, "note", note);
	if (s->rq->approver)
		json_object_set_new(x, "approver", json_string(s->rq->approver));
	json_object_set_new(d, "disposal", x);
	json_object_set_new(d, "status", json_string("disposed"));
	fx_doc(s->fx, "detention_disposal", "detention_disposal", NULL);
	fx_clock(s->fx, CLOCK_MET, "disposal_notice", s->rq->date, 0, 0, NULL);
	return ZF_OK;
}

/* Guard 9: a case closes only once carried out, or ended by a branch. */
static int t_close(struct step *s, struct zf_error *err)
{
	const char *summary;
	int rc;
	if ((rc = guard_approver(s->doc, s->rq, s->env, err)) ||
	    (rc = need_text_param(s->p, "summary", 2000, &summary, err)))
		return rc;
	if (!strcmp(jstr(s->doc, "procedure"), "simplified") &&
	    !json_object_get(s->doc, "recorded"))
		return refuse(err, "not_recorded", "",
			      "当场处罚决定尚未报所属部门备案，不能结案（《交通运输行政执法程序规定》第六十一条）");
	json_t *ap = json_object_get(s->doc, "appeals");
	json_t *last = json_array_get(ap, json_array_size(ap) - 1);
	if (last && !jstr(last, "outcome"))
		return refuse(err, "appeal_pending", "", "复议或诉讼未结，不能结案（《行政处罚法》第七十三条）");
	if (detention_in_force(s->doc))
		return refuse(err, "detention_in_force", "transition",
			      "扣押的车辆、工具尚未解除扣押或者依法处理，不能结案"
			      "（《行政强制法》第二十七条、第二十八条）");
	json_object_set_new(s->doc, "closing",
			    json_pack("{ss ss ss}", "date", s->date, "approver",
				      s->rq->approver, "summary", summary));
	put_date(s->doc, "closed_date", s->rq->date);
	fx_doc(s->fx, "closing_report", "closing", NULL);
	fx_cancel_all(s->fx, s->env, s->rq->date, false);
	/* 62号令 Art. 44: an over-limit case found by weighing is reported to
	 * the vehicle's home authority within 7 working days of closing */
	if (json_object_get(s->doc, "weighing"))
		fx_clock(s->fx, CLOCK_OPEN, "overload_report", s->rq->date,
			 CAL_UNIT_WORKING_DAYS, s->env->params->overload_report_working_days,
			 proc_params_basis(s->env->params, "overload_report_working_days"));
	return ZF_OK;
}

/* 抄告: the case information sent to the authority where the vehicle is
 * registered (62号令 Art. 44), which meets the report clock. */
static int t_report_overload(struct step *s, struct zf_error *err)
{
	const char *authority, *channel = jstr(s->p, "channel");
	int rc;
	if (!json_object_get(s->doc, "weighing"))
		return refuse(err, "not_overload_case", "transition",
			      "本案不是由称重查处的超限案件，无需抄告车籍地（超限运输车辆行驶公路管理规定第四十四条）");
	if (json_object_get(s->doc, "overload_report"))
		return refuse(err, "already_reported", "transition", "本案已抄告车籍地");
	if ((rc = need_text_param(s->p, "authority", 100, &authority, err)) ||
	    (channel && (rc = text_check(channel, "channel", 100, false, err))))
		return rc;
	json_t *r = json_pack("{ss ss}", "date", s->date, "authority", authority);
	if (channel)
		json_object_set_new(r, "channel", json_string(channel));
	json_object_set_new(s->doc, "overload_report", r);
	fx_clock(s->fx, CLOCK_MET, "overload_report", s->rq->date, 0, 0, NULL);
	return ZF_OK;
}

static int t_archive(struct step *s, struct zf_error *err)
{
	if (json_object_get(s->doc, "weighing") && !json_object_get(s->doc, "overload_report"))
		return refuse(err, "overload_report_pending", "transition",
			      "超限案件尚未抄告车籍地道路运输管理机构，不能归档（超限运输车辆行驶公路管理规定第四十四条）");
	put_date(s->doc, "archived_date", s->rq->date);
	return ZF_OK;
}

static int t_note(struct step *s, struct zf_error *err)
{
	const char *text;
	int rc = need_text_param(s->p, "text", 2000, &text, err);
	if (rc)
		return rc;
	json_array_append_new(arr(s->doc, "notes"),
			      json_pack("{ss ss}", "date", s->date, "text", text));
	return ZF_OK;
}

/* ---- dispatch --------------------------------------------------------- */

static const char *next_state(const struct step *s, const char *from)
{
	const char *t = s->rq->transition;
	static const struct {
		const char *t, *to;
	} fixed[] = {
		{"register", "clue"}, {"file", "filed"}, {"notify", "notified"},
		{"request_hearing", "hearing_requested"},
		{"schedule_hearing", "hearing_scheduled"}, {"hold_hearing", "heard"},
		{"approve", "approved"}, {"decide", "decided"},
		{"decide_no_penalty", "no_penalty"}, {"revoke", "revoked"},
		{"transfer", "transferred"}, {"terminate", "terminated"},
		{"decide_on_spot", "onsite_decided"}, {"pay", "executed"},
		{"enforce", "executed"}, {"close", "closed"}, {"archive", "archived"},
	};
	for (size_t i = 0; i < ZF_ARRAY_LEN(fixed); i++)
		if (!strcmp(fixed[i].t, t))
			return fixed[i].to;
	bool executed = json_object_get(s->doc, "execution") != NULL;
	if (!strcmp(t, "serve"))
		return executed ? "executed" : "served";
	if (!strcmp(t, "deliver"))
		return executed ? "executed" : "delivered";
	if (!strcmp(t, "record"))
		return !strcmp(from, "delivered") ? "recorded" : from;
	if (!strcmp(t, "appeal_outcome") && executed &&
	    (!strcmp(from, "decided") || !strcmp(from, "served") ||
	     !strcmp(from, "delivered") || !strcmp(from, "recorded")))
		return "executed";
	return from;
}

static int run(struct step *s, struct zf_error *err)
{
	const char *t = s->rq->transition;
	static const struct {
		const char *t;
		int (*fn)(struct step *, struct zf_error *);
	} table[] = {
		{"register", t_register}, {"file", t_file}, {"evidence", t_evidence},
		{"legal_review", t_legal_review}, {"notify", t_notify},
		{"statement", t_statement}, {"waive", t_waive},
		{"request_hearing", t_request_hearing},
		{"schedule_hearing", t_schedule_hearing}, {"hold_hearing", t_hold_hearing},
		{"collective", t_collective}, {"extend", t_extend}, {"pause", t_pause},
		{"resume", t_resume}, {"approve", t_approve}, {"decide", t_decide},
		{"decide_no_penalty", t_decide_no_penalty}, {"serve", t_serve},
		{"decide_on_spot", t_decide_on_spot}, {"deliver", t_deliver},
		{"record", t_record}, {"pay", t_pay}, {"enforce", t_enforce},
		{"appeal", t_appeal}, {"appeal_outcome", t_appeal_outcome},
		{"close", t_close}, {"report_overload", t_report_overload},
		{"archive", t_archive}, {"note", t_note}, {"detain", t_detain},
		{"approve_detention", t_approve_detention},
		{"extend_detention", t_extend_detention},
		{"release_detention", t_release_detention},
		{"notice_detention", t_notice_detention},
		{"dispose_detention", t_dispose_detention},
	};
	if (!strcmp(t, "revoke"))
		return t_branch(s, "revocation_decision", err);
	if (!strcmp(t, "transfer")) {
		const char *to;
		int rc = need_text_param(s->p, "to", 100, &to, err);
		return rc ? rc : t_branch(s, "transfer_letter", err);
	}
	if (!strcmp(t, "terminate"))
		return t_branch(s, NULL, err);
	for (size_t i = 0; i < ZF_ARRAY_LEN(table); i++)
		if (!strcmp(table[i].t, t))
			return table[i].fn(s, err);
	ZF_BUG("transition %s has no function", t);
}

int proc_apply(const json_t *doc, const struct proc_request *rq,
	       const struct proc_env *env, json_t **out, struct proc_effects *fx,
	       struct zf_error *err)
{
	const struct transition *t = find_transition(rq->transition);
	struct step s = {0};
	int rc;
	memset(fx, 0, sizeof(*fx));
	*out = NULL;
	if (!t)
		return zf_fail(err, ZF_EINVAL, "unknown_code", "transition",
			       "未知的程序环节“%s”", rq->transition ? rq->transition : "");
	bool creates = !*t->from;
	if (creates != (doc == NULL))
		return refuse(err, creates ? "case_exists" : "case_required", "transition",
			      creates ? "“%s”只能用于新建案件" : "“%s”须针对已有案件", t->label);
	if (!date_is_valid(rq->date.y, rq->date.m, rq->date.d))
		return invalid(err, "invalid_date", "date", "环节日期无效");
	if (date_cmp(rq->date, env->today) > 0)
		return invalid(err, "date_in_future", "date", "环节日期不能晚于今天");
	const char *state = doc ? jstr(doc, "state") : "";
	if (doc) {
		const char *proc = jstr(doc, "procedure");
		struct zf_date last;
		if (strcmp(t->procedure, "both") && strcmp(t->procedure, proc))
			return refuse(err, "wrong_procedure", "transition",
				      "“%s”不属于%s", t->label,
				      !strcmp(proc, "simplified") ? "简易程序" : "一般程序");
		if (!strcmp(state, "archived") && strcmp(t->code, "note"))
			return refuse(err, "case_archived", "transition",
				      "案件已归档，不得更改，只能追加备注（《行政处罚法》第四十七条）");
		if (strcmp(t->from, "*") && !in_list(t->from, state))
			return refuse(err, "transition_not_allowed", "transition",
				      "案件处于“%s”，不能进行“%s”", proc_label(state), t->label);
		if (jdate(doc, "last_date", &last) && date_cmp(rq->date, last) < 0) {
			char l[DATE_STR_LEN];
			date_format(last, l);
			return refuse(err, "date_before_previous_step", "date",
				      "环节日期早于上一环节的日期 %s，不得倒签（《行政处罚法》第四十七条）",
				      l);
		}
	}
	s.doc = doc ? json_deep_copy(doc) : json_object();
	if (!s.doc)
		return zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
	s.rq = rq;
	s.env = env;
	s.fx = fx;
	s.p = rq->params ? rq->params : json_object();
	date_format(rq->date, s.date);
	rc = run(&s, err);
	if (!rq->params)
		json_decref((json_t *)s.p);
	if (rc) {
		json_decref(s.doc);
		memset(fx, 0, sizeof(*fx));
		return rc;
	}
	json_object_set_new(s.doc, "state", json_string(next_state(&s, state)));
	if (strcmp(t->code, "note"))
		json_object_set_new(s.doc, "last_date", json_string(s.date));
	*out = s.doc;
	return ZF_OK;
}
