export type Plan = 'free' | 'pro' | 'enterprise';
export const PLANS: readonly Plan[] = ['free', 'pro', 'enterprise'];

/** Who is calling. A mesh service acting for a user appears as that user, `via` the service. */
export type Caller =
  | { kind: 'user'; uid: string; plan: Plan; email?: string; via?: string }
  | { kind: 'service'; service: string }
  | { kind: 'anonymous'; ip: string };

export type AuthLevel = 'public' | 'user' | 'service' | 'user-or-service';

export type UserCaller = Extract<Caller, { kind: 'user' }>;
