import { fileURLToPath } from 'node:url';

/** The checkout this CLI was built from (cli/dist/*.js -> ../..). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
