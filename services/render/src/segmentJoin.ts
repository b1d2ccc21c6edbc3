/**
 * The concat demuxer's list of segment files. Names are relative to the
 * list (they sit in the same folder), which keeps the demuxer's safe mode
 * on and needs no quoting beyond the format's own.
 */
export function concatList(segmentFiles: readonly string[]): string {
  const quote = (name: string) => `'${name.replace(/'/g, "'\\''")}'`;
  return ['ffconcat version 1.0', ...segmentFiles.map((name) => `file ${quote(name)}`), ''].join('\n');
}

/**
 * Joins the segments' pictures (stream copy through the concat demuxer) with
 * the soundtrack mixed once (stream copy) into the finished MP4, moov first.
 */
export function joinArgs(list: string, audio: string, output: string): string[] {
  return [
    '-loglevel',
    'error',
    '-f',
    'concat',
    '-i',
    list,
    '-i',
    audio,
    '-map',
    '0:v',
    '-map',
    '1:a',
    '-c',
    'copy',
    '-movflags',
    '+faststart',
    '-f',
    'mp4',
    output,
  ];
}
