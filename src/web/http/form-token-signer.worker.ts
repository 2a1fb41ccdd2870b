/**
 * The form token signing thread (see form-token-signer.ts): signs each batch asked for and
 * hands its memory over to the front server's thread.
 */
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { signFormTokens } from '../../services/tokens';

const { secret } = workerData as { secret: string };

// The thread answering readers goes first: signing ahead is worth it only with time to spare
// (a batch that comes too late is not used). On Linux the priority is this thread's alone.
os.setPriority(os.constants.priority.PRIORITY_BELOW_NORMAL);

parentPort!.on('message', ({ id, slug, issued, count }: { id: number; slug: string; issued: number; count: number }) => {
  const tokens = signFormTokens(secret, slug, new Date(issued), count);
  parentPort!.postMessage({ id, tokens }, [tokens.buffer as ArrayBuffer]);
});
