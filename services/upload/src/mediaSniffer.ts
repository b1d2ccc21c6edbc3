import { AppError } from '@storyreel/shared';
import { fileTypeFromFile } from 'file-type';
import sharp from 'sharp';

export type MediaKind = 'image' | 'audio';
export type MediaFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'avif' | 'heic' | 'wav' | 'mp3' | 'm4a';

interface FormatInfo {
  kind: MediaKind;
  label: string;
  /** The content type stored for audio (images are re-encoded as JPEG). */
  contentType: string;
  ext: string;
  /** Content types a client may declare for it; browsers and OSes disagree on the names. */
  declaredAs: readonly string[];
}

export const FORMATS: Readonly<Record<MediaFormat, FormatInfo>> = {
  jpeg: {
    kind: 'image',
    label: 'JPEG',
    contentType: 'image/jpeg',
    ext: 'jpg',
    declaredAs: ['image/jpeg', 'image/jpg'],
  },
  png: { kind: 'image', label: 'PNG', contentType: 'image/png', ext: 'png', declaredAs: ['image/png'] },
  webp: { kind: 'image', label: 'WebP', contentType: 'image/webp', ext: 'webp', declaredAs: ['image/webp'] },
  gif: { kind: 'image', label: 'GIF', contentType: 'image/gif', ext: 'gif', declaredAs: ['image/gif'] },
  avif: { kind: 'image', label: 'AVIF', contentType: 'image/avif', ext: 'avif', declaredAs: ['image/avif'] },
  heic: {
    kind: 'image',
    label: 'HEIC',
    contentType: 'image/heic',
    ext: 'heic',
    declaredAs: ['image/heic', 'image/heif'],
  },
  wav: {
    kind: 'audio',
    label: 'WAV',
    contentType: 'audio/wav',
    ext: 'wav',
    declaredAs: ['audio/wav', 'audio/x-wav', 'audio/wave', 'audio/vnd.wave'],
  },
  mp3: { kind: 'audio', label: 'MP3', contentType: 'audio/mpeg', ext: 'mp3', declaredAs: ['audio/mpeg', 'audio/mp3'] },
  m4a: {
    kind: 'audio',
    label: 'M4A',
    contentType: 'audio/mp4',
    ext: 'm4a',
    declaredAs: ['audio/mp4', 'audio/x-m4a', 'audio/m4a', 'audio/aac'],
  },
};

/** file-type's extension for each format we take. */
const BY_SNIFFED_EXT: Readonly<Record<string, MediaFormat>> = {
  jpg: 'jpeg',
  png: 'png',
  webp: 'webp',
  gif: 'gif',
  avif: 'avif',
  heic: 'heic',
  wav: 'wav',
  mp3: 'mp3',
  m4a: 'm4a',
};

/**
 * libvips lists `.heic` among heifload's suffixes only when libheif has an
 * HEVC decoder; sharp's prebuilt binaries have AV1 (AVIF) alone, for patent
 * reasons, so HEIC photos are taken only where the decoder exists.
 */
export const heicReadable = (): boolean => sharp.format.heif?.input.fileSuffix?.includes('.heic') ?? false;

const readable = (format: MediaFormat) => format !== 'heic' || heicReadable();

export function supportedLabels(kind?: MediaKind): string {
  return (Object.keys(FORMATS) as MediaFormat[])
    .filter((f) => readable(f) && (kind === undefined || FORMATS[f].kind === kind))
    .map((f) => FORMATS[f].label)
    .join(', ');
}

const KIND_NOUN: Readonly<Record<MediaKind, string>> = { image: 'an image', audio: 'audio' };

const unsupported = (message: string, details?: unknown) => new AppError('unsupported_media_type', message, details);

/** The format a client declares with a content type; 415 for one we do not take. */
export function declaredFormat(kind: MediaKind, contentType: string): MediaFormat {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  const format = (Object.keys(FORMATS) as MediaFormat[]).find((f) => FORMATS[f].declaredAs.includes(type));
  if (!format || FORMATS[format].kind !== kind) {
    throw unsupported(`${type} is not one of the ${kind} types we take; send ${supportedLabels(kind)}`, {
      contentType: type,
    });
  }
  if (!readable(format)) {
    throw unsupported(
      'HEIC photos cannot be read on this server; export them as JPEG (most phones can) and upload again',
    );
  }
  return format;
}

/**
 * The format of a file, read from its bytes (magic numbers via file-type),
 * never from its name or the type a client declared. Anything else is a 415.
 */
export async function sniffFormat(file: string, expectedKind: MediaKind): Promise<MediaFormat> {
  const sniffed = await fileTypeFromFile(file);
  const format = sniffed ? BY_SNIFFED_EXT[sniffed.ext] : undefined;
  if (!format || !readable(format)) {
    throw unsupported(
      `the file is not ${KIND_NOUN[expectedKind]} we take${sniffed ? ` (its bytes are ${sniffed.mime})` : ''}; send ${supportedLabels(expectedKind)}`,
      { sniffed: sniffed?.mime ?? null },
    );
  }
  if (FORMATS[format].kind !== expectedKind) {
    throw unsupported(`the file is ${FORMATS[format].label} ${FORMATS[format].kind}, not ${KIND_NOUN[expectedKind]}`, {
      sniffed: FORMATS[format].contentType,
    });
  }
  return format;
}

/** Refuses a file whose bytes are another format than the one its upload declared. */
export function assertDeclared(declared: MediaFormat, sniffed: MediaFormat): void {
  if (declared !== sniffed) {
    throw unsupported(
      `the upload was declared ${FORMATS[declared].label} but its bytes are ${FORMATS[sniffed].label}`,
      {
        declared: FORMATS[declared].contentType,
        sniffed: FORMATS[sniffed].contentType,
      },
    );
  }
}
