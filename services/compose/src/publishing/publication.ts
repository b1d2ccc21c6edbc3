/**
 * `publications/<projectId>`: the private side of a published movie, the
 * link from a project to its public id. Kept apart from the project document
 * so publishing does not bump the project's version, which the wizard sends
 * back with every edit (If-Match).
 */
export const PUBLICATIONS = 'publications';

export interface Publication {
  owner: string;
  projectId: string;
  publicId: string;
  /** The render (job id) that is published. */
  jobId: string;
  videoUrl: string;
  publishedAt: string;
  updatedAt: string;
}

export interface PublicationView {
  publicId: string;
  shareUrl: string;
  videoUrl: string;
  jobId: string;
  publishedAt: string;
  updatedAt: string;
}

export function shareUrlOf(baseUrl: string, publicId: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/share/${publicId}`;
}

export function publicationView(publication: Publication, baseUrl: string): PublicationView {
  const { publicId, videoUrl, jobId, publishedAt, updatedAt } = publication;
  return { publicId, shareUrl: shareUrlOf(baseUrl, publicId), videoUrl, jobId, publishedAt, updatedAt };
}
