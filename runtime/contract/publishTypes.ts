/**
 * The shapes of publishing from the studio (host contract, studioHost.ts): the server to publish
 * to, and the answers of its publish API (runtime/server/publish/publishRoutes.ts) as the studio
 * sees them. Pure and serializable: they cross IPC and HTTP.
 */
import type { FlowChange } from '../flow/describeFlowChanges.ts';
import type { Diagnostic } from '../flow/types.ts';

/** Where to publish: a server's base URL and the file holding its publish token (read by the host only). */
export interface PublishTarget {
  /** e.g. https://bots.example.com/ (plain http only to this machine) */
  serverUrl: string;
  /** a path on the host's machine */
  tokenFile: string;
}

/** What publishing a text would do, before it does it. */
export interface PublishCheckResult {
  /** false when the text has errors: the server would refuse it */
  ok: boolean;
  hash: string | null;
  diagnostics: Diagnostic[];
  /** changes from the server's running version, in the author's words */
  changes: FlowChange[];
  /** live sessions that will stay on an older version */
  liveOnOlder: number;
  /**
   * The server's recorded conversations replayed through the text (`POST /publish/routing`), or
   * why they could not be; absent when the text has errors.
   */
  routing?: PublishRoutingResult | { error: string };
}

/**
 * How the server's recorded visitor conversations would go on a draft: the most recent ones on
 * its running version, replayed through the draft with the routing-difference check of history.
 */
export interface PublishRoutingResult {
  /** the running version whose conversations were replayed (null: the server runs none) */
  version: string | null;
  /** visitor conversations the server has recorded on that version */
  recorded: number;
  /** how many were replayed: the most recent ones, at most `limit` */
  checked: number;
  limit: number;
  /** of those replayed, how many the draft routes another way */
  changed: number;
  /** where they split (0-based step: the start is step 0, each answer one more) and why, largest groups first */
  groups: { step: number; reason: string; count: number }[];
}

/** A publish or rollback done: `changed` false when the version was already the published one. */
export interface PublishResult {
  hash: string;
  changed: boolean;
  warnings: Diagnostic[];
}

/** One version the server keeps. */
export interface PublishedVersion {
  hash: string;
  /** ISO time of its (last) publish */
  publishedAt: string;
  by: string;
  rollback?: boolean;
  /** live sessions running on it now */
  liveSessions: number;
}

export interface PublishStatus {
  current: string | null;
  /** newest first by first publish (a version published again keeps its place; its `publishedAt` is the latest) */
  versions: PublishedVersion[];
}
