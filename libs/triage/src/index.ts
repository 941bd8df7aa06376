export * from './auto-filing';
export * from './probably-fixed';
export * from './rpm-version';
export * from './ticket-template';
export * from './triage-state';
