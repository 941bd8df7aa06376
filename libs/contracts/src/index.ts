export * from './crash/ureport.schema';
export * from './crash/crash-report-api.schema';
export * from './crash/crash-delivery';
export * from './zod-error-message';
export * from './fleet';
export * from './access/access-api.schema';
export * from './bounds/input-bounds';
