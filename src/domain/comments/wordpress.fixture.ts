/** A small WordPress export (WXR 1.2) for tests: a thread, spam, a pingback, a page and a post that does not exist here. */
export const SAMPLE_EXPORT = `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Old blog</title>
  <wp:wxr_version>1.2</wp:wxr_version>
  <item>
    <title>Outage on Tuesday</title>
    <wp:post_name><![CDATA[sip-trunk-registration-outage]]></wp:post_name>
    <wp:post_type><![CDATA[post]]></wp:post_type>
    <wp:comment>
      <wp:comment_id>11</wp:comment_id>
      <wp:comment_author><![CDATA[Ada & Co]]></wp:comment_author>
      <wp:comment_author_email><![CDATA[ada@example.com]]></wp:comment_author_email>
      <wp:comment_author_url>https://ada.example.org</wp:comment_author_url>
      <wp:comment_author_IP><![CDATA[192.0.2.10]]></wp:comment_author_IP>
      <wp:comment_date><![CDATA[2024-03-01 10:15:00]]></wp:comment_date>
      <wp:comment_date_gmt><![CDATA[2024-03-01 09:15:00]]></wp:comment_date_gmt>
      <wp:comment_content><![CDATA[Was <strong>TLS</strong> affected?]]></wp:comment_content>
      <wp:comment_approved><![CDATA[1]]></wp:comment_approved>
      <wp:comment_type><![CDATA[comment]]></wp:comment_type>
      <wp:comment_parent>0</wp:comment_parent>
    </wp:comment>
    <wp:comment>
      <wp:comment_id>12</wp:comment_id>
      <wp:comment_author><![CDATA[Staff]]></wp:comment_author>
      <wp:comment_author_email><![CDATA[ops@example.com]]></wp:comment_author_email>
      <wp:comment_author_url></wp:comment_author_url>
      <wp:comment_date_gmt><![CDATA[2024-03-01 09:40:00]]></wp:comment_date_gmt>
      <wp:comment_content><![CDATA[Yes, only TLS.]]></wp:comment_content>
      <wp:comment_approved><![CDATA[1]]></wp:comment_approved>
      <wp:comment_type><![CDATA[]]></wp:comment_type>
      <wp:comment_parent>11</wp:comment_parent>
    </wp:comment>
    <wp:comment>
      <wp:comment_id>13</wp:comment_id>
      <wp:comment_author><![CDATA[Spammer]]></wp:comment_author>
      <wp:comment_author_email><![CDATA[spam@example.com]]></wp:comment_author_email>
      <wp:comment_date_gmt><![CDATA[2024-03-02 00:00:00]]></wp:comment_date_gmt>
      <wp:comment_content><![CDATA[cheap pills]]></wp:comment_content>
      <wp:comment_approved><![CDATA[spam]]></wp:comment_approved>
      <wp:comment_parent>0</wp:comment_parent>
    </wp:comment>
    <wp:comment>
      <wp:comment_id>14</wp:comment_id>
      <wp:comment_author><![CDATA[Other blog]]></wp:comment_author>
      <wp:comment_date_gmt><![CDATA[2024-03-02 00:00:00]]></wp:comment_date_gmt>
      <wp:comment_content><![CDATA[linked to you]]></wp:comment_content>
      <wp:comment_approved><![CDATA[1]]></wp:comment_approved>
      <wp:comment_type><![CDATA[pingback]]></wp:comment_type>
    </wp:comment>
  </item>
  <item>
    <title>About</title>
    <wp:post_name><![CDATA[about]]></wp:post_name>
    <wp:post_type><![CDATA[page]]></wp:post_type>
  </item>
  <item>
    <title>Gone post</title>
    <wp:post_name><![CDATA[a-post-we-did-not-keep]]></wp:post_name>
    <wp:post_type><![CDATA[post]]></wp:post_type>
    <wp:comment>
      <wp:comment_id>20</wp:comment_id>
      <wp:comment_author><![CDATA[Bo]]></wp:comment_author>
      <wp:comment_author_email><![CDATA[bo@example.com]]></wp:comment_author_email>
      <wp:comment_date_gmt><![CDATA[2023-01-01 00:00:00]]></wp:comment_date_gmt>
      <wp:comment_content><![CDATA[hi]]></wp:comment_content>
      <wp:comment_approved><![CDATA[0]]></wp:comment_approved>
      <wp:comment_parent>0</wp:comment_parent>
    </wp:comment>
  </item>
</channel>
</rss>`;

/** One comment for `wxrExport`; unset fields get plausible values. */
export interface FixtureComment {
  id: number;
  parent?: number;
  author?: string;
  email?: string;
  url?: string;
  ip?: string;
  dateGmt?: string;
  content: string;
  approved?: string;
  type?: string;
  /** `_wp_trash_meta_status`, which WordPress writes for trashed comments. */
  trashMetaStatus?: string;
}

export interface FixtureItem {
  postId: number;
  slug: string;
  title?: string;
  type?: string;
  /** Post text (content:encoded), e.g. to make a large file. */
  body?: string;
  comments: FixtureComment[];
}

/** `]]>` cannot appear inside CDATA: WordPress splits it the same way. */
const cdata = (text: string): string => `<![CDATA[${text.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;

/** One item of a WXR 1.2 file, as WordPress's exporter writes it (fields before comments). */
export function wxrItem(item: FixtureItem): string {
  const comments = item.comments.map(
    (c) => `
    <wp:comment>
      <wp:comment_id>${c.id}</wp:comment_id>
      <wp:comment_author>${cdata(c.author ?? `Reader ${c.id}`)}</wp:comment_author>
      <wp:comment_author_email>${cdata(c.email ?? `reader${c.id}@example.com`)}</wp:comment_author_email>
      <wp:comment_author_url>${cdata(c.url ?? '')}</wp:comment_author_url>
      <wp:comment_author_IP>${cdata(c.ip ?? '192.0.2.1')}</wp:comment_author_IP>
      <wp:comment_date>${cdata(c.dateGmt ?? '2024-05-01 10:00:00')}</wp:comment_date>
      <wp:comment_date_gmt>${cdata(c.dateGmt ?? '2024-05-01 10:00:00')}</wp:comment_date_gmt>
      <wp:comment_content>${cdata(c.content)}</wp:comment_content>
      <wp:comment_approved>${cdata(c.approved ?? '1')}</wp:comment_approved>
      <wp:comment_type>${cdata(c.type ?? 'comment')}</wp:comment_type>
      <wp:comment_parent>${c.parent ?? 0}</wp:comment_parent>
      <wp:comment_user_id>0</wp:comment_user_id>${
        c.trashMetaStatus === undefined
          ? ''
          : `
      <wp:commentmeta>
        <wp:meta_key>${cdata('_wp_trash_meta_status')}</wp:meta_key>
        <wp:meta_value>${cdata(c.trashMetaStatus)}</wp:meta_value>
      </wp:commentmeta>`
      }
    </wp:comment>`,
  );
  return `
  <item>
    <title>${cdata(item.title ?? item.slug)}</title>
    <link>https://old.example.com/${item.slug}/</link>
    <content:encoded>${cdata(item.body ?? '')}</content:encoded>
    <wp:post_id>${item.postId}</wp:post_id>
    <wp:post_name>${cdata(item.slug)}</wp:post_name>
    <wp:status>${cdata('publish')}</wp:status>
    <wp:post_type>${cdata(item.type ?? 'post')}</wp:post_type>${comments.join('')}
  </item>`;
}

export const WXR_HEAD = `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>Old blog &amp; more</title>
  <wp:wxr_version>1.2</wp:wxr_version>`;
export const WXR_TAIL = `
</channel>
</rss>
`;

export function wxrExport(items: FixtureItem[]): string {
  return WXR_HEAD + items.map(wxrItem).join('') + WXR_TAIL;
}

/** The cases real exports carry that a plain one does not (issue 14). */
export const HARD_ITEMS: FixtureItem[] = [
  {
    postId: 100,
    slug: 'sip-trunk-registration-outage',
    comments: [
      // A reply that comes before its parent in the file.
      { id: 202, parent: 201, content: 'Agreed.' },
      { id: 201, author: 'Amp &amp; Sand', url: 'https://amp.example/?a=1&amp;b=2', content: 'Use __init__ and C:\\Users\\me\\*.txt\n\n[x](https://example.com/docs) is how\n&gt; this is not a quote' },
      // Its parent is on another post: top level here.
      { id: 203, parent: 301, content: 'Replying across posts' },
      // Its parent was a pingback (not imported): top level.
      { id: 204, parent: 205, content: 'Reply to a ping' },
      { id: 205, type: 'pingback', content: 'linked' },
      { id: 206, type: 'trackback', content: 'tracked' },
      { id: 207, content: 'x'.repeat(12_499) },
      { id: 208, approved: 'post-trashed', trashMetaStatus: '1', content: 'On a trashed post' },
      { id: 209, approved: 'trash', trashMetaStatus: '0', content: 'Trashed while pending' },
      { id: 210, approved: 'weird', content: 'Unknown status' },
      { id: 211, content: '   ' },
      { id: 212, email: 'not an address', url: 'javascript:alert(1)', author: '', content: 'Odd author fields' },
      { id: 213, type: 'order_note', content: 'Not a reader comment' },
    ],
  },
  { postId: 300, slug: 'how-we-test-failover', comments: [{ id: 301, content: 'On the other post' }] },
  { postId: 5, slug: 'about', type: 'page', title: 'About', comments: [{ id: 401, content: 'A comment on a page' }] },
];
export const HARD_EXPORT = wxrExport(HARD_ITEMS);
