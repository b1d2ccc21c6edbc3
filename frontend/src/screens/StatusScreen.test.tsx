import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { apiError, fakeApi, json } from '../test/fakeApi';
import { renderScreen } from '../test/renderScreen';
import { StatusScreen } from './StatusScreen';

const SLI = {
  days: 7,
  renderSuccessRate: 0.96,
  renderP95Seconds: 42.4,
  sharePageAvailability: 1,
  sharePageP95Seconds: 0.2,
  render: { total: 50, ok: 48, failed: 2 },
  sharePage: { total: 300, ok: 300, failed: 0 },
};

describe('Status', () => {
  it('shows the render success rate, p95 render time and each service’s health', async () => {
    fakeApi({
      'GET /api/compose/v1/sli': () => SLI,
      'GET /api/*/health': (_req, [service]) =>
        service === 'polish' ? apiError(503, 'unavailable', 'down') : json({ status: 'ok' }),
    });
    renderScreen(<StatusScreen />, { path: '/status' });
    expect(await screen.findByText('96.0%')).toBeInTheDocument();
    expect(screen.getByText('48 of 50 in the last 7 days')).toBeInTheDocument();
    expect(screen.getByText('42.4 s')).toBeInTheDocument();
    expect(await screen.findByText('Some services are not answering.')).toBeInTheDocument();
    const polish = screen.getByText('polish').closest('li') as HTMLElement;
    expect(within(polish).getByText('Not answering')).toBeInTheDocument();
    const compose = screen.getByText('compose').closest('li') as HTMLElement;
    expect(within(compose).getByText('Operational')).toBeInTheDocument();
  });
});
