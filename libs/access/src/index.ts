export * from './sign-in-page';
export * from './rig-labels';
