import { createBrowserRouter, Navigate, RouterProvider } from 'react-router-dom';
import type { AuthBackend } from '../auth/authBackend';
import { ToastProvider } from '../components/Toasts';
import { MoviesScreen } from '../screens/MoviesScreen';
import { MusicScreen } from '../screens/MusicScreen';
import { RenderScreen } from '../screens/RenderScreen';
import { SettingsScreen } from '../screens/SettingsScreen';
import { SignInScreen } from '../screens/SignInScreen';
import { StatusScreen } from '../screens/StatusScreen';
import { StoryboardScreen } from '../screens/StoryboardScreen';
import { StoryScreen } from '../screens/StoryScreen';
import { VoiceScreen } from '../screens/VoiceScreen';
import { WatchScreen } from '../screens/WatchScreen';
import { ProjectLayout } from '../wizard/ProjectLayout';
import { AppLayout } from './AppLayout';
import { RequireAuth } from './RequireAuth';
import { SessionProvider } from './session';

export const routes = [
  {
    element: <AppLayout />,
    children: [
      { path: '/', element: <Navigate to="/new" replace /> },
      { path: '/signin', element: <SignInScreen /> },
      { path: '/status', element: <StatusScreen /> },
      {
        path: '/new',
        element: (
          <RequireAuth>
            <StoryScreen />
          </RequireAuth>
        ),
      },
      {
        path: '/movies',
        element: (
          <RequireAuth>
            <MoviesScreen />
          </RequireAuth>
        ),
      },
      {
        path: '/settings',
        element: (
          <RequireAuth>
            <SettingsScreen />
          </RequireAuth>
        ),
      },
      {
        path: '/projects/:projectId',
        element: (
          <RequireAuth>
            <ProjectLayout />
          </RequireAuth>
        ),
        children: [
          { index: true, element: <Navigate to="storyboard" replace /> },
          { path: 'story', element: <StoryScreen /> },
          { path: 'storyboard', element: <StoryboardScreen /> },
          { path: 'voice', element: <VoiceScreen /> },
          { path: 'music', element: <MusicScreen /> },
          { path: 'render', element: <RenderScreen /> },
          { path: 'watch', element: <WatchScreen /> },
        ],
      },
      { path: '*', element: <Navigate to="/" replace /> },
    ],
  },
];

export function App({ auth }: { auth: AuthBackend }) {
  return (
    <SessionProvider auth={auth}>
      <ToastProvider>
        <RouterProvider router={createBrowserRouter(routes)} />
      </ToastProvider>
    </SessionProvider>
  );
}
