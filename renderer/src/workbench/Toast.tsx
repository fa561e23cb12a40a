import { useEffect, useState } from 'react';

interface Props {
  notice: { message: string; tone: 'info' | 'error'; nonce: number } | null;
}

/** The latest notice, for a few seconds (errors stay longer). Announced to screen readers. */
export function Toast({ notice }: Props) {
  const [shown, setShown] = useState(notice);
  useEffect(() => {
    setShown(notice);
    if (!notice) return;
    const timer = setTimeout(() => setShown(null), notice.tone === 'error' ? 8000 : 4000);
    return () => clearTimeout(timer);
  }, [notice]);
  return (
    <div className="toast-region" role="status" aria-live="polite">
      {shown && (
        <div className={`toast tone-${shown.tone}`} onClick={() => setShown(null)}>
          {shown.message}
        </div>
      )}
    </div>
  );
}
