/*
 * cli_evidence.h: what cmd_evidence.c and cmd_evidence_export.c share.
 * Only the evidence commands include it.
 */
#ifndef ZF_CLI_EVIDENCE_H
#define ZF_CLI_EVIDENCE_H

#include "cli.h"
#include "evidence.h"

/* The subcommands (also declared in cli.h once the table lists them). */
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

/* The organisation's hash algorithm. */
int cli_evidence_alg(struct cli *c, enum ledger_alg *alg, struct zf_error *err) ZF_WUR;
/* The organisation's blob directory (opened, created if missing). */
int cli_evidence_blobs(struct cli *c, struct evidence_blobs **b,
		       struct zf_error *err) ZF_WUR;

/* A progress bar on stderr, drawn only when stderr is a terminal. */
struct cli_bar {
	bool on;
	uint64_t total;		/* bytes of everything */
	uint64_t base;		/* bytes of the files finished */
	size_t index, count;
	const char *name;
	int last;		/* permille last drawn */
	int64_t start_us;
};

void cli_bar_init(struct cli_bar *b, uint64_t total, size_t count);
/* Redraw with in_file bytes done of the current file. */
void cli_bar_draw(struct cli_bar *b, uint64_t in_file);
/* An evidence_progress_fn over a struct cli_bar. */
void cli_bar_progress(void *arg, uint64_t done);
/* Erase the bar (before printing a line, and at the end). */
void cli_bar_clear(struct cli_bar *b);

#endif
