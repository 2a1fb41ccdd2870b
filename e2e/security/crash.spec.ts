import { expect, test } from '@playwright/test';
import http from 'node:http';
import net from 'node:net';
import { startServer, type RunningServer } from '../fixtures/server';
import { commentRow, expectNoHalfWrittenRows, serverSecret } from '../fixtures/db';
import { actionPath, commentIdFrom, servedToken, signFormToken, startWriters, urlencoded, validFields } from '../fixtures/http';
import { OUTAGE } from '../fixtures/posts';

/**
 * SPEC "Reliability": SQLite in WAL mode with a busy timeout; every comment acknowledged to the
 * user survives a `kill -9` of the server. Graceful shutdown on SIGTERM. `GET /healthz`
 * answers 200 when the database is reachable.
 */

test('every acknowledged comment survives kill -9 in the middle of a burst of submissions', async () => {
  test.setTimeout(60_000);
  const server = await startServer(); // flood control and the speed check off: many comments from one client
  let restarted: RunningServer | undefined;
  try {
    const secret = serverSecret(server.databasePath);
    const writers = startWriters(server.origin, OUTAGE, () => signFormToken(secret, OUTAGE, Date.now() - 60_000), 8);
    const { acknowledged } = writers;

    // Kill once the burst is well under way (dozens of comments acknowledged), not after a fixed time.
    await expect.poll(() => acknowledged.length, { timeout: 20_000, intervals: [50], message: 'comments acknowledged under load' }).toBeGreaterThanOrEqual(60);
    const ackedBeforeKill = acknowledged.length;
    const killed = server.stop('SIGKILL'); // the signal goes out now, with 8 requests in flight
    const stopped = writers.stop(true);
    expect(await killed, 'killed, not exited').toBeNull();
    await stopped;
    expect(writers.unexpected, 'every submission before the kill was acknowledged with 303').toEqual([]);
    expect(acknowledged.length).toBeGreaterThanOrEqual(ackedBeforeKill);

    restarted = await startServer({}, { databasePath: server.databasePath, port: server.port });
    expect((await fetch(`${restarted.origin}/healthz`)).status).toBe(200);

    const lost = acknowledged.filter(({ id, text }) => commentRow(id, restarted!.databasePath)?.body_source !== text);
    expect(lost, `all ${acknowledged.length} acknowledged comments are stored with their text`).toEqual([]);
    expectNoHalfWrittenRows(restarted.databasePath);
  } finally {
    await server.stop('SIGKILL');
    await restarted?.stop();
  }
});

/** Whether a new TCP connection to the port is accepted right now. */
function tryConnect(port: number): Promise<'accepted' | 'refused'> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: 'localhost', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('accepted');
    });
    socket.once('error', () => resolve('refused'));
  });
}

test('SIGTERM lets a slow request in flight finish, refuses new connections, and exits 0', async () => {
  test.setTimeout(45_000);
  const server = await startServer();
  try {
    const token = (await servedToken(server.origin, OUTAGE)).token;
    const fields = validFields(OUTAGE, token, 'Slow');
    // Large but allowed (the limit is 256 KiB): the comment plus a field the form does not know.
    const body = Buffer.from(urlencoded({ ...fields, padding: 'p'.repeat(150_000) }));
    const pieces = 10;
    const pieceSize = Math.ceil(body.length / pieces);

    const agent = new http.Agent({ keepAlive: true });
    const request = http.request({
      host: 'localhost',
      port: server.port,
      method: 'POST',
      path: actionPath(OUTAGE),
      agent,
      headers: {
        host: `localhost:${server.port}`,
        origin: server.origin,
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': String(body.length),
        // The server answers "100 Continue" once it has the request: proof it is in flight.
        expect: '100-continue',
      },
    });
    const inFlight = new Promise<void>((resolve, reject) => {
      request.once('continue', resolve);
      request.once('error', reject);
    });
    const answered = new Promise<http.IncomingMessage>((resolve, reject) => {
      request.once('response', (res) => {
        res.resume();
        res.once('end', () => resolve(res));
      });
      request.once('error', reject);
    });
    request.flushHeaders();
    await inFlight;
    request.write(body.subarray(0, pieceSize));

    const exited = server.stop('SIGTERM');
    await expect.poll(() => tryConnect(server.port), { timeout: 5_000, intervals: [50], message: 'new connections are refused after SIGTERM' }).toBe('refused');

    // The rest of the body trickles in over about a second, after the signal.
    for (let i = 1; i < pieces; i++) {
      await new Promise((r) => setTimeout(r, 100));
      request.write(body.subarray(i * pieceSize, (i + 1) * pieceSize));
    }
    request.end();

    const response = await answered;
    expect(response.statusCode, 'the request in flight gets its normal answer').toBe(303);
    const id = commentIdFrom({ status: response.statusCode!, headers: response.headers });
    expect(id).toBeGreaterThan(0);
    agent.destroy();

    expect(await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running'), 15_000))]), 'the process exits with code 0').toBe(0);
    expect(server.output()).not.toMatch(/Error|exception/i);
    expect(commentRow(id!, server.databasePath)?.body_source, 'the comment answered before shutdown is stored').toBe(fields.comment);
    expectNoHalfWrittenRows(server.databasePath);
  } finally {
    await server.stop('SIGKILL');
  }
});

test('GET /healthz answers 200 while the server runs', async ({ baseURL }) => {
  const response = await fetch(`${baseURL}/healthz`);
  expect(response.status).toBe(200);
});
