import './shortcuts.css';
import { useEffect, useRef } from 'react';
import { shortcutRows } from '../../../runtime/contract/studioActions.ts';
import { useStudioUi } from '../store/useStudioUi.ts';
import { studioPlatform } from './platform.ts';

/** Help › Keyboard shortcuts: every action's keys from the one action table, as the platform writes them. */
export function ShortcutsDialog({ desktop }: { desktop: boolean }) {
  const open = useStudioUi((s) => s.shortcutsOpen);
  const close = () => useStudioUi.getState().setShortcutsOpen(false);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (open) button.current?.focus();
  }, [open]);
  if (!open) return null;
  const rows = shortcutRows(studioPlatform(), desktop);
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div className="dialog shortcuts nokey" role="dialog" aria-modal="true" aria-labelledby="shortcuts-title" onKeyDown={(e) => e.key === 'Escape' && close()}>
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
                  <td>
                    {row.keys.map((key, i) => (
                      <span key={key}>
                        {i > 0 && <span className="shortcuts__or"> or </span>}
                        <kbd>{key}</kbd>
                      </span>
                    ))}
                  </td>
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
