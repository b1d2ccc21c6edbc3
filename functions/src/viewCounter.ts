import { consumeIpBudget, type DocStore, IP_WINDOW_MS } from '@storyreel/shared';
import { SHARE_VIEWS } from './publicMovie.js';

/** A client counts once per window: reloading or hammering the page adds nothing. */
export const VIEW_WINDOW_MS = IP_WINDOW_MS;

export interface ShareViews {
  views: number;
  lastViewAt: string;
}

/**
 * Counts a view of a published movie unless this client (its ip, stored
 * only as a hash) was already counted in the current window. The window is
 * the shared per-ip rate limit with a budget of one. Returns whether it counted.
 */
export async function countView(docs: DocStore, input: { publicId: string; ip: string; now?: Date }): Promise<boolean> {
  const now = input.now ?? new Date();
  const verdict = await consumeIpBudget(docs, { scope: `share-view ${input.publicId}`, ip: input.ip, limit: 1, now });
  if (!verdict.allowed) return false;
  await docs.transaction(async (tx) => {
    const doc = await tx.get<ShareViews>(SHARE_VIEWS, input.publicId);
    tx.set<ShareViews>(SHARE_VIEWS, input.publicId, {
      views: (doc?.data.views ?? 0) + 1,
      lastViewAt: now.toISOString(),
    });
  });
  return true;
}
