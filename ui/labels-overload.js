/*
 * The vocabulary of the 治超 pages (page-overload.js): review states,
 * vehicle configurations, where a record came from, plate colours
 * (docs/wim-csv.md), and the ledger's overload actions and objects
 * (docs/codes.tsv).  Kept apart from labels.js so the two can change
 * independently; the ledger page finds the actions through ZF.L.
 */
'use strict';
window.ZF = window.ZF || {};
(function (ZF) {
  var LO = {};

  LO.review = { none: '无须审核', pending: '待审核', confirmed: '已确认', dismissed: '已否定' };
  LO.config = { truck: '货车', train: '汽车列车' };
  LO.source = { station: '检测站称重', 'import': '动态称重（非现场）' };
  LO.plateColour = {
    yellow: '黄牌', blue: '蓝牌', green: '绿牌（小型新能源）', yellow_green: '黄绿牌（大型新能源）',
    white: '白牌', black: '黑牌'
  };
  LO.action = {
    'scale.calibrate': '登记衡器检定证书', 'weigh.record': '登记现场称重', 'weigh.unload': '登记卸载',
    'weigh.case': '称重记录立案或关联案件', 'weigh.dismiss': '审核否定动态称重记录',
    'weigh.import': '导入动态称重数据'
  };
  LO.objectType = { calibration: '衡器检定证书', weighing: '称重记录', weigh_import: '称重数据导入' };

  /* the ledger page labels actions through ZF.L; add ours where it has none */
  function merge(target, extra) {
    if (!target) return;
    Object.keys(extra).forEach(function (k) { if (!target[k]) target[k] = extra[k]; });
  }
  if (ZF.L) {
    merge(ZF.L.action, LO.action);
    merge(ZF.L.objectType, LO.objectType);
  }

  ZF.LO = LO;
})(window.ZF);
