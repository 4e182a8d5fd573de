/*
 * Evidence items and their chain of custody (store.h, "evidence"): the
 * generic layer over src/evidence/'s blob store.  Each act is one write
 * transaction with exactly one ledger entry on the item, carrying its state
 * (docs/ledger-invariants.md rules 1 and 6).
 *
 * Order of writes, so that a crash or a failure never leaves a row without
 * its file: the blob is committed (fsynced and renamed) before the row is
 * inserted; a failed insert removes the blob unless another item uses it.
 * A deletion commits the row first and removes the blob after: a blob left
 * over by a crash there is unused and harmless.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "settings.h"
#include "store_int.h"
#include "text.h"

#define MIB ((int64_t)1 << 20)
#define DAY_US ((int64_t)86400 * 1000000)

struct store_evidence_upload {
	struct store *st;
	struct zf_ctx ctx;
	struct evidence_blobs *blobs;
	struct evidence_writer *w;
	struct evidence_item item;	/* the metadata; hash and size at commit */
	const char *action;		/* evidence.collect | evidence.redact */
	json_t *detail;
};

static int field_fail(struct zf_error *err, int rc, const char *field)
{
	if (err && field)
		zf_strlcpy(err->field, field, sizeof(err->field));
	return rc;
}

static int org_alg(struct store *st, const char *org_id, enum ledger_alg *alg,
		   struct zf_error *err)
{
	int64_t seq;
	uint8_t leaf[LEDGER_HASH_LEN];
	return st->ops->ledger_head(st, org_id, &seq, leaf, alg, err);
}

/* An integer setting: the organisation's value, else its row's default
 * (src/domain/settings.c), else def. */
static int setting_int(struct store *st, const char *org_id, const char *key,
		       int64_t def, int64_t *out, struct zf_error *err)
{
	char *v = NULL;
	int rc = st->ops->setting_get(st, org_id, key, &v, err);
	if (rc)
		return rc;
	const struct setting_def *d = settings_find(key);
	const char *text = v ? v : d ? d->def : NULL;
	*out = def;
	if (text)
		rc = text_parse_int(text, 0, INT64_MAX / DAY_US, out, key, err);
	zf_free(v);
	return rc;
}

int store_evidence_dir(struct store *st, const char *org_id, char **out,
		       struct zf_error *err)
{
	char *set = NULL, *db = NULL;
	struct buf b;
	int rc = st->ops->setting_get(st, org_id, "evidence_dir", &set, err);
	buf_init(&b, 4096);
	if (rc)
		goto out;
	if (set && !*set)
		zf_freep(&set);
	if (!set || set[0] != '/') {
		if (!st->ops->file_path) {
			rc = zf_fail(err, ZF_EINVAL, "evidence_dir_unavailable", "evidence_dir",
				     "须先设定证据存放目录（zhifa org set evidence_dir 路径）");
			goto out;
		}
		if ((rc = st->ops->file_path(st, &db, err)))
			goto out;
	}
	const char *slash = db ? strrchr(db, '/') : NULL;
	if (set && set[0] == '/')
		rc = buf_puts(&b, set);
	else if (set && slash)
		rc = buf_printf(&b, "%.*s/%s", (int)(slash - db), db, set);
	else if (set)
		rc = buf_puts(&b, set);
	else
		rc = buf_printf(&b, "%s.evidence", db);
	if (rc) {
		rc = zf_fail(err, ZF_EINVAL, "evidence_dir_unavailable", "evidence_dir",
			     "证据存放目录路径过长");
		goto out;
	}
	*out = buf_detach(&b, NULL);
out:
	buf_release(&b);
	zf_free(set);
	zf_free(db);
	return rc;
}

static int open_blobs(struct store *st, const char *org_id, struct evidence_blobs **out,
		      struct zf_error *err)
{
	char *dir = NULL;
	int rc = store_evidence_dir(st, org_id, &dir, err);
	if (!rc)
		rc = evidence_blobs_open(dir, out, err);
	zf_free(dir);
	return rc;
}

static int alg_of(const struct evidence_item *e, enum ledger_alg *alg)
{
	return ledger_alg_parse(e->hash_alg, alg, "hash_alg", NULL);
}

/* ---- lookups ----------------------------------------------------------- */

/* Resolve case key (id or number) to its id; step n (0: none) must exist.
 * *doc (may be NULL) gets the case document. */
static int find_case(struct store *st, const char *org_id, const char *key, int64_t step,
		     char id[REG_ID_LEN], json_t **doc, struct zf_error *err)
{
	char *text = NULL, *steps = NULL;
	json_t *arr = NULL;
	int rc;
	if (step < 0)
		return zf_fail(err, ZF_EINVAL, "invalid_number", "step", "环节序号应为正整数");
	if ((rc = st->ops->case_get(st, org_id, key, id, &text, err)))
		return rc;
	if (doc && !(*doc = json_loads(text, 0, NULL)))
		rc = zf_fail(err, ZF_ESTORE, "case_corrupt", "case", "案件数据无法读取");
	if (!rc && step > 0 && !(rc = st->ops->steps_json(st, org_id, id, &steps, err))) {
		arr = json_loads(steps, 0, NULL);
		if ((int64_t)json_array_size(arr) < step)
			rc = zf_fail(err, ZF_ENOTFOUND, "step_not_found", "step",
				     "案件“%s”没有第 %lld 个环节", key, (long long)step);
	}
	if (rc && doc) {
		json_decref(*doc);
		*doc = NULL;
	}
	json_decref(arr);
	zf_free(steps);
	zf_free(text);
	return rc;
}

/* Officer ids (or certificate numbers) to ids, each once. */
static int resolve_officers(struct store *st, const char *org_id, const json_t *in,
			    json_t **out, struct zf_error *err)
{
	json_t *ids = json_array();
	size_t i;
	json_t *v;
	int rc = ids ? ZF_OK : store__oom(err);
	if (!rc && in && (!json_is_array(in) || json_array_size(in) > 20))
		rc = zf_fail(err, ZF_EINVAL, "too_many_officers", "captured_by",
			     "拍摄人员应为至多 20 名执法人员");
	json_array_foreach(in, i, v) {
		struct officer o = {0};
		if (rc)
			break;
		if (!json_is_string(v)) {
			rc = zf_fail(err, ZF_EINVAL, "invalid_text", "captured_by",
				     "拍摄人员应为执法人员标识或执法证号");
			break;
		}
		if ((rc = st->ops->officer_get(st, org_id, json_string_value(v), &o, err))) {
			field_fail(err, rc, "captured_by");
			break;
		}
		bool dup = false;
		size_t j;
		json_t *w;
		json_array_foreach(ids, j, w)
			dup = dup || !strcmp(json_string_value(w), o.id);
		if (!dup && json_array_append_new(ids, json_string(o.id)))
			rc = store__oom(err);
		officer_release(&o);
	}
	if (rc) {
		json_decref(ids);
		return rc;
	}
	*out = ids;
	return ZF_OK;
}

static int get_item(struct store *st, const struct zf_ctx *ctx, const char *id,
		    struct evidence_item *out, struct zf_error *err)
{
	int rc = store__need_org(ctx, err);
	if (!rc && (!id || !*id))
		rc = zf_fail(err, ZF_EINVAL, "required", "id", "未指定证据");
	return rc ? rc : st->ops->evidence_get(st, ctx->org_id, id, out, err);
}

static int refuse_deleted(const struct evidence_item *e, struct zf_error *err)
{
	if (strcmp(e->status, "deleted") == 0)
		return zf_fail(err, ZF_ECONFLICT, "evidence_deleted", "id",
			       "证据“%s”的文件已于保存期满后删除（元数据和账本记录仍在）", e->id);
	return ZF_OK;
}

/* ---- receiving an item --------------------------------------------------- */

static int upload_new(struct store *st, const struct zf_ctx *ctx,
		      struct store_evidence_upload **out, struct zf_error *err)
{
	struct store_evidence_upload *u = zf_calloc(1, sizeof(*u));
	if (!u)
		return store__oom(err);
	u->st = st;
	u->ctx = *ctx;
	zf_strlcpy(u->item.org_id, ctx->org_id, sizeof(u->item.org_id));
	u->action = "evidence.collect";
	*out = u;
	return ZF_OK;
}

/* The size limit, the algorithm, the directory and the writer. */
static int upload_start(struct store_evidence_upload *u, int64_t declared,
			struct zf_error *err)
{
	struct store *st = u->st;
	enum ledger_alg alg;
	int64_t max_mb;
	int rc;
	if ((rc = setting_int(st, u->ctx.org_id, "evidence_max_size_mb", 8192, &max_mb, err)))
		return rc;
	uint64_t max = max_mb > 0 ? (uint64_t)max_mb * (uint64_t)MIB : 0;
	if (declared > 0 && max && (uint64_t)declared > max)
		return zf_fail(err, ZF_ETOOBIG, "evidence_too_big", "size",
			       "文件 %lld 字节，超过本机构的上限 %lld MB（设置 evidence_max_size_mb）",
			       (long long)declared, (long long)max_mb);
	if ((rc = org_alg(st, u->ctx.org_id, &alg, err)) ||
	    (rc = open_blobs(st, u->ctx.org_id, &u->blobs, err)) ||
	    (rc = evidence_writer_open(u->blobs, alg, max, &u->w, err)))
		return rc;
	return zf_set_str(&u->item.hash_alg, ledger_alg_code(alg)) ? ZF_OK : store__oom(err);
}

int store_evidence_begin(struct store *st, const struct zf_ctx *ctx,
			 const struct evidence_meta *m,
			 struct store_evidence_upload **out, struct zf_error *err)
{
	struct store_evidence_upload *u = NULL;
	struct evidence_item *e;
	const char *name = m->original_name ? evidence_basename(m->original_name) : NULL;
	char case_id[REG_ID_LEN];
	int rc;
	*out = NULL;
	if ((rc = store__need_org(ctx, err)) ||
	    (rc = text_check(name, "original_name", 255, true, err)) ||
	    (rc = text_check(m->location, "location", 200, false, err)) ||
	    (rc = evidence_captured_at_check(m->captured_at, ctx->now_us, "captured_at", err)))
		return rc;
	if (m->kind && !text_in(m->kind, evidence_kinds))
		return zf_fail(err, ZF_EINVAL, "unknown_code", "kind",
			       "证据种类只能是 photo video audio scan document");
	if (m->step && !m->case_key)
		return zf_fail(err, ZF_EINVAL, "case_required", "case", "指定环节时须指定案件");
	if ((rc = upload_new(st, ctx, &u, err)))
		return rc;
	e = &u->item;
	e->captured_at = m->captured_at;
	e->step = m->step;
	if (!zf_set_str(&e->kind, m->kind ? m->kind : evidence_kind_of_name(name)) ||
	    !zf_set_str(&e->original_name, name) ||
	    (m->location && *m->location && !zf_set_str(&e->location, m->location))) {
		rc = store__oom(err);
		goto out;
	}
	if (m->case_key) {
		if ((rc = find_case(st, ctx->org_id, m->case_key, m->step, case_id, NULL, err)))
			goto out;
		if (!zf_set_str(&e->case_id, case_id)) {
			rc = store__oom(err);
			goto out;
		}
	}
	if (m->device) {
		struct device d = {0};
		if (!(rc = st->ops->device_get(st, ctx->org_id, m->device, &d, err)) &&
		    !zf_set_str(&e->device, d.code))
			rc = store__oom(err);
		device_release(&d);
		if (rc)
			goto out;
	}
	if ((rc = resolve_officers(st, ctx->org_id, m->captured_by, &e->captured_by, err)))
		goto out;
	rc = upload_start(u, m->declared_size, err);
out:
	if (rc)
		store_evidence_abort(u);
	else
		*out = u;
	return rc;
}

int store_evidence_redact_begin(struct store *st, const struct zf_ctx *ctx,
				const char *source_key, const char *removed,
				const char *reason, const char *original_name,
				struct store_evidence_upload **out, struct zf_error *err)
{
	struct store_evidence_upload *u = NULL;
	struct evidence_item src = {0};
	int rc;
	*out = NULL;
	if ((rc = text_check(removed, "removed", 500, true, err)) ||
	    (rc = text_check(reason, "reason", 500, true, err)) ||
	    (original_name &&
	     (rc = text_check(evidence_basename(original_name), "original_name", 255, true,
			      err))) ||
	    (rc = get_item(st, ctx, source_key, &src, err)) ||
	    (rc = refuse_deleted(&src, err)) || (rc = upload_new(st, ctx, &u, err)))
		goto out;
	struct evidence_item *e = &u->item;
	u->action = "evidence.redact";
	e->step = src.step;
	e->captured_at = src.captured_at;
	e->captured_by = json_deep_copy(src.captured_by);
	e->redaction = json_pack("{ss ss ss}", "source_hash", src.hash, "removed", removed,
				 "reason", reason);
	u->detail = json_pack("{ss}", "source_id", src.id);
	if (!e->captured_by || !e->redaction || !u->detail ||
	    !zf_set_str(&e->case_id, src.case_id) || !zf_set_str(&e->kind, src.kind) ||
	    !zf_set_str(&e->device, src.device) || !zf_set_str(&e->location, src.location) ||
	    !zf_set_str(&e->source_id, src.id) ||
	    !zf_set_str(&e->original_name,
			original_name ? evidence_basename(original_name) : src.original_name)) {
		rc = store__oom(err);
		goto out;
	}
	rc = upload_start(u, 0, err);
out:
	evidence_item_release(&src);
	if (rc)
		store_evidence_abort(u);
	else
		*out = u;
	return rc;
}

int store_evidence_write(struct store_evidence_upload *u, const void *p, size_t n,
			 struct zf_error *err)
{
	return evidence_writer_write(u->w, p, n, err);
}

int store_evidence_write_fd(struct store_evidence_upload *u, int fd, uint64_t expect,
			    evidence_progress_fn fn, void *arg, const char *field,
			    struct zf_error *err)
{
	return evidence_writer_write_fd(u->w, fd, expect, fn, arg, field, err);
}

uint64_t store_evidence_received(const struct store_evidence_upload *u)
{
	return u->w ? evidence_writer_size(u->w) : 0;
}

/* After a failed insert: remove a blob we created unless an item uses it. */
static void drop_unused(struct store *st, struct evidence_blobs *b,
			const struct evidence_blob *blob)
{
	int64_t refs = 1;
	if (!st->ops->evidence_refs(st, blob->hash, ledger_alg_code(blob->alg), &refs, NULL) &&
	    refs == 0 && evidence_blob_delete(b, blob->alg, blob->hash, NULL) != ZF_OK)
		fprintf(stderr, "zhifa: 未能删除未使用的证据文件 %s\n", blob->hash);
}

int store_evidence_commit(struct store_evidence_upload *u, struct evidence_item *out,
			  struct zf_error *err)
{
	struct store *st = u->st;
	struct evidence_item *e = &u->item;
	struct evidence_blob blob;
	json_t *state = NULL;
	char existing[REG_ID_LEN];
	int rc = evidence_writer_finish(u->w, &blob, err);
	if (rc)
		goto out;
	if (e->case_id) {
		int f = st->ops->evidence_find(st, e->org_id, e->case_id, blob.hash, existing, err);
		if (f == ZF_OK) {
			if (out && st->ops->evidence_get(st, e->org_id, existing, out, NULL))
				memset(out, 0, sizeof(*out));
			rc = zf_fail(err, ZF_ECONFLICT, "evidence_exists", "hash",
				     "该案件已有内容相同的证据（%s），未重复保存", existing);
			goto out;
		}
		if (f != ZF_ENOTFOUND) {
			rc = f;
			goto out;
		}
	}
	rc = evidence_writer_commit(u->w, &blob, err);
	u->w = NULL;
	if (rc)
		goto out;
	e->size = (int64_t)blob.size;
	zf_strlcpy(e->hash, blob.hash, sizeof(e->hash));
	e->created_at = u->ctx.now_us;
	e->hold = false;
	if (!zf_set_str(&e->status, "stored") ||
	    (!e->captured_by && !(e->captured_by = json_array()))) {
		rc = store__oom(err);
	} else if (!(rc = store__new_id(&u->ctx, e->id, err)) &&
		   !(rc = store__tx_begin(st, err))) {
		rc = st->ops->evidence_put(st, e, true, u->ctx.now_us, err);
		if (!rc && !(state = evidence_item_state_json(e)))
			rc = store__oom(err);
		if (!rc) {
			struct store_mutation m = {e->org_id, u->action, "evidence", e->id,
						   state, u->detail};
			rc = store__append(st, &u->ctx, &m, NULL, err);
		}
		rc = store__tx_end(st, rc, err);
	}
	if (rc && !blob.existed)
		drop_unused(st, u->blobs, &blob);
	if (!rc && out) {
		*out = *e;
		memset(e, 0, sizeof(*e));
	}
out:
	json_decref(state);
	store_evidence_abort(u);
	return rc;
}

void store_evidence_abort(struct store_evidence_upload *u)
{
	if (!u)
		return;
	evidence_writer_abort(u->w);
	evidence_blobs_free(u->blobs);
	evidence_item_release(&u->item);
	json_decref(u->detail);
	zf_free(u);
}

int store_evidence_add_file(struct store *st, const struct zf_ctx *ctx,
			    const struct evidence_meta *m, const char *path,
			    evidence_progress_fn fn, void *arg, struct evidence_item *out,
			    struct zf_error *err)
{
	struct store_evidence_upload *u = NULL;
	struct evidence_meta mm = *m;
	struct stat sb;
	int rc = ZF_OK, fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return zf_fail(err, ZF_EIO, "evidence_unreadable", "file",
			       "无法读取文件“%s”：%s", path, strerror(errno));
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))
		rc = zf_fail(err, ZF_EINVAL, "evidence_not_regular", "file",
			     "“%s”不是普通文件", path);
	else if (sb.st_size == 0)
		rc = zf_fail(err, ZF_EINVAL, "evidence_empty", "file", "文件“%s”为空", path);
	if (!rc) {
		mm.declared_size = (int64_t)sb.st_size;
		if (!mm.original_name)
			mm.original_name = path;
		rc = store_evidence_begin(st, ctx, &mm, &u, err);
	}
	if (!rc && (rc = store_evidence_write_fd(u, fd, (uint64_t)sb.st_size, fn, arg,
						 "file", err))) {
		store_evidence_abort(u);
		u = NULL;
	}
	if (!rc)
		rc = store_evidence_commit(u, out, err);
	close(fd);
	return rc;
}

/* ---- reading ------------------------------------------------------------ */

int store_evidence_get(struct store *st, const struct zf_ctx *ctx, const char *id,
		       struct evidence_item *out, struct zf_error *err)
{
	return get_item(st, ctx, id, out, err);
}

int store_evidence_list(struct store *st, const struct zf_ctx *ctx,
			const struct evidence_filter *f, struct evidence_item **out,
			size_t *n, struct zf_error *err)
{
	char case_id[REG_ID_LEN];
	int rc = store__need_org(ctx, err);
	*out = NULL;
	*n = 0;
	if (!rc && f && f->status && !text_in(f->status, evidence_statuses))
		rc = zf_fail(err, ZF_EINVAL, "unknown_code", "status",
			     "状态只能是 stored 或 deleted");
	if (!rc && f && f->case_key)
		rc = find_case(st, ctx->org_id, f->case_key, 0, case_id, NULL, err);
	if (rc)
		return rc;
	return st->ops->evidence_list(st, ctx->org_id, f && f->case_key ? case_id : NULL,
				      f ? f->status : NULL, f ? f->limit : 0,
				      f ? f->after : NULL, out, n, err);
}

void store_evidence_list_free(struct evidence_item *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		evidence_item_release(&list[i]);
	zf_free(list);
}

json_t *store__evidence_state(struct store *st, const char *org_id, const char *id)
{
	struct evidence_item e = {0};
	json_t *s = NULL;
	if (!st->ops->evidence_get(st, org_id, id, &e, NULL))
		s = evidence_item_state_json(&e);
	evidence_item_release(&e);
	return s;
}

int store_evidence_path(struct store *st, const struct zf_ctx *ctx, const char *id,
			char **path, struct evidence_item *out, struct zf_error *err)
{
	struct evidence_item e = {0};
	struct evidence_blobs *b = NULL;
	struct buf p;
	enum ledger_alg alg;
	int rc = get_item(st, ctx, id, &e, err);
	buf_init(&p, 4096);
	if (!rc)
		rc = refuse_deleted(&e, err);
	if (!rc && alg_of(&e, &alg))
		rc = zf_fail(err, ZF_ESTORE, "invalid_hash_alg", "hash_alg", "证据的哈希算法无效");
	if (!rc && !(rc = open_blobs(st, ctx->org_id, &b, err)) &&
	    !(rc = evidence_blob_path(b, alg, e.hash, &p, err)))
		*path = buf_detach(&p, NULL);
	if (!rc && out)
		*out = e;
	else
		evidence_item_release(&e);
	evidence_blobs_free(b);
	buf_release(&p);
	return rc;
}

/* ---- custody acts --------------------------------------------------------- */

/* The act's entry in the open transaction: the item's state after it. */
static int append_act(struct store *st, const struct zf_ctx *ctx, const char *action,
		      const struct evidence_item *e, const json_t *detail, int64_t *seq,
		      struct zf_error *err)
{
	json_t *state = evidence_item_state_json(e);
	if (!state)
		return store__oom(err);
	struct store_mutation m = {ctx->org_id, action, "evidence", e->id, state, detail};
	int rc = store__append(st, ctx, &m, seq, err);
	json_decref(state);
	return rc;
}

static void hand_out(struct evidence_item *e, struct evidence_item *out, int rc)
{
	if (!rc && out)
		*out = *e;
	else
		evidence_item_release(e);
}

int store_evidence_attach(struct store *st, const struct zf_ctx *ctx, const char *id,
			  const char *case_key, int64_t step, struct evidence_item *out,
			  struct zf_error *err)
{
	struct evidence_item e = {0};
	char case_id[REG_ID_LEN];
	json_t *detail = NULL;
	int rc = store__need_org(ctx, err);
	if (!rc && (!case_key || !*case_key))
		rc = zf_fail(err, ZF_EINVAL, "required", "case", "未指定案件");
	if (rc || (rc = store__tx_begin(st, err)))
		return rc;
	if ((rc = get_item(st, ctx, id, &e, err)) || (rc = refuse_deleted(&e, err)) ||
	    (rc = find_case(st, ctx->org_id, case_key, step, case_id, NULL, err)))
		goto end;
	if (e.case_id && strcmp(e.case_id, case_id) != 0) {
		rc = zf_fail(err, ZF_ECONFLICT, "evidence_already_attached", "case",
			     "证据已属于另一案件（%s）：如两案都需要，请为本案另行保存（文件只存一份）",
			     e.case_id);
		goto end;
	}
	if (e.case_id && e.step == step) {
		rc = zf_fail(err, ZF_EINVAL, "nothing_to_change", "", "证据已附于该案件该环节");
		goto end;
	}
	e.step = step;
	if (!zf_set_str(&e.case_id, case_id) ||
	    !(detail = json_pack("{ss sI}", "case_id", case_id, "step", (json_int_t)step))) {
		rc = store__oom(err);
		goto end;
	}
	if (!(rc = st->ops->evidence_put(st, &e, false, ctx->now_us, err)))
		rc = append_act(st, ctx, "evidence.attach", &e, detail, NULL, err);
end:
	rc = store__tx_end(st, rc, err);
	json_decref(detail);
	hand_out(&e, out, rc);
	return rc;
}

int store_evidence_log(struct store *st, const struct zf_ctx *ctx, const char *id,
		       const char *action, const json_t *detail, int64_t *seq,
		       struct zf_error *err)
{
	static const char *const acts[] = {"evidence.view", "evidence.download",
					   "evidence.export", NULL};
	struct evidence_item e = {0};
	int rc;
	if (!text_in(action, acts))
		ZF_BUG("evidence custody action %s", action ? action : "(null)");
	if ((rc = store__need_org(ctx, err)) || (rc = store__tx_begin(st, err)))
		return rc;
	if (!(rc = get_item(st, ctx, id, &e, err)))
		rc = append_act(st, ctx, action, &e, detail, seq, err);
	rc = store__tx_end(st, rc, err);
	evidence_item_release(&e);
	return rc;
}

int store_evidence_hold(struct store *st, const struct zf_ctx *ctx, const char *id,
			bool hold, const char *reason, struct evidence_item *out,
			struct zf_error *err)
{
	struct evidence_item e = {0};
	json_t *detail = NULL;
	int rc;
	if ((rc = store__need_org(ctx, err)) ||
	    (rc = text_check(reason, "reason", 500, true, err)) ||
	    (rc = store__tx_begin(st, err)))
		return rc;
	if ((rc = get_item(st, ctx, id, &e, err)) || (rc = refuse_deleted(&e, err)))
		goto end;
	if (e.hold == hold) {
		rc = zf_fail(err, ZF_EINVAL, "nothing_to_change", "",
			     hold ? "证据已在保全中" : "证据未被保全");
		goto end;
	}
	e.hold = hold;
	if (!zf_set_str(&e.hold_reason, hold ? reason : NULL) ||
	    !(detail = json_pack("{ss}", "reason", reason))) {
		rc = store__oom(err);
		goto end;
	}
	if (!(rc = st->ops->evidence_put(st, &e, false, ctx->now_us, err)))
		rc = append_act(st, ctx, hold ? "evidence.hold" : "evidence.release", &e,
				detail, NULL, err);
end:
	rc = store__tx_end(st, rc, err);
	json_decref(detail);
	hand_out(&e, out, rc);
	return rc;
}

/* 行政处罚法 Art. 73: a case under 复议 or litigation keeps its evidence. */
static bool appeal_pending(const json_t *doc)
{
	json_t *ap = json_object_get(doc, "appeals");
	json_t *last = json_array_get(ap, json_array_size(ap) - 1);
	return last && !json_string_value(json_object_get(last, "outcome"));
}

static int retention_check(struct store *st, const struct zf_ctx *ctx,
			   const struct evidence_item *e, int64_t *days, struct zf_error *err)
{
	char key[64], when[DATE_STR_LEN];
	snprintf(key, sizeof(key), "evidence_retention_days_%s", e->kind);
	int rc = setting_int(st, ctx->org_id, key, 0, days, err);
	if (rc)
		return rc;
	/* NEEDSWORK: counted from capture; archival practice may count from
	 * the case's archiving (归档) instead, law.md §5 found no rule. */
	if (*days == 0)
		return zf_fail(err, ZF_EREFUSED, "evidence_retention_permanent", "id",
			       "本机构对%s证据永久保存（设置 %s 为 0），不能删除", e->kind, key);
	int64_t until = e->captured_at + *days * DAY_US;
	if (until > ctx->now_us) {
		date_format(instant_local_date(until), when);
		return zf_fail(err, ZF_EREFUSED, "evidence_retention_not_over", "id",
			       "保存期（%lld 日）尚未届满，%s 之后才能删除", (long long)*days, when);
	}
	return ZF_OK;
}

int store_evidence_delete(struct store *st, const struct zf_ctx *ctx, const char *id,
			  const char *reason, struct evidence_item *out,
			  bool *blob_removed, struct zf_error *err)
{
	struct evidence_item e = {0};
	json_t *detail = NULL, *doc = NULL;
	char case_id[REG_ID_LEN];
	int64_t days = 0;
	int rc;
	if (blob_removed)
		*blob_removed = false;
	if ((rc = store__need_org(ctx, err)) ||
	    (rc = text_check(reason, "reason", 500, true, err)) ||
	    (rc = store__tx_begin(st, err)))
		return rc;
	if ((rc = get_item(st, ctx, id, &e, err)) || (rc = refuse_deleted(&e, err)))
		goto end;
	if (e.hold) {
		rc = zf_fail(err, ZF_EREFUSED, "evidence_on_hold", "id",
			     "证据在保全中（%s），不能删除", e.hold_reason ? e.hold_reason : "");
		goto end;
	}
	if (e.case_id && (rc = find_case(st, ctx->org_id, e.case_id, 0, case_id, &doc, err)))
		goto end;
	if (appeal_pending(doc)) {
		rc = zf_fail(err, ZF_EREFUSED, "evidence_case_under_appeal", "id",
			     "案件有未结的复议或诉讼，证据不能删除（《行政处罚法》第七十三条）");
		goto end;
	}
	if ((rc = retention_check(st, ctx, &e, &days, err)))
		goto end;
	e.deleted_at = ctx->now_us;
	if (!zf_set_str(&e.status, "deleted") ||
	    !(detail = json_pack("{ss sI}", "reason", reason, "retention_days",
				 (json_int_t)days))) {
		rc = store__oom(err);
		goto end;
	}
	if (!(rc = st->ops->evidence_put(st, &e, false, ctx->now_us, err)))
		rc = append_act(st, ctx, "evidence.delete", &e, detail, NULL, err);
end:
	rc = store__tx_end(st, rc, err);
	json_decref(detail);
	json_decref(doc);
	if (!rc) {
		struct evidence_blobs *b = NULL;
		enum ledger_alg alg;
		int64_t refs = 1;
		struct zf_error ignored;
		if (!alg_of(&e, &alg) &&
		    !st->ops->evidence_refs(st, e.hash, e.hash_alg, &refs, &ignored) &&
		    refs == 0 && !open_blobs(st, ctx->org_id, &b, &ignored) &&
		    !evidence_blob_delete(b, alg, e.hash, &ignored) && blob_removed)
			*blob_removed = true;
		evidence_blobs_free(b);
	}
	hand_out(&e, out, rc);
	return rc;
}

/* ---- verification and custody -------------------------------------------- */

struct progress {
	evidence_progress_fn fn;
	void *arg;
	uint64_t base;
};

static void progress_step(void *arg, uint64_t done)
{
	struct progress *p = arg;
	if (p->fn)
		p->fn(p->arg, p->base + done);
}

int store_evidence_verify(struct store *st, const struct zf_ctx *ctx,
			  evidence_progress_fn fn, void *arg, json_t **out,
			  struct zf_error *err)
{
	struct evidence_item *items = NULL;
	struct evidence_blobs *b = NULL;
	struct progress pr = {fn, arg, 0};
	json_t *seen = json_object(), *problems = json_array();
	size_t n = 0, blobs = 0;
	int rc = seen && problems ? ZF_OK : store__oom(err);
	if (!rc && !(rc = store__need_org(ctx, err)) &&
	    !(rc = st->ops->evidence_list(st, ctx->org_id, NULL, "stored", 0, NULL, &items,
					  &n, err)))
		rc = open_blobs(st, ctx->org_id, &b, err);
	for (size_t i = 0; !rc && i < n; i++) {
		struct evidence_item *e = &items[i];
		struct zf_error one = {0};
		enum ledger_alg alg;
		char key[96];
		snprintf(key, sizeof(key), "%s/%s", e->hash_alg, e->hash);
		json_t *known = json_object_get(seen, key);
		if (!known) {
			uint64_t bytes = 0;
			if (alg_of(e, &alg))
				zf_fail(&one, ZF_ESTORE, "invalid_hash_alg", "hash_alg",
					"证据的哈希算法无效");
			else if (evidence_blob_verify(b, alg, e->hash, (uint64_t)e->size,
						      progress_step, &pr, &bytes, &one) == ZF_ENOMEM)
				rc = store__oom(err);
			pr.base += bytes;
			blobs++;
			known = json_pack("{ss ss}", "code", one.code, "message", one.message);
			if (!known || json_object_set_new(seen, key, known)) {
				rc = store__oom(err);
				break;
			}
		}
		const char *code = json_string_value(json_object_get(known, "code"));
		if (code && *code) {
			json_t *p = json_pack("{ss ss* ss ss ss ss}", "id", e->id, "case_id",
					      e->case_id, "original_name", e->original_name, "hash",
					      e->hash, "code", code, "message",
					      json_string_value(json_object_get(known, "message")));
			if (!p || json_array_append_new(problems, p))
				rc = store__oom(err);
		}
	}
	if (!rc && !(*out = json_pack("{sb sI sI sI sO}", "ok", json_array_size(problems) == 0,
				      "items", (json_int_t)n, "blobs", (json_int_t)blobs, "bytes",
				      (json_int_t)pr.base, "problems", problems)))
		rc = store__oom(err);
	json_decref(seen);
	json_decref(problems);
	evidence_blobs_free(b);
	store_evidence_list_free(items, n);
	return rc;
}

static int custody_entry(void *arg, int64_t seq, const char *bytes, size_t len,
			 const uint8_t leaf[LEDGER_HASH_LEN])
{
	static const char *const keys[] = {"action", "recorded_at", "effective_at", "actor",
					   "state_hash", "detail", NULL};
	json_t *arr = arg, *c = json_object();
	json_t *e = json_loadb(bytes, len, 0, NULL);
	(void)leaf;
	if (!e || !c || json_object_set_new(c, "seq", json_integer(seq))) {
		json_decref(e);
		json_decref(c);
		return e ? ZF_ENOMEM : ZF_ESTORE;
	}
	for (const char *const *k = keys; *k; k++) {
		json_t *v = json_object_get(e, *k);
		if (v)
			json_object_set(c, *k, v);
	}
	json_decref(e);
	return json_array_append_new(arr, c) ? ZF_ENOMEM : ZF_OK;
}

int store_evidence_custody(struct store *st, const char *org_id, const char *id,
			   json_t **out, struct zf_error *err)
{
	json_t *arr = json_array();
	int rc = arr ? ZF_OK : store__oom(err);
	if (!rc)
		rc = st->ops->ledger_object(st, org_id, "evidence", id, custody_entry, arr, err);
	if (rc) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return ZF_OK;
}
