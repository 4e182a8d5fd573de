/*
 * testfs.h: file-system helpers shared by the unit tests that work in a
 * mkdtemp() directory.  Header-only so each test stays one .c file.
 */
#ifndef ZF_TESTFS_H
#define ZF_TESTFS_H

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Remove a test's scratch tree.  Best effort: a leftover file in /tmp must
 * not fail a test that passed. */
static inline void testfs_rm_rf(const char *path)
{
	struct stat sb;
	if (lstat(path, &sb) != 0)
		return;
	if (S_ISDIR(sb.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *de;
		while (d && (de = readdir(d))) {
			char sub[512];
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			int n = snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
			if (n > 0 && (size_t)n < sizeof(sub))	/* never a truncated path */
				testfs_rm_rf(sub);
		}
		if (d)
			closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

#endif
