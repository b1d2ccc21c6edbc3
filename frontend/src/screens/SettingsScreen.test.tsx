import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiError, fakeApi } from '../test/fakeApi';
import { renderScreen } from '../test/renderScreen';
import { SettingsScreen } from './SettingsScreen';

const QUOTA = {
  plan: 'free',
  limit: 10,
  used: 3,
  remaining: 7,
  resetsAt: '2026-12-08T00:00:00.000Z',
  byoKeyUsage: 0,
  byoCalls: { gemini: 0, fal: 0, elevenlabs: 0, 'google-cloud': 0 },
};
const GEMINI = {
  provider: 'gemini',
  last4: 'x9Qz',
  status: 'verified',
  createdAt: '2026-12-07T06:00:00.000Z',
  lastUsedAt: null,
};

const row = (name: string) => screen.getByText(name).closest('li') as HTMLElement;

describe('Settings', () => {
  it('shows the plan and the movies left today', async () => {
    fakeApi({ 'GET /api/compose/v1/quota': () => QUOTA, 'GET /api/api-key/v1/keys': () => ({ keys: [] }) });
    renderScreen(<SettingsScreen />, { path: '/settings' });
    expect(await screen.findByText(/7 of 10 movies left today/)).toBeInTheDocument();
    expect(screen.getByRole('progressbar', { name: 'Movies made today' })).toHaveAttribute('aria-valuenow', '3');
  });

  it('adds a key without ever showing it back, and removes it', async () => {
    let keys: unknown[] = [];
    const api = fakeApi({
      'GET /api/compose/v1/quota': () => QUOTA,
      'GET /api/api-key/v1/keys': () => ({ keys }),
      'PUT /api/api-key/v1/keys/gemini': () => {
        keys = [GEMINI];
        return { ...GEMINI, replaced: false };
      },
      'DELETE /api/api-key/v1/keys/gemini': () => {
        keys = [];
        return new Response(null, { status: 204 });
      },
    });
    renderScreen(<SettingsScreen />, { path: '/settings' });
    await screen.findByText('Google Gemini');
    await userEvent.click(within(row('Google Gemini')).getByRole('button', { name: 'Add key' }));
    const input = screen.getByLabelText('Google Gemini API key');
    expect(input).toHaveAttribute('type', 'password');
    await userEvent.type(input, 'AIzaSyExampleExampleExamplex9Qz');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await within(row('Google Gemini')).findByText(/x9Qz/)).toBeInTheDocument();
    expect(api.sent('PUT', '/api/api-key/v1/keys/gemini')[0]?.body).toEqual({
      apiKey: 'AIzaSyExampleExampleExamplex9Qz',
    });
    expect(document.body.textContent).not.toContain('AIzaSyExampleExampleExamplex9Qz');
    await userEvent.click(within(row('Google Gemini')).getByRole('button', { name: 'Remove' }));
    await waitFor(() =>
      expect(within(row('Google Gemini')).getByRole('button', { name: 'Add key' })).toBeInTheDocument(),
    );
  });

  it('says why a key was refused', async () => {
    fakeApi({
      'GET /api/compose/v1/quota': () => QUOTA,
      'GET /api/api-key/v1/keys': () => ({ keys: [] }),
      'PUT /api/api-key/v1/keys/fal': () =>
        apiError(400, 'invalid_argument', 'fal rejected this key; check that it is active and copied whole'),
    });
    renderScreen(<SettingsScreen />, { path: '/settings' });
    await screen.findByText('fal');
    await userEvent.click(within(row('fal')).getByRole('button', { name: 'Add key' }));
    await userEvent.type(screen.getByLabelText('fal API key'), 'bad-key');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Fal rejected this key; check that it is active and copied whole.',
    );
  });
});
