export * from './fakeProviderServer.js';
export * from './firestoreEmulator.js';
export * from './frameSample.js';
export * from './freePort.js';
export * from './mediaProbe.js';
export * from './testEnv.js';
export * from './testService.js';
