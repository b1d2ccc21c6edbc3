import { badRequest } from '@storyreel/shared';

export interface ContentRange {
  start: number;
  /** Inclusive, as HTTP writes it. */
  end: number;
  total: number;
}

const RANGE = /^bytes (\d{1,15})-(\d{1,15})\/(\d{1,15})$/;

/** Parses a chunk's `Content-Range: bytes <start>-<end>/<total>` (RFC 9110 §14.4). */
export function parseContentRange(header: string | undefined): ContentRange {
  const match = RANGE.exec(header?.trim() ?? '');
  if (!match) {
    throw badRequest('each chunk needs a Content-Range header: bytes <start>-<end>/<total>', {
      contentRange: header ?? null,
    });
  }
  const [start, end, total] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (end < start || end >= total) {
    throw badRequest('Content-Range needs start <= end < total', { start, end, total });
  }
  return { start, end, total };
}
