/** The wizard's steps, in order: each is a route under /projects/:id. */
export const WIZARD_STEPS = [
  { path: 'story', label: 'Story' },
  { path: 'storyboard', label: 'Storyboard' },
  { path: 'voice', label: 'Voice' },
  { path: 'music', label: 'Music' },
  { path: 'render', label: 'Render' },
  { path: 'watch', label: 'Watch' },
] as const;

export type WizardStep = (typeof WIZARD_STEPS)[number]['path'];

export const stepPath = (projectId: string, step: WizardStep) => `/projects/${encodeURIComponent(projectId)}/${step}`;

export function nextStep(step: WizardStep): WizardStep | null {
  const i = WIZARD_STEPS.findIndex((s) => s.path === step);
  return WIZARD_STEPS[i + 1]?.path ?? null;
}
