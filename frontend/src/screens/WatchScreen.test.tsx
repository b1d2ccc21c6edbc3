import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiError, fakeApi } from '../test/fakeApi';
import { madeJob, project } from '../test/fixtures';
import { renderScreen } from '../test/renderScreen';
import { WatchScreen } from './WatchScreen';

const MEDIA = {
  videoUrl: '/blobs/media/m.mp4?sig=1',
  posterUrl: '/blobs/media/p.jpg?sig=1',
  gifUrl: null,
  captions: { vttUrl: '/blobs/media/c.vtt?sig=1', srtUrl: '/blobs/media/c.srt?sig=1' },
  expiresAt: '2026-12-07T12:00:00.000Z',
};
const PUBLICATION = {
  publicId: 'pub123',
  shareUrl: 'http://localhost:8080/share/pub123',
  videoUrl: '/public/pub/movies/pub123/movie.mp4',
  jobId: 'j1',
  publishedAt: '2026-12-07T06:00:00.000Z',
  updatedAt: '2026-12-07T06:00:00.000Z',
};

function routes(published: boolean) {
  let isPublished = published;
  return {
    'GET /api/compose/v1/projects/p1': () => project(),
    'GET /api/compose/v1/projects/p1/jobs': () => ({ jobs: [madeJob()] }),
    'GET /api/compose/v1/jobs/j1/media': () => MEDIA,
    'GET /api/compose/v1/projects/p1/publish': () =>
      isPublished ? PUBLICATION : apiError(404, 'not_found', 'not found: publication'),
    'POST /api/compose/v1/projects/p1/publish': () => {
      isPublished = true;
      return PUBLICATION;
    },
    'DELETE /api/compose/v1/projects/p1/publish': () => {
      isPublished = false;
      return new Response(null, { status: 204 });
    },
  };
}

describe('Watch', () => {
  it('plays the movie with its captions and offers the downloads', async () => {
    fakeApi(routes(false));
    const { container } = renderScreen(<WatchScreen />, { path: '/projects/p1/watch' });
    await screen.findByRole('heading', { name: 'The Fox' });
    const video = container.querySelector('video');
    expect(video).toHaveAttribute('src', MEDIA.videoUrl);
    expect(video).toHaveAttribute('poster', MEDIA.posterUrl);
    // Same origin (the local gateway): no CORS fetch needed.
    expect(video).not.toHaveAttribute('crossorigin');
    const track = container.querySelector('track');
    expect(track).toHaveAttribute('kind', 'captions');
    expect(track).toHaveAttribute('src', MEDIA.captions.vttUrl);
    expect(track).toHaveAttribute('srclang', 'en');
    expect(screen.getByRole('link', { name: 'MP4 video' })).toHaveAttribute('download', 'The-Fox.mp4');
    // No GIF was made: the screen offers to make one.
    expect(screen.getByRole('link', { name: 'Make a GIF too' })).toHaveAttribute('href', '/projects/p1/render');
  });

  it('fetches a movie on signed storage URLs with CORS, so its captions track loads', async () => {
    const signed = 'https://storage.googleapis.com/storyreel-media/m.mp4?X-Goog-Signature=1';
    fakeApi({ ...routes(false), 'GET /api/compose/v1/jobs/j1/media': () => ({ ...MEDIA, videoUrl: signed }) });
    const { container } = renderScreen(<WatchScreen />, { path: '/projects/p1/watch' });
    await screen.findByRole('heading', { name: 'The Fox' });
    expect(container.querySelector('video')).toHaveAttribute('crossorigin', 'anonymous');
  });

  it('publishes the movie, copies its share link, and unpublishes it', async () => {
    const api = fakeApi(routes(false));
    const user = userEvent.setup();
    renderScreen(<WatchScreen />, { path: '/projects/p1/watch' });
    await user.click(await screen.findByRole('button', { name: 'Publish and get a link' }));
    const link = await screen.findByLabelText('Share link');
    expect(link).toHaveValue(PUBLICATION.shareUrl);
    expect(api.sent('POST', '/api/compose/v1/projects/p1/publish')[0]?.body).toEqual({ jobId: 'j1' });
    await user.click(screen.getByRole('button', { name: 'Copy link' }));
    expect(await navigator.clipboard.readText()).toBe(PUBLICATION.shareUrl);
    expect(screen.getByRole('link', { name: /Open share page/ })).toHaveAttribute('href', PUBLICATION.shareUrl);
    await user.click(screen.getByRole('button', { name: 'Unpublish' }));
    expect(await screen.findByRole('button', { name: 'Publish and get a link' })).toBeInTheDocument();
    await waitFor(() => expect(api.sent('DELETE', '/api/compose/v1/projects/p1/publish')).toHaveLength(1));
  });

  it('says there is nothing to watch before a movie is made', async () => {
    fakeApi({
      'GET /api/compose/v1/projects/p1': () => project(),
      'GET /api/compose/v1/projects/p1/jobs': () => ({ jobs: [] }),
    });
    renderScreen(<WatchScreen />, { path: '/projects/p1/watch' });
    expect(await screen.findByRole('heading', { name: 'No movie yet' })).toBeInTheDocument();
  });
});
