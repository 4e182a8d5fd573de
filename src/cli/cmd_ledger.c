/* ledger keygen|checkpoint|prove|consistency|show|pubkey|check-proof. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "b64.h"
#include "buf.h"
#include "checkpoint.h"
#include "cli.h"
#include "merkle.h"
#include "text.h"

/* Where the private key lives: --key, else the organisation's setting. */
static int key_path(struct cli *c, char **out, struct zf_error *err)
{
	json_t *settings = NULL;
	const char *p = cli_opt(c, "key");
	int rc;
	if (p) {
		*out = zf_strdup(p);
		return *out ? ZF_OK : zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
	}
	if ((rc = store_org_settings(c->st, c->ctx.org_id, &settings, err)))
		return rc;
	const char *v = json_string_value(json_object_get(settings, "ledger_key_path"));
	*out = v ? zf_strdup(v) : NULL;
	json_decref(settings);
	if (!*out)
		return zf_fail(err, ZF_ENOTFOUND, "ledger_key_missing", "key",
			       "没有账本签名私钥：请先运行 zhifa ledger keygen，或用 --key 指定");
	return ZF_OK;
}

int cmd_ledger_keygen(struct cli *c, struct zf_error *err)
{
	struct buf pem, path;
	json_t *out = NULL;
	int rc, fd = -1;
	buf_init(&pem, 64 << 10);
	buf_init(&path, 4096);
	if ((rc = cli_open_store(c, false, true, err)))
		goto done;
	if (cli_opt(c, "out"))
		rc = buf_puts(&path, cli_opt(c, "out"));
	else
		rc = buf_printf(&path, "%s.%s.key.pem", c->db_path, c->ctx.org_id);
	if (rc) {
		rc = zf_fail(err, ZF_EINVAL, "invalid_text", "out", "路径过长");
		goto done;
	}
	/* the file is created first, only for us, and never overwritten */
	fd = open(buf_cstr(&path), O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		rc = zf_fail(err, ZF_EIO, "key_file_exists", "out",
			     "无法新建私钥文件“%s”（已存在或无权限）", buf_cstr(&path));
		goto done;
	}
	if ((rc = store_ledger_keygen(c->st, &c->ctx, &pem, &out, err)))
		goto done;
	if (write(fd, pem.data, pem.len) != (ssize_t)pem.len || fsync(fd) != 0) {
		rc = zf_fail(err, ZF_EIO, "key_write_failed", "out", "私钥写入失败");
		goto done;
	}
	if ((rc = store_org_setting_set(c->st, &c->ctx, "ledger_key_path", buf_cstr(&path),
					err)))
		goto done;
	json_object_set_new(out, "private_key_file", json_string(buf_cstr(&path)));
	rc = cli_print(c, out, NULL);
	out = NULL;
done:
	if (fd >= 0) {
		close(fd);
		if (rc)
			unlink(buf_cstr(&path));
	}
	json_decref(out);
	if (pem.data)
		OPENSSL_cleanse(pem.data, pem.len);
	buf_release(&pem);
	buf_release(&path);
	return rc;
}

int cli_ledger_checkpoint(struct cli *c, json_t **out, struct zf_error *err)
{
	char *path = NULL;
	struct buf pem;
	int rc = key_path(c, &path, err);
	if (rc)
		return rc;
	rc = cli_read_file(path, 64 << 10, &pem, "key", err);
	zf_free(path);
	if (!rc)
		rc = store_ledger_checkpoint(c->st, &c->ctx, buf_cstr(&pem), pem.len, out, err);
	if (pem.data)
		OPENSSL_cleanse(pem.data, pem.len);
	buf_release(&pem);
	return rc;
}

int cmd_ledger_checkpoint(struct cli *c, struct zf_error *err)
{
	json_t *out = NULL;
	int rc;
	if ((rc = cli_open_store(c, false, true, err)) ||
	    (rc = cli_ledger_checkpoint(c, &out, err)))
		return rc;
	if (!c->json) {
		fputs(json_string_value(json_object_get(out, "note")), stdout);
		json_decref(out);
		return ZF_OK;
	}
	return cli_print(c, out, NULL);
}

int cmd_ledger_prove(struct cli *c, struct zf_error *err)
{
	int64_t seq = 0, size = 0;
	json_t *out = NULL;
	int rc;
	if (!cli_opt(c, "entry"))
		return zf_fail(err, ZF_EUSAGE, "missing_option", "entry", "缺少必需的选项 --entry");
	if ((rc = cli_opt_int(c, "entry", 0, INT64_MAX / 2, &seq, NULL, err)) ||
	    (rc = cli_opt_int(c, "size", 1, INT64_MAX / 2, &size, NULL, err)) ||
	    (rc = cli_open_store(c, false, true, err)) ||
	    (rc = store_ledger_prove(c->st, c->ctx.org_id, seq, size, &out, err)))
		return rc;
	c->json = true;
	return cli_print(c, out, NULL);
}

int cmd_ledger_consistency(struct cli *c, struct zf_error *err)
{
	int64_t m = 0, n = 0;
	json_t *out = NULL;
	int rc;
	if (!cli_opt(c, "from") || !cli_opt(c, "to"))
		return zf_fail(err, ZF_EUSAGE, "missing_option", cli_opt(c, "from") ? "to" : "from",
			       "须给出 --from M --to N");
	if ((rc = cli_opt_int(c, "from", 0, INT64_MAX / 2, &m, NULL, err)) ||
	    (rc = cli_opt_int(c, "to", 1, INT64_MAX / 2, &n, NULL, err)) ||
	    (rc = cli_open_store(c, false, true, err)) ||
	    (rc = store_ledger_consistency(c->st, c->ctx.org_id, m, n, &out, err)))
		return rc;
	c->json = true;
	return cli_print(c, out, NULL);
}

int cmd_ledger_show(struct cli *c, struct zf_error *err)
{
	int64_t seq = 0;
	json_t *out = NULL;
	int rc;
	if (!cli_opt(c, "entry"))
		return zf_fail(err, ZF_EUSAGE, "missing_option", "entry", "缺少必需的选项 --entry");
	if ((rc = cli_opt_int(c, "entry", 1, INT64_MAX / 2, &seq, NULL, err)) ||
	    (rc = cli_open_store(c, false, true, err)) ||
	    (rc = store_ledger_entry(c->st, c->ctx.org_id, seq, &out, err)))
		return rc;
	if (cli_flag(c, "raw")) {
		/* the exact bytes that were hashed, for check-proof --entry */
		json_t *canon = json_object_get(out, "canonical");
		fwrite(json_string_value(canon), 1, json_string_length(canon), stdout);
		json_decref(out);
		return ZF_OK;
	}
	c->json = true;
	return cli_print(c, out, NULL);
}

int cmd_ledger_pubkey(struct cli *c, struct zf_error *err)
{
	json_t *out = NULL;
	int rc;
	if ((rc = cli_open_store(c, false, true, err)) ||
	    (rc = store_ledger_pubkey(c->st, c->ctx.org_id, &out, err)))
		return rc;
	if (!c->json) {
		fputs(json_string_value(json_object_get(out, "public_pem")), stdout);
		json_decref(out);
		return ZF_OK;
	}
	return cli_print(c, out, NULL);
}

int cmd_ledger_head(struct cli *c, struct zf_error *err)
{
	json_t *out = NULL;
	int rc;
	if ((rc = cli_open_store(c, false, true, err)) ||
	    (rc = store_ledger_head(c->st, c->ctx.org_id, &out, err)))
		return rc;
	return cli_print(c, out, NULL);
}

static int proof_fail(struct zf_error *err, const char *field, const char *msg)
{
	return zf_fail(err, ZF_EINVAL, "invalid_proof", field, "%s", msg);
}

/*
 * check-proof needs no database: an auditor holding the bureau's public
 * key, a signed checkpoint and a proof checks that an entry is in the log.
 */
int cmd_ledger_check_proof(struct cli *c, struct zf_error *err)
{
	struct buf pub, note, proof, entry;
	EVP_PKEY *key = NULL;
	struct checkpoint cp;
	enum checkpoint_alg calg;
	json_t *pj = NULL;
	json_error_t jerr;
	struct ledger_hasher *h = NULL;
	uint8_t leaf[LEDGER_HASH_LEN], hashes[MERKLE_PROOF_MAX * LEDGER_HASH_LEN];
	const char *pp, *cpp, *kp;
	int rc;
	buf_init(&pub, 1);
	buf_init(&note, 1);
	buf_init(&proof, 1);
	buf_init(&entry, 1);
	if ((rc = cli_need(c, "proof", &pp, err)) || (rc = cli_need(c, "checkpoint", &cpp, err)) ||
	    (rc = cli_need(c, "pubkey", &kp, err)) ||
	    (rc = cli_read_file(kp, 64 << 10, &pub, "pubkey", err)) ||
	    (rc = cli_read_file(cpp, 128 << 10, &note, "checkpoint", err)) ||
	    (rc = cli_read_file(pp, 64 << 10, &proof, "proof", err)) ||
	    (cli_opt(c, "entry") &&
	     (rc = cli_read_file(cli_opt(c, "entry"), 16 << 20, &entry, "entry", err))))
		goto out;
	if ((rc = checkpoint_key_from_public_pem(buf_cstr(&pub), pub.len, &key, err))) {
		zf_strlcpy(err->field, "pubkey", sizeof(err->field));
		goto out;
	}
	if (!checkpoint_key_alg(key, &calg)) {
		rc = zf_fail(err, ZF_EINVAL, "unsupported_key", "pubkey", "公钥类型不支持");
		goto out;
	}
	/* zhifa names its key after the log's origin */
	if ((rc = checkpoint_parse(buf_cstr(&note), note.len, &cp, err)) ||
	    (rc = checkpoint_verify(buf_cstr(&note), note.len, cp.origin, key, &cp, err))) {
		zf_strlcpy(err->field, "checkpoint", sizeof(err->field));
		goto out;
	}
	if (!(pj = json_loadb(proof.data ? proof.data : "", proof.len, 0, &jerr))) {
		rc = proof_fail(err, "proof", "证明文件不是有效的 JSON");
		goto out;
	}
	json_t *li = json_object_get(pj, "leaf_index"), *ts = json_object_get(pj, "tree_size");
	json_t *hs = json_object_get(pj, "hashes"), *lh = json_object_get(pj, "leaf_hash");
	if (!json_is_integer(li) || !json_is_integer(ts) || !json_is_array(hs) ||
	    json_integer_value(li) < 0 || json_integer_value(ts) < 1 ||
	    json_array_size(hs) > MERKLE_PROOF_MAX) {
		rc = proof_fail(err, "proof", "证明缺少 leaf_index、tree_size 或 hashes");
		goto out;
	}
	if ((uint64_t)json_integer_value(ts) != cp.size) {
		rc = proof_fail(err, "proof", "证明的树大小与检查点不一致");
		goto out;
	}
	size_t n = json_array_size(hs), got;
	for (size_t i = 0; i < n; i++) {
		const char *s = json_string_value(json_array_get(hs, i));
		if (!s || !b64_decode(s, strlen(s), hashes + i * LEDGER_HASH_LEN,
				      LEDGER_HASH_LEN, &got) || got != LEDGER_HASH_LEN) {
			rc = proof_fail(err, "proof", "证明中的哈希不是 32 字节的 base64");
			goto out;
		}
	}
	h = ledger_hasher_new(calg == CHECKPOINT_SM2 ? LEDGER_SM3 : LEDGER_SHA256);
	if (!h) {
		rc = zf_fail(err, ZF_EIO, "crypto_unavailable", "", "哈希算法不可用");
		goto out;
	}
	uint8_t given[LEDGER_HASH_LEN];
	bool have_given = lh && json_is_string(lh) &&
			  b64_decode(json_string_value(lh), json_string_length(lh), given,
				     LEDGER_HASH_LEN, &got) && got == LEDGER_HASH_LEN;
	if (cli_opt(c, "entry")) {
		if (ledger_leaf_hash(h, entry.data ? entry.data : "", entry.len, leaf)) {
			rc = zf_fail(err, ZF_EIO, "crypto_unavailable", "", "哈希计算失败");
			goto out;
		}
		if (have_given && memcmp(given, leaf, LEDGER_HASH_LEN)) {
			rc = proof_fail(err, "entry", "条目内容与证明中的叶哈希不符：条目被改动");
			goto out;
		}
	} else if (have_given) {
		memcpy(leaf, given, LEDGER_HASH_LEN);
	} else {
		rc = proof_fail(err, "entry", "须给出 --entry 条目文件或在证明中给出 leaf_hash");
		goto out;
	}
	if (!merkle_inclusion_verify(h, (uint64_t)json_integer_value(li), cp.size, leaf,
				     hashes, n, cp.root)) {
		rc = proof_fail(err, "proof", "包含证明不成立：该条目不在检查点所签的账本中");
		goto out;
	}
	rc = cli_print(c, json_pack("{sb sI sI ss ss sb}", "valid", 1, "leaf_index",
				    json_integer_value(li), "tree_size", (json_int_t)cp.size,
				    "origin", cp.origin, "alg",
				    calg == CHECKPOINT_SM2 ? "sm2+sm3" : "ed25519+sha256",
				    "entry_checked", cli_opt(c, "entry") != NULL), NULL);
out:
	ledger_hasher_free(h);
	EVP_PKEY_free(key);
	json_decref(pj);
	buf_release(&pub);
	buf_release(&note);
	buf_release(&proof);
	buf_release(&entry);
	return rc;
}
