/* Evidence items: kinds, sidecars, capture-time checks and the record's JSON. */
#include "date.h"
#include "evidence.h"
#include "text.h"

const char *const evidence_kinds[] = {"photo", "video", "audio", "scan", "document", NULL};
const char *const evidence_statuses[] = {"stored", "deleted", NULL};

static const struct {
	const char *code, *label;
} kind_labels[] = {
	{"photo", "照片"}, {"video", "视频"}, {"audio", "录音"},
	{"scan", "扫描件"}, {"document", "文档"},
};

/* Extensions body cameras, phones and scanners write. */
static const struct {
	const char *kind;
	const char *const exts[12];
} by_ext[] = {
	{"photo", {"jpg", "jpeg", "png", "heic", "heif", "webp", "bmp", "gif", NULL}},
	{"video", {"mp4", "mov", "avi", "mkv", "ts", "m4v", "3gp", "h264", "h265", "webm", NULL}},
	{"audio", {"wav", "mp3", "aac", "amr", "m4a", "ogg", "opus", "flac", "wma", NULL}},
	{"scan", {"pdf", "tif", "tiff", NULL}},
};

void evidence_file_ext(const char *name, char out[16])
{
	const char *base = evidence_basename(name ? name : "");
	const char *dot = strrchr(base, '.');
	size_t n = 0;
	if (dot && dot != base) {
		for (const char *p = dot + 1; *p && n < 10; p++) {
			char c = *p;
			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
				n = 0;
				break;
			}
			out[n++] = c;
		}
		if (dot[1] && strlen(dot + 1) > 10)
			n = 0;
	}
	if (!n)
		zf_strlcpy(out, "bin", 16);
	else
		out[n] = '\0';
}

const char *evidence_kind_of_name(const char *name)
{
	char ext[16];
	evidence_file_ext(name, ext);
	for (size_t i = 0; i < ZF_ARRAY_LEN(by_ext); i++)
		for (const char *const *e = by_ext[i].exts; *e; e++)
			if (strcmp(*e, ext) == 0)
				return by_ext[i].kind;
	return "document";
}

const char *evidence_basename(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

int evidence_captured_at_check(int64_t captured_at, int64_t now, const char *field,
			       struct zf_error *err)
{
	char when[INSTANT_STR_LEN];
	instant_format(captured_at, when);
	if (captured_at < EVIDENCE_EARLIEST_US)
		return zf_fail(err, ZF_EINVAL, "evidence_captured_at_impossible", field,
			       "拍摄时间 %s 早于 2000 年：设备时钟有误", when);
	if (captured_at > now + EVIDENCE_CLOCK_SKEW_US)
		return zf_fail(err, ZF_EINVAL, "evidence_captured_at_impossible", field,
			       "拍摄时间 %s 晚于当前时间：设备时钟有误", when);
	return ZF_OK;
}

/* ---- sidecars ---------------------------------------------------------- */

int evidence_sidecar_parse(const char *text, size_t len, struct evidence_sidecar *out,
			   struct zf_error *err)
{
	json_error_t jerr;
	int rc = ZF_OK;
	memset(out, 0, sizeof(*out));
	json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!j || !json_is_object(j)) {
		json_decref(j);
		return zf_fail(err, ZF_EINVAL, "evidence_sidecar_invalid", "sidecar",
			       "附带的说明文件不是 JSON 对象");
	}
	json_t *at = json_object_get(j, "captured_at");
	json_t *loc = json_object_get(j, "location");
	json_t *off = json_object_get(j, "officers");
	if (at && !json_is_null(at)) {
		if (!json_is_string(at))
			rc = zf_fail(err, ZF_EINVAL, "invalid_instant", "sidecar.captured_at",
				     "captured_at 应为 ISO 8601 时间字符串");
		else if (!(rc = instant_parse(json_string_value(at), &out->captured_at,
					      "sidecar.captured_at", err)))
			out->has_captured_at = true;
	}
	if (!rc && loc && !json_is_null(loc)) {
		if (!json_is_string(loc))
			rc = zf_fail(err, ZF_EINVAL, "invalid_text", "sidecar.location",
				     "location 应为文字");
		else if (!(rc = text_check(json_string_value(loc), "sidecar.location", 200,
					   false, err)) &&
			 !(out->location = zf_strdup(json_string_value(loc))))
			rc = zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
	}
	if (!rc && off && !json_is_null(off)) {
		size_t i;
		json_t *v;
		if (!json_is_array(off) || json_array_size(off) > 20)
			rc = zf_fail(err, ZF_EINVAL, "evidence_sidecar_invalid", "sidecar.officers",
				     "officers 应为执法人员标识或执法证号的数组（至多 20 个）");
		json_array_foreach(off, i, v) {
			if (rc)
				break;
			if (!json_is_string(v))
				rc = zf_fail(err, ZF_EINVAL, "evidence_sidecar_invalid",
					     "sidecar.officers", "officers 的每一项应为文字");
			else
				rc = text_check(json_string_value(v), "sidecar.officers", 64, true,
						err);
		}
		if (!rc)
			out->officers = json_incref(off);
	}
	json_decref(j);
	if (rc)
		evidence_sidecar_release(out);
	return rc;
}

void evidence_sidecar_release(struct evidence_sidecar *s)
{
	zf_freep(&s->location);
	json_decref(s->officers);
	s->officers = NULL;
	s->has_captured_at = false;
}

/* ---- the record --------------------------------------------------------- */

void evidence_item_release(struct evidence_item *e)
{
	zf_freep(&e->case_id);
	zf_freep(&e->kind);
	zf_freep(&e->device);
	json_decref(e->captured_by);
	e->captured_by = NULL;
	zf_freep(&e->location);
	zf_freep(&e->original_name);
	zf_freep(&e->hash_alg);
	zf_freep(&e->status);
	zf_freep(&e->hold_reason);
	zf_freep(&e->source_id);
	json_decref(e->redaction);
	e->redaction = NULL;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *evidence_item_state_json(const struct evidence_item *e)
{
	json_t *j = json_object();
	if (!j)
		return NULL;
	json_object_set_new(j, "id", json_string(e->id));
	json_object_set_new(j, "org_id", json_string(e->org_id));
	json_object_set_new(j, "case_id", str_or_null(e->case_id));
	json_object_set_new(j, "step", e->step ? json_integer(e->step) : json_null());
	json_object_set_new(j, "kind", str_or_null(e->kind));
	json_object_set_new(j, "device", str_or_null(e->device));
	json_object_set_new(j, "captured_at", json_integer(e->captured_at));
	json_object_set_new(j, "captured_by",
			    e->captured_by ? json_deep_copy(e->captured_by) : json_array());
	json_object_set_new(j, "location", str_or_null(e->location));
	json_object_set_new(j, "original_name", str_or_null(e->original_name));
	json_object_set_new(j, "size", json_integer(e->size));
	json_object_set_new(j, "hash", json_string(e->hash));
	json_object_set_new(j, "hash_alg", str_or_null(e->hash_alg));
	json_object_set_new(j, "status", str_or_null(e->status));
	json_object_set_new(j, "hold", json_boolean(e->hold));
	json_object_set_new(j, "hold_reason", str_or_null(e->hold_reason));
	json_object_set_new(j, "source_id", str_or_null(e->source_id));
	json_object_set_new(j, "redaction",
			    e->redaction ? json_deep_copy(e->redaction) : json_null());
	json_object_set_new(j, "created_at", json_integer(e->created_at));
	json_object_set_new(j, "deleted_at",
			    e->deleted_at ? json_integer(e->deleted_at) : json_null());
	/* a member that failed to allocate would silently change the hash */
	if (json_object_size(j) != 20) {
		json_decref(j);
		return NULL;
	}
	return j;
}

json_t *evidence_item_to_json(const struct evidence_item *e)
{
	char when[INSTANT_STR_LEN];
	json_t *j = evidence_item_state_json(e);
	if (!j)
		return NULL;
	instant_format(e->captured_at, when);
	json_object_set_new(j, "captured_at_iso", json_string(when));
	for (size_t i = 0; i < ZF_ARRAY_LEN(kind_labels); i++)
		if (e->kind && strcmp(kind_labels[i].code, e->kind) == 0)
			json_object_set_new(j, "kind_label", json_string(kind_labels[i].label));
	return j;
}
