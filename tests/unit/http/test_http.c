/*
 * Unit tests for src/http/: listen-address parsing, the route table, error
 * bodies and the two handlers, called directly without a server.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <arpa/inet.h>
#include <string.h>
#include <cmocka.h>

#include "http_int.h"

static void expect_listen(const char *s, const char *addr, unsigned port)
{
	struct sockaddr_in sa;
	struct zf_error err;
	char got[INET_ADDRSTRLEN];

	zf_error_clear(&err);
	assert_int_equal(http_parse_listen(s, &sa, &err), ZF_OK);
	assert_int_equal(sa.sin_family, AF_INET);
	assert_non_null(inet_ntop(AF_INET, &sa.sin_addr, got, sizeof(got)));
	assert_string_equal(got, addr);
	assert_int_equal(ntohs(sa.sin_port), port);
}

/* A failure names the field, uses one code and leaves *out alone. */
static void expect_bad_listen(const char *s)
{
	struct sockaddr_in sa;
	struct zf_error err;

	memset(&sa, 0xa5, sizeof(sa));
	zf_error_clear(&err);
	assert_int_equal(http_parse_listen(s, &sa, &err), ZF_EINVAL);
	assert_int_equal(err.rc, ZF_EINVAL);
	assert_string_equal(err.code, "invalid_listen");
	assert_string_equal(err.field, "listen");
	assert_true(err.message[0] != '\0');
	assert_int_equal(sa.sin_family, (sa_family_t)0xa5a5);
}

static void test_listen_valid(void **state)
{
	(void)state;
	expect_listen("127.0.0.1:8080", "127.0.0.1", 8080);
	expect_listen("0.0.0.0:1", "0.0.0.0", 1);
	expect_listen("255.255.255.255:65535", "255.255.255.255", 65535);
	expect_listen("10.20.30.40:443", "10.20.30.40", 443);
}

static void test_listen_missing_port(void **state)
{
	(void)state;
	expect_bad_listen("127.0.0.1");
	expect_bad_listen("127.0.0.1:");
	expect_bad_listen(":8080");
}

static void test_listen_port_range(void **state)
{
	(void)state;
	expect_bad_listen("127.0.0.1:0");
	expect_bad_listen("127.0.0.1:70000");
	expect_bad_listen("127.0.0.1:65536");
	expect_bad_listen("127.0.0.1:-1");
	expect_bad_listen("127.0.0.1:+80");
	expect_bad_listen("127.0.0.1:08080");
	expect_bad_listen("127.0.0.1:123456");
}

static void test_listen_letters(void **state)
{
	(void)state;
	expect_bad_listen("localhost:8080");
	expect_bad_listen("a.b.c.d:80");
	expect_bad_listen("127.0.0.1:80a");
	expect_bad_listen("127.0.0.1:http");
	expect_bad_listen("127.0.0.1:0x50");
	expect_bad_listen("127.0.0.1:8080 ");
	expect_bad_listen(" 127.0.0.1:8080");
}

static void test_listen_bad_address(void **state)
{
	(void)state;
	expect_bad_listen("256.0.0.1:80");
	expect_bad_listen("127.0.0:80");
	expect_bad_listen("127.0.0.1.5:80");
	expect_bad_listen("127..0.1:80");
	expect_bad_listen("010.0.0.1:80");
	expect_bad_listen("1270.0.0.1:80");
	expect_bad_listen("[::1]:80");
	expect_bad_listen("127.0.0.1::80");
}

static void test_listen_empty(void **state)
{
	(void)state;
	expect_bad_listen("");
	expect_bad_listen(NULL);
}

static void test_listen_overlong(void **state)
{
	char s[4096];

	(void)state;
	memset(s, '1', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	expect_bad_listen(s);
	/* Valid in form, but longer than any real address can be. */
	expect_bad_listen("127.0.0.1:000000000080");
	expect_bad_listen("255.255.255.255:655350");
}

static void test_addr_format(void **state)
{
	struct sockaddr_in sa;
	char out[HTTP_ADDR_STR_LEN];

	(void)state;
	assert_int_equal(http_parse_listen("255.255.255.255:65535", &sa, NULL),
			 ZF_OK);
	http_addr_format(&sa, out);
	assert_string_equal(out, "255.255.255.255:65535");
}

static void test_route_find(void **state)
{
	const struct http_route *r;
	bool known;
	char allow[64];

	(void)state;
	r = http_route_find("GET", "/healthz", &known, NULL);
	assert_non_null(r);
	assert_true(known);
	assert_string_equal(r->path, "/healthz");
	assert_non_null(http_route_find("HEAD", "/", &known, NULL));
	assert_null(http_route_find("POST", "/healthz", &known, NULL));
	assert_true(known);
	assert_null(http_route_find("GET", "/nope", &known, NULL));
	assert_false(known);
	assert_null(http_route_find("GET", "/healthz/", &known, NULL));
	assert_false(known);

	/* path parameters are captured by name */
	json_t *params = NULL;
	r = http_route_find("GET", "/api/v1/me", &known, &params);
	assert_non_null(r);
	json_decref(params);

	assert_true(http_route_allow("/healthz", allow, sizeof(allow)));
	assert_string_equal(allow, "GET, HEAD");
	assert_false(http_route_allow("/nope", allow, sizeof(allow)));
	assert_false(http_route_allow("/healthz", allow, 4));
}

static void test_status_map(void **state)
{
	(void)state;
	assert_int_equal(http_status_for(ZF_OK), 200);
	assert_int_equal(http_status_for(ZF_EINVAL), 400);
	assert_int_equal(http_status_for(ZF_ENOTFOUND), 404);
	assert_int_equal(http_status_for(ZF_ECONFLICT), 409);
	assert_int_equal(http_status_for(ZF_ETOOBIG), 413);
	assert_int_equal(http_status_for(ZF_ESTORE), 500);
	assert_int_equal(http_status_for(12345), 500);
}

static void test_error_body(void **state)
{
	struct http_resp resp;
	struct zf_error err;

	(void)state;
	http_resp_init(&resp);
	zf_fail(&err, ZF_ENOTFOUND, "not_found", "", "未找到该页面");
	assert_int_equal(http_resp_error(&resp, 404, &err), ZF_OK);
	assert_int_equal(resp.status, 404);
	assert_string_equal(resp.content_type, HTTP_CT_JSON);
	assert_string_equal(buf_cstr(&resp.body),
			    "{\"error\":{\"code\":\"not_found\","
			    "\"message\":\"未找到该页面\",\"field\":\"\"}}");

	/* Quotes are escaped; a UTF-8 sequence cut by truncation is dropped. */
	zf_fail(&err, ZF_EINVAL, "bad", "a\"b", "x\xe6\x9c");
	assert_int_equal(http_resp_error(&resp, 400, &err), ZF_OK);
	assert_string_equal(buf_cstr(&resp.body),
			    "{\"error\":{\"code\":\"bad\","
			    "\"message\":\"x\",\"field\":\"a\\\"b\"}}");
	http_resp_release(&resp);
}

static void test_html_escape(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 256);
	assert_int_equal(http_html_escape(&b, "<a href=\"x\">'&'</a> 数据"),
			 ZF_OK);
	assert_string_equal(buf_cstr(&b),
			    "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;"
			    "&lt;/a&gt; 数据");
	buf_release(&b);

	buf_init(&b, 4);
	assert_int_equal(http_html_escape(&b, "<<"), ZF_ETOOBIG);
	buf_release(&b);
}

static void call_route(const char *path, const char *db,
		       struct http_resp *resp)
{
	struct http_server srv = { .cfg = { .db_path = db } };
	struct http_req req = { .srv = &srv };
	const struct http_route *r;
	struct zf_error err;
	bool known;

	r = http_route_find("GET", path, &known, NULL);
	assert_non_null(r);
	http_resp_init(resp);
	assert_int_equal(r->handler(&req, resp, &err), ZF_OK);
	assert_int_equal(resp->status, 200);
}

static void test_healthz(void **state)
{
	struct http_resp resp;

	(void)state;
	call_route("/healthz", "/tmp/z.db", &resp);
	assert_string_equal(resp.content_type, HTTP_CT_JSON);
	assert_string_equal(buf_cstr(&resp.body), "{\"status\":\"ok\"}");
	http_resp_release(&resp);
}

static void test_index(void **state)
{
	struct http_resp resp;
	const char *html;

	(void)state;
	call_route("/", "/srv/<b>&z.db", &resp);
	html = buf_cstr(&resp.body);
	assert_string_equal(resp.content_type, HTTP_CT_HTML);
	assert_non_null(strstr(html, "<html lang=\"zh-CN\">"));
	assert_non_null(strstr(html, "<title>执法 zhifa</title>"));
	assert_non_null(strstr(html, "Noto Sans CJK SC"));
	assert_non_null(strstr(html, "/ui/app.js"));
	assert_null(strstr(html, "/srv/"));
	http_resp_release(&resp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_listen_valid),
		cmocka_unit_test(test_listen_missing_port),
		cmocka_unit_test(test_listen_port_range),
		cmocka_unit_test(test_listen_letters),
		cmocka_unit_test(test_listen_bad_address),
		cmocka_unit_test(test_listen_empty),
		cmocka_unit_test(test_listen_overlong),
		cmocka_unit_test(test_addr_format),
		cmocka_unit_test(test_route_find),
		cmocka_unit_test(test_status_map),
		cmocka_unit_test(test_error_body),
		cmocka_unit_test(test_html_escape),
		cmocka_unit_test(test_healthz),
		cmocka_unit_test(test_index),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
