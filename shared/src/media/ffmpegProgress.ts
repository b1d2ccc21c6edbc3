/**
 * Reads FFmpeg's `-progress` output (blocks of key=value lines) into a
 * percentage of the expected output length. `out_time_us` is the time
 * written to the output so far; it is `N/A` before the first frame.
 */
export function createProgressReader(totalSeconds: number, onPercent: (percent: number) => void) {
  let buffered = '';
  let last = -1;
  return (chunk: string): void => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      const match = /^out_time_us=(\d+)\s*$/.exec(line);
      if (!match || totalSeconds <= 0) continue;
      const percent = Math.min(99, Math.floor((Number(match[1]) / 1e6 / totalSeconds) * 100));
      // 100 is reported by the caller once the output is complete, not when FFmpeg has written the last frame.
      if (percent > last) {
        last = percent;
        onPercent(percent);
      }
    }
  };
}
