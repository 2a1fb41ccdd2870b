import type { App } from './start';

/**
 * What services work with. The web layer and the commands hold a `Db` and pass it on; only
 * db/queries looks inside it.
 */
export type { Db, DbConnection } from '../../db/client';

/** The started application as services see it (no way to stop it). */
export type AppContext = Omit<App, 'stop'>;
