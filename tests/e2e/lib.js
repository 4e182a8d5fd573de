'use strict';
/*
 * Helpers of the browser tests (tests/e2e/*.test.js): Debian's chromium
 * driven by playwright-core, one browser (persistent context with a fresh
 * user-data-dir) per logged-in user, and the page/element names of
 * docs/ui-contract.md.  Nothing here knows how the UI is built beyond that
 * contract.
 *
 * Environment: BASE_URL (the server), SCREENSHOT_DIR (where screenshots go),
 * ZHIFA_NOW (the server's "now"; the browser's clock is fixed to it so that
 * dates the page computes agree with the server's), CHROMIUM (the browser,
 * default /usr/bin/chromium).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const assert = require('node:assert/strict');
const { chromium } = require('playwright-core');

const BASE_URL = (process.env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ||
  fs.mkdtempSync(path.join(os.tmpdir(), 'zf-e2e-shots-'));
const NOW = process.env.ZHIFA_NOW || '2025-12-31T17:00:00+08:00';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const PASSWORD = 'Demo-Zhifa-2025';
const TIMEOUT = 8000;
/* E2E_DEBUG=1: how long each step and screenshot took, on stderr */
const debug = process.env.E2E_DEBUG
  ? (what, t0) => process.stderr.write(`# ${what}: ${Date.now() - t0} ms\n`) : () => {};

/* ../shared/reference/debian-deps.md §10: the flags chromium needs as root in CI. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync'];

const DESKTOP = { width: 1440, height: 900 };
const TABLET_LANDSCAPE = { width: 1280, height: 800 };
const TABLET_PORTRAIT = { width: 800, height: 1280 };

/* The demo bureau's people (zhifa demo). */
const PEOPLE = {
  head: { login: 'head', cert: '150826200001' },
  enforcer: { login: 'enforcer', cert: '150826200006' },
  enforcer2: { cert: '150826200007' },
  reviewer: { login: 'reviewer', cert: '150826200003' },
  auditor: { login: 'auditor' },
};

fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
let shotSeq = 0;

const tid = (id) => `[data-testid="${id}"]`;
const byName = (name) => `[name="${name}"]`;

/*
 * One browser for one user.  Records uncaught page errors and every request
 * that leaves BASE_URL (the application must need no external network), and
 * counts requests in flight so that idle() can wait for the page to settle.
 */
async function openBrowser(label, viewport = DESKTOP) {
  const udd = fs.mkdtempSync(path.join(os.tmpdir(), 'zf-e2e-udd-'));
  let ctx;
  try {
    ctx = await chromium.launchPersistentContext(udd, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
  } catch (e) {
    fs.rmSync(udd, { recursive: true, force: true });
    throw e;
  }
  await ctx.clock.setFixedTime(new Date(NOW));
  const page = ctx.pages()[0] || await ctx.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const b = { label, ctx, page, udd, pageErrors: [], external: [], inflight: 0 };
  page.on('pageerror', (e) => b.pageErrors.push(`${label}: ${e.message}`));
  ctx.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(BASE_URL + '/') && u !== BASE_URL && !/^(data|blob|about):/.test(u))
      b.external.push(u);
  });
  page.on('request', () => { b.inflight++; });
  const done = () => { b.inflight = Math.max(0, b.inflight - 1); };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  b.close = async () => {
    try { await ctx.close(); } finally { fs.rmSync(udd, { recursive: true, force: true }); }
  };
  return b;
}

/* Wait until no request of the page has been in flight for `quiet` ms. */
async function idle(b, quiet = 150, max = 5000) {
  const end = Date.now() + max;
  let calm = 0;
  while (Date.now() < end) {
    await new Promise((r) => setTimeout(r, 50));
    calm = b.inflight === 0 ? calm + 50 : 0;
    if (calm >= quiet) return;
  }
}

/* A full-page screenshot named NNN-name.png; on a tablet also checks the
 * page does not scroll sideways (responsive layout). */
async function shot(b, name, { noOverflow = false } = {}) {
  const t0 = Date.now();
  await idle(b);
  const file = path.join(SCREENSHOT_DIR,
    `${String(++shotSeq).padStart(3, '0')}-${name.replace(/[^\w.-]+/g, '_')}.png`);
  await b.page.screenshot({ path: file, fullPage: true });
  if (noOverflow) {
    const o = await b.page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
    }));
    assert.ok(o.scroll <= o.inner + 1,
      `${name}: the page is ${o.scroll}px wide in a ${o.inner}px viewport (scrolls sideways)`);
  }
  debug(`shot ${name}`, t0);
  return file;
}

async function goto(b, hash) {
  b.seenCase = null;
  const url = `${BASE_URL}/#${hash}`;
  if (b.page.url() === url) await b.page.reload();
  else await b.page.goto(url);
  await idle(b);
}

/* Set the form control named `name` inside `scope`, whatever its kind. */
async function setField(scope, name, value) {
  const loc = scope.locator(byName(name));
  const n = await loc.count();
  assert.ok(n > 0, `no form control name="${name}"`);
  const first = loc.first();
  const kind = await first.evaluate((e) => `${e.tagName}:${(e.type || '').toLowerCase()}`);
  if (kind.startsWith('SELECT')) {
    /* the option whose value is v, else whose label is v, else that mentions v */
    const v = String(value);
    const opt = await first.evaluate((e, v) => {
      const os = [...e.options];
      const o = os.find((o) => o.value === v) || os.find((o) => o.label.trim() === v) ||
        os.find((o) => o.value.includes(v) || o.label.includes(v));
      return o ? o.value : null;
    }, v);
    assert.ok(opt !== null, `select name="${name}" has no option "${v}"`);
    await first.selectOption(opt);
  } else if (kind === 'INPUT:checkbox') {
    await first.setChecked(Boolean(value));
  } else if (kind === 'INPUT:radio') {
    await scope.locator(`${byName(name)}[value="${value}"]`).check();
  } else {
    await first.fill(String(value));
  }
}

async function getField(scope, name) {
  return scope.locator(byName(name)).first().inputValue();
}

/* Log in through the login page; returns the text of current-user. */
async function login(b, who) {
  const { page } = b;
  await goto(b, '/login');
  await page.locator(byName('username')).fill(who);
  await page.locator(byName('password')).fill(PASSWORD);
  const resp = page.waitForResponse((r) => r.url().endsWith('/api/v1/login') &&
    r.request().method() === 'POST');
  await page.getByTestId('login-submit').click();
  const r = await resp;
  assert.equal(r.status(), 200, `login ${who}: HTTP ${r.status()} ${await r.text()}`);
  await page.getByTestId('current-user').waitFor({ state: 'visible' });
  await idle(b);
  return (await page.getByTestId('current-user').innerText()).trim();
}

/* A GET of the JSON API with the page's session (for checking what the page shows). */
async function api(b, p) {
  return b.page.evaluate(async (p) => {
    const r = await fetch(p, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    return { status: r.status, body: await r.json() };
  }, p);
}

async function openCase(b, id) {
  await goto(b, `/cases/${id}`);
  await b.page.getByTestId('case-number').waitFor({ state: 'visible' });
  await b.page.getByTestId('timeline').waitFor({ state: 'attached' });
  await idle(b);
  b.seenCase = id;
  b.seenVersion = caseVersion;
}

/* Steps taken so far: a page that shows the case as of the last step (its
 * own, re-rendered) need not be reloaded. */
let caseVersion = 0;

const isStepPost = (r) => r.request().method() === 'POST' &&
  /\/api\/v1\/cases\/[^/]+\/(steps|extend|notes)$/.test(new URL(r.url()).pathname);

/*
 * Take a step through the case page's step form: choose the transition,
 * fill the fields, submit.  expect 'ok' waits for the step to appear in the
 * timeline; 'refused' returns the error body (the form is left as it is).
 * The case page is (re)loaded first unless it already shows the case as it
 * stands (this browser took the last step and the page re-rendered).
 * Returns { status, body }.
 */
async function step(b, caseId, transition, fields, { expect = 'ok', reopen } = {}) {
  const { page } = b;
  const t0 = Date.now();
  if (reopen === undefined) reopen = !(b.seenCase === caseId && b.seenVersion === caseVersion);
  if (reopen) await openCase(b, caseId);
  const form = page.getByTestId('step-form');
  await form.waitFor({ state: 'visible' });
  const sel = page.getByTestId('transition-select');
  await sel.waitFor({ state: 'visible' });
  assert.equal(await sel.getAttribute('name'), 'transition',
    'transition-select should be the control name="transition"');
  await setField(form, 'transition', transition);
  for (const [k, v] of Object.entries(fields)) await setField(form, k, v);
  const before = await page.locator(`${tid('timeline-step')}[data-transition="${transition}"]`).count();
  const respP = page.waitForResponse(isStepPost);
  await page.getByTestId('step-submit').click();
  const resp = await respP;
  let body;
  try { body = await resp.json(); } catch { body = null; }
  const status = resp.status();
  if (expect === 'ok') {
    assert.equal(status, 200, `${transition}: HTTP ${status} ${JSON.stringify(body)}`);
    await page.waitForFunction(([t, n]) => document.querySelectorAll(
      `[data-testid="timeline-step"][data-transition="${t}"]`).length > n,
    [transition, before], { timeout: TIMEOUT });
    await idle(b);
    b.seenCase = caseId;
    b.seenVersion = ++caseVersion;
  } else {
    assert.notEqual(status, 200, `${transition}: expected a refusal, got 200`);
    await page.getByTestId('form-error').first().waitFor({ state: 'visible' });
  }
  debug(`${b.label} ${transition}${reopen ? ' (reloaded)' : ''}`, t0);
  return { status, body };
}

/* The field-error next to field `name`, within `scope`. */
function fieldError(scope, name) {
  return scope.locator(`${tid('field-error')}[data-field="${name}"]`);
}

module.exports = {
  BASE_URL, SCREENSHOT_DIR, NOW, PEOPLE, DESKTOP, TABLET_LANDSCAPE, TABLET_PORTRAIT,
  tid, byName, openBrowser, idle, shot, goto, setField, getField, login, api, openCase,
  step, fieldError, isStepPost,
};
