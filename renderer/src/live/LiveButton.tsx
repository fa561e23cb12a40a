import { useSessions } from '../sessions/useSessions.ts';
import { useLive } from './useLive.ts';

/** The top bar's Live toggle, beside Sessions: how many visitors wait for a person. */
export function LiveButton() {
  const open = useLive((l) => l.open);
  const waiting = useLive((l) => l.waiting);
  const mine = useLive((l) => l.mine);
  // The name is the visible text plus what the badge means (WCAG 2.5.3: the name starts with what is shown).
  const hint = waiting > 0 ? ' waiting for a person' : mine > 0 ? ` ${mine} with you` : '';
  const toggle = () => {
    // One drawer at a time: Live and Sessions share the same place.
    if (!open) useSessions.getState().setOpen(false);
    useLive.getState().toggle();
  };
  return (
    <button type="button" className={open ? 'is-on' : undefined} aria-expanded={open} title={`Live conversations${waiting > 0 ? `: ${waiting} waiting` : ''}`} onClick={toggle} data-testid="live-toggle">
      Live
      {waiting > 0 && <> <span className="live-count">{waiting}</span></>}
      {hint && <span className="live-hidden">{hint}</span>}
    </button>
  );
}
