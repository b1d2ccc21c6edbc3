import { JSDOM } from 'jsdom';
import { type Environment, populateGlobal } from 'vitest/runtime';

/**
 * jsdom for the wizard's component tests, from the frontend's own jsdom
 * (26). Vitest's built-in `jsdom` environment loads the hoisted jsdom 30,
 * which needs Node 22 (its undici calls zlib's zstd), and this machine runs
 * Node 20. Node's fetch, Response and streams stay as they are: tests stub
 * fetch with test/fakeApi.ts.
 */
export default {
  name: 'frontend-jsdom',
  viteEnvironment: 'client',
  async setup(global) {
    const dom = new JSDOM('<!DOCTYPE html>', { pretendToBeVisual: true, url: 'http://localhost:3000' });
    const { keys, originals } = populateGlobal(global, dom.window, { bindFunctions: true });
    return {
      teardown(global) {
        dom.window.close();
        for (const key of keys) delete global[key];
        originals.forEach((value, key) => {
          global[key] = value;
        });
      },
    };
  },
} satisfies Environment;
