/*
 * 治超 (overload control, issue 8), over the API of src/http/api_overload.c:
 *   #/weighings       称重记录: filters, over-limit rows highlighted, keyset
 *                     paging ("更多")
 *   #/weighings/new   登记称重 (POST /api/v1/weighings); 试算 shows the
 *                     engine's calculation first (POST /api/v1/overload/check);
 *                     a scale without a valid certificate is refused in place
 *   #/weighings/<id>  the record with the engine's steps (calc.explain),
 *                     卸载, 立案 (then the new case), review of a machine record
 *   #/reviews         待审核: weigh-in-motion records over the limit waiting
 *                     for a person (行政处罚法 Art. 41): confirm by opening the
 *                     case, or dismiss with a reason
 *   #/weigh-imports   数据导入: a CSV streamed to POST /api/v1/weigh-imports,
 *                     its summary and the refused rows by line (a strict
 *                     refusal's from rows_refused); 先检查 streams it to
 *                     POST /api/v1/weigh-checks instead (any reader; nothing
 *                     stored) and shows the counts, the refused rows and the
 *                     over-limit records
 *   #/overload-stats  统计 by year: checked, over the limit, rate, tonnes
 *                     unloaded, by station and by month
 * Writing is for enforcement officers and heads (ZF.can.weighWrite); every
 * business role reads.
 */
'use strict';
(function (ZF) {
  var h = ZF.h, fmt = ZF.fmt, LO = ZF.LO;
  var PAGE = 20;

  /* 55000 -> "55,000" */
  function num(n) {
    if (n === undefined || n === null || n === '') return '—';
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  }
  function kg(n) { return n === undefined || n === null ? '—' : num(n) + ' 千克'; }
  function tonnes(kgs) { return ((Number(kgs) || 0) / 1000).toFixed(1) + ' 吨'; }
  function metres(mm) { return mm ? (mm / 1000).toFixed(3).replace(/\.?0+$/, '') + ' 米' : null; }
  /* "2025-12-31 09:00" (China Standard Time, as typed) -> ISO 8601 with +08:00 */
  function isoLocal(s) {
    s = String(s || '').trim();
    var m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(s);
    if (!m) return s;
    var p = function (x) { return String(x).padStart(2, '0'); };
    return m[1] + '-' + p(m[2]) + '-' + p(m[3]) + 'T' + p(m[4]) + ':' + m[5] + ':' + (m[6] || '00') + '+08:00';
  }
  function td(label, content, cls) { return h('td', { 'data-label': label, class: cls }, content); }
  function facts(rows) {
    return h('dl', { class: 'facts' }, rows.filter(function (r) { return r[1] !== null && r[1] !== undefined && r[1] !== ''; })
      .map(function (r) { return [h('dt', null, r[0]), h('dd', null, r[1])]; }));
  }
  function overBadge(w) {
    if (!w.over) return h('span', { class: 'badge ok', testid: 'weighing-over', dataset: { over: '0' } }, '未超限');
    return h('span', { class: 'badge bad', testid: 'weighing-over', dataset: { over: '1' } },
      w.over_kg > 0 ? '超限 ' + kg(w.over_kg) : '外廓尺寸超限');
  }
  function reviewBadge(w) {
    if (!w.review || w.review === 'none') return null;
    return h('span', { class: 'badge' + (w.review === 'pending' ? ' warn' : ''), testid: 'weighing-review',
      dataset: { review: w.review } }, LO.review[w.review] || w.review);
  }

  /* The section's own navigation. */
  function tabs(active) {
    var items = [['weighings', '#/weighings', '称重记录'], ['reviews', '#/reviews', '待审核'],
      ['new', '#/weighings/new', '登记称重', ZF.can.weighWrite], ['imports', '#/weigh-imports', '数据导入'],
      ['stats', '#/overload-stats', '统计']];
    return h('nav', { class: 'subnav', testid: 'overload-tabs', 'aria-label': '治超' },
      h('ul', null, items.filter(function (t) { return !t[3] || t[3](); }).map(function (t) {
        return h('li', null, h('a', { href: t[1], 'aria-current': t[0] === active ? 'page' : undefined,
          testid: 'tab-' + t[0] }, t[2]));
      })));
  }
  function head(title, active, extra) {
    return [tabs(active), h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, title), extra || null)];
  }

  /* Scales (devices of kind "scale") with their latest certificate. */
  async function scales() {
    var got = await Promise.all([
      ZF.cached('devices', function () { return ZF.api.get('/api/v1/devices'); }).catch(function () { return []; }),
      ZF.api.get('/api/v1/calibrations').catch(function () { return []; })
    ]);
    var certs = {};
    got[1].forEach(function (c) {
      var best = certs[c.device_id];
      if (!best || c.valid_until > best.valid_until) certs[c.device_id] = c;
    });
    return got[0].filter(function (d) { return d.kind === 'scale'; }).map(function (d) {
      return { id: d.id, code: d.code, name: d.name, cert: certs[d.id] || null };
    });
  }
  function scaleOptions(list, empty) {
    var today = fmt.instant(Date.now() * 1000).slice(0, 10);
    var o = list.map(function (s) {
      var c = s.cert;
      var state = !c ? '无检定证书' : c.valid_until < today ? '检定证书已过期（' + c.valid_until + '）'
        : '检定有效期至 ' + c.valid_until;
      return [s.code, s.code + ' ' + (s.name || '') + '（' + state + '）'];
    });
    if (empty !== undefined) o.unshift(['', empty]);
    return o;
  }

  /* ---- 称重记录 ---- */
  ZF.pages.weighings = async function (ctx) {
    ctx.title = '称重记录';
    var next = null;
    var year = Number(fmt.instant(Date.now() * 1000).slice(0, 4));
    var years = [['', '全部年份']];
    for (var y = year; y >= year - 5; y--) years.push([String(y), y + ' 年']);
    var form = h('form', { class: 'panel filters', testid: 'weighing-filters', novalidate: true, role: 'search' },
      ZF.formError(),
      ZF.field({ name: 'station', label: '站点' }),
      ZF.field({ name: 'plate', label: '号牌' }),
      ZF.field({ name: 'review', label: '审核', type: 'select', options: ZF.L.options(LO.review, '全部') }),
      ZF.field({ name: 'year', label: '年份', type: 'select', options: years }),
      ZF.field({ name: 'over', label: '只看超限', type: 'checkbox' }),
      h('div', { class: 'field' }, h('button', { type: 'submit', class: 'btn btn-primary' }, '查询')));
    var tbody = h('tbody');
    var table = h('div', { class: 'table-wrap' }, h('table', { class: 'list', testid: 'weighing-list' },
      h('thead', null, h('tr', null, ['称重时间', '站点', '号牌', '车辆', '车货总质量', '限定标准', '结果', '审核', '案件']
        .map(function (t) { return h('th', { scope: 'col' }, t); }))), tbody));
    var count = h('p', { class: 'muted', testid: 'weighing-count', 'aria-live': 'polite' });
    var more = h('button', { type: 'button', class: 'btn', testid: 'more', hidden: true }, '更多');

    function row(w) {
      return h('tr', { testid: 'weighing-row', class: w.over ? 'over' : undefined,
        dataset: { weighingId: w.id, over: w.over ? '1' : '0', review: w.review } },
        td('称重时间', h('a', { href: '#/weighings/' + encodeURIComponent(w.id) }, fmt.instant(w.weighed_at)), 'nowrap'),
        td('站点', w.station),
        td('号牌', [w.plate, w.trailer_plate ? h('div', { class: 'small muted' }, w.trailer_plate) : null], 'nowrap'),
        td('车辆', [w.axles + ' 轴' + (LO.config[w.config] || w.config),
          w.source === 'import' ? h('div', { class: 'small muted' }, '动态称重') : null]),
        td('车货总质量', kg(w.gross_kg), 'nowrap'),
        td('限定标准', kg(w.limit_kg), 'nowrap'),
        td('结果', overBadge(w)),
        td('审核', reviewBadge(w) || '—'),
        td('案件', w.case_id ? h('a', { href: '#/cases/' + encodeURIComponent(w.case_id), testid: 'case-link' }, '查看案件') : '—'));
    }
    async function load(reset) {
      var f = form.elements;
      ZF.clearErrors(form);
      more.disabled = true;
      try {
        var res = await ZF.api.get('/api/v1/weighings', {
          station: f.station.value.trim(), plate: f.plate.value.trim(), review: f.review.value,
          year: f.year.value, over: f.over.checked, limit: PAGE, after: reset ? '' : next
        });
        if (reset) ZF.clear(tbody);
        res.items.forEach(function (w) { tbody.appendChild(row(w)); });
        next = res.next;
        more.hidden = !next;
      } catch (err) {
        ZF.showError(form, err);
      } finally {
        more.disabled = false;
        var n = tbody.querySelectorAll('tr').length;
        count.textContent = '已加载 ' + n + ' 条' + (next ? '；还有更多' : '');
      }
    }
    form.addEventListener('submit', function (ev) { ev.preventDefault(); load(true); });
    form.addEventListener('change', function (ev) {
      if (ev.target.name !== 'station' && ev.target.name !== 'plate') load(true);
    });
    more.addEventListener('click', function () { load(false); });
    await load(true);
    return h('div', null,
      head('称重记录', 'weighings', ZF.can.weighWrite()
        ? h('a', { class: 'btn btn-primary', href: '#/weighings/new', testid: 'new-weighing' }, '登记称重') : null),
      form, count, table, h('div', { class: 'actions' }, more));
  };

  /* ---- 登记称重 ---- */
  ZF.pages.weighNew = async function (ctx) {
    ctx.title = '登记称重';
    var got = await Promise.all([scales(), ZF.lists.officers()]);
    var me = ZF.session.officer;
    var axles = [];
    for (var a = 2; a <= 8; a++) axles.push([String(a), a + ' 轴']);
    var preview = h('section', { class: 'panel', testid: 'calc-preview', hidden: true, 'aria-live': 'polite' });
    var form = h('form', { class: 'panel', testid: 'weigh-form', novalidate: true },
      ZF.formError(),
      h('div', { class: 'fields' },
        ZF.field({ name: 'station', label: '检测站点', required: true, max: 100 }),
        ZF.field({ name: 'weighed_at', label: '称重时间', placeholder: 'YYYY-MM-DD HH:MM',
          hint: '北京时间；不填为当前时间' }),
        ZF.field({ name: 'device', label: '衡器', type: 'select', required: true,
          options: scaleOptions(got[0], got[0].length ? '请选择' : '尚未登记衡器'),
          hint: '须在检定有效期内，否则称重数据不能作为执法证据' }),
        ZF.field({ name: 'plate', label: '号牌（牵引车或货车）', required: true, max: 16 }),
        ZF.field({ name: 'trailer_plate', label: '挂车号牌', max: 16, hint: '汽车列车填写' }),
        ZF.field({ name: 'config', label: '车型', type: 'select', required: true, value: 'train',
          options: ZF.L.options(LO.config) }),
        ZF.field({ name: 'axles', label: '轴数', type: 'select', required: true, value: '6', options: axles,
          hint: '并装双轴计 2 轴，并装三轴计 3 轴' }),
        ZF.field({ name: 'gross_kg', label: '车货总质量（千克）', required: true, inputmode: 'numeric' }),
        ZF.field({ name: 'height_m', label: '车货总高度（米）', inputmode: 'decimal', hint: '测量时填写，最多三位小数' }),
        ZF.field({ name: 'width_m', label: '车货总宽度（米）', inputmode: 'decimal' }),
        ZF.field({ name: 'length_m', label: '车货总长度（米）', inputmode: 'decimal' }),
        ZF.field({ name: 'single_tyre_axles', label: '单胎轴数（驱动轴除外）', inputmode: 'numeric' }),
        ZF.field({ name: 'single_drive_axle', label: '驱动轴为单轴', type: 'checkbox' }),
        ZF.field({ name: 'officers', label: '执法人员（执法证号，用逗号分隔）', required: true, list: 'dl-weigh-officers',
          value: me ? me.cert_no + ',' : '', hint: '不少于两名持有效执法证的执法人员，须包括本人（《行政处罚法》第四十二条）' })),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'btn', testid: 'weigh-preview' }, '试算'),
        h('button', { type: 'submit', class: 'btn btn-primary', testid: 'weigh-submit' }, '登记'),
        h('a', { href: '#/weighings' }, '取消')),
      ZF.datalist('dl-weigh-officers', got[1].filter(function (o) { return o.may_act_today; })
        .map(function (o) { return [o.cert_no, o.name]; })));

    /* the body as typed, or a client-side refusal {message, field} */
    function body() {
      var f = form.elements, b = {}, bad = null;
      function int(name, required) {
        var v = String(f[name].value).replace(/[,，\s]/g, '');
        if (v === '') { if (required) bad = bad || { message: '请填写' + f[name].closest('.field').querySelector('label').textContent, field: name }; return undefined; }
        if (!/^\d{1,9}$/.test(v)) { bad = bad || { message: '应为整数', field: name }; return undefined; }
        return Number(v);
      }
      b.station = f.station.value.trim();
      if (f.weighed_at.value.trim()) b.weighed_at = isoLocal(f.weighed_at.value);
      b.device = f.device.value;
      b.plate = f.plate.value.trim();
      if (f.trailer_plate.value.trim()) b.trailer_plate = f.trailer_plate.value.trim();
      b.config = f.config.value;
      b.axles = Number(f.axles.value);
      b.gross_kg = int('gross_kg', true);
      ['height_m', 'width_m', 'length_m'].forEach(function (k) { if (f[k].value.trim()) b[k] = f[k].value.trim(); });
      var t = int('single_tyre_axles', false);
      if (t !== undefined) b.single_tyre_axles = t;
      if (f.single_drive_axle.checked) b.single_drive_axle = true;
      b.officers = ZF.splitList(f.officers.value);
      Object.keys(b).forEach(function (k) { if (b[k] === '' || b[k] === undefined) delete b[k]; });
      return bad ? { bad: bad } : { body: b };
    }

    function showCalc(box, calc, title) {
      ZF.clear(box);
      box.hidden = false;
      box.appendChild(h('h2', null, title));
      box.appendChild(calcView(calc));
    }

    form.querySelector('[data-testid="weigh-preview"]').addEventListener('click', async function () {
      var r = body();
      if (r.bad) { ZF.clearErrors(form); ZF.showError(form, r.bad); return; }
      var b = r.body, q = { axles: b.axles, config: b.config, wim: false };
      if (b.gross_kg !== undefined) q.mass_kg = b.gross_kg;
      ['height_m', 'width_m', 'length_m', 'single_tyre_axles', 'single_drive_axle'].forEach(function (k) { if (b[k] !== undefined) q[k] = b[k]; });
      if (b.weighed_at) q.date = b.weighed_at.slice(0, 10);
      var calc = await ZF.submitting(form, function () { return ZF.api.post('/api/v1/overload/check', q); });
      if (calc) showCalc(preview, calc, '试算结果（未保存）');
    });
    form.addEventListener('submit', async function (ev) {
      ev.preventDefault();
      var r = body();
      if (r.bad) { ZF.clearErrors(form); ZF.showError(form, r.bad); return; }
      var w = await ZF.submitting(form, function () {
        return ZF.api.post('/api/v1/weighings', r.body, { idempotent: true });
      });
      if (w) location.hash = '#/weighings/' + encodeURIComponent(w.id);
    });
    return h('div', null, head('登记称重', 'new'),
      got[0].length ? null : h('p', { class: 'warnbox' }, '本机构尚未登记衡器：请系统管理员登记设备（种类“称重设备”），负责人登记其检定证书。'),
      form, preview);
  };

  /* The engine's result: verdict, steps, basis. */
  function calcView(c) {
    if (!c) return h('p', { class: 'muted' }, '没有计算过程。');
    var p = c.penalty || {};
    var verdict = c.overweight || c.oversize
      ? '超限：' + [c.overweight ? '车货总质量超过限定标准 ' + kg(c.over_kg) : null, c.oversize ? '外廓尺寸超限' : null]
        .filter(Boolean).join('，')
      : '未超限';
    var penalty = p.kind === 'fine' ? '罚款 ' + num(p.min_yuan) + (p.max_yuan !== p.min_yuan ? ' 至 ' + num(p.max_yuan) : '') + ' 元'
      : p.kind === 'warning' ? '警告' : '不予处罚';
    return h('div', { testid: 'calc' },
      facts([['限定标准', kg(c.limit_kg)], ['认定', verdict], ['处罚', c.overweight || c.oversize ? penalty : null]]),
      h('h3', { class: 'mt' }, '计算过程'),
      h('ol', { class: 'calc-steps', testid: 'calc-explain' }, (c.explain || []).map(function (s) {
        return h('li', { testid: 'calc-step' }, s);
      })),
      (c.basis || []).length ? [h('h3', null, '依据'),
        h('ul', { class: 'small' }, c.basis.map(function (b) { return h('li', null, b); }))] : null);
  }

  /* 立案 from a weighing (for a machine record: the Art. 41 confirmation). */
  function caseForm(w, refs) {
    var me = ZF.session.officer;
    var pending = w.review === 'pending';
    var violation = w.over_kg > 0 ? 'overload_mass' : 'overload_dimension';
    var form = h('form', { class: 'case-open', testid: 'case-open-form', novalidate: true },
      ZF.formError(),
      pending ? h('p', { class: 'small muted' }, '确认前请核对车辆图像和称重数据。确认即由本人审核认定该记录真实、清晰、完整、准确（《行政处罚法》第四十一条），并登记案件线索。') : null,
      h('div', { class: 'fields' },
        ZF.field({ name: 'party', label: '当事人（身份证号或统一社会信用代码）', list: 'dl-ov-parties',
          hint: '不填为车辆登记的所有人' }),
        ZF.field({ name: 'vehicle', label: '车辆（号牌）', list: 'dl-ov-vehicles', hint: '不填按称重记录的号牌' }),
        ZF.field({ name: 'officers', label: '执法人员（执法证号，用逗号分隔）', required: true, list: 'dl-ov-officers',
          value: me ? me.cert_no + ',' : '' }),
        ZF.field({ name: 'level', label: '裁量档次', type: 'select', options: [['', '不指定']] }),
        ZF.field({ name: 'date', label: '登记日期', type: 'date', hint: '不填为今天' })),
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'btn btn-primary', testid: 'case-open-submit' }, pending ? '确认并立案' : '立案（线索登记）')),
      ZF.datalist('dl-ov-parties', refs.parties.filter(function (p) { return !p.erased; })
        .map(function (p) { return [p.id_number || p.credit_code || p.id, p.name]; })),
      ZF.datalist('dl-ov-vehicles', refs.vehicles.map(function (v) { return [v.plate, v.config_label || v.config]; })),
      ZF.datalist('dl-ov-officers', refs.officers.filter(function (o) { return o.may_act_today; })
        .map(function (o) { return [o.cert_no, o.name]; })));
    ZF.fillLevels(form.elements.level, violation, '');
    form.addEventListener('submit', async function (ev) {
      ev.preventDefault();
      var f = form.elements;
      var b = { officers: ZF.splitList(f.officers.value) };
      if (f.party.value.trim()) b.party = f.party.value.trim();
      if (f.vehicle.value.trim()) b.vehicle = f.vehicle.value.trim();
      if (f.level.value) b.level = f.level.value;
      if (f.date.value.trim()) b.date = fmt.normDate(f.date.value);
      var doc = await ZF.submitting(form, function () {
        return ZF.api.post('/api/v1/weighings/' + encodeURIComponent(w.id) + '/case', b, { idempotent: true });
      });
      if (doc) location.hash = '#/cases/' + encodeURIComponent(doc.id);
    });
    return form;
  }

  /* 否定 a machine record, with the reason. */
  function dismissForm(w, done) {
    var form = h('form', { class: 'dismiss', testid: 'dismiss-form', novalidate: true },
      ZF.formError(),
      h('div', { class: 'fields' },
        ZF.field({ name: 'reason', label: '否定理由', type: 'textarea', required: true, wide: true, max: 500,
          hint: '如：图像显示为另一车辆；号牌识别错误；相邻车道干扰。审核人为本人。' })),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn', testid: 'dismiss-submit' }, '否定该记录')));
    form.addEventListener('submit', async function (ev) {
      ev.preventDefault();
      var r = await ZF.submitting(form, function () {
        return ZF.api.post('/api/v1/weighings/' + encodeURIComponent(w.id) + '/dismiss',
          { reason: form.elements.reason.value.trim() }, { idempotent: true });
      });
      if (r) done(r);
    });
    return form;
  }

  /* A button that shows (and hides) a form below it. */
  function reveal(testid, label, make, primary) {
    var holder = h('div');
    var form = null;
    var b = h('button', { type: 'button', class: 'btn' + (primary ? ' btn-primary' : ''), testid: testid, 'aria-expanded': 'false' }, label);
    b.addEventListener('click', function () {
      if (form) { form.remove(); form = null; b.setAttribute('aria-expanded', 'false'); return; }
      form = make();
      holder.appendChild(form);
      b.setAttribute('aria-expanded', 'true');
      var first = form.querySelector('input, select, textarea');
      if (first) first.focus();
    });
    return [b, holder];
  }

  async function refsForCase() {
    var got = await Promise.all([ZF.lists.parties(), ZF.lists.vehicles(), ZF.lists.officers()]);
    return { parties: got[0], vehicles: got[1], officers: got[2] };
  }

  /* ---- one weighing ---- */
  ZF.pages.weighing = async function (ctx) {
    ctx.title = '称重记录';
    var id = ctx.params[0];
    var got = await Promise.all([ZF.api.get('/api/v1/weighings/' + encodeURIComponent(id)), scales(), refsForCase()]);
    var scaleById = ZF.byId(got[1]), refs = got[2];
    var officerById = ZF.byId(refs.officers);
    var page = h('div');

    function officer(oid) { var o = officerById[oid]; return o ? o.name + '（' + o.cert_no + '）' : oid; }

    function render(w, notice) {
      var can = ZF.can.weighWrite();
      var s = scaleById[w.device_id];
      var dims = [metres(w.height_mm) && '高 ' + metres(w.height_mm), metres(w.width_mm) && '宽 ' + metres(w.width_mm),
        metres(w.length_mm) && '长 ' + metres(w.length_mm)].filter(Boolean).join('，');
      var info = h('section', { class: 'panel', testid: 'weighing-detail', dataset: { weighingId: w.id, over: w.over ? '1' : '0' } },
        notice ? h('p', { class: 'notice', testid: 'notice', role: 'status' }, notice) : null,
        h('p', { class: 'row' }, overBadge(w), reviewBadge(w), h('span', { class: 'badge' }, LO.source[w.source] || w.source)),
        facts([
          ['称重时间', fmt.instant(w.weighed_at)],
          ['站点', w.station],
          ['号牌', w.plate + (w.trailer_plate ? '（挂车 ' + w.trailer_plate + '）' : '') +
            (w.plate_colour ? '，' + (LO.plateColour[w.plate_colour] || w.plate_colour) : '')],
          ['车辆', w.axles + ' 轴' + (LO.config[w.config] || w.config)],
          ['车货总质量', kg(w.gross_kg)],
          ['外廓尺寸', dims || null],
          ['限定标准', kg(w.limit_kg)],
          ['计量误差扣除', w.tolerance_kg ? kg(w.tolerance_kg) : null],
          ['超限质量', w.over_kg ? kg(w.over_kg) : null],
          ['车速', w.speed_kmh !== null && w.speed_kmh !== undefined ? w.speed_kmh + ' 千米/小时' : null],
          ['衡器', s ? s.code + ' ' + (s.name || '') : (w.device_id ? w.device_id : '未指定（不能作为证据）')],
          ['检定有效期至', w.calibrated_until],
          ['执法人员', (w.officers || []).length ? w.officers.map(officer).join('、') : null],
          ['车辆图像', w.image_sha256 ? h('span', { class: 'mono small' }, 'SHA-256 ' + w.image_sha256) : (w.source === 'import' ? '无' : null)],
          ['导入', w.import_id ? '第 ' + w.line + ' 行（导入编号 ' + w.import_id + '）' : null],
          ['审核', w.review && w.review !== 'none' ? (LO.review[w.review] || w.review) +
            (w.reviewed_by ? '，' + officer(w.reviewed_by) : '') + (w.reviewed_at ? '，' + fmt.instant(w.reviewed_at) : '') +
            (w.review_reason ? '：' + w.review_reason : '') : null],
          ['案件', w.case_id ? h('a', { href: '#/cases/' + encodeURIComponent(w.case_id), testid: 'case-link' }, '查看案件') : null]
        ]));
      var calc = h('section', { class: 'panel', 'aria-labelledby': 'h-calc' }, h('h2', { id: 'h-calc' }, '超限认定和处罚计算'),
        calcView(w.calc));

      var unload = null;
      if (w.unloaded_at) {
        unload = h('section', { class: 'panel', testid: 'unloading', 'aria-labelledby': 'h-unload' }, h('h2', { id: 'h-unload' }, '卸载'),
          facts([['货物', w.unload_goods], ['卸载质量', kg(w.unloaded_kg)], ['存放地点', w.unload_place],
            ['复磅质量', kg(w.reweigh_kg)], ['卸载时间', fmt.instant(w.unloaded_at)],
            ['复磅结果', w.cleared ? '已消除超限' : '仍然超限']]));
      } else if (w.over && w.over_kg > 0 && can) {
        var uf = h('form', { testid: 'unload-form', novalidate: true },
          ZF.formError(),
          h('div', { class: 'fields' },
            ZF.field({ name: 'goods', label: '卸载货物', required: true, max: 100 }),
            ZF.field({ name: 'unloaded_kg', label: '卸载质量（千克）', required: true, inputmode: 'numeric' }),
            ZF.field({ name: 'reweigh_kg', label: '复磅车货总质量（千克）', required: true, inputmode: 'numeric',
              hint: '限定标准 ' + kg(w.limit_kg) }),
            ZF.field({ name: 'place', label: '货物存放地点', required: true, max: 200 }),
            ZF.field({ name: 'unloaded_at', label: '卸载时间', placeholder: 'YYYY-MM-DD HH:MM', hint: '不填为当前时间' })),
          h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary', testid: 'unload-submit' }, '登记卸载')));
        uf.addEventListener('submit', async function (ev) {
          ev.preventDefault();
          var f = uf.elements, b = { goods: f.goods.value.trim(), place: f.place.value.trim() }, bad = null;
          ['unloaded_kg', 'reweigh_kg'].forEach(function (k) {
            var v = String(f[k].value).replace(/[,，\s]/g, '');
            if (!/^\d{1,9}$/.test(v)) bad = bad || { message: '应为以千克计的整数', field: k };
            else b[k] = Number(v);
          });
          if (f.unloaded_at.value.trim()) b.unloaded_at = isoLocal(f.unloaded_at.value);
          if (bad) { ZF.clearErrors(uf); ZF.showError(uf, bad); return; }
          var r = await ZF.submitting(uf, function () {
            return ZF.api.post('/api/v1/weighings/' + encodeURIComponent(w.id) + '/unload', b, { idempotent: true });
          });
          if (r) render(r, '已登记卸载：复磅 ' + kg(r.reweigh_kg) + (r.cleared ? '，已消除超限。' : '，仍然超限。'));
        });
        unload = h('section', { class: 'panel', 'aria-labelledby': 'h-unload' }, h('h2', { id: 'h-unload' }, '卸载'), uf);
      }

      var act = null;
      if (can && w.over && !w.case_id && (w.review === 'none' || w.review === 'pending')) {
        var pending = w.review === 'pending';
        var open = reveal('open-case', pending ? '确认并立案' : '立案', function () { return caseForm(w, refs); }, true);
        var parts = [open[0]];
        var holders = [open[1]];
        if (pending) {
          var dis = reveal('review-dismiss', '否定该记录', function () {
            return dismissForm(w, function (r) { render(r, '已否定该记录。'); });
          });
          parts.push(dis[0]);
          holders.push(dis[1]);
        }
        act = h('section', { class: 'panel', 'aria-labelledby': 'h-act' },
          h('h2', { id: 'h-act' }, pending ? '审核（《行政处罚法》第四十一条）' : '立案'),
          pending ? h('p', { class: 'small muted' }, '动态称重记录须经执法人员审核确认后，方可作为处罚依据。') : null,
          h('div', { class: 'actions' }, parts), holders);
      }
      ZF.clear(page);
      ctx.title = '称重记录 ' + w.plate;
      page.appendChild(h('div', null, head('称重记录 ' + w.plate, 'weighings', h('a', { href: '#/weighings' }, '返回称重记录')),
        h('div', { class: 'case-grid' }, info, calc, act, unload)));
      var n = page.querySelector('[data-testid="notice"]');
      if (n) { n.setAttribute('tabindex', '-1'); n.focus(); }
    }
    render(got[0], '');
    return page;
  };

  /* ---- 待审核 ---- */
  ZF.pages.reviews = async function (ctx) {
    ctx.title = '待审核';
    var got = await Promise.all([ZF.api.get('/api/v1/weighings', { review: 'pending', over: true, limit: 50 }), refsForCase()]);
    var refs = got[1], next = got[0].next;
    var list = h('ul', { class: 'cards', testid: 'review-list' });
    var status = h('p', { class: 'muted', testid: 'review-count', 'aria-live': 'polite' });
    var more = h('button', { type: 'button', class: 'btn', testid: 'more', hidden: !next }, '更多');
    function counted() {
      var n = list.querySelectorAll('[data-testid="review-item"]').length;
      status.textContent = n ? '待审核 ' + n + ' 条' + (next ? '（还有更多）' : '') : '没有待审核的记录。';
    }
    function item(w) {
      var li = h('li', { class: 'card review', testid: 'review-item', dataset: { weighingId: w.id } },
        h('h3', null, h('a', { href: '#/weighings/' + encodeURIComponent(w.id) }, w.plate), ' ', overBadge(w)),
        facts([['称重时间', fmt.instant(w.weighed_at)], ['站点', w.station + (w.lane ? '，' + w.lane + ' 车道' : '')],
          ['车辆', w.axles + ' 轴' + (LO.config[w.config] || w.config)], ['车货总质量', kg(w.gross_kg)],
          ['限定标准', kg(w.limit_kg) + (w.tolerance_kg ? '（已扣除误差 ' + kg(w.tolerance_kg) + '）' : '')],
          ['车辆图像', w.image_sha256 ? '有' : h('span', { class: 'badge warn' }, '无图像，不能确认')]]));
      if (ZF.can.weighWrite()) {
        var ok = reveal('review-confirm', '确认并立案', function () { return caseForm(w, refs); }, true);
        var no = reveal('review-dismiss', '否定', function () {
          return dismissForm(w, function () {
            li.replaceWith(h('li', { class: 'card', testid: 'review-done', role: 'status' }, w.plate + ' 的记录已否定。'));
            counted();
          });
        });
        li.appendChild(h('div', { class: 'actions' }, ok[0], no[0]));
        li.appendChild(ok[1]);
        li.appendChild(no[1]);
      }
      return li;
    }
    got[0].items.forEach(function (w) { list.appendChild(item(w)); });
    more.addEventListener('click', async function () {
      more.disabled = true;
      try {
        var r = await ZF.api.get('/api/v1/weighings', { review: 'pending', over: true, limit: 50, after: next });
        r.items.forEach(function (w) { list.appendChild(item(w)); });
        next = r.next;
        more.hidden = !next;
      } catch (e) {
        status.textContent = e.message;
      } finally {
        more.disabled = false;
        counted();
      }
    });
    counted();
    return h('div', null, head('待审核', 'reviews'),
      h('p', { class: 'muted' }, '动态称重系统发现的超限记录，须由执法人员核对车辆图像和称重数据后确认（并立案）或否定（《行政处罚法》第四十一条）。'),
      status, list, h('div', { class: 'actions' }, more));
  };

  /* ---- 数据导入 ---- */
  ZF.pages.weighImports = async function (ctx) {
    ctx.title = '数据导入';
    var got = await Promise.all([ZF.api.get('/api/v1/weigh-imports'), scales()]);
    var scaleById = ZF.byId(got[1]);
    var tbody = h('tbody');
    function fill(list) {
      ZF.clear(tbody);
      list.forEach(function (i) {
        var s = scaleById[i.device_id];
        tbody.appendChild(h('tr', { testid: 'import-row', dataset: { importId: i.id } },
          td('文件', i.name), td('导入时间', fmt.instant(i.imported_at), 'nowrap'),
          td('衡器', s ? s.code : '—'), td('行数', num(i.rows)), td('新增', num(i.added)),
          td('不合格', i.rejected ? h('span', { class: 'badge warn' }, num(i.rejected)) : '0'),
          td('超限待审核', num(i.over_limit)),
          td('SHA-256', h('span', { class: 'mono small' }, i.file_sha256), 'wide')));
      });
    }
    fill(got[0]);
    var table = h('div', { class: 'table-wrap' }, h('table', { class: 'list', testid: 'import-list' },
      h('thead', null, h('tr', null, ['文件', '导入时间', '衡器', '行数', '新增', '不合格', '超限待审核', '文件 SHA-256']
        .map(function (t) { return h('th', { scope: 'col' }, t); }))), tbody));
    var result = h('section', { class: 'panel', testid: 'import-summary', hidden: true, 'aria-live': 'polite' });

    /* the refused rows by line (the report's errors, or a strict refusal's rows_refused) */
    function refusedRows(errs, rejected) {
      if (!errs.length) return;
      result.appendChild(h('h3', { class: 'mt' }, '不合格的行'));
      result.appendChild(h('div', { class: 'table-wrap' }, h('table', { class: 'list', testid: 'import-errors' },
        h('thead', null, h('tr', null, ['行号', '列', '原因'].map(function (t) { return h('th', { scope: 'col' }, t); }))),
        h('tbody', null, errs.map(function (e) {
          return h('tr', { testid: 'import-error', dataset: { line: String(e.line), field: e.field, code: e.code } },
            td('行号', '第 ' + e.line + ' 行', 'nowrap'), td('列', e.field), td('原因', e.message, 'wide'));
        })))));
      if (rejected > errs.length) result.appendChild(h('p', { class: 'muted' }, '另有 ' + (rejected - errs.length) + ' 行不合格未列出。'));
    }
    function showResult(r) {
      ZF.clear(result);
      result.hidden = false;
      result.dataset.kind = 'import';
      result.appendChild(h('h2', null, '导入结果：' + r.name));
      result.appendChild(facts([['共', num(r.rows) + ' 行'], ['合格', num(r.accepted) + ' 行'],
        ['新增', h('span', { testid: 'import-added' }, num(r.added)) ], ['已存在（未重复导入）', num(r.duplicates)],
        ['不合格', h('span', { testid: 'import-rejected' }, num(r.rejected))], ['超限待审核', num(r.over_limit)],
        ['文件 SHA-256', h('span', { class: 'mono small' }, r.file_sha256)]]));
      if (r.over_limit) result.appendChild(h('p', null, h('a', { href: '#/reviews' }, '去审核 ' + r.over_limit + ' 条超限记录')));
      refusedRows(r.errors || [], r.rejected);
    }
    /* 先检查: POST /api/v1/weigh-checks, nothing stored */
    function showCheck(r) {
      ZF.clear(result);
      result.hidden = false;
      result.dataset.kind = 'check';
      result.appendChild(h('h2', null, '检查结果：' + (r.file || '') + '（未导入）'));
      result.appendChild(facts([['共', num(r.rows) + ' 行'], ['合格', num(r.accepted) + ' 行'],
        ['不合格', h('span', { testid: 'check-rejected' }, num(r.rejected))],
        ['超限', h('span', { testid: 'check-over' }, num(r.over_limit) + ' 辆次')]]));
      result.appendChild(h('p', { class: 'muted' }, '仅检查，未保存任何记录；超限按本机构的动态称重允差认定。'));
      var over = r.over_limit_records || [];
      if (over.length) {
        result.appendChild(h('h3', { class: 'mt' }, '超限记录'));
        result.appendChild(h('div', { class: 'table-wrap' }, h('table', { class: 'list', testid: 'check-over-records' },
          h('thead', null, h('tr', null, ['行号', '号牌', '轴数', '总质量', '限值', '超限'].map(function (t) { return h('th', { scope: 'col' }, t); }))),
          h('tbody', null, over.map(function (w) {
            return h('tr', { testid: 'check-over-record', dataset: { line: String(w.line) } },
              td('行号', '第 ' + w.line + ' 行', 'nowrap'), td('号牌', w.plate), td('轴数', String(w.axles)),
              td('总质量', kg(w.gross_kg)), td('限值', kg(w.limit_kg)), td('超限', kg(w.over_kg)));
          })))));
        if (r.over_limit > over.length) result.appendChild(h('p', { class: 'muted' }, '另有 ' + (r.over_limit - over.length) + ' 条超限记录未列出。'));
      }
      refusedRows(r.errors || [], r.rejected);
    }
    /* a strict import or check refused: the rows that made it refuse */
    function showRefused(rows, what) {
      ZF.clear(result);
      result.hidden = false;
      result.dataset.kind = 'refused';
      result.appendChild(h('h2', null, what === 'check' ? '检查未通过（严格模式）' : '未导入：文件有不合格的行'));
      refusedRows(rows, rows.length);
    }

    /* every reader may check a file (先检查); enforcers and heads import it */
    var writer = ZF.can.weighWrite();
    var form = h('form', { class: 'panel', testid: 'import-form', novalidate: true },
      ZF.formError(),
      h('p', { class: 'small muted' }, '动态称重数据文件（CSV，UTF-8，表头 station,time,lane,plate,plate_colour,axles,config,gross_kg,speed_kmh,image_sha256,video_sha256）。' +
        (writer ? '不合格的行逐行列出，其余行导入；同一车辆在同一站点、同一时刻的记录不会重复导入。' : '') +
        '“先检查”只检查文件、列出不合格的行和超限记录，不保存任何记录。'),
      h('div', { class: 'fields' },
        h('div', { class: 'field', dataset: { field: 'file' } },
          h('label', { for: 'f-import-file', class: 'req' }, '文件'),
          h('input', { id: 'f-import-file', type: 'file', name: 'file', accept: '.csv,text/csv' })),
        writer ? ZF.field({ name: 'device', label: '称重设备', type: 'select', options: scaleOptions(got[1], '不指定（记录不能作为证据）'),
          hint: '每条记录的日期须在该设备的检定有效期内' }) : null,
        ZF.field({ name: 'strict', label: writer ? '有不合格的行时整个文件不导入' : '有不合格的行时检查不通过', type: 'checkbox' })),
      h('div', { class: 'actions' },
        writer ? h('button', { type: 'submit', class: 'btn btn-primary', testid: 'import-submit', value: 'import' }, '导入') : null,
        h('button', { type: 'submit', class: 'btn', testid: 'import-check', value: 'check' }, '先检查')));
    form.addEventListener('submit', async function (ev) {
      ev.preventDefault();
      var check = !writer || (ev.submitter && ev.submitter.value === 'check');
      var f = form.elements.file.files[0];
      if (!f) { ZF.clearErrors(form); ZF.showError(form, { message: check ? '请选择要检查的文件' : '请选择要导入的文件', field: 'file' }); return; }
      result.hidden = true;
      var refused = null;
      var r = await ZF.submitting(form, function () {
        var req = check
          ? ZF.api.upload('/api/v1/weigh-checks', { name: f.name, strict: form.elements.strict.checked }, f)
          : ZF.api.upload('/api/v1/weigh-imports', { name: f.name, device: form.elements.device.value,
            strict: form.elements.strict.checked }, f);
        return req.catch(function (err) { refused = err.rowsRefused || null; throw err; });
      });
      if (!r) {
        if (refused && refused.length) showRefused(refused, check ? 'check' : 'import');
        return;
      }
      if (check) { showCheck(r); return; }
      showResult(r);
      ZF.api.get('/api/v1/weigh-imports').then(fill).catch(function () {});
    });
    return h('div', null, head('数据导入', 'imports'), form, result,
      h('h2', { class: 'mt' }, '导入记录'), got[0].length ? table : h('p', { class: 'muted' }, '尚无导入记录。'));
  };

  /* ---- 统计 ---- */
  ZF.pages.overloadStats = async function (ctx) {
    ctx.title = '治超统计';
    var page = h('div');
    var body = h('div');
    var thisYear = Number(fmt.instant(Date.now() * 1000).slice(0, 4));
    var years = [];
    for (var y = thisYear; y >= thisYear - 5; y--) years.push([String(y), y + ' 年']);
    var form = h('form', { class: 'panel filters', testid: 'stats-filters', novalidate: true },
      ZF.formError(),
      ZF.field({ name: 'year', label: '年份', type: 'select', options: years, value: String(thisYear) }));

    function groupRow(testid, label, key, g, max) {
      var fillBar = h('span');
      fillBar.style.width = (max ? Math.round(100 * g.checked / max) : 0) + '%';
      return h('tr', { testid: testid, dataset: { key: key } },
        td(label, key),
        td('检测车辆', [num(g.checked), h('span', { class: 'bar', 'aria-hidden': 'true' }, fillBar)]),
        td('超限车辆', g.over_limit ? h('strong', null, num(g.over_limit)) : '0'),
        td('超限率', g.over_limit_rate_text || '—'),
        td('卸载', tonnes(g.unloaded_kg), 'nowrap'),
        td('立案', num(g.cases)),
        td('待审核', g.review_pending ? num(g.review_pending) : '0'));
    }
    function groupTable(testid, rowid, label, groups, key) {
      var max = Math.max.apply(null, [0].concat(groups.map(function (g) { return g.checked; })));
      return h('div', { class: 'table-wrap' }, h('table', { class: 'list stats', testid: testid },
        h('thead', null, h('tr', null, [label, '检测车辆', '超限车辆', '超限率', '卸载', '立案', '待审核']
          .map(function (t) { return h('th', { scope: 'col' }, t); }))),
        h('tbody', null, groups.map(function (g) { return groupRow(rowid, label, g[key], g, max); }))));
    }
    async function load() {
      ZF.clearErrors(form);
      try {
        var s = await ZF.api.get('/api/v1/overload/stats', { year: form.elements.year.value });
        ZF.clear(body);
        body.appendChild(h('section', { class: 'panel', testid: 'stats-total', dataset: { year: String(s.year) } },
          h('h2', null, s.year + ' 年合计'),
          h('ul', { class: 'kpis' },
            [['检测车辆', num(s.checked) + ' 辆次', 'checked'], ['超限车辆', num(s.over_limit) + ' 辆次', 'over_limit'],
              ['超限率', s.over_limit_rate_text || '—', 'rate'], ['卸载货物', tonnes(s.unloaded_kg), 'unloaded'],
              ['立案', num(s.cases) + ' 件', 'cases'], ['待审核', num(s.review_pending || 0) + ' 条', 'review_pending']]
              .map(function (k) { return h('li', { testid: 'kpi', dataset: { kpi: k[2] } }, h('span', { class: 'muted' }, k[0]), h('strong', null, k[1])); }))));
        body.appendChild(h('h2', { class: 'mt' }, '按站点'));
        body.appendChild((s.by_station || []).length ? groupTable('stats-by-station', 'stats-station', '站点', s.by_station, 'station')
          : h('p', { class: 'muted' }, '该年度没有称重记录。'));
        body.appendChild(h('h2', { class: 'mt' }, '按月'));
        body.appendChild((s.by_month || []).length ? groupTable('stats-by-month', 'stats-month', '月份', s.by_month, 'month')
          : h('p', { class: 'muted' }, '该年度没有称重记录。'));
      } catch (err) {
        ZF.showError(form, err);
      }
    }
    form.addEventListener('change', load);
    form.addEventListener('submit', function (ev) { ev.preventDefault(); load(); });
    await load();
    page.appendChild(h('div', null, head('治超统计', 'stats'), form, body));
    return page;
  };
})(window.ZF);
