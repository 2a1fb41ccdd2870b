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
