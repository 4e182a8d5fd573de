/*
 * openapi.h: the OpenAPI 3.0 document of the server, generated from the
 * route table (http_routes[]) so that the two cannot disagree.  Internal to
 * http/.
 */
#ifndef ZF_OPENAPI_H
#define ZF_OPENAPI_H

#include <jansson.h>

struct http_req;
struct http_resp;
struct zf_error;

/*
 * A new document (the caller owns it), or NULL when out of memory.  Every
 * path of the table with its methods (GET also answers HEAD, not listed);
 * each operation has its summary, operationId, x-roles (the role codes
 * allowed, empty for public routes), x-flags (public, writes, ledgered,
 * login), its security (none for public routes and the login; the session
 * cookie, and the CSRF header for writes) and its {name} path parameters.
 */
json_t *http_openapi(void);

/* GET /api/v1/openapi.json */
int api_openapi(struct http_req *req, struct http_resp *resp, struct zf_error *err);

#endif
