import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import {
  type Env,
  GATEWAY_PORT,
  parseEnv,
  SERVICES,
  type ServiceEntry,
  type ServiceName,
  serviceEntry,
  serviceUrl,
} from '@storyreel/config';
import { createBlobStore, createDocStore, createLogger, type DocStore } from '@storyreel/shared';
import pino from 'pino';
import { createGateway } from './gateway.js';
import { localMeshEnv } from './localEnv.js';
import { REPO_ROOT } from './repoRoot.js';

export interface RunningMesh {
  gatewayUrl: string;
  /** The validated environment the mesh runs with (buckets, data paths, secrets). */
  env: Env;
  /** The raw environment its processes get, to start more of them (extra job workers). */
  processEnv: NodeJS.ProcessEnv;
  dataDir: string;
  logDir: string;
  /** A movie job worker as a process of its own (kill it to see another resume its job). */
  startWorker(extraEnv?: NodeJS.ProcessEnv): ChildProcess;
  /** Stops one service this mesh started, as if its instance died; its port stops answering. */
  stopService(name: ServiceName): Promise<void>;
  /** Starts a stopped service again (optionally with other env) and waits until it is healthy. */
  startService(name: ServiceName, extraEnv?: NodeJS.ProcessEnv): Promise<void>;
  stop(): Promise<void>;
}

async function waitHealthy(url: string, child: ChildProcess, name: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}; see its log`);
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} did not become healthy within ${timeoutMs / 1000}s`);
}

async function isUp(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

function startService(entry: ServiceEntry, env: NodeJS.ProcessEnv, logDir: string, port: number): ChildProcess {
  const main = join(REPO_ROOT, 'services', entry.name, 'dist', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run the build (npm run build) first`);
  const log = createWriteStream(join(logDir, `${entry.name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, [main], {
    cwd: REPO_ROOT,
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return child;
}

/**
 * Starts every service of the registry as its own process (as on Cloud Run)
 * and the gateway in this one. A service already answering on its port is
 * reused, so a second `storyreel make` joins a running mesh.
 */
export async function startMesh(
  options: { dataDir?: string; portOffset?: number; extraEnv?: NodeJS.ProcessEnv } = {},
): Promise<RunningMesh> {
  const dataDir = options.dataDir ?? join(REPO_ROOT, '.data');
  const logDir = join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  // An offset moves the whole mesh to other ports, so a test mesh never joins a developer's running one.
  const offset = options.portOffset ?? 0;
  const port = GATEWAY_PORT + offset;
  const rawEnv = {
    ...localMeshEnv(dataDir),
    ...(offset
      ? {
          SERVICE_URLS: JSON.stringify(
            Object.fromEntries(SERVICES.map((s) => [s.name, `http://127.0.0.1:${s.localPort + offset}`])),
          ),
          PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
        }
      : {}),
    ...options.extraEnv,
  };
  const env = parseEnv(rawEnv);
  const children = new Map<ServiceName, ChildProcess>();
  const workers: ChildProcess[] = [];
  const stopChild = (child: ChildProcess) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    });
  const stopChildren = async () => {
    await Promise.all([...children.values(), ...workers].map(stopChild));
  };
  const launch = async (entry: ServiceEntry, extraEnv: NodeJS.ProcessEnv = {}) => {
    const child = startService(entry, { ...rawEnv, ...extraEnv }, logDir, entry.localPort + offset);
    children.set(entry.name, child);
    await waitHealthy(serviceUrl(env, entry.name), child, entry.name, 60_000);
  };
  try {
    await Promise.all(
      SERVICES.map(async (entry) => {
        if (await isUp(serviceUrl(env, entry.name))) return;
        await launch(entry);
      }),
    );
  } catch (err) {
    await stopChildren();
    throw err;
  }
  const gatewayUrl = `http://127.0.0.1:${port}`;
  let server: Server | undefined;
  let docs: DocStore | undefined;
  if (!(await isUp(`${gatewayUrl}/api/compose`))) {
    docs = createDocStore(env);
    const logger = createLogger('gateway', env.LOG_LEVEL, pino.destination(join(logDir, 'gateway.log')));
    const gateway = createGateway(
      env,
      { blobs: createBlobStore(env), docs },
      join(REPO_ROOT, 'frontend', 'dist'),
      logger,
    );
    server = await new Promise<Server>((resolve, reject) => {
      const s = gateway.listen(port, '127.0.0.1');
      s.once('listening', () => resolve(s));
      s.once('error', reject);
    });
  }
  return {
    gatewayUrl,
    env,
    processEnv: rawEnv,
    dataDir,
    logDir,
    startWorker(extraEnv = {}) {
      const worker = spawn(process.execPath, [join(REPO_ROOT, 'services/compose/dist/jobs/workerMain.js')], {
        env: { ...rawEnv, ...extraEnv },
        stdio: 'ignore',
      });
      workers.push(worker);
      return worker;
    },
    async stopService(name) {
      const child = children.get(name);
      if (!child) throw new Error(`${name} was not started by this mesh`);
      await stopChild(child);
    },
    async startService(name, extraEnv) {
      const child = children.get(name);
      if (child && child.exitCode === null && child.signalCode === null) throw new Error(`${name} is running`);
      await launch(serviceEntry(name), extraEnv);
    },
    async stop() {
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      server?.closeAllConnections();
      await docs?.close();
      await stopChildren();
    },
  };
}
