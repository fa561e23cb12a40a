import './shortcuts.css';
import { useEffect, useRef } from 'react';
import { shortcutRows } from '../../../runtime/contract/studioActions.ts';
import { useStudioUi } from '../store/useStudioUi.ts';
import { studioPlatform } from './platform.ts';
import { useModal } from '../workbench/useModal.ts';

/** Help › Keyboard shortcuts: every action's keys from the one action table, as the platform writes them. */
/** Keys that are not menu actions: the canvas's and the JSON editor's own. */
const MOVING_AROUND: readonly [string, string[]][] = [
  ['Go to the canvas (first on the page)', ['Tab', 'Enter']],
  ['Next or previous step, then links', ['Tab', 'Shift+Tab']],
  ['Select the focused step or link', ['Enter', 'Space']],
  ['Move the selected steps (Shift: further)', ['←', '→', '↑', '↓']],
  ['Clear the selection', ['Escape']],
  ['Leave the JSON editor', ['Escape']],
  // Monaco's own toggle: Ctrl+M, or ⌃⇧M on macOS.
  ['In the JSON editor: Tab moves focus instead of indenting', [studioPlatform() === 'darwin' ? '⌃⇧M' : 'Ctrl+M']],
];

export function ShortcutsDialog({ desktop }: { desktop: boolean }) {
  const open = useStudioUi((s) => s.shortcutsOpen);
  return open ? <ShortcutsView desktop={desktop} /> : null;
}

function ShortcutsView({ desktop }: { desktop: boolean }) {
  const close = () => useStudioUi.getState().setShortcutsOpen(false);
  const box = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useModal(box, close);
  useEffect(() => button.current?.focus(), []);
  const rows = shortcutRows(studioPlatform(), desktop);
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div ref={box} className="dialog shortcuts nokey" role="dialog" aria-modal="true" aria-labelledby="shortcuts-title">
        <h2 id="shortcuts-title">Keyboard shortcuts</h2>
        {/* The list scrolls on short windows: focusable so the keyboard can scroll it too. */}
        <div className="shortcuts__scroll" tabIndex={0} role="region" aria-labelledby="shortcuts-title">
          <table className="shortcuts__table">
            <thead>
              <tr>
                <th scope="col">Action</th>
                <th scope="col">Keys</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.name} data-action={row.name}>
                  <th scope="row">{row.label}</th>
                  <Keys keys={row.keys} />
                </tr>
              ))}
            </tbody>
          </table>
          <table className="shortcuts__table" aria-label="Moving around">
            <thead>
              <tr>
                <th scope="col">Moving around</th>
                <th scope="col">Keys</th>
              </tr>
            </thead>
            <tbody>
              {MOVING_AROUND.map(([label, keys]) => (
                <tr key={label}>
                  <th scope="row">{label}</th>
                  <Keys keys={keys} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="dialog__buttons">
          <button ref={button} type="button" className="tone-primary" onClick={close}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}

/** A row's keys: each in <kbd>, "or" between them. */
function Keys({ keys }: { keys: readonly string[] }) {
  return (
    <td>
      {keys.map((key, i) => (
        <span key={key}>
          {i > 0 && <span className="shortcuts__or"> or </span>}
          <kbd>{key}</kbd>
        </span>
      ))}
    </td>
  );
}
