import { NODE_LABELS, type GraphNodeKind } from '../../../runtime/flow/flowGraph.ts';

/** How each kind of state looks on the canvas and in menus. Labels are the flow model's plain words. */
export interface KindLook {
  kind: GraphNodeKind;
  /** what the author reads, e.g. "Bot says" */
  label: string;
  /** one-line explanation for palettes and menus */
  hint: string;
  /** css modifier: colours come from the theme */
  tone: 'say' | 'ask' | 'open' | 'close' | 'pick' | 'type' | 'person' | 'other';
}

function look(kind: GraphNodeKind, hint: string, tone: KindLook['tone']): KindLook {
  return { kind, label: NODE_LABELS[kind], hint, tone };
}

/** The kinds an author can add, in palette order. */
export const KIND_LOOKS: readonly KindLook[] = [
  look('BotText', 'Show a message from the bot', 'say'),
  look('ChoiceRequest', 'Offer choices as buttons', 'ask'),
  look('StartChatSession', 'Open the text box', 'open'),
  look('EndChatSession', 'Close the text box', 'close'),
  look('ChoiceResponse', 'React to a picked choice', 'pick'),
  look('UserText', 'React to typed text', 'type'),
  look('OperatorHandoff', 'Hand the visitor to an operator; next is the fallback', 'person'),
];

const BY_KIND = new Map<string, KindLook>(KIND_LOOKS.map((k) => [k.kind, k]));
const UNKNOWN = look('Unknown', 'A state this studio does not recognise', 'other');
const EMPTY = look('Empty', 'A state with nothing to send or match', 'other');

/** The look of a graph node kind. */
export function lookOf(kind: GraphNodeKind): KindLook {
  return BY_KIND.get(kind) ?? (kind === 'Empty' ? EMPTY : UNKNOWN);
}
