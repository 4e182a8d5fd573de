/* api_routes_registry.h: route rows and handlers of the registry API (see api_routes.h). */
#ifndef ZF_API_ROUTES_REGISTRY_H
#define ZF_API_ROUTES_REGISTRY_H

#define API_ROUTES_REGISTRY

#endif
