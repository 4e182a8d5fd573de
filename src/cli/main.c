#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "checkpoint.h"
#include "cli.h"
#include "text.h"

const char *cli_opt(const struct cli *c, const char *name)
{
	for (size_t i = 0; i < c->nopts; i++)
		if (strcmp(c->opts[i].name, name) == 0)
			return c->opts[i].value;
	return NULL;
}

bool cli_flag(const struct cli *c, const char *name)
{
	for (size_t i = 0; i < c->nopts; i++)
		if (strcmp(c->opts[i].name, name) == 0)
			return c->opts[i].set;
	return false;
}

/* Options are spelled --valid-to; the field they fill is valid_to. */
static const char *field_of(const char *name, char *buf, size_t size)
{
	zf_strlcpy(buf, name, size);
	for (char *p = buf; *p; p++)
		if (*p == '-')
			*p = '_';
	return buf;
}

int cli_need(const struct cli *c, const char *name, const char **out,
	     struct zf_error *err)
{
	char f[64];
	*out = cli_opt(c, name);
	if (!*out)
		return zf_fail(err, ZF_EUSAGE, "missing_option",
			       field_of(name, f, sizeof(f)),
			       "缺少必需的选项 --%s", name);
	return ZF_OK;
}

int cli_opt_int(const struct cli *c, const char *name, int64_t min, int64_t max,
		int64_t *out, bool *given, struct zf_error *err)
{
	char f[64];
	const char *v = cli_opt(c, name);
	if (given)
		*given = v != NULL;
	return v ? text_parse_int(v, min, max, out, field_of(name, f, sizeof(f)), err)
		 : ZF_OK;
}

int cli_opt_date(const struct cli *c, const char *name, struct zf_date *out,
		 bool *given, struct zf_error *err)
{
	char f[64];
	const char *v = cli_opt(c, name);
	if (given)
		*given = v != NULL;
	return v ? date_parse(v, out, field_of(name, f, sizeof(f)), err) : ZF_OK;
}

int cli_read_file(const char *path, size_t max, struct buf *b, const char *field,
		  struct zf_error *err)
{
	char chunk[4096];
	size_t n;
	int rc = ZF_OK;
	FILE *f = path ? fopen(path, "rb") : NULL;
	buf_init(b, max);
	if (!f)
		return zf_fail(err, ZF_EIO, "file_not_found", field, "无法读取文件“%s”",
			       path ? path : "");
	while (!rc && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		rc = buf_append(b, chunk, n);
	fclose(f);
	if (rc) {
		buf_release(b);
		return zf_fail(err, ZF_ETOOBIG, "file_too_big", field,
			       "文件“%s”过大（上限 %zu 字节）", path, max);
	}
	return ZF_OK;
}

void cli_print_error(const struct zf_error *err)
{
	json_t *e = json_pack("{s{ss ss ss}}", "error", "code", err->code,
			      "message", err->message, "field", err->field);
	char *s = e ? json_dumps(e, JSON_COMPACT) : NULL;
	fprintf(stderr, "%s\n", s ? s : "{\"error\":{\"code\":\"out_of_memory\"}}");
	free(s);
	json_decref(e);
}

static void print_scalar(const json_t *v)
{
	if (json_is_string(v))
		fputs(json_string_value(v), stdout);
	else if (json_is_null(v))
		fputs("-", stdout);
	else {
		char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		fputs(s ? s : "", stdout);
		free(s);
	}
}

size_t cli_split_list(const char *s, char **copy, const char **out, size_t max)
{
	size_t n = 0;
	*copy = s ? zf_strdup(s) : NULL;
	for (char *p = *copy; p && *p && n < max;) {
		out[n++] = p;
		char *comma = strchr(p, ',');
		if (!comma)
			break;
		*comma = '\0';
		p = comma + 1;
	}
	return n;
}

int cli_print(struct cli *c, json_t *doc, const char *const *columns)
{
	if (!doc)
		return ZF_ENOMEM;
	if (c->json) {
		char *s = json_dumps(doc, JSON_INDENT(2) | JSON_ENCODE_ANY);
		if (s)
			puts(s);
		free(s);
	} else if (json_is_array(doc) && columns) {
		for (const char *const *col = columns; *col; col++)
			printf("%s%s", col == columns ? "" : "\t", *col);
		putchar('\n');
		size_t i;
		json_t *row;
		json_array_foreach(doc, i, row) {
			for (const char *const *col = columns; *col; col++) {
				if (col != columns)
					putchar('\t');
				print_scalar(json_object_get(row, *col));
			}
			putchar('\n');
		}
	} else if (json_is_object(doc)) {
		const char *k;
		json_t *v;
		json_object_foreach(doc, k, v) {
			printf("%s: ", k);
			print_scalar(v);
			putchar('\n');
		}
	} else {
		print_scalar(doc);
		putchar('\n');
	}
	json_decref(doc);
	return ZF_OK;
}

int cli_open_store(struct cli *c, bool create, bool need_org,
		   struct zf_error *err)
{
	struct store_opts opts = {.create = create};
	int rc = store_open(c->db_path, &opts, &c->st, err);
	if (rc || !need_org)
		return rc;
	struct org o = {0};
	rc = c->org_key ? store_org_find(c->st, c->org_key, &o, err)
			: store_org_default(c->st, &o, err);
	if (!rc)
		zf_strlcpy(c->ctx.org_id, o.id, sizeof(c->ctx.org_id));
	org_release(&o);
	return rc;
}

/*
 * After a command that grew the ledger by the organisation's
 * checkpoint_every_entries since the last checkpoint, sign a new one, if
 * the organisation has a key.  A failure is reported but does not undo
 * the command, which has committed.
 */
static void maybe_checkpoint(struct cli *c)
{
	json_t *settings = NULL, *head = NULL, *out = NULL;
	struct zf_error err = {0};
	char *note = NULL;
	int64_t every = 0, last = 0;
	if (!c->st || !c->ctx.org_id[0] ||
	    store_org_settings(c->st, c->ctx.org_id, &settings, NULL))
		return;
	const char *key = json_string_value(json_object_get(settings, "ledger_key_path"));
	const char *ev = json_string_value(json_object_get(settings, "checkpoint_every_entries"));
	if (key && ev && !text_parse_int(ev, 1, INT64_MAX / 2, &every, "", NULL) &&
	    !store_ledger_head(c->st, c->ctx.org_id, &head, NULL)) {
		struct checkpoint cp;
		if (!store_ledger_checkpoint_latest(c->st, c->ctx.org_id, &note, NULL) &&
		    !checkpoint_parse(note, strlen(note), &cp, NULL))
			last = (int64_t)cp.size;
		if (json_integer_value(json_object_get(head, "size")) - last >= every &&
		    cli_ledger_checkpoint(c, &out, &err) != ZF_OK) {
			fprintf(stderr, "zhifa: 自动签名检查点失败：");
			cli_print_error(&err);
		}
	}
	zf_free(note);
	json_decref(out);
	json_decref(head);
	json_decref(settings);
}

static void usage(FILE *f)
{
	fputs("用法: zhifa [--db PATH] [--org ID|区划代码|名称] [--json] 命令 [子命令] [选项]\n\n"
	      "usage: zhifa [--db PATH] [--org KEY] [--json] COMMAND [SUB] [OPTIONS]\n\n", f);
	for (const struct cli_command *cmd = cli_commands; cmd->name; cmd++)
		fprintf(f, "  %-34s %s\n", cmd->usage, cmd->summary);
	fputs("\n--db 默认为 $ZHIFA_DB 或 ./var/zhifa.db；时间取自 $ZHIFA_NOW（ISO 8601）。\n"
	      "退出码: 0 完成, 1 被拒绝或输入无效, 2 用法错误。\n", f);
}

/* Does `name` appear in the command's option list; *takes_value if "name=". */
static bool known_option(const struct cli_command *cmd, const char *name,
			 size_t len, bool *takes_value)
{
	for (const char *const *o = cmd->options; o && *o; o++) {
		size_t n = strcspn(*o, "=");
		if (n == len && strncmp(*o, name, len) == 0) {
			*takes_value = (*o)[n] == '=';
			return true;
		}
	}
	return false;
}

static const char *const global_value_opts[] = {"db", "org", "actor", NULL};

/* Global options may come before or after the command words. */
static int take_global(struct cli *c, const char *name, size_t len,
		       const char *value)
{
	if (len == 4 && strncmp(name, "json", 4) == 0) {
		c->json = true;
		return 1;
	}
	for (const char *const *g = global_value_opts; *g; g++) {
		if (strlen(*g) != len || strncmp(*g, name, len) != 0)
			continue;
		if (!value)
			return -1;
		if (**g == 'd') {
			c->db_path = value;
			c->db_explicit = true;
		} else if (**g == 'o') {
			c->org_key = value;
		} else {
			zf_strlcpy(c->ctx.actor, value, sizeof(c->ctx.actor));
		}
		return 2;
	}
	return 0;
}

static int parse(struct cli *c, int argc, char **argv,
		 const struct cli_command **out, struct zf_error *err)
{
	const char *words[2] = {NULL, NULL};
	size_t nwords = 0;
	const struct cli_command *cmd = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strncmp(a, "--", 2) == 0 && a[2]) {
			const char *name = a + 2, *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);
			const char *value = eq ? eq + 1 : (i + 1 < argc ? argv[i + 1] : NULL);
			int g = take_global(c, name, len, value);
			if (g < 0)
				return zf_fail(err, ZF_EUSAGE, "missing_value", name,
					       "选项 --%.*s 需要一个值", (int)len, name);
			if (g > 0) {
				if (g == 2 && !eq)
					i++;
				continue;
			}
			bool takes_value = false;
			if (!cmd || !known_option(cmd, name, len, &takes_value))
				return zf_fail(err, ZF_EUSAGE, "unknown_option", "",
					       "未知的选项 --%.*s", (int)(len > 64 ? 64 : len),
					       name);
			if (c->nopts == CLI_MAX_OPTS)
				return zf_fail(err, ZF_EUSAGE, "too_many_options", "",
					       "选项过多");
			struct cli_opt *o = &c->opts[c->nopts++];
			o->set = true;
			o->value = NULL;
			if (takes_value) {
				char f[64];
				if (!eq && i + 1 >= argc)
					return zf_fail(err, ZF_EUSAGE, "missing_value",
						       field_of(name, f, len + 1 < sizeof(f) ? len + 1 : sizeof(f)),
						       "选项 --%.*s 需要一个值", (int)len, name);
				o->value = eq ? eq + 1 : argv[++i];
			} else if (eq) {
				return zf_fail(err, ZF_EUSAGE, "unexpected_value", "",
					       "选项 --%.*s 不接受值", (int)len, name);
			}
			/* store the bare name: point into argv after the dashes */
			o->name = zf_strndup(name, len);
			if (!o->name)
				return zf_fail(err, ZF_ENOMEM, "out_of_memory", "", "内存不足");
			continue;
		}
		if (!cmd && nwords < 2) {
			words[nwords++] = a;
			for (const struct cli_command *k = cli_commands; k->name; k++) {
				if (strcmp(k->name, words[0]) != 0)
					continue;
				if (!k->sub || (nwords == 2 && strcmp(k->sub, words[1]) == 0))
					cmd = k;
			}
			continue;
		}
		if (!cmd)
			break;
		if (c->nargs == ZF_ARRAY_LEN(c->args))
			return zf_fail(err, ZF_EUSAGE, "too_many_arguments", "",
				       "参数过多");
		c->args[c->nargs++] = a;
	}
	if (!cmd)
		return zf_fail(err, ZF_EUSAGE, "unknown_command", "",
			       "未知的命令“%s%s%s”", words[0] ? words[0] : "",
			       words[1] ? " " : "", words[1] ? words[1] : "");
	if (c->nargs < cmd->min_args || c->nargs > cmd->max_args)
		return zf_fail(err, ZF_EUSAGE, "wrong_arguments", "",
			       "参数个数不对。用法: zhifa %s", cmd->usage);
	*out = cmd;
	return ZF_OK;
}

int main(int argc, char **argv)
{
	struct cli c = {0};
	struct zf_error err = {0};
	const struct cli_command *cmd = NULL;
	int rc;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	c.db_path = getenv("ZHIFA_DB");
	c.db_explicit = c.db_path && *c.db_path;
	if (!c.db_explicit)
		c.db_path = "./var/zhifa.db";
	c.org_key = getenv("ZHIFA_ORG");
	if (c.org_key && !*c.org_key)
		c.org_key = NULL;
	zf_strlcpy(c.ctx.actor, "cli", sizeof(c.ctx.actor));
	zf_strlcpy(c.ctx.role, "system_admin", sizeof(c.ctx.role));

	rc = parse(&c, argc, argv, &cmd, &err);
	if (!rc)
		rc = ctx_now_from_env(&c.ctx.now_us, &err);
	if (!rc)
		rc = cmd->fn(&c, &err);
	if (!rc)
		maybe_checkpoint(&c);
	if (rc && rc != CLI_QUIET_FAIL) {
		if (!err.code[0])
			zf_fail(&err, rc, "failed", "", "操作失败");
		cli_print_error(&err);
		if (rc == ZF_EUSAGE && cmd)
			fprintf(stderr, "用法: zhifa %s\n", cmd->usage);
	}
	store_close(c.st);
	for (size_t i = 0; i < c.nopts; i++)
		zf_free((void *)c.opts[i].name);
	return rc == ZF_OK ? 0 : rc == ZF_EUSAGE ? 2 : 1;
}
