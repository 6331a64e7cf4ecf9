// Dashboard labels: Chinese first (the dispatchers' language), English on the toggle.
export const LABELS = {
  zh: {
    title: '共配调度台', date: '日期', planDay: '规划当天', replan: '重新规划', signOut: '退出', signIn: '登录', signInTitle: '调度员登录',
    apiKey: '调度员密钥 (API key)', badKey: '密钥无效或不是调度员密钥', clickRoute: '点击地图或表格中的路线查看站点',
    vehicle: '车辆', tier: '层级', stops: '站点', loadKg: '装载 (kg)', loadM3: '装载 (m³)', km: '里程 km', start: '出发', end: '返回',
    line_haul: '干线', village: '村级', noPlan: '当天尚无计划', queued: '排队中', running: '规划中', completed: '已完成', failed: '失败',
    parcels: '包裹', pickups: '上行取件', routes: '路线', unassigned: '未分配', onTime: '准时率', delivered: '已签收', failedDeliveries: '派送失败',
    stationsServed: '服务站点', byCourier: '各快递包裹', byTownship: '各乡镇包裹', reasons: '未分配原因', savingsTitle: '共配节约 (联合 vs 各自配送)',
    joint: '共配', separate: '各自配送', saved: '节约', vehicleDays: '车天', driverHours: '司机工时', costYuan: '成本 (元)', co2Kg: 'CO₂ (kg)',
    noSavings: '无节约对比数据', eta: '预计到达', deliver: '派', pickup: '取', manifest: '打印派送单', countyWarehouse: '县级共配中心',
    townshipCentre: '乡镇共配站', station: '村级服务站', legendLineHaul: '干线 (县→乡镇)', legendVillage: '村级路线', notYet: '暂无',
    trip: '趟', progress: '进度', error: '错误',
    status_requested: '待规划', status_planned: '已排线', status_picked_up: '已取件', status_failed: '取件失败', status_cancelled: '已取消',
  },
  en: {
    title: 'gongpei dispatch', date: 'Date', planDay: 'Plan this day', replan: 'Re-plan', signOut: 'Sign out', signIn: 'Sign in', signInTitle: 'Dispatcher sign-in',
    apiKey: 'Dispatcher API key', badKey: 'Unknown key, or not a dispatcher key', clickRoute: 'Click a route on the map or in the table to see its stops',
    vehicle: 'Vehicle', tier: 'Tier', stops: 'Stops', loadKg: 'Load (kg)', loadM3: 'Load (m³)', km: 'km', start: 'Start', end: 'End',
    line_haul: 'line-haul', village: 'village', noPlan: 'No plan for this day yet', queued: 'queued', running: 'planning', completed: 'completed', failed: 'failed',
    parcels: 'Parcels', pickups: 'Pickups', routes: 'Routes', unassigned: 'Unassigned', onTime: 'On time', delivered: 'Delivered', failedDeliveries: 'Failed',
    stationsServed: 'Stations served', byCourier: 'Parcels by courier', byTownship: 'Parcels by township', reasons: 'Unassigned reasons', savingsTitle: 'Co-delivery savings (joint vs each courier alone)',
    joint: 'Joint', separate: 'Alone', saved: 'Saved', vehicleDays: 'Vehicle-days', driverHours: 'Driver hours', costYuan: 'Cost (¥)', co2Kg: 'CO₂ (kg)',
    noSavings: 'No savings comparison', eta: 'ETA', deliver: 'drop', pickup: 'pick', manifest: 'Print manifest', countyWarehouse: 'County warehouse',
    townshipCentre: 'Township centre', station: 'Village station', legendLineHaul: 'Line-haul (county → townships)', legendVillage: 'Village routes', notYet: 'none yet',
    trip: 'trip', progress: 'progress', error: 'Error',
    status_requested: 'requested', status_planned: 'planned', status_picked_up: 'picked up', status_failed: 'failed', status_cancelled: 'cancelled',
  },
};
