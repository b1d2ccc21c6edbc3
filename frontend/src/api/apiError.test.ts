import { describe, expect, it } from 'vitest';
import { ApiError, apiErrorFrom, humanMessage } from './apiError';

const response = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers });

describe('API errors in words', () => {
  it('reads the error shape, and says when to try again after a 429', async () => {
    const err = await apiErrorFrom(
      response(
        429,
        { error: { code: 'rate_limited', message: 'daily render limit reached', requestId: 'r1' } },
        {
          'retry-after': '3600',
        },
      ),
      'POST /v1/projects/p/render',
    );
    expect(err).toMatchObject({ status: 429, code: 'rate_limited', requestId: 'r1', retryAfterSeconds: 3600 });
    expect(humanMessage(err)).toBe('Daily render limit reached. You can try again in 1 hour.');
  });

  it('names the failing fields of a 422', () => {
    const err = new ApiError(422, 'invalid_argument', 'invalid body: title', {
      fields: [{ field: 'title', message: 'the title is blank' }],
    });
    expect(humanMessage(err)).toBe('Title: the title is blank');
  });

  it('turns a non-JSON failure, a dropped connection and a server fault into plain sentences', async () => {
    const proxy = await apiErrorFrom(response(502, '<html>Bad gateway</html>'), 'GET /v1/voices');
    expect(proxy).toMatchObject({ status: 502, code: 'unknown', message: 'GET /v1/voices failed (502)' });
    expect(humanMessage(new TypeError('Failed to fetch'))).toMatch(/^Could not reach storyreel/);
    expect(humanMessage(new ApiError(500, 'internal', 'boom', undefined, 'req-9'))).toBe(
      'Something went wrong on our side (reference req-9). Please try again.',
    );
    expect(humanMessage(new ApiError(401, 'unauthenticated', 'token expired'))).toBe(
      'Your sign-in has expired. Sign in again to continue.',
    );
  });
});

describe('App Check refusals', () => {
  it('are not mistaken for an expired sign-in', () => {
    const err = new ApiError(
      401,
      'unauthenticated',
      'the x-firebase-appcheck header is missing: this API only answers the storyreel app',
    );
    expect(humanMessage(err)).toBe('storyreel could not verify this app (App Check). Reload the page and try again.');
  });
});
