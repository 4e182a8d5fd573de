/* api_routes_overload.h: route rows and handlers of the overload API (see api_routes.h). */
#ifndef ZF_API_ROUTES_OVERLOAD_H
#define ZF_API_ROUTES_OVERLOAD_H

#include "http_int.h"

/*
 * Overload control (issue 8, api_overload.c): weighings at a station,
 * unloading, the case opened from an over-limit weighing, the review of
 * weigh-in-motion records (行政处罚法 Art. 41: confirm by opening or linking
 * a case, or dismiss with a reason), imports of weigh-in-motion files
 * (HTTP_ROUTE_STREAM: the CSV is spooled to a temporary file and loaded in
 * one transaction when it has all arrived; a check of such a file,
 * POST /api/v1/weigh-checks, is spooled alike and stores nothing), scales' verification
 * certificates, statistics and the engine itself (no write).
 *
 * Who: enforcement officers and heads weigh, unload, open cases and review
 * (R_WEIGH), always as their own officer; a head records a scale's
 * certificate, since it decides whether the scale's records may be
 * evidence (like registering pre-printed stocks); every business role
 * reads, supervisors their subordinates with ?org=; administrators
 * neither.  Checking a file writes nothing: any reader may.
 */
/* clang-format off */
#define API_ROUTES_OVERLOAD \
	{"GET", "/api/v1/weighings", api_weigh_list, 0, R_READ, "称重记录列表（review、over、station、plate、year 筛选，after、limit 分页）"}, \
	{"POST", "/api/v1/weighings", api_weigh_record, W, R_WEIGH, "登记现场称重（衡器须在检定有效期内）"}, \
	{"GET", "/api/v1/weighings/{id}", api_weigh_get, 0, R_READ, "称重记录详情及计算过程"}, \
	{"POST", "/api/v1/weighings/{id}/unload", api_weigh_unload, W, R_WEIGH, "登记卸载及复磅"}, \
	{"POST", "/api/v1/weighings/{id}/case", api_weigh_case, W, R_WEIGH, "据超限称重记录立案（线索登记；动态称重记录即为人工审核确认）"}, \
	{"POST", "/api/v1/weighings/{id}/link", api_weigh_link, W, R_WEIGH, "称重记录关联已有的超限案件"}, \
	{"POST", "/api/v1/weighings/{id}/dismiss", api_weigh_dismiss, W, R_WEIGH, "审核否定动态称重超限记录（须说明理由）"}, \
	{"GET", "/api/v1/weigh-imports", api_weigh_imports, 0, R_READ, "动态称重数据导入记录"}, \
	{"POST", "/api/v1/weigh-imports", api_weigh_import, W | HTTP_ROUTE_STREAM, R_WEIGH, "导入动态称重数据（CSV，流式接收）"}, \
	{"POST", "/api/v1/weigh-checks", api_weigh_check, HTTP_ROUTE_STREAM, R_READ, "检查动态称重数据文件（CSV，流式接收；只检查，不保存）"}, \
	{"GET", "/api/v1/calibrations", api_calibration_list_all, 0, R_READ, "全部衡器的检定证书"}, \
	{"GET", "/api/v1/scales/{device}/calibrations", api_calibration_list, 0, R_READ, "衡器的检定证书"}, \
	{"POST", "/api/v1/scales/{device}/calibrations", api_calibration_add, W, ROLE_HEAD, "登记衡器检定证书"}, \
	{"GET", "/api/v1/overload/stats", api_overload_stats, 0, R_READ, "治超统计（按站点、按月）"}, \
	{"POST", "/api/v1/overload/check", api_overload_check, 0, R_READ, "超限认定和处罚计算（只计算，不保存）"},
/* clang-format on */

int api_weigh_list(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_weigh_record(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_weigh_get(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_weigh_unload(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_weigh_case(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_weigh_link(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_weigh_dismiss(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_weigh_imports(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_weigh_import(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_weigh_check(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_calibration_list_all(struct http_req *req, struct http_resp *resp,
			     struct zf_error *err);
int api_calibration_list(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_calibration_add(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_overload_stats(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_overload_check(struct http_req *req, struct http_resp *resp, struct zf_error *err);
/* The import's streaming (http_stream_begin/write in api.c hand over): the
 * CSV into a spool file of at most API_WEIGH_IMPORT_MAX bytes. */
int api_weigh_import_begin(struct http_req *req, struct zf_error *err);
void api_weigh_import_write(struct http_req *req, const void *p, size_t n);
/* A check (POST /api/v1/weigh-checks) is spooled the same way; its chunks
 * go to api_weigh_import_write too. */
int api_weigh_check_begin(struct http_req *req, struct zf_error *err);
void api_spool_free(struct api_spool *sp);

#endif
