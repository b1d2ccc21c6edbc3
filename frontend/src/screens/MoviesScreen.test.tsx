import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeApi } from '../test/fakeApi';
import { job, madeJob, project } from '../test/fixtures';
import { renderScreen } from '../test/renderScreen';
import { MoviesScreen } from './MoviesScreen';

const summary = (id: string, title: string) => ({
  id,
  version: 3,
  title,
  aspect: '16:9',
  style: 'storybook',
  sceneCount: 3,
  imagesReady: 3,
  estimatedSeconds: 14,
  coverUrl: `/blobs/media/${id}.jpg`,
  createdAt: '2026-12-07T06:00:00.000Z',
  updatedAt: '2026-12-07T06:00:00.000Z',
});

const card = (title: string) => screen.getByRole('heading', { name: title }).closest('li') as HTMLElement;

describe('My movies', () => {
  it('lists movies with their status, opening each at the right step', async () => {
    fakeApi({
      'GET /api/compose/v1/projects': () => ({ projects: [summary('p1', 'The Fox'), summary('p2', 'The Owl')] }),
      'GET /api/compose/v1/projects/p1/jobs': () => ({ jobs: [madeJob()] }),
      'GET /api/compose/v1/projects/p2/jobs': () => ({ jobs: [job({ projectId: 'p2', progress: 40 })] }),
    });
    renderScreen(<MoviesScreen />, { path: '/movies' });
    expect(await within(await screen.findByRole('list')).findByText('Ready')).toBeInTheDocument();
    expect(await within(card('The Owl')).findByText('Rendering 40%')).toBeInTheDocument();
    expect(within(card('The Fox')).getByRole('link', { name: 'Open' })).toHaveAttribute('href', '/projects/p1/watch');
    expect(within(card('The Owl')).getByRole('link', { name: 'Open' })).toHaveAttribute('href', '/projects/p2/render');
  });

  it('duplicates a movie with its scenes, voice and music', async () => {
    const api = fakeApi({
      'GET /api/compose/v1/projects': () => ({ projects: [summary('p1', 'The Fox')] }),
      'GET /api/compose/v1/projects/p1/jobs': () => ({ jobs: [] }),
      'GET /api/compose/v1/projects/p1': () => project(),
      'POST /api/compose/v1/projects': () => project({ id: 'p9', version: 1, scenes: [] }),
      'PATCH /api/compose/v1/projects/p9': () => project({ id: 'p9', version: 2, scenes: [] }),
      'PATCH /api/compose/v1/projects/p9/scenes': () => project({ id: 'p9', version: 3 }),
    });
    const { router } = renderScreen(<MoviesScreen />, {
      path: '/movies',
      extraRoutes: ['/projects/:projectId/storyboard'],
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Duplicate' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/projects/p9/storyboard'));
    expect(api.sent('POST', '/api/compose/v1/projects')[0]?.body).toMatchObject({ title: 'The Fox (copy)' });
    expect(api.sent('PATCH', '/api/compose/v1/projects/p9')[0]?.body).toEqual({
      version: 1,
      voice: { id: 'en-us-1', speed: 1 },
      music: { mood: 'calm', volume: 0.35 },
    });
    const scenes = (api.sent('PATCH', '/api/compose/v1/projects/p9/scenes')[0]!.body as { scenes: object[] }).scenes;
    expect(scenes).toHaveLength(3);
    expect(scenes[0]).not.toHaveProperty('id');
  });

  it('deletes a movie only after a second, explicit press', async () => {
    let projects = [summary('p1', 'The Fox')];
    const api = fakeApi({
      'GET /api/compose/v1/projects': () => ({ projects }),
      'GET /api/compose/v1/projects/p1/jobs': () => ({ jobs: [] }),
      'DELETE /api/compose/v1/projects/p1': () => {
        projects = [];
        return new Response(null, { status: 204 });
      },
    });
    renderScreen(<MoviesScreen />, { path: '/movies' });
    await userEvent.click(await screen.findByRole('button', { name: 'Delete' }));
    expect(api.sent('DELETE', '/api/compose/v1/projects/p1')).toHaveLength(0);
    await userEvent.click(screen.getByRole('button', { name: 'Delete for good' }));
    expect(await screen.findByRole('heading', { name: 'No movies yet' })).toBeInTheDocument();
  });
});
