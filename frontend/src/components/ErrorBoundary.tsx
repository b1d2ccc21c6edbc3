import { Component, type ReactNode } from 'react';

interface State {
  failed: boolean;
}

/** A screen that crashes shows a way out instead of a blank page; the rest of the app keeps working. */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey: string }, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override componentDidUpdate(previous: { resetKey: string }) {
    // Moving to another page tries again.
    if (previous.resetKey !== this.props.resetKey && this.state.failed) this.setState({ failed: false });
  }

  override componentDidCatch(error: unknown) {
    console.error('a screen failed', error);
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="panel empty" role="alert">
        <h1>This page hit a snag</h1>
        <p>Your work is saved on our side. Reload the page, or go back to your movies.</p>
        <div className="actions actions-inline">
          <button type="button" className="btn btn-primary" onClick={() => window.location.reload()}>
            Reload
          </button>
          <a className="btn btn-ghost" href="/movies">
            My movies
          </a>
        </div>
      </div>
    );
  }
}
