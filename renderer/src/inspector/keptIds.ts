/**
 * Which step names and choice ids stay put when their text changes: those in the file as saved or
 * as last exported (links in other files, recorded sessions and deployed copies use them). The
 * others follow their text.
 */
import { checkFlowText } from '../../../runtime/flow/checkFlowText.ts';
import { isPlainObject } from '../../../runtime/flow/isPlainObject.ts';
import type { Flow } from '../../../runtime/flow/types.ts';

/** The flows whose ids are kept: the saved file's and, once exported, the exported copy's. */
export function keptFlows(savedText: string, exportedText: string | null): Flow[] {
  const texts = exportedText === null || exportedText === savedText ? [savedText] : [savedText, exportedText];
  return texts.flatMap((text) => checkFlowText(text).flow ?? []);
}

/** Step names any kept flow uses. */
export function keptNames(flows: readonly Flow[]): string[] {
  return [...new Set(flows.flatMap((flow) => flow.states.map((s) => s.name)))];
}

/** The itemIds kept flows give the question in state `name` (none when no kept flow has it). */
export function keptChoiceIds(flows: readonly Flow[], name: string): string[] {
  const ids = flows.flatMap((flow) => {
    const request = flow.states.find((s) => s.name === name)?.state.sendRequest;
    if (!isPlainObject(request) || !Array.isArray(request.choices)) return [];
    return request.choices.flatMap((c: unknown) => (isPlainObject(c) && (typeof c.itemId === 'string' || typeof c.itemId === 'number') ? [String(c.itemId)] : []));
  });
  return [...new Set(ids)];
}
