/**
 * The change stamps the page cache and the thread fragments compare (see db/queries/page-stamps.ts):
 * services bump them inside the transaction that makes a change visible; the web layer only reads.
 */
export { cachedPageStampReader, LISTING_SCOPE, postScope, readPageStamp, type PageStampReader } from '../../db/queries/page-stamps';
