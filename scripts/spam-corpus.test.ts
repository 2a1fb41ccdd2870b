/**
 * The spam-filter bench's corpus handling: the split must be the same on every run and machine
 * (else figures from two runs are not comparable), and a mail must reach the filter as the
 * fields a comment has, its text decoded, nothing of the mail's transport headers left.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeHeaderWords, htmlToText, isHeldOut, mailToCommentInput, parseSender, precisionRecall, splitCorpus, stableHash } from './spam-corpus';

describe('split', () => {
  test('the hash is FNV-1a 32-bit over UTF-8 (known values), so the split never depends on the run', () => {
    assert.equal(stableHash(''), 0x811c9dc5);
    assert.equal(stableHash('a'), 0xe40c292c);
    assert.equal(stableHash('foobar'), 0xbf9cf968);
    assert.equal(stableHash('é'), stableHash(Buffer.from('é', 'utf8').toString('utf8')));
  });

  test('about 30% held out, the same texts each time, duplicates on one side', () => {
    const texts = Array.from({ length: 2000 }, (_, i) => `message ${i}`);
    const first = splitCorpus(texts, (t) => t);
    const again = splitCorpus([...texts, ...texts], (t) => t);
    assert.ok(first.test.length > 500 && first.test.length < 700, `${first.test.length} held out`);
    assert.deepEqual(again.test, [...first.test, ...first.test]);
    assert.equal(first.train.length + first.test.length, texts.length);
    for (const t of first.test) assert.equal(isHeldOut(t), true);
    assert.equal(splitCorpus(texts, (t) => t, 0).test.length, 0);
    assert.equal(splitCorpus(texts, (t) => t, 100).train.length, 0);
  });
});

test('precision and recall of the spam class, undefined when nothing is flagged or there is no spam', () => {
  assert.deepEqual(precisionRecall({ truePositives: 8, falsePositives: 2, falseNegatives: 8 }), { precision: 0.8, recall: 0.5 });
  assert.ok(Number.isNaN(precisionRecall({ truePositives: 0, falsePositives: 0, falseNegatives: 3 }).precision));
  assert.ok(Number.isNaN(precisionRecall({ truePositives: 0, falsePositives: 1, falseNegatives: 0 }).recall));
});

describe('a mail as a comment', () => {
  test('sender forms and encoded words', () => {
    assert.deepEqual(parseSender('"Jane Doe" <jane@example.com>'), { name: 'Jane Doe', email: 'jane@example.com' });
    assert.deepEqual(parseSender('jane@example.com (Jane Doe)'), { name: 'Jane Doe', email: 'jane@example.com' });
    assert.deepEqual(parseSender('jane@example.com'), { name: '', email: 'jane@example.com' });
    assert.deepEqual(parseSender('=?utf-8?B?SsO8cmdlbg==?= <j@example.de>'), { name: 'Jürgen', email: 'j@example.de' });
    assert.equal(decodeHeaderWords('=?iso-8859-1?Q?Caf=E9_au_lait?='), 'Café au lait');
    assert.equal(decodeHeaderWords('=?bogus-charset?Q?ok?='), 'ok');
  });

  test('HTML keeps its words and link targets, drops markup, styles and scripts', () => {
    const text = htmlToText('<style>p{x:y}</style><p>Buy <b>now</b>&nbsp;&amp; <a href="http://cheap.example/x">here</a> &#233;<script>evil()</script></p>');
    assert.equal(text.replace(/\s+/g, ' ').trim(), 'Buy now & http://cheap.example/x here é');
  });

  test('mbox line and transport headers dropped; folded subject and base64 body decoded', () => {
    const mail = [
      'From bounce@relay.example  Thu Aug 22 13:17:22 2002',
      'Received: from relay.example by mx.example',
      'From: Ann <ann@lists.example>',
      'Subject: Re: the failover',
      '  drill',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('Grüße, it worked.\n').toString('base64'),
    ].join('\r\n');
    assert.deepEqual(mailToCommentInput(mail), { name: 'Ann', email: 'ann@lists.example', website: null, body: 'Re: the failover drill\n\nGrüße, it worked.\n' });
  });

  test('multipart: the text/plain alternative (quoted-printable), attachments skipped; HTML only when no plain text', () => {
    const alternative = [
      'From: x@y.example',
      'Content-Type: multipart/mixed; boundary="outer"',
      '',
      'preamble',
      '--outer',
      'Content-Type: multipart/alternative; boundary=inner',
      '',
      '--inner',
      'Content-Type: text/plain; charset=iso-8859-1',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Caf=E9 so=',
      'ft break',
      '--inner',
      'Content-Type: text/html',
      '',
      '<p>HTML copy</p>',
      '--inner--',
      '--outer',
      'Content-Type: application/octet-stream',
      'Content-Transfer-Encoding: base64',
      '',
      'AAAA',
      '--outer--',
    ].join('\n');
    assert.equal(mailToCommentInput(alternative).body.trim(), 'Café soft break');
    const htmlOnly = ['From: x@y.example', 'Content-Type: multipart/alternative; boundary=b', '', '--b', 'Content-Type: text/html', '', '<p>only <i>HTML</i></p>', '--b--'].join('\n');
    assert.equal(mailToCommentInput(htmlOnly).body.replace(/\s+/g, ' ').trim(), 'only HTML');
  });
});
