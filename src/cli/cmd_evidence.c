/*
 * evidence add|import|list|show|get|attach|redact|verify|hold|delete
 * (evidence export is in cmd_evidence_export.c).
 *
 * add and import share one path per file: capture time from the sidecar
 * <file>.json or else the file's mtime, a skip when the case already holds
 * that content (so a re-run import adds nothing twice), one failed file
 * reported on stderr and the rest going on, a summary at the end.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "cli_evidence.h"
#include "date.h"
#include "evidence.h"
#include "text.h"

#define MAX_DIR_FILES 100000

static int oom(struct zf_error *err)
{
	return zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
}

/* "A,B" -> ["A", "B"]; NULL stays NULL. */
static int officers_opt(const struct cli *c, json_t **out, struct zf_error *err)
{
	const char *s = cli_opt(c, "officers");
	*out = NULL;
	if (!s)
		return ZF_OK;
	json_t *a = json_array();
	while (a && *s) {
		size_t n = strcspn(s, ",");
		if (n && json_array_append_new(a, json_stringn(s, n))) {
			json_decref(a);
			a = NULL;
		}
		s += n + (s[n] == ',');
	}
	*out = a;
	return a ? ZF_OK : oom(err);
}


/* ---- ingesting files (add, import) ---------------------------------------- */

struct ingest {
	struct cli *c;
	struct evidence_meta base;	/* case, device, kind, location */
	json_t *officers;		/* --officers, or NULL */
	enum ledger_alg alg;
	struct evidence_item *have;	/* the case's items, for the skip */
	size_t nhave;
	struct cli_bar bar;
	size_t imported, skipped, failed;
	json_t *results;
};

static int read_sidecar(const char *path, struct evidence_sidecar *sc, bool *found,
			struct zf_error *err)
{
	struct buf p, text;
	struct stat sb;
	int rc = ZF_OK;
	*found = false;
	buf_init(&p, 4096);
	if (buf_printf(&p, "%s.json", path)) {
		buf_release(&p);
		return zf_fail(err, ZF_EINVAL, "invalid_text", "file", "路径过长");
	}
	if (stat(buf_cstr(&p), &sb) == 0) {
		*found = true;
		if (!(rc = cli_read_file(buf_cstr(&p), 64 << 10, &text, "sidecar", err))) {
			rc = evidence_sidecar_parse(buf_cstr(&text), text.len, sc, err);
			buf_release(&text);
		}
	}
	buf_release(&p);
	return rc;
}

/* Is the file, by name, size and then hash, an item of the case already? */
static const struct evidence_item *already_have(struct ingest *in, const char *path,
						uint64_t size)
{
	const char *name = evidence_basename(path);
	const struct evidence_item *hit = NULL;
	struct evidence_blob blob;
	bool hashed = false;
	for (size_t i = 0; i < in->nhave && !hit; i++) {
		const struct evidence_item *e = &in->have[i];
		if ((uint64_t)e->size != size || strcmp(e->original_name, name) != 0)
			continue;
		if (!hashed) {
			int fd = open(path, O_RDONLY | O_CLOEXEC);
			int rc = fd < 0 ? ZF_EIO
					: evidence_hash_fd(in->alg, fd, size, cli_bar_progress, &in->bar,
							   "file", &blob, NULL);
			if (fd >= 0)
				close(fd);
			if (rc)
				return NULL;
			hashed = true;
		}
		if (strcmp(blob.hash, e->hash) == 0)
			hit = e;
	}
	return hit;
}

static void result(struct ingest *in, const char *path, const char *status,
		   const struct evidence_item *e, const struct zf_error *err)
{
	json_t *r = json_pack("{ss ss}", "file", evidence_basename(path), "status", status);
	if (r && e) {
		json_object_set_new(r, "id", json_string(e->id));
		json_object_set_new(r, "hash", json_string(e->hash));
		json_object_set_new(r, "size", json_integer(e->size));
	}
	if (r && err) {
		json_object_set_new(r, "code", json_string(err->code));
		json_object_set_new(r, "field", json_string(err->field));
		json_object_set_new(r, "message", json_string(err->message));
		/* one line per failed file on stderr, the import goes on */
		cli_bar_clear(&in->bar);
		json_t *line = json_pack("{s{ss ss ss} ss}", "error", "code", err->code,
					 "message", err->message, "field", err->field, "file",
					 path);
		char *s = line ? json_dumps(line, JSON_COMPACT) : NULL;
		fprintf(stderr, "%s\n", s ? s : "{\"error\":{\"code\":\"out_of_memory\"}}");
		free(s);
		json_decref(line);
	}
	if (r)
		json_array_append_new(in->results, r);
}

/* One file; only an allocation failure stops the whole run. */
static int ingest_one(struct ingest *in, const char *path, uint64_t size)
{
	struct zf_error e = {0};
	struct evidence_sidecar sc = {0};
	struct evidence_item item = {0};
	struct evidence_meta m = in->base;
	struct stat sb;
	bool found = false;
	in->bar.name = evidence_basename(path);
	cli_bar_draw(&in->bar, 0);
	int rc = read_sidecar(path, &sc, &found, &e);
	if (!rc && stat(path, &sb) != 0)
		rc = zf_fail(&e, ZF_EIO, "evidence_unreadable", "file", "无法读取文件“%s”：%s",
			     path, strerror(errno));
	if (!rc) {
		const struct evidence_item *had = already_have(in, path, size);
		if (had) {
			in->skipped++;
			result(in, path, "skipped", had, NULL);
			goto out;
		}
		m.captured_at = sc.has_captured_at
					? sc.captured_at
					: (int64_t)sb.st_mtim.tv_sec * 1000000 +
						  sb.st_mtim.tv_nsec / 1000;
		m.captured_by = in->officers ? in->officers : sc.officers;
		if (!m.location)
			m.location = sc.location;
		m.original_name = path;
		rc = store_evidence_add_file(in->c->st, &in->c->ctx, &m, path, cli_bar_progress,
					     &in->bar, &item, &e);
		/* say where the impossible time came from */
		if (rc && !strcmp(e.code, "evidence_captured_at_impossible"))
			zf_strlcpy(e.field, found && sc.has_captured_at ? "sidecar.captured_at"
									 : "mtime",
				   sizeof(e.field));
		if (rc == ZF_ECONFLICT && !strcmp(e.code, "evidence_exists")) {
			in->skipped++;
			result(in, path, "skipped", &item, NULL);
			rc = ZF_OK;
			goto out;
		}
	}
	if (rc) {
		in->failed++;
		result(in, path, "failed", NULL, &e);
		goto out;
	}
	in->imported++;
	result(in, path, "imported", &item, NULL);
out:
	in->bar.base += size;
	evidence_sidecar_release(&sc);
	evidence_item_release(&item);
	return rc == ZF_ENOMEM ? rc : ZF_OK;
}

static int ingest_init(struct ingest *in, struct cli *c, struct zf_error *err)
{
	struct evidence_filter f = {0};
	int rc;
	memset(in, 0, sizeof(*in));
	in->c = c;
	in->base.case_key = cli_opt(c, "case");
	in->base.device = cli_opt(c, "device");
	in->base.kind = cli_opt(c, "kind");
	in->base.location = cli_opt(c, "location");
	if (!(in->results = json_array()))
		return oom(err);
	if ((rc = officers_opt(c, &in->officers, err)) || (rc = cli_evidence_alg(c, &in->alg, err)))
		return rc;
	/* a wrong --device would fail every file: say so once, before any */
	if (in->base.device) {
		struct device *devs = NULL;
		size_t n = 0;
		bool found = false;
		if ((rc = store_device_list(c->st, &c->ctx, &devs, &n, err)))
			return rc;
		for (size_t i = 0; i < n && !found; i++)
			found = !strcmp(devs[i].code, in->base.device) ||
				!strcmp(devs[i].id, in->base.device);
		store_device_list_free(devs, n);
		if (!found)
			return zf_fail(err, ZF_ENOTFOUND, "device_not_found", "device",
				       "找不到设备“%s”：请先用 zhifa device add 登记", in->base.device);
	}
	f.case_key = in->base.case_key;
	return store_evidence_list(c->st, &c->ctx, &f, &in->have, &in->nhave, err);
}

static void ingest_release(struct ingest *in)
{
	json_decref(in->officers);
	json_decref(in->results);
	store_evidence_list_free(in->have, in->nhave);
}

static int ingest_files(struct ingest *in, const char *const *paths, size_t n,
			struct zf_error *err)
{
	uint64_t total = 0, *sizes = zf_calloc(n ? n : 1, sizeof(*sizes));
	int rc = sizes ? ZF_OK : oom(err);
	for (size_t i = 0; !rc && i < n; i++) {
		struct stat sb;
		if (stat(paths[i], &sb) == 0 && S_ISREG(sb.st_mode))
			sizes[i] = (uint64_t)sb.st_size;
		total += sizes[i];
	}
	if (!rc)
		cli_bar_init(&in->bar, total, n);
	for (size_t i = 0; !rc && i < n; i++) {
		in->bar.index = i + 1;
		if ((rc = ingest_one(in, paths[i], sizes[i])))
			rc = oom(err);
	}
	cli_bar_clear(&in->bar);
	zf_free(sizes);
	return rc;
}

static int ingest_report(struct ingest *in, size_t files, struct zf_error *err)
{
	struct cli *c = in->c;
	if (c->json) {
		cli_print(c, json_pack("{sI sI sI sI sO}", "files", (json_int_t)files, "imported",
				       (json_int_t)in->imported, "skipped", (json_int_t)in->skipped,
				       "failed", (json_int_t)in->failed, "results", in->results),
			  NULL);
	} else {
		size_t i;
		json_t *r;
		json_array_foreach(in->results, i, r) {
			const char *st = json_string_value(json_object_get(r, "status"));
			const char *what = json_string_value(json_object_get(r, st[0] == 'f'
									      ? "code" : "id"));
			printf("%s\t%s\t%s\n", st, json_string_value(json_object_get(r, "file")),
			       what ? what : "");
		}
		printf("共 %zu 个文件：导入 %zu，跳过 %zu（已导入），失败 %zu\n", files, in->imported,
		       in->skipped, in->failed);
	}
	if (in->failed)
		return zf_fail(err, ZF_EINVAL, "evidence_import_incomplete", "",
			       "%zu 个文件未能导入，其余已处理：改正后重新运行即可，已导入的会跳过",
			       in->failed);
	return ZF_OK;
}

int cmd_evidence_add(struct cli *c, struct zf_error *err)
{
	struct ingest in;
	const char *case_key;
	int rc;
	memset(&in, 0, sizeof(in));
	if ((rc = cli_need(c, "case", &case_key, err)) ||
	    (rc = cli_open_store(c, false, true, err)) || (rc = ingest_init(&in, c, err)) ||
	    (rc = ingest_files(&in, c->args, c->nargs, err)))
		goto out;
	rc = ingest_report(&in, c->nargs, err);
out:
	ingest_release(&in);
	return rc;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n > k && strcmp(s + n - k, suffix) == 0;
}

/*
 * The regular files directly in dir, by name, without hidden files and
 * without the sidecars (X.json beside X).  paths are "dir/name".
 */
static int list_dir(const char *dir, char ***out, size_t *n, struct zf_error *err)
{
	DIR *d = opendir(dir);
	char **names = NULL;
	size_t len = 0, cap = 0;
	int rc = ZF_OK;
	struct dirent *de;
	*out = NULL;
	*n = 0;
	if (!d)
		return zf_fail(err, ZF_EIO, "file_not_found", "dir", "无法读取目录“%s”：%s", dir,
			       strerror(errno));
	while (!rc && (de = readdir(d))) {
		struct buf p;
		struct stat sb;
		if (de->d_name[0] == '.')
			continue;
		buf_init(&p, 4096);
		if (buf_printf(&p, "%s/%s", dir, de->d_name)) {
			buf_release(&p);
			continue;
		}
		if (stat(buf_cstr(&p), &sb) != 0 || !S_ISREG(sb.st_mode)) {
			buf_release(&p);
			continue;
		}
		if (len == MAX_DIR_FILES) {
			rc = zf_fail(err, ZF_ETOOBIG, "file_too_big", "dir",
				     "目录中的文件超过 %d 个", MAX_DIR_FILES);
		} else if (len == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			char **q = zf_realloc(names, ncap * sizeof(*q));
			if (!q)
				rc = oom(err);
			else
				names = q, cap = ncap;
		}
		if (!rc)
			names[len++] = buf_detach(&p, NULL);
		buf_release(&p);
	}
	closedir(d);
	if (!rc)
		qsort(names, len, sizeof(*names), cmp_name);
	/* drop sidecars: X.json where X is here too */
	size_t keep = 0;
	for (size_t i = 0; i < len; i++) {
		bool sidecar = false;
		if (!rc && ends_with(names[i], ".json")) {
			char *stem = zf_strndup(names[i], strlen(names[i]) - 5);
			sidecar = stem && bsearch(&stem, names, len, sizeof(*names), cmp_name);
			zf_free(stem);
		}
		if (sidecar)
			zf_free(names[i]);
		else
			names[keep++] = names[i];
	}
	if (rc) {
		for (size_t i = 0; i < keep; i++)
			zf_free(names[i]);
		zf_free(names);
		return rc;
	}
	*out = names;
	*n = keep;
	return ZF_OK;
}

int cmd_evidence_import(struct cli *c, struct zf_error *err)
{
	struct ingest in;
	const char *v;
	char **paths = NULL;
	size_t n = 0;
	int rc;
	memset(&in, 0, sizeof(in));
	if ((rc = cli_need(c, "case", &v, err)) || (rc = cli_need(c, "device", &v, err)) ||
	    (rc = list_dir(c->args[0], &paths, &n, err)) ||
	    (rc = cli_open_store(c, false, true, err)) || (rc = ingest_init(&in, c, err)) ||
	    (rc = ingest_files(&in, (const char *const *)paths, n, err)))
		goto out;
	rc = ingest_report(&in, n, err);
out:
	ingest_release(&in);
	for (size_t i = 0; i < n; i++)
		zf_free(paths[i]);
	zf_free(paths);
	return rc;
}

/* ---- reading and single acts ------------------------------------------------ */

static json_t *items_json(const struct evidence_item *items, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		if (json_array_append_new(a, evidence_item_to_json(&items[i]))) {
			json_decref(a);
			a = NULL;
		}
	return a;
}

int cmd_evidence_list(struct cli *c, struct zf_error *err)
{
	static const char *const cols[] = {"id", "kind", "device", "captured_at_iso", "size",
					   "status", "hold", "original_name", NULL};
	struct evidence_filter f = {cli_opt(c, "case"), cli_opt(c, "status"), 0, NULL};
	struct evidence_item *items = NULL;
	size_t n = 0;
	int rc;
	if ((rc = cli_open_store(c, false, true, err)) ||
	    (rc = store_evidence_list(c->st, &c->ctx, &f, &items, &n, err)))
		return rc;
	json_t *a = items_json(items, n);
	store_evidence_list_free(items, n);
	return a ? cli_print(c, a, cols) : oom(err);
}

/* The item with its chain of custody; looking is itself recorded. */
int cmd_evidence_show(struct cli *c, struct zf_error *err)
{
	struct evidence_item e = {0};
	json_t *custody = NULL, *doc;
	int rc;
	if ((rc = cli_open_store(c, false, true, err)) ||
	    (rc = store_evidence_log(c->st, &c->ctx, c->args[0], "evidence.view", NULL, NULL,
				     err)) ||
	    (rc = store_evidence_get(c->st, &c->ctx, c->args[0], &e, err)) ||
	    (rc = store_evidence_custody(c->st, c->ctx.org_id, e.id, &custody, err)))
		goto out;
	if ((doc = evidence_item_to_json(&e)))
		json_object_set(doc, "custody", custody);
	rc = doc ? cli_print(c, doc, NULL) : oom(err);
out:
	json_decref(custody);
	evidence_item_release(&e);
	return rc;
}


/* A download: the file is copied (and re-hashed) first, then the act is
 * recorded; if recording fails the copy is removed, so nothing leaves the
 * store unrecorded. */
int cmd_evidence_get(struct cli *c, struct zf_error *err)
{
	struct evidence_item e = {0};
	struct evidence_blobs *b = NULL;
	enum ledger_alg alg;
	const char *out;
	int rc;
	if ((rc = cli_need(c, "out", &out, err)) || (rc = cli_open_store(c, false, true, err)) ||
	    (rc = store_evidence_get(c->st, &c->ctx, c->args[0], &e, err)))
		goto done;
	if (!strcmp(e.status, "deleted")) {
		rc = zf_fail(err, ZF_ECONFLICT, "evidence_deleted", "id",
			     "证据“%s”的文件已于保存期满后删除", e.id);
		goto done;
	}
	if ((rc = ledger_alg_parse(e.hash_alg, &alg, "hash_alg", err)) ||
	    (rc = cli_evidence_blobs(c, &b, err)) ||
	    (rc = evidence_blob_copy(b, alg, e.hash, (uint64_t)e.size, out, NULL, NULL, err)))
		goto done;
	if ((rc = store_evidence_log(c->st, &c->ctx, e.id, "evidence.download", NULL, NULL,
				     err))) {
		unlink(out);
		goto done;
	}
	rc = cli_print(c, json_pack("{ss ss ss sI}", "id", e.id, "out", out, "hash", e.hash,
				    "size", (json_int_t)e.size), NULL);
done:
	evidence_blobs_free(b);
	evidence_item_release(&e);
	return rc;
}

static int print_item(struct cli *c, struct evidence_item *e, struct zf_error *err)
{
	json_t *j = evidence_item_to_json(e);
	evidence_item_release(e);
	return j ? cli_print(c, j, NULL) : oom(err);
}

int cmd_evidence_attach(struct cli *c, struct zf_error *err)
{
	struct evidence_item e = {0};
	const char *case_key;
	int64_t step = 0;
	int rc;
	if ((rc = cli_need(c, "case", &case_key, err)) ||
	    (rc = cli_opt_int(c, "step", 1, 100000, &step, NULL, err)) ||
	    (rc = cli_open_store(c, false, true, err)) ||
	    (rc = store_evidence_attach(c->st, &c->ctx, c->args[0], case_key, step, &e, err)))
		return rc;
	return print_item(c, &e, err);
}

int cmd_evidence_redact(struct cli *c, struct zf_error *err)
{
	struct store_evidence_upload *u = NULL;
	struct evidence_item e = {0};
	const char *removed, *reason, *path = c->args[1];
	struct stat sb;
	int rc, fd = -1;
	if ((rc = cli_need(c, "removed", &removed, err)) ||
	    (rc = cli_need(c, "reason", &reason, err)))
		return rc;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &sb) != 0 ||
	    !S_ISREG(sb.st_mode)) {
		rc = zf_fail(err, ZF_EIO, "evidence_unreadable", "file", "无法读取文件“%s”", path);
		goto out;
	}
	if ((rc = cli_open_store(c, false, true, err)) ||
	    (rc = store_evidence_redact_begin(c->st, &c->ctx, c->args[0], removed, reason,
					      path, &u, err)))
		goto out;
	rc = store_evidence_write_fd(u, fd, (uint64_t)sb.st_size, NULL, NULL, "file", err);
	if (rc)
		store_evidence_abort(u);
	else
		rc = store_evidence_commit(u, &e, err);
	if (!rc)
		rc = print_item(c, &e, err);
out:
	if (fd >= 0)
		close(fd);
	return rc;
}

int cmd_evidence_hold(struct cli *c, struct zf_error *err)
{
	struct evidence_item e = {0};
	const char *reason;
	int rc;
	if ((rc = cli_need(c, "reason", &reason, err)) ||
	    (rc = cli_open_store(c, false, true, err)) ||
	    (rc = store_evidence_hold(c->st, &c->ctx, c->args[0], !cli_flag(c, "release"),
				      reason, &e, err)))
		return rc;
	return print_item(c, &e, err);
}

int cmd_evidence_delete(struct cli *c, struct zf_error *err)
{
	struct evidence_item e = {0};
	const char *reason;
	bool removed = false;
	int rc;
	if ((rc = cli_need(c, "reason", &reason, err)) ||
	    (rc = cli_open_store(c, false, true, err)) ||
	    (rc = store_evidence_delete(c->st, &c->ctx, c->args[0], reason, &e, &removed, err)))
		return rc;
	json_t *j = evidence_item_to_json(&e);
	evidence_item_release(&e);
	if (!j)
		return oom(err);
	json_object_set_new(j, "blob_removed", json_boolean(removed));
	return cli_print(c, j, NULL);
}

int cmd_evidence_verify(struct cli *c, struct zf_error *err)
{
	struct evidence_filter f = {NULL, "stored", 0, NULL};
	struct evidence_item *items = NULL;
	struct cli_bar bar;
	json_t *report = NULL;
	size_t n = 0;
	uint64_t total = 0;
	int rc;
	if ((rc = cli_open_store(c, false, true, err)) ||
	    (rc = store_evidence_list(c->st, &c->ctx, &f, &items, &n, err)))
		return rc;
	for (size_t i = 0; i < n; i++)
		total += (uint64_t)items[i].size;
	store_evidence_list_free(items, n);
	cli_bar_init(&bar, total, n);
	bar.name = "核验证据文件";
	rc = store_evidence_verify(c->st, &c->ctx, cli_bar_progress, &bar, &report, err);
	cli_bar_clear(&bar);
	if (rc)
		return rc;
	size_t bad = json_array_size(json_object_get(report, "problems"));
	if (!c->json) {
		size_t i;
		json_t *p;
		json_array_foreach(json_object_get(report, "problems"), i, p)
			printf("%s\t%s\t%s\t%s\n",
			       json_string_value(json_object_get(p, "code")),
			       json_string_value(json_object_get(p, "id")),
			       json_string_value(json_object_get(p, "original_name")),
			       json_string_value(json_object_get(p, "hash")));
		printf("核验 %lld 件证据、%lld 个文件（%lld 字节）：%s\n",
		       (long long)json_integer_value(json_object_get(report, "items")),
		       (long long)json_integer_value(json_object_get(report, "blobs")),
		       (long long)json_integer_value(json_object_get(report, "bytes")),
		       bad ? "有问题" : "全部完好");
		json_decref(report);
	} else {
		cli_print(c, report, NULL);
	}
	if (bad)
		return zf_fail(err, ZF_EREFUSED, "evidence_verify_failed", "",
			       "证据核验发现 %zu 件证据的文件缺失或被改动", bad);
	return ZF_OK;
}
