/*
 * Tests for src/ledger/b64.c: the RFC 4648 §10 test vectors, and the
 * strictness that gives every byte string exactly one accepted encoding.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "b64.h"

static const char *const plain[] = {
	"", "f", "fo", "foo", "foob", "fooba", "foobar",
};
static const char *const coded[] = {
	"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy",
};

static void test_rfc4648_vectors(void **state)
{
	uint8_t out[16];
	size_t n;

	(void)state;
	for (size_t i = 0; i < ZF_ARRAY_LEN(plain); i++) {
		struct buf b;

		buf_init(&b, 64);
		assert_int_equal(b64_encode(plain[i], strlen(plain[i]), &b),
				 ZF_OK);
		assert_string_equal(buf_cstr(&b), coded[i]);
		assert_int_equal(b.len, B64_ENCODED_LEN(strlen(plain[i])));
		buf_release(&b);
		assert_true(b64_decode(coded[i], strlen(coded[i]), out,
				       sizeof(out), &n));
		assert_int_equal(n, strlen(plain[i]));
		assert_memory_equal(out, plain[i], n);
	}
}

static void test_rejects(void **state)
{
	static const char *const bad[] = {
		"Zg=",		/* length not a multiple of 4 */
		"Zg",		/* padding missing */
		"Zh==",		/* non-zero unused bits */
		"Zm9=",		/* non-zero unused bits */
		"Z===",		/* too much padding */
		"====",
		"Zg==Zg==",	/* padding inside */
		"Z=g=",
		" Zg=",		/* whitespace is not skipped */
		"Zg=\n",
		"Zm9v\n",
		"-_8=",		/* the URL alphabet */
		"Zm9v YmFy",
		"Zm9v\0mFy",
	};
	uint8_t out[16];
	size_t n = 99;

	(void)state;
	for (size_t i = 0; i < ZF_ARRAY_LEN(bad); i++) {
		size_t len = i == ZF_ARRAY_LEN(bad) - 1 ? 8 : strlen(bad[i]);

		assert_false(b64_decode(bad[i], len, out, sizeof(out), &n));
	}
	assert_int_equal(n, 99);
	/* room for 5 bytes only */
	assert_false(b64_decode("Zm9vYmE=", 8, out, 4, &n));
	assert_true(b64_decode("Zm9vYmE=", 8, out, 5, &n));
	assert_int_equal(n, 5);
}

static void test_round_trip(void **state)
{
	uint8_t data[100], back[100];
	size_t n;

	(void)state;
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 151 + 7);
	for (size_t len = 0; len <= sizeof(data); len++) {
		struct buf b;

		buf_init(&b, 256);
		assert_int_equal(b64_encode(data, len, &b), ZF_OK);
		assert_int_equal(b.len, B64_ENCODED_LEN(len));
		assert_true(b64_decode(buf_cstr(&b), b.len, back, sizeof(back),
				       &n));
		assert_int_equal(n, len);
		assert_memory_equal(back, data, len);
		buf_release(&b);
	}
}

static void test_encode_limit(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 7);
	assert_int_equal(b64_encode("foobar", 6, &b), ZF_ETOOBIG);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc4648_vectors),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_encode_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
