export * from './collector-records';
export * from './host-profile';
export * from './profile-attributes';
export * from './hardware-fingerprint';
export * from './fleet-contributions';
export * from './small-cell-suppression';
export * from './over-representation';
// Named explicitly so a same-named declaration in another module cannot make the star exports ambiguous.
export type { AttributeCounts } from './profile-attributes';
export * from './fleet-breakdown';
export * from './fleet-rollup-totals';
