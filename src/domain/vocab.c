#include <string.h>

#include "vocab.h"

const char *const vocab_org_levels[] = {"county", "city", "province", "nation", NULL};
const char *const vocab_roles[] = {"enforcer", "legal_reviewer", "head",
				   "disclosure_officer", "auditor", "system_admin",
				   "security_admin", "audit_admin", NULL};
const char *const vocab_officer_statuses[] = {"active", "suspended", "revoked", NULL};
const char *const vocab_party_kinds[] = {"person", "org", NULL};
const char *const vocab_vehicle_configs[] = {"truck", "tractor", "trailer", "bus",
					     "car", "other", NULL};
const char *const vocab_device_kinds[] = {"body_camera", "scale", "camera", NULL};

static const struct {
	const char *code, *label;
} labels[] = {
	{"county", "旗县级"}, {"city", "盟市级"}, {"province", "自治区（省）级"},
	{"nation", "国家级"}, {"enforcer", "执法人员"},
	{"legal_reviewer", "法制审核员"}, {"head", "负责人"},
	{"disclosure_officer", "政务公开专员"}, {"auditor", "审计员"},
	{"system_admin", "系统管理员"}, {"security_admin", "安全管理员"},
	{"audit_admin", "审计管理员"}, {"active", "在岗"}, {"suspended", "暂停执法"},
	{"revoked", "已注销"}, {"person", "自然人"}, {"org", "法人或其他组织"},
	{"truck", "货车"}, {"tractor", "牵引车"}, {"trailer", "挂车"},
	{"bus", "客车"}, {"car", "小型车辆"}, {"other", "其他"},
	{"body_camera", "执法记录仪"}, {"scale", "称重设备"}, {"camera", "监控摄像机"},
};

const char *vocab_label(const char *code)
{
	for (size_t i = 0; i < ZF_ARRAY_LEN(labels); i++)
		if (strcmp(labels[i].code, code) == 0)
			return labels[i].label;
	return code;
}
