import { create } from 'zustand';
import type { Coverage, CoverageScope, SessionFilter, SessionInfo, SessionQuery, StudioHost, Transcript } from '../host/studioHost.ts';
import type { StateCoverage } from '../../../runtime/history/historyTypes.ts';

const PAGE_SIZE = 25;

/** The states one replay step passed through and the links it took (source -> target). */
export interface ReplayHighlight {
  states: string[];
  links: { source: string; target: string }[];
  /** the step was flagged: the draft routes it differently */
  differs: boolean;
}

/** The Sessions panel's filters (strings as typed; empty means no filter). */
export interface SessionFilters {
  query: string;
  from: string;
  to: string;
  kind: '' | 'preview' | 'real';
  /** the open flow's sessions (the default) or every flow's */
  flow: 'this' | 'all';
}

const NO_FILTERS: SessionFilters = { query: '', from: '', to: '', kind: '', flow: 'this' };

/** Studio-wide state of the Sessions panel: the listing, the open transcript, the replay position and the coverage overlay. */
interface SessionsState {
  open: boolean;
  filters: SessionFilters;
  /** the filters of the listing shown (the form's fields may have been edited since) */
  applied: SessionFilters;
  sessions: SessionInfo[];
  total: number;
  /** cursors of the pages before the shown one, and the shown one's */
  cursors: (string | undefined)[];
  nextCursor: string | null;
  loading: boolean;
  error: string | null;
  transcript: Transcript | null;
  /** replay position: how many steps are shown (0: none yet) */
  step: number;
  playing: boolean;
  coverage: Coverage | null;
  coverageOn: boolean;
  /** which sessions the coverage counts: every recorded one, or those the listing's filter matches */
  coverageOf: 'all' | 'filtered';
  /** preview sessions count in the coverage only when the author asks */
  coveragePreviews: boolean;
  /** the open flow's file name: "this flow" in the filters */
  currentFlow: string | null;
  /** coverage counts by state name, for the canvas nodes */
  coverageByState: ReadonlyMap<string, StateCoverage>;
  /** what the replay's current step went through, for the canvas */
  highlight: ReplayHighlight | null;
  setHighlight(highlight: ReplayHighlight | null): void;
  setOpen(open: boolean): void;
  toggle(): void;
  setFilters(filters: Partial<SessionFilters>): void;
  /** Loads the first page (or the page at `cursors[index]`). */
  load(host: StudioHost, page?: 'first' | 'next' | 'previous' | 'same'): Promise<void>;
  openSession(host: StudioHost, sid: string): Promise<void>;
  closeSession(): void;
  setStep(step: number): void;
  setPlaying(playing: boolean): void;
  loadCoverage(host: StudioHost, flowText: string): Promise<void>;
  setCoverageOn(on: boolean): void;
  setCoverageOf(of: 'all' | 'filtered'): void;
  setCoveragePreviews(on: boolean): void;
  setCurrentFlow(name: string | null): void;
}

/** The filter fields of a listing query (empty ones left out); "this flow" is `currentFlow`. */
export function filterOf(filters: SessionFilters, currentFlow: string | null): SessionFilter {
  const query: SessionFilter = {};
  if (filters.flow === 'this' && currentFlow !== null) query.flow = currentFlow;
  if (filters.query.trim()) query.query = filters.query.trim();
  if (filters.from) query.from = filters.from;
  if (filters.to) query.to = filters.to;
  if (filters.kind) query.kind = filters.kind;
  return query;
}

function queryOf(filters: SessionFilters, currentFlow: string | null, cursor: string | undefined): SessionQuery {
  const query: SessionQuery = { ...filterOf(filters, currentFlow), limit: PAGE_SIZE };
  if (cursor) query.cursor = cursor;
  return query;
}

/**
 * The sessions the coverage counts: those of the flow(s) the listing shows (every other filter too
 * when "of filtered"), previews left out unless asked for or filtered on.
 */
export function coverageScope(s: Pick<SessionsState, 'coverageOf' | 'coveragePreviews' | 'applied' | 'currentFlow'>): CoverageScope {
  const filters = s.coverageOf === 'filtered' ? s.applied : { ...NO_FILTERS, flow: s.applied.flow };
  const filter = filterOf(filters, s.currentFlow);
  if (!s.coveragePreviews && filter.kind === undefined) filter.kind = 'real';
  return { filter };
}

export const useSessions = create<SessionsState>()((set, get) => ({
  open: false,
  filters: NO_FILTERS,
  applied: NO_FILTERS,
  sessions: [],
  total: 0,
  cursors: [undefined],
  nextCursor: null,
  loading: false,
  error: null,
  transcript: null,
  step: 0,
  playing: false,
  coverage: null,
  coverageOn: false,
  coverageOf: 'all',
  coveragePreviews: false,
  currentFlow: null,
  coverageByState: new Map(),
  highlight: null,
  setHighlight: (highlight) => set({ highlight }),
  setOpen: (open) => set({ open }),
  toggle: () => set((s) => ({ open: !s.open })),
  setFilters: (filters) => set((s) => ({ filters: { ...s.filters, ...filters } })),
  async load(host, page = 'first') {
    const s = get();
    // Paging keeps the filter of the listing shown; a new first page takes the form's.
    const filters = page === 'first' ? s.filters : s.applied;
    let cursors = s.cursors;
    if (page === 'first') cursors = [undefined];
    else if (page === 'next' && s.nextCursor) cursors = [...s.cursors, s.nextCursor];
    else if (page === 'previous' && s.cursors.length > 1) cursors = s.cursors.slice(0, -1);
    set({ loading: true, error: null });
    try {
      const result = await host.listSessions(queryOf(filters, s.currentFlow, cursors[cursors.length - 1]));
      set({ sessions: result.sessions, total: result.total, nextCursor: result.nextCursor, cursors, loading: false, applied: filters });
    } catch (error) {
      set({ loading: false, error: (error as Error).message });
    }
  },
  async openSession(host, sid) {
    set({ error: null, playing: false });
    try {
      const transcript = await host.getTranscript(sid);
      set({ transcript, step: 1 });
    } catch (error) {
      set({ error: (error as Error).message });
    }
  },
  closeSession: () => set({ transcript: null, step: 0, playing: false }),
  setStep: (step) => set({ step }),
  setPlaying: (playing) => set({ playing }),
  async loadCoverage(host, flowText) {
    try {
      const coverage = await host.getCoverage(flowText, coverageScope(get()));
      set({ coverage, coverageByState: new Map(coverage.states.map((c) => [c.state, c])), error: null });
    } catch (error) {
      set({ error: (error as Error).message, coverage: null, coverageByState: new Map() });
    }
  },
  setCoverageOn: (coverageOn) => set({ coverageOn }),
  setCoverageOf: (coverageOf) => set({ coverageOf }),
  setCoveragePreviews: (coveragePreviews) => set({ coveragePreviews }),
  setCurrentFlow: (currentFlow) => set({ currentFlow }),
}));
