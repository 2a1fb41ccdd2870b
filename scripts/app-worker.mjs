/**
 * The app worker: the built Astro app (pages, actions, rendering, the database writes) on a
 * thread of its own, serving the front server (src/web/http/front.ts) over a Unix socket. It
 * is plain JavaScript so that it loads without the TypeScript loader: under a loader, every
 * module Astro imports per request would take a round trip to the loader's thread.
 */
import http from 'node:http';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

/** @type {{ entry: string, socketPath: string }} */
const { entry, socketPath } = workerData;

// The adapter's own server must not start: this thread serves its handler on the socket.
process.env.ASTRO_NODE_AUTOSTART = 'disabled';
/** @type {{ handler: http.RequestListener }} */
const { handler } = await import(pathToFileURL(entry).href);

// Readers of cached pages go first: on a busy machine this thread (rendering, storing comments)
// takes the CPU time the front server leaves. On Linux the priority is this thread's alone.
os.setPriority(os.constants.priority.PRIORITY_BELOW_NORMAL);

const server = http.createServer(handler);
// The front keeps its connections open; they should outlive its idle moments.
server.keepAliveTimeout = 60_000;
server.on('error', (error) => {
  throw error;
});
server.listen(socketPath, () => parentPort?.postMessage('listening'));
