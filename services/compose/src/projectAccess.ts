import { type DocStore, notFound, type StoredDoc } from '@storyreel/shared';
import { PROJECTS, type ProjectData } from './projectModel.js';

const PROJECT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The one way to read a project for a user. Another user's project answers
 * exactly like a missing one (404), so ids reveal nothing; a malformed id is
 * simply not found.
 */
export async function readOwnedProject(
  docs: DocStore,
  uid: string,
  projectId: string,
): Promise<StoredDoc<ProjectData>> {
  if (!PROJECT_ID.test(projectId)) throw notFound('project');
  const doc = await docs.get<ProjectData>(PROJECTS, projectId);
  if (!doc || doc.data.owner !== uid) throw notFound('project');
  return doc;
}
