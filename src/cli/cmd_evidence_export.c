/*
 * evidence export: the evidence bundle a court, a 复议 body or the party
 * checks offline, without the bureau's system: the files, a manifest,
 * each item's latest ledger entry (the export itself) with its inclusion
 * proof, the signed checkpoint that covers them, the public key and a
 * README in Chinese.
 *
 * Order: the files are copied (and re-hashed) first, so an altered blob
 * stops the export before anything is recorded; then one evidence.export
 * entry per item; then a checkpoint over them; then entries, proofs and the
 * manifest.  The bundle is built beside --out and renamed into place, so it
 * appears whole or not at all.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "checkpoint.h"
#include "cli_evidence.h"
#include "date.h"
#include "uuid.h"

static int oom(struct zf_error *err)
{
	return zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
}

static int write_file(const char *dir, const char *name, const char *data, size_t len,
		      struct zf_error *err)
{
	struct buf p;
	int rc = ZF_OK;
	buf_init(&p, 4096);
	if (buf_printf(&p, "%s/%s", dir, name)) {
		buf_release(&p);
		return zf_fail(err, ZF_EINVAL, "invalid_text", "out", "路径过长");
	}
	int fd = open(buf_cstr(&p), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
	if (fd < 0 || write(fd, data, len) != (ssize_t)len || fsync(fd) != 0)
		rc = zf_fail(err, ZF_EIO, "export_failed", "out", "写入“%s”失败：%s",
			     buf_cstr(&p), strerror(errno));
	if (fd >= 0)
		close(fd);
	buf_release(&p);
	return rc;
}

/* As `zhifa ... --json` prints it: indented, one final newline. */
static int write_json(const char *dir, const char *name, const json_t *j,
		      struct zf_error *err)
{
	char *s = json_dumps(j, JSON_INDENT(2));
	struct buf b;
	buf_init(&b, (size_t)256 << 20);
	int rc = !s || buf_puts(&b, s) || buf_putc(&b, '\n') ? oom(err)
		 : write_file(dir, name, b.data, b.len, err);
	free(s);
	buf_release(&b);
	return rc;
}

/* Remove the staging directory: our files and at most one level below. */
static void remove_tree(const char *dir, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		struct buf p;
		struct stat sb;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		buf_init(&p, 4096);
		if (!buf_printf(&p, "%s/%s", dir, de->d_name) && lstat(buf_cstr(&p), &sb) == 0) {
			if (S_ISDIR(sb.st_mode) && depth > 0)
				remove_tree(buf_cstr(&p), depth - 1);
			else
				unlink(buf_cstr(&p));
		}
		buf_release(&p);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

/* out must not exist, or be an empty directory. */
static int check_out(const char *out, struct zf_error *err)
{
	struct stat sb;
	if (stat(out, &sb) != 0)
		return ZF_OK;
	DIR *d = S_ISDIR(sb.st_mode) ? opendir(out) : NULL;
	struct dirent *de;
	bool empty = d != NULL;
	while (d && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			empty = false;
	if (d)
		closedir(d);
	if (!empty)
		return zf_fail(err, ZF_ECONFLICT, "export_dir_not_empty", "out",
			       "“%s”已存在且不是空目录：请指定新的目录", out);
	return ZF_OK;
}

/* The signing key must be at hand before any export entry is written. */
static int check_key(struct cli *c, json_t **pub, struct zf_error *err)
{
	json_t *settings = NULL;
	const char *path = cli_opt(c, "key");
	int rc = store_ledger_pubkey(c->st, c->ctx.org_id, pub, err);
	if (rc == ZF_ENOTFOUND)
		return zf_fail(err, ZF_EREFUSED, "ledger_key_missing", "key",
			       "导出证据包须先有账本签名密钥：请先运行 zhifa ledger keygen"
			       "（包中的检查点要用它签名，法院才能离线核验）");
	if (rc || (rc = store_org_settings(c->st, c->ctx.org_id, &settings, err)))
		return rc;
	if (!path)
		path = json_string_value(json_object_get(settings, "ledger_key_path"));
	if (!path || access(path, R_OK) != 0)
		rc = zf_fail(err, ZF_EREFUSED, "ledger_key_missing", "key",
			     "找不到账本签名私钥文件“%s”：请用 --key 指定，或先运行 zhifa ledger keygen",
			     path ? path : "");
	json_decref(settings);
	return rc;
}

static const char readme_fmt[] =
	"证据包说明（供法院、复议机关和当事人核对）\n"
	"==========================================\n"
	"\n"
	"本证据包由%s（%s）的执法办案系统 zhifa 导出。\n"
	"案件：%s\n"
	"导出时间：%s（UTC）  导出编号：%s\n"
	"证据 %zu 件，其中文件 %zu 个。\n"
	"\n"
	"包内文件\n"
	"--------\n"
	"  files/<哈希值>.<扩展名>   证据文件本身，文件名就是它的%s哈希值\n"
	"  manifest.json             清单：每件证据的哈希值、拍摄时间、设备、执法人员、\n"
	"                            保管记录（收集、查看、下载、导出等，每一次都记入账本）\n"
	"  entries/<序号>.json       每件证据在账本中的最新条目（即本次导出的记录），原样字节\n"
	"  proofs/<序号>.json        该条目在账本中的包含证明（RFC 9162）\n"
	"  checkpoint.txt            机构签名的账本检查点（树大小 %llu）\n"
	"  pubkey.pem                机构的账本签名公钥（%s）\n"
	"\n"
	"一、核对某个证据文件没有被改动\n"
	"------------------------------\n"
	"1. 计算文件的%s哈希值：\n"
	"%s"
	"2. 把算出的值与 manifest.json 中该证据的 \"hash\" 比较，也与文件名比较。\n"
	"   完全一致，说明文件与机构入库时的内容一字不差；不一致，说明文件被改动过。\n"
	"\n"
	"二、核对清单中的记录确实记在机构的账本里\n"
	"----------------------------------------\n"
	"每件证据在 manifest.json 中有 \"seq\"（账本序号）。以序号 N 为例，运行：\n"
	"\n"
	"  zhifa ledger check-proof --proof proofs/N.json --checkpoint checkpoint.txt \\\n"
	"        --pubkey pubkey.pem --entry entries/N.json\n"
	"\n"
	"输出 \"valid\": true，说明：检查点的签名是机构的密钥所签；该条目就在检查点所签的\n"
	"账本中，没有被删改。这一步不需要机构的数据库，zhifa 程序本身即可离线运行。\n"
	"%s"
	"\n"
	"条目中的 \"state_hash\" 是该证据当时全部元数据（manifest.json 中的 \"state\"，\n"
	"含文件哈希值）按 RFC 8785 规范化后的%s哈希值，因此条目也证明了文件的哈希值。\n"
	"\n"
	"如对核验结果有疑问，请联系出具机构。\n";

static int write_readme(const char *dir, json_t *manifest, enum ledger_alg alg,
			size_t nitems, size_t nfiles, const struct checkpoint *cp,
			const char *case_label, struct zf_error *err)
{
	bool sm3 = alg == LEDGER_SM3;
	const char *how =
		sm3 ? "     openssl dgst -sm3 files/文件名      （OpenSSL 1.1.1 及以上）\n"
		      "     或 gmssl sm3 < files/文件名          （GmSSL）\n"
		    : "     sha256sum files/文件名               （Linux）\n"
		      "     certutil -hashfile files\\文件名 SHA256 （Windows）\n";
	const char *rfc = sm3 ? ""
			      : "\n本账本使用 SHA-256：任何符合 RFC 9162（证书透明）的核验程序，\n"
				"都可以用 proofs/N.json 中的 leaf_index、tree_size 和 hashes，\n"
				"与 checkpoint.txt 第三行的根哈希核对 entries/N.json 的包含证明\n"
				"（叶哈希 = SHA-256(0x00 || 条目字节)）。\n";
	json_t *org = json_object_get(manifest, "org");
	struct buf b;
	buf_init(&b, 64 << 10);
	int rc = buf_printf(&b, readme_fmt, json_string_value(json_object_get(org, "name")),
			    json_string_value(json_object_get(org, "division_code")), case_label,
			    json_string_value(json_object_get(manifest, "exported_at")),
			    json_string_value(json_object_get(manifest, "export_id")), nitems,
			    nfiles, sm3 ? " SM3 " : " SHA-256 ", (unsigned long long)cp->size,
			    sm3 ? "SM2" : "Ed25519", sm3 ? " SM3 " : " SHA-256 ", how, rfc,
			    sm3 ? " SM3 " : " SHA-256 ");
	rc = rc ? oom(err) : write_file(dir, "README.txt", b.data, b.len, err);
	buf_release(&b);
	return rc;
}

/* Officer ids -> [{id, name, cert_no}] (执法证 numbers are public, 三项制度). */
static json_t *officers_json(struct cli *c, const json_t *ids)
{
	json_t *a = json_array();
	size_t i;
	json_t *v;
	json_array_foreach(ids, i, v) {
		struct officer o = {0};
		if (a && !store_officer_get(c->st, &c->ctx, json_string_value(v), &o, NULL))
			json_array_append_new(a, json_pack("{ss ss ss}", "id", o.id, "name",
							   o.name, "cert_no", o.cert_no));
		officer_release(&o);
	}
	return a;
}

struct export {
	struct cli *c;
	const char *stage;
	struct evidence_item *items;
	size_t n;
	int64_t *seqs;
	char case_id[REG_ID_LEN];
	json_t *case_doc;
	enum ledger_alg alg;
	size_t nfiles;
};

static int export_files(struct export *x, struct zf_error *err)
{
	struct evidence_blobs *b = NULL;
	struct cli_bar bar;
	uint64_t total = 0;
	int rc = cli_evidence_blobs(x->c, &b, err);
	for (size_t i = 0; i < x->n; i++)
		total += (uint64_t)x->items[i].size;
	cli_bar_init(&bar, total, x->n);
	for (size_t i = 0; !rc && i < x->n; i++) {
		struct evidence_item *e = &x->items[i];
		char ext[16];
		struct buf dest;
		bar.index = i + 1;
		bar.name = e->original_name;
		if (!strcmp(e->status, "stored")) {
			evidence_file_ext(e->original_name, ext);
			buf_init(&dest, 4096);
			if (buf_printf(&dest, "%s/files/%s.%s", x->stage, e->hash, ext))
				rc = zf_fail(err, ZF_EINVAL, "invalid_text", "out", "路径过长");
			else if ((rc = evidence_blob_copy(b, x->alg, e->hash, (uint64_t)e->size,
							  buf_cstr(&dest), cli_bar_progress, &bar, err)) &&
				 err) {
				/* name the item; the whole bundle is refused */
				char msg[sizeof(err->message)], code[sizeof(err->code)];
				zf_strlcpy(msg, err->message, sizeof(msg));
				zf_strlcpy(code, err->code, sizeof(code));
				zf_fail(err, rc, code, "evidence", "证据“%s”（%s）：%s；证据包未导出",
					e->original_name, e->id, msg);
			}
			buf_release(&dest);
			x->nfiles++;
		}
		bar.base += (uint64_t)e->size;
	}
	cli_bar_clear(&bar);
	evidence_blobs_free(b);
	return rc;
}

static int export_item(struct export *x, size_t i, json_t *items, struct zf_error *err)
{
	struct cli *c = x->c;
	struct evidence_item *e = &x->items[i];
	json_t *entry = NULL, *proof = NULL, *custody = NULL, *j = NULL;
	char name[64], ext[16];
	int rc;
	if ((rc = store_ledger_entry(c->st, c->ctx.org_id, x->seqs[i], &entry, err)) ||
	    (rc = store_ledger_prove(c->st, c->ctx.org_id, x->seqs[i], 0, &proof, err)) ||
	    (rc = store_evidence_custody(c->st, c->ctx.org_id, e->id, &custody, err)))
		goto out;
	json_t *canon = json_object_get(entry, "canonical");
	snprintf(name, sizeof(name), "entries/%lld.json", (long long)x->seqs[i]);
	if ((rc = write_file(x->stage, name, json_string_value(canon), json_string_length(canon),
			     err)))
		goto out;
	snprintf(name, sizeof(name), "proofs/%lld.json", (long long)x->seqs[i]);
	if ((rc = write_json(x->stage, name, proof, err)))
		goto out;
	size_t k;
	json_t *ev;
	json_array_foreach(custody, k, ev) {
		char when[INSTANT_STR_LEN];
		instant_format(json_integer_value(json_object_get(ev, "recorded_at")), when);
		json_object_set_new(ev, "recorded_at_iso", json_string(when));
	}
	if (!(j = evidence_item_to_json(e)))
		goto nomem;
	evidence_file_ext(e->original_name, ext);
	json_t *file = json_null();
	if (!strcmp(e->status, "stored")) {
		struct buf f;
		buf_init(&f, 256);
		file = buf_printf(&f, "files/%s.%s", e->hash, ext) ? NULL
								    : json_string(buf_cstr(&f));
		buf_release(&f);
	}
	snprintf(name, sizeof(name), "entries/%lld.json", (long long)x->seqs[i]);
	json_object_set_new(j, "file", file);
	json_object_set_new(j, "captured_by_officers", officers_json(c, e->captured_by));
	json_object_set_new(j, "seq", json_integer(x->seqs[i]));
	json_object_set_new(j, "entry", json_string(name));
	snprintf(name, sizeof(name), "proofs/%lld.json", (long long)x->seqs[i]);
	json_object_set_new(j, "proof", json_string(name));
	json_object_set(j, "leaf_hash", json_object_get(entry, "leaf_hash"));
	json_object_set_new(j, "state", evidence_item_state_json(e));
	json_object_set(j, "custody", custody);
	if (json_array_append(items, j))
		goto nomem;
	goto out;
nomem:
	rc = oom(err);
out:
	json_decref(j);
	json_decref(entry);
	json_decref(proof);
	json_decref(custody);
	return rc;
}

static int export_bundle(struct export *x, const char *out, json_t *pub,
			 struct zf_error *err)
{
	struct cli *c = x->c;
	struct checkpoint cp;
	struct org o = {0};
	char export_id[REG_ID_LEN], when[INSTANT_STR_LEN], root[LEDGER_HEX_LEN];
	char *note = NULL;
	json_t *detail = NULL, *cpj = NULL, *items = json_array(), *manifest = NULL;
	const char *number = json_string_value(json_object_get(x->case_doc, "number"));
	int rc = items ? ZF_OK : oom(err);
	/* 1. the files, re-hashed as copied: an altered blob stops the export
	 *    before anything is recorded */
	if (rc || (rc = export_files(x, err)))
		goto out;
	/* 2. one custody entry per item, then a checkpoint that covers them */
	if (uuid_v7(c->ctx.now_us, export_id)) {
		rc = zf_fail(err, ZF_EIO, "no_randomness", "", "系统随机数不可用");
		goto out;
	}
	if (!(detail = json_pack("{ss ss}", "export_id", export_id, "case_id", x->case_id)))
		goto nomem;
	for (size_t i = 0; !rc && i < x->n; i++)
		rc = store_evidence_log(c->st, &c->ctx, x->items[i].id, "evidence.export", detail,
					&x->seqs[i], err);
	if (rc || (rc = cli_ledger_checkpoint(c, &cpj, err)) ||
	    (rc = store_ledger_checkpoint_latest(c->st, c->ctx.org_id, &note, err)) ||
	    (rc = checkpoint_parse(note, strlen(note), &cp, err)) ||
	    (rc = store_org_find(c->st, c->ctx.org_id, &o, err)))
		goto out;
	/* 3. entries, proofs, the manifest and what a clerk needs */
	for (size_t i = 0; !rc && i < x->n; i++)
		rc = export_item(x, i, items, err);
	if (rc)
		goto out;
	instant_format(c->ctx.now_us, when);
	ledger_hex(cp.root, LEDGER_HASH_LEN, root);
	manifest = json_pack("{ss ss ss s{ss ss ss} s{ss ss*} ss s{ss sI ss} sI sI sO}",
			     "format", "zhifa-evidence-bundle/1", "export_id", export_id,
			     "exported_at", when, "org", "id", o.id, "name", o.name,
			     "division_code", o.division_code, "case", "id", x->case_id,
			     "number", number, "hash_alg", ledger_alg_code(x->alg), "checkpoint",
			     "origin", cp.origin, "size", (json_int_t)cp.size, "root_hex", root,
			     "items_count", (json_int_t)x->n, "files_count", (json_int_t)x->nfiles,
			     "items", items);
	if (!manifest)
		goto nomem;
	if ((rc = write_json(x->stage, "manifest.json", manifest, err)) ||
	    (rc = write_file(x->stage, "checkpoint.txt", note, strlen(note), err)) ||
	    (rc = write_file(x->stage, "pubkey.pem",
			     json_string_value(json_object_get(pub, "public_pem")),
			     json_string_length(json_object_get(pub, "public_pem")), err)) ||
	    (rc = write_readme(x->stage, manifest, x->alg, x->n, x->nfiles, &cp,
			       number ? number : x->case_id, err)))
		goto out;
	/* 4. the bundle appears whole or not at all */
	if (rename(x->stage, out) != 0) {
		rc = zf_fail(err, ZF_EIO, "export_failed", "out", "无法把证据包移到“%s”：%s", out,
			     strerror(errno));
		goto out;
	}
	rc = cli_print(c, json_pack("{ss ss ss* sI sI sI ss}", "out", out, "export_id",
				    export_id, "case", number, "items", (json_int_t)x->n, "files",
				    (json_int_t)x->nfiles, "checkpoint_size", (json_int_t)cp.size,
				    "root_hex", root), NULL);
	goto out;
nomem:
	rc = oom(err);
out:
	org_release(&o);
	zf_free(note);
	json_decref(detail);
	json_decref(cpj);
	json_decref(items);
	json_decref(manifest);
	return rc;
}

int cmd_evidence_export(struct cli *c, struct zf_error *err)
{
	struct export x;
	struct evidence_filter f = {0};
	struct buf stage;
	json_t *pub = NULL;
	const char *case_key, *out;
	char *staged = NULL;
	int rc;
	memset(&x, 0, sizeof(x));
	x.c = c;
	buf_init(&stage, 4096);
	if ((rc = cli_need(c, "case", &case_key, err)) || (rc = cli_need(c, "out", &out, err)) ||
	    (rc = check_out(out, err)) || (rc = cli_open_store(c, false, true, err)) ||
	    (rc = check_key(c, &pub, err)) || (rc = cli_evidence_alg(c, &x.alg, err)) ||
	    (rc = store_case_get(c->st, &c->ctx, case_key, &x.case_doc, err)))
		goto out;
	zf_strlcpy(x.case_id, json_string_value(json_object_get(x.case_doc, "id")),
		   sizeof(x.case_id));
	f.case_key = x.case_id;
	if ((rc = store_evidence_list(c->st, &c->ctx, &f, &x.items, &x.n, err)))
		goto out;
	if (!x.n) {
		rc = zf_fail(err, ZF_ENOTFOUND, "evidence_none", "case", "案件“%s”没有证据可导出",
			     case_key);
		goto out;
	}
	if (!(x.seqs = zf_calloc(x.n, sizeof(*x.seqs)))) {
		rc = oom(err);
		goto out;
	}
	/* built beside out and renamed into place at the end */
	if (buf_printf(&stage, "%s.partial-XXXXXX", out) || !mkdtemp(stage.data)) {
		rc = zf_fail(err, ZF_EIO, "export_failed", "out", "无法在“%s”旁新建目录：%s", out,
			     strerror(errno));
		goto out;
	}
	staged = stage.data;
	x.stage = staged;
	chmod(staged, 0755);	/* mkdtemp made it 0700; the bundle is to be handed out */
	static const char *const subdirs[] = {"files", "entries", "proofs"};
	for (size_t i = 0; !rc && i < ZF_ARRAY_LEN(subdirs); i++) {
		struct buf d;
		buf_init(&d, 4096);
		if (buf_printf(&d, "%s/%s", staged, subdirs[i]) || mkdir(buf_cstr(&d), 0755) != 0)
			rc = zf_fail(err, ZF_EIO, "export_failed", "out", "无法新建目录“%s”",
				     buf_cstr(&d));
		buf_release(&d);
	}
	if (!rc)
		rc = export_bundle(&x, out, pub, err);
	if (rc)
		remove_tree(staged, 1);
out:
	json_decref(pub);
	json_decref(x.case_doc);
	store_evidence_list_free(x.items, x.n);
	zf_free(x.seqs);
	buf_release(&stage);
	return rc;
}
