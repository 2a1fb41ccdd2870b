import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { actionPath, checkRequestPath, isAdminPath } from './request-path';

describe('checkRequestPath', () => {
  test('canonical paths pass untouched, with their query', () => {
    for (const path of ['/', '/admin', '/admin/', '/admin/comments/12', '/posts/sip-trunk-registration-outage', '/tags/caf%C3%A9', '/rss.xml', '/admin?status=spam&q=a%2Fb', '/posts/a?_action=comments.submit', "/a-b_c.d~e!$&'()*+,;=:@"]) {
      assert.deepEqual(checkRequestPath(path), { kind: 'canonical' }, path);
    }
  });

  test('every odd spelling of an admin path is redirected to the canonical one', () => {
    const cases: [string, string][] = [
      ['//admin', '/admin'],
      ['///admin', '/admin'],
      ['/admin//settings', '/admin/settings'],
      ['//admin/comments/5?x=1', '/admin/comments/5?x=1'],
      ['/./admin', '/admin'],
      ['/x/../admin', '/admin'],
      ['/posts/../admin/settings', '/admin/settings'],
      ['/%2e%2e/admin', '/admin'],
      ['/%2E/admin', '/admin'],
      ['/x/%2e%2e/admin/log', '/admin/log'],
      ['/.%2e/admin', '/admin'],
      ['/%61dmin', '/admin'],
      ['/%41DMIN', '/ADMIN'],
      ['/ad%6Din/settings', '/admin/settings'],
      ['/admin/%73ettings', '/admin/settings'],
      ['/_actions/%61dmin.moderate', '/_actions/admin.moderate'],
      ['//_actions/admin.moderate', '/_actions/admin.moderate'],
      ['/tags/caf%c3%a9', '/tags/caf%C3%A9'],
      ['/admin/.', '/admin/'],
      ['/admin/..', '/'],
      ['/..', '/'],
      ['//', '/'],
    ];
    for (const [path, location] of cases) assert.deepEqual(checkRequestPath(path), { kind: 'redirect', location }, path);
  });

  test('ambiguous or malformed paths are refused', () => {
    for (const path of ['/admin%2Fsettings', '/%2Fadmin', '/%2fadmin', '/admin%5Csettings', '\\admin', '/\\admin', '/admin\\settings', '/%00admin', '/admin%0a', '/a%zz', '/a%', '/a%2', '/%252e%252e/admin', '/%2561dmin', 'admin', '', '*', 'http://localhost/admin', '/ad\u0000min']) {
      assert.deepEqual(checkRequestPath(path), { kind: 'refuse' }, JSON.stringify(path));
    }
  });

  test('characters a client should have encoded are encoded in the redirect', () => {
    assert.deepEqual(checkRequestPath('/tags/café'), { kind: 'redirect', location: '/tags/caf%C3%A9' });
    assert.deepEqual(checkRequestPath('/a b'), { kind: 'redirect', location: '/a%20b' });
  });

  test('the redirect target is itself canonical', () => {
    for (const path of ['//admin', '/x/../%61dmin//log', '/%2e%2e/%2e/admin/', '/a b//c']) {
      const verdict = checkRequestPath(path);
      assert.equal(verdict.kind, 'redirect', path);
      if (verdict.kind === 'redirect') assert.deepEqual(checkRequestPath(verdict.location), { kind: 'canonical' }, verdict.location);
    }
  });
});

describe('isAdminPath', () => {
  test('the moderation area and nothing else', () => {
    for (const path of ['/admin', '/admin/', '/admin/login', '/admin/comments/1']) assert.equal(isAdminPath(path), true, path);
    for (const path of ['/', '/administrator', '/admins', '/posts/admin', '/_actions/admin.moderate']) assert.equal(isAdminPath(path), false, path);
  });
});

describe('actionPath', () => {
  test('decodes each key as Astro does, and refuses undecodable names', () => {
    assert.deepEqual(actionPath('admin.moderate'), ['admin', 'moderate']);
    assert.deepEqual(actionPath('%61dmin.moderate'), ['admin', 'moderate']);
    assert.deepEqual(actionPath('admin%2Emoderate'), ['admin.moderate']);
    assert.equal(actionPath('%E0%A4%A.x'), null);
  });
});

test('isAdminPath folds case', () => {
  assert.equal(isAdminPath('/ADMIN/settings'), true);
  assert.equal(isAdminPath('/Admin'), true);
});
