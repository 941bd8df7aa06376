export * from './report-manifest.schema';
export * from './collector-outputs.schema';
