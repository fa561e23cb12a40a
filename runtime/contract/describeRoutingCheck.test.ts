import { describe, expect, it } from 'vitest';
import { describeRoutingCheck, describeRoutingGroups } from './describeRoutingCheck.ts';
import type { PublishRoutingResult } from './publishTypes.ts';

const result = (fields: Partial<PublishRoutingResult>): PublishRoutingResult => ({ version: '3f2a9c0112345678', recorded: 0, checked: 0, limit: 1000, changed: 0, groups: [], ...fields });

describe('the sentence for a server routing check', () => {
  it('says how many of how many conversations, on which version, and when only the most recent were replayed', () => {
    expect(describeRoutingCheck(result({}))).toBe('No recorded visitor conversations on the running version 3f2a9c01 to compare with.');
    expect(describeRoutingCheck(result({ recorded: 1, checked: 1 }))).toBe('The one recorded conversation on the running version 3f2a9c01 would go the same way.');
    expect(describeRoutingCheck(result({ recorded: 40, checked: 40 }))).toBe('All 40 recorded conversations on the running version 3f2a9c01 would go the same way.');
    expect(describeRoutingCheck(result({ recorded: 40, checked: 40, changed: 2 }))).toBe('2 of the 40 recorded conversations on the running version 3f2a9c01 would now go another way.');
    expect(describeRoutingCheck(result({ recorded: 5000, checked: 1000, changed: 7 }))).toBe(
      '7 of the 1000 most recent of 5000 recorded conversations on the running version 3f2a9c01 would now go another way (at most 1000 are replayed).',
    );
    expect(describeRoutingGroups(result({ groups: [{ step: 1, reason: 'The draft sends from b, not a.', count: 2 }] }))).toEqual(['2 conversations at step 1: The draft sends from b, not a.']);
  });
});
