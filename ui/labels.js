/*
 * The vocabulary the pages show: labels copied from docs/codes.tsv
 * (transitions, states, roles, settings, actions), the documents of
 * data/procedure/documents.tsv, and the procedure's table of which
 * transition may follow which state (src/domain/procedure.c, transitions[]).
 * Keep them in step with those files.
 */
'use strict';
window.ZF = window.ZF || {};
(function (ZF) {
  var L = {};

  L.transition = {
    register: '线索登记', file: '立案', evidence: '调查取证', legal_review: '法制审核',
    notify: '告知（违法行为通知书）', statement: '陈述申辩', waive: '放弃陈述申辩和听证',
    request_hearing: '申请听证', schedule_hearing: '通知听证', hold_hearing: '举行听证',
    collective: '集体讨论', extend: '延长办案期限', pause: '中止计算期限', resume: '恢复计算期限',
    approve: '负责人审批', decide: '作出处罚决定', decide_no_penalty: '决定不予处罚',
    revoke: '撤销立案', transfer: '移送', terminate: '终止调查', serve: '送达',
    decide_on_spot: '当场作出处罚决定', deliver: '当场交付决定书', record: '报所属部门备案',
    pay: '缴纳罚款', enforce: '强制执行', appeal: '申请复议或提起诉讼',
    appeal_outcome: '复议或诉讼结果', close: '结案', report_overload: '抄告车籍地',
    archive: '归档', note: '备注',
    detain: '扣押', approve_detention: '补办扣押批准手续',
    extend_detention: '延长扣押期限', release_detention: '解除扣押',
    notice_detention: '公告扣押的车辆、工具', dispose_detention: '依法处理扣押的车辆、工具'
  };

  /* detention (扣押) runs beside the procedure: imposed while the case is open,
   * ended also after it (procedure.c DETENTION_OPEN, DETENTION_HELD) */
  var DETENTION_OPEN = 'filed notified hearing_requested hearing_scheduled heard approved decided served';
  var DETENTION_HELD = DETENTION_OPEN + ' executed no_penalty revoked transferred terminated';

  /* procedure.c transitions[]: procedure and the states a transition may follow ("*": any) */
  L.from = {
    file: ['general', 'clue'],
    evidence: ['general', 'filed notified hearing_requested hearing_scheduled heard'],
    legal_review: ['general', 'filed notified heard approved'],
    notify: ['general', 'filed notified heard'],
    statement: ['general', 'notified hearing_requested hearing_scheduled heard'],
    waive: ['general', 'notified'],
    request_hearing: ['general', 'notified'],
    schedule_hearing: ['general', 'hearing_requested'],
    hold_hearing: ['general', 'hearing_scheduled'],
    collective: ['general', 'filed notified heard approved'],
    extend: ['general', 'filed notified hearing_requested hearing_scheduled heard approved'],
    pause: ['general', 'filed notified heard approved'],
    resume: ['general', 'filed notified heard approved'],
    approve: ['general', 'filed notified hearing_requested hearing_scheduled heard'],
    decide: ['general', 'approved'],
    decide_no_penalty: ['general', 'filed notified heard approved'],
    revoke: ['general', 'clue filed'],
    transfer: ['general', 'clue filed notified'],
    terminate: ['general', 'filed notified hearing_requested hearing_scheduled heard approved'],
    serve: ['general', 'decided'],
    deliver: ['simplified', 'onsite_decided'],
    record: ['simplified', 'delivered executed'],
    pay: ['both', 'served delivered recorded'],
    enforce: ['both', 'served delivered recorded'],
    appeal: ['both', 'decided served delivered recorded executed closed'],
    appeal_outcome: ['both', 'decided served delivered recorded executed closed'],
    close: ['both', 'executed no_penalty revoked transferred terminated'],
    report_overload: ['general', 'closed'],
    archive: ['both', 'closed'],
    detain: ['general', DETENTION_OPEN],
    approve_detention: ['general', DETENTION_HELD],
    extend_detention: ['general', DETENTION_OPEN],
    release_detention: ['general', DETENTION_HELD],
    notice_detention: ['general', DETENTION_HELD],
    dispose_detention: ['general', DETENTION_HELD],
    note: ['both', '*']
  };

  /* The usual order of a case, so the likeliest next step is offered first. */
  L.order = ['file', 'evidence', 'notify', 'statement', 'waive', 'request_hearing',
    'schedule_hearing', 'hold_hearing', 'legal_review', 'collective', 'approve', 'decide',
    'serve', 'deliver', 'record', 'pay', 'enforce', 'close', 'report_overload', 'archive',
    'extend', 'pause',
    'resume', 'decide_no_penalty', 'revoke', 'transfer', 'terminate', 'appeal',
    'appeal_outcome', 'detain', 'approve_detention', 'extend_detention', 'release_detention',
    'notice_detention', 'dispose_detention', 'note'];

  /* Transitions possible from a case's state, in the usual order. */
  L.transitionsFrom = function (procedure, state) {
    if (state === 'archived') return ['note'];
    return L.order.filter(function (t) {
      var f = L.from[t];
      if (f[0] !== 'both' && f[0] !== procedure) return false;
      return f[1] === '*' || f[1].split(' ').indexOf(state) >= 0;
    });
  };

  L.state = {
    clue: '线索登记', filed: '已立案（调查取证）', notified: '已告知',
    hearing_requested: '已申请听证', hearing_scheduled: '已通知听证', heard: '已听证',
    approved: '负责人已审批', decided: '已作出决定', served: '已送达', executed: '已执行',
    no_penalty: '不予处罚', revoked: '已撤销立案', transferred: '已移送', terminated: '已终止',
    onsite_decided: '当场作出决定', delivered: '已当场交付', recorded: '已备案',
    closed: '已结案', archived: '已归档'
  };

  L.procedure = { general: '一般程序', simplified: '简易程序' };

  L.document = {
    filing_form: '立案登记表', violation_notice: '违法行为通知书', hearing_notice: '听证通知书',
    hearing_record: '听证笔录', onsite_decision: '当场行政处罚决定书', decision: '行政处罚决定书',
    no_penalty_decision: '不予行政处罚决定书', service_receipt: '送达回证',
    closing_report: '结案报告', revocation_decision: '撤销立案决定书', transfer_letter: '案件移送函',
    detention_decision: '行政强制措施决定书', detention_list: '扣押物品清单',
    detention_extension: '延长行政强制措施期限通知书', detention_release: '解除行政强制措施决定书',
    detention_notice: '扣押车辆、工具公告', detention_disposal: '扣押车辆、工具处理决定书'
  };

  L.detentionStatus = {
    detained: '扣押中', released: '已解除扣押', noticed: '已公告（当事人逾期未接受处理）',
    disposed: '已依法处理'
  };

  L.role = {
    enforcer: '执法人员', legal_reviewer: '法制审核员', head: '负责人',
    disclosure_officer: '政务公开专员', auditor: '审计员', system_admin: '系统管理员',
    security_admin: '安全管理员', audit_admin: '审计管理员'
  };

  L.penalty = {
    none: '无', warning: '警告', criticism: '通报批评', fine: '罚款',
    confiscate_gains: '没收违法所得', confiscate_property: '没收非法财物',
    suspend_licence: '暂扣许可证件', downgrade: '降低资质等级', revoke_licence: '吊销许可证件',
    restrict_business: '限制开展生产经营活动', stop_business: '责令停产停业', close: '责令关闭',
    restrict_practice: '限制从业'
  };

  L.serviceMethod = {
    direct: '直接送达', left_at_residence: '留置送达', mail: '邮寄送达', electronic: '电子送达',
    entrusted: '委托送达', public_notice: '公告送达', on_spot: '当场交付'
  };
  L.pauseReason = { public_notice: '公告', testing: '检测', inspection: '检验', quarantine: '检疫', appraisal: '鉴定' };
  L.noPenaltyReason = {
    minor: '违法行为轻微并及时改正，没有造成危害后果', first_offence: '初次违法且危害后果轻微并及时改正（首违不罚）',
    no_fault: '没有主观过错', time_barred: '超过追责期限', not_established: '违法事实不能成立',
    minor_age: '不满十四周岁'
  };
  L.reviewResult = { pass: '通过', fail: '不通过' };
  L.appealKind = { reconsideration: '行政复议', lawsuit: '行政诉讼' };
  L.appealOutcome = {
    upheld: '维持', revoked: '撤销', changed: '变更', confirmed_illegal: '确认违法',
    dismissed: '驳回', withdrawn: '撤回', ordered_to_act: '责令履行'
  };
  L.enforceHow = { court: '申请人民法院强制执行', self: '依法自行强制执行' };
  L.source = {
    inspection: '执法检查', report: '投诉举报', transfer: '移送', assigned: '上级交办',
    lower_report: '下级报请', monitoring: '监控发现', other: '其他'
  };
  L.outcome = { penalty: '给予处罚', no_penalty: '不予处罚' };
  L.clockStatus = { open: '计算中', met: '已完成', cancelled: '已取消' };

  L.setting = {
    statement_window_working_days: '陈述申辩期限（工作日）',
    hearing_threshold_person_yuan: '听证较大数额：公民（元）',
    hearing_threshold_org_yuan: '听证较大数额：组织（元）',
    doc_number_pattern: '文书编号格式',
    ledger_key_path: '账本签名私钥文件路径',
    checkpoint_every_entries: '自动签名检查点的间隔条数'
  };

  L.action = {
    'org.create': '登记机构', 'org.setting.set': '修改机构设置', 'officer.add': '登记执法人员',
    'officer.update': '修改执法人员', 'party.add': '登记当事人', 'party.erase': '删除当事人个人信息',
    'vehicle.add': '登记车辆', 'device.add': '登记设备', 'calendar.load': '载入年度节假日安排',
    'deadline.add': '登记期限', 'deadline.recompute': '按新载入的节假日安排重算期限',
    'violation.import': '导入裁量基准', 'stock.add': '登记预印文书号段',
    'case.void_document': '文书编号作废', 'ledger.key': '登记账本签名公钥', 'user.add': '新增用户',
    'user.update': '修改用户', 'user.roles': '修改用户角色', 'user.password': '修改密码',
    'user.totp': '设置双因素认证', 'user.lock': '锁定用户', 'user.unlock': '解锁用户',
    'user.login': '登录', 'user.logout': '退出登录'
  };
  L.objectType = {
    org: '机构', org_setting: '机构设置', officer: '执法人员', party: '当事人', vehicle: '车辆',
    device: '设备', calendar_year: '年度节假日安排', deadline: '期限', 'case': '行政处罚案件',
    doc_stock: '预印文书号段', violation_import: '导入的裁量基准', ledger_key: '账本签名公钥', user: '用户'
  };
  L.actionLabel = function (a) {
    if (L.action[a]) return L.action[a];
    var m = /^case\.(\w+)$/.exec(a || '');
    if (m && L.transition[m[1]]) return '案件：' + L.transition[m[1]];
    return a;
  };

  /* label of a code in a table, or the code itself */
  L.of = function (table, code) {
    return (code !== undefined && code !== null && table[code]) || code || '—';
  };
  /* [[code, label]] options of a table, with an optional empty first option */
  L.options = function (table, empty) {
    var o = Object.keys(table).map(function (k) { return [k, table[k]]; });
    if (empty !== undefined) o.unshift(['', empty]);
    return o;
  };

  ZF.L = L;
})(window.ZF);
