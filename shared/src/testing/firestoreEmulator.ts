import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './freePort.js';

export const FIRESTORE_EMULATOR_JAR =
  process.env.FIRESTORE_EMULATOR_JAR ??
  '/usr/lib/google-cloud-sdk/platform/cloud-firestore-emulator/cloud-firestore-emulator.jar';
export interface FirestoreEmulator {
  /** `127.0.0.1:<port>`, the value for FIRESTORE_EMULATOR_HOST. */
  host: string;
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/**
 * Starts the official Cloud Firestore emulator (a Java jar) on a free
 * loopback port and waits until it answers "Ok". java is spawned directly,
 * not through the gcloud wrapper script, so `stop()` ends the JVM itself.
 * A missing jar is an error, not a skip: a contract that silently does not
 * run would pass without testing anything.
 */
export async function startFirestoreEmulator(options: { timeoutMs?: number } = {}): Promise<FirestoreEmulator> {
  if (!existsSync(FIRESTORE_EMULATOR_JAR)) {
    throw new Error(
      `the Cloud Firestore emulator jar is missing at ${FIRESTORE_EMULATOR_JAR}; install the ` +
        'google-cloud-cli-firestore-emulator package (or set FIRESTORE_EMULATOR_JAR) and make sure java is on PATH',
    );
  }
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const java = spawn(
    'java',
    [
      '-Duser.language=en',
      '-Xmx512m',
      '-cp',
      FIRESTORE_EMULATOR_JAR,
      'com.google.cloud.datastore.emulator.firestore.CloudFirestore',
      'start',
      '--host=127.0.0.1',
      `--port=${port}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  java.stdout?.on('data', keep);
  java.stderr?.on('data', keep);
  let spawnError: Error | undefined;
  java.once('error', (err) => {
    spawnError = err;
  });
  const killOnExit = () => java.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.off('exit', killOnExit);
    if (java.exitCode !== null || java.signalCode !== null) return;
    java.kill('SIGTERM');
    const timer = setTimeout(() => java.kill('SIGKILL'), 5000);
    await exited(java);
    clearTimeout(timer);
  };

  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (spawnError || java.exitCode !== null) {
      await stop();
      throw new Error(
        `the Firestore emulator did not start (${spawnError?.message ?? `exit ${java.exitCode}`}):\n${output}`,
      );
    }
    try {
      const res = await fetch(`http://${host}/`, { signal: AbortSignal.timeout(1000) });
      if ((await res.text()).trim() === 'Ok') return { host, stop };
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  await stop();
  throw new Error(`the Firestore emulator did not answer on ${host} within the timeout:\n${output}`);
}
