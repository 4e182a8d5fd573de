/*
 * The registers: 执法人员 (with certificate expiry warnings, ≤ 60 days),
 * 当事人 and 车辆, 违法行为 and their discretion standards (裁量基准).
 */
'use strict';
(function (ZF) {
  var h = ZF.h, L = ZF.L, fmt = ZF.fmt;
  var EXPIRY_WARN_DAYS = 60;

  function table(testid, heads, rows) {
    return h('div', { class: 'table-wrap' }, h('table', { class: 'list', testid: testid },
      h('thead', null, h('tr', null, heads.map(function (t) { return h('th', { scope: 'col' }, t); }))),
      h('tbody', null, rows)));
  }
  function td(label, content, cls) { return h('td', { 'data-label': label, class: cls }, content); }

  /* A search box that hides the rows of tbodies whose text does not match. */
  function searchBox(name, label, scope) {
    var f = ZF.field({ name: name, label: label, type: 'search' });
    f.querySelector('input').addEventListener('input', function (ev) {
      var q = ev.target.value.trim().toLowerCase();
      scope().forEach(function (tr) { tr.hidden = !!q && tr.textContent.toLowerCase().indexOf(q) < 0; });
    });
    return f;
  }

  /* ---- 执法人员 ---- */
  ZF.pages.officers = async function (ctx) {
    ctx.title = '执法人员';
    ZF.uncache('officers');
    /* expiring certificates first, then by certificate number */
    var list = (await ZF.lists.officers()).slice().sort(function (a, b) {
      var wa = a.status === 'active' && a.days_to_expiry <= EXPIRY_WARN_DAYS ? 0 : 1;
      var wb = b.status === 'active' && b.days_to_expiry <= EXPIRY_WARN_DAYS ? 0 : 1;
      return wa - wb || String(a.cert_no).localeCompare(String(b.cert_no));
    });
    var expiring = list.filter(function (o) { return o.status === 'active' && o.days_to_expiry <= EXPIRY_WARN_DAYS; });
    var rows = list.map(function (o) {
      var warn = o.status === 'active' && o.days_to_expiry !== undefined && o.days_to_expiry <= EXPIRY_WARN_DAYS;
      var expiry = warn ? h('span', { class: 'badge ' + (o.days_to_expiry < 0 ? 'bad' : 'warn'), testid: 'expiry-warning' },
        o.days_to_expiry < 0 ? '执法证已过期' : '执法证 ' + o.days_to_expiry + ' 天后到期') : null;
      return h('tr', { testid: 'officer-row', class: warn ? 'warn' : undefined, dataset: { cert: o.cert_no, expiring: warn ? '1' : undefined } },
        td('姓名', o.name),
        td('执法证号', h('span', { class: 'mono' }, o.cert_no), 'nowrap'),
        td('角色', (o.roles || []).map(function (r) { return L.of(L.role, r); }).join('、') +
          (o.legal_qualification ? '（具有法律职业资格）' : '')),
        td('有效期', fmt.date(o.valid_from) + ' 至 ' + fmt.date(o.valid_to), 'nowrap'),
        td('状态', [o.status_label || o.status, o.may_act_today ? '' : '（今日不得执法）']),
        td('到期提醒', expiry || '—'));
    });
    var only = ZF.field({ name: 'expiring', label: '只看 ' + EXPIRY_WARN_DAYS + ' 天内到期', type: 'checkbox' });
    var tbl = table('officer-list', ['姓名', '执法证号', '角色', '有效期', '状态', '到期提醒'], rows);
    only.querySelector('input').addEventListener('change', function (ev) {
      rows.forEach(function (r) { r.hidden = ev.target.checked && !r.dataset.expiring; });
    });
    return h('div', null,
      h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, '执法人员')),
      expiring.length ? h('p', { class: 'warnbox', testid: 'expiry-summary', role: 'status' },
        expiring.length + ' 名执法人员的执法证将在 ' + EXPIRY_WARN_DAYS + ' 天内到期或已过期，请及时办理换证。') : null,
      h('div', { class: 'panel filters' },
        searchBox('q', '查找（姓名、执法证号）', function () { return rows; }), only),
      h('p', { class: 'muted' }, '共 ' + list.length + ' 人'),
      tbl);
  };

  /* ---- 当事人和车辆 ---- */
  ZF.pages.parties = async function (ctx) {
    ctx.title = '当事人和车辆';
    ZF.uncache('parties');
    ZF.uncache('vehicles');
    var got = await Promise.all([ZF.lists.parties(), ZF.lists.vehicles()]);
    var parties = got[0], vehicles = got[1], byId = ZF.byId(parties);
    var prow = parties.map(function (p) {
      return h('tr', { testid: 'party-row', dataset: { partyId: p.id } },
        td('名称', p.erased ? '（个人信息已删除）' : p.name),
        td('类型', p.kind_label || p.kind),
        td('证件号码', h('span', { class: 'mono' }, p.id_number || p.credit_code || '—')),
        td('法定代表人', p.legal_rep || '—'),
        td('电话', p.phone || '—'),
        td('住址', p.address || '—', 'wide'));
    });
    var vrow = vehicles.map(function (v) {
      var owner = byId[v.owner_id];
      return h('tr', { testid: 'vehicle-row', dataset: { plate: v.plate } },
        td('号牌', v.plate),
        td('车型', v.config_label || v.config),
        td('轴数', v.axles === null || v.axles === undefined ? '—' : String(v.axles)),
        td('所有人', owner ? (owner.erased ? '（个人信息已删除）' : owner.name) : '—'),
        td('型号', v.model || '—'));
    });
    return h('div', null,
      h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, '当事人和车辆')),
      h('div', { class: 'panel filters' },
        searchBox('q', '查找（名称、证件号码、号牌）', function () { return prow.concat(vrow); })),
      h('h2', null, '当事人（' + parties.length + '）'),
      table('party-list', ['名称', '类型', '证件号码', '法定代表人', '电话', '住址'], prow),
      h('h2', { class: 'mt' }, '车辆（' + vehicles.length + '）'),
      table('vehicle-list', ['号牌', '车型', '轴数', '所有人', '型号'], vrow));
  };

  /* ---- 违法行为 ---- */
  ZF.pages.violations = async function (ctx) {
    ctx.title = '违法行为';
    var list = await ZF.lists.violations();
    var rows = list.map(function (v) {
      return h('tr', { testid: 'violation-row', dataset: { code: v.code } },
        td('违法行为', h('a', { href: '#/violations/' + encodeURIComponent(v.code) }, v.name)),
        td('代码', h('span', { class: 'mono' }, v.code)),
        td('类别', v.category),
        td('可信度', v.confidence));
    });
    return h('div', null,
      h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, '违法行为')),
      h('p', { class: 'muted' }, '违法行为目录及其裁量基准。点击名称查看处罚依据、裁量档次和罚款幅度。'),
      h('div', { class: 'panel filters' }, searchBox('q', '查找', function () { return rows; })),
      table('violation-list', ['违法行为', '代码', '类别', '可信度'], rows));
  };

  ZF.pages.violation = async function (ctx) {
    var v = await ZF.lists.violation(ctx.params[0]);
    ctx.title = v.name;
    var facts = [
      ['代码', v.code], ['违反的规定', v.violated],
      ['追责期限', v.limitation_years ? v.limitation_years + ' 年（' + (v.limitation_basis || '') + '）' : '依《行政处罚法》第三十六条'],
      ['轻微不罚', v.minor_no_penalty ? '适用' : '不适用'], ['首违不罚', v.first_offence ? '列入清单' : '未列入'],
      ['公示', v.publicity]
    ];
    var versions = (v.versions || []).slice().reverse().map(function (ver) {
      return h('section', { class: 'panel', testid: 'violation-version' },
        h('h2', null, '裁量基准 ' + ver.from + ' 起' + (ver.to ? '，至 ' + ver.to : '（现行）')),
        h('dl', { class: 'facts' },
          h('dt', null, '处罚依据'), h('dd', null, ver.penalty_basis || '—'),
          h('dt', null, '处罚种类'), h('dd', null, (ver.kinds || []).map(function (k) { return L.of(L.penalty, k); }).join('、')),
          h('dt', null, '罚款幅度'), h('dd', null, fmt.yuan(ver.min_fen) + ' 至 ' + fmt.yuan(ver.max_fen) +
            (ver.person_max_fen ? '（公民最高 ' + fmt.yuan(ver.person_max_fen) + '）' : '')),
          ver.standard ? [h('dt', null, '裁量基准'), h('dd', null, ver.standard)] : null),
        (ver.levels || []).length ? table('discretion-levels', ['档次', '情形', '处罚种类', '罚款幅度'], ver.levels.map(function (lv) {
          return h('tr', { testid: 'discretion-level', dataset: { level: lv.code } },
            td('档次', lv.label), td('情形', lv.circumstances, 'wide'),
            td('处罚种类', (lv.kinds || []).map(function (k) { return L.of(L.penalty, k); }).join('、')),
            td('罚款幅度', lv.kinds && lv.kinds.indexOf('fine') >= 0 ? fmt.yuan(lv.min_fen) + ' 至 ' + fmt.yuan(lv.max_fen) : '—'));
        })) : null);
    });
    return h('div', null,
      h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, v.name), h('a', { href: '#/violations' }, '返回违法行为目录')),
      h('section', { class: 'panel' }, h('dl', { class: 'facts' }, facts.map(function (r) {
        return [h('dt', null, r[0]), h('dd', null, r[1] === undefined || r[1] === null ? '—' : String(r[1]))];
      }))),
      versions);
  };
})(window.ZF);
