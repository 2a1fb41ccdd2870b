import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { checkFormToken, checkMailLinkToken, checkSubscriptionToken, createDeviceToken, createFormToken, createMailLinkToken, createSubscriptionToken, MAIL_LINK_MAX_AGE_MS, decodeIdList, deviceIdFromToken, encodeIdList, FORM_TOKEN_MAX_AGE_MS, keyedHash, openJson, sealJson } from './tokens.ts';

const secret = 'a'.repeat(64);
const now = new Date('2026-11-25T12:00:00Z');

describe('form token', () => {
  test('a fresh token is valid and reports its age', () => {
    const token = createFormToken(secret, 'post', now);
    const check = checkFormToken(secret, 'post', token, new Date(now.getTime() + 5_000));
    assert.equal(check.state, 'valid');
    assert.equal(check.state === 'valid' && check.ageSeconds, 5);
    assert.deepEqual(check.state === 'valid' && check.expiresAt, new Date(now.getTime() + FORM_TOKEN_MAX_AGE_MS));
  });
  test('every served form gets its own nonce, bound by the signature', () => {
    const a = createFormToken(secret, 'post', now);
    const b = createFormToken(secret, 'post', now);
    assert.notEqual(a, b);
    const [issued, nonceA, macA] = a.split('.');
    const nonceB = b.split('.')[1];
    assert.equal(checkFormToken(secret, 'post', `${issued}.${nonceB}.${macA}`, now).state, 'forged');
    const check = checkFormToken(secret, 'post', a, now);
    assert.equal(check.state === 'valid' && check.nonce, nonceA);
  });
  test('nonces stay unique and unpredictable across many forms (more than one refill of the random pool)', () => {
    const nonces = new Set(Array.from({ length: 2_000 }, () => createFormToken(secret, 'post', now).split('.')[1]));
    assert.equal(nonces.size, 2_000);
    for (const nonce of nonces) assert.match(nonce, /^[\w-]{16}$/);
  });
  test('the signature is HMAC-SHA256 of the post, time and nonce under the current secret', () => {
    for (const key of [secret, 'b'.repeat(64), secret]) {
      const [issued, nonce, signature] = createFormToken(key, 'post', now).split('.');
      assert.equal(signature, createHmac('sha256', key).update(`form\0post\0${issued}\0${nonce}`).digest('base64url'));
    }
  });
  test('missing, forged, for another post, or signed with another secret', () => {
    const token = createFormToken(secret, 'post', now);
    assert.equal(checkFormToken(secret, 'post', undefined, now).state, 'missing');
    assert.equal(checkFormToken(secret, 'post', '', now).state, 'missing');
    assert.equal(checkFormToken(secret, 'other', token, now).state, 'forged');
    assert.equal(checkFormToken('b'.repeat(64), 'post', token, now).state, 'forged');
    assert.equal(checkFormToken(secret, 'post', token.replace(/^\d+/, '1'), now).state, 'forged');
    assert.equal(checkFormToken(secret, 'post', 'garbage', now).state, 'forged');
  });
  test('an old authentic token is expired, not forged', () => {
    const token = createFormToken(secret, 'post', now);
    assert.equal(checkFormToken(secret, 'post', token, new Date(now.getTime() + FORM_TOKEN_MAX_AGE_MS + 1)).state, 'expired');
  });
});

describe('signed id list', () => {
  test('round-trips and rejects tampering', () => {
    const value = encodeIdList(secret, 'pending', [3, 17]);
    assert.deepEqual(decodeIdList(secret, 'pending', value), [3, 17]);
    assert.deepEqual(decodeIdList(secret, 'pending', value.replace('17', '18')), []);
    assert.deepEqual(decodeIdList(secret, 'other', value), []);
    assert.deepEqual(decodeIdList(secret, 'pending', undefined), []);
  });
});

describe('sealed json', () => {
  test('round-trips, hides the plaintext, rejects tampering', () => {
    const sealed = sealJson(secret, 'remember', { email: 'reader@example.com' });
    assert.ok(!sealed.includes('reader'));
    assert.deepEqual(openJson(secret, 'remember', sealed), { email: 'reader@example.com' });
    assert.equal(openJson('c'.repeat(64), 'remember', sealed), undefined);
    assert.equal(openJson(secret, 'remember', sealed.slice(0, -2) + 'AA'), undefined);
    assert.equal(openJson(secret, 'remember', 'x.y'), undefined);
  });
  test('a cut-down authentication tag never opens', () => {
    const sealed = sealJson(secret, 'remember', { email: 'reader@example.com' });
    const [iv, data, tag] = sealed.split('.');
    const fullTag = Buffer.from(tag, 'base64url');
    for (const length of [4, 8, 12, 15]) {
      assert.equal(openJson(secret, 'remember', `${iv}.${data}.${fullTag.subarray(0, length).toString('base64url')}`), undefined, `${length}-byte tag`);
    }
  });
});

test('keyed hashes differ by secret and purpose', () => {
  assert.notEqual(keyedHash(secret, 'ip', '127.0.0.1'), keyedHash('d'.repeat(64), 'ip', '127.0.0.1'));
  assert.notEqual(keyedHash(secret, 'ip', '127.0.0.1'), keyedHash(secret, 'avatar', '127.0.0.1'));
  assert.equal(keyedHash(secret, 'ip', '127.0.0.1'), keyedHash(secret, 'ip', '127.0.0.1'));
});

test('a device token is valid for the email it was issued for, and nothing else', () => {
  const token = createDeviceToken(secret, 'Dana@Company.example');
  const id = deviceIdFromToken(secret, token, 'dana@company.example ');
  assert.match(id ?? '', /^[\w-]{22}$/);
  assert.equal(deviceIdFromToken(secret, token, 'eve@company.example'), null);
  assert.equal(deviceIdFromToken('e'.repeat(64), token, 'dana@company.example'), null);
  assert.equal(deviceIdFromToken(secret, `${'A'.repeat(22)}.${token.split('.')[1]}`, 'dana@company.example'), null);
  assert.equal(deviceIdFromToken(secret, undefined, 'dana@company.example'), null);
  assert.notEqual(createDeviceToken(secret, 'dana@company.example'), token);
});

describe('subscription link token', () => {
  const later = new Date(now.getTime() + 60_000);
  test('valid for its subscription, purpose and address (any case); expired only when authentic and past its time', () => {
    const token = createSubscriptionToken(secret, 'reply-confirm', 7, 'Ada@Example.com', later);
    assert.deepEqual(checkSubscriptionToken(secret, 'reply-confirm', token, 'ada@example.com', now), { state: 'valid', subscriptionId: 7 });
    assert.deepEqual(checkSubscriptionToken(secret, 'reply-confirm', token, 'ada@example.com', new Date(later.getTime() + 1)), { state: 'expired', subscriptionId: 7 });
    assert.deepEqual(checkSubscriptionToken(secret, 'reply-unsubscribe', token, 'ada@example.com', now), { state: 'forged' });
    assert.deepEqual(checkSubscriptionToken(secret, 'reply-confirm', token, 'eve@example.com', now), { state: 'forged' });
    assert.deepEqual(checkSubscriptionToken('b'.repeat(64), 'reply-confirm', token, 'ada@example.com', now), { state: 'forged' });
    assert.deepEqual(checkSubscriptionToken(secret, 'reply-confirm', token.replace(/^7\./, '8.'), 'ada@example.com', now), { state: 'forged' });
    assert.deepEqual(checkSubscriptionToken(secret, 'reply-confirm', 42, 'ada@example.com', now), { state: 'forged' });
  });

  test('an unsubscribe token without expiry works for ever', () => {
    const token = createSubscriptionToken(secret, 'reply-unsubscribe', 3, 'ada@example.com', null);
    assert.equal(checkSubscriptionToken(secret, 'reply-unsubscribe', token, 'ada@example.com', new Date('2100-01-01')).state, 'valid');
  });
});

describe('mail link token', () => {
  const link = { commentId: 42, action: 'spam' as const, moderatorId: 3 };

  test('a fresh token is valid and names its comment, action and moderator', () => {
    const check = checkMailLinkToken(secret, createMailLinkToken(secret, link, now), now);
    assert.equal(check.state, 'valid');
    assert.deepEqual(check.state === 'valid' && check.link, link);
  });

  test('no part can be swapped: another comment, action or moderator breaks the signature', () => {
    const token = createMailLinkToken(secret, link, now);
    for (const forged of [token.replace(/^42\./, '43.'), token.replace('.spam.', '.approve.'), token.replace('.spam.3.', '.spam.4.')]) {
      assert.notEqual(forged, token);
      assert.equal(checkMailLinkToken(secret, forged, now).state, 'forged');
    }
    assert.equal(checkMailLinkToken('b'.repeat(64), token, now).state, 'forged');
    for (const junk of [undefined, '', 'x', token.slice(0, -1), `${token}x`, 42]) assert.equal(checkMailLinkToken(secret, junk, now).state, 'forged');
  });

  test('each link is unique (its own nonce), so each can be used once on its own', () => {
    const a = checkMailLinkToken(secret, createMailLinkToken(secret, link, now), now);
    const b = checkMailLinkToken(secret, createMailLinkToken(secret, link, now), now);
    assert.ok(a.state === 'valid' && b.state === 'valid' && a.nonce !== b.nonce);
  });

  test('works for seven days, then says expired (not forged)', () => {
    const token = createMailLinkToken(secret, link, now);
    assert.equal(checkMailLinkToken(secret, token, new Date(now.getTime() + MAIL_LINK_MAX_AGE_MS)).state, 'valid');
    assert.equal(checkMailLinkToken(secret, token, new Date(now.getTime() + MAIL_LINK_MAX_AGE_MS + 1)).state, 'expired');
    // Issued in the future by more than clock skew: not ours.
    assert.equal(checkMailLinkToken(secret, token, new Date(now.getTime() - 120_000)).state, 'forged');
  });
});
