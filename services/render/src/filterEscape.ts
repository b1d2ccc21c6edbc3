/**
 * Quotes a value (a file path) for an option inside `-filter_complex`.
 * FFmpeg unescapes twice: once when it splits the graph into filters
 * (`[],;'\` are special) and once when the filter splits its options (`:'\`).
 * A temp directory can contain any of these, and an unescaped `:` or `,`
 * would silently change the graph instead of failing.
 */
export function escapeFilterValue(value: string): string {
  const optionLevel = value.replace(/[\\':]/g, '\\$&');
  return optionLevel.replace(/[\\'[\],;]/g, '\\$&');
}
