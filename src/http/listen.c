#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http_int.h"

/* "255.255.255.255:65535" */
#define LISTEN_STR_MAX 21
#define LISTEN_BACKLOG 128
#define LISTEN_EXAMPLE "例如 127.0.0.1:8080"

/*
 * One decimal number of at most max_digits digits and at most max.  Leading
 * zeros are refused: inet_aton() reads "010" as octal 8, so accepting it
 * here would mean the operator and other tools disagree on the address.
 */
static bool parse_dec(const char **p, size_t max_digits, unsigned long max,
		      unsigned long *out)
{
	const char *s = *p;
	unsigned long v = 0;
	size_t n = 0;

	while (s[n] >= '0' && s[n] <= '9') {
		if (n == max_digits)
			return false;
		v = v * 10 + (unsigned long)(s[n] - '0');
		n++;
	}
	if (n == 0 || (n > 1 && s[0] == '0') || v > max)
		return false;
	*p = s + n;
	*out = v;
	return true;
}

static int bad_listen(struct zf_error *err, const char *why)
{
	return zf_fail(err, ZF_EINVAL, "invalid_listen", "listen", "%s", why);
}

int http_parse_listen(const char *s, struct sockaddr_in *out,
		      struct zf_error *err)
{
	static const char form[] =
		"监听地址应为 IPv4 地址:端口，" LISTEN_EXAMPLE;
	static const char no_port[] = "监听地址缺少端口，" LISTEN_EXAMPLE;
	unsigned long part[4], port;
	const char *p = s;

	if (!s || !*s)
		return bad_listen(err, "监听地址不能为空，" LISTEN_EXAMPLE);
	if (strnlen(s, LISTEN_STR_MAX + 1) > LISTEN_STR_MAX)
		return bad_listen(err, "监听地址过长，" LISTEN_EXAMPLE);
	for (int i = 0; i < 4; i++) {
		if (!parse_dec(&p, 3, 255, &part[i]))
			return bad_listen(err, form);
		if (i < 3 && *p++ != '.')
			return bad_listen(err, form);
	}
	if (*p != ':')
		return bad_listen(err, *p ? form : no_port);
	p++;
	if (!*p)
		return bad_listen(err, no_port);
	if (!parse_dec(&p, 5, 65535, &port) || port == 0 || *p)
		return bad_listen(err, "端口必须是 1 到 65535 之间的整数");

	memset(out, 0, sizeof(*out));
	out->sin_family = AF_INET;
	out->sin_port = htons((uint16_t)port);
	out->sin_addr.s_addr = htonl((uint32_t)(part[0] << 24 | part[1] << 16 |
						part[2] << 8 | part[3]));
	return ZF_OK;
}

void http_addr_format(const struct sockaddr_in *addr, char *out)
{
	uint32_t a = ntohl(addr->sin_addr.s_addr);

	snprintf(out, HTTP_ADDR_STR_LEN, "%u.%u.%u.%u:%u",
		 (unsigned)(a >> 24), (unsigned)(a >> 16 & 0xff),
		 (unsigned)(a >> 8 & 0xff), (unsigned)(a & 0xff),
		 (unsigned)ntohs(addr->sin_port));
}

/*
 * We bind the socket ourselves rather than let libmicrohttpd do it: when
 * MHD_start_daemon() fails, errno no longer says why, and "the port is
 * taken" is the one failure an operator can act on.
 */
int http_listen_open(const struct sockaddr_in *addr, int *fd,
		     struct zf_error *err)
{
	char where[HTTP_ADDR_STR_LEN];
	int on = 1;
	int e;
	int s;

	http_addr_format(addr, where);
	s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s < 0)
		return zf_fail(err, ZF_EIO, "listen_failed", "listen",
			       "无法创建监听套接字：%s", strerror(errno));
	/* A restart must not wait out the last run's TIME_WAIT connections. */
	if (setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) < 0 ||
	    bind(s, (const struct sockaddr *)addr, sizeof(*addr)) < 0 ||
	    listen(s, LISTEN_BACKLOG) < 0) {
		e = errno;
		close(s);
		switch (e) {
		case EADDRINUSE:
			return zf_fail(err, ZF_EIO, "listen_failed", "listen",
				       "无法监听 %s：端口已被占用", where);
		case EACCES:
			return zf_fail(err, ZF_EIO, "listen_failed", "listen",
				       "无法监听 %s：没有权限（1024 以下的端口需要特权）",
				       where);
		case EADDRNOTAVAIL:
			return zf_fail(err, ZF_EIO, "listen_failed", "listen",
				       "无法监听 %s：本机没有这个地址", where);
		default:
			return zf_fail(err, ZF_EIO, "listen_failed", "listen",
				       "无法监听 %s：%s", where, strerror(e));
		}
	}
	*fd = s;
	return ZF_OK;
}
