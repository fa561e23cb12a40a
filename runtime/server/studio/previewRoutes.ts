/**
 * The studio's preview endpoints (under the host API, token-guarded like the rest):
 * - `POST /studio/api/preview/flow` `{ text, flow? }` -> `{ ok, flowHash, restarted }`: run this draft
 *   (`flow`: its file's name, tagged on the sessions it starts) in preview sessions (422 with the errors when it does not validate; previews keep the last good one).
 * - `GET /studio/api/preview/events`: server-sent events, one `data:` line of `PreviewStep` JSON per
 *   preview step. Read with fetch (the token travels in the header like every other call).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkFlowSource, FlowRejectedError } from '../loadFlow.ts';
import type { PreviewControl } from '../preview/previewService.ts';
import { HostApiError } from './HostApiError.ts';

const KEEPALIVE_MS = 20_000;
/** a file name, not a document: start markers carry it */
export const MAX_FLOW_NAME_LENGTH = 255;

/** Runs a draft in the previews; returns the JSON to answer. */
export async function setPreviewFlow(preview: PreviewControl | undefined, body: Record<string, unknown>): Promise<{ ok: true; flowHash: string; restarted: number }> {
  const running = requirePreview(preview);
  if (typeof body.text !== 'string') throw new HostApiError(400, 'The body needs "text": the flow\'s JSON text as a string.');
  const name = body.flow;
  if (name !== undefined && (typeof name !== 'string' || name.length > MAX_FLOW_NAME_LENGTH)) throw new HostApiError(400, `"flow" must be the flow file's name, a string of at most ${MAX_FLOW_NAME_LENGTH} characters.`);
  let flow;
  try {
    flow = checkFlowSource('draft', body.text).flow;
  } catch (error) {
    if (error instanceof FlowRejectedError) throw new HostApiError(422, `The preview keeps its last valid version: ${error.message}`);
    throw error;
  }
  const { flowHash, restarted } = await running.setFlow(flow, name);
  return { ok: true, flowHash, restarted };
}

/** Streams preview steps as server-sent events until the client goes away. */
export function streamPreviewSteps(req: IncomingMessage, res: ServerResponse, preview: PreviewControl | undefined): void {
  const running = requirePreview(preview);
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    Connection: 'keep-alive',
  });
  res.write(`event: hello\ndata: ${JSON.stringify({ flowHash: running.flowHash })}\n\n`);
  const unsubscribe = running.subscribe((step) => res.write(`data: ${JSON.stringify(step)}\n\n`));
  const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
  keepalive.unref();
  const stop = () => {
    clearInterval(keepalive);
    unsubscribe();
  };
  req.once('close', stop);
  res.once('close', stop);
}

function requirePreview(preview: PreviewControl | undefined): PreviewControl {
  if (!preview) throw new HostApiError(404, 'Previews are not enabled on this server (start it with preview: true).');
  return preview;
}
