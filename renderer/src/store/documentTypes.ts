import type { Diagnostic, Flow, TextFormat } from '../../../runtime/flow/types.ts';
import type { FlowLayout, FlowRef, NodePosition } from '../host/studioHost.ts';

/** Canvas positions by state name. */
export type Positions = Record<string, NodePosition>;

/** What one undo step restores. Flows are immutable, so a snapshot shares everything unchanged. */
export interface DocumentSnapshot {
  flow: Flow;
  text: string;
  positions: Positions;
  selection: string[];
}

/** A request to scroll the JSON editor to a span; `nonce` makes repeated reveals of one span fire. */
export interface RevealRequest {
  offset: number;
  length: number;
  nonce: number;
}

/** A short message for the author (shown as a toast). */
export interface Notice {
  message: string;
  tone: 'info' | 'error';
  nonce: number;
}

export interface DocumentData extends DocumentSnapshot {
  ref: FlowRef | null;
  displayName: string;
  format: TextFormat;
  /** the last text that parsed (equals `text` unless the author is mid-edit in the JSON pane) */
  lastGoodText: string;
  /** false while `text` does not parse: `flow` is then the last good flow */
  parseOk: boolean;
  diagnostics: Diagnostic[];
  /**
   * The flow `diagnostics` were found in. Validation runs a moment after an edit, so until then it is
   * the flow before the edit: a problem's step name and words are looked up here, not in `flow`.
   */
  checkedFlow: Flow;
  viewport: FlowLayout['viewport'];
  past: HistoryEntry[];
  future: HistoryEntry[];
  /** the text and positions as last saved (or opened), for the dirty marker */
  savedText: string;
  savedPositions: Positions;
  /** the text last exported from this document (null until then): its ids stay put like the saved file's */
  exportedText: string | null;
  reveal: RevealRequest | null;
  notice: Notice | null;
  /** an auto-layout is running */
  layingOut: boolean;
  /** selected links (canvas edge ids); cleared by every edit, since edge ids follow the flow */
  selectedLinks: string[];
}

export interface HistoryEntry {
  snapshot: DocumentSnapshot;
  label: string;
}
