#include <string.h>

#include "overload.h"
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
	{"overload_part_tonne_mode", SETTING_TEXT, 0, 32, "whole_tonnes_of_total_excess",
	 "超限质量不足1000千克部分的计算方式（whole_tonnes_of_total_excess 超限总质量计整吨数，不足部分不计；round_up 不足部分按1000千克计；excess_over_warning_band 只计超过1000千克警告幅度的部分，不足部分按1000千克计）",
	 "《超限运输车辆行驶公路管理规定》第四十三条第一款第（二）项“每超1000千克罚款500元”未规定不足1000千克部分的计算；应依本区裁量基准（law.md §3.4）"},
	{"wim_tolerance_kg", SETTING_INT, 0, 10000, "0",
	 "动态称重（非现场执法）计量误差扣除（千克）",
	 "62号令第三条、第四十三条未规定计量误差；按本区规定设置，默认不扣除（law.md §3.7）"},
	{"weigh_import_commit_rows", SETTING_INT, 1, 100000000, "100000",
	 "动态称重数据导入每批提交的行数（每批一条账本记录；--strict 导入整个文件一次提交）",
	 "分批提交使大文件导入的内存和预写日志不随文件增长（BENCHMARKS.md）"},
	{"ledger_key_path", SETTING_TEXT, 0, 1024, NULL,
	 "账本签名私钥文件路径", "账本检查点签名（国密 SM2 / Ed25519）"},
	{"evidence_dir", SETTING_TEXT, 0, 1024, NULL,
	 "证据文件存放目录（未设定：数据库文件旁的“数据库文件名.evidence”；相对路径从数据库所在目录算起）",
	 "证据文件按哈希值存放，数据库只存元数据；行政处罚法第四十七条：全过程记录归档"},
	{"evidence_max_size_mb", SETTING_INT, 1, 1048576, "8192",
	 "单个证据文件的大小上限（MB）",
	 "执法记录仪单个录像文件一般不超过 4 GB；上传和导入超过上限的文件被拒绝"},
	{"evidence_retention_days_photo", SETTING_INT, 0, 36500, "0",
	 "照片证据保存期（日，自拍摄时起；0 为永久保存）",
	 "行政处罚法第四十七条：执法全过程记录归档；未找到交通运输部门的保存期限规定（law.md），默认永久"},
	{"evidence_retention_days_video", SETTING_INT, 0, 36500, "0",
	 "录像证据保存期（日，自拍摄时起；0 为永久保存）",
	 "行政处罚法第四十七条：重要执法环节的音像记录归档保存；默认永久（law.md）"},
	{"evidence_retention_days_audio", SETTING_INT, 0, 36500, "0",
	 "录音证据保存期（日，自拍摄时起；0 为永久保存）",
	 "行政处罚法第四十七条：重要执法环节的音像记录归档保存；默认永久（law.md）"},
	{"evidence_retention_days_scan", SETTING_INT, 0, 36500, "0",
	 "扫描件证据保存期（日，自拍摄时起；0 为永久保存）",
	 "行政处罚法第四十七条：执法全过程记录归档；默认永久（law.md）"},
	{"evidence_retention_days_document", SETTING_INT, 0, 36500, "0",
	 "文档证据保存期（日，自拍摄时起；0 为永久保存）",
	 "行政处罚法第四十七条：执法全过程记录归档；默认永久（law.md）"},
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
	if (!strcmp(key, "overload_part_tonne_mode")) {
		enum overload_part_tonne mode;
		return overload_part_tonne_parse(value, &mode, "value", err);
	}
	return text_check(value, "value", (long)d->max, true, err);
}
