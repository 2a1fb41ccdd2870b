/**
 * Starts a worker thread written in TypeScript (`workerData.module`, a file URL): on Node 20 a
 * worker does not get the `--import tsx` hooks of the process, so it loads tsx itself.
 */
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.module, import.meta.url);
