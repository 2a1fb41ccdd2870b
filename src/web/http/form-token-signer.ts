import { Worker } from 'node:worker_threads';
import type { BatchSigner } from './form-token-pool';

/**
 * The thread that signs form tokens ahead for the front server's pool (form-token-pool.ts):
 * form-token-signer.worker.ts. It keeps no process alive; when it fails, every later batch is refused and the pool signs on the spot.
 */
export function startFormTokenSigner(secret: string): { signBatch: BatchSigner; stop(): Promise<void> } {
  const worker = new Worker(new URL('./typescript-worker.mjs', import.meta.url), {
    workerData: { module: new URL('./form-token-signer.worker.ts', import.meta.url).href, secret },
    execArgv: [],
  });
  worker.unref();
  const waiting = new Map<number, { resolve: (tokens: Buffer) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let failure: Error | null = null;
  const failAll = (error: Error) => {
    failure = error;
    for (const { reject } of waiting.values()) reject(error);
    waiting.clear();
  };
  worker.on('message', ({ id, tokens }: { id: number; tokens: Uint8Array }) => {
    const found = waiting.get(id);
    waiting.delete(id);
    found?.resolve(Buffer.from(tokens.buffer, tokens.byteOffset, tokens.byteLength));
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`the token signing thread stopped (exit code ${code})`)));
  return {
    signBatch(slug, issued, count) {
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, slug, issued, count });
      });
    },
    async stop() {
      await worker.terminate();
    },
  };
}
