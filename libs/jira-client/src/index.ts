export * from './jira-client';
