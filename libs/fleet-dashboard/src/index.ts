export * from './fleet-stats-page';
export * from './trend-chart';
export * from './html-escape';
export * from './number-format';
