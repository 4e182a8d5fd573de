/*
 * api_routes.h: the API's rows of the route table (routes.c expands
 * HTTP_API_ROUTES inside http_routes[]) and the handlers they name.
 * Internal to http/.  Each group has its own header so that its rows and
 * handlers stay together.
 */
#ifndef ZF_API_ROUTES_H
#define ZF_API_ROUTES_H

#include "api_routes_case.h"
#include "api_routes_evidence.h"
#include "api_routes_ledger.h"
#include "api_routes_overload.h"
#include "api_routes_registry.h"

/* Who may do what, by role groups (src/domain/auth.h). */
#define R_STAFF (ROLE_BUSINESS)
#define R_CASE (ROLE_ENFORCER | ROLE_LEGAL_REVIEWER | ROLE_HEAD)
/* weighing, unloading, reviewing machine records: officers at work, heads */
#define R_WEIGH (ROLE_ENFORCER | ROLE_HEAD)
#define R_READ (ROLE_BUSINESS)
#define R_SYS (ROLE_SYSTEM_ADMIN)
#define R_SEC (ROLE_SECURITY_ADMIN)
#define R_AUDIT (ROLE_AUDITOR | ROLE_AUDIT_ADMIN)
#define R_ANY (ROLE_ALL)

#define PUB HTTP_ROUTE_PUBLIC
#define W (HTTP_ROUTE_WRITES | HTTP_ROUTE_LEDGERED)

#define HTTP_API_ROUTES API_ROUTES_REGISTRY API_ROUTES_CASE API_ROUTES_EVIDENCE API_ROUTES_OVERLOAD \
	API_ROUTES_LEDGER

#endif
