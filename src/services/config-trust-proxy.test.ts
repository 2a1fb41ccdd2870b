import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, isTrustedProxy, parseConfig } from './config.ts';

const trustProxy = (value: string) => parseConfig({ TRUST_PROXY: value }).TRUST_PROXY;

test('TRUST_PROXY: off, any peer, or a list of proxy addresses and networks', () => {
  assert.equal(parseConfig({}).TRUST_PROXY, false);
  for (const off of ['0', 'false', 'no', 'off', '']) assert.equal(trustProxy(off), false, off);
  for (const on of ['1', 'true', 'YES', 'on']) assert.equal(trustProxy(on), true, on);
  assert.deepEqual(trustProxy('127.0.0.1, ::1,10.0.0.0/8 , fd00::/8'), ['127.0.0.1', '::1', '10.0.0.0/8', 'fd00::/8']);
  for (const bad of ['maybe', '127.0.0.1,proxy.example', '10.0.0.0/33', '::1/129', '1.2.3.4/8/9', '300.1.1.1']) {
    assert.throws(() => trustProxy(bad), (error: Error) => error instanceof ConfigError && /^Invalid configuration: TRUST_PROXY /.test(error.message), bad);
  }
});

test('only the configured proxies may speak for a client', () => {
  const list = ['127.0.0.1', '10.0.0.0/8', 'fd00::/8'];
  for (const peer of ['127.0.0.1', '::ffff:127.0.0.1', '10.1.2.3', 'fd00::5']) assert.equal(isTrustedProxy(list, peer), true, peer);
  for (const peer of ['127.0.0.2', '192.0.2.1', '::1', '11.0.0.1', undefined]) assert.equal(isTrustedProxy(list, peer), false, String(peer));
  assert.equal(isTrustedProxy(true, '192.0.2.1'), true);
  assert.equal(isTrustedProxy(false, '127.0.0.1'), false);
});
