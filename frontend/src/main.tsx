import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { createAuthBackend } from './auth/authSettings';
import './styles/app.css';

const root = createRoot(document.getElementById('root') as HTMLElement);
createAuthBackend().then(
  (auth) =>
    root.render(
      <StrictMode>
        <App auth={auth} />
      </StrictMode>,
    ),
  (err: unknown) => {
    root.render(<p role="alert">storyreel could not start: {err instanceof Error ? err.message : String(err)}</p>);
  },
);
