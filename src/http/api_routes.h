/*
 * api_routes.h: the API's rows of the route table (routes.c includes them
 * through HTTP_API_ROUTES) and the handlers they name.  Internal to http/.
 */
#ifndef ZF_API_ROUTES_H
#define ZF_API_ROUTES_H

#define HTTP_API_ROUTES

#endif
