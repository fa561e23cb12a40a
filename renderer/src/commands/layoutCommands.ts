import type { Positions } from '../store/documentTypes.ts';
import { defineCommand } from './registry.ts';

/** Moves states (a drag); the flow text does not change, only the sidecar's positions. */
export const moveStatesCommand = defineCommand<{ positions: Positions }>({
  name: 'layout.move',
  label: 'Move',
  perform({ flow, positions }, moved) {
    const changed = Object.entries(moved.positions).some(([name, p]) => positions[name]?.x !== p.x || positions[name]?.y !== p.y);
    return changed ? { flow, positions: { ...positions, ...moved.positions } } : null;
  },
});

/** Applies a computed layout (auto-layout) as one undo step. */
export const applyLayoutCommand = defineCommand<{ positions: Positions }>({
  name: 'layout.apply',
  label: 'Auto-layout',
  perform({ flow }, { positions }) {
    return { flow, positions };
  },
});
