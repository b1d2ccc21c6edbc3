import { Link, NavLink, Outlet, useLocation } from 'react-router-dom';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { useSession } from './session';

export function AppLayout() {
  const { user, auth } = useSession();
  const { pathname } = useLocation();
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand" aria-label="storyreel home">
          <span className="brand-mark" aria-hidden="true" />
          storyreel
        </Link>
        {user && (
          <nav className="topnav" aria-label="Main">
            <NavLink to="/new">New movie</NavLink>
            <NavLink to="/movies">My movies</NavLink>
            <NavLink to="/settings">Settings</NavLink>
            <NavLink to="/status">Status</NavLink>
          </nav>
        )}
        {user && (
          <div className="account">
            <span className="avatar" aria-hidden="true">
              {user.name.slice(0, 1).toUpperCase()}
            </span>
            <span className="account-name">{user.anonymous ? 'Guest' : user.name}</span>
            <button type="button" className="btn btn-on-dark btn-small" onClick={() => void auth.signOut()}>
              Sign out
            </button>
          </div>
        )}
      </header>
      <main id="main" className="main">
        <ErrorBoundary resetKey={pathname}>
          <Outlet />
        </ErrorBoundary>
      </main>
      <footer className="footer">
        <span>storyreel · stories into movies</span>
        <Link to="/status">Service status</Link>
      </footer>
    </div>
  );
}
