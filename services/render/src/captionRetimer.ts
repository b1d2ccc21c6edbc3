/**
 * Moves ASS cues timed on a combined narration track onto the movie's
 * timeline. The track is cut at each scene's offset and every piece placed
 * at its scene's start (timeline.ts), so a cue moves with the piece it
 * starts in: by (sceneStart − sceneOffset). Cues are cut at the end of the
 * piece's slot, where its audio is cut too, and dropped if they start after
 * it. Karaoke (\k) and other in-cue timings are relative to the cue's start
 * and move with it.
 */
export interface TrackPiece {
  /** Where the piece starts in the narration track. */
  trackOffsetSeconds: number;
  /** Where it starts in the movie. */
  movieStartSeconds: number;
  /** How long it may play in the movie. */
  slotSeconds: number;
}

const DEFAULT_FORMAT = ['layer', 'start', 'end', 'style', 'name', 'marginl', 'marginr', 'marginv', 'effect', 'text'];

export function retimeAss(ass: string, pieces: readonly TrackPiece[]): string {
  let format = DEFAULT_FORMAT;
  let inEvents = false;
  const out: string[] = [];
  for (const line of ass.split(/\r?\n/)) {
    const section = /^\s*\[(.+)\]\s*$/.exec(line);
    if (section) inEvents = section[1]?.toLowerCase() === 'events';
    const formatLine = /^Format:\s*(.*)$/i.exec(line);
    if (inEvents && formatLine) format = (formatLine[1] ?? '').split(',').map((f) => f.trim().toLowerCase());
    const dialogue = /^Dialogue:\s*(.*)$/i.exec(line);
    if (!inEvents || !dialogue) {
      out.push(line);
      continue;
    }
    const moved = moveCue(dialogue[1] ?? '', format, pieces);
    if (moved !== null) out.push(`Dialogue: ${moved}`);
  }
  return out.join('\n');
}

function moveCue(fieldsText: string, format: readonly string[], pieces: readonly TrackPiece[]): string | null {
  // The text (last field) may itself contain commas; only the fields before it are split.
  const fields = splitFields(fieldsText, format.length);
  const startAt = format.indexOf('start');
  const endAt = format.indexOf('end');
  const start = parseAssTime(fields[startAt] ?? '');
  const end = parseAssTime(fields[endAt] ?? '');
  if (start === null || end === null) return fieldsText;
  const piece = [...pieces].reverse().find((p) => start >= p.trackOffsetSeconds - 0.005) ?? pieces[0];
  if (!piece) return fieldsText;
  const shift = piece.movieStartSeconds - piece.trackOffsetSeconds;
  const slotEnd = piece.movieStartSeconds + piece.slotSeconds;
  const newStart = Math.max(start + shift, piece.movieStartSeconds);
  const newEnd = Math.min(end + shift, slotEnd);
  if (newStart >= slotEnd || newEnd <= newStart) return null;
  fields[startAt] = formatAssTime(newStart);
  fields[endAt] = formatAssTime(newEnd);
  return fields.join(',');
}

function splitFields(text: string, count: number): string[] {
  const parts = text.split(',');
  return [...parts.slice(0, count - 1), parts.slice(count - 1).join(',')];
}

export function parseAssTime(value: string): number | null {
  const match = /^\s*(\d+):(\d{1,2}):(\d{1,2})(?:\.(\d{1,3}))?\s*$/.exec(value);
  if (!match) return null;
  const [, h, m, s, frac = '0'] = match;
  return Number(h) * 3600 + Number(m) * 60 + Number(s) + Number(`0.${frac}`);
}

export function formatAssTime(seconds: number): string {
  const centis = Math.round(Math.max(seconds, 0) * 100);
  const h = Math.floor(centis / 360_000);
  const m = Math.floor((centis % 360_000) / 6000);
  const s = Math.floor((centis % 6000) / 100);
  const cs = centis % 100;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(cs).padStart(2, '0')}`;
}
