import type { Coverage, FlowFileInfo, FlowLayout, FlowRef, FlowVersion, OpenedFlow, PublishCheckResult, PublishResult, PublishStatus, PublishTarget, SaveResult, SessionPage, StudioHost, Transcript } from './studioHost.ts';
import { followPreviewSteps } from './followPreviewSteps.ts';

/** Where the runtime serves the host API in web mode (its server side is studioHost.ts in the runtime). */
const API_BASE = '/studio/api';

/**
 * The web-mode host: the studio page talks to the runtime's token-guarded host API over HTTP.
 * The per-launch token comes from the `<meta name="studio-token">` the server puts in the page.
 * Every failure rejects with an Error carrying the server's message.
 */
export function createWebHost(): StudioHost {
  let dirty = false;
  const warnBeforeLeaving = (event: BeforeUnloadEvent) => {
    if (dirty) event.preventDefault();
  };

  return {
    kind: 'web',
    async listFlows() {
      const body = await call<{ flows: FlowFileInfo[] }>('GET', '/flows');
      return body.flows;
    },
    openFlow(ref) {
      return call<OpenedFlow>('GET', `/flow?ref=${encodeURIComponent(ref)}`);
    },
    async saveFlow(ref, text, layout, baseVersion) {
      const body = { ref, text, layout, baseVersion } satisfies { ref: FlowRef; text: string; layout: FlowLayout | null; baseVersion: FlowVersion | null };
      try {
        const { version } = await call<{ version: FlowVersion }>('PUT', '/flow', body);
        return { saved: true, version };
      } catch (error) {
        // 409: the files changed since baseVersion; the studio asks what to do.
        if (error instanceof HostCallError && error.status === 409 && isConflict(error.payload)) return { saved: false, conflict: error.payload.conflict };
        throw error;
      }
    },
    async readTests(ref) {
      const body = await call<{ text: string | null }>('GET', `/flow/tests?ref=${encodeURIComponent(ref)}`);
      return body.text;
    },
    async writeTests(ref, text) {
      await call('PUT', '/flow/tests', { ref, text });
    },
    async createFlow(name, text) {
      const body = await call<{ ref: FlowRef }>('POST', '/flows', { name, text });
      return body.ref;
    },
    async renameFlow(ref, newName) {
      const body = await call<{ ref: FlowRef }>('POST', '/flow/rename', { ref, newName });
      return body.ref;
    },
    async deleteFlow(ref) {
      await call('DELETE', `/flow?ref=${encodeURIComponent(ref)}`);
    },
    // The browser has no native dialogs: the studio shows its own list and name prompt instead.
    async showOpenDialog() {
      return null;
    },
    async showSaveDialog() {
      return null;
    },
    async runtimeUrl() {
      // The runtime serves the studio page itself; same form as start()'s url: "http://127.0.0.1:PORT/".
      return new URL('/', window.location.href).href;
    },
    setDirty(isDirty) {
      if (isDirty === dirty) return;
      dirty = isDirty;
      if (dirty) window.addEventListener('beforeunload', warnBeforeLeaving);
      else window.removeEventListener('beforeunload', warnBeforeLeaving);
    },
    // No host menus or OS file events in a browser tab.
    onMenuCommand() {
      return () => {};
    },
    onOpenFile() {
      return () => {};
    },
    async previewFlow(text, name) {
      await call('POST', '/preview/flow', { text, ...(name !== undefined ? { flow: name } : {}) });
    },
    onPreviewStep(listener) {
      return followPreviewSteps(`${API_BASE}/preview/events`, studioToken, listener);
    },
    listSessions(query) {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
      return call<SessionPage>('GET', `/sessions?${params}`);
    },
    getTranscript(sid) {
      return call<Transcript>('GET', `/sessions/${encodeURIComponent(sid)}`);
    },
    getCoverage(flowText, scope) {
      const selection = typeof scope === 'object' && !Array.isArray(scope) ? { filter: (scope as { filter: unknown }).filter } : { sids: scope };
      return call<Coverage>('POST', '/coverage', { flowText, ...selection });
    },
    // Publishing: the host reads the token file and signs; the page only names the target.
    async publishTargets() {
      return (await call<{ targets: PublishTarget[] }>('GET', '/publish/targets')).targets;
    },
    checkPublish(target, flowText) {
      return call<PublishCheckResult>('POST', '/publish/check', { target, flowText });
    },
    publish(target, flowText) {
      return call<PublishResult>('POST', '/publish', { target, flowText });
    },
    publishStatus(target) {
      return call<PublishStatus>('POST', '/publish/status', { target });
    },
    rollback(target, hash) {
      return call<PublishResult>('POST', '/publish/rollback', { target, hash });
    },
    async versionText(target, hash) {
      return (await call<{ text: string }>('POST', '/publish/version', { target, hash })).text;
    },
  };
}

function studioToken(): string {
  const token = document.querySelector<HTMLMetaElement>('meta[name="studio-token"]')?.content;
  if (!token) {
    throw new Error('This page has no studio access token: open the studio from the address `npm run studio` printed.');
  }
  return token;
}

/** A refused host call: the server's message, with its status and body for callers that handle one. */
class HostCallError extends Error {
  constructor(message: string, readonly status: number, readonly payload: unknown) {
    super(message);
  }
}

function isConflict(payload: unknown): payload is Extract<SaveResult, { saved: false }> {
  const conflict = (payload as { conflict?: { version?: unknown; exists?: unknown } } | undefined)?.conflict;
  return typeof conflict?.version === 'string' && typeof conflict.exists === 'boolean';
}

async function call<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { 'X-Studio-Token': studioToken() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch (error) {
    throw new Error(`The studio server did not answer (${method} ${path}): ${(error as Error).message}. Is \`npm run studio\` still running?`);
  }
  const payload: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const message = (payload as { error?: unknown } | undefined)?.error;
    throw new HostCallError(typeof message === 'string' ? message : `${method} ${path} failed: HTTP ${response.status}`, response.status, payload);
  }
  return payload as T;
}
