import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BACKGROUND, contrastRatio, parseSiteConfig, site } from './site.config.ts';

const valid = {
  name: 'Example Blog',
  tagline: { en: 'Notes', de: 'Notizen' },
  logo: '/logo.svg',
  accent: { light: '#0b5cad', dark: '#7fb6ff' },
};

describe('site configuration', () => {
  test('contrast ratio follows WCAG: black on white is 21:1, a colour on itself 1:1', () => {
    assert.equal(contrastRatio('#000000', '#ffffff'), 21);
    assert.equal(contrastRatio('#777777', '#777777'), 1);
    assert.ok(Math.abs(contrastRatio('#767676', '#ffffff') - 4.54) < 0.01);
  });

  test('the shipped configuration is valid and its accents pass AA on their backgrounds', () => {
    assert.ok(contrastRatio(site.accent.light, BACKGROUND.light) >= 4.5);
    assert.ok(contrastRatio(site.accent.dark, BACKGROUND.dark) >= 4.5);
    assert.ok(site.legalPages.some((p) => p.slug === 'imprint'));
  });

  test('defaults: no footer links or legal pages unless given', () => {
    const config = parseSiteConfig(valid);
    assert.deepEqual(config.footerLinks, []);
    assert.deepEqual(config.legalPages, []);
  });

  test('an accent too pale for white text backgrounds stops the build, naming the field', () => {
    assert.throws(() => parseSiteConfig({ ...valid, accent: { light: '#7fb6ff', dark: '#7fb6ff' } }), /accent: accent\.light needs 4\.5:1/);
    assert.throws(() => parseSiteConfig({ ...valid, accent: { light: '#0b5cad', dark: '#0b5cad' } }), /accent\.dark needs 4\.5:1/);
  });

  test('a missing German tagline, a logo outside public/ or a javascript: footer link are refused', () => {
    assert.throws(() => parseSiteConfig({ ...valid, tagline: { en: 'Notes' } }), /tagline\.de/);
    assert.throws(() => parseSiteConfig({ ...valid, logo: 'https://cdn.example/logo.svg' }), /logo/);
    assert.throws(() => parseSiteConfig({ ...valid, footerLinks: [{ label: { en: 'x', de: 'x' }, href: 'javascript:alert(1)' }] }), /footerLinks\.0\.href/);
  });
});
