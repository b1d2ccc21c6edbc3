import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Linux refuses a single argument over 128 KiB (MAX_ARG_STRLEN: spawn fails
 * with E2BIG). A long story's graph gets near that (200 blurred, narrated
 * scenes: ~118,000 characters), so past `limit` the graph goes to a file
 * FFmpeg reads with -filter_complex_script; short graphs stay inline, where a
 * logged command can be pasted into a shell as it is.
 */
export async function moveLongGraphToScript(
  args: readonly string[],
  dir: string,
  limit = 100_000,
  name = 'graph.txt',
): Promise<string[]> {
  const at = args.indexOf('-filter_complex');
  const graph = args[at + 1];
  if (at === -1 || graph === undefined || graph.length <= limit) return [...args];
  const script = join(dir, name);
  await writeFile(script, graph);
  return [...args.slice(0, at), '-filter_complex_script', script, ...args.slice(at + 2)];
}
