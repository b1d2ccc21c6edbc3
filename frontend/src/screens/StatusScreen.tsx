import { useEffect, useState } from 'react';
import type { Service } from '../api/client';
import type { Sli } from '../api/types';
import { useApi } from '../app/session';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { Skeleton } from '../components/Skeleton';

export const SERVICES: Service[] = [
  'compose',
  'narrate',
  'align-captions',
  'music',
  'render',
  'polish',
  'upload',
  'api-key',
];

type Health = 'up' | 'down' | 'checking';

const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);
const seconds = (s: number | null) => (s === null ? '—' : s < 60 ? `${s.toFixed(1)} s` : `${(s / 60).toFixed(1)} min`);

export function StatusScreen() {
  useDocumentTitle('Service status');
  const api = useApi();
  const [sli, setSli] = useState<Sli | null | undefined>(undefined);
  const [health, setHealth] = useState<Record<string, Health>>(() =>
    Object.fromEntries(SERVICES.map((s) => [s, 'checking'])),
  );

  useEffect(() => {
    api.sli().then(setSli, () => setSli(null));
    for (const service of SERVICES) {
      fetch(api.http.url(service, '/health'), { signal: AbortSignal.timeout(5000) }).then(
        (res) => setHealth((h) => ({ ...h, [service]: res.ok ? 'up' : 'down' })),
        () => setHealth((h) => ({ ...h, [service]: 'down' })),
      );
    }
  }, [api]);

  const allUp = Object.values(health).every((h) => h === 'up');
  return (
    <section className="screen">
      <header className="screen-header">
        <h1>Service status</h1>
        <p className="lede" role="status">
          {Object.values(health).includes('checking')
            ? 'Checking…'
            : allUp
              ? 'All systems working.'
              : 'Some services are not answering.'}
        </p>
      </header>
      <div className="card-grid stat-grid">
        {sli === undefined ? (
          <div className="card">
            <Skeleton lines={2} />
          </div>
        ) : sli === null ? (
          <p className="notice">Service levels are not available right now.</p>
        ) : (
          <>
            <div className="card stat">
              <span className="stat-value">{percent(sli.renderSuccessRate)}</span>
              <span className="stat-label">Movies made successfully</span>
              <small>
                {sli.render.ok} of {sli.render.total} in the last {sli.days} days
              </small>
            </div>
            <div className="card stat">
              <span className="stat-value">{seconds(sli.renderP95Seconds)}</span>
              <span className="stat-label">Render time, 95th percentile</span>
            </div>
            <div className="card stat">
              <span className="stat-value">{percent(sli.sharePageAvailability)}</span>
              <span className="stat-label">Share pages available</span>
              <small>{sli.sharePage.total} views</small>
            </div>
          </>
        )}
      </div>
      <div className="panel">
        <h2 className="panel-title">Services</h2>
        <ul className="health-list">
          {SERVICES.map((service) => (
            <li key={service} className={`health health-${health[service]}`}>
              <span className="health-dot" aria-hidden="true" />
              <span className="health-name">{service}</span>
              <span className="health-state">
                {health[service] === 'up' ? 'Operational' : health[service] === 'down' ? 'Not answering' : 'Checking…'}
              </span>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
