/* api_routes_case.h: route rows and handlers of the case API (see api_routes.h). */
#ifndef ZF_API_ROUTES_CASE_H
#define ZF_API_ROUTES_CASE_H

#define API_ROUTES_CASE

#endif
