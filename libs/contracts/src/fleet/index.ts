export * from './fleet-api.schema';
export * from './hardware-filters';
