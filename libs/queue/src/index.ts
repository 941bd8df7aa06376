export * from './bull-job-queue';
export * from './inline-job-queue';
export * from './job-queue';
export * from './queue-names';
