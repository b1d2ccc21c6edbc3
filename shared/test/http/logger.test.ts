import { Writable } from 'node:stream';
import { createLogger } from '@storyreel/shared';
import { describe, expect, it } from 'vitest';

const GEMINI = 'AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY';
const ELEVEN = `sk_${'4f'.repeat(24)}`;
const FAL = '3f0c9a4e-1b2d-4c5e-8f90-a1b2c3d4e5f6:0123456789abcdef0123456789abcdef';

function captured() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger('test', 'trace', sink), text: () => lines.join('') };
}

describe('logger redaction', () => {
  it('censors key fields by name, at the top and one level down, and request auth headers', () => {
    const { logger, text } = captured();
    logger.info({ apiKey: 'not-a-known-shape-1', credential: { apiKey: 'not-a-known-shape-2' } }, 'named');
    logger.info({ req: { headers: { authorization: 'Bearer user-token-value' } } }, 'request');
    expect(text()).not.toMatch(/not-a-known-shape|user-token-value/);
    expect(text()).toContain('[redacted]');
  });

  it("censors the key headers of an SDK error's request", () => {
    const { logger, text } = captured();
    const err = Object.assign(new Error('request failed'), {
      config: { headers: { 'x-goog-api-key': 'plain-google-key', 'xi-api-key': 'plain-eleven-key' } },
    });
    logger.error({ err }, 'provider call failed');
    expect(text()).toContain('request failed');
    expect(text()).not.toMatch(/plain-google-key|plain-eleven-key/);
  });

  it('scrubs provider keys by shape wherever they are: message, deep fields, URLs, stacks', () => {
    const { logger, text } = captured();
    logger.warn(
      { deep: { deeper: { url: `https://generativelanguage.googleapis.com/v1beta/models?key=${GEMINI}` } } },
      'x',
    );
    logger.warn(`calling with ${ELEVEN}`);
    logger.error({ err: new Error(`fal said no to ${FAL}`) }, 'failed');
    const out = text();
    for (const key of [GEMINI, ELEVEN, FAL]) expect(out).not.toContain(key);
    expect(out.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(4);
    // What is not a key stays readable: content hashes, ids, paths.
    logger.info({ path: 'gs://storyreel-media/users/u/images/0123456789abcdef0123456789abcdef.jpg' }, 'kept');
    expect(text()).toContain('0123456789abcdef0123456789abcdef.jpg');
  });
});
