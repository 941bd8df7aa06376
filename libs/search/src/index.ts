export * from './candidate-search';
export * from './elasticsearch-candidate-index';
export * from './elasticsearch-candidate-search';
export * from './elasticsearch-query-builder';
export * from './postgres-candidate-search';
