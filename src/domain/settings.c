#include <string.h>

#include "settings.h"
#include "text.h"

const struct setting_def settings_defs[] = {
	{"statement_window_working_days", SETTING_INT, 1, 30, "3",
	 "陈述申辩期限（工作日）",
	 "交通运输行政执法实践：违法行为通知书送达后三日内（law.md §2.5，待核实）"},
	{"hearing_threshold_person_yuan", SETTING_INT, 1, 100000000, "5000",
	 "听证“较大数额”：公民（元）",
	 "行政处罚法第六十三条；数额由省级规定，内蒙古标准待核实（law.md §2.6）"},
	{"hearing_threshold_org_yuan", SETTING_INT, 1, 1000000000, "100000",
	 "听证“较大数额”：法人或其他组织（元）",
	 "行政处罚法第六十三条；数额由省级规定，内蒙古标准待核实（law.md §2.6）"},
	{"doc_number_pattern", SETTING_TEXT, 0, 64, "{abbr}{word}〔{year}〕第{seq}号",
	 "文书编号格式（{abbr} 机构简称，{word} 文书字号，{year} 年度，{seq} 四位序号）",
	 "交通运输行政执法文书式样“案号”栏；全国未规定格式（law.md §2.4）"},
	{"checkpoint_every_entries", SETTING_INT, 1, 100000000, "1000",
	 "每增加多少条账本条目自动签名一个检查点",
	 "全程留痕、可溯可查（行政处罚法第四十七条）；检查点使外部可核验账本未被改写"},
	{"ledger_key_path", SETTING_TEXT, 0, 1024, NULL,
	 "账本签名私钥文件路径", "账本检查点签名（国密 SM2 / Ed25519）"},
	{NULL, 0, 0, 0, NULL, NULL, NULL},
};

const struct setting_def *settings_find(const char *key)
{
	for (const struct setting_def *d = settings_defs; key && d->key; d++)
		if (strcmp(d->key, key) == 0)
			return d;
	return NULL;
}

int settings_validate(const char *key, const char *value, struct zf_error *err)
{
	const struct setting_def *d = settings_find(key);
	if (!d)
		return zf_fail(err, ZF_EINVAL, "unknown_setting", "key",
			       "未知的设置项“%s”", key ? key : "");
	if (d->type == SETTING_INT) {
		int64_t v;
		return text_parse_int(value, d->min, d->max, &v, "value", err);
	}
	return text_check(value, "value", (long)d->max, true, err);
}
