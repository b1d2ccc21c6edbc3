import { ffprobeEntries, unprocessable } from '@storyreel/shared';

export interface VideoFacts {
  width: number;
  height: number;
  fps: number;
  durationSeconds: number;
  hasAudio: boolean;
}

interface ProbeOutput {
  streams?: { codec_type?: string; width?: number; height?: number; avg_frame_rate?: string }[];
  format?: { duration?: string };
}

const notAMovie = (why: string) => unprocessable(`videoPath is not a movie we can polish: ${why}`);

/** What the movie to polish holds, as ffprobe reads it: a file that is not a video is the caller's mistake (422). */
export async function probeVideo(ffprobePath: string, file: string): Promise<VideoFacts> {
  let parsed: ProbeOutput;
  try {
    parsed = await ffprobeEntries<ProbeOutput>(
      ffprobePath,
      file,
      'format=duration:stream=codec_type,width,height,avg_frame_rate',
    );
  } catch {
    throw notAMovie('it does not decode');
  }
  const video = parsed.streams?.find((s) => s.codec_type === 'video');
  const durationSeconds = Number(parsed.format?.duration);
  if (!video?.width || !video.height) throw notAMovie('no video stream');
  if (!(durationSeconds > 0)) throw notAMovie('no duration');
  const [num, den] = (video.avg_frame_rate ?? '0/1').split('/').map(Number);
  return {
    width: video.width,
    height: video.height,
    fps: num && den ? num / den : 0,
    durationSeconds,
    hasAudio: parsed.streams?.some((s) => s.codec_type === 'audio') ?? false,
  };
}
