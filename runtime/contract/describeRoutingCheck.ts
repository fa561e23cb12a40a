/**
 * The sentence for a server's routing check (`POST /publish/routing`), the same in the studio's
 * Publish dialog and `bot-assistant publish --check`. Pure.
 */
import type { PublishRoutingResult } from './publishTypes.ts';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** e.g. "2 of the 40 recorded conversations on the running version 3f2a9c01 would now go another way." */
export function describeRoutingCheck(result: PublishRoutingResult): string {
  const version = result.version === null ? 'the server (it runs no version)' : `the running version ${result.version.slice(0, 8)}`;
  if (result.checked === 0) return `No recorded visitor conversations on ${version} to compare with.`;
  const bounded = result.recorded > result.checked;
  const which = bounded
    ? `the ${result.checked} most recent of ${plural(result.recorded, 'recorded conversation')}`
    : result.checked === 1
      ? 'the one recorded conversation'
      : `${result.changed === 0 ? 'all' : 'the'} ${result.checked} recorded conversations`;
  const bound = bounded ? ` (at most ${result.limit} are replayed)` : '';
  if (result.changed === 0) return `${capitalize(which)} on ${version} would go the same way${bound}.`;
  return `${result.changed} of ${which} on ${version} would now go another way${bound}.`;
}

/** One line per group: where the conversations split and why. */
export function describeRoutingGroups(result: PublishRoutingResult): string[] {
  return result.groups.map((group) => `${plural(group.count, 'conversation')} at step ${group.step}: ${group.reason}`);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
