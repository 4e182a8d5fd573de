/*
 * wim_scan.c: walking the lines of a weigh-in-motion CSV file in memory,
 * whole or in chunks; see wim.h.  The header is checked once, every later
 * line is parsed (wim.c) and classified (wim_classify.c), counted, and
 * handed to the caller's callbacks with its line number.
 */
#include <string.h>

#include "wim_int.h"

#define SHOW_HEADER 100	/* input bytes of a header quoted at most */

void wim_scan_init(struct wim_scan *sc, const struct wim_classifier *cls,
		   wim_record_fn *on_record, wim_error_fn *on_error, void *arg)
{
	memset(sc, 0, sizeof(*sc));
	sc->cls = cls;
	sc->on_record = on_record;
	sc->on_error = on_error;
	sc->arg = arg;
}

static WIM_COLD int header_error(const char *s, size_t n, struct zf_error *err)
{
	static const char want[] = WIM_HEADER;
	const char *w = want, *we = want + sizeof(want) - 1, *p = s, *e = s + n;
	char shown[WIM_SHOW_MAX];
	int col = 1;

	if (n == 0)
		return zf_fail(err, ZF_EINVAL, "invalid_format", "header",
			       "缺少表头：第 1 行应为“%s”", want);
	/* the first column whose name differs, or is missing or extra */
	for (;;) {
		const char *wc = memchr(w, ',', (size_t)(we - w));
		const char *pc = memchr(p, ',', (size_t)(e - p));
		size_t wn = (size_t)((wc ? wc : we) - w), pn = (size_t)((pc ? pc : e) - p);

		if (wn != pn || memcmp(w, p, wn) != 0)
			break;
		if (!wc || !pc) {	/* one of them has no further column */
			col++;
			break;
		}
		w = wc + 1;
		p = pc + 1;
		col++;
	}
	wim_show(s, n, SHOW_HEADER, shown);
	return zf_fail(err, ZF_EINVAL, "invalid_format", "header",
		       "表头应为“%s”，实际为“%s”（自第 %d 列起不同）", want, shown, col);
}

/* A refused row: count it and report it. */
static WIM_COLD int reject(struct wim_scan *sc, struct wim_error *we)
{
	sc->stats.rejected++;
	we->line = sc->line;
	return sc->on_error ? sc->on_error(sc->arg, we) : ZF_OK;
}

int wim_scan_feed(struct wim_scan *sc, const char *buf, size_t len, bool eof,
		  size_t *used, struct zf_error *err)
{
	struct wim_record rec;
	struct wim_error we;
	size_t pos = 0;
	int rc = ZF_OK;

	while (pos < len || (eof && !sc->header_done)) {
		const char *s = buf + pos;
		size_t avail = len - pos;
		const char *nl = avail ? memchr(s, '\n', avail) : NULL;
		size_t n = nl ? (size_t)(nl - s) : avail;
		size_t adv = nl ? n + 1 : avail;

		if (WIM_UNLIKELY(sc->skipping)) {
			sc->skipping = !nl;
			pos += adv;
			continue;
		}
		/* a line may end in "\r\n": allow one byte over for the '\r' */
		if (!nl && !eof && avail <= WIM_LINE_MAX + 1)
			break;
		if (WIM_UNLIKELY(!sc->header_done)) {
			const char *h = s;
			size_t hn = n;

			if (hn >= 3 && memcmp(h, "\xef\xbb\xbf", 3) == 0) {
				h += 3;
				hn -= 3;
			}
			if (hn > 0 && h[hn - 1] == '\r')
				hn--;
			if (hn != sizeof(WIM_HEADER) - 1 || memcmp(h, WIM_HEADER, hn) != 0) {
				rc = header_error(h, hn, err);
				break;
			}
			sc->header_done = true;
			sc->line = 1;
			pos += adv;
			continue;
		}
		sc->line++;
		sc->stats.rows++;
		pos += adv;
		if (WIM_UNLIKELY(n > WIM_LINE_MAX + 1 ||
			     (n == WIM_LINE_MAX + 1 && s[n - 1] != '\r'))) {
			sc->skipping = !nl && !eof;
			memset(&we, 0, sizeof(we));
			wim_fail(&we, WIM_COL_ROW, "invalid_format", "过长：超过 %d 字节", WIM_LINE_MAX);
			if ((rc = reject(sc, &we)))
				break;
			continue;
		}
		if (WIM_UNLIKELY(wim_parse_line(s, n, &rec, &we) != ZF_OK) ||
		    (sc->cls && WIM_UNLIKELY(wim_classify(sc->cls, &rec, &we) != ZF_OK))) {
			if ((rc = reject(sc, &we)))
				break;
			continue;
		}
		sc->stats.accepted++;
		sc->stats.over_limit += rec.over;
		if (sc->on_record && (rc = sc->on_record(sc->arg, sc->line, &rec)))
			break;
	}
	*used = pos;
	return rc;
}

int wim_scan(const char *buf, size_t len, const struct wim_classifier *cls,
	     wim_record_fn *on_record, wim_error_fn *on_error, void *arg,
	     struct wim_stats *stats, struct zf_error *err)
{
	struct wim_scan sc;
	size_t used;
	int rc;

	wim_scan_init(&sc, cls, on_record, on_error, arg);
	rc = wim_scan_feed(&sc, buf, len, true, &used, err);
	if (stats)
		*stats = sc.stats;
	return rc;
}
