'use strict';
/*
 * The staff application end to end (issue 6), against docs/ui-contract.md:
 * an officer registers a general-procedure case with two officers and the
 * head files it, the officer gathers evidence and issues the notice, the
 * head tries to approve too early and sees the refusal with its article
 * (第四十四条) in place, the party waives its statement and hearing, the
 * legal reviewer reviews, the head approves, the decision is served and
 * paid, the case is closed and archived, and the timeline shows every step
 * with its ledger entry and inclusion proof.  Then a second case on a
 * tablet (the head registering and filing it at once).  Bad input: a wrong
 * password, an unknown officer in the case form, a wrong payment.  扣押: an
 * emergency detention by the officer, approved by the head afterwards, an
 * extension refused in place, the release.  治超: a
 * weighing refused in place for a scale without a valid certificate, then
 * recorded with the engine's steps, and a case opened from it.
 *
 * Who does what follows the API (src/http/api_case.c, step_assigned): a
 * head files and approves and closes as the approver; the officers
 * (enforcer = 150826200006 with 150826200007) take the steps that name them
 * and record the rest; the legal reviewer reviews as the reviewer.
 *
 * Dates: the server's "now" is ZHIFA_NOW (2025-12-31 17:00) and the case
 * form of the contract has no registration date, so the case is filed
 * today and its statement window (3 working days) cannot have run out by
 * today; after the refusal the case goes on by the party's waiver (waive),
 * as the law allows (Art. 44/45: "当事人也未明确放弃").
 *
 * One browser per user, each logged in once: the server allows ten login
 * attempts a minute from one address (127.0.0.1 here), so the tests share
 * the sessions and run in this one file, in order.
 */
const nodeTest = require('node:test');
const { before, after } = nodeTest;
const assert = require('node:assert/strict');
const L = require('./lib.js');

const { PEOPLE, tid } = L;
const OFFICERS = `${PEOPLE.enforcer.cert},${PEOPLE.enforcer2.cert}`;
const TODAY = L.NOW.slice(0, 10);	/* 2025-12-31 */

const B = {};		/* label -> browser */
const logged = {};	/* label -> true once logged in */
const cases = {};	/* run -> { id, number } */

before(async () => {
  const who = ['head', 'enforcer', 'reviewer'];
  const got = await Promise.allSettled(who.map((w) => L.openBrowser(w)));
  got.forEach((g, i) => { if (g.status === 'fulfilled') B[who[i]] = g.value; });
  const failed = got.find((g) => g.status === 'rejected');
  if (failed) throw failed.reason;
});

after(async () => {
  await Promise.all(Object.values(B).map((b) => b.close().catch(() => {})));
});

/* node:test's test(), with screenshots of every open browser when it fails. */
function test(name, opts, fn) {
  if (typeof opts === 'function') [opts, fn] = [{}, opts];
  return nodeTest.test(name, opts, async (t) => {
    try {
      return await fn(t);
    } catch (e) {
      for (const b of Object.values(B))
        await L.shot(b, `FAILED-${name.slice(0, 40)}-${b.label}`).catch(() => {});
      throw e;
    }
  });
}

function need(...who) {
  for (const w of who)
    assert.ok(logged[w], `${w} is not logged in (an earlier test failed)`);
}

test('the server and the browser: /healthz and the application page load', async () => {
  const { page } = B.head;
  const r = await page.goto(`${L.BASE_URL}/healthz`);
  assert.equal(r.status(), 200);
  assert.deepEqual(JSON.parse(await page.locator('body').innerText()), { status: 'ok' });
  const r2 = await page.goto(`${L.BASE_URL}/`);
  assert.equal(r2.status(), 200);
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
});

test('login: a wrong password shows the API\'s message and keeps the user name', async () => {
  const b = B.head;
  const { page } = b;
  await L.goto(b, '/login');
  await page.locator(L.byName('username')).fill(PEOPLE.head.login);
  await page.locator(L.byName('password')).fill('not-the-password');
  const resp = page.waitForResponse((r) => r.url().endsWith('/api/v1/login'));
  await page.getByTestId('login-submit').click();
  const r = await resp;
  assert.equal(r.status(), 401);
  const msg = (await r.json()).error.message;
  const fe = page.getByTestId('form-error');
  await fe.first().waitFor({ state: 'visible' });
  assert.ok((await fe.first().innerText()).includes(msg), `form-error should show “${msg}”`);
  assert.equal(await L.getField(page, 'username'), PEOPLE.head.login, 'the user name was lost');
  await L.shot(b, 'login-refused');
});

test('the head, the officer and the legal reviewer log in', async () => {
  await L.goto(B.head, '/login');
  await L.shot(B.head, 'login');
  for (const w of ['head', 'enforcer', 'reviewer']) {
    const who = await L.login(B[w], PEOPLE[w].login);
    assert.ok(who.length > 0, `${w}: current-user is empty`);
    logged[w] = true;
  }
  await L.shot(B.enforcer, 'tasks-after-login');
});

test('Chinese renders in Noto Sans CJK SC (lang, font-family, the font actually used)', async () => {
  need('head');
  const b = B.head;
  await L.goto(b, '/cases');
  const nav = b.page.getByTestId('nav-cases');
  await nav.waitFor({ state: 'visible' });
  const css = await b.page.evaluate(() => ({
    lang: document.documentElement.lang,
    body: getComputedStyle(document.body).fontFamily,
    nav: getComputedStyle(document.querySelector('[data-testid="nav-cases"]')).fontFamily,
  }));
  assert.equal(css.lang, 'zh-CN');
  assert.match(css.body, /Noto Sans CJK SC/, `body font-family is ${css.body}`);
  assert.match(css.nav, /Noto Sans CJK SC/, `nav font-family is ${css.nav}`);
  /* the fonts chromium really drew the Chinese text with: no tofu, no fallback */
  const cdp = await b.ctx.newCDPSession(b.page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
    const { nodeId } = await cdp.send('DOM.querySelector',
      { nodeId: root.nodeId, selector: '[data-testid="nav-cases"]' });
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    assert.ok(fonts.length > 0, 'no platform font reported for nav-cases');
    assert.ok(fonts.every((f) => /Noto Sans CJK/i.test(f.familyName)),
      `nav-cases drawn with ${JSON.stringify(fonts)}`);
  } finally {
    await cdp.detach();
  }
  assert.match(await nav.innerText(), /[\u4e00-\u9fff]/, 'nav-cases has no Chinese text');
  await L.shot(b, 'chinese-typography');
});

const NAV = [
  ['nav-tasks', '/tasks'], ['nav-cases', '/cases'], ['nav-overload', '/weighings'], ['nav-officers', '/officers'],
  ['nav-parties', '/parties'], ['nav-violations', '/violations'],
  ['nav-settings', '/settings'],
];

test('every page opens from the navigation (screenshots)', async () => {
  need('head');
  const b = B.head;
  await L.goto(b, '/tasks');
  for (const id of ['logout', 'current-user', 'nav-ledger'])
    assert.equal(await b.page.getByTestId(id).count() > 0, true, `no ${id}`);
  for (const [id, hash] of NAV) {
    await b.page.getByTestId(id).first().click();
    await b.page.waitForURL((u) => u.hash === `#${hash}` || u.hash.startsWith(`#${hash}?`));
    await L.idle(b);
    assert.equal(await b.page.getByTestId('form-error').filter({ visible: true }).count(), 0,
      `${hash} shows an error`);
    await L.shot(b, `page-${hash.slice(1)}`);
  }
  /* the cases list: rows with their id and number, and the filters */
  await L.goto(b, '/cases');
  const rows = b.page.getByTestId('case-row');
  await rows.first().waitFor({ state: 'visible' });
  const attrs = await rows.evaluateAll((rs) => rs.map((r) => [r.dataset.caseId, r.dataset.number]));
  assert.ok(attrs.every(([id, n]) => id && n !== undefined),
    'every case-row needs data-case-id and data-number');
  assert.ok(attrs.some(([, n]) => /第\d+号/.test(n)), 'no case-row with a case number in data-number');
  for (const f of ['state', 'procedure', 'overdue', 'q'])
    assert.ok(await b.page.locator(L.byName(f)).count() > 0, `cases list: no filter name=${f}`);
  const more = b.page.getByTestId('more');
  if (await more.count() && await more.first().isVisible()) {
    const n = await rows.count();
    await more.first().click();
    await b.page.waitForFunction((n) => document.querySelectorAll(
      '[data-testid="case-row"]').length > n, n);
  }
  /* the tasks: each with its case and a countdown */
  await L.goto(B.enforcer, '/tasks');
  const tasks = B.enforcer.page.getByTestId('task');
  for (let i = 0; i < Math.min(await tasks.count(), 5); i++) {
    assert.ok(await tasks.nth(i).getAttribute('data-case-id'), 'task without data-case-id');
    assert.ok(await tasks.nth(i).getByTestId('countdown').count() > 0, 'task without countdown');
  }
  await L.shot(B.enforcer, 'page-tasks-enforcer');
});

/* ---- the life of a case ---------------------------------------------- */

async function newCase(b, c, shotOpts, tag) {
  const { page } = b;
  await L.goto(b, '/cases');
  await page.getByTestId('new-case').click();
  await page.waitForURL((u) => u.hash === '#/cases/new');
  const form = page.getByTestId('case-form');
  await form.waitFor({ state: 'visible' });
  await L.setField(form, 'procedure', 'general');
  await L.idle(b);
  const values = {
    party: c.party, violation: 'overload_mass', act_date: c.actDate, place: c.place,
    facts: c.facts, level: 'ordinary', officers: c.officers, approver: c.approver,
  };
  for (const [k, v] of Object.entries(values)) await L.setField(form, k, v);
  await L.shot(b, `${tag}-case-form`, shotOpts);
  const respP = page.waitForResponse((r) => r.request().method() === 'POST' &&
    new URL(r.url()).pathname === '/api/v1/cases');
  await page.getByTestId('case-submit').click();
  const resp = await respP;
  const body = await resp.json();
  return { form, status: resp.status(), body, values };
}

const STATE_LABEL = {
  filed: '已立案', notified: '已告知', approved: '负责人已审批', decided: '已作出决定',
  served: '已送达', executed: '已执行', closed: '已结案', archived: '已归档',
};

async function expectState(b, state) {
  const t = (await b.page.getByTestId('case-state').innerText()).trim();
  assert.ok(t.includes(state) || t.includes(STATE_LABEL[state]),
    `case-state shows “${t}”, expected ${state} (${STATE_LABEL[state]})`);
}

/*
 * The whole life of one general-procedure case.  registerBy: 'enforcer'
 * (the officer registers the clue, the head files it in the step form) or
 * 'head' (registered and filed at once, the head as approver); v: viewport
 * per user (or none); o: screenshot options; extra: also the checks done
 * once (list filter, refused payment).
 */
async function caseLife(run, { party, place, facts, registerBy = 'head', v = {}, o = {}, extra = false }) {
  need('head', 'enforcer', 'reviewer');
  const H = B.head, E = B.enforcer, R = B.reviewer;
  for (const [w, vp] of Object.entries(v)) await B[w].page.setViewportSize(vp);
  const tag = run;

  const c = { party, place, facts, actDate: '2025-12-30', officers: OFFICERS };
  let id, number;
  if (registerBy === 'enforcer') {
    /* 线索登记 by the officer (no approver), then 立案 by the head in the step form */
    const made = await newCase(E, { ...c, approver: '' }, o, tag);
    assert.equal(made.status, 201, `case creation: ${JSON.stringify(made.body)}`);
    assert.equal(made.body.state, 'clue');
    id = made.body.id;
    await L.openCase(E, id);
    await L.shot(E, `${tag}-clue`, o);
    const filed = await L.step(H, id, 'file', { officers: OFFICERS, approver: PEOPLE.head.cert });
    number = filed.body.number;
  } else {
    /* 线索登记 and 立案 at once: the head files as its approver, naming the two officers */
    const made = await newCase(H, { ...c, approver: PEOPLE.head.cert }, o, tag);
    assert.equal(made.status, 201, `case creation: ${JSON.stringify(made.body)}`);
    assert.equal(made.body.state, 'filed');
    id = made.body.id;
    number = made.body.number;
    await L.openCase(H, id);
  }
  assert.ok(number, 'the filed case has no number');
  cases[run] = { id, number };
  assert.ok((await H.page.getByTestId('case-number').innerText()).includes(number),
    'case-number does not show the case number');
  await expectState(H, 'filed');
  const docs = H.page.getByTestId('document');
  assert.ok(await docs.count() >= 1, 'no document after filing');
  assert.ok((await docs.allInnerTexts()).some((t) => t.includes(number)),
    'the filing form (立案登记表) number is not among the documents');
  assert.ok(await H.page.locator(`${tid('clock')}[data-kind="decision"]`).count() >= 1,
    'no decision clock (办案期限) after filing');
  await L.shot(H, `${tag}-filed`, o);

  if (extra) {
    /* the cases list, filtered to filed cases, shows it with its number */
    await L.goto(E, '/cases');
    await L.setField(E.page, 'state', 'filed');
    const row = E.page.locator(`${tid('case-row')}[data-case-id="${id}"]`);
    await row.waitFor({ state: 'visible' });
    assert.equal(await row.getAttribute('data-number'), number);
    await L.shot(E, `${tag}-cases-filtered`, o);
  }

  /* 调查取证 and 告知 by the officer */
  await L.step(E, id, 'evidence', { officers: OFFICERS, note: '现场称重：车货总质量 55 吨，超限 6 吨；执法记录仪 DSJ-01 全程录像', date: TODAY });
  await L.shot(E, `${tag}-evidence`, o);
  const notified = await L.step(E, id, 'notify',
    { officers: OFFICERS, kind: 'fine', amount: '3000', level: 'ordinary' });
  await expectState(E, 'notified');
  const noticeNo = notified.body.notice.number;
  assert.ok((await E.page.getByTestId('document').allInnerTexts()).some((t) => t.includes(noticeNo)),
    `the notice ${noticeNo} is not among the documents`);
  assert.ok(await E.page.locator(`${tid('clock')}[data-kind="statement"]`).count() >= 1,
    'no statement clock (陈述申辩期限) after the notice');
  await L.shot(E, `${tag}-notified`, o);
  /* 待办: the officer's new deadline, with a countdown and, on tap, how it was reached */
  await L.goto(E, '/tasks');
  const task = E.page.locator(`${tid('task')}[data-case-id="${id}"]`);
  assert.ok(await task.count() >= 1, 'the case is not among the officer\'s tasks after the notice');
  const cd = task.first().getByTestId('countdown');
  await cd.waitFor({ state: 'visible' });
  assert.match(await cd.innerText(), /\d|今天|超期/, 'the countdown shows no time');
  const textBefore = (await E.page.locator('body').innerText()).length;
  await cd.click();
  await E.page.waitForFunction((n) => document.body.innerText.length > n, textBefore, { timeout: 3000 })
    .catch(() => assert.fail('tapping the countdown shows no explanation of the due date'));
  await L.shot(E, `${tag}-tasks`, o);

  /* too early: the statement window is open; the law's refusal is shown in place */
  const early = await L.step(H, id, 'approve',
    { approver: PEOPLE.head.cert, kind: 'fine', amount: '3000', date: TODAY },
    { expect: 'refused' });
  assert.equal(early.status, 409);
  assert.equal(early.body.error.code, 'statement_window_open');
  const msg = early.body.error.message;
  assert.match(msg, /第四十四条/);
  const fe = (await H.page.getByTestId('form-error').first().innerText()).trim();
  assert.ok(fe.includes(msg), `form-error shows “${fe}”, not the API's “${msg}”`);
  const dateErr = L.fieldError(H.page.getByTestId('step-form'), 'date');
  await dateErr.first().waitFor({ state: 'visible' });
  assert.match(await dateErr.first().innerText(), /第四十四条/);
  const sf = H.page.getByTestId('step-form');
  assert.equal(await L.getField(sf, 'amount'), '3000', 'the refused form lost the amount');
  assert.equal(await L.getField(sf, 'approver'), PEOPLE.head.cert, 'the refused form lost the approver');
  assert.equal(await L.getField(sf, 'transition'), 'approve', 'the refused form lost the transition');
  await L.shot(H, `${tag}-approve-refused`, o);

  /* the party waives its statement and hearing (signed waiver) */
  await L.step(E, id, 'waive', {});
  /* 法制审核 */
  await L.step(R, id, 'legal_review',
    { reviewer: PEOPLE.reviewer.cert, result: 'pass', opinion: '事实清楚，证据确凿，适用依据正确，程序合法，处罚适当' });
  await L.shot(R, `${tag}-legal-review`, o);
  /* 负责人审批 */
  await L.step(H, id, 'approve', { approver: PEOPLE.head.cert, kind: 'fine', amount: '3000' });
  await expectState(H, 'approved');
  await L.shot(H, `${tag}-approved`, o);
  /* 决定, 送达 */
  const decided = await L.step(E, id, 'decide', { officers: OFFICERS });
  await expectState(E, 'decided');
  const decisionNo = decided.body.decision.number;
  assert.ok((await E.page.getByTestId('document').allInnerTexts()).some((t) => t.includes(decisionNo)),
    `the decision ${decisionNo} is not among the documents`);
  await L.shot(E, `${tag}-decided`, o);
  await L.step(E, id, 'serve', { officers: OFFICERS, method: 'direct' });
  await expectState(E, 'served');
  await L.shot(E, `${tag}-served`, o);

  /* 缴纳罚款 (a wrong amount first, once: the message next to the field) */
  if (extra) {
    const bad = await L.step(E, id, 'pay', { amount: '2999' }, { expect: 'refused' });
    assert.equal(bad.status, 409);
    assert.equal(bad.body.error.field, 'amount');
    const form = E.page.getByTestId('step-form');
    const err = L.fieldError(form, 'amount');
    await err.first().waitFor({ state: 'visible' });
    assert.ok((await err.first().innerText()).includes(bad.body.error.message),
      'field-error[data-field=amount] does not show the API message');
    assert.equal(await L.getField(form, 'amount'), '2999', 'the refused form lost the amount');
    await L.shot(E, `${tag}-pay-refused`, o);
    await L.step(E, id, 'pay', { amount: '3000' }, { reopen: false });
  } else {
    await L.step(E, id, 'pay', { amount: '3000' });
  }
  await expectState(E, 'executed');
  /* 结案, 归档 */
  await L.step(H, id, 'close', { approver: PEOPLE.head.cert, summary: '罚款已全额缴纳，结案' });
  await expectState(H, 'closed');
  await L.step(E, id, 'archive', {});
  await expectState(E, 'archived');

  /* the timeline: every step, each with its ledger entry */
  const { status, body: doc } = await L.api(E, `/api/v1/cases/${id}`);
  assert.equal(status, 200);
  const want = ['register', 'file', 'evidence', 'notify', 'waive', 'legal_review', 'approve',
    'decide', 'serve', 'pay', 'close', 'archive'];
  assert.deepEqual(doc.steps.map((s) => s.transition), want);
  const items = E.page.getByTestId('timeline-step');
  assert.equal(await items.count(), doc.steps.length, 'timeline-step count');
  const shown = [];
  for (let i = 0; i < doc.steps.length; i++) {
    const it = items.nth(i);
    const t = await it.getAttribute('data-transition');
    const seqText = (await it.getByTestId('ledger-seq').first().innerText()).trim();
    assert.match(seqText, /\d/, `timeline step ${t}: ledger-seq is empty`);
    shown.push([Number(seqText.match(/\d+/)[0]), t]);
    assert.equal(await it.getByTestId('proof-link').count() > 0, true, `timeline step ${t}: no proof-link`);
  }
  shown.sort((a, b) => a[0] - b[0]);
  assert.deepEqual(shown, doc.steps.map((s) => [s.ledger_seq, s.transition]),
    'timeline steps and their ledger sequence numbers differ from the case');
  await L.shot(E, `${tag}-timeline`, o);

  /* a proof-link opens the inclusion proof of that entry */
  const last = doc.steps[doc.steps.length - 1];
  const item = E.page.locator(`${tid('timeline-step')}[data-transition="archive"]`);
  await item.getByTestId('proof-link').first().click();
  const proof = E.page.getByTestId('proof');
  await proof.first().waitFor({ state: 'visible' });
  await E.page.waitForFunction(() => /leaf_index/.test(
    document.querySelector('[data-testid="proof"]').textContent));
  const text = await proof.first().innerText();
  const p = JSON.parse(text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1));
  assert.equal(p.leaf_index, last.ledger_seq - 1, 'the proof is not of the archive step\'s entry');
  assert.ok(p.tree_size >= last.ledger_seq && Array.isArray(p.hashes), 'proof lacks tree_size/hashes');
  await L.shot(E, `${tag}-proof`, o);
  return { id, number };
}

test('desktop: the whole life of a general-procedure case', { timeout: 60000 }, async () => {
  await caseLife('desktop', {
    party: '150826198803083644', place: 'G242 线 K12+300 杭锦后旗超限检测站',
    facts: '当事人驾驶蒙L 六轴货车，经称重车货总质量 55 吨，超过限定标准 49 吨',
    registerBy: 'enforcer', extra: true,
  });
});

test('case form: bad input shows the API\'s message next to the field and keeps what was typed', async () => {
  need('head');
  const b = B.head;
  const bad = { party: '150826199507188227', place: 'G7 京新高速 K1024', facts: '外廓尺寸超限',
    actDate: '2025-12-29', officers: `${PEOPLE.enforcer.cert},150826299999`,
    approver: PEOPLE.head.cert };
  const made = await newCase(b, bad, {}, 'bad-input');
  assert.equal(made.status, 400, `expected 400, got ${made.status} ${JSON.stringify(made.body)}`);
  assert.equal(made.body.error.field, 'officers');
  const msg = made.body.error.message;
  assert.match(msg, /[\u4e00-\u9fff]/);
  const fe = b.page.getByTestId('form-error').first();
  await fe.waitFor({ state: 'visible' });
  assert.ok((await fe.innerText()).includes(msg), 'form-error does not show the API message');
  const err = L.fieldError(made.form, 'officers');
  await err.first().waitFor({ state: 'visible' });
  assert.ok((await err.first().innerText()).includes(msg),
    'field-error[data-field=officers] does not show the API message');
  for (const [k, v] of Object.entries(made.values)) {
    const got = await L.getField(made.form, k);
    if (['place', 'facts', 'officers', 'act_date', 'approver'].includes(k))
      assert.equal(got, v, `case-form lost what was typed in ${k}`);
    else	/* a select may hold an id for the party chosen */
      assert.notEqual(got, '', `case-form lost the choice of ${k}`);
  }
  assert.match(b.page.url(), /#\/cases\/new$/, 'a refused creation left the form');
  await L.shot(b, 'bad-input-refused');
});

test('tablet (1280×800 and 800×1280): the same life of a second case', { timeout: 60000 }, async () => {
  try {
    await caseLife('tablet', {
      party: '150826199301252529', place: 'G110 线 K890 陕坝镇',
      facts: '当事人驾驶蒙L 货车，经称重车货总质量 52 吨，超过限定标准 49 吨',
      v: { head: L.TABLET_LANDSCAPE, enforcer: L.TABLET_PORTRAIT, reviewer: L.TABLET_LANDSCAPE },
      o: { noOverflow: true },
    });
    /* the finished case in both orientations */
    for (const vp of [L.TABLET_LANDSCAPE, L.TABLET_PORTRAIT]) {
      await B.head.page.setViewportSize(vp);
      await L.openCase(B.head, cases.tablet.id);
      await L.shot(B.head, `tablet-case-${vp.width}x${vp.height}`, { noOverflow: true });
      await L.goto(B.head, '/cases');
      await L.shot(B.head, `tablet-cases-${vp.width}x${vp.height}`, { noOverflow: true });
    }
  } finally {
    for (const w of ['head', 'enforcer', 'reviewer'])
      if (B[w]) await B[w].page.setViewportSize(L.DESKTOP);
  }
});

/* ---- 扣押 (detention) ----------------------------------------------------- */

/*
 * A vehicle detained in an emergency (行政强制法 Art. 19) by the officer on a
 * case the head files in the case form: the approver's field goes away with
 * "情况紧急", the detention section shows it waiting for the head's approval
 * with its clocks; the head approves it afterwards, asks for 31 more days
 * and sees the refusal (第二十五条) next to the days; the officer releases
 * the vehicle.
 */
test('detention: an emergency detention approved afterwards, an extension refused in place, the release', { timeout: 40000 }, async () => {
  need('head', 'enforcer');
  const H = B.head, E = B.enforcer;
  const made = await newCase(H, {
    party: '150826198803083644', place: 'G242 线 K12+300 杭锦后旗超限检测站',
    facts: '车辆超限运输，拒不接受现场调查处理', actDate: '2025-12-30', officers: OFFICERS,
    approver: PEOPLE.head.cert,
  }, {}, 'detention');
  assert.equal(made.status, 201, `case creation: ${JSON.stringify(made.body)}`);
  const id = made.body.id;

  /* the officer: 扣押, in an emergency (no approver) */
  await L.openCase(E, id);
  const form = E.page.getByTestId('step-form');
  await L.setField(form, 'transition', 'detain');
  const approverField = form.locator('.field[data-field="approver"]');
  await L.setField(form, 'emergency', true);
  assert.equal(await approverField.isHidden(), true, 'the approver field stays with 情况紧急 checked');
  await L.step(E, id, 'detain', {
    officers: OFFICERS, text: '重型半挂牵引车 蒙LE2E02 一辆', to: '杭锦后旗治超站停车场',
    reason: '拒不接受现场调查处理（《公路安全保护条例》第七十二条）', emergency: true,
  }, { reopen: false });
  const det = E.page.getByTestId('detention');
  await det.waitFor({ state: 'visible' });
  assert.equal(await det.getAttribute('data-status'), 'detained');
  assert.match(await E.page.getByTestId('detention-items').innerText(), /蒙LE2E02/);
  assert.match(await E.page.getByTestId('detention-approval').innerText(), /尚未补办/);
  for (const k of ['detention', 'detention_approval'])
    assert.equal(await E.page.locator(`${tid('detention-clock')}[data-kind="${k}"]`).count(), 1,
      `no ${k} clock in the detention section`);
  assert.ok((await E.page.getByTestId('document').allInnerTexts()).some((t) => /执强扣字/.test(t)),
    'the 行政强制措施决定书 is not among the documents');
  await L.shot(E, 'detention-detained');

  /* the head: 补办批准, then 31 days more, refused in place */
  await L.step(H, id, 'approve_detention', { approver: PEOPLE.head.cert });
  assert.match(await H.page.getByTestId('detention-approval').innerText(), /补办批准/);
  const long = await L.step(H, id, 'extend_detention',
    { approver: PEOPLE.head.cert, days: '31', reason: '需对车辆进行技术鉴定' }, { expect: 'refused' });
  assert.equal(long.status, 409);
  assert.equal(long.body.error.code, 'detention_extension_too_long');
  const err = L.fieldError(H.page.getByTestId('step-form'), 'days');
  await err.first().waitFor({ state: 'visible' });
  assert.match(await err.first().innerText(), /第二十五条/);
  assert.equal(await L.getField(H.page.getByTestId('step-form'), 'days'), '31', 'the refused form lost the days');
  await L.shot(H, 'detention-extension-refused');

  /* the officer: 解除扣押 */
  await L.step(E, id, 'release_detention', { reason: '当事人已到场接受调查处理' });
  assert.equal(await E.page.getByTestId('detention').getAttribute('data-status'), 'released');
  assert.match(await E.page.getByTestId('detention-release').innerText(), /当事人已到场/);
  assert.equal(await E.page.locator(`${tid('detention-clock')}[data-kind="detention"]`).getAttribute('data-status'), 'met');
  await L.shot(E, 'detention-released');
});

/* ---- 治超 (overload) ------------------------------------------------------ */

/*
 * The officer records a station weighing: first on the demo's weigh-in-
 * motion device, whose certificate starts 2025-11-28, for 2025-11-01 (the
 * engine's refusal shows next to the scale, what was typed stays), then on
 * the station's scale; the record shows the engine's steps (Art. 43), and a
 * case is opened from it.  Then the review queue, the import page (where a
 * small CSV is checked with 先检查: its refused row and over-limit record
 * listed, no import added) and the statistics open from the section's tabs.
 */
test('overload: a weighing refused in place for an uncalibrated scale, recorded with its calculation, a case opened from it', { timeout: 30000 }, async () => {
  need('enforcer');
  const b = B.enforcer;
  const { page } = b;
  await L.goto(b, '/weighings');
  await page.getByTestId('new-weighing').click();
  await page.waitForURL((u) => u.hash === '#/weighings/new');
  const form = page.getByTestId('weigh-form');
  await form.waitFor({ state: 'visible' });
  const typed = {
    station: 'G242-K1096', weighed_at: '2025-11-01 09:30', device: 'WIM-G242', plate: '蒙LE2E01',
    trailer_plate: '蒙LE201挂', config: 'train', axles: '6', gross_kg: '57300', officers: OFFICERS,
  };
  for (const [k, v] of Object.entries(typed)) await L.setField(form, k, v);
  const isWeigh = (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/weighings';
  let respP = page.waitForResponse(isWeigh);
  await page.getByTestId('weigh-submit').click();
  let r = await respP;
  assert.equal(r.status(), 409, `uncalibrated scale: HTTP ${r.status()}`);
  assert.equal((await r.json()).error.code, 'scale_not_calibrated');
  const err = L.fieldError(form, 'device');
  await err.first().waitFor({ state: 'visible' });
  assert.ok((await err.first().innerText()).includes('检定'), 'the refusal does not name the certificate');
  assert.equal(await L.getField(form, 'plate'), typed.plate, 'weigh-form lost what was typed');
  await L.shot(b, 'overload-weigh-refused');

  await L.setField(form, 'device', 'SCALE-G242');
  respP = page.waitForResponse(isWeigh);
  await page.getByTestId('weigh-submit').click();
  r = await respP;
  assert.equal(r.status(), 201, `weighing: HTTP ${r.status()} ${await r.text()}`);
  const detail = page.getByTestId('weighing-detail');
  await detail.waitFor({ state: 'visible' });
  assert.equal(await detail.getAttribute('data-over'), '1', '57,300 kg on 6 axles should be over the limit');
  assert.ok(await page.getByTestId('calc-step').count() >= 5, 'the calculation steps are missing');
  assert.match(await page.getByTestId('calc-explain').innerText(), /第四十三条/);
  await L.shot(b, 'overload-weighing');

  await page.getByTestId('open-case').click();
  const cf = page.getByTestId('case-open-form');
  await cf.waitFor({ state: 'visible' });
  await L.setField(cf, 'party', '150826198803083644');
  await L.setField(cf, 'officers', OFFICERS);
  await page.getByTestId('case-open-submit').click();
  await page.waitForURL((u) => /^#\/cases\/[0-9a-f-]{36}$/.test(u.hash));
  await page.getByTestId('case-number').waitFor({ state: 'visible' });
  assert.equal(await page.getByTestId('case-state').getAttribute('data-state'), 'clue');
  await L.idle(b);
  await L.shot(b, 'overload-case');
  b.seenCase = null;

  for (const [tab, hash, what] of [['tab-reviews', '/reviews', 'review-item'],
    ['tab-imports', '/weigh-imports', 'import-row'], ['tab-stats', '/overload-stats', 'stats-total']]) {
    await L.goto(b, '/weighings');
    await page.getByTestId(tab).click();
    await page.waitForURL((u) => u.hash === `#${hash}`);
    await page.getByTestId(what).first().waitFor({ state: 'visible' });
    await L.idle(b);
    assert.equal(await page.getByTestId('form-error').filter({ visible: true }).count(), 0,
      `${hash} shows an error`);
    await L.shot(b, `page-${hash.slice(1)}`);
    if (hash !== '/weigh-imports') continue;
    /* 先检查: the file checked, nothing stored, its refused row by line */
    const csv = 'station,time,lane,plate,plate_colour,axles,config,gross_kg,speed_kmh,image_sha256,video_sha256\n' +
      'E2E-WIM,2025-11-30T10:00:00+08:00,1,蒙LE2E21,yellow,6,train,55000,60,,\n' +
      'E2E-WIM,2025-11-30T10:01:00+08:00,1,蒙LI2E22,yellow,2,truck,9000,60,,\n';
    const imports = await page.getByTestId('import-row').count();
    await page.getByTestId('import-form').locator('input[name="file"]')
      .setInputFiles({ name: 'e2e-check.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const isCheck = (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/weigh-checks';
    const checkP = page.waitForResponse(isCheck);
    await page.getByTestId('import-check').click();
    const cr = await checkP;
    assert.equal(cr.status(), 200, `weigh check: HTTP ${cr.status()} ${await cr.text()}`);
    const sum = page.getByTestId('import-summary');
    await sum.waitFor({ state: 'visible' });
    assert.equal(await sum.getAttribute('data-kind'), 'check');
    assert.equal(await page.getByTestId('check-rejected').innerText(), '1');
    assert.equal(await page.getByTestId('import-error').getAttribute('data-line'), '3');
    assert.equal(await page.getByTestId('check-over-record').getAttribute('data-line'), '2');
    assert.equal(await page.getByTestId('import-row').count(), imports, 'a check added an import');
    await L.shot(b, 'overload-import-check');
  }
});

test('the auditor\'s ledger page, and logging out', async () => {
  const b = await L.openBrowser('auditor');
  B.auditor = b;
  await L.login(b, PEOPLE.auditor.login);
  await b.page.getByTestId('nav-ledger').first().click();
  await b.page.waitForURL((u) => u.hash === '#/ledger');
  await L.idle(b);
  assert.equal(await b.page.getByTestId('form-error').filter({ visible: true }).count(), 0,
    'the ledger page shows an error');
  await L.shot(b, 'page-ledger-auditor');
  await b.page.getByTestId('logout').first().click();
  await b.page.locator(L.byName('username')).waitFor({ state: 'visible' });
  const me = await L.api(b, '/api/v1/me');
  assert.equal(me.status, 401, 'the session still works after logout');
  await L.shot(b, 'logged-out');
});

test('no script errors and no request outside the server', () => {
  const errors = Object.values(B).flatMap((b) => b.pageErrors);
  const external = Object.values(B).flatMap((b) => b.external);
  assert.deepEqual(errors, [], 'uncaught errors in the page');
  assert.deepEqual(external, [], 'requests to other hosts');
});
