import { AppError, ffprobeEntries } from '@storyreel/shared';
import { FORMATS, type MediaFormat } from './mediaSniffer.js';

export interface AudioFacts {
  durationSeconds: number;
  codec: string;
  sampleRate: number;
  channels: number;
}

interface ProbeOutput {
  streams?: { codec_type?: string; codec_name?: string; sample_rate?: string; channels?: number }[];
  format?: { duration?: string };
}

const unreadable = (format: MediaFormat, why: string) =>
  new AppError('unsupported_media_type', `the audio is damaged, truncated or not really ${FORMATS[format].label}`, {
    reason: why,
  });

/**
 * Asks ffprobe what the file holds: it must decode as audio with a length,
 * within `maxSeconds`. The sniffed magic number says what a file claims;
 * this says FFmpeg (which renders the movie) can actually read it.
 */
export async function probeAudio(
  ffprobePath: string,
  file: string,
  format: MediaFormat,
  maxSeconds: number,
): Promise<AudioFacts> {
  let parsed: ProbeOutput;
  try {
    parsed = await ffprobeEntries<ProbeOutput>(
      ffprobePath,
      file,
      'format=duration:stream=codec_type,codec_name,sample_rate,channels',
    );
  } catch (err) {
    throw unreadable(format, (err as Error).message.split('\n').slice(-2).join(' ').trim());
  }
  const audio = parsed.streams?.find((s) => s.codec_type === 'audio');
  if (!audio) throw unreadable(format, 'no audio stream');
  if (parsed.streams?.some((s) => s.codec_type === 'video' && s.codec_name !== 'mjpeg' && s.codec_name !== 'png')) {
    // Cover art is a picture stream; moving video is not narration.
    throw new AppError('unsupported_media_type', 'the file holds video; upload the audio alone');
  }
  const durationSeconds = Number(parsed.format?.duration);
  if (!Number.isFinite(durationSeconds) || durationSeconds <= 0) throw unreadable(format, 'no duration');
  if (durationSeconds > maxSeconds) {
    throw new AppError(
      'payload_too_large',
      `the audio is ${Math.round(durationSeconds)} s long; the limit is ${maxSeconds} s`,
      { durationSeconds, maxSeconds },
    );
  }
  return {
    durationSeconds,
    codec: audio.codec_name ?? 'unknown',
    sampleRate: Number(audio.sample_rate ?? 0),
    channels: audio.channels ?? 0,
  };
}
