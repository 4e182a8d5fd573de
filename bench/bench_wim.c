/*
 * bench_wim: weigh-in-motion parse + validate + classify (issue 8
 * "Performance" (a) and (c)), without persistence, on one core.
 *
 *   bench_wim gen FILE N [SEED]   write a header and N synthetic records:
 *                                 24 stations, 2025 local times, 31
 *                                 provinces (mostly 蒙), ordinary, trailer
 *                                 and new-energy plates, axles 2-6, about
 *                                 2% over the limit, 0.1% bad rows;
 *   bench_wim scan FILE [mmap|read]
 *                                 wim_scan_feed over the file with the
 *                                 built-in rules, default settings and
 *                                 no-op callbacks; prints one JSON object.
 *
 * mmap (the default) maps the whole file and feeds it in 16 MiB steps,
 * dropping the pages behind it (MADV_DONTNEED) so that the process's
 * resident size does not grow with the file; read feeds it through one
 * 1 MiB buffer.  The time covers the scan only (not the rules' loading)
 * and is compared with `wc -l` by bench/wim.sh.  Peak memory is VmHWM from
 * /proc/self/status, read after the scan.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "date.h"
#include "overload.h"
#include "wim.h"

#define STEP (16u << 20)	/* bytes fed per call in mmap mode */
#define CHUNK (1u << 20)	/* read buffer */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- generator ---- */

static uint64_t rng;

static uint64_t next(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1DULL;
}

static unsigned below(unsigned n)
{
	return (unsigned)((next() >> 32) % n);
}

static const char *const provinces[] = {
	"京", "津", "冀", "晋", "辽", "吉", "黑", "沪", "苏", "浙", "皖",
	"闽", "赣", "鲁", "豫", "鄂", "湘", "粤", "桂", "琼", "渝", "川",
	"贵", "云", "藏", "陕", "甘", "青", "宁", "新",
};

static const char letters[] = "ABCDEFGHJKLMNPQRSTUVWXYZ";	/* no I, O */
static const char alnum[] = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/* 62号令 Art. 3 gross limits of the generated configurations, kg. */
static int64_t limit_of(int axles, bool train)
{
	switch (axles) {
	case 2:
		return 18000;
	case 3:
		return train ? 27000 : 25000;
	case 4:
		return train ? 36000 : 31000;
	case 5:
		return 43000;
	}
	return 49000;
}

static void hex64(char out[65])
{
	static const char hx[] = "0123456789abcdef";

	for (int i = 0; i < 64; i += 16) {
		uint64_t v = next();

		for (int k = 0; k < 16; k++, v >>= 4)
			out[i + k] = hx[v & 15];
	}
	out[64] = '\0';
}

/* One record; *bad set when it was corrupted on purpose. */
static int gen_line(char *out, size_t cap, int64_t t_local, bool *bad, bool *over)
{
	static const char *const colour_ordinary[] = {"yellow", "yellow", "yellow", "blue"};
	char station[16], plate[32], time[40], frac[8] = "", img[65], vid[65] = "";
	const char *colour, *config;
	int64_t days = t_local / 86400, sec = t_local % 86400, limit, gross;
	struct zf_date d = date_from_days(days);
	unsigned st = below(24), kind = below(100), a = below(100);
	int axles, n, len;
	bool train;

	snprintf(station, sizeof(station), "NM-G%u-K%04u", 6 + st % 4, 100 + st * 37);
	if (st % 3 == 0)
		snprintf(frac, sizeof(frac), ".%03u", below(1000));
	snprintf(time, sizeof(time), "%04d-%02d-%02dT%02d:%02d:%02d%s+08:00", d.y, d.m, d.d,
		 (int)(sec / 3600), (int)(sec / 60 % 60), (int)(sec % 60), frac);
	n = snprintf(plate, sizeof(plate), "%s%c",
		     below(100) < 70 ? "蒙" : provinces[below(30)],
		     letters[below(sizeof(letters) - 1)]);
	if (kind < 93) {		/* ordinary: mostly digits */
		for (int i = 0; i < 5; i++)
			plate[n++] = i < 2 && below(3) == 0 ? alnum[10 + below(24)] : alnum[below(10)];
		colour = colour_ordinary[below(4)];
	} else if (kind < 94) {		/* trailer: the full check's path */
		for (int i = 0; i < 4; i++)
			plate[n++] = alnum[below(10)];
		n += snprintf(plate + n, sizeof(plate) - (size_t)n, "挂");
		colour = "yellow";
	} else if (kind < 99) {		/* large new-energy */
		for (int i = 0; i < 5; i++)
			plate[n++] = alnum[below(10)];
		plate[n++] = below(2) ? 'D' : 'F';
		colour = "yellow_green";
	} else {			/* small new-energy */
		plate[n++] = below(2) ? 'D' : 'F';
		plate[n++] = alnum[below(34)];
		for (int i = 0; i < 4; i++)
			plate[n++] = alnum[below(10)];
		colour = "green";
	}
	plate[n] = '\0';
	axles = a < 25 ? 2 : a < 35 ? 3 : a < 45 ? 4 : a < 55 ? 5 : 6;
	train = axles >= 5 || (axles > 2 && below(10) < 4);
	config = train ? "train" : "truck";
	limit = limit_of(axles, train);
	*over = below(1000) < 20;
	gross = *over ? limit + 1 + (int64_t)below((unsigned)(limit * 3 / 10)) :
			limit * 35 / 100 + (int64_t)below((unsigned)(limit * 65 / 100 + 1));
	hex64(img);
	if (below(10) < 4)
		hex64(vid);

	*bad = below(1000) == 0;
	if (*bad) {
		switch (below(8)) {
		case 0: plate[3] = 'I'; break;			/* 蒙I... */
		case 1: axles = 9; break;
		case 2: gross = 250000; break;
		case 3: snprintf(time + 19, sizeof(time) - 19, "%s", frac); break; /* no offset */
		case 4: img[63] = '\0'; break;			/* 63 hex digits */
		case 5: config = "Train"; break;
		case 6: station[2] = ' '; break;
		case 7: colour = "red"; break;
		}
	}
	len = snprintf(out, cap, "%s,%s,%u,%s,%s,%d,%s,%lld,%u,%s,%s\n", station, time,
		       1 + below(4), plate, colour, axles, config, (long long)gross,
		       30 + below(70), img, vid);
	return len;
}

static int gen(const char *path, long long n, uint64_t seed)
{
	FILE *f = fopen(path, "w");
	static char vbuf[1 << 20];
	char line[512];
	/* 2025-01-01T00:00:00 local, in local seconds */
	int64_t t = date_to_days((struct zf_date){2025, 1, 1}) * 86400;
	long long nbad = 0, nover = 0;

	if (!f) {
		perror(path);
		return 1;
	}
	setvbuf(f, vbuf, _IOFBF, sizeof(vbuf));
	rng = seed ? seed : 88172645463325252ULL;
	fputs(WIM_HEADER "\n", f);
	/* spread N records over the year 2025 */
	for (long long i = 0; i < n; i++) {
		bool bad, over;
		int len = gen_line(line, sizeof(line), t + (int64_t)(i * 31535999LL / (n ? n : 1)),
				   &bad, &over);

		fwrite(line, 1, (size_t)len, f);
		nbad += bad;
		nover += over && !bad;
	}
	if (fclose(f) != 0) {
		perror(path);
		return 1;
	}
	fprintf(stderr, "wrote %lld records to %s (%lld corrupted, %lld generated over the limit)\n",
		n, path, nbad, nover);
	return 0;
}

/* ---- scan ---- */

static long status_kb(const char *key)
{
	FILE *f = fopen("/proc/self/status", "r");
	char l[256];
	long v = -1;
	size_t k = strlen(key);

	if (!f)
		return -1;
	while (fgets(l, sizeof(l), f))
		if (strncmp(l, key, k) == 0 && l[k] == ':')
			v = strtol(l + k + 1, NULL, 10);
	fclose(f);
	return v;
}

static int noop_record(void *arg, size_t line, const struct wim_record *rec)
{
	(void)arg;
	(void)line;
	(void)rec;
	return 0;
}

static int noop_error(void *arg, const struct wim_error *err)
{
	(void)arg;
	(void)err;
	return 0;
}

static int scan(const char *path, const char *mode)
{
	struct overload_rules rules;
	struct overload_settings set = {OVERLOAD_WHOLE_TONNES, 0, 0};
	struct wim_classifier cls;
	struct wim_scan sc;
	struct zf_error err;
	struct stat stt;
	bool use_mmap = strcmp(mode, "mmap") == 0;
	double t0, t1;
	int fd, rc = 0;

	overload_rules_init(&rules);
	zf_error_clear(&err);
	if (overload_rules_load_builtin(&rules, &err) ||
	    wim_classifier_init(&cls, &rules, &set, &err)) {
		fprintf(stderr, "rules: %s\n", err.message);
		return 1;
	}
	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &stt) != 0) {
		perror(path);
		return 1;
	}
	wim_scan_init(&sc, &cls, noop_record, noop_error, NULL);
	t0 = now_s();
	if (use_mmap) {
		size_t len = (size_t)stt.st_size, off = 0, dropped = 0;
		size_t page = (size_t)sysconf(_SC_PAGESIZE);
		const char *map = len ? mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0) : "";

		if (map == MAP_FAILED) {
			perror("mmap");
			return 1;
		}
		if (len)
			madvise((void *)map, len, MADV_SEQUENTIAL);
		do {
			size_t n = len - off < STEP ? len - off : STEP, used;
			bool eof = off + n == len;

			rc = wim_scan_feed(&sc, map + off, n, eof, &used, &err);
			if (rc)
				break;
			off += used;
			if (!eof && used == 0) {
				fprintf(stderr, "no progress at %zu\n", off);
				rc = 1;
				break;
			}
			if ((off & ~(page - 1)) > dropped) {
				madvise((void *)(map + dropped), (off & ~(page - 1)) - dropped,
					MADV_DONTNEED);
				dropped = off & ~(page - 1);
			}
		} while (off < len);
		if (len)
			munmap((void *)map, len);
	} else {
		static char buf[CHUNK];
		size_t have = 0, used;
		bool eof = false;

		while (!rc) {
			ssize_t r = eof ? 0 : read(fd, buf + have, sizeof(buf) - have);

			if (r < 0) {
				perror("read");
				return 1;
			}
			eof = r == 0;
			have += (size_t)r;
			rc = wim_scan_feed(&sc, buf, have, eof, &used, &err);
			memmove(buf, buf + used, have - used);
			have -= used;
			if (eof)
				break;
		}
	}
	t1 = now_s();
	close(fd);
	if (rc) {
		fprintf(stderr, "scan: %s %s %s\n", err.code, err.field, err.message);
		return 1;
	}
	printf("{\"mode\":\"%s\",\"bytes\":%lld,\"rows\":%llu,\"accepted\":%llu,"
	       "\"rejected\":%llu,\"over_limit\":%llu,\"seconds\":%.4f,"
	       "\"records_per_s\":%.0f,\"mb_per_s\":%.1f,\"vmhwm_kb\":%ld,\"rss_anon_kb\":%ld}\n",
	       mode, (long long)stt.st_size, (unsigned long long)sc.stats.rows,
	       (unsigned long long)sc.stats.accepted, (unsigned long long)sc.stats.rejected,
	       (unsigned long long)sc.stats.over_limit, t1 - t0,
	       (double)sc.stats.rows / (t1 - t0), (double)stt.st_size / (t1 - t0) / 1e6,
	       status_kb("VmHWM"), status_kb("RssAnon"));
	wim_classifier_release(&cls);
	overload_rules_release(&rules);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && strcmp(argv[1], "gen") == 0)
		return gen(argv[2], atoll(argv[3]), argc > 4 ? strtoull(argv[4], NULL, 10) : 0);
	if (argc >= 3 && strcmp(argv[1], "scan") == 0)
		return scan(argv[2], argc > 3 ? argv[3] : "mmap");
	fprintf(stderr, "usage: bench_wim gen FILE N [SEED] | bench_wim scan FILE [mmap|read]\n");
	return 2;
}
