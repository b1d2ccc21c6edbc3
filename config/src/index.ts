export * from './env.js';
export * from './services.js';
