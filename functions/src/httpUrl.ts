/**
 * The URL as an absolute http(s) URL, or null. Everything the share page
 * links to or embeds comes from stored documents, so a `javascript:`,
 * `data:` or relative value is dropped rather than trusted.
 */
export function httpUrl(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  // Credentials in a link would be shown to every viewer.
  if (url.username || url.password) return null;
  return url.href;
}

export const isHttps = (url: string) => url.startsWith('https:');
