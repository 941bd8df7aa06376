export * from './fleet-stats-page';
export * from './trend-chart';
