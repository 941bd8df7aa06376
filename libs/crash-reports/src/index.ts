export * from './crash-input';
export * from './hardware-facts';
export * from './problem-dir-to-crash';
export * from './problem-types';
export * from './ureport-to-crash';
