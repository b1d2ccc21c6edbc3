import { userHeaders } from '@storyreel/shared/testing';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectErrorBody } from './errorBody.js';
import { type HardeningWorld, type MeshServiceName, SERVICE_NAMES, startHardeningWorld } from './hardeningWorld.js';

/**
 * Every route of every service, from its /openapi.json: each body field set
 * to values of the wrong type or size, each path id set to odd values. None
 * may answer 5xx, and every refusal has the error shape of DESIGN.md.
 */

const WRONG_VALUES: unknown[] = [null, [], {}, -1, 1e20, 'x'.repeat(5000), true, '', '\u202e', [null], { a: 1 }];
const ODD_IDS = [
  '%00',
  '%C0%AF',
  '%E2%80%AE',
  'a'.repeat(2000),
  '__x__',
  '..',
  '%2F',
  'null',
  '%F0%9F%A6%8A',
  'a%20b',
  '%3Cscript%3E',
];

interface OpenApi {
  paths: Record<
    string,
    Record<string, { requestBody?: { content: Record<string, { schema: { properties?: object } }> } }>
  >;
}

const alice = userHeaders('alice');
let world: HardeningWorld;

beforeAll(async () => {
  world = await startHardeningWorld();
});
afterAll(() => world?.close());

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

async function sweep(name: MeshServiceName): Promise<{ requests: number; failures: string[] }> {
  const app = world.app(name);
  const { paths } = (await supertest(app).get('/openapi.json').expect(200)).body as OpenApi;
  const failures: string[] = [];
  let requests = 0;
  const send = async (method: Method, url: string, body: object) => {
    requests += 1;
    const res = await supertest(app)[method](url).set(alice).send(body);
    const label = `${method.toUpperCase()} ${url.slice(0, 80)} ${JSON.stringify(body).slice(0, 60)}`;
    if (res.status >= 500) failures.push(`${label} -> ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    else if (res.status >= 400) {
      try {
        expectErrorBody(res, res.status, res.body?.error?.code);
      } catch (err) {
        failures.push(`${label} -> ${(err as Error).message.slice(0, 200)}`);
      }
    }
  };
  for (const [path, operations] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(operations) as [Method, (typeof operations)[string]][]) {
      const url = path.replace(/\{[^}]+\}/g, 'abc');
      const fields = Object.keys(operation.requestBody?.content['application/json']?.schema.properties ?? {});
      for (const field of method === 'get' || method === 'delete' ? [] : fields) {
        for (const value of WRONG_VALUES) await send(method, url, { [field]: value });
      }
      if (path.includes('{')) {
        for (const id of ODD_IDS) await send(method, path.replace(/\{[^}]+\}/g, id), {});
      }
    }
  }
  return { requests, failures };
}

describe('no route of any service answers 5xx to wrong types or odd ids', () => {
  it.each(SERVICE_NAMES.map((n) => [n]))('%s', async (name) => {
    const { requests, failures } = await sweep(name);
    expect(requests).toBeGreaterThan(0);
    expect(failures).toEqual([]);
  });
});
