/*
 * api_routes_ledger.h: route rows and handlers of the ledger API (see
 * api_routes.h).  Internal to http/.  The auditors' routes read the entries
 * of their organisation (or, with ?org=, of one below it); the /public/
 * routes need no login and give only what an outsider needs to verify: the
 * signed checkpoint, the public key and proofs, never an entry's contents.
 */
#ifndef ZF_API_ROUTES_LEDGER_H
#define ZF_API_ROUTES_LEDGER_H

struct http_req;
struct http_resp;
struct zf_error;

/* clang-format off */
#define API_ROUTES_LEDGER \
	{"GET", "/api/v1/ledger/entries", api_ledger_entries, 0, R_AUDIT, "账本条目（after、limit 分页）"}, \
	{"GET", "/api/v1/ledger/entries/{seq}", api_ledger_entry, 0, R_AUDIT, "一条账本条目及其原始字节"}, \
	{"GET", "/api/v1/ledger/verify", api_ledger_verify, 0, R_AUDIT, "核验账本：序号、哈希链、默克尔树、检查点、对象状态"}, \
	{"GET", "/api/v1/ledger/head", api_ledger_head, 0, R_AUDIT, "当前树大小和根哈希"}, \
	{"GET", "/public/ledger/checkpoint", api_public_checkpoint, PUB, 0, "最新签名检查点（C2SP 签名注记，纯文本）"}, \
	{"GET", "/public/ledger/pubkey", api_public_pubkey, PUB, 0, "账本签名公钥（PEM）"}, \
	{"GET", "/public/ledger/proof", api_public_proof, PUB, 0, "条目的包含证明（RFC 9162）"}, \
	{"GET", "/public/ledger/consistency", api_public_consistency, PUB, 0, "两个树大小之间的一致性证明"},
/* clang-format on */

int api_ledger_entries(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_ledger_entry(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_ledger_verify(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_ledger_head(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_public_checkpoint(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_public_pubkey(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_public_proof(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_public_consistency(struct http_req *req, struct http_resp *resp, struct zf_error *err);

#endif
