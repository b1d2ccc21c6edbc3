import type { RenderManifest } from './manifest.js';

export type InputRole = 'image' | 'narration' | 'narration-track' | 'music' | 'captions';

export interface ManifestInput {
  /** Where the path sits in the manifest, for error details (`scenes.2.imagePath`). */
  field: string;
  gsPath: string;
  role: InputRole;
  /** Scene index for per-scene inputs. */
  scene?: number;
}

/** Every object a manifest reads, in a stable order. */
export function manifestInputs(manifest: RenderManifest): ManifestInput[] {
  const inputs: ManifestInput[] = manifest.scenes.map((scene, i) => ({
    field: `scenes.${i}.imagePath`,
    gsPath: scene.imagePath,
    role: 'image',
    scene: i,
  }));
  const narration = manifest.narration;
  if (narration?.kind === 'per-scene') {
    narration.paths.forEach((gsPath, i) => {
      if (gsPath) inputs.push({ field: `narration.paths.${i}`, gsPath, role: 'narration', scene: i });
    });
  }
  if (narration?.kind === 'track')
    inputs.push({ field: 'narration.path', gsPath: narration.path, role: 'narration-track' });
  if (manifest.music) inputs.push({ field: 'music.path', gsPath: manifest.music.path, role: 'music' });
  if (manifest.captions?.assPath)
    inputs.push({ field: 'captions.assPath', gsPath: manifest.captions.assPath, role: 'captions' });
  return inputs;
}
