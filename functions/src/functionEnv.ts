import { envSchema } from '@storyreel/config';
import { z } from 'zod';

/**
 * What the share function reads from its runtime environment (`.env` in the
 * deployed folder, or the gateway's own Env locally). PUBLIC_BASE_URL has no
 * default here: a wrong origin would go into every canonical and player URL.
 */
const FunctionEnvSchema = z.object({
  PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }),
  TRUSTED_PROXY_HOPS: envSchema.shape.TRUSTED_PROXY_HOPS,
  LOG_LEVEL: envSchema.shape.LOG_LEVEL,
});

export type FunctionEnv = z.infer<typeof FunctionEnvSchema>;

export function functionEnv(source: NodeJS.ProcessEnv): FunctionEnv {
  const result = FunctionEnvSchema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  throw new Error(`the share function's environment is invalid: ${problems}`);
}
