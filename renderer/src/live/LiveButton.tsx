import { useSessions } from '../sessions/useSessions.ts';
import { useLive } from './useLive.ts';

/** The top bar's Live toggle, beside Sessions: how many visitors wait for a person. */
export function LiveButton() {
  const open = useLive((l) => l.open);
  const waiting = useLive((l) => l.waiting);
  const mine = useLive((l) => l.mine);
  const label = waiting > 0 ? `Live: ${waiting} waiting for a person` : mine > 0 ? `Live: ${mine} with you` : 'Live conversations';
  const toggle = () => {
    // One drawer at a time: Live and Sessions share the same place.
    if (!open) useSessions.getState().setOpen(false);
    useLive.getState().toggle();
  };
  return (
    <button type="button" className={open ? 'is-on' : undefined} aria-expanded={open} aria-label={label} title={label} onClick={toggle} data-testid="live-toggle">
      Live
      {waiting > 0 && <span className="live-count" aria-hidden="true">{waiting}</span>}
    </button>
  );
}
