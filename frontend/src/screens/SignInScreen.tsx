import { type FormEvent, useState } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { useSession } from '../app/session';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { useToast } from '../components/Toasts';

export function SignInScreen() {
  useDocumentTitle('Sign in');
  const { auth, user } = useSession();
  const toast = useToast();
  const location = useLocation();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);
  const from = (location.state as { from?: string } | null)?.from ?? '/new';

  if (user) return <Navigate to={from} replace />;

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
    } catch (err) {
      toast.error(err);
    } finally {
      setBusy(false);
    }
  };
  const submitName = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) void run(() => auth.signInAs?.(name) ?? Promise.resolve());
  };
  const submitEmail = (e: FormEvent) => {
    e.preventDefault();
    if (email.trim())
      void run(async () => {
        await auth.sendEmailLink?.(email.trim());
        setSent(true);
      });
  };

  return (
    <section className="signin">
      <div className="signin-hero">
        <p className="eyebrow">storyreel</p>
        <h1>Your story, as a movie.</h1>
        <p className="lede">
          Paste a story. Get a narrated, illustrated, captioned movie with its own soundtrack, ready to share.
        </p>
      </div>
      <div className="panel signin-card">
        <h2 className="panel-title">Sign in to start</h2>
        {auth.setupProblem && (
          <p className="notice" role="status">
            {auth.setupProblem}
          </p>
        )}
        {auth.signInWithGoogle && (
          <button
            type="button"
            className="btn btn-secondary btn-block"
            disabled={busy}
            onClick={() => void run(() => auth.signInWithGoogle?.() ?? Promise.resolve())}
          >
            Continue with Google
          </button>
        )}
        {auth.sendEmailLink &&
          (sent ? (
            <p className="notice" role="status">
              Check {email} for a sign-in link.
            </p>
          ) : (
            <form className="stack" onSubmit={submitEmail}>
              <label htmlFor="signin-email">Email</label>
              <input
                id="signin-email"
                className="input"
                type="email"
                autoComplete="email"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
              />
              <button type="submit" className="btn btn-secondary btn-block" disabled={busy || !email.trim()}>
                Email me a sign-in link
              </button>
            </form>
          ))}
        {auth.signInAs && (
          <form className="stack" onSubmit={submitName}>
            <label htmlFor="signin-name">Your name</label>
            <input
              id="signin-name"
              className="input"
              autoComplete="nickname"
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
            <button type="submit" className="btn btn-primary btn-block" disabled={busy || !name.trim()}>
              Sign in
            </button>
            <p className="hint">Local studio: your movies are kept on this machine under this name.</p>
          </form>
        )}
        <div className="divider">
          <span>or</span>
        </div>
        <button
          type="button"
          className="btn btn-ghost btn-block"
          disabled={busy}
          onClick={() => void run(() => auth.signInAsGuest())}
        >
          Try it as a guest
        </button>
        <p className="hint">Guests get the free plan: 10 movies a day.</p>
      </div>
    </section>
  );
}
