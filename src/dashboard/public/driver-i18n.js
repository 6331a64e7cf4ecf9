// Driver view labels: Chinese first, English on the toggle.
export const DRIVER_LABELS = {
  zh: {
    title: '共配司机', online: '在线', offline: '离线', queued: '待上传', nextStop: '下一站', stop: '站点', stops: '站', eta: '预计到达',
    parcels: '件', pickups: '取件', cod: '代收', keeper: '站长', call: '拨打', navigate: '导航', amap: '高德导航', arrived: '已到达', delivered: '全部签收',
    failed: '派送失败', scan: '扫码', allDone: '今天的站点都已完成', noRoute: '今天没有分配给你的路线', needLink: '请用调度员发来的登录链接打开',
    badLink: '登录链接无效、已使用或已过期', error: '错误', failTitle: '派送失败原因', cancel: '取消', ok: '确定', otherReason: '其他原因', close: '关闭',
    noCamera: '无法打开相机', manifest: '派送单', manifestOffline: '离线时无法打开派送单', refused: '服务器拒绝了一条记录', unknownCode: '不认识的条码',
    reason_absent: '收件人不在', reason_closed: '站点关门', reason_refused: '拒收', reason_wrongAddress: '地址错误', reason_damaged: '包裹破损',
    status_planned: '待派送', status_out_for_delivery: '派送中', status_delivered: '已签收', status_failed: '失败', status_cancelled: '已取消',
    status_return_requested: '待退回', status_returning: '退回中', status_returned: '已退回',
  },
  en: {
    title: 'gongpei driver', online: 'online', offline: 'offline', queued: 'to send', nextStop: 'Next stop', stop: 'Stop', stops: 'stops', eta: 'ETA',
    parcels: 'parcels', pickups: 'pickups', cod: 'COD', keeper: 'Keeper', call: 'Call', navigate: 'Navigate', amap: 'Amap', arrived: 'Arrived', delivered: 'Delivered all',
    failed: 'Failed', scan: 'Scan', allDone: 'All of today’s stops are done', noRoute: 'No route for you today', needLink: 'Open the sign-in link your dispatcher sent you',
    badLink: 'This sign-in link is unknown, used or expired', error: 'Error', failTitle: 'Why did it fail?', cancel: 'Cancel', ok: 'OK', otherReason: 'Other reason', close: 'Close',
    noCamera: 'Cannot open the camera', manifest: 'Manifest', manifestOffline: 'The manifest needs a connection', refused: 'The server refused an event', unknownCode: 'Unknown code',
    reason_absent: 'Recipient absent', reason_closed: 'Station closed', reason_refused: 'Refused', reason_wrongAddress: 'Wrong address', reason_damaged: 'Parcel damaged',
    status_planned: 'to deliver', status_out_for_delivery: 'out for delivery', status_delivered: 'delivered', status_failed: 'failed', status_cancelled: 'cancelled',
    status_return_requested: 'return requested', status_returning: 'returning', status_returned: 'returned',
  },
};
