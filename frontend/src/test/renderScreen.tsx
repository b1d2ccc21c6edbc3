import '@testing-library/jest-dom/vitest';
import { cleanup, configure, render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { createMemoryRouter, RouterProvider } from 'react-router-dom';
import { afterEach, vi } from 'vitest';
import { SessionProvider } from '../app/session';
import type { AuthBackend } from '../auth/authBackend';
import { devAuth } from '../auth/devAuth';
import { ToastProvider } from '../components/Toasts';
import { ProjectLayout } from '../wizard/ProjectLayout';

// The machine is shared and often busy: give screens time to answer before a test gives up.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  localStorage.clear();
});

// jsdom plays no media and makes no object URLs.
window.HTMLMediaElement.prototype.play = vi.fn(() => Promise.resolve());
window.HTMLMediaElement.prototype.pause = vi.fn();
URL.createObjectURL = vi.fn(() => 'blob:preview');
URL.revokeObjectURL = vi.fn();

export const APP_CHECK_TOKEN = 'debug-token-for-tests';

export function signedInAuth(uid = 'tester'): AuthBackend {
  localStorage.setItem('storyreel.devUser', JSON.stringify({ uid, name: 'Tester', email: null, anonymous: false }));
  return devAuth(APP_CHECK_TOKEN);
}

/**
 * Renders a screen the way the app does (session, toasts, router), at a
 * path; a `/projects/:projectId/<step>` path gets the project layout too.
 */
export function renderScreen(
  screen: ReactNode,
  { path, auth = signedInAuth(), extraRoutes = [] }: { path: string; auth?: AuthBackend; extraRoutes?: string[] },
) {
  const step = /^\/projects\/[^/]+\/([^/]+)$/.exec(path)?.[1];
  const routes = step
    ? [{ path: '/projects/:projectId', element: <ProjectLayout />, children: [{ path: step, element: screen }] }]
    : [{ path, element: screen }];
  const router = createMemoryRouter(
    [...routes, ...extraRoutes.map((p) => ({ path: p, element: <p>arrived at {p}</p> }))],
    { initialEntries: [path] },
  );
  const view = render(
    <SessionProvider auth={auth}>
      <ToastProvider>
        <RouterProvider router={router} />
      </ToastProvider>
    </SessionProvider>,
  );
  return { ...view, router };
}
