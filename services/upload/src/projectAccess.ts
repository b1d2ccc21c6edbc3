import { COLLECTIONS, type DocStore, notFound } from '@storyreel/shared';

const PROJECT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The fields of compose's project document this service relies on. */
interface ProjectOwner {
  owner: string;
}

/**
 * Uploads go into a project the caller owns. Another user's project answers
 * exactly like a missing one (404), so ids reveal nothing.
 */
export async function assertOwnedProject(docs: DocStore, uid: string, projectId: string): Promise<void> {
  if (!PROJECT_ID.test(projectId)) throw notFound('project');
  const doc = await docs.get<ProjectOwner>(COLLECTIONS.projects, projectId);
  if (!doc || doc.data.owner !== uid) throw notFound('project');
}
