import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { validateCommentInput, CommentInputSchema, type CommentInput, type ValidationResult } from './validation';

const base = { name: 'Ada', email: 'ada@example.com', website: '', comment: 'Hello there', parent: '', remember: null };

function valid(overrides: Record<string, unknown> = {}): CommentInput {
  const r = validateCommentInput({ ...base, ...overrides });
  assert.equal(r.ok, true, `expected valid, got ${JSON.stringify(r)}`);
  return (r as Extract<ValidationResult, { ok: true }>).value;
}
function errors(overrides: Record<string, unknown> = {}) {
  const r = validateCommentInput({ ...base, ...overrides });
  assert.equal(r.ok, false, `expected invalid, got ${JSON.stringify(r)}`);
  return (r as Extract<ValidationResult, { ok: false }>).errors;
}

describe('validateCommentInput: whole form', () => {
  test('maps raw form fields to the domain shape', () => {
    assert.deepEqual(valid({ website: 'https://ada.dev', parent: '42', remember: 'on', notify: 'on' }), {
      name: 'Ada',
      email: 'ada@example.com',
      website: 'https://ada.dev/',
      body: 'Hello there',
      parentId: 42,
      remember: true,
      notify: true,
    });
  });

  test('an empty submission (Astro gives null for empty fields) reports every required field at once', () => {
    const r = validateCommentInput({ name: null, email: null, website: null, comment: null, parent: null });
    assert.deepEqual(r, {
      ok: false,
      errors: { name: 'name.required', email: 'email.required', body: 'body.required' },
    });
  });

  test('missing keys behave like empty fields', () => {
    assert.deepEqual(validateCommentInput({}), {
      ok: false,
      errors: { name: 'name.required', email: 'email.required', body: 'body.required' },
    });
  });

  test('collects all errors, not just the first', () => {
    assert.deepEqual(
      errors({ name: 'x'.repeat(101), email: 'nope', website: 'javascript:alert(1)', comment: ' ', parent: '0' }),
      {
        name: 'name.tooLong',
        email: 'email.invalid',
        website: 'website.invalid',
        body: 'body.required',
        parentId: 'parentId.invalid',
      },
    );
  });

  test('non-string values (File uploads, repeated fields) are invalid, never a crash', () => {
    const file = new Blob(['x']);
    assert.deepEqual(
      errors({ name: file, email: ['a@b.co', 'c@d.co'], website: 42, comment: { toString: () => 'hi' }, parent: 3 }),
      {
        name: 'field.invalid',
        email: 'email.invalid',
        website: 'website.invalid',
        body: 'field.invalid',
        parentId: 'parentId.invalid',
      },
    );
  });

  test('does not throw when handed something that is not an object at runtime', () => {
    const r = validateCommentInput(null as unknown as Record<string, unknown>);
    assert.equal(r.ok, false);
  });

  test('remember: only an explicitly ticked checkbox opts in', () => {
    assert.equal(valid({ remember: 'on' }).remember, true);
    assert.equal(valid({ remember: null }).remember, false);
    assert.equal(valid({ remember: undefined }).remember, false);
    assert.equal(valid({ remember: 'off' }).remember, false);
    assert.equal(valid({ remember: ['on'] }).remember, false);
  });

  test('notify: reply mails only for an explicitly ticked box, independent of remember', () => {
    assert.equal(valid({ notify: 'on' }).notify, true);
    assert.equal(valid({ notify: null }).notify, false);
    assert.equal(valid({ notify: 'off' }).notify, false);
    assert.equal(valid({ remember: 'on' }).notify, false);
    assert.equal(valid({ notify: 'on' }).remember, false);
  });

  test('CommentInputSchema reports message keys as issue messages', () => {
    const r = CommentInputSchema.safeParse({ ...base, comment: '' });
    assert.equal(r.success, false);
    assert.deepEqual(
      r.error?.issues.map((i) => [i.path.join('.'), i.message]),
      [['comment', 'body.required']],
    );
  });
});

describe('name', () => {
  test('is trimmed; whitespace-only is "required"', () => {
    assert.equal(valid({ name: '  Ada Lovelace \n' }).name, 'Ada Lovelace');
    assert.equal(errors({ name: ' \t\u00a0 ' }).name, 'name.required');
  });

  test('counts code points: 100 emoji fit, 101 do not', () => {
    assert.equal(valid({ name: '😀'.repeat(100) }).name, '😀'.repeat(100));
    assert.equal(errors({ name: '😀'.repeat(101) }).name, 'name.tooLong');
    assert.equal(errors({ name: 'a'.repeat(101) }).name, 'name.tooLong');
  });

  test('stays on one line: control characters and line breaks cannot reach e-mail headers', () => {
    assert.equal(valid({ name: 'Ada\r\nBcc: victim@example.com' }).name, 'Ada Bcc: victim@example.com');
    assert.equal(valid({ name: 'A\u0000da\u202e' }).name, 'A da');
    assert.equal(errors({ name: '\u0000\u0007' }).name, 'name.required');
  });

  test('accepts names in any script', () => {
    assert.equal(valid({ name: 'Zoë Ñúñez 李小龍 محمد' }).name, 'Zoë Ñúñez 李小龍 محمد');
  });

  test('invisible characters are removed, so two names that look the same are the same', () => {
    for (const invisible of ['\u200B', '\u200C', '\u200D', '\u200E', '\u200F', '\u061C', '\u00AD', '\u034F', '\u2060', '\u2061', '\u2064', '\uFEFF', '\u180E', '\u115F', '\u3164', '\uFE0F', '\u{E0041}']) {
      assert.equal(valid({ name: `Da${invisible}na` }).name, 'Dana', `U+${invisible.codePointAt(0)!.toString(16).toUpperCase()}`);
    }
    assert.equal(errors({ name: '\u200B\u2060\u00AD' }).name, 'name.required');
    // Composed and decomposed accents are one name.
    assert.equal(valid({ name: 'Zoe\u0308' }).name, 'Zo\u00EB');
  });

  test('emoji keep their joiners and variation selectors', () => {
    assert.equal(valid({ name: 'Ada 👩\u200D💻' }).name, 'Ada 👩\u200D💻');
    assert.equal(valid({ name: 'Ada ❤\uFE0F' }).name, 'Ada ❤\uFE0F');
    assert.equal(valid({ name: 'Ada 👍🏽' }).name, 'Ada 👍🏽');
  });
});

describe('email', () => {
  for (const email of [
    'a+tag@example.com',
    'first.last@sub.example.co.uk',
    "o'brien@example.ie",
    'user@bücher.de',
    'user@xn--bcher-kva.de',
    'x@my-host.example',
  ]) {
    test(`accepts ${email}`, () => assert.equal(valid({ email }).email, email));
  }

  for (const [email, why] of [
    ['ada.example.com', 'missing @'],
    ['ada @example.com', 'space'],
    ['ada@example', 'missing TLD dot'],
    ['a@b', 'a@b'],
    ['ada..lovelace@example.com', 'consecutive dots in local part'],
    ['ada@example..com', 'consecutive dots in domain'],
    ['.ada@example.com', 'leading dot'],
    ['ada.@example.com', 'trailing dot in local part'],
    ['ada@.example.com', 'leading dot in domain'],
    ['ada@example.com.', 'trailing dot in domain'],
    ['ada\u0000@example.com', 'NUL'],
    ['ada@exam\nple.com', 'newline (header injection)'],
    ['a@b@example.com', 'two @'],
    ['@example.com', 'empty local part'],
    ['ada@', 'empty domain'],
    ['ada@-example.com', 'label starting with hyphen'],
    ['ada@example.123', 'numeric TLD'],
  ] as const) {
    test(`rejects ${JSON.stringify(email)} (${why})`, () => assert.equal(errors({ email }).email, 'email.invalid'));
  }

  test('is trimmed; domain lowercased, local part kept as typed', () => {
    assert.equal(valid({ email: '  Ada.Lovelace+Blog@Example.COM ' }).email, 'Ada.Lovelace+Blog@example.com');
    assert.equal(valid({ email: 'user@BÜCHER.de' }).email, 'user@bücher.de');
  });

  test('254 characters is the limit', () => {
    const domain = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.com`; // 195 chars
    const at254 = `${'x'.repeat(64 - 6)}@${domain}`;
    assert.equal(at254.length, 254);
    assert.equal(valid({ email: at254 }).email, at254);
    assert.equal(errors({ email: `y${at254}` }).email, 'email.tooLong');
  });

  test('empty is "required"', () => {
    assert.equal(errors({ email: '   ' }).email, 'email.required');
  });
});

describe('website', () => {
  test('optional: empty or blank becomes null', () => {
    assert.equal(valid({ website: '' }).website, null);
    assert.equal(valid({ website: '   ' }).website, null);
    assert.equal(valid({ website: null }).website, null);
    assert.equal(valid({ website: undefined }).website, null);
  });

  test('accepts http and https URLs, stored in canonical form', () => {
    assert.equal(valid({ website: 'https://ada.dev/blog?x=1#top' }).website, 'https://ada.dev/blog?x=1#top');
    assert.equal(valid({ website: 'HTTP://Example.COM' }).website, 'http://example.com/');
  });

  test('a bare domain gets https:// like WordPress users expect', () => {
    assert.equal(valid({ website: 'example.com' }).website, 'https://example.com/');
    assert.equal(valid({ website: 'www.example.com/about' }).website, 'https://www.example.com/about');
    assert.equal(valid({ website: 'example.com:8080' }).website, 'https://example.com:8080/');
    assert.equal(valid({ website: '//example.com' }).website, 'https://example.com/');
  });

  test('IDN hosts are accepted (stored as punycode, as browsers would request them)', () => {
    assert.equal(valid({ website: 'bücher.de' }).website, 'https://xn--bcher-kva.de/');
  });

  for (const website of [
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    'java\nscript:alert(1)',
    ' javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'ftp://example.com',
    'mailto:ada@example.com',
    'https://user:pass@example.com',
    'https://user@example.com',
    'user:pass@example.com',
    'ada@example.com',
    'hello',
    'https://localhost',
    'http://exa mple.com',
    'https://',
    'https://example..com',
    'http:example.com',
  ]) {
    test(`rejects ${JSON.stringify(website)}`, () => assert.equal(errors({ website }).website, 'website.invalid'));
  }

  test('200 characters is the limit (for the stored value)', () => {
    const ok = `https://example.com/${'p'.repeat(180)}`;
    assert.equal(ok.length, 200);
    assert.equal(valid({ website: ok }).website, ok);
    assert.equal(errors({ website: `${ok}q` }).website, 'website.tooLong');
    // typed without scheme: 199 typed chars become 207 stored → too long
    assert.equal(errors({ website: `example.com/${'p'.repeat(187)}` }).website, 'website.tooLong');
  });
});

describe('comment body', () => {
  test('is trimmed and required', () => {
    assert.equal(valid({ comment: '\n\n  Hi!  \n' }).body, 'Hi!');
    assert.equal(errors({ comment: ' \n\t ' }).body, 'body.required');
    assert.equal(errors({ comment: '\u0000\u0001' }).body, 'body.required');
  });

  test('normalises line breaks and keeps tabs and paragraphs', () => {
    assert.equal(valid({ comment: 'one\r\ntwo\r\n\r\nthree\rfour\tcol' }).body, 'one\ntwo\n\nthree\nfour\tcol');
  });

  test('removes NUL and other control characters', () => {
    assert.equal(valid({ comment: 'a\u0000b\u0007c\u001bd\u007fe\u000bf' }).body, 'abcdef');
  });

  test('exactly 10,000 code points is fine, 10,001 is too long (emoji count once)', () => {
    assert.equal(valid({ comment: 'x'.repeat(10_000) }).body.length, 10_000);
    assert.equal(errors({ comment: 'x'.repeat(10_001) }).body, 'body.tooLong');
    assert.equal(valid({ comment: '🙂'.repeat(10_000) }).body, '🙂'.repeat(10_000));
    assert.equal(errors({ comment: '🙂'.repeat(10_001) }).body, 'body.tooLong');
  });

  test('length is measured after trimming and cleaning', () => {
    assert.equal(valid({ comment: `  ${'x'.repeat(10_000)}\u0000\n  ` }).body.length, 10_000);
  });
});

describe('parent', () => {
  test('absent or empty means a top-level comment', () => {
    assert.equal(valid({ parent: undefined }).parentId, null);
    assert.equal(valid({ parent: null }).parentId, null);
    assert.equal(valid({ parent: '  ' }).parentId, null);
  });

  test('a positive decimal integer is the reply target', () => {
    assert.equal(valid({ parent: '12' }).parentId, 12);
    assert.equal(valid({ parent: ' 7 ' }).parentId, 7);
    assert.equal(valid({ parent: String(Number.MAX_SAFE_INTEGER) }).parentId, Number.MAX_SAFE_INTEGER);
  });

  for (const parent of ['12abc', '-1', '1e3', '0', '00', '0x10', '1.5', '+3', '１２', '9007199254740993', 'NaN']) {
    test(`rejects ${JSON.stringify(parent)}`, () => assert.equal(errors({ parent }).parentId, 'parentId.invalid'));
  }
});

describe('boundaries a browser or a checkbox value can reach', () => {
  test('remember: every way a checkbox says yes opts in, whatever its case or padding', () => {
    for (const remember of ['on', 'ON', ' On ', 'true', 'TRUE', '1', 'yes', 'Yes']) assert.equal(valid({ remember }).remember, true, remember);
    for (const remember of ['', '0', 'no', 'false', 'y', 'onn']) assert.equal(valid({ remember }).remember, false, remember);
  });

  test('an e-mail local part may have 64 characters, not 65; a domain label 63, not 64', () => {
    assert.equal(valid({ email: `${'l'.repeat(64)}@example.com` }).email, `${'l'.repeat(64)}@example.com`);
    assert.equal(errors({ email: `${'l'.repeat(65)}@example.com` }).email, 'email.invalid');
    assert.equal(valid({ email: `ada@${'d'.repeat(63)}.example` }).email, `ada@${'d'.repeat(63)}.example`);
    assert.equal(errors({ email: `ada@${'d'.repeat(64)}.example` }).email, 'email.invalid');
  });

  test('a website with only a password, or a host ending in a dot, is refused', () => {
    assert.equal(errors({ website: 'https://:secret@example.com' }).website, 'website.invalid');
    assert.equal(errors({ website: 'https://example.com./' }).website, 'website.invalid');
  });
});
