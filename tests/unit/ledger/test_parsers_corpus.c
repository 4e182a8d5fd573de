/*
 * Replays fuzz/parsers-corpus through fuzz/fuzz_parsers.c under the
 * sanitizers (STYLE §12: corpora live in the repository and run in make
 * test, the fuzzing itself runs elsewhere).
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

#include "../../../fuzz/fuzz_parsers.c"

static void test_replay(void **state)
{
	char dir[2048], path[4096];
	static uint8_t data[65537];
	size_t replayed = 0;
	struct dirent *de;
	(void)state;
	snprintf(dir, sizeof(dir), "%s/fuzz/parsers-corpus", ZF_SOURCE_DIR);
	DIR *d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		FILE *f = fopen(path, "rb");
		assert_non_null(f);
		size_t n = fread(data, 1, sizeof(data) - 1, f);
		fclose(f);
		assert_int_equal(LLVMFuzzerTestOneInput(data, n), 0);
		replayed++;
	}
	closedir(d);
	assert_true(replayed >= 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_replay)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
