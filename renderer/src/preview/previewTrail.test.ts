import { describe, expect, it } from 'vitest';
import { applyPreviewStep, EMPTY_TRAIL } from './previewTrail.ts';

const start = { sid: 's1', event: 'start' as const, visited: ['greetings', 'langChoices'], waiting: ['langChoices'], flowHash: 'h' };
const rust = { sid: 's1', event: 'response' as const, visited: ['langChoiceRust', 'anyOtherChoices'], waiting: ['anyOtherChoices'], resumedAt: 'langChoiceRust', flowHash: 'h' };

describe('the preview trail', () => {
  it('follows a start, then the answer link and the next links of a response', () => {
    const first = applyPreviewStep(EMPTY_TRAIL, start);
    expect(first).toEqual({ sid: 's1', visited: start.visited, waiting: ['langChoices'], links: ['greetings>langChoices'], starting: true });
    const second = applyPreviewStep(first, rust);
    expect(second.starting).toBe(false);
    expect(second.waiting).toEqual(['anyOtherChoices']);
    expect(second.links).toEqual(['greetings>langChoices', 'langChoices>langChoiceRust', 'langChoiceRust>anyOtherChoices']);
  });

  it('starts over for a new session and clears on its reset, ignoring another session\'s reset', () => {
    const trail = applyPreviewStep(applyPreviewStep(EMPTY_TRAIL, start), rust);
    const other = applyPreviewStep(trail, { ...start, sid: 's2' });
    expect(other.links).toEqual(['greetings>langChoices']);
    expect(applyPreviewStep(other, { sid: 's1', event: 'reset', visited: [], waiting: [], flowHash: 'h' })).toBe(other);
    expect(applyPreviewStep(other, { sid: 's2', event: 'reset', visited: [], waiting: [], flowHash: 'h' })).toEqual(EMPTY_TRAIL);
  });

  it('does not link an answer that arrives from a session it did not see start', () => {
    expect(applyPreviewStep(EMPTY_TRAIL, rust).links).toEqual(['langChoiceRust>anyOtherChoices']);
  });
});
