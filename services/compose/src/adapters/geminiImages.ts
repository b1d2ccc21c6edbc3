import { GoogleGenAI, Modality } from '@google/genai';
import { AppError, adapterCaller, type ProviderAdapterOptions } from '@storyreel/shared';
import { styledPrompt } from '../imagePrompt.js';
import type { ImageProvider, ImageRequest } from '../imageProvider.js';
import { styleOf } from '../styles.js';

/**
 * Scene pictures from Gemini's image model: the prompt with the style's
 * words, the frame's aspect ratio and the scene's seed; the picture comes
 * back inline (base64), so nothing has to be fetched.
 */
export interface GeminiImagesOptions extends ProviderAdapterOptions {
  /** The API's base URL; a loopback fake in tests. */
  baseUrl?: string;
  model?: string;
}

const PRODUCTION_URL = 'https://generativelanguage.googleapis.com';

/** The aspect ratios Gemini draws, nearest first. */
function aspectRatioOf(width: number, height: number): string {
  if (width === height) return '1:1';
  return width > height ? '16:9' : '9:16';
}

export function geminiImages(options: GeminiImagesOptions): ImageProvider {
  const baseUrl = options.baseUrl ?? PRODUCTION_URL;
  const model = options.model ?? 'gemini-2.5-flash-image';
  const timeoutMs = options.timeoutMs ?? 90_000;
  const call = adapterCaller('gemini', baseUrl, options, timeoutMs);

  return {
    id: `gemini:${model}`,
    version: '1',
    async generate(prompt: string, request: ImageRequest, context = {}): Promise<Buffer> {
      const response = await call(context, async ({ credential, signal }) => {
        const ai = new GoogleGenAI({ apiKey: credential.apiKey, httpOptions: { baseUrl, timeout: timeoutMs } });
        return ai.models.generateContent({
          model,
          contents: styledPrompt(prompt, styleOf(request.style)),
          config: {
            responseModalities: [Modality.IMAGE],
            imageConfig: { aspectRatio: aspectRatioOf(request.width, request.height) },
            seed: request.seed,
            abortSignal: signal,
          },
        });
      });
      const parts = response.candidates?.[0]?.content?.parts ?? [];
      const image = parts.find((part) => part.inlineData?.data && part.inlineData.mimeType?.startsWith('image/'));
      if (!image?.inlineData?.data) {
        // No picture: the prompt was blocked, or the model answered in words.
        const reason = response.promptFeedback?.blockReason ?? response.candidates?.[0]?.finishReason ?? 'no image';
        throw new AppError(
          'invalid_argument',
          'Gemini did not draw this scene; try another prompt',
          {
            provider: 'gemini',
            reason: 'provider_refused',
            upstream: String(reason),
          },
          422,
        );
      }
      return Buffer.from(image.inlineData.data, 'base64');
    },
  };
}
