/*
 * The application shell: session (login, TOTP, logout), the navigation
 * shown by role, and the hash router (docs/ui-contract.md).  Each page is
 * an async function in ZF.pages that returns the node to show; a page that
 * finishes after the user has moved on is dropped.
 */
'use strict';
window.ZF = window.ZF || {};
(function (ZF) {
  var h = ZF.h, api = ZF.api;
  ZF.pages = ZF.pages || {};

  /* ---- session and roles ---- */
  var BUSINESS = ['enforcer', 'legal_reviewer', 'head', 'disclosure_officer', 'auditor'];
  ZF.session = null;	/* {me, roles, org, officer} */

  ZF.has = function (role) { return !!ZF.session && ZF.session.roles.indexOf(role) >= 0; };
  function any(list) { return list.some(ZF.has); }
  /* What each part of the application needs (src/http/api_routes*.h). */
  ZF.can = {
    tasks: function () { return any(BUSINESS); },
    cases: function () { return any(BUSINESS); },
    caseWrite: function () { return any(['enforcer', 'legal_reviewer', 'head']); },
    overload: function () { return any(BUSINESS); },
    weighWrite: function () { return any(['enforcer', 'head']); },
    officers: function () { return any(BUSINESS) || ZF.has('system_admin'); },
    parties: function () { return any(BUSINESS); },
    violations: function () { return any(BUSINESS); },
    settings: function () { return !!ZF.session; },
    settingsWrite: function () { return ZF.has('system_admin'); },
    ledger: function () { return any(['auditor', 'audit_admin']); }
  };

  function defaultRoute() {
    if (any(['enforcer', 'legal_reviewer', 'head', 'disclosure_officer'])) return '#/tasks';
    if (any(['auditor', 'audit_admin'])) return '#/ledger';
    return '#/settings';
  }

  async function startSession(me) {
    var roles = String(me.roles || '').split(',').filter(Boolean);
    ZF.session = { me: me, roles: roles, org: null, officer: null };
    var orgs = await api.get('/api/v1/orgs').catch(function () { return []; });
    ZF.session.org = orgs.filter(function (o) { return o.id === me.org_id; })[0] || orgs[0] || null;
    if (me.officer_id && ZF.can.officers()) {
      var officers = await ZF.lists.officers().catch(function () { return []; });
      ZF.session.officer = officers.filter(function (o) { return o.id === me.officer_id; })[0] || null;
    }
    showChrome();
  }

  function endSession() {
    ZF.session = null;
    api.clearToken();
    ZF.uncache();
    showChrome();
  }

  function showChrome() {
    var s = ZF.session;
    document.getElementById('nav').hidden = !s;
    document.getElementById('user-box').hidden = !s;
    document.getElementById('org-name').textContent = s && s.org ? s.org.name : '';
    if (!s) return;
    var who = s.me.display_name || s.me.username;
    var roles = s.roles.map(function (r) { return ZF.L.of(ZF.L.role, r); }).join('、');
    document.getElementById('current-user').textContent =
      who + '（' + s.me.username + (s.officer ? '，执法证号 ' + s.officer.cert_no : '') + '）· ' + roles;
    document.querySelectorAll('#nav a[data-route]').forEach(function (a) {
      var can = ZF.can[a.dataset.route];
      a.parentNode.hidden = !(can && can());
    });
  }

  /* A request answered 401: the session ended (idle, restart). */
  var loginMessage = '';
  ZF.onUnauthorized = function () {
    if (!ZF.session) return;
    endSession();
    loginMessage = '登录已失效（超时或服务器已重启），请重新登录。';
    afterLogin = location.hash;
    location.hash = '#/login';
  };

  async function logout() {
    try { await api.post('/api/v1/logout', {}, { noRedirect: true }); } catch (e) { /* ends anyway */ }
    endSession();
    loginMessage = '';
    location.hash = '#/login';
  }

  /* ---- login ---- */
  var afterLogin = '';
  ZF.pages.login = async function (ctx) {
    ctx.title = '登录';
    if (ZF.session) { location.hash = defaultRoute(); return null; }
    var totp = ZF.field({ name: 'totp', label: '动态口令（TOTP）', inputmode: 'numeric', autocomplete: 'one-time-code', max: 10,
      hint: '管理员登录须输入身份验证器上的 6 位动态口令' });
    totp.hidden = true;
    var form = h('form', { class: 'panel login', testid: 'login-form', novalidate: true },
      h('h1', { tabindex: '-1' }, '登录'),
      h('p', { class: 'muted' }, '交通运输综合行政执法办案系统'),
      loginMessage ? h('p', { class: 'notice', role: 'status' }, loginMessage) : null,
      ZF.formError(),
      h('div', { class: 'fields' },
        ZF.field({ name: 'username', label: '用户名', autocomplete: 'username', required: true }),
        ZF.field({ name: 'password', label: '密码', type: 'password', autocomplete: 'current-password', required: true }),
        totp),
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'btn btn-primary', testid: 'login-submit' }, '登录')));
    form.addEventListener('submit', async function (ev) {
      ev.preventDefault();
      var body = { username: form.elements.username.value.trim(), password: form.elements.password.value };
      if (!totp.hidden && form.elements.totp.value.trim()) body.totp = form.elements.totp.value.trim();
      var me = await ZF.submitting(form, async function () {
        try {
          return await api.post('/api/v1/login', body, { noRedirect: true });
        } catch (err) {
          if (err.code === 'totp_required' || err.field === 'totp') {
            totp.hidden = false;
            setTimeout(function () { form.elements.totp.focus(); }, 0);
          }
          throw err;
        }
      });
      if (!me) return;
      api.setToken(me.csrf_token);
      delete me.csrf_token;
      loginMessage = '';
      await startSession(me);
      var next = afterLogin && afterLogin !== '#/login' ? afterLogin : defaultRoute();
      afterLogin = '';
      location.hash = next;
    });
    return form;
  };

  /* ---- router ---- */
  var routes = [
    { re: /^\/login$/, page: 'login', public: true },
    { re: /^\/tasks$/, page: 'tasks', nav: 'tasks' },
    { re: /^\/cases$/, page: 'cases', nav: 'cases' },
    { re: /^\/cases\/new$/, page: 'caseNew', nav: 'cases', can: 'caseWrite' },
    { re: /^\/cases\/([^/]+)$/, page: 'caseDetail', nav: 'cases' },
    { re: /^\/weighings$/, page: 'weighings', nav: 'overload' },
    { re: /^\/weighings\/new$/, page: 'weighNew', nav: 'overload', can: 'weighWrite' },
    { re: /^\/weighings\/([^/]+)$/, page: 'weighing', nav: 'overload' },
    { re: /^\/reviews$/, page: 'reviews', nav: 'overload' },
    { re: /^\/weigh-imports$/, page: 'weighImports', nav: 'overload' },
    { re: /^\/overload-stats$/, page: 'overloadStats', nav: 'overload' },
    { re: /^\/officers$/, page: 'officers', nav: 'officers' },
    { re: /^\/parties$/, page: 'parties', nav: 'parties' },
    { re: /^\/violations$/, page: 'violations', nav: 'violations' },
    { re: /^\/violations\/([^/]+)$/, page: 'violation', nav: 'violations' },
    { re: /^\/settings$/, page: 'settings', nav: 'settings' },
    { re: /^\/ledger$/, page: 'ledger', nav: 'ledger' }
  ];

  var seq = 0;
  async function route() {
    var my = ++seq;
    var main = document.getElementById('main');
    var path = (location.hash || '').replace(/^#/, '') || '/';
    var r = null, m = null;
    for (var i = 0; i < routes.length && !r; i++) {
      m = routes[i].re.exec(path);
      if (m) r = routes[i];
    }
    if (!ZF.session && !(r && r.public)) {
      if (path !== '/' && path !== '/login') afterLogin = location.hash;
      location.hash = '#/login';
      return;
    }
    if (!r) { location.hash = ZF.session ? defaultRoute() : '#/login'; return; }
    var need = ZF.can[r.can || r.nav];
    document.querySelectorAll('#nav a[data-route]').forEach(function (a) {
      if (a.dataset.route === r.nav) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    });
    var ctx = {
      params: m.slice(1).map(decodeURIComponent), title: '',
      /* still the page on screen? */
      live: function () { return my === seq; },
      /* replace the page's content (after a change) */
      replace: function (node) { if (my === seq) { ZF.clear(main); main.appendChild(node); } }
    };
    main.dataset.page = r.page;
    main.removeAttribute('data-loaded');
    main.setAttribute('aria-busy', 'true');
    var node;
    try {
      if (need && !need()) throw new ZF.ApiError(403, 'forbidden', '当前用户的角色无权使用此页面', '');
      node = await ZF.pages[r.page](ctx);
    } catch (err) {
      node = h('div', null, h('h1', { tabindex: '-1' }, '无法显示'), ZF.failPanel(err));
    }
    if (my !== seq || node === null) return;
    ZF.clear(main);
    main.appendChild(node);
    main.removeAttribute('aria-busy');
    main.dataset.loaded = '1';
    document.title = (ctx.title ? ctx.title + ' · ' : '') + '执法 zhifa';
    var h1 = main.querySelector('h1');
    if (h1 && booted) h1.focus({ preventScroll: false });
    if (booted) window.scrollTo(0, 0);
  }

  var booted = false;
  async function boot() {
    document.getElementById('logout').addEventListener('click', logout);
    window.addEventListener('hashchange', route);
    if (api.token()) {
      try {
        await startSession(await api.get('/api/v1/me', null, { noRedirect: true }));
      } catch (e) {
        endSession();
      }
    }
    if (!location.hash || location.hash === '#' || location.hash === '#/') {
      location.hash = ZF.session ? defaultRoute() : '#/login';
      booted = true;
      return;	/* hashchange routes */
    }
    await route();
    booted = true;
  }
  ZF.defaultRoute = defaultRoute;

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
  else boot();
})(window.ZF);
