/*
 * 案件详情: header, clocks, documents, the detention (扣押) with its own
 * clocks, the discretion reasoning, the evidence (photo thumbnails, video
 * played in the browser, an upload form streaming the file to POST
 * /api/v1/cases/{id}/evidence), a timeline
 * of every step (officers, dates, its ledger entry with a link to its
 * inclusion proof), and the form of the next step (POST
 * /api/v1/cases/{id}/steps).  The transitions offered are those the
 * procedure allows from the case's state (ZF.L.from, from procedure.c) that
 * the user may take (api_case.c step_assigned); a refusal shows the law's
 * message in place and keeps what was typed.
 */
'use strict';
(function (ZF) {
  var h = ZF.h, L = ZF.L, fmt = ZF.fmt;

  /* ---- the fields of each transition ---- */
  var F = {
    officers: { name: 'officers', label: '执法人员（执法证号，用逗号分隔）', list: 'dl-step-officers', required: true,
      hint: '不少于两名持有效执法证的执法人员（《行政处罚法》第四十二条）' },
    approver: { name: 'approver', label: '审批负责人（执法证号）', list: 'dl-step-heads', required: true,
      hint: '须为当前登录的负责人本人，且不是本案执法人员' },
    reviewer: { name: 'reviewer', label: '法制审核人员（执法证号）', required: true, hint: '须为当前登录的法制审核人员本人' },
    note: { name: 'note', label: '取证情况', type: 'textarea', required: true, wide: true, max: 2000 },
    act_date: { name: 'act_date', label: '违法行为发生日期（更正时填写）', type: 'date' },
    result: { name: 'result', label: '审核结论', type: 'select', required: true, options: L.options(L.reviewResult, '请选择') },
    opinion: { name: 'opinion', label: '审核意见', type: 'textarea', required: true, wide: true, max: 2000 },
    kind: { name: 'kind', label: '处罚种类', type: 'select', required: true, options: L.options(L.penalty, '请选择') },
    amount: { name: 'amount', label: '罚款金额', type: 'yuan' },
    level: { name: 'level', label: '裁量档次', type: 'select', options: [['', '不指定']] },
    summary: { name: 'summary', label: '陈述申辩要点', type: 'textarea', required: true, wide: true, max: 2000 },
    accepted: { name: 'accepted', label: '陈述申辩意见成立，予以采纳', type: 'checkbox' },
    hearing_date: { name: 'hearing_date', label: '听证日期', type: 'date', required: true,
      hint: '应在举行听证的七日前通知当事人' },
    presider: { name: 'presider', label: '听证主持人（执法证号）', list: 'dl-step-officers', required: true,
      hint: '由非本案调查人员主持' },
    record: { name: 'record', label: '听证笔录摘要', type: 'textarea', required: true, wide: true, max: 4000 },
    conclusion: { name: 'conclusion', label: '集体讨论结论', type: 'textarea', required: true, wide: true, max: 2000 },
    days: { name: 'days', label: '延长天数', type: 'number', required: true, min: 1, step: 1, inputmode: 'numeric' },
    reason: { name: 'reason', label: '理由', type: 'textarea', required: true, wide: true, max: 1000 },
    pause_reason: { name: 'reason', label: '中止事由', type: 'select', required: true, options: L.options(L.pauseReason, '请选择') },
    no_penalty_reason: { name: 'reason', label: '不予处罚的理由', type: 'select', required: true,
      options: L.options(L.noPenaltyReason, '请选择') },
    explanation: { name: 'explanation', label: '说明', type: 'textarea', required: true, wide: true, max: 2000 },
    to: { name: 'to', label: '移送机关', required: true, max: 100 },
    method: { name: 'method', label: '送达方式', type: 'select', required: true,
      options: L.options(L.serviceMethod, '请选择').filter(function (o) { return o[0] !== 'on_spot'; }) },
    consent: { name: 'consent', label: '当事人已同意电子送达并签订确认书', type: 'checkbox' },
    refused_to_sign: { name: 'refused_to_sign', label: '当事人拒绝签收', type: 'checkbox' },
    how: { name: 'how', label: '强制执行方式', type: 'select', required: true, options: L.options(L.enforceHow, '请选择') },
    enforce_note: { name: 'note', label: '执行情况', type: 'textarea', required: true, wide: true, max: 1000 },
    appeal_kind: { name: 'kind', label: '救济途径', type: 'select', required: true, options: L.options(L.appealKind, '请选择') },
    outcome: { name: 'outcome', label: '结果', type: 'select', required: true, options: L.options(L.appealOutcome, '请选择') },
    close_summary: { name: 'summary', label: '结案报告摘要', type: 'textarea', required: true, wide: true, max: 2000 },
    text: { name: 'text', label: '备注内容', type: 'textarea', required: true, wide: true, max: 2000 },
    /* 扣押 (行政强制法 Arts. 18-28, 公路安全保护条例 Art. 72) */
    detain_items: { name: 'text', label: '扣押物品（车辆、工具）', type: 'textarea', required: true, wide: true, max: 2000,
      hint: '写明号牌、车型、数量等，据此出具扣押物品清单' },
    detain_place: { name: 'to', label: '保管场所', required: true, max: 100 },
    detain_reason: { name: 'reason', label: '扣押理由及依据', type: 'textarea', required: true, wide: true, max: 1000 },
    emergency: { name: 'emergency', label: '情况紧急，当场实施扣押', type: 'checkbox', wide: true,
      hint: '须在 24 小时内向负责人报告并补办批准手续（《行政强制法》第十九条）；勾选后不填审批负责人' },
    detain_approver: { name: 'approver', label: '批准扣押的负责人（执法证号）', list: 'dl-step-heads',
      hint: '由负责人本人登录填写（《行政强制法》第十八条）' },
    detention_head: { name: 'approver', label: '审批负责人（执法证号）', list: 'dl-step-heads', required: true,
      hint: '须为当前登录的负责人本人' },
    detention_days: { name: 'days', label: '延长扣押天数', type: 'number', required: true, min: 1, step: 1, inputmode: 'numeric',
      hint: '最多延长 30 日，且只能延长一次（《行政强制法》第二十五条）' },
    extend_reason: { name: 'reason', label: '延长理由', type: 'textarea', required: true, wide: true, max: 1000,
      hint: '延长的决定应当书面告知当事人并说明理由' },
    release_reason: { name: 'reason', label: '解除扣押的理由', type: 'textarea', required: true, wide: true, max: 1000 },
    notice_text: { name: 'text', label: '公告内容', type: 'textarea', required: true, wide: true, max: 2000,
      hint: '当事人逾期不接受处理的，公告三个月（《公路安全保护条例》第七十二条）' },
    dispose_note: { name: 'note', label: '处理情况', type: 'textarea', required: true, wide: true, max: 2000,
      hint: '公告期满当事人仍不来接受处理的，方可依法处理' },
    optional_approver: { name: 'approver', label: '负责人（执法证号，可不填）', list: 'dl-step-heads',
      hint: '填写时须为当前登录的负责人本人，并记入本环节' },
    /* 抄告车籍地 (超限运输车辆行驶公路管理规定第四十四条) */
    authority: { name: 'authority', label: '抄告机关（车籍地道路运输管理机构）', required: true, max: 100,
      hint: '结案后七个工作日内抄告（超限运输车辆行驶公路管理规定第四十四条）' },
    channel: { name: 'channel', label: '抄告途径', max: 100, hint: '如：全国治超联网管理信息系统' },
    date: { name: 'date', label: '办理日期', type: 'date', hint: '不填为今天；补录时填写实际日期，不得早于上一环节' }
  };

  /*
   * Who a transition names (api_case.c takes_table) and its parameters.
   * approver 'optional': the step may name a head (the field approverField)
   * but need not; it is offered to the case's officers and to heads.
   */
  var STEP = {
    file: { officers: 1, approver: 1 },
    evidence: { officers: 1, fields: ['note', 'act_date'] },
    legal_review: { reviewer: 1, fields: ['result', 'opinion'] },
    notify: { officers: 1, fields: ['kind', 'amount', 'level'] },
    statement: { fields: ['summary', 'accepted'] },
    waive: {},
    request_hearing: {},
    schedule_hearing: { officers: 1, fields: ['hearing_date', 'presider'] },
    hold_hearing: { fields: ['record'] },
    collective: { fields: ['conclusion'] },
    extend: { approver: 1, fields: ['days', 'reason'] },
    pause: { fields: ['pause_reason'] },
    resume: {},
    approve: { approver: 1, fields: ['kind', 'amount'] },
    decide: { officers: 1 },
    decide_no_penalty: { approver: 1, fields: ['no_penalty_reason', 'explanation'] },
    revoke: { approver: 1, fields: ['reason'] },
    transfer: { approver: 1, fields: ['to', 'reason'] },
    terminate: { approver: 1, fields: ['reason'] },
    serve: { officers: 1, fields: ['method', 'consent'] },
    deliver: { officers: 1, fields: ['refused_to_sign'] },
    record: {},
    pay: { fields: ['amount'] },
    enforce: { officers: 1, fields: ['how', 'enforce_note'] },
    appeal: { fields: ['appeal_kind'] },
    appeal_outcome: { fields: ['outcome', 'amount'] },
    close: { approver: 1, fields: ['close_summary'] },
    report_overload: { fields: ['authority', 'channel'] },
    archive: {},
    note: { fields: ['text'] },
    detain: { officers: 1, approver: 'optional', approverField: 'detain_approver',
      fields: ['detain_items', 'detain_place', 'detain_reason', 'emergency'] },
    approve_detention: { approver: 1, approverField: 'detention_head' },
    extend_detention: { approver: 1, approverField: 'detention_head', fields: ['detention_days', 'extend_reason'] },
    release_detention: { approver: 'optional', approverField: 'optional_approver', fields: ['release_reason'] },
    notice_detention: { fields: ['notice_text'] },
    dispose_detention: { approver: 'optional', approverField: 'optional_approver', fields: ['dispose_note'] }
  };
  var BOOLS = ['accepted', 'consent', 'refused_to_sign', 'emergency'];
  var DETENTION_CLOCKS = ['detention', 'detention_approval', 'disposal_notice'];

  /* Transitions the user may take now. */
  function allowedSteps(doc) {
    if (!ZF.can.caseWrite()) return [];
    var me = ZF.session.me.officer_id;
    var mine = !!me && (doc.officers || []).indexOf(me) >= 0;
    var head = ZF.has('head'), reviewer = ZF.has('legal_reviewer');
    var ok = L.transitionsFrom(doc.procedure, doc.state).filter(function (t) {
      var s = STEP[t];
      if (!s) return false;
      /* only a case found by weighing is reported, once (62号令第四十四条) */
      if (t === 'report_overload' && (!doc.weighing || doc.overload_report)) return false;
      if (s.approver === 'optional') return mine || head;
      if (s.approver) return head;
      if (s.reviewer) return reviewer;
      if (s.officers) return mine;
      return mine || head;
    });
    /* the steps that name the user in their own capacity first, notes last */
    function rank(t) {
      var s = STEP[t];
      if (t === 'note') return 2;
      return (s.approver && head) || (s.reviewer && reviewer) || (s.officers && mine) ? 0 : 1;
    }
    return ok.map(function (t, i) { return [rank(t), i, t]; })
      .sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; })
      .map(function (x) { return x[2]; });
  }

  function yuanInput(fen) { return fen === undefined || fen === null ? '' : (fen / 100).toFixed(2); }

  ZF.pages.caseDetail = async function (ctx) {
    ctx.title = '案件详情';
    var key = ctx.params[0];
    var got = await Promise.all([
      ZF.api.get('/api/v1/cases/' + encodeURIComponent(key)),
      ZF.lists.officers(), ZF.lists.parties(), ZF.lists.vehicles(), ZF.lists.violations()
    ]);
    var officers = got[1];
    var R = {
      officerById: ZF.byId(officers), officerByCert: ZF.byId(officers, 'cert_no'),
      parties: ZF.byId(got[2]), vehicles: ZF.byId(got[3]), violations: ZF.byId(got[4], 'code'),
      violation: null
    };
    var doc = got[0];
    if (doc.violation) R.violation = await ZF.lists.violation(doc.violation).catch(function () { return null; });
    /* what was typed in the step form, per transition, until a step succeeds */
    var memory = {};
    var page = h('div');

    function officer(idOrCert) {
      var o = R.officerById[idOrCert] || R.officerByCert[idOrCert];
      return o ? o.name + '（' + o.cert_no + '）' : (idOrCert || '—');
    }
    function officerList(ids) {
      return (ids || []).length ? ids.map(officer).join('、') : '—';
    }
    function cert(id) { var o = R.officerById[id]; return o ? o.cert_no : id; }
    function levelLabel(code) {
      var lv = (ZF.currentVersion(R.violation).levels || []).filter(function (l) { return l.code === code; })[0];
      return lv ? lv.label + '（' + lv.circumstances + '）' : code;
    }
    function penaltyText(p) {
      if (!p) return '—';
      if (p.outcome === 'no_penalty') return '不予处罚：' + L.of(L.noPenaltyReason, p.reason);
      return L.of(L.penalty, p.kind) + (p.kind === 'fine' ? ' ' + fmt.yuan(p.amount_fen) : '');
    }

    /* ---- header ---- */
    function header(doc) {
      var p = R.parties[doc.party_id], v = R.vehicles[doc.vehicle_id], vi = R.violations[doc.violation];
      var rows = [
        ['违法行为', vi ? vi.name : doc.violation],
        ['当事人', p ? (p.erased ? '（个人信息已删除）' : p.name + '（' + (p.id_number || p.credit_code || '') + '）') : '—'],
        ['车辆', v ? v.plate + '（' + (v.config_label || v.config) + '）' : null],
        ['违法日期', fmt.date(doc.act_date)],
        ['地点', doc.place],
        ['违法事实', doc.facts],
        ['案件来源', doc.source ? L.of(L.source, doc.source) : null],
        ['裁量档次', doc.level ? levelLabel(doc.level) : null],
        ['承办人员', officerList(doc.officers)],
        ['发现（登记）日期', doc.discovered_date],
        ['立案日期', doc.filed_date],
        ['告知', doc.notice ? penaltyText(doc.notice) + '（' + doc.notice.date + '）' +
          (doc.notice.hearing_right ? '，已告知听证权利' : '') + (doc.notice.waived ? '，当事人放弃陈述申辩和听证' : '') : null],
        ['处罚决定', doc.decision ? penaltyText(doc.decision) + (doc.decision.number ? '，' + doc.decision.number : '') +
          '（' + doc.decision.date + '）' : null],
        ['送达', doc.service ? L.of(L.serviceMethod, doc.service.method) + '（' + doc.service.date + '）' +
          (doc.service.late ? '，超过送达期限' : '') : null],
        ['缴纳罚款', doc.payment ? fmt.yuan(doc.payment.amount_fen) + (doc.payment.surcharge_fen ? '，含加处罚款 ' +
          fmt.yuan(doc.payment.surcharge_fen) : '') + '（' + doc.payment.date + '）' : null],
        ['结案日期', doc.closed_date],
        ['归档日期', doc.archived_date]
      ];
      var flags = Object.keys(doc.flags || {}).filter(function (k) { return doc.flags[k]; })
        .map(function (k) { return { major: '重大案件', complex: '疑难复杂', serious: '情节严重', harm: '有危害后果' }[k] || k; });
      if (flags.length) rows.push(['案件标记', flags.join('、')]);
      return h('section', { class: 'panel span', 'aria-labelledby': 'case-h1' },
        h('div', { class: 'page-head' },
          h('h1', { id: 'case-h1', tabindex: '-1' }, '案件详情'),
          h('a', { href: '#/cases' }, '返回案件列表')),
        h('p', { class: 'row' },
          h('span', { class: 'doc-number', testid: 'case-number' }, doc.number || '线索（未立案）'),
          h('span', { class: 'badge state', testid: 'case-state', dataset: { state: doc.state } }, doc.state_label || L.of(L.state, doc.state)),
          h('span', { class: 'badge' }, L.of(L.procedure, doc.procedure))),
        h('dl', { class: 'facts' }, rows.filter(function (r) { return r[1]; }).map(function (r) {
          return [h('dt', null, r[0]), h('dd', null, r[1])];
        })));
    }

    function clocks(doc) {
      var list = doc.clocks || [];
      return h('section', { class: 'panel', 'aria-labelledby': 'h-clocks' },
        h('h2', { id: 'h-clocks' }, '期限'),
        list.length ? h('ul', { class: 'cards', testid: 'clocks' }, list.map(function (c) {
          var cd = ZF.countdown(c);
          return h('li', { class: 'card', testid: 'clock', dataset: { kind: c.kind, status: c.status, urgency: cd.urgency } },
            h('h3', null, c.label || c.kind), ZF.dueButton(c));
        })) : h('p', { class: 'muted' }, '暂无期限。'));
    }

    function documents(doc) {
      var list = doc.documents || [];
      return h('section', { class: 'panel', 'aria-labelledby': 'h-docs' },
        h('h2', { id: 'h-docs' }, '文书'),
        list.length ? h('ul', { class: 'docs', testid: 'documents' }, list.map(function (d) {
          return h('li', { testid: 'document', dataset: { kind: d.kind, number: d.number, status: d.status } },
            h('div', null, L.of(L.document, d.kind), '：', h('span', { class: 'doc-number' }, d.number)),
            h('div', { class: 'small muted' }, '出具日期 ' + fmt.date(d.issued_on),
              d.status === 'void' ? h('span', { class: 'badge bad' }, '已作废：' + (d.void_reason || '')) : null));
        })) : h('p', { class: 'muted' }, '尚未出具文书。'));
    }

    /* The discretion reasoning: the case's own if it has one, else what the standard gives. */
    function discretion(doc) {
      var box = h('section', { class: 'panel span', testid: 'discretion', 'aria-labelledby': 'h-disc', hidden: true },
        h('h2', { id: 'h-disc' }, '裁量说明'));
      function show(d, computed) {
        box.hidden = false;
        if (computed) box.appendChild(h('p', { class: 'small muted' }, '按裁量基准计算（裁量档次“' + levelLabel(doc.level) + '”）'));
        box.appendChild(h('dl', { class: 'facts' },
          h('dt', null, '处罚种类'), h('dd', null, (d.kinds || []).map(function (k) { return L.of(L.penalty, k); }).join('、') || '—'),
          h('dt', null, '罚款幅度'), h('dd', null, fmt.yuan(d.min_fen) + ' 至 ' + fmt.yuan(d.max_fen)),
          d.suggested_fen ? [h('dt', null, '建议罚款'), h('dd', null, fmt.yuan(d.suggested_fen))] : null,
          d.basis ? [h('dt', null, '处罚依据'), h('dd', null, d.basis)] : null));
        if ((d.reasons || []).length) box.appendChild(h('ol', null, d.reasons.map(function (r) { return h('li', null, r); })));
      }
      if (doc.discretion) { show(doc.discretion, false); return box; }
      var p = R.parties[doc.party_id];
      if (doc.violation && doc.level && doc.act_date && p) {
        var n = doc.decision || doc.notice;
        var body = { violation: doc.violation, act_date: doc.act_date, party_kind: p.kind, level: doc.level };
        if (n && n.kind === 'fine' && n.amount_fen) body.amount_fen = n.amount_fen;
        ZF.api.post('/api/v1/discretion/proposals', body).then(function (d) { show(d, true); }).catch(function () {});
      }
      return box;
    }

    /* ---- evidence: thumbnails, video in the browser, upload ---- */
    var KINDS = [['photo', '照片'], ['video', '视频'], ['audio', '录音'], ['scan', '扫描件'], ['document', '文件']];
    function evidence(doc) {
      var section = h('section', { class: 'panel span', testid: 'evidence', 'aria-labelledby': 'h-evidence' },
        h('h2', { id: 'h-evidence' }, '证据'));
      var list = h('ul', { class: 'cards evidence-list' });
      var empty = h('p', { class: 'muted' }, '正在获取证据……');
      section.appendChild(empty);
      section.appendChild(list);
      function item(e) {
        var src = '/api/v1/evidence/' + encodeURIComponent(e.id) + '/content?inline=1';
        var media = null;
        if (e.status === 'stored' && e.kind === 'photo')
          media = h('img', { loading: 'lazy', src: src, alt: '照片：' + (e.original_name || ''), width: 240 });
        else if (e.status === 'stored' && e.kind === 'video')
          media = h('video', { controls: true, preload: 'none', src: src, width: 320 });
        else if (e.status === 'stored' && e.kind === 'audio')
          media = h('audio', { controls: true, preload: 'none', src: src });
        return h('li', { class: 'card', testid: 'evidence-item', dataset: { kind: e.kind, id: e.id } },
          media,
          h('div', null, e.kind_label || e.kind, '：', e.original_name || ''),
          h('div', { class: 'small muted' }, '拍摄 ' + (e.captured_at_iso || '') + (e.device ? ' · ' + e.device : '') +
            ' · ' + Math.max(1, Math.round((e.size || 0) / 1024)) + ' KB'),
          e.status === 'stored'
            ? h('a', { href: '/api/v1/evidence/' + encodeURIComponent(e.id) + '/content', download: e.original_name || '' }, '下载')
            : h('span', { class: 'badge' }, '文件已按保存期限删除'));
      }
      function load() {
        ZF.api.get('/api/v1/cases/' + encodeURIComponent(doc.id) + '/evidence').then(function (r) {
          ZF.clear(list);
          (r.items || []).forEach(function (e) { list.appendChild(item(e)); });
          empty.textContent = (r.items || []).length ? '' : '尚无证据。';
          empty.hidden = !!(r.items || []).length;
        }).catch(function (e) { empty.textContent = e.message || String(e); });
      }
      load();
      if (ZF.can.caseWrite()) {
        var form = h('form', { testid: 'evidence-upload', novalidate: true },
          ZF.formError(),
          h('div', { class: 'fields' },
            h('div', { class: 'field', dataset: { field: 'file' } },
              h('label', { for: 'f-evidence-file', class: 'req' }, '文件'),
              h('input', { id: 'f-evidence-file', type: 'file', name: 'file' })),
            ZF.field({ name: 'kind', label: '种类', type: 'select', options: KINDS }),
            ZF.field({ name: 'device', label: '执法记录仪编号', placeholder: 'DSJ-01' })),
          h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary', testid: 'evidence-submit' }, '上传')));
        form.elements.file.addEventListener('change', function () {
          var f = form.elements.file.files[0];
          if (!f) return;
          var t = f.type || '';
          form.elements.kind.value = /^image\//.test(t) ? 'photo' : /^video\//.test(t) ? 'video' :
            /^audio\//.test(t) ? 'audio' : form.elements.kind.value;
        });
        form.addEventListener('submit', async function (ev) {
          ev.preventDefault();
          var f = form.elements.file.files[0];
          if (!f) { ZF.clearErrors(form); ZF.showError(form, { message: '请选择要上传的文件', field: 'file' }); return; }
          var params = { kind: form.elements.kind.value, device: String(form.elements.device.value).trim(), name: f.name };
          /* no captured_at: a file's modification time is when it was copied, not
             shot; the server records the upload time */
          var r = await ZF.submitting(form, function () {
            return ZF.api.upload('/api/v1/cases/' + encodeURIComponent(doc.id) + '/evidence', params, f);
          });
          if (!r) return;
          form.reset();
          ZF.showNotice(form, '已上传“' + (r.original_name || f.name) + '”。');
          load();
        });
        section.appendChild(form);
      }
      return section;
    }

    /* ---- 扣押: the detention beside the procedure, with its clocks ---- */
    function detention(doc) {
      var d = doc.detention;
      if (!d) return null;
      var v = R.vehicles[d.vehicle_id];
      var approval;
      if (!d.emergency) approval = officer(d.approver) + '批准（' + fmt.date(d.approved_date) + '）';
      else if (d.approved_date) approval = '情况紧急当场实施，' + officer(d.approver) + '于 ' + d.approved_date + ' 补办批准手续';
      else approval = '情况紧急当场实施，尚未补办批准手续（《行政强制法》第十九条）';
      var rows = [
        ['扣押日期', fmt.date(d.date), 'detention-date'],
        ['决定书', d.number, 'detention-number'],
        ['扣押物品', d.items, 'detention-items'],
        ['车辆', v ? v.plate : null],
        ['保管场所', d.place, 'detention-place'],
        ['扣押理由', d.reason],
        ['执法人员', officerList(d.officers)],
        ['批准', approval, 'detention-approval']
      ];
      var x = d.extension;
      if (x) rows.push(['延长', '延长 ' + x.days + ' 日（' + x.date + '，' + officer(x.approver) + '批准）：' + (x.reason || ''),
        'detention-extension']);
      var n = d.notice;
      if (n) rows.push(['公告', n.date + '：' + (n.text || ''), 'detention-notice']);
      var r = d.release;
      if (r) rows.push(['解除扣押', r.date + '：' + (r.reason || '') + (r.late ? '（超过扣押期限）' : '') +
        (r.approver ? '；负责人 ' + officer(r.approver) : ''), 'detention-release']);
      var p = d.disposal;
      if (p) rows.push(['依法处理', p.date + '：' + (p.note || '') + (p.approver ? '；负责人 ' + officer(p.approver) : ''),
        'detention-disposal']);
      var list = (doc.clocks || []).filter(function (c) { return DETENTION_CLOCKS.indexOf(c.kind) >= 0; });
      return h('section', { class: 'panel span', testid: 'detention', dataset: { status: d.status },
        'aria-labelledby': 'h-detention' },
        h('h2', { id: 'h-detention' }, '扣押 ',
          h('span', { class: 'badge' + (d.status === 'detained' || d.status === 'noticed' ? ' warn' : ''),
            testid: 'detention-status', dataset: { status: d.status } }, L.of(L.detentionStatus, d.status))),
        h('dl', { class: 'facts' }, rows.filter(function (row) { return row[1]; }).map(function (row) {
          return [h('dt', null, row[0]), h('dd', { testid: row[2] }, row[1])];
        })),
        list.length ? h('ul', { class: 'cards' }, list.map(function (c) {
          var cd = ZF.countdown(c);
          return h('li', { class: 'card', testid: 'detention-clock', dataset: { kind: c.kind, status: c.status, urgency: cd.urgency } },
            h('h3', null, c.label || c.kind), ZF.dueButton(c));
        })) : null);
    }

    /* ---- timeline ---- */
    function paramRows(s) {
      var p = s.params || {}, rows = [];
      var names = {
        violation: '违法行为', act_date: '违法日期', place: '地点', facts: '违法事实', source: '来源', level: '裁量档次',
        kind: s.transition === 'appeal' ? '救济途径' : '处罚种类', amount_fen: '金额', form_number: '预印文书编号',
        note: '情况', result: '审核结论', opinion: '审核意见', summary: s.transition === 'close' ? '结案报告' : '要点',
        accepted: '采纳', hearing_date: '听证日期', presider: '主持人', record: '听证笔录', conclusion: '结论',
        days: '延长天数', reason: '理由', explanation: '说明', to: '移送机关', method: '送达方式',
        consent: '同意电子送达', refused_to_sign: '拒绝签收', how: '执行方式', outcome: '结果', text: '备注',
        party_id: '当事人', vehicle_id: '车辆', emergency: '情况紧急，当场实施',
        authority: '抄告机关', channel: '抄告途径'
      };
      var own = {
        detain: { text: '扣押物品', to: '保管场所', reason: '扣押理由' },
        extend_detention: { days: '延长扣押天数', reason: '延长理由' },
        release_detention: { reason: '解除理由' },
        notice_detention: { text: '公告内容' },
        dispose_detention: { note: '处理情况' }
      }[s.transition] || {};
      Object.keys(p).forEach(function (k) {
        var v = p[k];
        if (v === null || v === undefined || v === '' || k === 'flags' || k === 'id' || k === 'org_id') return;
        if (k === 'amount_fen') v = fmt.yuan(v);
        else if (k === 'kind') v = s.transition === 'appeal' ? L.of(L.appealKind, v) : L.of(L.penalty, v);
        else if (k === 'level') v = levelLabel(v);
        else if (k === 'violation') v = R.violations[v] ? R.violations[v].name : v;
        else if (k === 'result') v = L.of(L.reviewResult, v);
        else if (k === 'method') v = L.of(L.serviceMethod, v);
        else if (k === 'how') v = L.of(L.enforceHow, v);
        else if (k === 'outcome') v = L.of(L.appealOutcome, v);
        else if (k === 'source') v = L.of(L.source, v);
        else if (k === 'presider') v = officer(v);
        else if (k === 'party_id') v = R.parties[v] ? R.parties[v].name : v;
        else if (k === 'vehicle_id') v = R.vehicles[v] ? R.vehicles[v].plate : v;
        else if (k === 'reason' && s.transition === 'pause') v = L.of(L.pauseReason, v);
        else if (k === 'reason' && s.transition === 'decide_no_penalty') v = L.of(L.noPenaltyReason, v);
        else if (typeof v === 'boolean') v = v ? '是' : '否';
        rows.push([own[k] || names[k] || k, String(v)]);
      });
      return rows;
    }

    /* The proof element exists only while open, so the one on screen is the one asked for. */
    function proofLink(seq) {
      var org = ZF.session.org ? ZF.session.org.division_code : '';
      var url = '/public/ledger/proof?org=' + encodeURIComponent(org) + '&entry=' + encodeURIComponent(seq);
      var a = h('a', { href: url, testid: 'proof-link', 'aria-expanded': 'false' }, '包含证明');
      var holder = h('div', { class: 'proof-holder' });
      var pre = null;
      a.addEventListener('click', async function (ev) {
        ev.preventDefault();
        if (pre) { pre.remove(); pre = null; a.setAttribute('aria-expanded', 'false'); return; }
        var mine = pre = h('pre', { testid: 'proof', tabindex: '0', 'aria-label': '账本第 ' + seq + ' 条的包含证明' }, '正在获取……');
        holder.appendChild(pre);
        a.setAttribute('aria-expanded', 'true');
        try {
          mine.textContent = JSON.stringify(JSON.parse(await ZF.api.raw(url)), null, 2);
        } catch (err) {
          mine.textContent = err.message;
        }
      });
      return [a, holder];
    }

    function timeline(doc) {
      var steps = doc.steps || [];
      return h('section', { class: 'panel span', 'aria-labelledby': 'h-steps' },
        h('h2', { id: 'h-steps' }, '办理过程'),
        h('ol', { class: 'timeline', testid: 'timeline' }, steps.map(function (s) {
          var people = [];
          if ((s.officers || []).length) people.push('执法人员：' + officerList(s.officers));
          if (s.approver) people.push('审批：' + officer(s.approver));
          if (s.reviewer) people.push('法制审核：' + officer(s.reviewer));
          var rows = paramRows(s);
          return h('li', { testid: 'timeline-step', dataset: { transition: s.transition, n: s.n } },
            h('div', { class: 'step-title' }, L.of(L.transition, s.transition),
              s.to && s.to !== s.from ? h('span', { class: 'small muted' }, ' → ' + L.of(L.state, s.to)) : null),
            h('div', { class: 'step-meta' }, '日期 ', h('span', { testid: 'step-date' }, fmt.date(s.date)),
              ' · 记录于 ' + fmt.instant(s.recorded_at) + (s.actor ? ' · 操作用户 ' + s.actor : '')),
            people.length ? h('div', null, people.join('；')) : null,
            rows.length ? h('dl', { class: 'facts small' }, rows.map(function (r) {
              return [h('dt', null, r[0]), h('dd', null, r[1])];
            })) : null,
            s.ledger_seq ? (function () {
              var p = proofLink(s.ledger_seq);
              return [h('div', { class: 'row small' },
                h('span', null, '账本序号 ', h('strong', { testid: 'ledger-seq' }, String(s.ledger_seq))), p[0]), p[1]];
            })() : null);
        })));
    }

    /* ---- the next step ---- */
    function defaults(t, doc) {
      var d = {};
      var isHead = ZF.has('head'), me = ZF.session.officer;
      d.officers = (doc.officers || []).map(cert).join(',');
      d.approver = isHead && me ? me.cert_no : '';
      d.reviewer = ZF.has('legal_reviewer') && me ? me.cert_no : '';
      var n = doc.notice || {};
      if (t === 'notify') { d.kind = n.kind || ''; d.amount = yuanInput(n.amount_fen || null); d.level = doc.level || ''; }
      if (t === 'approve') { d.kind = n.kind || ''; d.amount = n.kind === 'fine' ? yuanInput(n.amount_fen) : ''; }
      if (t === 'pay') {
        var pay = (doc.clocks || []).filter(function (c) { return c.kind === 'payment'; })[0] || {};
        var fine = (doc.decision || {}).amount_fen || 0;
        d.amount = fine ? yuanInput(fine + (pay.surcharge_fen || 0)) : '';
      }
      if (t === 'legal_review') d.result = 'pass';
      return d;
    }

    function stepForm(doc, notice) {
      var steps = allowedSteps(doc);
      var section = h('section', { class: 'panel span', 'aria-labelledby': 'h-next' }, h('h2', { id: 'h-next' }, '办理下一环节'));
      if (!steps.length) {
        section.appendChild(h('p', { class: 'muted', testid: 'no-steps' }, doc.state === 'archived' && !ZF.can.caseWrite()
          ? '案件已归档。' : '当前用户在本案现阶段没有可以办理的环节。'));
        if (notice) section.insertBefore(h('p', { class: 'notice', testid: 'notice', role: 'status' }, notice), section.children[1]);
        return section;
      }
      var select = ZF.field({ name: 'transition', label: '环节', type: 'select', testid: 'transition-select', required: true,
        options: steps.map(function (t) { return [t, L.transition[t]]; }) });
      var box = h('div', { class: 'fields' });
      var form = h('form', { testid: 'step-form', novalidate: true },
        notice ? h('p', { class: 'notice', testid: 'notice', role: 'status' }, notice) : null,
        ZF.formError(),
        h('div', { class: 'fields' }, select),
        box,
        h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary', testid: 'step-submit' }, '提交')),
        ZF.datalist('dl-step-officers', officers.filter(function (o) { return o.may_act_today; })
          .map(function (o) { return [o.cert_no, o.name]; })),
        ZF.datalist('dl-step-heads', officers.filter(function (o) { return (o.roles || []).indexOf('head') >= 0; })
          .map(function (o) { return [o.cert_no, o.name + '（负责人）']; })));
      var current = null;

      function remember() {
        if (!current) return;
        var m = memory[current] = {};
        box.querySelectorAll('[name]').forEach(function (e) { m[e.name] = e.type === 'checkbox' ? e.checked : e.value; });
      }
      function build() {
        remember();
        ZF.clearErrors(form);
        var t = form.elements.transition.value;
        current = t;
        var spec = STEP[t] || {}, def = defaults(t, doc), mem = memory[t] || {};
        var keys = [].concat(spec.officers ? ['officers'] : [], spec.approver ? [spec.approverField || 'approver'] : [],
          spec.reviewer ? ['reviewer'] : [], spec.fields || [], ['date']);
        ZF.clear(box);
        keys.forEach(function (k) {
          var f = Object.assign({}, F[k]);
          var v = mem[f.name] !== undefined ? mem[f.name] : def[f.name];
          if (v !== undefined) f.value = v;
          if (k === 'amount' && t === 'appeal_outcome') f.hint = '结果为“变更”时填写变更后的罚款';
          if (k === 'amount' && t === 'pay') f.hint = '罚款加上已产生的加处罚款，须与应缴金额一致';
          if (k === 'kind' && R.violation) {
            var kinds = ZF.currentVersion(R.violation).kinds;
            if (kinds && kinds.length) f.options = [['', '请选择']].concat(kinds.map(function (c) { return [c, L.of(L.penalty, c)]; }));
          }
          box.appendChild(ZF.field(f));
          if (k === 'level') ZF.fillLevels(box.querySelector('[name="level"]'), doc.violation, f.value || '');
        });
        if (!spec.fields && !spec.officers && !spec.approver && !spec.reviewer)
          box.insertBefore(h('p', { class: 'field wide muted' }, '此环节无须填写其他内容。'), box.firstChild);
        /* an emergency detention names no approver: the head approves afterwards */
        var em = box.querySelector('[name="emergency"]'), ap = box.querySelector('[name="approver"]');
        if (em && ap) {
          var sync = function () { ap.closest('.field').hidden = em.checked; };
          em.addEventListener('change', sync);
          sync();
        }
      }
      form.elements.transition.addEventListener('change', build);
      build();

      form.addEventListener('submit', async function (ev) {
        ev.preventDefault();
        var t = form.elements.transition.value, spec = STEP[t] || {};
        var body = { transition: t }, params = {};
        var bad = null;
        box.querySelectorAll('[name]').forEach(function (e) {
          var name = e.name, v = e.type === 'checkbox' ? e.checked : String(e.value).trim();
          if (e.closest('.field') && e.closest('.field').hidden) return;
          if (e.dataset.kind === 'date') v = fmt.normDate(v);
          if (name === 'officers') { var list = ZF.splitList(v); if (list.length) body.officers = list; return; }
          if (name === 'approver' || name === 'reviewer' || name === 'date') { if (v) body[name] = v; return; }
          if (BOOLS.indexOf(name) >= 0) { if (v) params[name] = true; return; }
          if (v === '') return;
          if (name === 'amount') {
            var fen = fmt.toFen(v);
            if (fen === null) bad = bad || { message: '金额应为以元为单位的数字，最多两位小数，如 3000 或 3000.50', field: 'amount' };
            else params.amount_fen = fen;
            return;
          }
          if (name === 'days') {
            if (!/^\d+$/.test(v)) bad = bad || { message: '延长天数应为整数', field: 'days' };
            else params.days = Number(v);
            return;
          }
          params[name] = v;
        });
        if (bad) { ZF.clearErrors(form); ZF.showError(form, bad); return; }
        if (Object.keys(params).length || spec.fields) body.params = params;
        var updated = await ZF.submitting(form, function () {
          return ZF.api.post('/api/v1/cases/' + encodeURIComponent(doc.id) + '/steps', body, { idempotent: true });
        });
        if (!updated) return;
        memory = {};
        render(updated, '已办理“' + L.transition[t] + '”，案件状态：' + (updated.state_label || L.of(L.state, updated.state)) + '。');
      });
      section.appendChild(form);
      return section;
    }

    function render(d, notice) {
      doc = d;
      ZF.clear(page);
      page.appendChild(h('div', { class: 'case-grid' },
        header(d), clocks(d), documents(d), detention(d), stepForm(d, notice), discretion(d), evidence(d), timeline(d)));
      if (notice) {
        var n = page.querySelector('[data-testid="notice"]');
        if (n) { n.setAttribute('tabindex', '-1'); n.focus(); }
      }
    }
    render(doc, '');
    return page;
  };
})(window.ZF);
