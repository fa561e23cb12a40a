import DOMPurify from 'dompurify';
import { useMemo } from 'react';

const ALLOWED_TAGS = ['a', 'b', 'strong', 'i', 'em', 'u', 'br', 'p', 'ul', 'ol', 'li', 'code'];
const ALLOWED_ATTR = ['href'];

/** Bot text as the widget will show it: HTML sanitized with the same small allowlist. */
export function HtmlPreview({ html }: { html: string }) {
  const safe = useMemo(() => DOMPurify.sanitize(html, { ALLOWED_TAGS, ALLOWED_ATTR }), [html]);
  return <div className="html-preview" aria-label="Preview" dangerouslySetInnerHTML={{ __html: safe }} />;
}
