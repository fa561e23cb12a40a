import { useCallback, useMemo, useRef, useState, type DragEvent } from 'react';
import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  applyNodeChanges,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type FinalConnectionState,
  type NodeChange,
  type Viewport,
} from '@xyflow/react';
import { NEXT_HANDLE, flowToGraph } from '../../../runtime/flow/flowGraph.ts';
import { connectAnswerCommand, connectNextCommand, addConnectedCommand } from '../commands/linkCommands.ts';
import { moveStatesCommand } from '../commands/layoutCommands.ts';
import { addStateCommand } from '../commands/stateCommands.ts';
import { runCommand } from '../commands/registry.ts';
import type { NewStateKind } from '../commands/newStateBody.ts';
import type { Positions } from '../store/documentTypes.ts';
import { useDocument, useDocumentStore } from '../store/useDocument.ts';
import type { FlowEdge, StateNode } from './canvasTypes.ts';
import { CANVAS_ARIA_LABELS } from './canvasAriaLabels.ts';
import { ConnectMenu } from './ConnectMenu.tsx';
import { Legend } from './Legend.tsx';
import { lookOf } from './nodeKinds.ts';
import { Palette, PALETTE_MIME } from './Palette.tsx';
import { SearchBar } from './SearchBar.tsx';
import { StateNodeView } from './StateNodeView.tsx';
import { useCanvasActions } from './useCanvasActions.ts';
import { useCanvasEdges } from './useCanvasEdges.ts';
import { useCanvasNodes } from './useCanvasNodes.ts';
import { useInitialLayout } from './useInitialLayout.ts';
import { useStepsFirstTabOrder } from './useStepsFirstTabOrder.ts';
import { fitOptions } from './fitOptions.ts';
import { syntaxErrorAt } from '../problems/plainProblems.ts';
import { useFollowPreview } from './useFollowPreview.ts';
import './focusAndMotion.css';
import { usePreviewDecorations } from '../preview/usePreviewDecorations.ts';
import { useHistoryDecorations } from '../sessions/useHistoryDecorations.ts';
import { useTestDecorations } from '../tests-panel/useTestDecorations.ts';

const NODE_TYPES = { state: StateNodeView };
const NO_MATCHES: ReadonlySet<string> = new Set();
const MULTI_SELECT_KEYS = ['Shift', 'Meta', 'Control'];
const MINIMAP_LIMIT = 500;
/** Above this size only the states in view are rendered (below it, all are: panning stays instant). */
const VIRTUALISE_FROM = 150;

interface PendingLink {
  source: string;
  handle: string;
  /** menu position inside the canvas, and the flow position of the new step */
  menu: { left: number; top: number };
  position: { x: number; y: number };
}

/** The flow as a graph: draw links, move, select, add steps. Every edit is a command. */
export function FlowCanvas() {
  const store = useDocumentStore();
  const rf = useReactFlow<StateNode>();
  const actions = useCanvasActions();
  const { flow, positions, selection, selectedLinks, diagnostics, parseOk, viewport } = useDocument((s) => ({
    flow: s.flow,
    positions: s.positions,
    selection: s.selection,
    selectedLinks: s.selectedLinks,
    diagnostics: s.diagnostics,
    parseOk: s.parseOk,
    viewport: s.viewport,
  }));
  const graph = useMemo(() => flowToGraph(flow), [flow]);
  const [highlighted, setHighlighted] = useState<ReadonlySet<string>>(NO_MATCHES);
  const [nodes, setNodes] = useCanvasNodes(graph, positions, selection, diagnostics, highlighted);
  const edges = useCanvasEdges(graph, selectedLinks);
  const shown = useTestDecorations(useHistoryDecorations(usePreviewDecorations(nodes, edges)));
  const [pending, setPending] = useState<PendingLink | null>(null);
  const wrapper = useRef<HTMLDivElement>(null);
  useStepsFirstTabOrder(wrapper);
  useFollowPreview();
  useInitialLayout(graph);

  const onNodesChange = useCallback(
    (changes: NodeChange<StateNode>[]) => {
      setNodes((current) => applyNodeChanges(changes, current));
      const moved: Positions = {};
      let anyMoved = false;
      let selected: Set<string> | null = null;
      for (const change of changes) {
        if (change.type === 'position' && change.dragging === false && change.position) {
          moved[change.id] = { x: Math.round(change.position.x), y: Math.round(change.position.y) };
          anyMoved = true;
        } else if (change.type === 'select') {
          selected ??= new Set(store.getState().selection);
          if (change.selected) selected.add(change.id);
          else selected.delete(change.id);
        }
      }
      if (selected) store.getState().setSelection([...selected], store.getState().selectedLinks);
      if (anyMoved) runCommand(store, moveStatesCommand, { positions: moved });
    },
    [setNodes, store],
  );

  /** Links are selected here (click, or Tab then Enter); Delete removes them through `edit.delete`. */
  const onEdgesChange = useCallback(
    (changes: EdgeChange<FlowEdge>[]) => {
      let links: Set<string> | null = null;
      for (const change of changes) {
        if (change.type !== 'select') continue;
        links ??= new Set(store.getState().selectedLinks);
        if (change.selected) links.add(change.id);
        else links.delete(change.id);
      }
      if (links) store.getState().setSelection(store.getState().selection, [...links]);
    },
    [store],
  );

  const onConnect = useCallback(
    (connection: Connection) => {
      const handle = connection.sourceHandle ?? NEXT_HANDLE;
      if (handle === NEXT_HANDLE) runCommand(store, connectNextCommand, { source: connection.source, target: connection.target });
      else runCommand(store, connectAnswerCommand, { source: connection.source, handle, target: connection.target });
    },
    [store],
  );

  /** A link dropped on a node's body (not its dot) still links; dropped on empty canvas, it asks what comes next. */
  const onConnectEnd = useCallback(
    (event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
      if (state.isValid || !state.fromNode || !state.fromHandle || state.fromHandle.type !== 'source') return;
      const point = 'changedTouches' in event ? event.changedTouches[0] : event;
      const under = document.elementFromPoint(point.clientX, point.clientY);
      const source = state.fromNode.id;
      const handle = state.fromHandle.id ?? NEXT_HANDLE;
      const targetId = under?.closest('.react-flow__node')?.getAttribute('data-id');
      if (targetId) {
        onConnect({ source, sourceHandle: handle, target: targetId, targetHandle: null });
        return;
      }
      if (!under?.closest('.react-flow__pane')) return;
      const box = wrapper.current?.getBoundingClientRect();
      if (!box) return;
      setPending({
        source,
        handle,
        // keep the whole menu inside the canvas
        menu: { left: Math.max(8, Math.min(point.clientX - box.left, box.width - 232)), top: Math.max(8, Math.min(point.clientY - box.top, box.height - 300)) },
        position: rf.screenToFlowPosition({ x: point.clientX, y: point.clientY }),
      });
    },
    [onConnect, rf],
  );

  const pickNext = (kind: NewStateKind) => {
    if (!pending) return;
    runCommand(store, addConnectedCommand, { source: pending.source, handle: pending.handle, kind, position: pending.position });
    setPending(null);
  };

  const onDrop = useCallback(
    (event: DragEvent) => {
      const kind = event.dataTransfer.getData(PALETTE_MIME) as NewStateKind;
      if (!kind) return;
      event.preventDefault();
      runCommand(store, addStateCommand, { kind, position: rf.screenToFlowPosition({ x: event.clientX, y: event.clientY }) });
    },
    [rf, store],
  );

  const onMoveEnd = useCallback((_: unknown, vp: Viewport) => store.getState().setViewport(vp), [store]);

  return (
    <div id="flow-canvas" tabIndex={-1} className={`canvas${parseOk ? '' : ' is-stale'}`} ref={wrapper} onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
      <Palette onAdd={actions.addAtCenter} />
      <div className="canvas__flow">
        <ReactFlow<StateNode, FlowEdge>
          nodes={shown.nodes}
          edges={shown.edges}
          nodeTypes={NODE_TYPES}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onConnect={onConnect}
          onConnectEnd={onConnectEnd}
          onMoveEnd={onMoveEnd}
          onPaneClick={() => setPending(null)}
          defaultViewport={viewport}
          minZoom={0.1}
          maxZoom={2}
          onlyRenderVisibleElements={graph.nodes.length > VIRTUALISE_FROM}
          deleteKeyCode={null}
          selectionKeyCode="Shift"
          multiSelectionKeyCode={MULTI_SELECT_KEYS}
          nodesDraggable={parseOk}
          nodesConnectable={parseOk}
          elevateEdgesOnSelect
          proOptions={{ hideAttribution: true }}
          aria-label="Flow canvas"
          ariaLabelConfig={CANVAS_ARIA_LABELS}
        >
          <Background gap={24} size={1} />
          <Controls showInteractive={false} aria-label="Zoom controls" fitViewOptions={fitOptions(graph.nodes.length, graph.nodes.find((n) => n.isStart)?.id)} />
          {/* Above this size the overview costs frames while dragging and shows only specks. */}
          {graph.nodes.length <= MINIMAP_LIMIT && <MiniMap<StateNode> pannable zoomable ariaLabel="Overview map" nodeClassName={(n) => `minimap-node tone-${lookOf(n.data.graph.kind).tone}`} />}
        </ReactFlow>
      </div>
      <Legend />
      <SearchBar onMatches={setHighlighted} onJump={actions.centerOn} />
      {!parseOk && (
        <div className="stale-banner" role="status">
          The JSON has a syntax error{syntaxErrorAt(diagnostics)}: the canvas shows the last version that parsed. Fix the JSON to edit again.
        </div>
      )}
      {pending && <ConnectMenu at={pending.menu} onPick={pickNext} onClose={() => setPending(null)} />}
    </div>
  );
}
