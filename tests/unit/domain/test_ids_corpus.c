/*
 * Replays the fuzz corpus fuzz/ids-corpus/ through the fuzz driver, so
 * every seed runs under ASan/UBSan in the normal suite (STYLE §12) and the
 * driver's invariants (fixed points, proper refusals) are checked on each.
 * The driver is included rather than linked: it is not part of zfcore.
 *
 * The source tree comes from ZF_SOURCE_DIR (set by CMake for unit tests),
 * or else the ZF_SRC environment variable; with neither the test skips.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../../fuzz/fuzz_ids.c"

/* libFuzzer's default -max_len is 4096; seeds are far smaller. */
#define SEED_MAX 65536

static const char *corpus_root(void)
{
#ifdef ZF_SOURCE_DIR
	return ZF_SOURCE_DIR;
#else
	return getenv("ZF_SRC");
#endif
}

static void replay_file(const char *path)
{
	static uint8_t data[SEED_MAX + 1];
	size_t n;
	FILE *f;

	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	n = fread(data, 1, sizeof(data), f);
	if (ferror(f))
		fail_msg("cannot read %s", path);
	fclose(f);
	if (n > SEED_MAX)
		fail_msg("%s is larger than %d bytes", path, SEED_MAX);
	assert_int_equal(LLVMFuzzerTestOneInput(data, n), 0);
}

static void test_replay_corpus(void **state)
{
	const char *root = corpus_root();
	char dir[4096], path[4096];
	struct dirent *de;
	size_t replayed = 0;
	DIR *d;

	(void)state;
	if (!root || !*root)
		skip();
	if ((size_t)snprintf(dir, sizeof(dir), "%s/fuzz/ids-corpus", root) >=
	    sizeof(dir))
		fail_msg("corpus path too long");
	d = opendir(dir);
	if (!d)
		fail_msg("cannot open corpus directory %s", dir);
	while ((de = readdir(d)) != NULL) {
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
				     de->d_name) >= sizeof(path))
			fail_msg("seed path too long: %s", de->d_name);
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		replay_file(path);
		replayed++;
	}
	closedir(d);
	/* An empty or misplaced corpus must not pass silently. */
	if (replayed == 0)
		fail_msg("no seeds in %s", dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replay_corpus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
