import { z } from 'zod';

/**
 * One spoken word and when it is heard, in seconds from the start of its
 * audio. narrate produces these, align-captions consumes them: the one
 * contract between speech and captions.
 */
export interface WordTiming {
  text: string;
  start: number;
  end: number;
}

/**
 * As long as the longest text narrate speaks in one go: an unbroken token (a
 * pasted URL) is one word, and a word narrate made must be one captions take.
 */
export const MAX_WORD_CHARS = 5000;

export const wordTimingSchema = z
  .object({
    text: z.string().trim().min(1).max(MAX_WORD_CHARS),
    start: z.number().min(0).max(86_400),
    end: z.number().min(0).max(86_400),
  })
  .refine((w) => w.end >= w.start, { message: 'end must not be before start', path: ['end'] });

/** A word list whose starts never go back in time (what every timeline we produce guarantees). */
export const wordTimelineSchema = z
  .array(wordTimingSchema)
  .max(100_000)
  .refine((words) => words.every((w, i) => i === 0 || w.start >= (words[i - 1] as WordTiming).start), {
    message: 'word starts must be in time order',
  });
