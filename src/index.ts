/**
 * Package root: the embedded memory toolkit and the analysis, as a library
 * (no CLI code is loaded from here: that is `valground/cli`).
 */
export * from './heap/index.js';
export * from './protocol/records.js';
export * from './harness/index.js';
export * from './analyzer/index.js';
export * from './judge/index.js';
export * from './report/index.js';
export { CompatEngine } from './reporters/compat.js';
