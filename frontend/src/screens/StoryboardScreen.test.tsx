import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { SceneEdit } from '../api/types';
import { moveScene } from '../storyboard/sceneEdits';
import { apiError, fakeApi } from '../test/fakeApi';
import { project, scene } from '../test/fixtures';
import { renderScreen } from '../test/renderScreen';
import { StoryboardScreen } from './StoryboardScreen';

const PATH = '/projects/p1/storyboard';
const SCENES = '/api/compose/v1/projects/p1/scenes';

/** The scenes route, answering with the scenes it was sent (new ones get ids). */
function scenesRoute(version = 4) {
  return (req: { body: unknown }) => {
    const sent = (req.body as { scenes: SceneEdit[] }).scenes;
    return project({
      version,
      scenes: sent.map((s, i) => scene(s.id ?? `new${i}`, s.text, { motion: s.motion ?? 'zoom-in' })),
    });
  };
}

const cardOf = async (n: number) =>
  within(await screen.findByRole('list', { name: 'Scenes' })).getAllByRole('listitem')[n] as HTMLElement;

describe('Storyboard', () => {
  it('shows each scene with its picture and narration', async () => {
    fakeApi({ 'GET /api/compose/v1/projects/p1': () => project() });
    renderScreen(<StoryboardScreen />, { path: PATH });
    expect(await screen.findByRole('heading', { name: 'Scene 1' })).toBeInTheDocument();
    expect(screen.getAllByRole('img')).toHaveLength(3);
    expect(screen.getAllByLabelText('Narration').map((t) => (t as HTMLTextAreaElement).value)).toEqual([
      'A small red fox lived at the edge of a forest.',
      'She watched the stars.',
      'She found the sea.',
    ]);
    // The last scene has no transition into a next one.
    expect(screen.getAllByLabelText('Into next scene')).toHaveLength(2);
  });

  it('saves an edited text with the version it was made on, once, when the box is left', async () => {
    const api = fakeApi({ 'GET /api/compose/v1/projects/p1': () => project(), [`PATCH ${SCENES}`]: scenesRoute() });
    renderScreen(<StoryboardScreen />, { path: PATH });
    const text = within(await cardOf(1)).getByLabelText('Narration');
    await userEvent.clear(text);
    await userEvent.type(text, 'She counted the stars.');
    await userEvent.click(within(await cardOf(1)).getByRole('button', { name: 'Save text' }));
    await waitFor(() => expect(api.sent('PATCH', SCENES)).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 50));
    expect(api.sent('PATCH', SCENES)).toHaveLength(1);
    const body = api.sent('PATCH', SCENES)[0]?.body as { version: number; scenes: SceneEdit[] };
    expect(body.version).toBe(3);
    expect(body.scenes.map((s) => s.text)).toEqual([
      'A small red fox lived at the edge of a forest.',
      'She counted the stars.',
      'She found the sea.',
    ]);
    // What the browser holds of images is not sent back.
    expect(body.scenes[0]).not.toHaveProperty('imageUrl');
  });

  it('adds and deletes scenes, and sets the camera and the transition', async () => {
    const api = fakeApi({ 'GET /api/compose/v1/projects/p1': () => project(), [`PATCH ${SCENES}`]: scenesRoute() });
    renderScreen(<StoryboardScreen />, { path: PATH });
    await userEvent.type(await screen.findByLabelText('Add a scene'), 'The tide came in.');
    await userEvent.click(screen.getByRole('button', { name: '+ Add scene' }));
    await screen.findByRole('heading', { name: 'Scene 4' });
    expect((api.sent('PATCH', SCENES)[0]!.body as { scenes: SceneEdit[] }).scenes[3]).toEqual({
      text: 'The tide came in.',
    });

    await userEvent.click(screen.getByRole('button', { name: 'Delete scene 2' }));
    await waitFor(() => expect(api.sent('PATCH', SCENES)).toHaveLength(2));
    const afterDelete = (api.sent('PATCH', SCENES)[1]!.body as { scenes: SceneEdit[] }).scenes;
    expect(afterDelete.map((s) => s.id)).toEqual(['s1', 's3', 'new3']);

    await userEvent.selectOptions(within(await cardOf(0)).getByLabelText('Camera'), 'pan-left');
    await waitFor(() => expect(api.sent('PATCH', SCENES)).toHaveLength(3));
    expect((api.sent('PATCH', SCENES)[2]!.body as { scenes: SceneEdit[] }).scenes[0]?.motion).toBe('pan-left');
  });

  it('runs quick edits one after another, each on what the one before left', async () => {
    let version = 3;
    const api = fakeApi({
      'GET /api/compose/v1/projects/p1': () => project(),
      [`PATCH ${SCENES}`]: async (req) => {
        await new Promise((r) => setTimeout(r, 30));
        const body = req.body as { version: number; scenes: SceneEdit[] };
        if (body.version !== version) return apiError(409, 'conflict', 'stale');
        version += 1;
        return project({ version, scenes: body.scenes.map((x) => scene(x.id ?? 'new', x.text, { motion: x.motion })) });
      },
    });
    renderScreen(<StoryboardScreen />, { path: PATH });
    // Two changes before the first answer comes back.
    await userEvent.click(within(await cardOf(1)).getByRole('button', { name: 'Delete scene 2' }));
    await userEvent.selectOptions(within(await cardOf(0)).getByLabelText('Camera'), 'pan-right');
    await waitFor(() => expect(api.sent('PATCH', SCENES)).toHaveLength(2));
    const second = api.sent('PATCH', SCENES)[1]!.body as { version: number; scenes: SceneEdit[] };
    expect(second.version).toBe(4);
    expect(second.scenes.map((x) => [x.id, x.motion])).toEqual([
      ['s1', 'pan-right'],
      ['s3', 'zoom-in'],
    ]);
    expect(screen.queryByText(/changed in another tab/)).not.toBeInTheDocument();
  });

  it('draws a new picture for one scene', async () => {
    const api = fakeApi({
      'GET /api/compose/v1/projects/p1': () => project(),
      'POST /api/compose/v1/projects/p1/scenes/s2/image': () => ({
        cached: false,
        version: 4,
        scene: scene('s2', 'She watched the stars.', { imageUrl: '/blobs/media/redrawn.jpg' }),
      }),
    });
    renderScreen(<StoryboardScreen />, { path: PATH });
    await userEvent.click(within(await cardOf(1)).getByRole('button', { name: 'New picture' }));
    await waitFor(async () =>
      expect(within(await cardOf(1)).getByRole('img')).toHaveAttribute('src', '/blobs/media/redrawn.jpg'),
    );
    expect(api.sent('POST', '/api/compose/v1/projects/p1/scenes/s2/image')[0]?.body).toEqual({ reroll: true });
  });

  it('uses a picture from a link for a scene', async () => {
    const api = fakeApi({
      'GET /api/compose/v1/projects/p1': () => project(),
      'POST /api/upload/v1/ingest-url': () => ({ path: 'gs://media/users/tester/projects/p1/uploads/abc.jpg' }),
      'PUT /api/compose/v1/projects/p1/scenes/s1/image': (req) => ({
        cached: true,
        version: 4,
        scene: scene('s1', 'x', { imagePath: (req.body as { path: string }).path, imageUrl: '/blobs/media/abc.jpg' }),
      }),
    });
    renderScreen(<StoryboardScreen />, { path: PATH });
    await userEvent.click(within(await cardOf(0)).getByRole('button', { name: 'Link' }));
    await userEvent.type(screen.getByLabelText('Image link for scene 1'), 'https://example.com/fox.jpg');
    await userEvent.click(screen.getByRole('button', { name: 'Use' }));
    await waitFor(() =>
      expect(api.sent('PUT', '/api/compose/v1/projects/p1/scenes/s1/image')[0]?.body).toEqual({
        path: 'gs://media/users/tester/projects/p1/uploads/abc.jpg',
      }),
    );
    expect(api.sent('POST', '/api/upload/v1/ingest-url')[0]?.body).toEqual({
      projectId: 'p1',
      url: 'https://example.com/fox.jpg',
    });
  });

  it('draws the missing pictures as soon as the storyboard opens', async () => {
    const api = fakeApi({
      'GET /api/compose/v1/projects/p1': () =>
        project({ scenes: [scene('s1', 'A fox.', { imagePath: null, imageUrl: null })] }),
      'POST /api/compose/v1/projects/p1/images': () => ({ generated: 1, cached: 0, project: project({ version: 4 }) }),
    });
    renderScreen(<StoryboardScreen />, { path: PATH });
    expect(await screen.findByText('Drawing…')).toBeInTheDocument();
    await waitFor(() => expect(screen.getAllByRole('img')).toHaveLength(3));
    expect(api.sent('POST', '/api/compose/v1/projects/p1/images')).toHaveLength(1);
  });

  it('reloads the latest version when the project changed elsewhere (409)', async () => {
    let reads = 0;
    fakeApi({
      'GET /api/compose/v1/projects/p1': () => (++reads === 1 ? project() : project({ version: 9 })),
      [`PATCH ${SCENES}`]: () => apiError(409, 'conflict', 'the project changed: reload it'),
    });
    renderScreen(<StoryboardScreen />, { path: PATH });
    await userEvent.click(within(await cardOf(0)).getByRole('button', { name: 'Delete scene 1' }));
    expect(await screen.findByText(/changed in another tab/)).toBeInTheDocument();
    await waitFor(() => expect(reads).toBe(2));
  });

  it('moves a scene (what a drag does)', () => {
    const scenes = project().scenes;
    expect(moveScene(scenes, 0, 2).map((s) => s.id)).toEqual(['s2', 's3', 's1']);
    expect(moveScene(scenes, 2, 0).map((s) => s.id)).toEqual(['s3', 's1', 's2']);
  });
});
