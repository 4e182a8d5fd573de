/*
 * 设置 (the organisation's settings; the system administrator edits them,
 * PUT /api/v1/org/settings/{key}) and 账本 for auditors: the tree head,
 * verification, the entries with their exact bytes and inclusion proofs.
 */
'use strict';
(function (ZF) {
  var h = ZF.h, L = ZF.L, fmt = ZF.fmt;

  /* ---- 设置 ---- */
  var SERVER_ONLY = ['ledger_key_path'];
  var HINTS = {
    statement_window_working_days: '告知后当事人陈述申辩的期限',
    hearing_threshold_person_yuan: '对公民罚款达到该数额时应告知听证权利',
    hearing_threshold_org_yuan: '对法人或其他组织罚款达到该数额时应告知听证权利',
    doc_number_pattern: '可用 {abbr} 机构简称、{word} 文书字、{year} 年度、{seq} 序号',
    ledger_key_path: '只能在服务器上用 zhifa ledger keygen 设置',
    checkpoint_every_entries: '每写入该条数的账本条目自动签名一次检查点'
  };

  ZF.pages.settings = async function (ctx) {
    ctx.title = '设置';
    var settings = await ZF.api.get('/api/v1/org/settings');
    var org = ZF.session.org;
    var canEdit = ZF.can.settingsWrite();
    var keys = Object.keys(settings);
    function shown(key) { var v = settings[key]; return v === null || v === undefined || v === '' ? '（未设置）' : String(v); }
    /* read-only: one list; the system administrator gets a form per setting */
    var readonly = keys.filter(function (k) { return !canEdit || SERVER_ONLY.indexOf(k) >= 0; });
    var rows = [];
    if (readonly.length) {
      rows.push(h('section', { class: 'panel' }, h('h2', null, canEdit ? '只能在服务器上设置' : '机构设置'),
        h('dl', { class: 'facts' }, readonly.map(function (key) {
          return [h('dt', null, L.setting[key] || key),
            h('dd', { testid: 'setting', dataset: { key: key } }, h('span', { class: 'mono', testid: 'setting-value' }, shown(key)),
              HINTS[key] ? h('div', { class: 'small muted' }, HINTS[key]) : null)];
        }))));
    }
    keys.filter(function (k) { return readonly.indexOf(k) < 0; }).forEach(function (key) {
      var value = settings[key] === null || settings[key] === undefined ? '' : String(settings[key]);
      var form = h('form', { class: 'panel setting-row', testid: 'setting-form', dataset: { key: key }, novalidate: true },
        ZF.formError(),
        h('div', { class: 'fields' },
          ZF.field({ name: 'value', label: L.setting[key] || key, value: value, hint: HINTS[key], max: 1024 })),
        h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary', testid: 'setting-submit' }, '保存')));
      form.addEventListener('submit', async function (ev) {
        ev.preventDefault();
        var v = form.elements.value.value.trim();
        var res = await ZF.submitting(form, function () {
          return ZF.api.put('/api/v1/org/settings/' + encodeURIComponent(key), { value: v }, { idempotent: true });
        });
        if (res) {
          form.elements.value.value = res[key] === null || res[key] === undefined ? '' : String(res[key]);
          ZF.showNotice(form, '已保存。');
        }
      });
      rows.push(form);
    });
    return h('div', null,
      h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, '设置')),
      org ? h('section', { class: 'panel', testid: 'org' }, h('h2', null, org.name),
        h('dl', { class: 'facts' },
          h('dt', null, '行政区划代码'), h('dd', null, org.division_code),
          h('dt', null, '层级'), h('dd', null, org.level_label || org.level),
          h('dt', null, '文书简称'), h('dd', null, org.doc_abbr || '—'),
          h('dt', null, '账本哈希算法'), h('dd', null, String(org.hash_alg || '').toUpperCase()))) : null,
      canEdit ? null : h('p', { class: 'muted' }, '机构设置由系统管理员修改。'),
      rows);
  };

  /* ---- 账本 ---- */
  var PAGE = 50;
  ZF.pages.ledger = async function (ctx) {
    ctx.title = '账本';
    var org = ZF.session.org ? ZF.session.org.division_code : '';
    var head = await ZF.api.get('/api/v1/ledger/head');
    var oldest = head.size + 1;
    var tbody = h('tbody');
    var earlier = h('button', { type: 'button', class: 'btn', testid: 'ledger-more' }, '更早的条目');
    var verifyOut = h('div', { testid: 'verify-result', 'aria-live': 'polite' });
    var verifyBtn = h('button', { type: 'button', class: 'btn btn-primary', testid: 'ledger-verify' }, '核验账本');

    verifyBtn.addEventListener('click', async function () {
      verifyBtn.disabled = true;
      ZF.clear(verifyOut).appendChild(h('p', { class: 'muted' }, '正在核验……'));
      try {
        var r = await ZF.api.get('/api/v1/ledger/verify');
        ZF.clear(verifyOut).appendChild(h('div', { class: r.ok ? 'notice' : 'form-error', dataset: { ok: r.ok ? '1' : '0' } },
          r.ok ? '核验通过：' + r.entries + ' 条账本条目、' + r.objects + ' 个对象的序号、哈希链、默克尔树、检查点和当前状态一致。'
            : '核验发现问题：' + (r.problems || []).length + ' 项。'));
        if ((r.problems || []).length) verifyOut.appendChild(h('pre', null, JSON.stringify(r.problems, null, 2)));
      } catch (err) {
        ZF.clear(verifyOut).appendChild(ZF.failPanel(err));
      } finally {
        verifyBtn.disabled = false;
      }
    });

    function entryRow(e) {
      var detail = h('div', { hidden: true });
      var btn = h('button', { type: 'button', class: 'link-btn', 'aria-expanded': 'false' }, '详情');
      btn.addEventListener('click', async function () {
        detail.hidden = !detail.hidden;
        btn.setAttribute('aria-expanded', String(!detail.hidden));
        if (detail.hidden || detail.dataset.loaded) return;
        detail.dataset.loaded = '1';
        try {
          var full = await ZF.api.get('/api/v1/ledger/entries/' + e.seq);
          var proof = await ZF.api.raw('/public/ledger/proof?org=' + encodeURIComponent(org) + '&entry=' + e.seq)
            .then(function (t) { return JSON.stringify(JSON.parse(t), null, 2); })
            .catch(function (err) { return err.message; });
          detail.appendChild(h('p', { class: 'small' }, '条目原始字节（规范化 JSON），叶哈希 ', h('span', { class: 'mono' }, full.leaf_hash)));
          detail.appendChild(h('pre', { testid: 'entry-canonical' }, full.canonical));
          detail.appendChild(h('p', { class: 'small' }, '包含证明'));
          detail.appendChild(h('pre', { testid: 'proof' }, proof));
        } catch (err) {
          detail.appendChild(ZF.failPanel(err));
        }
      });
      var actor = e.actor ? (e.actor.user || '') + (e.actor.role ? '（' + L.of(L.role, e.actor.role) + '）' : '') : '—';
      return h('tr', { testid: 'ledger-entry', dataset: { seq: e.seq } },
        h('td', { 'data-label': '序号' }, String(e.seq)),
        h('td', { 'data-label': '操作' }, L.actionLabel(e.action), h('div', { class: 'small muted mono' }, e.action)),
        h('td', { 'data-label': '对象', class: 'wide' }, L.of(L.objectType, e.object_type) + ' ', h('span', { class: 'small muted mono' }, e.object_id)),
        h('td', { 'data-label': '操作人' }, actor),
        h('td', { 'data-label': '生效时间' }, fmt.instant(e.effective_at)),
        h('td', { 'data-label': '详情', class: 'wide' }, btn, detail));
    }

    async function loadEarlier() {
      if (oldest <= 1) { earlier.hidden = true; return; }
      var after = Math.max(0, oldest - 1 - PAGE);
      var limit = oldest - 1 - after;
      earlier.disabled = true;
      try {
        var list = await ZF.api.get('/api/v1/ledger/entries', { after: after, limit: limit });
        list.sort(function (a, b) { return b.seq - a.seq; }).forEach(function (e) { tbody.appendChild(entryRow(e)); });
        oldest = after + 1;
      } finally {
        earlier.disabled = false;
        earlier.hidden = oldest <= 1;
      }
    }
    earlier.addEventListener('click', loadEarlier);
    await loadEarlier();

    return h('div', null,
      h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, '账本')),
      h('section', { class: 'panel', testid: 'ledger-head' },
        h('h2', null, '当前树头'),
        h('dl', { class: 'facts' },
          h('dt', null, '条目数（树大小）'), h('dd', { testid: 'ledger-size' }, String(head.size)),
          h('dt', null, '根哈希'), h('dd', { class: 'mono' }, head.root_hex),
          h('dt', null, '哈希算法'), h('dd', null, String(head.alg || '').toUpperCase())),
        h('p', { class: 'small muted' }, '外部核验所需的签名检查点、公钥和包含证明可从 ',
          h('a', { href: '/public/ledger/checkpoint?org=' + encodeURIComponent(org) }, '检查点'), '、',
          h('a', { href: '/public/ledger/pubkey?org=' + encodeURIComponent(org) }, '公钥'),
          ' 获取，无须登录。'),
        h('div', { class: 'actions' }, verifyBtn), verifyOut),
      h('h2', null, '账本条目（最新在前）'),
      h('div', { class: 'table-wrap' }, h('table', { class: 'list', testid: 'ledger-entries' },
        h('thead', null, h('tr', null, ['序号', '操作', '对象', '操作人', '生效时间', '详情'].map(function (t) {
          return h('th', { scope: 'col' }, t);
        }))), tbody)),
      h('div', { class: 'actions' }, earlier));
  };
})(window.ZF);
