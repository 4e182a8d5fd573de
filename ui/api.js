/*
 * The JSON API client: cookie session, X-CSRF-Token on writes (the token is
 * kept in sessionStorage after login), errors as ZF.ApiError carrying the
 * API's {code, message, field}.
 */
'use strict';
window.ZF = window.ZF || {};
(function (ZF) {
  var TOKEN_KEY = 'zhifa.csrf';

  class ApiError extends Error {
    constructor(status, code, message, field) {
      super(message);
      this.status = status;
      this.code = code || '';
      this.field = field || '';
    }
  }
  ZF.ApiError = ApiError;

  function query(params) {
    var parts = [];
    Object.keys(params || {}).forEach(function (k) {
      var v = params[k];
      if (v === undefined || v === null || v === '' || v === false) return;
      parts.push(encodeURIComponent(k) + '=' + encodeURIComponent(v === true ? '1' : String(v)));
    });
    return parts.length ? '?' + parts.join('&') : '';
  }

  /* A key per submission: a retried request is answered once (Idempotency-Key). */
  function newKey() {
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join('');
  }

  async function request(method, path, body, opts) {
    opts = opts || {};
    var headers = { 'Accept': 'application/json' };
    /* opts.raw: body is sent as it is (a File, streamed by the browser) */
    if (body !== undefined) headers['Content-Type'] = opts.raw ? (body.type || 'application/octet-stream') : 'application/json';
    if (method !== 'GET') {
      var t = sessionStorage.getItem(TOKEN_KEY);
      if (t) headers['X-CSRF-Token'] = t;
      if (opts.idempotent) headers['Idempotency-Key'] = newKey();
    }
    var res;
    try {
      res = await fetch(path, {
        method: method, headers: headers, credentials: 'same-origin', cache: 'no-store',
        body: body === undefined ? undefined : opts.raw ? body : JSON.stringify(body)
      });
    } catch (e) {
      throw new ApiError(0, 'network', '无法连接服务器，请检查网络后重试', '');
    }
    var text = await res.text();
    var data = null;
    if (text) {
      try { data = JSON.parse(text); } catch (e) { data = text; }
    }
    if (!res.ok) {
      var e = (data && data.error) || {};
      var err = new ApiError(res.status, e.code || 'http_' + res.status,
        e.message || '请求失败（HTTP ' + res.status + '）', e.field || '');
      /* rows a strict CSV refusal lists beside the error (POST /weigh-imports, /weigh-checks) */
      if (data && Array.isArray(data.rows_refused)) err.rowsRefused = data.rows_refused;
      if (res.status === 401 && !opts.noRedirect && ZF.onUnauthorized) ZF.onUnauthorized(err);
      throw err;
    }
    return data;
  }

  ZF.api = {
    query: query,
    token: function () { return sessionStorage.getItem(TOKEN_KEY) || ''; },
    setToken: function (t) { sessionStorage.setItem(TOKEN_KEY, t); },
    clearToken: function () { sessionStorage.removeItem(TOKEN_KEY); },
    get: function (path, params, opts) { return request('GET', path + query(params), undefined, opts); },
    post: function (path, body, opts) { return request('POST', path, body === undefined ? {} : body, opts); },
    put: function (path, body, opts) { return request('PUT', path, body, opts); },
    /* a file as the whole body (POST /api/v1/cases/{id}/evidence?...) */
    upload: function (path, params, file) { return request('POST', path + query(params), file, { raw: true }); },
    /* plain text (the public checkpoint), or JSON of a public route */
    raw: async function (path) {
      var res = await fetch(path, { credentials: 'same-origin', cache: 'no-store' });
      var text = await res.text();
      if (!res.ok) {
        var msg = '请求失败（HTTP ' + res.status + '）', code = '', field = '';
        try { var j = JSON.parse(text).error; msg = j.message; code = j.code; field = j.field; } catch (e) { /* not JSON */ }
        throw new ApiError(res.status, code, msg, field);
      }
      return text;
    }
  };
})(window.ZF);
