/*
 * api_routes_registry.h: route rows and handlers of the registry API (see
 * api_routes.h): organisations and settings, officers, parties, vehicles,
 * devices, the calendar and deadlines, users, and the OpenAPI document.
 * Internal to http/.  The handlers are in api_registry.c; who manages users
 * (等保 2.0 三权分立) is explained at the top of that file.
 */
#ifndef ZF_API_ROUTES_REGISTRY_H
#define ZF_API_ROUTES_REGISTRY_H

#include "openapi.h"

struct http_req;
struct http_resp;
struct zf_error;
struct zf_ctx;
struct store;

/* clang-format off */
#define API_ROUTES_REGISTRY \
	{"GET", "/api/v1/orgs", api_org_list, 0, R_ANY, "本机构及下级机构"}, \
	{"GET", "/api/v1/orgs/{id}", api_org_show, 0, R_ANY, "机构详情及设置（本机构或下级机构）"}, \
	{"GET", "/api/v1/org/settings", api_settings_get, 0, R_ANY, "机构设置"}, \
	{"PUT", "/api/v1/org/settings/{key}", api_settings_put, W, R_SYS, "修改机构设置"}, \
	{"GET", "/api/v1/officers", api_officer_list, 0, R_READ | R_SYS, "执法人员列表"}, \
	{"POST", "/api/v1/officers", api_officer_add, W, R_SYS, "登记执法人员"}, \
	{"GET", "/api/v1/officers/{id}", api_officer_show, 0, R_READ | R_SYS, "执法人员详情（标识或执法证号）"}, \
	{"PATCH", "/api/v1/officers/{id}", api_officer_update, W, R_SYS, "修改执法人员（暂停、注销、续证）"}, \
	{"GET", "/api/v1/parties", api_party_list, 0, R_STAFF, "当事人列表"}, \
	{"POST", "/api/v1/parties", api_party_add, W, R_CASE, "登记当事人"}, \
	{"GET", "/api/v1/parties/{id}", api_party_show, 0, R_STAFF, "当事人详情"}, \
	{"POST", "/api/v1/parties/{id}/erase", api_party_erase, W, ROLE_HEAD, "删除当事人个人信息（账本仍可验证）"}, \
	{"GET", "/api/v1/vehicles", api_vehicle_list, 0, R_STAFF, "车辆列表"}, \
	{"POST", "/api/v1/vehicles", api_vehicle_add, W, R_CASE, "登记车辆"}, \
	{"GET", "/api/v1/devices", api_device_list, 0, R_READ | R_SYS, "设备列表"}, \
	{"POST", "/api/v1/devices", api_device_add, W, R_SYS, "登记设备（执法记录仪等）"}, \
	{"GET", "/api/v1/calendar", api_calendar_list, 0, R_ANY, "已载入的节假日年度"}, \
	{"POST", "/api/v1/calendar/due", api_calendar_due, 0, R_ANY, "计算期限届满日（不写数据）"}, \
	{"POST", "/api/v1/calendar/years", api_calendar_load, W, R_SYS, "载入一年的节假日安排，重算临时期限"}, \
	{"GET", "/api/v1/deadlines", api_deadline_list, 0, R_READ, "期限列表"}, \
	{"GET", "/api/v1/users", api_user_list, 0, R_SYS | R_SEC, "用户列表"}, \
	{"POST", "/api/v1/users", api_user_add, W, R_SYS, "新增用户（仅业务角色）"}, \
	{"PUT", "/api/v1/users/{id}/roles", api_user_roles, W, R_SEC, "分配角色（三权分立）"}, \
	{"POST", "/api/v1/users/{id}/password", api_user_password, W, R_SYS, "重设用户密码"}, \
	{"POST", "/api/v1/users/{id}/unlock", api_user_unlock, W, R_SEC, "解锁用户"}, \
	{"POST", "/api/v1/users/{id}/totp", api_user_totp, W, R_SEC, "设置动态口令（只显示一次密钥）"}, \
	{"POST", "/api/v1/users/{id}/disable", api_user_disable, W, R_SYS, "停用用户"}, \
	{"POST", "/api/v1/me/password", api_me_password, W, R_ANY, "修改本人密码"}, \
	{"GET", "/api/v1/openapi.json", api_openapi, 0, R_ANY, "接口说明（OpenAPI 3.0，由路由表生成）"},
/* clang-format on */

int api_org_list(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_org_show(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_settings_get(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_settings_put(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_officer_list(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_officer_add(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_officer_show(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_officer_update(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_party_list(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_party_add(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_party_show(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_party_erase(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_vehicle_list(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_vehicle_add(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_device_list(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_device_add(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_calendar_list(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_calendar_due(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_calendar_load(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_deadline_list(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_user_list(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_user_add(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_user_roles(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_user_password(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_user_unlock(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_user_totp(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_user_disable(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_me_password(struct http_req *req, struct http_resp *resp, struct zf_error *err);



#endif
