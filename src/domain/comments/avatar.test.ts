import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { avatarHue, avatarInitials } from './avatar';

describe('avatarInitials', () => {
  test('first letters of the first and last word, upper-cased', () => {
    assert.equal(avatarInitials('Dana Whitfield'), 'DW');
    assert.equal(avatarInitials('  jean-luc  de la  Croix '), 'JC');
    assert.equal(avatarInitials('Priya'), 'P');
    assert.equal(avatarInitials('ömer über'), 'ÖÜ');
  });
  test('letters outside the basic plane stay whole; punctuation is skipped', () => {
    assert.equal(avatarInitials('𝒜da "Bob"'), '𝒜B');
    assert.equal(avatarInitials('— Ann —'), 'A');
  });
  test('a name without letters or digits gets a question mark', () => {
    assert.equal(avatarInitials('  '), '?');
    assert.equal(avatarInitials('!!! ...'), '?');
  });
});

describe('avatarHue', () => {
  test('the same hash gives the same hue, within 0–359', () => {
    assert.equal(avatarHue('00000000ff'), 0);
    assert.equal(avatarHue('00000169'), 1);
    assert.equal(avatarHue('ffffffff'), 0xffffffff % 360);
    assert.equal(avatarHue('a1b2c3d4e5'), avatarHue('a1b2c3d4'));
  });
  test('not a hash: hue 0 rather than NaN in the page', () => {
    assert.equal(avatarHue('zz'), 0);
  });
});
