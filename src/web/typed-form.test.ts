import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NOTHING_TYPED, readTypedForm, typedForm } from './typed-form.ts';

const form = (entries: [string, string][]) => {
  const data = new FormData();
  for (const [name, value] of entries) data.append(name, value);
  return data;
};

describe('typedForm', () => {
  test('gives text back exactly as typed, spaces and markup included', () => {
    const typed = typedForm(form([['name', '  <b>Ann</b> '], ['comment', 'line 1\r\nline 2']]));
    assert.equal(typed.submitted, true);
    assert.equal(typed.text('name', 'stored'), '  <b>Ann</b> ');
    assert.equal(typed.text('comment'), 'line 1\r\nline 2');
  });
  test('an empty field stays empty: the user cleared it', () => {
    assert.equal(typedForm(form([['website', '']])).text('website', 'https://stored.example'), '');
  });
  test('a field that was not sent, or a file, falls back', () => {
    const data = form([]);
    data.append('upload', new Blob(['x']), 'x.txt');
    const typed = typedForm(data);
    assert.equal(typed.text('name', 'stored'), 'stored');
    assert.equal(typed.text('upload'), '');
  });
  test('a field sent twice refills its first value', () => {
    assert.equal(typedForm(form([['name', 'a'], ['name', 'b']])).text('name'), 'a');
  });
  test('a submitted checkbox is ticked only when sent as "on"; absent means unticked, not the fallback', () => {
    const typed = typedForm(form([['remember', 'on'], ['notify', 'yes']]));
    assert.equal(typed.checked('remember'), true);
    assert.equal(typed.checked('notify', true), false);
    assert.equal(typed.checked('autoApprove', true), false);
  });
  test('nothing submitted: every field its fallback', () => {
    assert.equal(NOTHING_TYPED.submitted, false);
    assert.equal(NOTHING_TYPED.text('name', 'stored'), 'stored');
    assert.equal(NOTHING_TYPED.checked('autoApprove', true), true);
  });
});

describe('readTypedForm', () => {
  test('reads an urlencoded body', async () => {
    const request = new Request('http://localhost/', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=a%40example.com' });
    assert.equal((await readTypedForm(request)).text('email'), 'a@example.com');
  });
  test('an unreadable body is nothing submitted', async () => {
    const request = new Request('http://localhost/', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'email=x' });
    const typed = await readTypedForm(request);
    assert.equal(typed.submitted, false);
    assert.equal(typed.text('email', 'stored'), 'stored');
  });
});
