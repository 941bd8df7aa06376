export * from './sign-in-page';
export * from './rig-labels';
export * from './oidc-role';
