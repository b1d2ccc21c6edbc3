import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { eventStream, fakeApi } from '../test/fakeApi';
import { job, madeJob, project } from '../test/fixtures';
import { renderScreen } from '../test/renderScreen';
import { RenderScreen } from './RenderScreen';

const PATH = '/projects/p1/render';
const progressOf = () =>
  Number(screen.getByRole('progressbar', { name: 'Movie progress' }).getAttribute('aria-valuenow'));

describe('Render', () => {
  it('starts the movie with the chosen quality and follows its progress over server-sent events', async () => {
    const api = fakeApi({
      'GET /api/compose/v1/projects/p1': () => project(),
      'GET /api/compose/v1/projects/p1/jobs': () => ({ jobs: [] }),
      'POST /api/compose/v1/projects/p1/render': () => ({
        job: job({ status: 'queued', stage: 'queued', progress: 0 }),
      }),
      'GET /api/compose/v1/jobs/j1/events': () =>
        eventStream([
          { event: 'job', data: job({ progress: 45, stage: 'music' }) },
          { event: 'log', data: { seq: 5, at: '2026-12-07T06:00:01.000Z', level: 'info', message: 'music started' } },
          { event: 'job', data: madeJob() },
          { event: 'end', data: { status: 'succeeded' } },
        ]),
      'GET /api/compose/v1/jobs/j1': () => ({ job: madeJob() }),
    });
    renderScreen(<RenderScreen />, { path: PATH });
    await userEvent.click(await screen.findByRole('radio', { name: /Draft/ }));
    await userEvent.click(screen.getByLabelText('Also make a GIF'));
    await userEvent.click(screen.getByRole('button', { name: 'Make my movie' }));
    expect(await screen.findByRole('heading', { name: 'Your movie is ready' })).toBeInTheDocument();
    expect(progressOf()).toBe(100);
    expect(api.sent('POST', '/api/compose/v1/projects/p1/render')[0]?.body).toEqual({
      quality: 'draft',
      resolution: '720p',
      gif: true,
    });
    // The stream is read with the credentials EventSource could not send.
    const stream = api.sent('GET', '/api/compose/v1/jobs/j1/events')[0];
    expect(stream?.headers.get('authorization')).toBe('Bearer dev:tester');
    await userEvent.click(screen.getByText('Show the log'));
    expect(await screen.findByText(/music started/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Watch your movie' })).toBeInTheDocument();
  });

  it('shows the running job again when the user comes back, with its stages, and cancels it', async () => {
    const api = fakeApi({
      'GET /api/compose/v1/projects/p1': () => project(),
      'GET /api/compose/v1/projects/p1/jobs': () => ({ jobs: [job({ progress: 30 })] }),
      // A stream that stays open and quiet.
      'GET /api/compose/v1/jobs/j1/events': () => new Response(new ReadableStream()),
      'POST /api/compose/v1/jobs/j1/cancel': () => ({ job: job({ status: 'cancelled', progress: 30 }) }),
    });
    renderScreen(<RenderScreen />, { path: PATH });
    expect(await screen.findByRole('heading', { name: 'Making your movie' })).toBeInTheDocument();
    expect(progressOf()).toBe(30);
    expect(screen.getByText('Pictures', { selector: '.stage-label' }).closest('li')).toHaveClass('stage-done');
    expect(screen.getByText('Narration', { selector: '.stage-label' }).closest('li')).toHaveClass('stage-running');
    expect(screen.getByText('You can close this page', { exact: false })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(await screen.findByRole('heading', { name: 'Stopped' })).toBeInTheDocument();
    expect(api.sent('POST', '/api/compose/v1/jobs/j1/cancel')).toHaveLength(1);
  });

  it('explains a failed step and retries from it', async () => {
    const failed = job({
      status: 'failed',
      stage: 'music',
      progress: 60,
      error: 'the music service did not answer',
      steps: {
        ...job().steps,
        narrate: { status: 'done', attempts: 1 },
        align: { status: 'done', attempts: 1 },
        captions: { status: 'done', attempts: 1 },
        music: { status: 'failed', attempts: 3, error: 'timeout' },
      },
    });
    const api = fakeApi({
      'GET /api/compose/v1/projects/p1': () => project(),
      'GET /api/compose/v1/projects/p1/jobs': () => ({ jobs: [failed] }),
      'POST /api/compose/v1/jobs/j1/retry': () => ({ job: madeJob() }),
    });
    renderScreen(<RenderScreen />, { path: PATH });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Music failed. the music service did not answer Nothing was charged for this try.',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Retry from music' }));
    await waitFor(() => expect(api.sent('POST', '/api/compose/v1/jobs/j1/retry')).toHaveLength(1));
    expect(await screen.findByRole('heading', { name: 'Your movie is ready' })).toBeInTheDocument();
  });

  it('tells how many movies are left today, and holds the button when none are', async () => {
    fakeApi({
      'GET /api/compose/v1/projects/p1': () => project(),
      'GET /api/compose/v1/projects/p1/jobs': () => ({ jobs: [] }),
      'GET /api/compose/v1/quota': () => ({
        plan: 'free',
        limit: 10,
        used: 10,
        remaining: 0,
        resetsAt: '2026-12-08T00:00:00.000Z',
        byoKeyUsage: 0,
      }),
    });
    renderScreen(<RenderScreen />, { path: PATH });
    expect(await screen.findByText(/You've made all 10 movies of today's free plan/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Make my movie' })).toBeDisabled();
  });

  it('reads the job directly while its event stream stays quiet (a buffering proxy)', async () => {
    fakeApi({
      'GET /api/compose/v1/projects/p1': () => project(),
      'GET /api/compose/v1/projects/p1/jobs': () => ({ jobs: [job({ progress: 10 })] }),
      'GET /api/compose/v1/jobs/j1/events': () => new Response(new ReadableStream()),
      'GET /api/compose/v1/jobs/j1': () => ({ job: job({ progress: 80, stage: 'render' }) }),
    });
    renderScreen(<RenderScreen />, { path: PATH });
    await screen.findByRole('heading', { name: 'Making your movie' });
    expect(progressOf()).toBe(10);
    await waitFor(() => expect(progressOf()).toBe(80), { timeout: 12_000 });
  }, 20_000);
});
