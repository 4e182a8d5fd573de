/* api_routes_case.h: route rows and handlers of the case API (see api_routes.h). */
#ifndef ZF_API_ROUTES_CASE_H
#define ZF_API_ROUTES_CASE_H

#include "http_int.h"

/*
 * Cases, their steps and clocks, documents, pre-printed stocks, violations
 * and discretion (api_case.c).  Reads (GET) may name a subordinate
 * organisation with ?org=; writes act on the user's own organisation, and
 * a case step needs the user to act as their own, assigned officer.
 */
#define API_ROUTES_CASE \
	{"GET", "/api/v1/cases", api_case_list, 0, R_READ, "案件列表"}, \
	{"POST", "/api/v1/cases", api_case_create, W, R_CASE, "新建案件（线索登记、立案或当场处罚）"}, \
	{"GET", "/api/v1/cases/{id}", api_case_get, 0, R_READ, "案件详情"}, \
	{"POST", "/api/v1/cases/{id}/steps", api_case_step, W, R_CASE, "办理案件环节"}, \
	{"POST", "/api/v1/cases/{id}/extend", api_case_extend, W, R_CASE, "延长办案期限"}, \
	{"POST", "/api/v1/cases/{id}/notes", api_case_note, W, R_CASE, "案件备注"}, \
	{"GET", "/api/v1/clocks", api_clock_list, 0, R_READ, "期限提醒"}, \
	{"GET", "/api/v1/clocks/mine", api_clock_mine, 0, R_READ, "我承办案件的期限"}, \
	{"POST", "/api/v1/documents/{number}/void", api_document_void, W, ROLE_HEAD, "作废文书编号"}, \
	{"POST", "/api/v1/stocks", api_stock_add, W, ROLE_HEAD, "登记预印文书号段"}, \
	{"GET", "/api/v1/violations", api_violation_list, 0, R_READ, "违法行为目录"}, \
	{"POST", "/api/v1/violations/imports", api_violation_import, W, ROLE_HEAD, "导入裁量基准"}, \
	{"GET", "/api/v1/violations/{code}", api_violation_get, 0, R_READ, "违法行为详情"}, \
	{"POST", "/api/v1/discretion/proposals", api_discretion_propose, 0, R_READ, "裁量建议（只计算，不保存）"},

int api_case_list(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_case_get(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_case_create(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_case_step(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_case_extend(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_case_note(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_clock_list(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_clock_mine(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_document_void(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_stock_add(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_violation_list(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_violation_get(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_violation_import(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_discretion_propose(struct http_req *req, struct http_resp *resp,
			   struct zf_error *err);

#endif
