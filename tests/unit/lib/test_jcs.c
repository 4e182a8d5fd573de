/*
 * Tests for src/lib/jcs.c: the JSON Canonicalization Scheme (RFC 8785) that
 * ledger entries and state hashes are computed over.  Two programs agree on
 * a hash only if they agree on these bytes, so every test compares the exact
 * output.  The expected strings follow RFC 8785 §3.2 (and ECMAScript
 * JSON.stringify for strings), not jcs.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "jcs.h"

/* Canonicalise v (which this takes over) and compare with want. */
static void expect_canon(json_t *v, const char *want)
{
	struct buf b;
	int rc;

	assert_non_null(v);
	buf_init(&b, BUF_MAX_DEFAULT);
	rc = jcs_write(v, &b);
	json_decref(v);
	if (rc != ZF_OK) {
		buf_release(&b);
		fail_msg("jcs_write: rc %d, want \"%s\"", rc, want);
	}
	if (b.len != strlen(want) || memcmp(b.data, want, b.len) != 0) {
		fail_msg("jcs_write: got \"%s\", want \"%s\"", buf_cstr(&b),
			 want);
	}
	buf_release(&b);
}

/* Parse text with jansson, then canonicalise it. */
static void expect_canon_text(const char *text, const char *want)
{
	json_error_t jerr;
	json_t *v = json_loads(text, JSON_DECODE_ANY, &jerr);

	if (!v)
		fail_msg("test input does not parse: %s", jerr.text);
	expect_canon(v, want);
}

/* RFC 8785 §3.2.1: the three literals. */
static void test_literals(void **state)
{
	(void)state;
	expect_canon(json_true(), "true");
	expect_canon(json_false(), "false");
	expect_canon(json_null(), "null");
	expect_canon_text("[true,false,null]", "[true,false,null]");
}

/* Money is integer fen and instants integer microseconds (jcs.h). */
static void test_integers(void **state)
{
	(void)state;
	expect_canon(json_integer(0), "0");
	expect_canon(json_integer(-1), "-1");
	expect_canon(json_integer(42), "42");
	expect_canon(json_integer(-2000), "-2000");
	/* the largest integers an ECMAScript reader still holds exactly */
	expect_canon(json_integer(9007199254740991LL), "9007199254740991");
	expect_canon(json_integer(-9007199254740991LL), "-9007199254740991");
	/* an instant: 2025-03-01T02:00:00Z in microseconds */
	expect_canon(json_integer(1740794400000000LL), "1740794400000000");
}

/* jcs.h: a real is refused rather than risk a formatting difference. */
static void test_reals_refused(void **state)
{
	static const char *const inputs[] = {
		"1.5", "0.0", "-0.0", "1e3", "[1,2.5]", "{\"a\":{\"b\":[0.1]}}",
	};
	(void)state;
	for (size_t i = 0; i < ZF_ARRAY_LEN(inputs); i++) {
		json_t *v = json_loads(inputs[i], JSON_DECODE_ANY, NULL);
		struct buf b;
		int rc;

		assert_non_null(v);
		buf_init(&b, BUF_MAX_DEFAULT);
		rc = jcs_write(v, &b);
		json_decref(v);
		buf_release(&b);
		if (rc != ZF_EINVAL)
			fail_msg("\"%s\": rc %d, want ZF_EINVAL", inputs[i], rc);
	}
	{
		json_t *v = json_real(3.0);
		struct buf b;

		buf_init(&b, BUF_MAX_DEFAULT);
		assert_int_equal(jcs_write(v, &b), ZF_EINVAL);
		json_decref(v);
		buf_release(&b);
	}
}

/* RFC 8785 §3.2.2.2: the minimal escapes of JSON.stringify. */
static void test_string_escapes(void **state)
{
	(void)state;
	expect_canon(json_string("line\nnext"), "\"line\\nnext\"");
	expect_canon(json_string("a\tb"), "\"a\\tb\"");
	expect_canon(json_string("\b\f\r"), "\"\\b\\f\\r\"");
	expect_canon(json_string("say \"hi\""), "\"say \\\"hi\\\"\"");
	expect_canon(json_string("C:\\dir"), "\"C:\\\\dir\"");
	/* other control characters: \u with lower-case hex */
	expect_canon(json_string("\x1f"), "\"\\u001f\"");
	expect_canon(json_string("\x01x\x0b"), "\"\\u0001x\\u000b\"");
	expect_canon(json_stringn("a\0b", 3), "\"a\\u0000b\"");
	/* '/' and DEL are not escaped */
	expect_canon(json_string("a/b</c>"), "\"a/b</c>\"");
	expect_canon(json_string("\x7f"), "\"\x7f\"");
	/* non-ASCII stays literal UTF-8, never \u escaped */
	expect_canon(json_string("处罚"), "\"处罚\"");
	expect_canon(json_string("蒙L12345挂"), "\"蒙L12345挂\"");
	expect_canon(json_string("\xf0\x9f\x98\x80"), "\"\xf0\x9f\x98\x80\"");
	expect_canon(json_string(""), "\"\"");
	/* escapes in a key too */
	expect_canon_text("{\"a\\nb\":1}", "{\"a\\nb\":1}");
	/* an escaped input '/' comes out plain */
	expect_canon_text("\"a\\/b\"", "\"a/b\"");
}

static void test_empty(void **state)
{
	(void)state;
	expect_canon(json_object(), "{}");
	expect_canon(json_array(), "[]");
	expect_canon_text("{\"a\":{},\"b\":[]}", "{\"a\":{},\"b\":[]}");
	expect_canon_text("[[],{}]", "[[],{}]");
}

/* RFC 8785 §3.2.3: members sorted by name, recursively; arrays keep order. */
static void test_nested(void **state)
{
	(void)state;
	expect_canon_text("{ \"b\" : [ 3, 1, { \"z\": null, \"a\": true } ],\n"
			  "  \"a\" : { \"y\": \"2\", \"x\": [ ] } }",
			  "{\"a\":{\"x\":[],\"y\":\"2\"},"
			  "\"b\":[3,1,{\"a\":true,\"z\":null}]}");
	/* a name that is a prefix of another sorts first; "" before all */
	expect_canon_text("{\"ab\":1,\"a\":2,\"\":3,\"B\":4}",
			  "{\"\":3,\"B\":4,\"a\":2,\"ab\":1}");
	expect_canon_text("{\"state_hash_version\":1,\"state_hash\":\"x\"}",
			  "{\"state_hash\":\"x\",\"state_hash_version\":1}");
}

/*
 * RFC 8785 §3.2.3: names compare as UTF-16 code units.  U+1F600 is the
 * surrogate pair D83D DE00, which sorts before U+E000 and U+FFFD although
 * its code point is larger: code-point (or UTF-8 byte) order would put it
 * last.
 */
static void test_utf16_order(void **state)
{
	json_t *o = json_object();

	(void)state;
	assert_non_null(o);
	json_object_set_new(o, "\xef\xbf\xbd", json_integer(3));	/* U+FFFD */
	json_object_set_new(o, "\xee\x80\x80", json_integer(2));	/* U+E000 */
	json_object_set_new(o, "\xf0\x9f\x98\x80", json_integer(1));	/* U+1F600 */
	json_object_set_new(o, "\xef\xbc\xa1", json_integer(4));	/* U+FF21 */
	expect_canon(o, "{\"\xf0\x9f\x98\x80\":1,\"\xee\x80\x80\":2,"
			"\"\xef\xbc\xa1\":4,\"\xef\xbf\xbd\":3}");

	/* a pair compared with a longer name sharing its high surrogate */
	expect_canon_text("{\"\xf0\x9f\x98\x81\":2,\"\xf0\x9f\x98\x80x\":1}",
			  "{\"\xf0\x9f\x98\x80x\":1,\"\xf0\x9f\x98\x81\":2}");
	/* Chinese names: by UTF-16 unit, 处 U+5904 before 罚 U+7F5A */
	expect_canon_text("{\"罚\":2,\"处\":1}", "{\"处\":1,\"罚\":2}");
}

/* The sorting example of RFC 8785 §3.2.3, verbatim. */
static void test_rfc8785_sort_example(void **state)
{
	(void)state;
	expect_canon_text(
		"{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\","
		"\"\\ufb33\":\"Hebrew Letter Dalet With Dagesh\",\"1\":\"One\","
		"\"\\ud83d\\ude00\":\"Emoji: Grinning Face\","
		"\"\\u0080\":\"Control\","
		"\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}",
		"{\"\\r\":\"Carriage Return\",\"1\":\"One\","
		"\"\xc2\x80\":\"Control\","
		"\"\xc3\xb6\":\"Latin Small Letter O With Diaeresis\","
		"\"\xe2\x82\xac\":\"Euro Sign\","
		"\"\xf0\x9f\x98\x80\":\"Emoji: Grinning Face\","
		"\"\xef\xac\xb3\":\"Hebrew Letter Dalet With Dagesh\"}");
}

/* buf.h: the output buffer's limit holds; a refused write says so. */
static void test_buffer_limit(void **state)
{
	json_t *v = json_pack("{ss}", "name", "abcdefghijklmnop");
	struct buf b;

	(void)state;
	assert_non_null(v);
	buf_init(&b, 10);
	assert_int_equal(jcs_write(v, &b), ZF_ETOOBIG);
	assert_true(b.len <= 10);
	buf_release(&b);
	json_decref(v);
}

/* STYLE §11: an allocation failure is reported, never a crash. */
static void test_alloc_failure(void **state)
{
	json_t *v = json_pack("{s{si si} s[i]}", "b", "y", 1, "x", 2, "a", 3);
	long k;

	(void)state;
	assert_non_null(v);
	for (k = 1; k < 50; k++) {
		struct buf b;
		int rc;

		buf_init(&b, BUF_MAX_DEFAULT);
		zf_alloc_fail_after(k);
		rc = jcs_write(v, &b);
		zf_alloc_fail_after(0);
		if (rc == ZF_OK) {
			assert_string_equal(buf_cstr(&b),
					    "{\"a\":[3],\"b\":{\"x\":2,\"y\":1}}");
			buf_release(&b);
			break;
		}
		assert_int_equal(rc, ZF_ENOMEM);
		buf_release(&b);
	}
	assert_true(k > 1);
	json_decref(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_literals),
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_reals_refused),
		cmocka_unit_test(test_string_escapes),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_nested),
		cmocka_unit_test(test_utf16_order),
		cmocka_unit_test(test_rfc8785_sort_example),
		cmocka_unit_test(test_buffer_limit),
		cmocka_unit_test(test_alloc_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
