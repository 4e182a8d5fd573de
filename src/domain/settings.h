/*
 * settings: the values an organisation may set for itself, each with its
 * type, range, default and the rule it comes from.  Unknown keys are refused
 * so that a typing mistake never becomes a silent default.
 */
#ifndef ZF_SETTINGS_H
#define ZF_SETTINGS_H

#include "zf.h"

enum setting_type { SETTING_INT = 1, SETTING_TEXT = 2 };

struct setting_def {
	const char *key;
	enum setting_type type;
	int64_t min, max;	/* SETTING_INT range; SETTING_TEXT max characters in max */
	const char *def;	/* default as text, NULL = none */
	const char *label;	/* 中文 */
	const char *basis;	/* legal basis or reason */
};

/* NULL-terminated (key == NULL). */
extern const struct setting_def settings_defs[];

const struct setting_def *settings_find(const char *key);
/* Unknown key: "unknown_setting" naming field "key"; bad value names "value". */
int settings_validate(const char *key, const char *value,
		      struct zf_error *err) ZF_WUR;

#endif
