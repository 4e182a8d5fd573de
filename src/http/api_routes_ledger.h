/* api_routes_ledger.h: route rows and handlers of the ledger API (see api_routes.h). */
#ifndef ZF_API_ROUTES_LEDGER_H
#define ZF_API_ROUTES_LEDGER_H

#define API_ROUTES_LEDGER

#endif
