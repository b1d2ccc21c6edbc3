import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from 'react';
import { HttpClient } from '../api/client';
import { type StoryreelApi, storyreelApi } from '../api/storyreelApi';
import type { AuthBackend, SignedInUser } from '../auth/authBackend';

export interface Session {
  auth: AuthBackend;
  /** undefined while the sign-in state is still being read. */
  user: SignedInUser | null | undefined;
  api: StoryreelApi;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ auth, children }: { auth: AuthBackend; children: ReactNode }) {
  const [user, setUser] = useState<SignedInUser | null | undefined>(undefined);
  useEffect(() => auth.watch(setUser), [auth]);
  const api = useMemo(
    () => storyreelApi(new HttpClient({ idToken: () => auth.idToken(), appCheckToken: () => auth.appCheckToken() })),
    [auth],
  );
  const session = useMemo(() => ({ auth, user, api }), [auth, user, api]);
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

export const useApi = () => useSession().api;
