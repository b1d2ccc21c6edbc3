import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { ApiError, humanMessage } from '../api/apiError';
import { KEY_PROVIDERS, type KeyProvider, type Quota, type StoredKey } from '../api/types';
import { useApi, useSession } from '../app/session';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { Skeleton } from '../components/Skeleton';
import { useToast } from '../components/Toasts';

const PROVIDER_NAMES: Record<KeyProvider, { name: string; what: string }> = {
  gemini: { name: 'Google Gemini', what: 'storyboards and pictures' },
  fal: { name: 'fal', what: 'pictures and upscaling' },
  elevenlabs: { name: 'ElevenLabs', what: 'voices and music' },
  'google-cloud': { name: 'Google Cloud', what: 'voices and captions' },
};

function QuotaPanel() {
  const api = useApi();
  const [quota, setQuota] = useState<Quota | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.quota().then(setQuota, setError);
  }, [api]);
  if (error) return <p className="notice notice-error">{humanMessage(error)}</p>;
  if (!quota) return <Skeleton lines={2} />;
  const used = quota.limit ? Math.min(100, Math.round((quota.used / quota.limit) * 100)) : 0;
  const ownKeyCalls = KEY_PROVIDERS.map((p) => [p, quota.byoCalls?.[p] ?? 0] as const).filter(([, n]) => n > 0);
  return (
    <div>
      <p className="plan">
        <span className={`badge badge-plan-${quota.plan}`}>{quota.plan} plan</span> {quota.remaining} of {quota.limit}{' '}
        movies left today
      </p>
      <div
        className="progress"
        role="progressbar"
        aria-label="Movies made today"
        aria-valuemin={0}
        aria-valuemax={quota.limit}
        aria-valuenow={quota.used}
      >
        <span style={{ width: `${used}%` }} />
      </div>
      <p className="hint">
        Resets {new Date(quota.resetsAt).toLocaleString()}. Movies made with your own keys: {quota.byoKeyUsage} (they
        don't count).
      </p>
      {ownKeyCalls.length > 0 && (
        <p className="hint">
          Calls made with your own keys today:{' '}
          {ownKeyCalls.map(([provider, calls]) => `${PROVIDER_NAMES[provider].name} ${calls}`).join(' · ')}
        </p>
      )}
    </div>
  );
}

/** The badge of a key's status: the provider took it, refused it, or could not be asked. */
const STATUS_BADGE: Record<StoredKey['status'], string> = {
  verified: 'badge-key-valid',
  rejected: 'badge-key-invalid',
  'not verified': '',
};

function KeyRow({ provider, stored, onChanged }: { provider: KeyProvider; stored?: StoredKey; onChanged(): void }) {
  const api = useApi();
  const toast = useToast();
  const ids = useId();
  const [editing, setEditing] = useState(false);
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
      onChanged();
    } catch (err) {
      toast.error(err);
    } finally {
      setBusy(false);
    }
  };
  const save = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const saved = await api.saveKey(provider, key.trim());
      setKey('');
      setEditing(false);
      toast.show(`${PROVIDER_NAMES[provider].name} key saved (${saved.status}).`, 'success');
    });
  };
  const { name, what } = PROVIDER_NAMES[provider];
  return (
    <li className="key-row">
      <div className="key-info">
        <strong>{name}</strong>
        <small>For {what}</small>
        {stored ? (
          <small>
            •••• {stored.last4} · <span className={`badge ${STATUS_BADGE[stored.status]}`}>{stored.status}</span>
            {stored.lastUsedAt ? ` · last used ${new Date(stored.lastUsedAt).toLocaleDateString()}` : ''}
          </small>
        ) : (
          <small>Not set: storyreel's own key is used.</small>
        )}
      </div>
      {editing ? (
        <form className="inline-form" onSubmit={save}>
          <label htmlFor={`${ids}-key`} className="visually-hidden">
            {name} API key
          </label>
          <input
            id={`${ids}-key`}
            className="input input-small"
            type="password"
            autoComplete="off"
            value={key}
            onChange={(e) => setKey(e.target.value)}
          />
          <button type="submit" className="btn btn-primary btn-small" disabled={busy || !key.trim()}>
            Save
          </button>
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setEditing(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <div className="actions actions-inline">
          <button type="button" className="btn btn-secondary btn-small" onClick={() => setEditing(true)}>
            {stored ? 'Rotate' : 'Add key'}
          </button>
          {stored && (
            <>
              <button
                type="button"
                className="btn btn-ghost btn-small"
                disabled={busy}
                onClick={() =>
                  void run(async () => {
                    const tested = await api.testKey(provider);
                    toast.show(`${name}: ${tested.status}.`, 'success');
                  })
                }
              >
                Test
              </button>
              <button
                type="button"
                className="btn btn-danger-ghost btn-small"
                disabled={busy}
                onClick={() => void run(() => api.removeKey(provider))}
              >
                Remove
              </button>
            </>
          )}
        </div>
      )}
    </li>
  );
}

function KeysPanel() {
  const api = useApi();
  const [keys, setKeys] = useState<StoredKey[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    api.keys().then(setKeys, setError);
  }, [api]);
  useEffect(load, [load]);
  if (error) {
    const missing = error instanceof ApiError && error.status === 404;
    return <p className="notice">{missing ? 'Your own keys can be added here soon.' : humanMessage(error)}</p>;
  }
  if (!keys) return <Skeleton lines={4} />;
  return (
    <ul className="key-list">
      {KEY_PROVIDERS.map((p) => (
        <KeyRow key={p} provider={p} stored={keys.find((k) => k.provider === p)} onChanged={load} />
      ))}
    </ul>
  );
}

export function SettingsScreen() {
  useDocumentTitle('Settings');
  const { user } = useSession();
  return (
    <section className="screen">
      <header className="screen-header">
        <h1>Settings</h1>
        <p className="lede">{user?.email ?? user?.name}</p>
      </header>
      <div className="panel">
        <h2 className="panel-title">Plan and quota</h2>
        <QuotaPanel />
      </div>
      <div className="panel">
        <h2 className="panel-title">Your own API keys</h2>
        <p className="hint">
          Bring your own provider keys: movies made with them don't use your quota. Keys are encrypted and never shown
          again after you save them.
        </p>
        <KeysPanel />
      </div>
    </section>
  );
}
