import { expect, test } from '@playwright/test';
import { startServer, type RunningServer } from '../fixtures/server';
import { serverSecret } from '../fixtures/db';
import { postForm, signFormToken, urlencoded, validFields } from '../fixtures/http';
import { OUTAGE } from '../fixtures/posts';

/**
 * TRUST_PROXY may name the proxy's own address: X-Forwarded-For is then honoured only on
 * connections from it. A client that reaches the port directly cannot dodge the per-address
 * flood control by rotating X-Forwarded-For. (Loopback 127.0.0.2 plays the proxy, 127.0.0.3 the
 * client who found the port.)
 */

let server: RunningServer;

test.beforeAll(async ({}, testInfo) => {
  testInfo.setTimeout(90_000);
  server = await startServer({ TRUST_PROXY: '127.0.0.2', COMMENT_FLOOD_SECONDS: '15', COMMENT_MIN_SECONDS: '0' });
});

test.afterAll(async () => {
  await server?.stop();
});

const send = (localAddress: string, xff: string, label: string) =>
  postForm(server.origin, OUTAGE, urlencoded(validFields(OUTAGE, signFormToken(serverSecret(server.databasePath), OUTAGE, Date.now() - 60_000), label)), {
    localAddress,
    headers: { 'x-forwarded-for': xff },
  });

test('a direct client rotating X-Forwarded-For is still one client', async () => {
  expect((await send('127.0.0.3', '198.51.100.1', 'Direct')).status, 'first comment').toBe(303);
  for (const xff of ['198.51.100.2', '203.0.113.9', '10.0.0.1, 198.51.100.3']) {
    expect((await send('127.0.0.3', xff, 'Direct')).status, `X-Forwarded-For: ${xff}`).toBe(429);
  }
});

test('behind the configured proxy, each forwarded client is counted on its own', async () => {
  expect((await send('127.0.0.2', '198.51.100.20', 'ViaProxyA')).status).toBe(303);
  expect((await send('127.0.0.2', '198.51.100.21', 'ViaProxyB')).status, 'another reader behind the proxy').toBe(303);
  expect((await send('127.0.0.2', '198.51.100.20', 'ViaProxyA')).status, 'the first reader again').toBe(429);
});
