/*
 * Tests for src/ledger/ledger.c: the hashes and the canonical entry that
 * every mutation appends (ledger.h).  Digests are checked against published
 * known answers (GB/T 32905-2016 Appendix A for SM3, FIPS 180-2 for
 * SHA-256, RFC 9162 §2.1.1 for the leaf prefix), so a wrong algorithm or a
 * wrong prefix cannot pass by agreeing with itself.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "ledger.h"

struct hashers {
	struct ledger_hasher *sm3;
	struct ledger_hasher *sha256;
};

static int setup(void **state)
{
	struct hashers *h = zf_calloc(1, sizeof(*h));

	if (!h)
		return -1;
	h->sm3 = ledger_hasher_new(LEDGER_SM3);
	h->sha256 = ledger_hasher_new(LEDGER_SHA256);
	if (!h->sm3 || !h->sha256) {
		ledger_hasher_free(h->sm3);
		ledger_hasher_free(h->sha256);
		zf_free(h);
		return -1;
	}
	*state = h;
	return 0;
}

static int teardown(void **state)
{
	struct hashers *h = *state;

	ledger_hasher_free(h->sm3);
	ledger_hasher_free(h->sha256);
	zf_free(h);
	return 0;
}

static void assert_hex(const uint8_t d[LEDGER_HASH_LEN], const char *want)
{
	char hex[LEDGER_HEX_LEN];

	ledger_hex(d, LEDGER_HASH_LEN, hex);
	assert_string_equal(hex, want);
}

/* GB/T 32905-2016 Appendix A, examples 1 and 2. */
static void test_sm3_known_answers(void **state)
{
	struct hashers *h = *state;
	uint8_t d[LEDGER_HASH_LEN];
	char abcd16[65];

	assert_int_equal(ledger_hasher_alg(h->sm3), LEDGER_SM3);
	assert_int_equal(ledger_hash2(h->sm3, "abc", 3, NULL, 0, d), ZF_OK);
	assert_hex(d, "66c7f0f462eeedd9d1f2d46bdc10e4e2"
		      "4167c4875cf2f7a2297da02b8f4ba8e0");
	/* H(a || b): the split does not matter */
	assert_int_equal(ledger_hash2(h->sm3, "ab", 2, "c", 1, d), ZF_OK);
	assert_hex(d, "66c7f0f462eeedd9d1f2d46bdc10e4e2"
		      "4167c4875cf2f7a2297da02b8f4ba8e0");
	assert_int_equal(ledger_hash2(h->sm3, NULL, 0, "abc", 3, d), ZF_OK);
	assert_hex(d, "66c7f0f462eeedd9d1f2d46bdc10e4e2"
		      "4167c4875cf2f7a2297da02b8f4ba8e0");
	for (int i = 0; i < 16; i++)
		memcpy(abcd16 + 4 * i, "abcd", 4);
	abcd16[64] = '\0';
	assert_int_equal(ledger_hash2(h->sm3, abcd16, 64, NULL, 0, d), ZF_OK);
	assert_hex(d, "debe9ff92275b8a138604889c18e5a4d"
		      "6fdb70e5387e5765293dcba39c0c5732");
	/* the hasher is reusable: the same input gives the same digest again */
	assert_int_equal(ledger_hash2(h->sm3, "abc", 3, NULL, 0, d), ZF_OK);
	assert_hex(d, "66c7f0f462eeedd9d1f2d46bdc10e4e2"
		      "4167c4875cf2f7a2297da02b8f4ba8e0");
}

/* FIPS 180-2: SHA-256 of "" and of "abc". */
static void test_sha256_known_answers(void **state)
{
	struct hashers *h = *state;
	uint8_t d[LEDGER_HASH_LEN];

	assert_int_equal(ledger_hasher_alg(h->sha256), LEDGER_SHA256);
	assert_int_equal(ledger_hash2(h->sha256, NULL, 0, NULL, 0, d), ZF_OK);
	assert_hex(d, "e3b0c44298fc1c149afbf4c8996fb924"
		      "27ae41e4649b934ca495991b7852b855");
	assert_int_equal(ledger_hash2(h->sha256, "a", 1, "bc", 2, d), ZF_OK);
	assert_hex(d, "ba7816bf8f01cfea414140de5dae2223"
		      "b00361a396177a9cb410ff61f20015ad");
}

/* RFC 9162 §2.1.1: the leaf hash is H(0x00 || entry). */
static void test_leaf_hash(void **state)
{
	struct hashers *h = *state;
	uint8_t d[LEDGER_HASH_LEN], want[LEDGER_HASH_LEN];
	static const uint8_t zero = 0x00;

	/* the empty leaf with SHA-256 is SHA-256(0x00) */
	assert_int_equal(ledger_leaf_hash(h->sha256, "", 0, d), ZF_OK);
	assert_hex(d, "6e340b9cffb37a989ca544e6bb780a2c"
		      "78901d3fb33738768511a30617afa01d");
	/* any entry: the prefix byte, then the bytes */
	assert_int_equal(ledger_leaf_hash(h->sm3, "{\"seq\":1}", 9, d), ZF_OK);
	assert_int_equal(ledger_hash2(h->sm3, &zero, 1, "{\"seq\":1}", 9, want),
			 ZF_OK);
	assert_memory_equal(d, want, LEDGER_HASH_LEN);
	/* and not the plain hash of the bytes */
	assert_int_equal(ledger_hash2(h->sm3, "{\"seq\":1}", 9, NULL, 0, want),
			 ZF_OK);
	assert_memory_not_equal(d, want, LEDGER_HASH_LEN);
}

/* ledger.h: the state hash is H(canonical(state)), so key order is moot. */
static void test_state_hash_canonical(void **state)
{
	struct hashers *h = *state;
	uint8_t a[LEDGER_HASH_LEN], b[LEDGER_HASH_LEN], want[LEDGER_HASH_LEN];
	static const char canon[] = "{\"a\":2,\"b\":[true,null],\"c\":\"处罚\"}";
	json_t *x = json_loads("{\"c\":\"处罚\",\"b\":[true,null],\"a\":2}", 0, NULL);
	json_t *y = json_loads("{ \"a\" : 2, \"c\" : \"处罚\", \"b\" : [true, null] }",
			       0, NULL);
	json_t *r = json_pack("{sf}", "fine", 0.5);

	assert_non_null(x);
	assert_non_null(y);
	assert_non_null(r);
	assert_int_equal(ledger_state_hash(h->sm3, x, a), ZF_OK);
	assert_int_equal(ledger_state_hash(h->sm3, y, b), ZF_OK);
	assert_int_equal(ledger_hash2(h->sm3, canon, strlen(canon), NULL, 0, want),
			 ZF_OK);
	assert_memory_equal(a, want, LEDGER_HASH_LEN);
	assert_memory_equal(b, want, LEDGER_HASH_LEN);
	/* jcs.h: a real cannot be hashed */
	assert_int_equal(ledger_state_hash(h->sm3, r, a), ZF_EINVAL);
	json_decref(x);
	json_decref(y);
	json_decref(r);
}

/* ledger.h: personal data is committed to as H(salt || canonical(personal)). */
static void test_pii_digest(void **state)
{
	struct hashers *h = *state;
	uint8_t salt[LEDGER_SALT_LEN], d[LEDGER_HASH_LEN], want[LEDGER_HASH_LEN];
	static const char canon[] = "{\"id_number\":\"11010519491231002X\","
				    "\"phone\":null}";
	json_t *p = json_pack("{sn ss}", "phone", "id_number",
			      "11010519491231002X");

	assert_non_null(p);
	for (int i = 0; i < LEDGER_SALT_LEN; i++)
		salt[i] = (uint8_t)(0xa0 + i);
	assert_int_equal(ledger_pii_digest(h->sha256, salt, p, d), ZF_OK);
	assert_int_equal(ledger_hash2(h->sha256, salt, LEDGER_SALT_LEN, canon,
				      strlen(canon), want), ZF_OK);
	assert_memory_equal(d, want, LEDGER_HASH_LEN);
	/* another salt, another digest */
	salt[0] ^= 1;
	assert_int_equal(ledger_pii_digest(h->sha256, salt, p, want), ZF_OK);
	assert_memory_not_equal(d, want, LEDGER_HASH_LEN);
	json_decref(p);
}

static void fill_entry(struct ledger_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->seq = 3;
	e->recorded_at = 1740794400000000LL;	/* 2025-03-01T02:00:00Z */
	e->effective_at = 1740790800000000LL;	/* one hour earlier (补录) */
	e->org_id = "01954f6e-8d00-7abc-8def-0123456789ab";
	e->actor = "test";
	e->role = "system_admin";
	e->action = "officer.add";
	e->object_type = "officer";
	e->object_id = "01954f6e-8d00-7fff-9000-000000000001";
	for (int i = 0; i < LEDGER_HASH_LEN; i++) {
		e->state_hash[i] = (uint8_t)i;
		e->prev[i] = 0xab;
	}
	e->state_hash_version = LEDGER_STATE_HASH_VERSION;
	e->alg = LEDGER_SM3;
}

/* ledger.h: the entry is the RFC 8785 form of its fields, keys sorted. */
static void test_entry_encode(void **state)
{
	struct ledger_entry e;
	struct buf b;
	static const char want[] =
		"{\"action\":\"officer.add\","
		"\"actor\":{\"role\":\"system_admin\",\"user\":\"test\"},"
		"\"alg\":\"sm3\","
		"\"effective_at\":1740790800000000,"
		"\"object_id\":\"01954f6e-8d00-7fff-9000-000000000001\","
		"\"object_type\":\"officer\","
		"\"org_id\":\"01954f6e-8d00-7abc-8def-0123456789ab\","
		"\"prev\":\"abababababababababababababababab"
		"abababababababababababababababab\","
		"\"recorded_at\":1740794400000000,"
		"\"seq\":3,"
		"\"state_hash\":\"000102030405060708090a0b0c0d0e0f"
		"101112131415161718191a1b1c1d1e1f\","
		"\"state_hash_version\":1}";

	(void)state;
	fill_entry(&e);
	buf_init(&b, BUF_MAX_DEFAULT);
	assert_int_equal(ledger_entry_encode(&e, &b), ZF_OK);
	assert_string_equal(buf_cstr(&b), want);
	assert_int_equal(b.len, strlen(want));
	/* ledger_entry_encode appends */
	assert_int_equal(ledger_entry_encode(&e, &b), ZF_OK);
	assert_int_equal(b.len, 2 * strlen(want));
	buf_release(&b);
}

static void test_entry_encode_detail(void **state)
{
	struct ledger_entry e;
	struct buf b;
	json_t *detail = json_pack("{ss ss sb}", "reason", "换证/延期",
				   "old_due", "2027-01-15", "provisional", 0);
	static const char want[] =
		"{\"action\":\"officer.add\","
		"\"actor\":{\"role\":\"system_admin\",\"user\":\"test\"},"
		"\"alg\":\"sha256\","
		"\"detail\":{\"old_due\":\"2027-01-15\",\"provisional\":false,"
		"\"reason\":\"换证/延期\"},"
		"\"effective_at\":1740790800000000,"
		"\"object_id\":\"01954f6e-8d00-7fff-9000-000000000001\","
		"\"object_type\":\"officer\","
		"\"org_id\":\"01954f6e-8d00-7abc-8def-0123456789ab\","
		"\"prev\":\"0000000000000000000000000000000000000000000000000000000000000000\","
		"\"recorded_at\":1740794400000000,"
		"\"seq\":1,"
		"\"state_hash\":\"000102030405060708090a0b0c0d0e0f"
		"101112131415161718191a1b1c1d1e1f\","
		"\"state_hash_version\":1}";

	(void)state;
	assert_non_null(detail);
	fill_entry(&e);
	e.seq = 1;
	memset(e.prev, 0, sizeof(e.prev));
	e.alg = LEDGER_SHA256;
	e.detail = detail;
	buf_init(&b, BUF_MAX_DEFAULT);
	assert_int_equal(ledger_entry_encode(&e, &b), ZF_OK);
	assert_string_equal(buf_cstr(&b), want);
	buf_release(&b);
	/* the detail is borrowed: the caller's reference is intact */
	assert_int_equal(detail->refcount, 1);
	json_decref(detail);
}

/* A detail that cannot be canonicalised is refused, nothing half-written. */
static void test_entry_encode_refuses_real(void **state)
{
	struct ledger_entry e;
	struct buf b;
	json_t *detail = json_pack("{sf}", "ratio", 1.5);

	(void)state;
	assert_non_null(detail);
	fill_entry(&e);
	e.detail = detail;
	buf_init(&b, BUF_MAX_DEFAULT);
	assert_int_not_equal(ledger_entry_encode(&e, &b), ZF_OK);
	buf_release(&b);
	json_decref(detail);
}

static void test_hex(void **state)
{
	uint8_t bytes[LEDGER_HASH_LEN], back[LEDGER_HASH_LEN];
	char hex[LEDGER_HEX_LEN];
	uint8_t two[2] = {0x11, 0x22};

	(void)state;
	for (int i = 0; i < LEDGER_HASH_LEN; i++)
		bytes[i] = (uint8_t)(i * 37 + 5);
	ledger_hex(bytes, LEDGER_HASH_LEN, hex);
	assert_int_equal(strlen(hex), 64);
	for (int i = 0; i < 64; i++)
		assert_non_null(strchr("0123456789abcdef", hex[i]));
	assert_true(ledger_unhex(hex, back, LEDGER_HASH_LEN));
	assert_memory_equal(bytes, back, LEDGER_HASH_LEN);

	{
		const uint8_t b3[3] = {0x00, 0x9f, 0xff};
		char h3[7];

		ledger_hex(b3, 3, h3);
		assert_string_equal(h3, "009fff");
	}
	assert_true(ledger_unhex("00ff", two, 2));
	assert_int_equal(two[0], 0x00);
	assert_int_equal(two[1], 0xff);
	/* upper case, odd or wrong length, non-hex, NULL: refused */
	assert_false(ledger_unhex("00FF", two, 2));
	assert_false(ledger_unhex("0Aff", two, 2));
	assert_false(ledger_unhex("00f", two, 2));
	assert_false(ledger_unhex("00fff", two, 2));
	assert_false(ledger_unhex("00ff00", two, 2));
	assert_false(ledger_unhex("", two, 2));
	assert_false(ledger_unhex("0g12", two, 2));
	assert_false(ledger_unhex("00 f", two, 2));
	assert_false(ledger_unhex(NULL, two, 2));
	assert_true(ledger_unhex("", two, 0));
}

static void test_alg_parse(void **state)
{
	enum ledger_alg alg = LEDGER_SM3;
	struct zf_error err;

	(void)state;
	assert_int_equal(ledger_alg_parse("sha256", &alg, "hash_alg", &err), ZF_OK);
	assert_int_equal(alg, LEDGER_SHA256);
	assert_int_equal(ledger_alg_parse("sm3", &alg, "hash_alg", &err), ZF_OK);
	assert_int_equal(alg, LEDGER_SM3);
	assert_string_equal(ledger_alg_code(LEDGER_SM3), "sm3");
	assert_string_equal(ledger_alg_code(LEDGER_SHA256), "sha256");
	static const char *const bad[] = {"SM3", "sha-256", "md5", "", NULL};
	for (size_t i = 0; i < ZF_ARRAY_LEN(bad); i++) {
		zf_error_clear(&err);
		assert_int_equal(ledger_alg_parse(bad[i], &alg, "hash_alg", &err),
				 ZF_EINVAL);
		assert_string_equal(err.code, "invalid_hash_alg");
		assert_string_equal(err.field, "hash_alg");
		assert_int_equal(alg, LEDGER_SM3);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sm3_known_answers),
		cmocka_unit_test(test_sha256_known_answers),
		cmocka_unit_test(test_leaf_hash),
		cmocka_unit_test(test_state_hash_canonical),
		cmocka_unit_test(test_pii_digest),
		cmocka_unit_test(test_entry_encode),
		cmocka_unit_test(test_entry_encode_detail),
		cmocka_unit_test(test_entry_encode_refuses_real),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_alg_parse),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
