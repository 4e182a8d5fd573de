/*
 * fuzz_ids: libFuzzer driver for the identifier checks (src/domain/ids.c).
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc/lib -Isrc/domain \
 *       fuzz/fuzz_ids.c src/domain/ids.c src/lib/{err,mem,date}.c
 *   ./a.out fuzz/ids-corpus
 *
 * Besides not crashing, the checks must keep their promises, which the
 * sanitizers alone would not notice: a valid identifier's normalised form
 * is valid again and normalises to itself, and a refusal always carries a
 * code, the field and a message.  A broken promise is a bug, so it aborts.
 * tests/unit/domain/test_ids_corpus.c includes this file and replays the
 * corpus through it in the normal suite.
 */
#include <stdio.h>
#include <string.h>

#include "ids.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_refusal(int rc, const struct zf_error *err, const char *code,
			  const char *field)
{
	if (rc != ZF_EINVAL || err->rc != ZF_EINVAL ||
	    strcmp(err->code, code) != 0 || strcmp(err->field, field) != 0 ||
	    err->message[0] == '\0')
		ZF_BUG("refusal without a proper error: %d %s/%s/%s", rc,
		       err->code, err->field, err->message);
}

/* Whether the check of kind k accepts s, normalising it to itself. */
static bool fixed_point(enum ids_kind k, const char *s, struct zf_date today)
{
	char out[IDS_NORM_MAX];
	struct ids_plate pl;

	switch (k) {
	case IDS_RESIDENT_ID:
		return ids_resident_id_check(s, today, out, "f", NULL) ==
			       ZF_OK &&
		       strcmp(out, s) == 0;
	case IDS_CREDIT_CODE:
		return ids_credit_code_check(s, out, "f", NULL) == ZF_OK &&
		       strcmp(out, s) == 0;
	case IDS_PLATE:
		return ids_plate_check(s, &pl, "f", NULL) == ZF_OK &&
		       strcmp(pl.text, s) == 0;
	case IDS_UNKNOWN:
		break;
	}
	return false;
}

static void check_each(const char *s, struct zf_date today)
{
	char out[IDS_NORM_MAX];
	struct ids_plate pl;
	struct zf_error err;
	int rc;

	/* Each check on its own, since ids_check_any filters by shape. */
	rc = ids_resident_id_check(s, today, out, "f", &err);
	if (rc != ZF_OK)
		check_refusal(rc, &err, "invalid_resident_id", "f");
	else if (!fixed_point(IDS_RESIDENT_ID, out, today))
		ZF_BUG("resident ID %s not a fixed point", out);

	rc = ids_credit_code_check(s, out, "f", &err);
	if (rc != ZF_OK)
		check_refusal(rc, &err, "invalid_credit_code", "f");
	else if (!fixed_point(IDS_CREDIT_CODE, out, today))
		ZF_BUG("credit code %s not a fixed point", out);

	rc = ids_plate_check(s, &pl, "f", &err);
	if (rc != ZF_OK)
		check_refusal(rc, &err, "invalid_plate", "f");
	else if (!fixed_point(IDS_PLATE, pl.text, today))
		ZF_BUG("plate %s not a fixed point", pl.text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct zf_date today = {2025, 6, 1};
	struct ids_result res[3];
	size_t n;
	char *s;

	s = zf_malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	n = ids_check_any(s, today, res);
	if (n > 3)
		ZF_BUG("ids_check_any returned %zu results", n);
	for (size_t i = 0; i < n; i++) {
		const struct ids_result *r = &res[i];

		/* Candidates come as resident_id, credit_code, plate. */
		if (r->kind == IDS_UNKNOWN ||
		    (i > 0 && r->kind <= res[i - 1].kind))
			ZF_BUG("result %zu has kind %d", i, (int)r->kind);
		if (!r->valid) {
			char code[64];

			snprintf(code, sizeof(code), "invalid_%s",
				 ids_kind_code(r->kind));
			check_refusal(ZF_EINVAL, &r->err, code,
				      ids_kind_code(r->kind));
			continue;
		}
		if (!fixed_point(r->kind, r->normalised, today))
			ZF_BUG("%s %s not a fixed point",
			       ids_kind_code(r->kind), r->normalised);
	}
	check_each(s, today);
	zf_free(s);
	return 0;
}
