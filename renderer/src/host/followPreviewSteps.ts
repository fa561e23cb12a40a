import type { PreviewStep } from './studioHost.ts';

const RETRY_MS = 1000;

/**
 * Reads the runtime's preview steps (server-sent events) with fetch, so the token travels in its
 * header like every other host call (EventSource cannot send headers). Reconnects after a drop
 * until the returned function is called.
 */
export function followPreviewSteps(url: string, token: () => string, listener: (step: PreviewStep) => void): () => void {
  const abort = new AbortController();
  let retry: ReturnType<typeof setTimeout> | undefined;

  async function connect(): Promise<void> {
    try {
      const response = await fetch(url, { headers: { 'X-Studio-Token': token(), Accept: 'text/event-stream' }, cache: 'no-store', signal: abort.signal });
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          dispatch(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch {
      // dropped or refused: try again below, unless unsubscribed
    }
    if (!abort.signal.aborted) retry = setTimeout(() => void connect(), RETRY_MS);
  }

  /** One event block: only unnamed events carry steps (`hello` and comments are skipped). */
  function dispatch(block: string): void {
    const lines = block.split('\n');
    if (lines.some((line) => line.startsWith('event:'))) return;
    const data = lines.filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n');
    if (!data) return;
    try {
      listener(JSON.parse(data) as PreviewStep);
    } catch (error) {
      console.warn('[studio] ignored a preview step that is not JSON', error);
    }
  }

  void connect();
  return () => {
    abort.abort();
    clearTimeout(retry);
  };
}
