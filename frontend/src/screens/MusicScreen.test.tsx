import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeApi } from '../test/fakeApi';
import { project } from '../test/fixtures';
import { renderScreen } from '../test/renderScreen';
import { MusicScreen } from './MusicScreen';

const MOODS = {
  moods: [
    {
      id: 'calm',
      label: 'Calm',
      description: 'Soft pads.',
      key: 'C',
      mode: 'major',
      tempo: { min: 60, max: 80 },
      drums: false,
    },
    {
      id: 'epic',
      label: 'Epic',
      description: 'Big drums.',
      key: 'D',
      mode: 'minor',
      tempo: { min: 90, max: 120 },
      drums: true,
    },
  ],
};

describe('Music', () => {
  it('plays a mood preview', async () => {
    const api = fakeApi({
      'GET /api/compose/v1/projects/p1': () => project(),
      'GET /api/music/v1/moods': () => MOODS,
      'POST /api/music/v1/moods/epic/preview': () =>
        new Response(new Blob(['ID3']), { headers: { 'content-type': 'audio/mpeg' } }),
    });
    renderScreen(<MusicScreen />, { path: '/projects/p1/music' });
    await userEvent.click(await screen.findByRole('button', { name: 'Play a preview of Epic' }));
    expect(await screen.findByRole('button', { name: 'Stop a preview of Epic' })).toBeInTheDocument();
    expect(api.sent('POST', '/api/music/v1/moods/epic/preview')).toHaveLength(1);
  });

  it('picks a mood at the chosen volume, or no music at all', async () => {
    const api = fakeApi({
      'GET /api/compose/v1/projects/p1': () => project({ music: null }),
      'GET /api/music/v1/moods': () => MOODS,
      'PATCH /api/compose/v1/projects/p1': (req) => {
        const music = (req.body as { music: { mood: string; volume: number } | null }).music;
        return project({ version: 4, music });
      },
    });
    renderScreen(<MusicScreen />, { path: '/projects/p1/music' });
    expect(await screen.findByRole('radio', { name: /No music/ })).toBeChecked();
    expect(screen.getByRole('slider', { name: /Music volume/ })).toBeDisabled();
    await userEvent.click(screen.getByRole('radio', { name: /Epic/ }));
    await waitFor(() =>
      expect(api.sent('PATCH', '/api/compose/v1/projects/p1')[0]?.body).toEqual({
        version: 3,
        music: { mood: 'epic', volume: 0.35 },
      }),
    );
    expect(screen.getByRole('slider', { name: /Music volume/ })).toBeEnabled();
    await userEvent.click(screen.getByRole('radio', { name: /No music/ }));
    await waitFor(() =>
      expect(api.sent('PATCH', '/api/compose/v1/projects/p1')[1]?.body).toEqual({ version: 4, music: null }),
    );
  });
});
