/* What the evidence commands share: the progress bar, the blob directory. */
#include <unistd.h>

#include "cli_evidence.h"

int cli_evidence_alg(struct cli *c, enum ledger_alg *alg, struct zf_error *err)
{
	json_t *head = NULL;
	int rc = store_ledger_head(c->st, c->ctx.org_id, &head, err);
	if (!rc)
		rc = ledger_alg_parse(json_string_value(json_object_get(head, "alg")), alg, "alg",
				      err);
	json_decref(head);
	return rc;
}

int cli_evidence_blobs(struct cli *c, struct evidence_blobs **b, struct zf_error *err)
{
	char *dir = NULL;
	int rc = store_evidence_dir(c->st, c->ctx.org_id, &dir, err);
	if (!rc)
		rc = evidence_blobs_open(dir, b, err);
	zf_free(dir);
	return rc;
}

void cli_bar_init(struct cli_bar *b, uint64_t total, size_t count)
{
	memset(b, 0, sizeof(*b));
	b->on = isatty(STDERR_FILENO);
	b->total = total;
	b->count = count;
	b->last = -1;
	b->start_us = ctx_wall_clock_us();
}

void cli_bar_draw(struct cli_bar *b, uint64_t in_file)
{
	char cells[31];
	if (!b->on)
		return;
	uint64_t done = b->base + in_file;
	int pm = b->total ? (int)(done >= b->total ? 1000 : done * 1000 / b->total) : 1000;
	if (pm == b->last)
		return;
	b->last = pm;
	for (int i = 0; i < 30; i++)
		cells[i] = i < pm * 30 / 1000 ? '#' : '.';
	cells[30] = '\0';
	double secs = (double)(ctx_wall_clock_us() - b->start_us) / 1e6;
	fprintf(stderr, "\r[%s] %3d%%  %zu/%zu  %.1f MB/s  %.40s\033[K", cells, pm / 10,
		b->index, b->count, secs > 0 ? (double)done / 1048576.0 / secs : 0.0,
		b->name ? b->name : "");
}

void cli_bar_progress(void *arg, uint64_t done) { cli_bar_draw(arg, done); }

void cli_bar_clear(struct cli_bar *b)
{
	if (b->on) {
		fputs("\r\033[K", stderr);
		b->last = -1;
	}
}
