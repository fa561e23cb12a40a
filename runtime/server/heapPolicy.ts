/**
 * How much garbage the runtime's process may hold, set once when a runtime server starts: `serve`
 * and the studio's embedded runtime behave the same.
 *
 * V8 lets the old generation grow up to 4x its live size between full collections. A busy server
 * promotes some of each in-flight turn's garbage (a turn waits for its commit to be durable), so the
 * heap would sit at several times what is live: RSS ~310–340 MiB where 40–60 MiB is live, at
 * 5,000 sessions (`npm run bench:runtime -- memory`). Growing by 30% keeps RSS near the live size
 * (~181 MiB there on Node 20, most of it the 5,000 sockets and the index; ~195 on Node 22, whose
 * baseline is 15 MiB higher) for some CPU: ~4 µs a turn of background marking at 1,000 sessions.
 */
import { setFlagsFromString } from 'node:v8';

const HEAP_GROWING_FLAG = '--heap-growing-percent=30';

let applied = false;

/** Applies the policy to this process (once; later calls do nothing). */
export function keepHeapNearLiveSize(): void {
  if (applied) return;
  applied = true;
  setFlagsFromString(HEAP_GROWING_FLAG);
}
