import { useEffect, useState } from 'react';

/** Longest wait for a new page's widget before it is shown anyway. */
const READY_TIMEOUT_MS = 2000;
const POLL_MS = 40;

interface FrameSlot {
  src: string;
  ready: boolean;
}

/**
 * The preview's iframe, double-buffered: a new address loads in a hidden frame on top of the
 * shown one, and replaces it only once its widget has rebuilt the conversation, so stepping
 * through a replay (or restarting) never flashes an empty page.
 */
export function PreviewFrame({ src }: { src: string }) {
  const [slots, setSlots] = useState<FrameSlot[]>([{ src, ready: true }]);

  useEffect(() => {
    setSlots((current) => {
      if (current[current.length - 1].src === src) return current;
      // Keep the frame on screen; a frame still loading for an older address is dropped.
      const shown = current.filter((slot) => slot.ready).slice(-1);
      if (shown[0]?.src === src) return shown;
      return [...shown, { src, ready: false }];
    });
  }, [src]);

  const markReady = (readySrc: string) =>
    setSlots((current) => {
      const index = current.findIndex((slot) => slot.src === readySrc && !slot.ready);
      return index < 0 ? current : [{ src: readySrc, ready: true }, ...current.slice(index + 1)];
    });

  return (
    <>
      {slots.map((slot) => (
        <iframe
          key={slot.src}
          title="Bot preview"
          src={slot.src}
          className={slot.ready ? undefined : 'is-loading'}
          aria-hidden={slot.ready ? undefined : true}
          tabIndex={slot.ready ? undefined : -1}
          data-testid={slot.ready ? 'preview-frame' : 'preview-frame-loading'}
          onLoad={slot.ready ? undefined : (event) => void widgetSettled(event.currentTarget).then(() => markReady(slot.src))}
        />
      ))}
    </>
  );
}

/**
 * Resolves once the framed page's widget is online with its replayed conversation swapped in (or
 * the page shows a problem instead). A page the studio cannot look into is given a moment.
 */
function widgetSettled(frame: HTMLIFrameElement): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  return new Promise((resolve) => {
    const check = () => {
      let doc: Document | null = null;
      try {
        doc = frame.contentDocument;
      } catch {
        doc = null;
      }
      const widget = doc?.querySelector<HTMLElement>('.bot-assistant');
      const settled = doc
        ? doc.querySelector('.preview-problem') !== null ||
          (widget?.dataset.status === 'online' && !widget.hidden && doc.querySelector('.ba-log[aria-busy="true"]') === null)
        : Date.now() > deadline - READY_TIMEOUT_MS / 2;
      if (settled || Date.now() > deadline) resolve();
      else setTimeout(check, POLL_MS);
    };
    check();
  });
}
