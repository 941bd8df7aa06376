export * from './report-manifest.schema';
export * from './collector-outputs.schema';
export * from './cep-intake-answer.schema';
