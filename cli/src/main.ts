#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { makeMovie } from './makeMovie.js';
import { startMesh } from './mesh.js';

const choice =
  <T extends string>(allowed: readonly T[]) =>
  (value: string): T => {
    if (!allowed.includes(value as T)) throw new InvalidArgumentError(`one of ${allowed.join(', ')}`);
    return value as T;
  };
const number = (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError('a number');
  return n;
};

const program = new Command('storyreel').description('Turn a story into a narrated, captioned, scored movie');

program
  .command('make')
  .argument('<story>', 'a text file with the story')
  .option('-o, --out <file>', 'where to write the MP4')
  .option('--title <title>', 'the movie title (default: the first line)')
  .option('--voice <id>', 'narrator voice id (GET /api/narrate/v1/voices)', 'en-us-1')
  .option('--speed <n>', 'narration speed, 0.5-2', number, 1)
  .option('--aspect <ratio>', '16:9, 9:16 or 1:1', choice(['16:9', '9:16', '1:1'] as const), '16:9')
  .option('--music <mood>', 'music mood, or none', 'calm')
  .option('--style <style>', 'visual style', 'storybook')
  .option('--seconds <n>', 'target length in seconds', number)
  .option('--resolution <r>', '720p or 1080p', choice(['720p', '1080p'] as const), '720p')
  .option('--quality <q>', 'draft, standard or high', choice(['draft', 'standard', 'high'] as const), 'standard')
  .option('--no-publish', 'keep the movie private (no share page)')
  .action(async (story: string, options) => {
    const movie = await makeMovie(story, options);
    process.stdout.write(
      [
        '',
        `movie: ${movie.file} (${movie.durationSeconds.toFixed(1)} s)`,
        ...(movie.shareUrl ? [`share page: ${movie.shareUrl}  (served while \`npm start\` runs the local mesh)`] : []),
        `watch (signed, 7 days): ${movie.watchUrl}`,
        `project: ${movie.projectId}  job: ${movie.jobId}`,
        '',
      ].join('\n'),
    );
  });

program
  .command('mesh')
  .description('start every service and the gateway, until Ctrl-C')
  .action(async () => {
    const mesh = await startMesh();
    process.stdout.write(`storyreel is up at ${mesh.gatewayUrl} (logs in ${mesh.logDir})\n`);
    const stop = () => {
      mesh.stop().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

program.parseAsync().catch((err: Error) => {
  process.stderr.write(`storyreel: ${err.message}\n`);
  process.exit(1);
});
