/*
 * vocab: the code lists of the registry objects.  Every code here is also a
 * row of docs/codes.tsv with its Chinese label (a test checks that), so the
 * CLI, the API, the UI and the tests speak one vocabulary.
 */
#ifndef ZF_VOCAB_H
#define ZF_VOCAB_H

#include "zf.h"

/* NULL-terminated lists. */
extern const char *const vocab_org_levels[];	 /* county city province nation */
extern const char *const vocab_roles[];		 /* officer and user roles */
extern const char *const vocab_officer_statuses[];
extern const char *const vocab_party_kinds[];
extern const char *const vocab_vehicle_configs[];
extern const char *const vocab_device_kinds[];

/* Chinese label of a code in any list above, or the code itself. */
const char *vocab_label(const char *code);

#endif
