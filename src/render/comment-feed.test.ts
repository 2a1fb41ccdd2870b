import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTranslator } from '../i18n/index.ts';
import { commentFeedItems, xmlSafe } from './comment-feed.ts';

const comment = { id: 7, postSlug: 'outage', authorName: 'Ann', bodyHtml: '<p>Hi <strong>there</strong></p>', createdAt: new Date('2026-11-01T08:00:00Z') };
const titles = new Map([['outage', 'The outage']]);

describe('commentFeedItems', () => {
  test('an item names author and post, links the stable comment address and carries the sanitised body', () => {
    const [item] = commentFeedItems([comment], titles, createTranslator('en'));
    assert.equal(item.title, 'Ann on “The outage”');
    assert.equal(item.link, '/comments/7');
    assert.equal(item.description, '<p>Hi <strong>there</strong></p>');
    assert.deepEqual(item.pubDate, comment.createdAt);
    assert.equal(item.customData, '<dc:creator><![CDATA[Ann]]></dc:creator>');
  });
  test('German titles', () => {
    assert.equal(commentFeedItems([comment], titles, createTranslator('de'))[0].title, 'Ann zu „The outage“');
  });
  test('a name cannot end its CDATA section or carry characters XML forbids', () => {
    const [item] = commentFeedItems([{ ...comment, authorName: 'x]]><evil/>\u0001' }], titles, createTranslator('en'));
    assert.equal(item.customData, '<dc:creator><![CDATA[x]]]]><![CDATA[><evil/>]]></dc:creator>');
    assert.equal(xmlSafe('a\u0000b\u000bc\nd\uFFFE'), 'ab' + 'c\nd');
  });
});
