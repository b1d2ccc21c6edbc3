import type { ProjectData } from '../projectModel.js';

/**
 * What of a project the movie is made from, copied onto the job when the
 * render is asked for: edits made while it renders go into the next render,
 * not halfway into this one.
 */
export interface MovieProject {
  id: string;
  language: string;
  aspect: ProjectData['aspect'];
  voice: ProjectData['voice'];
  music: ProjectData['music'];
  captions: ProjectData['captions'];
  scenes: { id: string; text: string; motion: string; transition: { type: string; durationSeconds: number } }[];
}

export function movieProject(id: string, project: ProjectData): MovieProject {
  return {
    id,
    language: project.language,
    aspect: project.aspect,
    voice: project.voice,
    music: project.music,
    captions: project.captions,
    scenes: project.scenes.map(({ id, text, motion, transition }) => ({ id, text, motion, transition })),
  };
}
