import type { Job, JobStep, StepStatus } from '../api/types';

/** What the user is told each step does, in the order they happen. */
export const STAGES: { label: string; steps: JobStep[] }[] = [
  { label: 'Pictures', steps: ['images'] },
  { label: 'Narration', steps: ['narrate'] },
  { label: 'Captions', steps: ['align', 'captions'] },
  { label: 'Music', steps: ['music'] },
  { label: 'Render', steps: ['render'] },
  { label: 'Polish', steps: ['polish'] },
];

const RANK: Record<StepStatus, number> = { failed: 4, running: 3, pending: 2, done: 1, skipped: 0 };

/** A stage made of several steps shows the most telling one (failed beats running beats pending). */
export function stageStatus(job: Job, steps: JobStep[]): StepStatus {
  const statuses = steps.map((s) => job.steps[s]?.status ?? 'pending');
  if (statuses.every((s) => s === 'skipped')) return 'skipped';
  if (statuses.every((s) => s === 'done' || s === 'skipped')) return 'done';
  return statuses.reduce((a, b) => (RANK[b] > RANK[a] ? b : a));
}

const ICONS: Record<StepStatus, string> = { done: '✓', running: '', failed: '!', pending: '', skipped: '–' };
const WORDS: Record<StepStatus, string> = {
  done: 'done',
  running: 'in progress',
  failed: 'failed',
  pending: 'waiting',
  skipped: 'skipped',
};

export function JobStages({ job }: { job: Job }) {
  const stages = STAGES.filter((s) => !(s.label === 'Polish' && !job.options.polish));
  return (
    <ol className="stages">
      {stages.map((stage) => {
        const status = stageStatus(job, stage.steps);
        const shown = status === 'running' && job.status === 'cancelled' ? 'pending' : status;
        return (
          <li key={stage.label} className={`stage stage-${shown}`}>
            <span className="stage-icon" aria-hidden="true">
              {ICONS[shown]}
            </span>
            <span className="stage-label">{stage.label}</span>
            <span className="stage-status">{WORDS[shown]}</span>
          </li>
        );
      })}
    </ol>
  );
}
