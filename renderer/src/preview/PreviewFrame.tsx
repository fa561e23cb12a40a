import { useEffect, useRef, useState } from 'react';
import { isPreviewSettledMessage, PREVIEW_SANDBOX } from '../../../runtime/contract/previewPage.ts';

/** Longest wait for a new page's widget before it is shown anyway. */
const READY_TIMEOUT_MS = 2000;

interface FrameSlot {
  src: string;
  ready: boolean;
}

/**
 * The preview's iframe, sandboxed and double-buffered: a new address loads in a hidden frame on
 * top of the shown one, and replaces it only once its widget has rebuilt the conversation, so
 * stepping through a replay (or restarting) never flashes an empty page. The studio cannot look
 * into the sandboxed page: the page says when it is ready (a postMessage), or it is shown anyway
 * after a moment.
 */
export function PreviewFrame({ src }: { src: string }) {
  const [slots, setSlots] = useState<FrameSlot[]>([{ src, ready: true }]);
  const frames = useRef(new Map<string, HTMLIFrameElement>());

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

  useEffect(() => {
    const onMessage = (event: MessageEvent) => {
      if (!isPreviewSettledMessage(event.data)) return;
      // Only a frame of ours says so (its origin is opaque: "null"; the window identifies it).
      for (const [frameSrc, frame] of frames.current) if (event.source !== null && frame.contentWindow === event.source) markReady(frameSrc);
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, []);

  return (
    <>
      {slots.map((slot) => (
        <iframe
          key={slot.src}
          ref={(frame) => {
            if (frame) frames.current.set(slot.src, frame);
            else frames.current.delete(slot.src);
          }}
          title="Bot preview"
          src={slot.src}
          // No allow-same-origin: the page runs in an opaque origin and reaches nothing of the studio.
          sandbox={PREVIEW_SANDBOX}
          className={slot.ready ? undefined : 'is-loading'}
          aria-hidden={slot.ready ? undefined : true}
          tabIndex={slot.ready ? undefined : -1}
          data-testid={slot.ready ? 'preview-frame' : 'preview-frame-loading'}
          onLoad={slot.ready ? undefined : () => setTimeout(() => markReady(slot.src), READY_TIMEOUT_MS)}
        />
      ))}
    </>
  );
}
