/*
 * static: the staff application's files (the .html, .css, .js and .svg
 * files directly under ui/), compiled into the binary by cmake/embed.cmake
 * and served as they are: GET / is ui/index.html, GET /ui/{file} any other
 * of them.  Internal to http/.  Public (no login): the application logs in
 * through the JSON API, and nothing in these files is secret.
 */
#ifndef ZF_HTTP_STATIC_H
#define ZF_HTTP_STATIC_H

#include <stddef.h>

#include "zf.h"

struct buf;
struct zf_error;

/*
 * The Cache-Control the application's files should carry.  Their URLs do
 * not change with a new binary, so a browser must revalidate; until the
 * server can send a per-response Cache-Control (it sends "no-store" for
 * every response today), this is what it is meant to become.
 */
#define STATIC_CACHE_CONTROL "no-cache"

/*
 * The Content-Type of a file name by its extension (with charset for text),
 * or NULL for an extension that is not served.
 */
const char *static_content_type(const char *name);

/*
 * Is name a file the application may serve: one path segment of
 * [A-Za-z0-9._-], not starting with '.', with a served extension?
 */
bool static_name_ok(const char *name);

/*
 * Append the embedded file ui/<name> to body and set *content_type (a
 * static string).  ZF_ENOTFOUND "not_found" for a name that is not served
 * or not embedded; ZF_ENOMEM if the body cannot hold it.
 */
int static_get(const char *name, struct buf *body, const char **content_type,
	       struct zf_error *err) ZF_WUR;

#endif
