/**
 * The frame floor of `npm run bench:runtime` (issue 11): a websocket server that does nothing but
 * answer each client frame with the frames the flow sends for it, computed once per (state, answer)
 * and kept as strings. No stream, no durability, no limits: what the load client and `ws` cost on
 * this machine, so the runtime's speed is a ratio to it measured in the same run.
 *
 * Run as a child process (`node --import tsx bench/frameFloor.ts <flow.json>`); prints
 * `frame floor listening at http://127.0.0.1:PORT` when ready, stops on SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { compileFlow, type CompiledFlow } from '../runtime/flow/compileFlow.ts';
import { emptyPending, type PendingState } from '../runtime/flow/pendingState.ts';
import { stepSession, type StepEvent } from '../runtime/flow/stepSession.ts';
import { checkFlowSource } from '../runtime/server/loadFlow.ts';

/** A pending state of the flow and, per answer seen, the frames it sends and where it leads. */
interface Node {
  pending: PendingState;
  next: Map<string, { frames: string[]; node: Node }>;
}

const flowPath = process.argv[2];
if (!flowPath) throw new Error('usage: frameFloor.ts <flow.json>');
const compiled = compileFlow(checkFlowSource(flowPath, readFileSync(flowPath, 'utf8')).flow);
const nodes = new Map<string, Node>();

function nodeFor(pending: PendingState): Node {
  const key = JSON.stringify(pending);
  let node = nodes.get(key);
  if (!node) nodes.set(key, (node = { pending, next: new Map() }));
  return node;
}

/** The frames `event` gets from `node` and the node after it, computed the first time only. */
function step(flow: CompiledFlow, node: Node, key: string, event: StepEvent): { frames: string[]; node: Node } | undefined {
  let edge = node.next.get(key);
  if (edge) return edge;
  const result = stepSession(flow, node.pending, event);
  if (!result.ok) return undefined;
  edge = { frames: result.requests.map((request) => JSON.stringify(request)), node: nodeFor(result.pending) };
  node.next.set(key, edge);
  return edge;
}

const start = step(compiled, nodeFor(emptyPending()), 'start', { kind: 'start' })!;
const wss = new WebSocketServer({ noServer: true, clientTracking: false, perMessageDeflate: false });
const server = createServer((_req, res) => res.writeHead(404).end());
server.on('upgrade', (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (ws) => {
    let node = start.node;
    for (const frame of start.frames) ws.send(frame);
    ws.on('message', (data) => {
      const response = JSON.parse(data.toString()) as { kind: string; groupId?: unknown; itemId?: unknown; sessionId?: unknown };
      const key = `${response.kind}\u0000${String(response.groupId ?? response.sessionId)}\u0000${String(response.itemId)}`;
      const edge = step(compiled, node, key, { kind: 'response', response });
      if (!edge) return void ws.send('{"kind":"Error","code":"no-match"}');
      node = edge.node;
      for (const frame of edge.frames) ws.send(frame);
    });
  });
});
server.listen(0, '127.0.0.1', () => {
  console.log(`frame floor listening at http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => process.exit(0));
