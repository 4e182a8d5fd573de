#include <stdlib.h>
#include <string.h>

#include "zf.h"

/*
 * The single allocation path.  A test arms zf_alloc_fail_after(n) to make the
 * nth allocation fail, which exercises every out-of-memory exit (STYLE §11).
 * The counter is process-wide and not thread-safe; only tests arm it.
 */
static long fail_countdown;

static bool should_fail(void)
{
	if (fail_countdown <= 0)
		return false;
	return --fail_countdown == 0;
}

void zf_alloc_fail_after(long n) { fail_countdown = n; }

void *zf_malloc(size_t n)
{
	if (should_fail())
		return NULL;
	return malloc(n ? n : 1);
}

void *zf_calloc(size_t n, size_t size)
{
	if (should_fail())
		return NULL;
	return calloc(n ? n : 1, size ? size : 1);
}

void *zf_realloc(void *p, size_t n)
{
	if (should_fail())
		return NULL;
	return realloc(p, n ? n : 1);
}

char *zf_strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *d = zf_malloc(len + 1);
	if (!d)
		return NULL;
	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

char *zf_strdup(const char *s) { return zf_strndup(s, strlen(s)); }

void zf_free(void *p) { free(p); }

void zf_freep(char **p)
{
	free(*p);
	*p = NULL;
}

bool zf_set_str(char **p, const char *s)
{
	char *copy = NULL;
	if (s && !(copy = zf_strdup(s)))
		return false;
	free(*p);
	*p = copy;
	return true;
}
