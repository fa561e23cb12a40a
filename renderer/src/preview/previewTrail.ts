import type { PreviewStep } from '../host/studioHost.ts';

/** Where the preview conversation went: the last step's states and every link taken so far. */
export interface PreviewTrail {
  sid: string | null;
  /** states the last step passed through */
  visited: string[];
  /** states waiting for the user */
  waiting: string[];
  /** links taken since the conversation started, as `source>target` keys */
  links: string[];
  /** the last step was the conversation's start: nobody has answered yet */
  starting: boolean;
}

export const EMPTY_TRAIL: PreviewTrail = { sid: null, visited: [], waiting: [], links: [], starting: false };

/** The key of a link between two states (any handle). */
export function linkKey(source: string, target: string): string {
  return `${source}>${target}`;
}

/**
 * Folds one step into the trail. A start (or another session's step) begins a new trail; an
 * answer adds the link from the state that asked to the state that took the answer, then the
 * `next` links the step walked. A reset clears the trail.
 */
export function applyPreviewStep(trail: PreviewTrail, step: PreviewStep): PreviewTrail {
  if (step.event === 'reset') return step.sid === trail.sid ? EMPTY_TRAIL : trail;
  const continues = step.event === 'response' && step.sid === trail.sid;
  const links = continues ? [...trail.links] : [];
  const add = (key: string) => {
    if (!links.includes(key)) links.push(key);
  };
  if (continues && step.resumedAt) for (const asked of trail.waiting) add(linkKey(asked, step.resumedAt));
  for (let i = 1; i < step.visited.length; i++) add(linkKey(step.visited[i - 1], step.visited[i]));
  return { sid: step.sid, visited: step.visited, waiting: step.waiting, links, starting: step.event === 'start' };
}
