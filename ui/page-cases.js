/*
 * 案件: the list (filters sent to GET /api/v1/cases, keyset paging with
 * "更多", a search box over the loaded rows by number, party or plate) and
 * 新建案件 (POST /api/v1/cases: general procedure 线索登记, with an approver
 * also 立案; simplified procedure 当场处罚).
 */
'use strict';
(function (ZF) {
  var h = ZF.h, L = ZF.L, fmt = ZF.fmt;
  var PAGE = 20;

  function partyLabel(p) {
    if (!p) return '—';
    return p.erased ? '（个人信息已删除）' : p.name;
  }

  ZF.pages.cases = async function (ctx) {
    ctx.title = '案件';
    var refs = await Promise.all([ZF.lists.parties(), ZF.lists.vehicles(), ZF.lists.violations()]);
    var parties = ZF.byId(refs[0]), vehicles = ZF.byId(refs[1]), violations = ZF.byId(refs[2], 'code');
    var next = null;

    var form = h('form', { class: 'panel filters', testid: 'case-filters', novalidate: true, role: 'search' },
      ZF.field({ name: 'state', label: '状态', type: 'select', options: L.options(L.state, '全部状态') }),
      ZF.field({ name: 'procedure', label: '程序', type: 'select', options: L.options(L.procedure, '全部程序') }),
      ZF.field({ name: 'violation', label: '违法行为', type: 'select',
        options: [['', '全部违法行为']].concat(refs[2].map(function (v) { return [v.code, v.name]; })) }),
      ZF.field({ name: 'officer', label: '承办人员（执法证号）', list: 'dl-case-officers', placeholder: '全部' }),
      ZF.field({ name: 'overdue', label: '仅显示已超期', type: 'checkbox' }),
      ZF.field({ name: 'q', label: '搜索（案号、当事人、车牌）', type: 'search', placeholder: '在已加载的案件中查找' }),
      h('div', { class: 'field' }, h('button', { type: 'submit', class: 'btn btn-primary' }, '查询')));
    var officersList = h('datalist', { id: 'dl-case-officers' });
    ZF.lists.officers().then(function (os) {
      os.forEach(function (o) { officersList.appendChild(h('option', { value: o.cert_no }, o.name)); });
    }).catch(function () {});
    var tbody = h('tbody');
    var table = h('div', { class: 'table-wrap' }, h('table', { class: 'list', testid: 'case-list' },
      h('thead', null, h('tr', null, ['案号', '程序', '状态', '违法行为', '当事人', '违法日期', '处罚']
        .map(function (t) { return h('th', { scope: 'col' }, t); }))),
      tbody));
    var count = h('p', { class: 'muted', testid: 'case-count', 'aria-live': 'polite' });
    var more = h('button', { type: 'button', class: 'btn', testid: 'more', hidden: true }, '更多');

    function search(row) {
      var q = form.elements.q.value.trim().toLowerCase();
      row.hidden = !!q && row.dataset.search.indexOf(q) < 0;
    }
    function updateCount() {
      var rows = tbody.querySelectorAll('tr');
      var shown = Array.prototype.filter.call(rows, function (r) { return !r.hidden; }).length;
      count.textContent = '已加载 ' + rows.length + ' 件' + (shown !== rows.length ? '，符合搜索的 ' + shown + ' 件' : '') +
        (next ? '；还有更多' : '');
    }
    function row(c) {
      var p = parties[c.party_id], v = vehicles[c.vehicle_id], vi = violations[c.violation];
      var d = c.decision;
      var penalty = d ? (d.outcome === 'no_penalty' ? '不予处罚' : L.of(L.penalty, d.kind) + (d.kind === 'fine' ? ' ' + fmt.yuan(d.amount_fen) : '')) : '—';
      var tr = h('tr', { testid: 'case-row', dataset: { caseId: c.id, number: c.number || '', state: c.state } },
        h('td', { 'data-label': '案号', class: 'nowrap' }, h('a', { href: '#/cases/' + encodeURIComponent(c.id) }, c.number || '线索（未立案）')),
        h('td', { 'data-label': '程序' }, L.of(L.procedure, c.procedure)),
        h('td', { 'data-label': '状态' }, h('span', { class: 'badge state' }, c.state_label || L.of(L.state, c.state))),
        h('td', { 'data-label': '违法行为', class: 'wide' }, vi ? vi.name : c.violation),
        h('td', { 'data-label': '当事人' }, partyLabel(p), v ? h('div', { class: 'small muted' }, v.plate) : null),
        h('td', { 'data-label': '违法日期', class: 'nowrap' }, fmt.date(c.act_date)),
        h('td', { 'data-label': '处罚', class: 'nowrap' }, penalty));
      tr.dataset.search = [c.number, p && p.name, p && p.id_number, p && p.credit_code, v && v.plate]
        .filter(Boolean).join(' ').toLowerCase();
      search(tr);
      return tr;
    }
    async function load(reset) {
      var f = form.elements;
      var q = {
        state: f.state.value, procedure: f.procedure.value, violation: f.violation.value,
        officer: f.officer.value.trim(), overdue: f.overdue.checked, limit: PAGE,
        after: reset ? '' : next
      };
      ZF.clearErrors(form);
      more.disabled = true;
      try {
        var res = await ZF.api.get('/api/v1/cases', q);
        if (reset) ZF.clear(tbody);
        res.items.forEach(function (c) { tbody.appendChild(row(c)); });
        next = res.next;
        more.hidden = !next;
      } catch (err) {
        ZF.showError(form, err);
      } finally {
        more.disabled = false;
        updateCount();
      }
    }
    form.addEventListener('submit', function (ev) { ev.preventDefault(); load(true); });
    form.addEventListener('change', function (ev) { if (ev.target.name !== 'q') load(true); });
    form.elements.q.addEventListener('input', function () {
      tbody.querySelectorAll('tr').forEach(search);
      updateCount();
    });
    more.addEventListener('click', function () { load(false); });
    await load(true);
    return h('div', null,
      h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, '案件'),
        ZF.can.caseWrite() ? h('a', { class: 'btn btn-primary', href: '#/cases/new', testid: 'new-case' }, '新建案件') : null),
      form, officersList, count, table, h('div', { class: 'actions' }, more));
  };

  /* ---- 新建案件 ---- */
  ZF.pages.caseNew = async function (ctx) {
    ctx.title = '新建案件';
    var refs = await Promise.all([ZF.lists.parties(), ZF.lists.vehicles(), ZF.lists.violations(), ZF.lists.officers()]);
    var me = ZF.session.officer;
    var partyOptions = refs[0].filter(function (p) { return !p.erased; }).map(function (p) {
      return [p.id_number || p.credit_code || p.id, p.name + '（' + (p.kind_label || p.kind) + '）'];
    });
    var levelField = ZF.field({ name: 'level', label: '裁量档次', type: 'select', options: [['', '先选择违法行为']],
      hint: '按裁量基准的违法情节' });
    var general = h('div', { class: 'fields', dataset: { procedure: 'general' } },
      ZF.field({ name: 'approver', label: '审批负责人（执法证号）', list: 'dl-heads',
        value: me && ZF.has('head') ? me.cert_no : '',
        hint: '负责人本人登录时填写，则同时立案；不填只登记线索，由负责人立案' }),
      ZF.field({ name: 'source', label: '案件来源', type: 'select', options: L.options(L.source, '执法检查（默认）') }),
      h('fieldset', { class: 'field wide' }, h('legend', { class: 'label' }, '案件标记'),
        h('div', { class: 'row' },
          ZF.field({ name: 'flag_major', label: '重大案件', type: 'checkbox' }),
          ZF.field({ name: 'flag_complex', label: '疑难复杂', type: 'checkbox' }),
          ZF.field({ name: 'flag_serious', label: '情节严重', type: 'checkbox' }),
          ZF.field({ name: 'flag_harm', label: '有危害后果', type: 'checkbox' }))));
    var simplified = h('div', { class: 'fields', dataset: { procedure: 'simplified' }, hidden: true },
      ZF.field({ name: 'kind', label: '处罚种类', type: 'select', options: [['warning', '警告'], ['fine', '罚款']], value: 'fine' }),
      ZF.field({ name: 'amount', label: '罚款金额', type: 'yuan', hint: '公民 200 元以下、组织 3000 元以下（《行政处罚法》第五十一条）' }),
      ZF.field({ name: 'form_number', label: '预印文书编号', hint: '使用预印的当场处罚决定书时填写，如 蒙交当0001', max: 32 }));
    var procHead = h('h2', { class: 'mt' });
    var form = h('form', { class: 'panel', testid: 'case-form', novalidate: true },
      ZF.formError(),
      h('div', { class: 'fields' },
        ZF.field({ name: 'procedure', label: '程序', type: 'select', required: true,
          options: [['general', '一般程序（线索登记、立案）'], ['simplified', '简易程序（当场处罚）']] }),
        ZF.field({ name: 'party', label: '当事人（身份证号或统一社会信用代码）', list: 'dl-parties', required: true }),
        ZF.field({ name: 'vehicle', label: '车辆（号牌）', list: 'dl-vehicles' }),
        ZF.field({ name: 'violation', label: '违法行为', type: 'select', required: true,
          options: [['', '请选择']].concat(refs[2].map(function (v) { return [v.code, v.name]; })) }),
        levelField,
        ZF.field({ name: 'act_date', label: '违法行为发生日期', type: 'date', required: true }),
        ZF.field({ name: 'date', label: '登记日期', type: 'date', hint: '不填为今天；补录时填写实际日期' }),
        ZF.field({ name: 'place', label: '地点', required: true, max: 200 }),
        ZF.field({ name: 'officers', label: '执法人员（执法证号，用逗号分隔）', required: true,
          value: me && ZF.has('enforcer') ? me.cert_no + ',' : '',
          hint: '不少于两名持有效执法证的执法人员（《行政处罚法》第四十二条）', list: 'dl-officers' }),
        ZF.field({ name: 'facts', label: '违法事实', type: 'textarea', required: true, wide: true, max: 2000 })),
      procHead,
      general, simplified,
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'btn btn-primary', testid: 'case-submit' }, '提交'),
        h('a', { href: '#/cases' }, '取消')),
      ZF.datalist('dl-parties', partyOptions),
      ZF.datalist('dl-vehicles', refs[1].map(function (v) { return [v.plate, v.config_label || v.config]; })),
      ZF.datalist('dl-officers', refs[3].filter(function (o) { return o.may_act_today; })
        .map(function (o) { return [o.cert_no, o.name]; })),
      ZF.datalist('dl-heads', refs[3].filter(function (o) { return (o.roles || []).indexOf('head') >= 0; })
        .map(function (o) { return [o.cert_no, o.name + '（负责人）']; })));

    function setProcedure() {
      var simple = form.elements.procedure.value === 'simplified';
      procHead.textContent = simple ? '当场处罚（简易程序）' : '立案（一般程序）';
      general.hidden = simple;
      simplified.hidden = !simple;
      general.querySelectorAll('input, select').forEach(function (e) { e.disabled = simple; });
      simplified.querySelectorAll('input, select').forEach(function (e) { e.disabled = !simple; });
    }
    form.elements.procedure.addEventListener('change', setProcedure);
    setProcedure();
    form.elements.violation.addEventListener('change', function () {
      ZF.fillLevels(form.elements.level, form.elements.violation.value, '');
    });

    form.addEventListener('submit', async function (ev) {
      ev.preventDefault();
      var f = form.elements, simple = f.procedure.value === 'simplified';
      var body = {
        procedure: f.procedure.value, party: f.party.value.trim(), violation: f.violation.value,
        act_date: fmt.normDate(f.act_date.value), place: f.place.value.trim(), facts: f.facts.value.trim(),
        officers: ZF.splitList(f.officers.value)
      };
      if (f.vehicle.value.trim()) body.vehicle = f.vehicle.value.trim();
      if (f.level.value) body.level = f.level.value;
      if (f.date.value.trim()) body.date = fmt.normDate(f.date.value);
      if (!simple) {
        if (f.approver.value.trim()) body.approver = f.approver.value.trim();
        if (f.source.value) body.source = f.source.value;
        var flags = {};
        ['major', 'complex', 'serious', 'harm'].forEach(function (k) { if (f['flag_' + k].checked) flags[k] = true; });
        if (Object.keys(flags).length) body.flags = flags;
      } else {
        body.kind = f.kind.value;
        if (f.amount.value.trim()) {
          var fen = fmt.toFen(f.amount.value);
          if (fen === null) {
            ZF.clearErrors(form);
            ZF.showError(form, { message: '罚款金额应为以元为单位的数字，最多两位小数，如 200 或 150.50', field: 'amount' });
            return;
          }
          body.amount_fen = fen;
        }
        if (f.form_number.value.trim()) body.form_number = f.form_number.value.trim();
      }
      Object.keys(body).forEach(function (k) { if (body[k] === '') delete body[k]; });
      var doc = await ZF.submitting(form, function () {
        return ZF.api.post('/api/v1/cases', body, { idempotent: true });
      });
      if (doc) location.hash = '#/cases/' + encodeURIComponent(doc.id);
    });
    return h('div', null, h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, '新建案件'),
      h('a', { href: '#/cases' }, '返回案件列表')), form);
  };

  /* "a, b，c" -> ["a", "b", "c"] */
  ZF.splitList = function (s) {
    return String(s || '').split(/[\s,，、;；]+/).map(function (x) { return x.trim(); }).filter(Boolean);
  };

  /* The version of a violation's standard in force (to is null), else the last. */
  ZF.currentVersion = function (v) {
    var vs = (v && v.versions) || [];
    return vs.filter(function (x) { return !x.to; })[0] || vs[vs.length - 1] || {};
  };

  /*
   * Fill a level select with the discretion levels of a violation: the
   * usual four at once (every standard uses these codes), then each with its
   * circumstances once the standard has loaded, keeping the choice made.
   */
  var USUAL_LEVELS = [['minor', '轻微'], ['ordinary', '一般'], ['serious', '较重'], ['very_serious', '严重']];
  ZF.fillLevels = async function (select, code, current) {
    function fill(levels, chosen) {
      ZF.clear(select);
      select.appendChild(h('option', { value: '' }, code ? '不指定' : '先选择违法行为'));
      levels.forEach(function (lv) { select.appendChild(h('option', { value: lv[0], selected: lv[0] === chosen }, lv[1])); });
      if (chosen && !levels.some(function (lv) { return lv[0] === chosen; }))
        select.appendChild(h('option', { value: chosen, selected: true }, chosen));
    }
    fill(code ? USUAL_LEVELS : [], current);
    if (!code) return;
    try {
      var v = await ZF.lists.violation(code);
      var levels = (ZF.currentVersion(v).levels || []).map(function (lv) { return [lv.code, lv.label + '：' + lv.circumstances]; });
      if (levels.length && select.isConnected !== false) fill(levels, select.value || current);
    } catch (e) { /* the usual four stay */ }
  };
})(window.ZF);
