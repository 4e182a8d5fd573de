/* api_routes_evidence.h: route rows and handlers of the evidence API (see api_routes.h). */
#ifndef ZF_API_ROUTES_EVIDENCE_H
#define ZF_API_ROUTES_EVIDENCE_H

#include "http_int.h"

/*
 * Evidence (api_evidence.c): uploads streamed into the evidence store
 * (HTTP_ROUTE_STREAM: bounded memory, the organisation's
 * evidence_max_size_mb, a cut upload leaves nothing), by a case officer or
 * a head; reads of the list and an item with its chain of custody; the
 * file itself with Range requests (video), each handing-out logged as
 * custody (evidence.download, or evidence.view for ?inline=1).
 */
#define API_ROUTES_EVIDENCE \
	{"GET", "/api/v1/cases/{id}/evidence", api_evidence_list, 0, R_READ, "案件的证据列表"}, \
	{"POST", "/api/v1/cases/{id}/evidence", api_evidence_upload, W | HTTP_ROUTE_STREAM, R_CASE, "上传证据（照片、执法记录仪音视频等，流式接收）"}, \
	{"GET", "/api/v1/evidence/{id}", api_evidence_get, 0, R_READ, "证据详情及保管链"}, \
	{"GET", "/api/v1/evidence/{id}/content", api_evidence_content, HTTP_ROUTE_LEDGERED, R_READ, "查看或下载证据文件（支持 Range，记入保管链）"},

int api_evidence_list(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_evidence_upload(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_evidence_get(struct http_req *req, struct http_resp *resp, struct zf_error *err);
int api_evidence_content(struct http_req *req, struct http_resp *resp, struct zf_error *err);
/* The upload's streaming (http_stream_begin/write in api.c hand over). */
int api_evidence_stream_begin(struct http_req *req, struct zf_error *err);
void api_evidence_stream_write(struct http_req *req, const void *p, size_t n);

#endif
