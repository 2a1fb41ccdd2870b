import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { transactionContext } from './transaction-context.ts';

test('code in a transaction knows it, across awaits; code outside does not', async () => {
  const context = transactionContext<string>();
  assert.equal(context.current(), undefined);
  const seen = await context.run('tx1', async () => {
    await nextTurn();
    return context.current();
  });
  assert.equal(seen, 'tx1');
  assert.equal(context.current(), undefined);
});

test('transactions open at the same time keep their own context until each ends', async () => {
  const context = transactionContext<string>();
  let finishFirst!: () => void;
  const firstMayEnd = new Promise<void>((resolve) => (finishFirst = resolve));
  const first = context.run('first', async () => {
    await firstMayEnd;
    return context.current();
  });
  // The second ends while the first is still open: the first must still know its own.
  assert.equal(await context.run('second', async () => context.current()), 'second');
  finishFirst();
  assert.equal(await first, 'first');
});

test('after every transaction ended, a new one is known again', async () => {
  const context = transactionContext<number>();
  for (let i = 0; i < 3; i++) assert.equal(await context.run(i, async () => (await nextTurn(), context.current())), i);
});
