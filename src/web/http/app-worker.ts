import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * Starts the app worker (scripts/app-worker.mjs: the built Astro app on a thread of its own)
 * and resolves once it listens on its socket, in a fresh folder only this user can open.
 * `onExit` is called if the worker stops by itself (a crash): the server cannot answer then.
 */
export async function startAppWorker(workerScript: URL, entry: string, onExit: (reason: string) => void): Promise<{ socketPath: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'afterword-app-'));
  const socketPath = join(dir, 'app.sock');
  let stopping = false;
  // No inherited flags: the TypeScript loader (`--import tsx`) would slow every import the app makes.
  const worker = new Worker(workerScript, { workerData: { entry, socketPath }, execArgv: [] });
  worker.on('exit', (code) => {
    rmSync(dir, { recursive: true, force: true });
    if (!stopping) onExit(`the app worker stopped (exit code ${code})`);
  });
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  worker.on('error', (error) => onExit(`the app worker failed: ${error.message}`));
  return {
    socketPath,
    async stop() {
      stopping = true;
      await worker.terminate();
    },
  };
}
