import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Which transaction the running code is in, known only while one is open. On Node 20 an
 * AsyncLocalStorage, once used, keeps async hooks on for its whole thread, and every promise
 * and tick pays for them from then on: on the front server's thread, which opens a transaction
 * only now and then (at start, retrying mail), that cost cached pages about 5% of their
 * throughput. So the storage is switched off whenever no transaction is open.
 */
export interface TransactionContext<T> {
  /** The open transaction the caller runs in, if any. */
  current(): T | undefined;
  /** Runs `work` in `transaction`. */
  run<R>(transaction: T, work: () => Promise<R>): Promise<R>;
}

export function transactionContext<T>(): TransactionContext<T> {
  const storage = new AsyncLocalStorage<T>();
  let open = 0;
  return {
    current: () => storage.getStore(),
    async run(transaction, work) {
      open++;
      try {
        return await storage.run(transaction, work);
      } finally {
        // Nothing runs in a transaction any more: code that outlived its own (a promise it
        // left running) would wait for its turn like any other caller, which is right.
        if (--open === 0) storage.disable();
      }
    },
  };
}
