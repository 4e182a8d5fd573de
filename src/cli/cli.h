/*
 * cli: the zhifa command.  A table of subcommands (commands.c), each a
 * function that parses its options, calls the store or the domain, and
 * prints the same JSON document the API returns (--json) or a plain text
 * rendering of it.  Errors go to stderr as {"error":{code,message,field}}.
 * Exit codes: 0 done, 1 refused or invalid, 2 usage error.
 */
#ifndef ZF_CLI_H
#define ZF_CLI_H

#include <jansson.h>

#include "ctx.h"
#include "store.h"
#include "zf.h"

#define CLI_MAX_OPTS 40
/* A command's result already said why it failed: exit 1, print no error. */
#define CLI_QUIET_FAIL 100

struct cli_opt {
	const char *name;	/* without the leading -- */
	const char *value;	/* NULL for a flag that is set */
	bool set;
};

struct cli {
	/* global options */
	const char *db_path;
	bool db_explicit;	/* --db or ZHIFA_DB was given */
	const char *org_key;
	bool json;
	struct zf_ctx ctx;
	struct store *st;	/* opened by cli_open_store() */
	/* this command's options and positional arguments */
	struct cli_opt opts[CLI_MAX_OPTS];
	size_t nopts;
	const char *args[8];
	size_t nargs;
};

struct cli_command {
	const char *name;
	const char *sub;	/* NULL when the command has no subcommands */
	int (*fn)(struct cli *c, struct zf_error *err);
	/* options this command takes: "name=" takes a value, "name" is a flag */
	const char *const *options;
	size_t min_args, max_args;
	const char *usage;
	const char *summary;
};

extern const struct cli_command cli_commands[];

/* Option value, or NULL if not given. */
const char *cli_opt(const struct cli *c, const char *name);
bool cli_flag(const struct cli *c, const char *name);
/* A required option: usage error naming it when absent. */
int cli_need(const struct cli *c, const char *name, const char **out,
	     struct zf_error *err) ZF_WUR;
/* Optional strict integer option. */
int cli_opt_int(const struct cli *c, const char *name, int64_t min, int64_t max,
		int64_t *out, bool *given, struct zf_error *err) ZF_WUR;
int cli_opt_date(const struct cli *c, const char *name, struct zf_date *out,
		 bool *given, struct zf_error *err) ZF_WUR;

/* Open the store (must exist unless create); choose the organisation
 * unless need_org is false. */
int cli_open_store(struct cli *c, bool create, bool need_org,
		   struct zf_error *err) ZF_WUR;

struct buf;
/* Read a whole file of at most max bytes into b (initialised here; the
 * caller releases it).  Errors name `field`: file_not_found, file_too_big. */
int cli_read_file(const char *path, size_t max, struct buf *b, const char *field,
		  struct zf_error *err) ZF_WUR;

/* Print doc (stolen) as JSON with --json, else as text. */
int cli_print(struct cli *c, json_t *doc, const char *const *columns);
/* Split "a,b,c" into up to max pointers into *copy (the caller frees it);
 * returns how many. */
size_t cli_split_list(const char *s, char **copy, const char **out, size_t max);

#define CLI_CHUNK (1u << 20)	/* bytes read per call; > WIM_LINE_MAX + 2 */
struct cli_bar;
typedef int cli_chunk_fn(void *arg, const char *buf, size_t len, bool eof, size_t *used,
			 struct zf_error *err);
/* Feed fd (named path in errors) to fn in CLI_CHUNK pieces of whole lines
 * (fn sets *used to what it consumed); bar (may be NULL) shows progress. */
int cli_feed_fd(int fd, const char *path, cli_chunk_fn *fn, void *arg, struct cli_bar *bar,
		struct zf_error *err);
void cli_print_error(const struct zf_error *err);

/* Subcommand functions. */
int cmd_init(struct cli *c, struct zf_error *err);
int cmd_org_add(struct cli *c, struct zf_error *err);
int cmd_org_list(struct cli *c, struct zf_error *err);
int cmd_org_show(struct cli *c, struct zf_error *err);
int cmd_org_set(struct cli *c, struct zf_error *err);
int cmd_officer_add(struct cli *c, struct zf_error *err);
int cmd_officer_list(struct cli *c, struct zf_error *err);
int cmd_officer_show(struct cli *c, struct zf_error *err);
int cmd_officer_update(struct cli *c, struct zf_error *err);
int cmd_party_add(struct cli *c, struct zf_error *err);
int cmd_party_list(struct cli *c, struct zf_error *err);
int cmd_party_show(struct cli *c, struct zf_error *err);
int cmd_party_erase(struct cli *c, struct zf_error *err);
int cmd_vehicle_add(struct cli *c, struct zf_error *err);
int cmd_vehicle_list(struct cli *c, struct zf_error *err);
int cmd_device_add(struct cli *c, struct zf_error *err);
int cmd_device_list(struct cli *c, struct zf_error *err);
int cmd_id_check(struct cli *c, struct zf_error *err);
int cmd_calendar_add(struct cli *c, struct zf_error *err);
int cmd_calendar_load(struct cli *c, struct zf_error *err);
int cmd_calendar_list(struct cli *c, struct zf_error *err);
int cmd_calendar_load_builtin(struct cli *c, struct zf_error *err);
int cmd_deadline_recompute(struct cli *c, struct zf_error *err);
int cmd_deadline_add(struct cli *c, struct zf_error *err);
int cmd_deadline_list(struct cli *c, struct zf_error *err);
int cmd_ledger_verify(struct cli *c, struct zf_error *err);
int cmd_ledger_list(struct cli *c, struct zf_error *err);
int cmd_demo(struct cli *c, struct zf_error *err);
int cmd_serve(struct cli *c, struct zf_error *err);
int cmd_openapi(struct cli *c, struct zf_error *err);
int cmd_overload_check(struct cli *c, struct zf_error *err);
int cmd_weigh_record(struct cli *c, struct zf_error *err);
int cmd_weigh_show(struct cli *c, struct zf_error *err);
int cmd_weigh_list(struct cli *c, struct zf_error *err);
int cmd_weigh_review(struct cli *c, struct zf_error *err);
int cmd_weigh_unload(struct cli *c, struct zf_error *err);
int cmd_weigh_case(struct cli *c, struct zf_error *err);
int cmd_weigh_dismiss(struct cli *c, struct zf_error *err);
int cmd_weigh_link(struct cli *c, struct zf_error *err);
int cmd_weigh_import(struct cli *c, struct zf_error *err);
int cmd_weigh_imports(struct cli *c, struct zf_error *err);
int cmd_scale_calibrate(struct cli *c, struct zf_error *err);
int cmd_scale_list(struct cli *c, struct zf_error *err);
int cmd_overload_stats(struct cli *c, struct zf_error *err);
int cmd_weigh_check(struct cli *c, struct zf_error *err);
int cmd_case_file(struct cli *c, struct zf_error *err);
int cmd_case_onspot(struct cli *c, struct zf_error *err);
int cmd_case_advance(struct cli *c, struct zf_error *err);
int cmd_case_extend(struct cli *c, struct zf_error *err);
int cmd_case_note(struct cli *c, struct zf_error *err);
int cmd_case_show(struct cli *c, struct zf_error *err);
int cmd_case_list(struct cli *c, struct zf_error *err);
int cmd_clock_list(struct cli *c, struct zf_error *err);
int cmd_document_void(struct cli *c, struct zf_error *err);
int cmd_stock_add(struct cli *c, struct zf_error *err);
int cmd_violation_list(struct cli *c, struct zf_error *err);
int cmd_violation_show(struct cli *c, struct zf_error *err);
int cmd_violation_import(struct cli *c, struct zf_error *err);
int cmd_discretion_propose(struct cli *c, struct zf_error *err);
int cmd_ledger_keygen(struct cli *c, struct zf_error *err);
int cmd_user_add(struct cli *c, struct zf_error *err);
int cmd_user_list(struct cli *c, struct zf_error *err);
int cmd_user_passwd(struct cli *c, struct zf_error *err);
int cmd_user_roles(struct cli *c, struct zf_error *err);
int cmd_user_unlock(struct cli *c, struct zf_error *err);
int cmd_user_disable(struct cli *c, struct zf_error *err);
int cmd_user_totp(struct cli *c, struct zf_error *err);
int cmd_ledger_checkpoint(struct cli *c, struct zf_error *err);
int cmd_ledger_prove(struct cli *c, struct zf_error *err);
int cmd_ledger_consistency(struct cli *c, struct zf_error *err);
int cmd_ledger_show(struct cli *c, struct zf_error *err);
int cmd_ledger_pubkey(struct cli *c, struct zf_error *err);
int cmd_ledger_head(struct cli *c, struct zf_error *err);
int cmd_ledger_check_proof(struct cli *c, struct zf_error *err);
int cmd_evidence_add(struct cli *c, struct zf_error *err);
int cmd_evidence_import(struct cli *c, struct zf_error *err);
int cmd_evidence_list(struct cli *c, struct zf_error *err);
int cmd_evidence_show(struct cli *c, struct zf_error *err);
int cmd_evidence_get(struct cli *c, struct zf_error *err);
int cmd_evidence_attach(struct cli *c, struct zf_error *err);
int cmd_evidence_redact(struct cli *c, struct zf_error *err);
int cmd_evidence_hold(struct cli *c, struct zf_error *err);
int cmd_evidence_delete(struct cli *c, struct zf_error *err);
int cmd_evidence_verify(struct cli *c, struct zf_error *err);
int cmd_evidence_export(struct cli *c, struct zf_error *err);
/* Sign a checkpoint with the organisation's key file (--key or setting). */
int cli_ledger_checkpoint(struct cli *c, json_t **out, struct zf_error *err);
/* The organisation's catalogue (built-in plus imports) when a database is
 * named, else the built-in one. */
int cli_violation_catalogue(struct cli *c, struct violation_catalogue *out,
			    struct zf_error *err);

#endif
