import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { Skeleton } from '../components/Skeleton';
import { useSession } from './session';

export function RequireAuth({ children }: { children: ReactNode }) {
  const { user } = useSession();
  const location = useLocation();
  if (user === undefined) return <Skeleton lines={4} />;
  if (!user) return <Navigate to="/signin" replace state={{ from: location.pathname }} />;
  return children;
}
