import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeApi } from '../test/fakeApi';
import { project } from '../test/fixtures';
import { renderScreen } from '../test/renderScreen';
import { VoiceScreen } from './VoiceScreen';

const VOICES = {
  voices: [
    {
      id: 'en-us-1',
      label: 'English (US)',
      language: 'en-US',
      gender: 'male',
      engine: 'espeak',
      reads: ['en'],
      sample: 'Hello.',
    },
    {
      id: 'en-gb-2',
      label: 'English (UK)',
      language: 'en-GB',
      gender: 'female',
      engine: 'espeak',
      reads: ['en'],
      sample: 'Hello.',
    },
    { id: 'de-1', label: 'German', language: 'de', gender: 'male', engine: 'espeak', reads: ['de'], sample: 'Hallo.' },
  ],
};

const voiceCard = (label: string) => screen.getByText(label).closest('.voice-card') as HTMLElement;

describe('Voice', () => {
  it('lists voices with language and gender, and filters by language', async () => {
    fakeApi({ 'GET /api/compose/v1/projects/p1': () => project(), 'GET /api/narrate/v1/voices': () => VOICES });
    renderScreen(<VoiceScreen />, { path: '/projects/p1/voice' });
    expect(await screen.findByText('English (UK)')).toBeInTheDocument();
    expect(within(voiceCard('English (UK)')).getByText('Female voice')).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: /English \(US\)/ })).toBeChecked();
    await userEvent.selectOptions(screen.getByLabelText('Language'), 'de');
    expect(screen.queryByText('English (UK)')).not.toBeInTheDocument();
    expect(screen.getByRole('radio', { name: /German/ })).toBeInTheDocument();
  });

  it("previews a voice reading the first scene's words", async () => {
    const api = fakeApi({
      'GET /api/compose/v1/projects/p1': () => project(),
      'GET /api/narrate/v1/voices': () => VOICES,
      'POST /api/narrate/v1/voices/*/preview': () =>
        new Response(new Blob(['RIFF']), { headers: { 'content-type': 'audio/wav' } }),
    });
    renderScreen(<VoiceScreen />, { path: '/projects/p1/voice' });
    await userEvent.click(await screen.findByRole('button', { name: 'Play a preview of English (UK)' }));
    await screen.findByRole('button', { name: 'Stop a preview of English (UK)' });
    expect(api.sent('POST', '/api/narrate/v1/voices/en-gb-2/preview')[0]?.body).toEqual({
      text: 'A small red fox lived at the edge of a forest.',
    });
    expect(window.HTMLMediaElement.prototype.play).toHaveBeenCalled();
  });

  it('saves the chosen voice and its speed', async () => {
    const api = fakeApi({
      'GET /api/compose/v1/projects/p1': () => project(),
      'GET /api/narrate/v1/voices': () => VOICES,
      'PATCH /api/compose/v1/projects/p1': (req) =>
        project({ version: 4, voice: { id: 'en-gb-2', speed: 1, ...(req.body as { voice: object }).voice } }),
    });
    renderScreen(<VoiceScreen />, { path: '/projects/p1/voice' });
    await userEvent.click(await screen.findByRole('radio', { name: /English \(UK\)/ }));
    expect(screen.getByRole('radio', { name: /English \(UK\)/ })).toBeChecked();
    await waitFor(() =>
      expect(api.sent('PATCH', '/api/compose/v1/projects/p1')[0]?.body).toEqual({
        version: 3,
        voice: { id: 'en-gb-2', speed: 1 },
      }),
    );
    const speed = screen.getByRole('slider', { name: /Speed/ });
    fireEvent.change(speed, { target: { value: '1.25' } });
    expect(screen.getByText('1.25×')).toBeInTheDocument();
    fireEvent.blur(speed);
    await waitFor(() =>
      expect(api.sent('PATCH', '/api/compose/v1/projects/p1')[1]?.body).toEqual({ version: 4, voice: { speed: 1.25 } }),
    );
  });
});
