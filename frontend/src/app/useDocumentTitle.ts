import { useEffect } from 'react';

/** The tab's title names the page, so history, tabs and screen readers tell pages apart. */
export function useDocumentTitle(...parts: (string | undefined)[]) {
  const title = [...parts.filter(Boolean), 'storyreel'].join(' · ');
  useEffect(() => {
    document.title = title;
  }, [title]);
}
