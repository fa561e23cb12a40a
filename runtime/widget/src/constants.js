// @ts-check
/** The widget's log prefix and timings. */

const LOG_PREFIX = '[bot-assistant]';
const RETRY_FIRST_MS = 500;
const RETRY_CAP_MS = 10_000;
/** A replay burst is over once the server has been quiet this long... */
const REPLAY_QUIET_MS = 60;
/** quiet time after the last frame before "nothing left to answer" counts as the conversation's end */
const END_SETTLE_MS = 700;
/** ...or this long after the socket opened with nothing sent at all. */
const REPLAY_EMPTY_MS = 200;
/** The server closes the socket after SessionReset; if it does not, we do. */
const RESET_CLOSE_GRACE_MS = 1500;
