#include <stdlib.h>
#include <time.h>

#include "ctx.h"
#include "date.h"

int64_t ctx_wall_clock_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int ctx_now_from_env(int64_t *now_us, struct zf_error *err)
{
	const char *s = getenv("ZHIFA_NOW");
	if (!s || !*s) {
		*now_us = ctx_wall_clock_us();
		return ZF_OK;
	}
	if (instant_parse(s, now_us, "ZHIFA_NOW", NULL) != ZF_OK)
		return zf_fail(err, ZF_EINVAL, "invalid_now", "ZHIFA_NOW",
			       "环境变量 ZHIFA_NOW 的值“%s”不是 ISO 8601 时间", s);
	return ZF_OK;
}
