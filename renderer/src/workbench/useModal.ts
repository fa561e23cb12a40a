import { useEffect, useRef, type RefObject } from 'react';

/** What Tab may land on inside a dialog. */
const FOCUSABLE = 'input:not(:disabled), select:not(:disabled), textarea:not(:disabled), button:not(:disabled), a[href], [tabindex="0"]';

/**
 * A modal dialog's keyboard rules, the same for every dialog of the studio: Tab and Shift+Tab
 * cycle inside it (and bring focus back when it fell out, say when a button it pressed went away),
 * Escape closes it wherever focus is, and on close focus returns to where it was when the dialog
 * opened. `box` is the dialog element; `onClose` is read at the time of the key press.
 */
export function useModal(box: RefObject<HTMLElement | null>, onClose: () => void): void {
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const returnTo = document.activeElement;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented) {
        event.preventDefault();
        close.current();
      } else if (event.key === 'Tab' && box.current) {
        keepTabInside(event, box.current);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      if (returnTo instanceof HTMLElement && returnTo.isConnected) returnTo.focus();
    };
  }, [box]);
}

/** Is a modal dialog open? Then it has the keyboard, and the studio behind it takes no commands. */
export function isModalOpen(): boolean {
  return document.querySelector('[role="dialog"][aria-modal="true"]') !== null;
}

function keepTabInside(event: KeyboardEvent, box: HTMLElement): void {
  const focusable = [...box.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null || el === document.activeElement);
  if (focusable.length === 0) return;
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  const active = document.activeElement;
  if (!(active instanceof Node) || !box.contains(active)) {
    event.preventDefault();
    (event.shiftKey ? last : first).focus();
  } else if (event.shiftKey && active === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && active === last) {
    event.preventDefault();
    first.focus();
  }
}
