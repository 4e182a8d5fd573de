/*
 * fuzz_parsers: libFuzzer driver for zhifa's other untrusted formats
 * (STYLE §12).  The first byte picks the parser, the rest is its input:
 *   'c' a checkpoint (signed note), 'b' base64, 'p' a proof JSON checked
 *   against a fixed root, 'j' JSON to RFC 8785 canonical form (which must
 *   parse back to the same value), 't' a holiday calendar file, 'v' a
 *   violation catalogue file, 's' a body camera's evidence sidecar
 *   (<file>.json).
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc/lib -Isrc/domain \
 *       -Isrc/ledger -Isrc/evidence fuzz/fuzz_parsers.c (all of src/lib,
 *       src/domain, src/ledger and src/evidence) build/embedded_files.c \
 *       -ljansson -lcrypto -lsodium
 *   ./a.out fuzz/parsers-corpus
 *
 * tests/unit/ledger/test_parsers_corpus.c replays the corpus in make test.
 */
#include <stdio.h>
#include <string.h>

#include "b64.h"
#include "calendar.h"
#include "checkpoint.h"
#include "evidence.h"
#include "jcs.h"
#include "merkle.h"
#include "violation.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_proof(const char *s, size_t n)
{
	json_t *j = json_loadb(s, n, 0, NULL);
	struct ledger_hasher *h = ledger_hasher_new(LEDGER_SHA256);
	uint8_t hashes[MERKLE_PROOF_MAX * LEDGER_HASH_LEN], leaf[LEDGER_HASH_LEN] = {0};
	uint8_t root[LEDGER_HASH_LEN] = {1};
	json_t *hs = json_object_get(j, "hashes");
	size_t k = 0, got;
	for (; h && k < json_array_size(hs) && k < MERKLE_PROOF_MAX; k++) {
		const char *e = json_string_value(json_array_get(hs, k));
		if (!e || !b64_decode(e, strlen(e), hashes + k * LEDGER_HASH_LEN,
				      LEDGER_HASH_LEN, &got))
			break;
	}
	if (h)
		(void)merkle_inclusion_verify(h, (uint64_t)json_integer_value(json_object_get(j, "leaf_index")),
					      (uint64_t)json_integer_value(json_object_get(j, "tree_size")),
					      leaf, hashes, k, root);
	ledger_hasher_free(h);
	json_decref(j);
}

/* Canonical JSON must parse back to an equal value. */
static void fuzz_jcs(const char *s, size_t n)
{
	json_t *j = json_loadb(s, n, JSON_DECODE_ANY, NULL);
	struct buf b;
	buf_init(&b, 1 << 20);
	if (j && !jcs_write(j, &b)) {
		json_t *back = json_loadb(b.data, b.len, JSON_DECODE_ANY, NULL);
		if (!back || !json_equal(j, back))
			ZF_BUG("canonical form does not round-trip");
		json_decref(back);
	}
	buf_release(&b);
	json_decref(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zf_error err;
	if (size < 1)
		return 0;
	const char *s = (const char *)data + 1;
	size_t n = size - 1;
	switch (data[0]) {
	case 'c': {
		struct checkpoint cp;
		int rc = checkpoint_parse(s, n, &cp, &err);
		(void)rc;
		break;
	}
	case 'b': {
		uint8_t out[4096];
		size_t got;
		(void)b64_decode(s, n, out, sizeof(out), &got);
		break;
	}
	case 'p':
		fuzz_proof(s, n);
		break;
	case 'j':
		fuzz_jcs(s, n);
		break;
	case 't': {
		struct calendar c;
		calendar_init(&c);
		int rc = calendar_load_tsv(&c, s, n, &err);
		(void)rc;
		calendar_release(&c);
		break;
	}
	case 's': {
		struct evidence_sidecar sc;
		if (evidence_sidecar_parse(s, n, &sc, &err) == ZF_OK)
			evidence_sidecar_release(&sc);
		else if (sc.location || sc.officers)
			ZF_BUG("a refused sidecar kept its fields");
		break;
	}
	case 'v': {
		struct violation_catalogue c;
		violation_catalogue_init(&c);
		int rc = violation_catalogue_load_json(&c, s, n, false, &err);
		(void)rc;
		violation_catalogue_release(&c);
		break;
	}
	}
	return 0;
}
