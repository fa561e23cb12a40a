/**
 * Coverage of a flow by recorded sessions: each session's answers are replayed through the flow
 * (the studio's current draft) and counted per state and per canvas edge. A session's result is
 * cached by (sid, last offset, flow hash), and the whole answer by (flow, sessions, catalog
 * version), so asking again after indexing only adds up cached results.
 */
import { checkFlowText } from '../flow/checkFlowText.ts';
import { compileFlow, type CompiledFlow } from '../flow/compileFlow.ts';
import { flowHash } from '../flow/flowHash.ts';
import { flowToGraph, NEXT_HANDLE, type GraphEdge } from '../flow/flowGraph.ts';
import type { Coverage, CoverageScope, RoutingDifference, SessionFilter } from './historyTypes.ts';
import { HistoryInputError } from './HistoryInputError.ts';
import { matchingSessions } from './querySessions.ts';
import { replaySession } from './replaySession.ts';
import type { CatalogEntry, SessionCatalog } from './SessionCatalog.ts';

const MAX_DIFFERENCES_LISTED = 100;
const FLOWS_KEPT = 4;

interface PreparedFlow {
  hash: string;
  compiled: CompiledFlow;
  stateNames: string[];
  stateIndex: Map<string, number>;
  edges: GraphEdge[];
  /** `source \0 handle \0 target` -> index into edges */
  edgeIndex: Map<string, number>;
  /** sid -> that session's result under this flow */
  sessions: Map<string, SessionCoverage>;
  /** the last whole answer, reused while neither the sessions nor the selection changed */
  last?: { version: number; selection: string; coverage: Coverage };
}

interface SessionCoverage {
  lastOffset: number;
  states: number[];
  edges: number[];
  /** index of the state it stopped at without reaching the end, or -1 */
  dropOff: number;
  reachedEnd: boolean;
  difference: RoutingDifference | null;
}

export class CoverageCalculator {
  private readonly flows = new Map<string, PreparedFlow>();

  constructor(private readonly catalog: SessionCatalog) {}

  /** Coverage of the flow in `flowText` by the sessions of `scope` (every session, these sids, or a filter's). */
  compute(flowText: string, scope: CoverageScope): Coverage {
    const flow = this.prepare(flowText);
    const selection = scope === 'all' ? 'all' : isFilter(scope) ? `filter:${JSON.stringify(scope.filter)}` : scope.join('\u0000');
    if (flow.last && flow.last.version === this.catalog.version && flow.last.selection === selection) return flow.last.coverage;

    const passed = new Uint32Array(flow.stateNames.length);
    const droppedOff = new Uint32Array(flow.stateNames.length);
    const edgeCounts = new Uint32Array(flow.edges.length);
    let sessions = 0;
    let reachedEnd = 0;
    let differingCount = 0;
    const differing: RoutingDifference[] = [];
    const add = (entry: CatalogEntry) => {
      const result = this.sessionCoverage(flow, entry);
      sessions += 1;
      for (const s of result.states) passed[s] += 1;
      for (const e of result.edges) edgeCounts[e] += 1;
      if (result.dropOff >= 0) droppedOff[result.dropOff] += 1;
      if (result.reachedEnd) reachedEnd += 1;
      if (result.difference) {
        differingCount += 1;
        if (differing.length < MAX_DIFFERENCES_LISTED) differing.push(result.difference);
      }
    };
    if (scope === 'all') {
      for (const entry of this.catalog.all()) add(entry);
    } else if (isFilter(scope)) {
      for (const entry of matchingSessions(this.catalog, scope.filter)) add(entry);
    } else {
      for (const sid of new Set(scope)) {
        const entry = this.catalog.get(sid);
        if (!entry) throw new HistoryInputError(`No recorded session has the id ${JSON.stringify(sid)}.`, 404);
        add(entry);
      }
    }
    const coverage: Coverage = {
      flowHash: flow.hash,
      sessions,
      reachedEnd,
      states: flow.stateNames.map((state, i) => ({ state, passed: passed[i], droppedOff: droppedOff[i] })),
      edges: flow.edges.flatMap((edge, i) => (edgeCounts[i] > 0 ? [{ id: edge.id, source: edge.source, target: edge.target, count: edgeCounts[i] }] : [])),
      neverVisited: flow.stateNames.filter((_, i) => passed[i] === 0),
      differingCount,
      differing,
    };
    flow.last = { version: this.catalog.version, selection, coverage };
    return coverage;
  }

  private prepare(flowText: string): PreparedFlow {
    if (typeof flowText !== 'string') throw new HistoryInputError('flowText must be the flow file\'s text (a string).');
    const checked = checkFlowText(flowText);
    if (!checked.flow) {
      const first = checked.diagnostics.find((d) => d.severity === 'error');
      const where = first?.line !== undefined ? ` (line ${first.line}, column ${first.column})` : '';
      throw new HistoryInputError(`The flow text does not parse${where}: ${first?.message ?? 'unknown error'}. Fix the JSON to see coverage.`);
    }
    const hash = flowHash(checked.flow);
    let prepared = this.flows.get(hash);
    if (prepared) {
      // Most recently used last, so the oldest is the first to go.
      this.flows.delete(hash);
      this.flows.set(hash, prepared);
      return prepared;
    }
    const compiled = compileFlow(checked.flow);
    const stateNames = [...compiled.states.keys()];
    const edges = flowToGraph(checked.flow).edges;
    prepared = {
      hash,
      compiled,
      stateNames,
      stateIndex: new Map(stateNames.map((name, i) => [name, i])),
      edges,
      edgeIndex: new Map(edges.map((edge, i) => [edgeKey(edge.source, edge.sourceHandle ?? NEXT_HANDLE, edge.target), i])),
      sessions: new Map(),
    };
    this.flows.set(hash, prepared);
    if (this.flows.size > FLOWS_KEPT) this.flows.delete(this.flows.keys().next().value as string);
    return prepared;
  }

  private sessionCoverage(flow: PreparedFlow, entry: CatalogEntry): SessionCoverage {
    const cached = flow.sessions.get(entry.sid);
    if (cached && cached.lastOffset === entry.lastOffset) return cached;
    const replay = replaySession(flow.compiled, this.catalog.steps(entry));
    const states = new Set<number>();
    const edges = new Set<number>();
    let difference: RoutingDifference | null = null;
    replay.steps.forEach((step, i) => {
      if (step.difference && !difference) difference = { sid: entry.sid, step: i, reason: step.difference };
      if (step.answer) {
        const edge = flow.edgeIndex.get(edgeKey(step.answer.source, step.answer.handle, step.answer.target));
        if (edge !== undefined) edges.add(edge);
      }
      for (let v = 0; v < step.visited.length; v++) {
        const index = flow.stateIndex.get(step.visited[v]);
        if (index !== undefined) states.add(index);
        if (v > 0) {
          const edge = flow.edgeIndex.get(edgeKey(step.visited[v - 1], NEXT_HANDLE, step.visited[v]));
          if (edge !== undefined) edges.add(edge);
        }
      }
    });
    const last = replay.lastState === null ? undefined : flow.stateIndex.get(replay.lastState);
    const result: SessionCoverage = {
      lastOffset: entry.lastOffset,
      states: [...states],
      edges: [...edges],
      dropOff: !replay.reachedEnd && last !== undefined ? last : -1,
      reachedEnd: replay.reachedEnd,
      difference,
    };
    flow.sessions.set(entry.sid, result);
    return result;
  }
}

function isFilter(scope: CoverageScope): scope is { filter: SessionFilter } {
  return typeof scope === 'object' && !Array.isArray(scope);
}

function edgeKey(source: string, handle: string, target: string): string {
  return `${source}\u0000${handle}\u0000${target}`;
}
