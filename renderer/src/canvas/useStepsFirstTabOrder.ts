import { useEffect, type RefObject } from 'react';
import { rescueFocus } from './rescueFocus.ts';

const NODE = '.react-flow__node[tabindex]';
const EDGE = '.react-flow__edge[tabindex]';

/**
 * Tab reaches the steps before the links. React Flow puts its links before its steps in the page,
 * so the browser's own order would walk every link first; this hook keeps the browser's order
 * everywhere else and re-orders only inside the canvas: steps (in file order on screen), then links.
 * Leaving the canvas hands the key back to the browser from the canvas' first or last element.
 */
export function useStepsFirstTabOrder(container: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const root = container.current;
    if (!root) return;
    const order = () => [...root.querySelectorAll<HTMLElement>(NODE), ...root.querySelectorAll<HTMLElement>(EDGE)];
    const inDomOrder = () => [...root.querySelectorAll<HTMLElement>(`${NODE}, ${EDGE}`)];
    const itemOf = (target: EventTarget | null) => (target instanceof Element ? target.closest<HTMLElement>(`${NODE}, ${EDGE}`) : null);

    const onKeyDown = (event: KeyboardEvent) => {
      // Escape clears the selection, and React Flow lets the focused step or link go with it.
      if (event.key === 'Escape' && itemOf(event.target)) return rescueFocus(event.target);
      if (event.key !== 'Tab' || event.altKey || event.ctrlKey || event.metaKey) return;
      const item = itemOf(event.target);
      if (!item || item !== event.target) return; // a field inside a step keeps the browser's order
      const list = order();
      const next = list.indexOf(item) + (event.shiftKey ? -1 : 1);
      if (next >= 0 && next < list.length) {
        event.preventDefault();
        list[next].focus({ preventScroll: false });
        return;
      }
      // Out of the canvas: let the browser move on from the canvas' last (or first) element in the page.
      const dom = inDomOrder();
      const edge = event.shiftKey ? dom[0] : dom[dom.length - 1];
      if (edge && edge !== item) edge.focus({ preventScroll: true });
    };

    // Coming in from anything but a step or link (the page, the Add bar, the zoom buttons), the browser
    // lands on the first (or last) of them in the page: the first link (or the last step). Start from
    // the first step (or the last link) instead.
    const onFocusIn = (event: FocusEvent) => {
      const item = itemOf(event.target);
      // Only Tab's arrival from another element: a click, or focus the studio puts on a step, stays.
      if (!item || !tabbing || itemOf(event.relatedTarget)) return;
      const dom = inDomOrder();
      const list = order();
      if (item === dom[0] && list[0] && list[0] !== item) list[0].focus();
      else if (item === dom[dom.length - 1] && list.length > 0 && list[list.length - 1] !== item) list[list.length - 1].focus();
    };

    // Is a Tab press moving the focus right now? (The browser moves it between keydown and keyup.)
    let tabbing = false;
    const onAnyKeyDown = (event: KeyboardEvent) => {
      tabbing = event.key === 'Tab';
    };
    const onAnyKeyUp = () => {
      tabbing = false;
    };
    root.addEventListener('keydown', onKeyDown);
    root.addEventListener('focusin', onFocusIn);
    document.addEventListener('keydown', onAnyKeyDown, true);
    document.addEventListener('keyup', onAnyKeyUp, true);
    return () => {
      root.removeEventListener('keydown', onKeyDown);
      root.removeEventListener('focusin', onFocusIn);
      document.removeEventListener('keydown', onAnyKeyDown, true);
      document.removeEventListener('keyup', onAnyKeyUp, true);
    };
  }, [container]);
}
