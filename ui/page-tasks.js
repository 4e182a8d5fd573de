/*
 * 待办: the clocks of the cases I handle (GET /api/v1/clocks/mine), each
 * with a countdown coloured by urgency; tapping the due date shows how it
 * was reached.  Heads and legal reviewers also see the bureau's clocks due
 * within a week.
 */
'use strict';
(function (ZF) {
  var h = ZF.h, L = ZF.L;
  var uid = 0;

  function rank(c) {
    var cd = ZF.countdown(c);
    var order = { overdue: 0, day: 1, soon: 2, ok: 3, lapsed: 4, paused: 5, done: 6 };
    return [order[cd.urgency], c.days_left === undefined ? 99999 : c.days_left];
  }
  function sortClocks(list) {
    return list.slice().sort(function (a, b) {
      var x = rank(a), y = rank(b);
      return x[0] - y[0] || x[1] - y[1] || String(a.due).localeCompare(String(b.due));
    });
  }

  /* The due date with its countdown, a button that shows the explanation. */
  ZF.dueButton = function (c) {
    var cd = ZF.countdown(c);
    var id = 'explain-' + (++uid);
    var panel = ZF.explainClock(c);
    panel.id = id;
    panel.hidden = true;
    var btn = h('button', { type: 'button', class: 'due-toggle', 'aria-expanded': 'false', 'aria-controls': id,
      title: '查看届满日的计算说明' },
      h('span', null, '届满日 ', h('strong', { testid: 'due' }, c.due)),
      h('span', { class: 'countdown', testid: 'countdown', dataset: { urgency: cd.urgency } }, cd.text),
      h('span', { class: 'small muted' }, '（说明）'));
    btn.addEventListener('click', function () {
      panel.hidden = !panel.hidden;
      btn.setAttribute('aria-expanded', String(!panel.hidden));
    });
    return [btn, panel];
  };

  function taskCard(c, testid) {
    var cd = ZF.countdown(c);
    var isCase = c.object_type === 'case';
    var title = isCase
      ? h('a', { href: '#/cases/' + encodeURIComponent(c.object_id) }, c.case_number || '线索（未立案）')
      : h('span', null, L.of(L.objectType, c.object_type) + ' ' + c.object_id);
    return h('li', { class: 'card', testid: testid, dataset: { caseId: isCase ? c.object_id : undefined, kind: c.kind, urgency: cd.urgency } },
      h('h3', null, c.label || c.kind),
      h('p', { class: 'row' }, title,
        c.case_state ? h('span', { class: 'badge' }, L.of(L.state, c.case_state)) : null),
      ZF.dueButton(c));
  }

  ZF.pages.tasks = async function (ctx) {
    ctx.title = '待办';
    var wide = ZF.has('head') || ZF.has('legal_reviewer');
    var results = await Promise.all([
      ZF.api.get('/api/v1/clocks/mine', { due_within: 3660 }),
      wide ? ZF.api.get('/api/v1/clocks', { due_within: 7 }) : Promise.resolve(null)
    ]);
    var mine = sortClocks(results[0] || []);
    var page = h('div', null,
      h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, '待办'),
        ZF.can.caseWrite() && ZF.has('enforcer') ? h('a', { class: 'btn', href: '#/cases/new' }, '新建案件') : null),
      h('p', { class: 'muted' }, '我承办案件的期限，按紧迫程度排列：红色已超期，橙色一日内到期，黄色三日内到期。点按届满日查看计算说明。'));
    var overdue = mine.filter(function (c) { return ZF.countdown(c).urgency === 'overdue'; }).length;
    page.appendChild(h('p', { testid: 'task-summary' }, '共 ' + mine.length + ' 项' + (overdue ? '，其中已超期 ' + overdue + ' 项' : '')));
    page.appendChild(mine.length
      ? h('ul', { class: 'cards', testid: 'tasks' }, mine.map(function (c) { return taskCard(c, 'task'); }))
      : h('p', { class: 'panel muted', testid: 'tasks-empty' }, '暂无待办期限。'));
    if (results[1]) {
      var org = sortClocks(results[1]);
      page.appendChild(h('h2', { class: 'mt' }, '本单位七日内到期和已超期的期限'));
      page.appendChild(org.length
        ? h('ul', { class: 'cards', testid: 'org-tasks' }, org.map(function (c) { return taskCard(c, 'org-task'); }))
        : h('p', { class: 'panel muted' }, '暂无。'));
    }
    return page;
  };
})(window.ZF);
