import { checkFlowText } from '../../../runtime/flow/checkFlowText.ts';
import { describeFlowChanges, type FlowChange } from '../../../runtime/flow/describeFlowChanges.ts';

/**
 * The changes from one flow text to another in the author's words (describeFlowChanges, the same
 * sentences the server's publish check gives), or why they cannot be compared.
 */
export function flowChangesBetween(beforeText: string, afterText: string): { changes: FlowChange[] } | { error: string } {
  const before = checkFlowText(beforeText).flow;
  if (!before) return { error: 'The published version could not be read as a flow.' };
  const after = checkFlowText(afterText).flow;
  if (!after) return { error: 'The draft is not valid JSON right now: fix it to compare.' };
  return { changes: describeFlowChanges(before, after) };
}
