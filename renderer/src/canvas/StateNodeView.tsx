import { memo, useEffect, useRef } from 'react';
import { KindIcon } from './KindIcon.tsx';
import { Handle, Position, useUpdateNodeInternals, type NodeProps } from '@xyflow/react';
import { lookOf } from './nodeKinds.ts';
import { CHAT_HANDLE, NEXT_HANDLE } from '../../../runtime/flow/flowGraph.ts';
import { TARGET_HANDLE, type StateNode } from './canvasTypes.ts';
import { CoverageBadge } from '../sessions/CoverageBadge.tsx';
import { TestBadge } from '../tests-panel/TestBadge.tsx';
import { useDocument } from '../store/useDocument.ts';
import { stateWords } from '../words/stepWords.ts';

/**
 * One state on the canvas: kind at a glance, its text, its outputs. Memoised: only changed states re-render.
 * Its dots are buttons: React Flow links two dots clicked one after the other (connectOnClick), which is
 * also how a screen reader's virtual cursor links steps without dragging.
 */
export const StateNodeView = memo(function StateNodeView({ data, selected }: NodeProps<StateNode>) {
  const { graph, problem, problemCount, highlighted } = data;
  const look = lookOf(graph.kind);
  // The author's words for the step (its message, question, or the answer it reacts to).
  const words = useDocument((s) => stateWords(s.flow, s.flow.states.find((n) => n.name === graph.id)?.state)) || graph.preview;
  useRemeasureHandles(graph.id, graph.choices?.map((choice) => choice.handleId).join('\n') ?? '');
  const classes = ['state-node', `tone-${look.tone}`];
  if (selected) classes.push('is-selected');
  if (highlighted) classes.push('is-highlighted');
  if (problem) classes.push(`has-${problem}`);
  return (
    <div className={classes.join(' ')}>
      <Handle type="target" position={Position.Left} id={TARGET_HANDLE} className="handle-in" role="button" aria-label={`Link into ${graph.id}`} />
      <div className="state-node__head">
        <KindIcon tone={look.tone} />
        <span className="state-node__kind">{look.label}</span>
        {graph.isStart && <span className="state-node__start" title="The conversation starts here">Start</span>}
        {problem && (
          // Notes (infos) are not problems: "Fine for a goodbye" must not look like one.
          <span className={`state-node__badge badge-${problem}`} title={`${problemCount} ${problem === 'info' ? 'note' : 'problem'}${problemCount === 1 ? '' : 's'}`}>
            {problem === 'info' ? 'i' : `! ${problemCount}`}
          </span>
        )}
      </div>
      {words && <div className="state-node__preview">{words}</div>}
      <div className="state-node__name" title="The step's name (its id in the file)">{graph.id}</div>
      <CoverageBadge state={graph.id} />
      <TestBadge state={graph.id} />
      {graph.choices && graph.choices.length > 0 && (
        <ul className="state-node__choices">
          {graph.choices.map((choice) => (
            <li key={choice.handleId} className="state-node__choice">
              <span>{choice.content || String(choice.itemId)}</span>
              <Handle
                type="source"
                position={Position.Right}
                id={choice.handleId}
                className="handle-answer"
                role="button"
                aria-label={`Choice ${choice.content || String(choice.itemId)}: drag to what comes next`}
              />
            </li>
          ))}
        </ul>
      )}
      {graph.kind === 'StartChatSession' && (
        <div className="state-node__choice state-node__chat">
          <span>What the user types</span>
          <Handle type="source" position={Position.Right} id={CHAT_HANDLE} className="handle-answer" role="button" aria-label="What the user types: drag to what comes next" />
        </div>
      )}
      <div className="state-node__next">
        <span>then</span>
        <Handle type="source" position={Position.Right} id={NEXT_HANDLE} className="handle-next" role="button" aria-label={`Next after ${graph.id}`} />
      </div>
    </div>
  );
});

/**
 * React Flow measures a step's dots when it mounts or changes size. A choice's dot takes its id from
 * the choice's id, which follows the text as it is typed: the step keeps its size, so React Flow
 * must be told, or a link from the renamed dot is not drawn (it finds no dot of that id).
 */
function useRemeasureHandles(id: string, handles: string): void {
  const updateNodeInternals = useUpdateNodeInternals();
  const measured = useRef(handles);
  useEffect(() => {
    if (measured.current === handles) return;
    measured.current = handles;
    updateNodeInternals(id);
  }, [id, handles, updateNodeInternals]);
}
