/**
 * The studio↔host contract: the one interface through which the studio reaches its host, and the
 * shapes that cross it. Implemented twice: by the Electron preload (IPC, `window.studioHost`, served
 * by electron/) and by the web-mode HTTP client (renderer/src/host/webHost.ts, served by
 * runtime/server/studioHost.ts). It lives here, below all three, so each imports it downward.
 * Pure like runtime/flow (no Node, no DOM; see runtime/contract/tsconfig.json): everything here is
 * serializable (it crosses IPC or HTTP).
 */
import type { Coverage, CoverageScope, PreviewStep, SessionPage, SessionQuery, Transcript } from '../history/historyTypes.ts';
import type { PublishCheckResult, PublishResult, PublishStatus, PublishTarget } from './publishTypes.ts';

export type { PublishCheckResult, PublishedVersion, PublishResult, PublishStatus, PublishTarget } from './publishTypes.ts';
export type { Coverage, CoverageScope, PreviewStep, SessionFilter, SessionInfo, SessionPage, SessionQuery, Transcript, TranscriptEntry } from '../history/historyTypes.ts';

/** A reference to a flow file: a path relative to the workspace (web) or an absolute path (desktop). */
export type FlowRef = string;

export interface FlowFileInfo {
  ref: FlowRef;
  /** what to show the author, e.g. "bot-assistant.json" */
  displayName: string;
  modifiedMs: number;
}

export interface NodePosition {
  x: number;
  y: number;
}

/** The `<name>.layout.json` sidecar: canvas positions and viewport, never stored in the flow file. */
export interface FlowLayout {
  positions: Record<string, NodePosition>;
  viewport?: { x: number; y: number; zoom: number };
}

/**
 * Names one state on disk of a flow and its layout sidecar, taken together (a content hash of both;
 * opaque to the studio). Open returns it; each save names the version it was based on.
 */
export type FlowVersion = string;

export interface OpenedFlow {
  ref: FlowRef;
  displayName: string;
  /** the flow file's text, exactly as on disk */
  text: string;
  /** null when there is no sidecar (the studio auto-lays out) */
  layout: FlowLayout | null;
  /** the version of the flow and its sidecar as read */
  version: FlowVersion;
}

/**
 * What a save did: wrote the flow and its layout as one unit (the new version), or wrote nothing
 * because the files changed since the version the save was based on (someone else saved, or the
 * file was deleted: `exists` false). The studio then asks: Reload, Overwrite or Save as.
 */
export type SaveResult =
  | { saved: true; version: FlowVersion }
  | { saved: false; conflict: { version: FlowVersion; exists: boolean } };

/** Commands the host's menus can send (the studio's shortcuts drive the same ones). */
export const MENU_COMMANDS = [
  'file.new', 'file.open', 'file.save', 'file.saveAs', 'file.export', 'file.publish', 'file.close',
  'edit.undo', 'edit.redo', 'edit.cut', 'edit.copy', 'edit.paste', 'edit.delete', 'edit.selectAll', 'edit.find',
  'view.fit', 'view.zoomIn', 'view.zoomOut', 'view.zoomReset', 'view.toggleJson', 'view.togglePreview',
  'view.toggleSessions', 'help.about', 'help.docs',
] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

export interface StudioHost {
  readonly kind: 'web' | 'desktop';
  /** Flows the author can pick from (the workspace in web mode, recent files on the desktop). */
  listFlows(): Promise<FlowFileInfo[]>;
  openFlow(ref: FlowRef): Promise<OpenedFlow>;
  /**
   * Writes the flow text exactly as given and the layout to its sidecar, as one unit, if they are
   * still at `baseVersion` (null: whatever is there, for Overwrite or a file just created); else
   * writes nothing and answers the conflict. Rejects with a message saying why it could not save.
   */
  saveFlow(ref: FlowRef, text: string, layout: FlowLayout | null, baseVersion: FlowVersion | null): Promise<SaveResult>;
  /** Creates a new file; rejects if it exists. Returns its ref. */
  createFlow(name: string, text: string): Promise<FlowRef>;
  renameFlow(ref: FlowRef, newName: string): Promise<FlowRef>;
  deleteFlow(ref: FlowRef): Promise<void>;
  /** Native "Open…" dialog; null when cancelled or when the host has none (web: the studio shows its own list). */
  showOpenDialog(): Promise<FlowRef | null>;
  /** Native "Save As…" dialog; null when cancelled or when the host has none. */
  showSaveDialog(suggestedName: string): Promise<FlowRef | null>;
  /** Base URL of the embedded runtime (bot websocket, widget, preview pages). */
  runtimeUrl(): Promise<string>;
  /** Tells the host whether there are unsaved changes (the desktop asks before closing). */
  setDirty(dirty: boolean): void;
  /** Menu commands from the host; returns unsubscribe. */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
  /** Files the OS asks to open (second launch, file association); returns unsubscribe. */
  onOpenFile(listener: (ref: FlowRef) => void): () => void;
  /**
   * Runs this (valid) flow text in the runtime's preview sessions (`name`: its file's name, which
   * their records carry so history is per flow); rejects with the reason when the runtime refuses it.
   */
  previewFlow(text: string, name?: string): Promise<void>;
  /** Each step of a preview session (the canvas follows it); returns unsubscribe. */
  onPreviewStep(listener: (step: PreviewStep) => void): () => void;
  /** One page of recorded sessions, most recent activity first (rejects with the reason on a bad filter). */
  listSessions(query: SessionQuery): Promise<SessionPage>;
  /** Every record of one recorded session. */
  getTranscript(sid: string): Promise<Transcript>;
  /** Replays the sessions of `scope` (these sids, "all", or `{ filter }`: those a listing filter matches) through this flow text and counts states and edges. */
  getCoverage(flowText: string, scope: CoverageScope): Promise<Coverage>;
  /** The text of the flow's conversation tests (`<name>.tests.json` beside it), or null when it has none. */
  readTests(ref: FlowRef): Promise<string | null>;
  /** Writes the flow's conversation tests file (the text as given, a valid tests file); rejects with the reason. */
  writeTests(ref: FlowRef, text: string): Promise<void>;
  // Publishing to running servers (`serve --publish-token-file FILE`). The host reads the token
  // file and signs each call; the token never reaches the studio page. Each call rejects with the
  // server's reason (or why it could not be reached); a target used successfully is remembered.
  /** The servers published to before, most recently used first. */
  publishTargets(): Promise<PublishTarget[]>;
  /** What publishing this text would do (diagnostics, changes in the author's words, live sessions left on older versions); publishes nothing. */
  checkPublish(target: PublishTarget, flowText: string): Promise<PublishCheckResult>;
  /** Publishes the text: new sessions start on it, running ones finish on theirs. Rejects with the diagnostics' summary when refused. */
  publish(target: PublishTarget, flowText: string): Promise<PublishResult>;
  /** The server's kept versions (newest first publish first; `publishedAt` is the latest), and which one is current. */
  publishStatus(target: PublishTarget): Promise<PublishStatus>;
  /** Publishes an earlier kept version again. */
  rollback(target: PublishTarget, hash: string): Promise<PublishResult>;
  /** The flow text of one kept version. */
  versionText(target: PublishTarget, hash: string): Promise<string>;
}

