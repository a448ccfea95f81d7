/**
 * Statements coalesced within one transaction. Calls made in the same turn (the works sharing a
 * transaction, see core's groupCommit, reach each step together) wait for the turn to end and go
 * out as one statement per kind, the kinds in the order they were first called in the turn. So a
 * batch of touches costs a statement per step, not per touch, and still runs its steps in order.
 *
 * A turn ends when the promise callbacks queued with it have run (process.nextTick), not at the
 * next setImmediate: that would wait behind every HTTP request the event loop has ready, and a
 * batch's steps are what every request in it is waiting for.
 */
export interface Turn {
  /**
   * A coalesced form of `run`: each call's key joins the turn's batch, and `run` answers the
   * whole batch at once, one answer (or a promise of one) per key, in order.
   */
  coalesce<K, V>(run: (keys: readonly K[]) => Promise<readonly (V | Promise<V>)[]>): (key: K) => Promise<V>;
}

interface Waiting<K, V> {
  readonly key: K;
  readonly resolve: (value: V | Promise<V>) => void;
  readonly reject: (reason: unknown) => void;
}

export function createTurn(): Turn {
  /** The kinds called in this turn, in order: each sends its batch. */
  let due: (() => void)[] = [];
  const endOfTurn = () => {
    const sends = due;
    due = [];
    for (const send of sends) send();
  };
  return {
    coalesce<K, V>(run: (keys: readonly K[]) => Promise<readonly (V | Promise<V>)[]>) {
      let waiting: Waiting<K, V>[] = [];
      const send = () => {
        const batch = waiting;
        waiting = [];
        // A run that throws at once fails its batch, as one that rejects does (not the whole turn).
        new Promise<readonly (V | Promise<V>)[]>((answer) => answer(run(batch.map((w) => w.key)))).then(
          (answers) => {
            for (const [i, { resolve }] of batch.entries()) resolve(answers[i] as V | Promise<V>);
          },
          (error) => {
            for (const { reject } of batch) reject(error);
          },
        );
      };
      return (key: K) =>
        new Promise<V>((resolve, reject) => {
          waiting.push({ key, resolve, reject });
          if (waiting.length > 1) return;
          if (due.length === 0) process.nextTick(endOfTurn);
          due.push(send);
        });
    },
  };
}
