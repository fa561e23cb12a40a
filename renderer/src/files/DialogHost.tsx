import { useEffect, useRef, useState } from 'react';
import type { DialogRequest } from './dialogTypes.ts';
import { useModal } from '../workbench/useModal.ts';
import { useWorkspace } from './workspaceContext.ts';

/** Shows the workspace's pending dialog (confirmations, names, templates) as a modal. */
export function DialogHost() {
  const dialog = useWorkspace((w) => w.dialog);
  // A fresh view per dialog, so its field starts with the dialog's value on the very first render
  // (typing that lands before an effect would otherwise be joined to the default value).
  return dialog ? <DialogView key={dialogKey(dialog)} dialog={dialog} /> : null;
}

const dialogKeys = new WeakMap<DialogRequest, number>();
let lastDialogKey = 0;
function dialogKey(dialog: DialogRequest): number {
  let key = dialogKeys.get(dialog);
  if (key === undefined) dialogKeys.set(dialog, (key = ++lastDialogKey));
  return key;
}

function DialogView({ dialog }: { dialog: DialogRequest }) {
  const [value, setValue] = useState(() => dialog.input?.value ?? '');
  const [option, setOption] = useState<string | undefined>(() => dialog.options?.[0]?.id);
  const box = useRef<HTMLDivElement>(null);
  useModal(box, () => dialog.resolve(null));

  useEffect(() => {
    const target = box.current?.querySelector<HTMLElement>('input, .dialog__buttons .tone-primary, .dialog__buttons button');
    target?.focus();
    if (target instanceof HTMLInputElement) target.select();
  }, []);

  const primary = dialog.buttons.find((b) => b.tone === 'primary') ?? dialog.buttons[dialog.buttons.length - 1];
  const answer = (button: string) => dialog.resolve({ button, value, option });

  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && dialog.resolve(null)}>
      <div
        ref={box}
        className="dialog nokey"
        role="dialog"
        aria-modal="true"
        aria-labelledby="dialog-title"
        onKeyDown={(e) => {
          if (e.key === 'Enter' && e.target instanceof HTMLInputElement) answer(primary.id);
        }}
      >
        <h2 id="dialog-title">{dialog.title}</h2>
        {dialog.message && <p>{dialog.message}</p>}
        {dialog.options && (
          <div className="dialog__options" role="radiogroup" aria-label="Template">
            {dialog.options.map((o) => (
              <label key={o.id} className={`dialog__option${option === o.id ? ' is-chosen' : ''}`}>
                <input type="radio" name="dialog-option" checked={option === o.id} onChange={() => setOption(o.id)} />
                <span>
                  <strong>{o.label}</strong>
                  {o.description && <small>{o.description}</small>}
                </span>
              </label>
            ))}
          </div>
        )}
        {dialog.input && (
          <label className="dialog__input">
            <span>{dialog.input.label}</span>
            <input aria-label={dialog.input.label} value={value} onChange={(e) => setValue(e.target.value)} />
          </label>
        )}
        <div className="dialog__buttons">
          {dialog.buttons.map((b) => (
            <button key={b.id} type="button" className={b.tone ? `tone-${b.tone}` : undefined} onClick={() => answer(b.id)}>
              {b.label}
            </button>
          ))}
        </div>
      </div>
    </div>
  );
}
