import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));

describe('start-up configuration', () => {
  beforeAll(() => {
    // The child imports the built package, as a deployed service does; make sure it is current.
    execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-b', 'config'], { cwd: root });
  });

  it('Starting a service with a missing or bad variable exits with a message that names it', () => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, NODE_ENV: 'production', AUTH_MODE: 'dev' };
    const child = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "import { loadEnvOrExit } from '@storyreel/config'; loadEnvOrExit(); console.log('started');",
      ],
      { cwd: root, env, encoding: 'utf8', timeout: 20_000 },
    );
    expect(child.status).not.toBe(0);
    expect(child.stdout).not.toContain('started');
    expect(child.stderr).toMatch(/AUTH_MODE: dev auth is refused when NODE_ENV=production/);
    expect(child.stderr).toMatch(/MESH_SECRET: required when MESH_AUTH=hmac \(not set\)/);
  });

  it('starts when the same variables are valid', () => {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NODE_ENV: 'development',
      AUTH_MODE: 'dev',
      MESH_SECRET: 'a-local-mesh-secret-of-enough-length-0123',
      URL_SIGNING_SECRET: 'a-local-signing-secret-of-enough-length-01',
    };
    const child = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "import { loadEnvOrExit } from '@storyreel/config'; loadEnvOrExit(); console.log('started');",
      ],
      { cwd: root, env, encoding: 'utf8', timeout: 20_000 },
    );
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(child.stdout.trim()).toBe('started');
  });
});
