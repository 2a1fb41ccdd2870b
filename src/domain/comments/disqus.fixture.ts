/** A Disqus export (threads first, then posts, as Disqus writes it) with the cases the importer must handle. */
export const DISQUS_EXPORT = `<?xml version="1.0" encoding="utf-8"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <category dsq:id="1"><forum>oldblog</forum><title>General</title><isDefault>true</isDefault></category>
  <thread dsq:id="7001">
    <id>https://old.example.com/posts/sip-trunk-registration-outage/</id>
    <forum>oldblog</forum>
    <category dsq:id="1" />
    <link>https://old.example.com/posts/sip-trunk-registration-outage/</link>
    <title>Outage on Tuesday</title>
    <createdAt>2020-01-01T10:00:00Z</createdAt>
    <isClosed>false</isClosed>
    <isDeleted>false</isDeleted>
  </thread>
  <thread dsq:id="7002">
    <id>42</id>
    <forum>oldblog</forum>
    <link>https://old.example.com/2019/05/failover.html</link>
    <title>Failover</title>
    <createdAt>2019-05-01T10:00:00Z</createdAt>
  </thread>
  <thread dsq:id="7003">
    <link>https://old.example.com/about/</link>
    <title>About</title>
  </thread>
  <post dsq:id="9002">
    <id />
    <message><![CDATA[<p>Agreed, __init__ matters.</p>]]></message>
    <createdAt>2020-01-02T11:00:00Z</createdAt>
    <isDeleted>false</isDeleted>
    <isSpam>false</isSpam>
    <author><email>bo@example.com</email><name>Bo</name><isAnonymous>false</isAnonymous><username>bo</username></author>
    <ipAddress>192.0.2.5</ipAddress>
    <thread dsq:id="7001" />
    <parent dsq:id="9001" />
  </post>
  <post dsq:id="9001">
    <id />
    <message><![CDATA[<p>Was <b>TLS</b> affected?<br>Asking for
a friend.</p><p>See <a href="https://status.example.com/" rel="nofollow noopener" title="https://status.example.com/">status.example.com</a></p>]]></message>
    <createdAt>2020-01-02T10:00:00Z</createdAt>
    <isDeleted>false</isDeleted>
    <isSpam>false</isSpam>
    <author><email>amp@example.com</email><name>Amp &amp;amp; Sand</name><isAnonymous>false</isAnonymous></author>
    <ipAddress>192.0.2.4</ipAddress>
    <thread dsq:id="7001" />
  </post>
  <post dsq:id="9003">
    <message><![CDATA[<p>Buy pills</p>]]></message>
    <createdAt>2020-01-03T10:00:00Z</createdAt>
    <isDeleted>false</isDeleted>
    <isSpam>true</isSpam>
    <author><email>spam@example.com</email><name>Spam</name></author>
    <thread dsq:id="7001" />
  </post>
  <post dsq:id="9004">
    <message><![CDATA[<p>I take it back</p>]]></message>
    <createdAt>2020-01-04T10:00:00Z</createdAt>
    <isDeleted>true</isDeleted>
    <isSpam>false</isSpam>
    <author><email>cy@example.com</email><name>Cy</name></author>
    <thread dsq:id="7002" />
  </post>
  <post dsq:id="9005">
    <message><![CDATA[<p>Reply across threads</p>]]></message>
    <createdAt>2020-01-05T10:00:00Z</createdAt>
    <isDeleted>false</isDeleted>
    <isSpam>false</isSpam>
    <author><email>di@example.com</email><name>Di</name></author>
    <thread dsq:id="7002" />
    <parent dsq:id="9001" />
  </post>
  <post dsq:id="9006">
    <message><![CDATA[<p>On the about page</p>]]></message>
    <createdAt>2020-01-06T10:00:00Z</createdAt>
    <isDeleted>false</isDeleted>
    <isSpam>false</isSpam>
    <author><email>ed@example.com</email><name>Ed</name></author>
    <thread dsq:id="7003" />
  </post>
</disqus>
`;
