/** Package root: the instrumented heap and the analyzer, as a library. */
export * from './heap/index.js';
export * from './analyzer/index.js';
