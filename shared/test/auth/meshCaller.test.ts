import { meshCallerOf } from '@storyreel/shared';
import { describe, expect, it } from 'vitest';

describe('which Google-signed callers count as our services', () => {
  const project = 'storyreel-prod';
  it.each([
    ['storyreel-render@storyreel-prod.iam.gserviceaccount.com', true, 'render'],
    ['storyreel-api-key@storyreel-prod.iam.gserviceaccount.com', true, 'api-key'],
    ['storyreel-tasks@storyreel-prod.iam.gserviceaccount.com', true, 'tasks'],
  ])('%s is %s', (email, verified, service) => {
    expect(meshCallerOf(email, verified, project)).toBe(service);
  });

  it.each([
    ['a service account of another project', 'storyreel-render@evil-project.iam.gserviceaccount.com', true],
    ['a look-alike project suffix', 'storyreel-render@storyreel-prod.iam.gserviceaccount.com.evil.com', true],
    ['an account that is not one of ours', 'builder@storyreel-prod.iam.gserviceaccount.com', true],
    ['an unknown service name', 'storyreel-billing@storyreel-prod.iam.gserviceaccount.com', true],
    ['an unverified email', 'storyreel-render@storyreel-prod.iam.gserviceaccount.com', false],
    ['a person', 'mallory@gmail.com', true],
  ])('refuses %s', (_what, email, verified) => {
    expect(meshCallerOf(email, verified, project)).toBeUndefined();
  });
});
