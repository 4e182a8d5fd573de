/*
 * DOM helpers, formatting (yuan, dates), form fields and the way a refused
 * request is shown: the API's message in form-error and, when it names a
 * field, next to that field in field-error[data-field].  Forms are never
 * cleared on a refusal, so what was typed stays.
 */
'use strict';
window.ZF = window.ZF || {};
(function (ZF) {
  ZF.pages = ZF.pages || {};	/* filled by page-*.js, routed by app.js */

  /*
   * h('tag', {attrs}, children...): attrs may hold class, testid (becomes
   * data-testid), on: {event: fn}, dataset: {...}, and plain attributes;
   * boolean true sets an empty attribute, false/null/undefined skips it.
   */
  function h(tag, attrs) {
    var el = document.createElement(tag);
    attrs = attrs || {};
    Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v === undefined || v === null || v === false) return;
      if (k === 'class') el.className = v;
      else if (k === 'testid') el.setAttribute('data-testid', v);
      else if (k === 'text') el.textContent = v;
      else if (k === 'on') Object.keys(v).forEach(function (ev) { el.addEventListener(ev, v[ev]); });
      else if (k === 'dataset') Object.keys(v).forEach(function (d) { if (v[d] !== undefined && v[d] !== null) el.dataset[d] = v[d]; });
      else if (k === 'value') el.value = v;
      else if (k === 'checked' || k === 'selected') el[k] = !!v;
      else el.setAttribute(k, v === true ? '' : String(v));
    });
    for (var i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }
  function append(el, c) {
    if (c === null || c === undefined || c === false) return;
    if (Array.isArray(c)) { c.forEach(function (x) { append(el, x); }); return; }
    el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  ZF.h = h;
  ZF.clear = function (el) { while (el.firstChild) el.removeChild(el.firstChild); return el; };

  /* ---- formatting ---- */
  ZF.fmt = {
    /* 300000 -> "3000.00 元" */
    yuan: function (fen) {
      if (fen === undefined || fen === null || fen === '') return '—';
      var n = Number(fen), neg = n < 0;
      n = Math.abs(n);
      return (neg ? '-' : '') + Math.floor(n / 100) + '.' + String(n % 100).padStart(2, '0') + ' 元';
    },
    date: function (s) { return s ? String(s).slice(0, 10) : '—'; },
    /* microseconds since the epoch -> "YYYY-MM-DD HH:MM" in China Standard Time */
    instant: function (us) {
      if (!us) return '—';
      var d = new Date(us / 1000 + 8 * 3600 * 1000);
      var p = function (x) { return String(x).padStart(2, '0'); };
      return d.getUTCFullYear() + '-' + p(d.getUTCMonth() + 1) + '-' + p(d.getUTCDate()) + ' ' +
        p(d.getUTCHours()) + ':' + p(d.getUTCMinutes());
    },
    /* "2025/12/30", "2025.12.30", "2025年12月30日", "20251230" -> "2025-12-30" (else as typed) */
    normDate: function (s) {
      s = String(s || '').trim();
      var m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s) || /^(\d{4})(\d{2})(\d{2})$/.exec(s);
      return m ? m[1] + '-' + m[2].padStart(2, '0') + '-' + m[3].padStart(2, '0') : s;
    },
    /* "3000" / "3000.5" / "3,000.50" yuan -> fen, or null if not an amount */
    toFen: function (s) {
      s = String(s || '').replace(/[,，\s]/g, '').replace(/元$/, '');
      if (!/^\d{1,10}(\.\d{1,2})?$/.test(s)) return null;
      var parts = s.split('.');
      return Number(parts[0]) * 100 + Number(((parts[1] || '') + '00').slice(0, 2));
    }
  };

  /*
   * Countdown of a clock: {text, urgency}.  urgency: overdue (red), day
   * (≤ 1 day, orange), soon (≤ 3 days, yellow), ok, lapsed (a party's
   * window that ran out), paused, done.
   */
  ZF.countdown = function (c) {
    if (c.status && c.status !== 'open') {
      var done = { met: '已完成', cancelled: '已取消' }[c.status] || c.status;
      return { text: done + (c.met_on ? '（' + c.met_on + '）' : ''), urgency: 'done' };
    }
    if (c.paused) return { text: '已中止计算', urgency: 'paused' };
    var d = c.days_left;
    if (d === undefined || d === null) return { text: '—', urgency: 'ok' };
    if (c.lapsed) return { text: '已届满（' + (-d) + ' 天前）', urgency: 'lapsed' };
    if (c.overdue || d < 0) return { text: '已超期 ' + (-d) + ' 天', urgency: 'overdue' };
    if (d === 0) return { text: '今天到期', urgency: 'day' };
    if (d <= 1) return { text: '剩 ' + d + ' 天', urgency: 'day' };
    if (d <= 3) return { text: '剩 ' + d + ' 天', urgency: 'soon' };
    return { text: '剩 ' + d + ' 天', urgency: 'ok' };
  };

  /* How a due date was reached, from a clock's "explain". */
  ZF.explainClock = function (c) {
    var e = c.explain || {};
    var unit = e.unit === 'working_days' ? '个工作日' : '日';
    var items = [
      '起算日：' + (e.start || c.start) + (e.start_counted ? '（计入）' : '（开始之日不计入）'),
      '期间：' + (e.period || c.count) + ' ' + unit,
    ];
    if (e.extended_days) items.push('延长：' + e.extended_days + ' 日');
    if (e.excluded_days) items.push('中止、不计入：' + e.excluded_days + ' 日');
    (e.holidays_skipped || []).forEach(function (s) { items.push('跳过节假日：' + s.date + ' ' + s.name); });
    if (e.moved_from) items.push('原届满日 ' + e.moved_from + ' 为休息日，顺延至 ' + c.due);
    if (c.provisional) items.push('该年度节假日安排尚未载入，按周末临时计算');
    if (c.surcharge_fen) items.push('已产生加处罚款：' + ZF.fmt.yuan(c.surcharge_fen) + '（《行政处罚法》第七十二条）');
    return h('div', { class: 'explain', testid: 'explain' },
      h('p', null, h('strong', null, '届满日 ' + c.due), '：', e.rule || ''),
      h('ul', null, items.map(function (t) { return h('li', null, t); })),
      e.basis || c.basis ? h('p', { class: 'small muted' }, '依据：' + (e.basis || c.basis)) : null);
  };

  /* ---- form fields ---- */
  var uid = 0;
  /*
   * field({name, label, type, options, value, required, hint, wide, ...}):
   * a labelled input inside div.field[data-field=name].  type: text,
   * password, date, number, textarea, select, checkbox, yuan.
   */
  ZF.field = function (f) {
    var id = 'f-' + f.name + '-' + (++uid);
    var input, wrap;
    /* no `required`: the API validates and its message is the one shown */
    var common = { id: id, name: f.name, 'aria-required': f.required ? 'true' : undefined, autocomplete: f.autocomplete || 'off' };
    if (f.hint) common['aria-describedby'] = id + '-hint';
    if (f.type === 'textarea') {
      input = h('textarea', Object.assign(common, { rows: f.rows || 3, maxlength: f.max || undefined }));
      if (f.value) input.value = f.value;
    } else if (f.type === 'select') {
      input = h('select', Object.assign(common, { testid: f.testid }),
        (f.options || []).map(function (o) {
          return h('option', { value: o[0], selected: String(o[0]) === String(f.value || '') }, o[1]);
        }));
    } else if (f.type === 'checkbox') {
      input = h('input', Object.assign(common, { type: 'checkbox', value: '1', checked: !!f.value }));
      wrap = h('div', { class: 'field' + (f.wide ? ' wide' : ''), dataset: { field: f.name } },
        h('label', { class: 'check', for: id }, input, f.label),
        f.hint ? h('span', { class: 'hint', id: id + '-hint' }, f.hint) : null);
      return wrap;
    } else {
      /* dates are typed as YYYY-MM-DD whatever the browser's locale */
      var type = f.type === 'yuan' || f.type === 'date' ? 'text' : (f.type || 'text');
      input = h('input', Object.assign(common, {
        type: type, value: f.value || '',
        placeholder: f.placeholder || (f.type === 'date' ? 'YYYY-MM-DD' : undefined),
        inputmode: f.type === 'yuan' ? 'decimal' : f.type === 'date' ? 'numeric' : (f.inputmode || undefined),
        dataset: f.type === 'date' ? { kind: 'date' } : undefined,
        list: f.list || undefined, maxlength: f.type === 'date' ? 10 : (f.max || undefined), min: f.min, step: f.step
      }));
      if (f.type === 'date') input.addEventListener('change', function () { input.value = ZF.fmt.normDate(input.value); });
    }
    return h('div', { class: 'field' + (f.wide ? ' wide' : ''), dataset: { field: f.name } },
      h('label', { for: id, class: f.required ? 'req' : undefined }, f.label + (f.type === 'yuan' ? '（元）' : '')),
      input,
      f.hint ? h('span', { class: 'hint', id: id + '-hint' }, f.hint) : null);
  };

  /* A datalist (suggestions for a text input); options [[value, label]]. */
  ZF.datalist = function (id, options) {
    return h('datalist', { id: id }, options.map(function (o) { return h('option', { value: o[0] }, o[1]); }));
  };

  /* ---- errors ---- */
  /* The API names fields as it reads them; the form names them as typed. */
  function formField(apiField) {
    var f = String(apiField || '').replace(/^params\./, '');
    if (f === 'amount_fen') f = 'amount';
    if (f === 'party_id') f = 'party';
    if (f === 'vehicle_id') f = 'vehicle';
    return f;
  }
  ZF.formField = formField;

  ZF.clearErrors = function (form) {
    form.querySelectorAll('[data-testid="field-error"]').forEach(function (e) { e.remove(); });
    form.querySelectorAll('[aria-invalid]').forEach(function (e) {
      e.removeAttribute('aria-invalid');
      var d = (e.getAttribute('aria-describedby') || '').split(' ').filter(function (x) { return x && !/-err$/.test(x); });
      if (d.length) e.setAttribute('aria-describedby', d.join(' ')); else e.removeAttribute('aria-describedby');
    });
    var fe = form.querySelector('[data-testid="form-error"]');
    if (fe) { fe.textContent = ''; fe.hidden = true; }
    var ok = form.querySelector('[data-testid="notice"]');
    if (ok) { ok.textContent = ''; ok.hidden = true; }
  };

  /* The element that shows a form's refusal (created hidden at the top). */
  ZF.formError = function () {
    return h('p', { class: 'form-error', testid: 'form-error', role: 'alert', hidden: true });
  };

  /*
   * Show err (an ApiError or a {message, field}) on form: the message in
   * its form-error, and next to the named field if the form has it.
   */
  ZF.showError = function (form, err) {
    var fe = form.querySelector('[data-testid="form-error"]');
    if (!fe) { fe = ZF.formError(); form.insertBefore(fe, form.firstChild); }
    fe.textContent = err.message || String(err);
    fe.hidden = false;
    var name = formField(err.field);
    if (!name) return;
    var input = form.querySelector('[name="' + CSS.escape(name) + '"]');
    if (!input || input.type === 'hidden') return;
    var wrap = input.closest('.field') || input.parentNode;
    var id = (input.id || name) + '-err';
    var p = h('p', { class: 'field-error', testid: 'field-error', id: id, dataset: { field: name } }, err.message);
    wrap.appendChild(p);
    input.setAttribute('aria-invalid', 'true');
    var d = input.getAttribute('aria-describedby');
    input.setAttribute('aria-describedby', (d ? d + ' ' : '') + id);
  };

  ZF.showNotice = function (form, text) {
    var ok = form.querySelector('[data-testid="notice"]');
    if (!ok) { ok = h('p', { class: 'notice', testid: 'notice', role: 'status' }); form.insertBefore(ok, form.firstChild); }
    ok.textContent = text;
    ok.hidden = false;
  };

  /*
   * Run an async submission with the form's buttons disabled; a refusal is
   * shown on the form and nothing typed is lost.  Returns the result or
   * undefined when refused.
   */
  ZF.submitting = async function (form, fn) {
    var buttons = form.querySelectorAll('button[type="submit"]');
    ZF.clearErrors(form);
    buttons.forEach(function (b) { b.disabled = true; });
    form.setAttribute('aria-busy', 'true');
    try {
      return await fn();
    } catch (err) {
      ZF.showError(form, err);
      var fe = form.querySelector('[aria-invalid="true"]') || form.querySelector('[data-testid="form-error"]');
      if (fe && fe.scrollIntoView) fe.scrollIntoView({ block: 'nearest' });
      return undefined;
    } finally {
      buttons.forEach(function (b) { b.disabled = false; });
      form.removeAttribute('aria-busy');
    }
  };

  /* A message in place of a page that could not load. */
  ZF.failPanel = function (err) {
    return h('p', { class: 'form-error', testid: 'form-error', role: 'alert' }, err.message || String(err));
  };

  /* ---- cached reference lists (cleared at logout) ---- */
  var cache = {};
  ZF.cached = function (key, fn) {
    if (!cache[key]) cache[key] = fn().catch(function (e) { delete cache[key]; throw e; });
    return cache[key];
  };
  ZF.uncache = function (key) { if (key) delete cache[key]; else cache = {}; };

  /* Lists that may be refused to a role resolve to [] instead. */
  function list(key, path) {
    return ZF.cached(key, function () {
      return ZF.api.get(path).catch(function (e) { if (e.status === 403) return []; throw e; });
    });
  }
  ZF.lists = {
    officers: function () { return list('officers', '/api/v1/officers'); },
    parties: function () { return list('parties', '/api/v1/parties'); },
    vehicles: function () { return list('vehicles', '/api/v1/vehicles'); },
    violations: function () { return list('violations', '/api/v1/violations'); },
    violation: function (code) {
      return ZF.cached('violation:' + code, function () { return ZF.api.get('/api/v1/violations/' + encodeURIComponent(code)); });
    }
  };
  /* id -> record maps */
  ZF.byId = function (arr, key) {
    var m = {};
    (arr || []).forEach(function (x) { m[x[key || 'id']] = x; });
    return m;
  };
})(window.ZF);
