export * from './testEnv.js';
export * from './testService.js';
