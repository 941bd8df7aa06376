export * from './safe-next';
export * from './rig-labels';
export * from './oidc-role';
