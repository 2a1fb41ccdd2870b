/**
 * What services work with. The web layer and the commands hold a `Db` and pass it on; only
 * db/queries looks inside it.
 */
export type { Db, DbConnection } from '../../db/client';
