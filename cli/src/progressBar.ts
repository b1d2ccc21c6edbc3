import cliProgress from 'cli-progress';

/** One bar for the whole job; the stage name leads, so a glance says what is happening. */
export function jobProgressBar() {
  const bar = new cliProgress.SingleBar(
    {
      format: ' {stage} |{bar}| {percentage}% | {duration_formatted}',
      barCompleteChar: '\u2588',
      barIncompleteChar: '\u2591',
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 3000,
      stopOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(100, 0, { stage: 'queued'.padEnd(10) });
  return {
    update(percent: number, stage: string) {
      bar.update(Math.max(0, Math.min(100, Math.round(percent))), { stage: stage.padEnd(10) });
    },
    stop() {
      bar.stop();
    },
  };
}
