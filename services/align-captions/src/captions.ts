import { type BlobStore, contentHash, formatGsPath } from '@storyreel/shared';
import { toAss } from './ass.js';
import { type Aspect, type CaptionPosition, type CaptionPreset, captionStyle } from './captionStyle.js';
import type { CaptionTimeline } from './captionTimeline.js';
import { breakCues } from './cueBreaker.js';
import { toSrt } from './srt.js';
import { toVtt } from './vtt.js';

/** Bump when cue breaking or the file writers change, so stored captions are made again. */
export const CAPTIONS_VERSION = 1;

export interface CaptionRequest {
  uid: string;
  projectId: string;
  timeline: CaptionTimeline;
  preset: CaptionPreset;
  position?: CaptionPosition;
  aspect: Aspect;
  width: number;
  height: number;
}

export interface CaptionFiles {
  paths: { srt: string; vtt: string; ass: string };
  cues: number;
  cached: boolean;
}

const FORMATS = [
  { ext: 'srt', contentType: 'application/x-subrip' },
  { ext: 'vtt', contentType: 'text/vtt' },
  { ext: 'ass', contentType: 'text/x-ssa' },
] as const;

/** SRT, WebVTT and ASS captions of one timeline, stored under the project and reused when nothing changed. */
export async function makeCaptions(
  deps: { blobs: BlobStore; mediaBucket: string },
  request: CaptionRequest,
): Promise<CaptionFiles> {
  const { timeline } = request;
  const style = captionStyle(request);
  const hash = contentHash({
    words: timeline.words,
    breakAfter: [...timeline.breakAfter].sort((a, b) => a - b),
    audioEnd: timeline.audioEnd,
    style,
    width: request.width,
    height: request.height,
    version: CAPTIONS_VERSION,
  });
  const base = `users/${request.uid}/projects/${request.projectId}/captions/${hash}`;
  const [srt, vtt, ass] = FORMATS.map((f) => formatGsPath(deps.mediaBucket, `${base}.${f.ext}`)) as [
    string,
    string,
    string,
  ];
  const cues = breakCues(timeline.words, {
    audioEnd: timeline.audioEnd,
    breakAfter: timeline.breakAfter,
    limits: { maxLineChars: style.maxLineChars },
  });
  const paths = { srt, vtt, ass };
  const stored = await Promise.all([srt, vtt, ass].map((p) => deps.blobs.exists(p)));
  if (stored.every(Boolean)) return { paths, cues: cues.length, cached: true };

  const contents = [toSrt(cues), toVtt(cues), toAss(cues, { width: request.width, height: request.height, style })];
  for (const [i, format] of FORMATS.entries()) {
    await deps.blobs.put([srt, vtt, ass][i] as string, contents[i] as string, {
      contentType: `${format.contentType}; charset=utf-8`,
    });
  }
  return { paths, cues: cues.length, cached: false };
}
