/*
 * banned.h: C library calls that cannot be given a size limit, or that read
 * global state we must not depend on (the local time zone, the clock's
 * calendar breakdown).  Including it turns each into a compile error.
 * Use zf_strlcpy, snprintf, the buf_ functions and date_ functions instead.
 */
#ifndef ZF_BANNED_H
#define ZF_BANNED_H

#define ZF_BANNED(func) sorry_##func##_is_banned_in_zhifa

#undef strcpy
#define strcpy(x, y) ZF_BANNED(strcpy)
#undef strcat
#define strcat(x, y) ZF_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) ZF_BANNED(strncpy)
#undef sprintf
#define sprintf(...) ZF_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) ZF_BANNED(vsprintf)
#undef strtok
#define strtok(x, y) ZF_BANNED(strtok)
#undef gmtime
#define gmtime(t) ZF_BANNED(gmtime)
#undef localtime
#define localtime(t) ZF_BANNED(localtime)
#undef atoi
#define atoi(s) ZF_BANNED(atoi)
#undef gets
#define gets(s) ZF_BANNED(gets)

#endif
