/*
 * registry: the bureau's standing records: organisations, officers,
 * parties (当事人), vehicles and devices.  Pure values.
 *
 * Each record type has:
 *   X_release()        frees the strings the struct owns;
 *   X_validate()       checks every field, naming the first bad one;
 *   X_to_json()        the document the CLI's --json prints and the API
 *                      returns (one function for both);
 *   X_state_json()     what the ledger's state hash commits to: the record
 *                      without its personal fields, which are replaced by
 *                      their salted digest (pii_digest, hex);
 *   X_personal_json()  the personal fields alone, input to that digest.
 * Strings are owned by the struct (zf_malloc'd) unless said otherwise.
 */
#ifndef ZF_REGISTRY_H
#define ZF_REGISTRY_H

#include <jansson.h>

#include "date.h"
#include "ids.h"
#include "zf.h"

#define REG_ID_LEN 37

struct org {
	char id[REG_ID_LEN];
	char *parent_id;	/* NULL for a top organisation */
	char *name;
	char *level;		/* vocab_org_levels */
	char *division_code;	/* 6 digits, GB/T 2260 */
	char *credit_code;	/* 统一社会信用代码, optional */
	char *doc_abbr;		/* 文书简称 used in document numbers, e.g. 杭交 */
	char *hash_alg;		/* sm3 | sha256, fixed at creation */
	int64_t created_at;
};

void org_release(struct org *o);
int org_validate(const struct org *o, struct zf_error *err) ZF_WUR;
json_t *org_to_json(const struct org *o);
json_t *org_state_json(const struct org *o);

struct officer {
	char id[REG_ID_LEN];
	char org_id[REG_ID_LEN];
	char *name;
	char *id_number;	/* personal */
	char *phone;		/* personal */
	char *cert_no;		/* 执法证号, unique per organisation */
	char *category;		/* 执法证类别 */
	struct zf_date valid_from, valid_to;
	char *status;		/* vocab_officer_statuses */
	char *roles;		/* comma-separated vocab_roles */
	bool legal_qualification;	/* 法律职业资格 (处罚法 Art. 58) */
	char *pii_digest;	/* hex; set by the store */
	uint8_t pii_salt[16];	/* store-internal: the digest's salt */
	bool has_salt;		/* false once erased */
	bool erased;
	int64_t created_at;
};

void officer_release(struct officer *o);
int officer_validate(const struct officer *o, struct zf_date today,
		     struct zf_error *err) ZF_WUR;
/* May this officer act on date d: active, and d within the certificate's validity. */
bool officer_may_act_on(const struct officer *o, struct zf_date d);
bool officer_has_role(const struct officer *o, const char *role);
/* Days from `today` until the certificate expires (negative if expired). */
int64_t officer_days_to_expiry(const struct officer *o, struct zf_date today);
json_t *officer_to_json(const struct officer *o, struct zf_date today);
json_t *officer_state_json(const struct officer *o);
json_t *officer_personal_json(const struct officer *o);

struct party {
	char id[REG_ID_LEN];
	char org_id[REG_ID_LEN];
	char *kind;		/* person | org */
	char *name;		/* personal for a person */
	char *id_number;	/* person: 居民身份证号, personal */
	char *credit_code;	/* org: 统一社会信用代码 */
	char *legal_rep;	/* org: 法定代表人, personal */
	char *phone;		/* personal */
	char *address;		/* personal for a person */
	char *pii_digest;
	uint8_t pii_salt[16];
	bool has_salt;
	bool erased;
	int64_t created_at;
};

void party_release(struct party *p);
int party_validate(const struct party *p, struct zf_date today,
		   struct zf_error *err) ZF_WUR;
json_t *party_to_json(const struct party *p);
json_t *party_state_json(const struct party *p);
json_t *party_personal_json(const struct party *p);

struct vehicle {
	char id[REG_ID_LEN];
	char org_id[REG_ID_LEN];
	char *plate;		/* normalised */
	char *plate_kind;	/* ids_plate_kind_code */
	char *config;		/* vocab_vehicle_configs */
	int axles;		/* 0 when unknown (not for trucks) */
	char *owner_id;		/* party id, optional */
	char *model;		/* 车型, optional */
	int64_t created_at;
};

void vehicle_release(struct vehicle *v);
/* Normalises v->plate in place and sets plate_kind. */
int vehicle_validate(struct vehicle *v, struct zf_error *err) ZF_WUR;
json_t *vehicle_to_json(const struct vehicle *v);
json_t *vehicle_state_json(const struct vehicle *v);

struct device {
	char id[REG_ID_LEN];
	char org_id[REG_ID_LEN];
	char *code;		/* DSJ-01 */
	char *kind;		/* vocab_device_kinds */
	char *name;
	char *status;		/* active | retired */
	int64_t created_at;
};

void device_release(struct device *d);
int device_validate(const struct device *d, struct zf_error *err) ZF_WUR;
json_t *device_to_json(const struct device *d);
json_t *device_state_json(const struct device *d);

#endif
