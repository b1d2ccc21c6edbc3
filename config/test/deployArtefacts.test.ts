import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, matchesGlob } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { CONTAINER_PORT } from '../src/cloudRun.js';
import { envSchema } from '../src/env.js';
import { SERVICES } from '../src/services.js';
import { dockerfileProblems } from './dockerfileRules.js';

/**
 * The deployment artefacts checked against the service registry, without a
 * Docker engine or a Google account: every service has an image recipe, a
 * Cloud Build build/push/deploy, and a Hosting rewrite; nothing points at a
 * service that does not exist; the Dockerfile keeps to hadolint's rules.
 */
const repo = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string) => readFileSync(join(repo, path), 'utf8');

interface Step {
  id: string;
  name: string;
  args?: string[];
  env?: string[];
  waitFor?: string[];
  entrypoint?: string;
}
const cloudbuild = parseYaml(read('cloudbuild.yaml')) as {
  substitutions: Record<string, string>;
  options: Record<string, unknown>;
  steps: Step[];
  images: string[];
};
const step = (id: string): Step => {
  const found = cloudbuild.steps.find((s) => s.id === id);
  if (!found) throw new Error(`cloudbuild.yaml has no step ${id}`);
  return found;
};

interface Rewrite {
  source: string;
  run?: { serviceId: string; region: string };
  function?: { functionId: string; region: string };
  destination?: string;
}
interface HeaderRule {
  source?: string;
  regex?: string;
  headers: { key: string; value: string }[];
}
const firebase = JSON.parse(read('firebase.json')) as {
  hosting: { public: string; rewrites: Rewrite[]; headers: HeaderRule[] };
  functions: { source: string; predeploy?: string[] };
  firestore: { rules: string; indexes: string };
};

const requireHere = createRequire(import.meta.url);
// Firebase Hosting's own matcher for rewrite and header patterns, as its emulator runs it.
const { configMatcher } = requireHere('superstatic/lib/utils/patterns.js') as {
  configMatcher(path: string, rule: object): boolean;
};
// The schema check the Firebase CLI runs on firebase.json before a deploy.
const firebaseConfigValidate = requireHere('firebase-tools/lib/firebaseConfigValidate.js') as {
  getValidator(): ((config: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };
};
const imageOf = (name: string) => `\${_REGION}-docker.pkg.dev/$PROJECT_ID/\${_REPOSITORY}/${name}:$BUILD_ID`;
const regionOfCloudBuild = cloudbuild.substitutions._REGION;

describe('the service registry and the folders under services/', () => {
  it('lists every service folder, and every registered service has one', () => {
    const folders = readdirSync(join(repo, 'services'), { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(repo, 'services', d.name, 'package.json')))
      .map((d) => d.name)
      .sort();
    expect(SERVICES.map((s) => s.name).sort()).toEqual(folders);
  });

  it.each(SERVICES.map((s) => [s.name]))('%s has its Debian package list, each package version-pinned', (name) => {
    const packages = read(`services/${name}/apt-packages.txt`)
      .split('\n')
      .map((l) => l.replace(/#.*/, '').trim())
      .filter(Boolean);
    for (const p of packages) expect(p).toMatch(/^[a-z0-9][a-z0-9.+-]*=[0-9][\w.:~+*-]*$/);
  });

  it('builds every service from the one services/Dockerfile, so no per-service copy drifts', () => {
    expect(existsSync(join(repo, 'services/Dockerfile'))).toBe(true);
    for (const s of SERVICES) expect(existsSync(join(repo, `services/${s.name}/Dockerfile`))).toBe(false);
  });
});

describe('services/Dockerfile', () => {
  const text = read('services/Dockerfile');

  it('keeps to the rules: pinned base, non-root, no secrets, npm ci --omit=dev, clean apt, healthcheck', () => {
    expect(dockerfileProblems(text)).toEqual([]);
  });

  it('exposes the port Cloud Run is deployed with', () => {
    expect(text).toMatch(new RegExp(`^EXPOSE ${CONTAINER_PORT}$`, 'm'));
    expect(text).toMatch(new RegExp(`PORT=${CONTAINER_PORT}\\b`));
  });

  // The rules must be able to fail: each broken Dockerfile below trips the rule named.
  it.each([
    ['FROM node:latest\nUSER node\nRUN npm ci --omit=dev\nHEALTHCHECK CMD ["true"]\nCMD ["node"]', 'no exact tag'],
    ['FROM node:20\nUSER node\nRUN npm ci --omit=dev\nHEALTHCHECK CMD ["true"]\nCMD ["node"]', 'not an exact version'],
    ['FROM node:20.19.5-bookworm-slim\nUSER node\nRUN npm ci --omit=dev', 'no @sha256 digest'],
    ['FROM node\nRUN npm ci --omit=dev', 'no exact tag'],
    ['FROM node:20.1.1@sha256:' + 'a'.repeat(64) + '\nRUN npm ci --omit=dev', 'runs as root'],
    ['FROM x:1.2.3\nUSER root\nRUN npm ci --omit=dev', 'runs as root'],
    ['FROM x:1.2.3\nENV FAL_KEY=abc\nUSER node', 'ENV FAL_KEY carries a credential'],
    ['ARG GITHUB_TOKEN\nFROM x:1.2.3\nUSER node', 'ARG GITHUB_TOKEN carries a credential'],
    ['FROM x:1.2.3\nADD https://example.com/a.tgz /a\nUSER node', 'ADD of a URL'],
    ['FROM x:1.2.3\nUSER node\nRUN npm ci', 'npm ci without --omit=dev'],
    ['FROM x:1.2.3\nUSER node\nRUN npm install express', 'npm install'],
    ['FROM x:1.2.3\nRUN apt-get update && apt-get install -y ffmpeg\nUSER node', 'no --no-install-recommends'],
    [
      'FROM x:1.2.3\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends ffmpeg\nUSER node',
      'apt lists not removed',
    ],
    ['FROM x:1.2.3\nUSER node\nCMD node main.js', 'CMD in shell form'],
    ['FROM x:1.2.3\nRUN curl -s x | sh\nUSER node', 'a pipe without pipefail'],
    ['FROM x:1.2.3\nUSER node\nCMD ["node"]', 'no HEALTHCHECK'],
  ])('refuses %j (%s)', (bad, rule) => {
    expect(dockerfileProblems(bad).join('\n')).toContain(rule);
  });

  const dockerignore = read('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

  it('gets a build context that lets in only what it copies', () => {
    expect(dockerignore[0]).toBe('*');
    const allowed = dockerignore.filter((l) => l.startsWith('!')).map((l) => l.slice(1).replace(/\/$/, ''));
    const copied = [...text.matchAll(/^COPY (?!--from)(.+)$/gm)].flatMap((m) => m[1]!.trim().split(/\s+/).slice(0, -1));
    expect(copied.length).toBeGreaterThan(5);
    for (const source of copied) {
      expect(
        allowed.some((a) => source === a || source.startsWith(`${a}/`)),
        `${source} is left out`,
      ).toBe(true);
    }
  });

  it('lets in every source file the build compiles', () => {
    const denied = dockerignore.filter((l) => l !== '*' && !l.startsWith('!'));
    const sources = ['config/src', 'shared/src', ...SERVICES.map((s) => `services/${s.name}/src`)].flatMap((dir) =>
      readdirSync(join(repo, dir), { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => join(e.parentPath, e.name).slice(repo.length)),
    );
    expect(sources.length).toBeGreaterThan(50);
    const left = sources.filter((f) => denied.some((p) => matchesGlob(f, p) || matchesGlob(f, `${p}/**`)));
    expect(left).toEqual([]);
  });

  it('keeps dependencies, build output, local state, env and key files and media out of the context', () => {
    for (const pattern of [
      '**/node_modules',
      '**/dist',
      '**/.data',
      '**/out',
      '**/.out',
      '**/.env',
      '**/*.key',
      '**/*.mp4',
    ]) {
      expect(dockerignore).toContain(pattern);
    }
    expect(dockerignore.filter((l) => l.startsWith('!')).map((l) => l.slice(1))).not.toContain('.git');
  });
});

describe('cloudbuild.yaml', () => {
  it.each(SERVICES.map((s) => [s.name, s]))('builds, pushes and deploys %s', (name, entry) => {
    const image = step(`image-${name}`);
    expect(image.args).toEqual(
      expect.arrayContaining([
        'build',
        '--file=services/Dockerfile',
        `--build-arg=SERVICE=${name}`,
        `--tag=${imageOf(name)}`,
      ]),
    );
    expect(image.args?.at(-1)).toBe('.'); // the repository root: workspaces need config/ and shared/
    expect(image.env).toContain('DOCKER_BUILDKIT=1');

    const push = step(`push-${name}`);
    expect(push.args).toEqual(['push', imageOf(name)]);
    // Only tested code is pushed.
    expect(push.waitFor).toEqual(expect.arrayContaining([`image-${name}`, 'test']));

    const deploy = step(`deploy-${name}`);
    expect(deploy.entrypoint).toBe('gcloud');
    expect(deploy.args?.slice(0, 3)).toEqual(['run', 'deploy', entry.cloudRunName]);
    expect(deploy.args).toContain(`--image=${imageOf(name)}`);
    expect(deploy.args).toContain(`--flags-file=.out/cloud-run/${name}.json`);
    expect(deploy.waitFor).toEqual(expect.arrayContaining([`push-${name}`, 'cloud-run-flags']));
    expect(cloudbuild.images).toContain(imageOf(name));
  });

  it('has no image, push or deploy step for a service the registry does not know', () => {
    const names = new Set(SERVICES.map((s) => s.name));
    const perService = cloudbuild.steps
      .map((s) => /^(image|push|deploy)-(.+)$/.exec(s.id)?.[2])
      .filter((n): n is string => n !== undefined);
    expect(perService.filter((n) => !names.has(n as never))).toEqual([]);
    expect(cloudbuild.steps.map((s) => s.id)).toEqual([...new Set(cloudbuild.steps.map((s) => s.id))]);
  });

  it('stops at once when a substitution without a default was not given', () => {
    const preflight = step('preflight');
    const required = Object.entries(cloudbuild.substitutions).filter(([, value]) => value === '');
    expect(required.length).toBeGreaterThan(0);
    for (const [name] of required) {
      expect(preflight.env).toContain(`${name}=\${${name}}`);
      expect(preflight.args?.join(' ')).toContain(name);
    }
    expect(step('install').waitFor).toEqual(['preflight']);
  });

  it('runs install, lint and the tests before anything is pushed, and deploys the site after every service', () => {
    expect(step('install').args?.[0]).toBe('ci');
    expect(step('lint').waitFor).toEqual(['install']);
    expect(step('test').args?.join(' ')).toContain('bash scripts/test.sh');
    const firebaseStep = step('firebase');
    expect(firebaseStep.waitFor).toEqual(
      expect.arrayContaining(['frontend', ...SERVICES.map((s) => `deploy-${s.name}`)]),
    );
    expect(firebaseStep.args?.join(' ')).toMatch(
      /firebase deploy --only functions,hosting,firestore --project \$PROJECT_ID/,
    );
  });

  it('writes the Cloud Run flags with every option writeCloudRunFlags needs', () => {
    const flags = step('cloud-run-flags');
    expect(flags.args?.[0]).toBe('config/dist/writeCloudRunFlags.js');
    const given = (flags.args ?? []).slice(1).map((a) => a.split('=')[0]);
    const cli = read('config/src/writeCloudRunFlags.ts');
    const required = [...cli.matchAll(/^ {2}'?([a-z-]+)'?: '\w+',$/gm)].map((m) => `--${m[1]}`);
    expect(required.length).toBeGreaterThan(5);
    expect(given.sort()).toEqual(required.sort());
  });

  it('uses substitutions for project, region and repository, and declares each one it uses', () => {
    const text = read('cloudbuild.yaml');
    const used = new Set([...text.matchAll(/\$\{(_[A-Z0-9_]+)\}/g)].map((m) => m[1]));
    const declared = Object.keys(cloudbuild.substitutions);
    expect([...used].sort()).toEqual(declared.sort());
    for (const name of ['_REGION', '_REPOSITORY']) expect(used).toContain(name);
    expect(text).toContain('$PROJECT_ID');
    expect(cloudbuild.options.dynamicSubstitutions).toBe(true);
    // No project is named literally, not even the local demo one.
    expect(text).not.toMatch(/demo-storyreel|projects\/[a-z][a-z0-9-]{4,}\//);
  });

  it('holds no secret: key-like substitutions are empty and no value looks like a credential', () => {
    const text = read('cloudbuild.yaml');
    for (const [name, value] of Object.entries(cloudbuild.substitutions)) {
      if (/KEY|TOKEN|SECRET|PASSWORD/.test(name) && !/^_KMS_KEY$|_KEY_RING$/.test(name)) expect(value).toBe('');
    }
    expect(text).not.toMatch(/AIza[0-9A-Za-z_-]{35}/); // Google API keys
    expect(text).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
    expect(text).not.toMatch(/\b(sk|xi)[-_][A-Za-z0-9]{20,}/); // provider-style keys
    // Env and secrets come from the flags files, never from here.
    expect(text).not.toMatch(
      /--(set|update)-(env-vars|secrets)|(GEMINI|ELEVENLABS|GOOGLE_CLOUD)_API_KEY|FAL_KEY|MESH_SECRET/,
    );
  });
});

describe('firebase.json', () => {
  const rewrites = firebase.hosting.rewrites;
  const firstRewrite = (path: string) => rewrites.find((r) => configMatcher(path, r));

  it("passes the Firebase CLI's schema", () => {
    const validate = firebaseConfigValidate.getValidator();
    expect(validate(firebase), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...firebase, hosting: { ...firebase.hosting, rewritez: [] } })).toBe(false);
  });

  it('serves the built wizard', () => {
    expect(firebase.hosting.public).toBe('frontend/dist');
  });

  it.each(SERVICES.map((s) => [s.name, s]))('rewrites /api/%s/** to its Cloud Run service', (name, entry) => {
    expect(firstRewrite(`/api/${name}/v1/anything`)?.run).toEqual({
      serviceId: entry.cloudRunName,
      region: regionOfCloudBuild,
    });
  });

  it('points every Cloud Run rewrite at a registered service', () => {
    const known = new Set(SERVICES.map((s) => s.cloudRunName));
    const targets = rewrites.filter((r) => r.run).map((r) => r.run?.serviceId);
    expect(targets.filter((t) => !known.has(t ?? ''))).toEqual([]);
    expect(targets).toHaveLength(SERVICES.length);
  });

  it('sends /share/** to the share function the functions package exports, in the same region', () => {
    const target = firstRewrite('/share/AbCdEfGhIjKlMnOpQrStUv')?.function;
    expect(target?.functionId).toBe('share');
    const source = read('functions/src/index.ts');
    expect(source).toMatch(
      new RegExp(`export const ${target?.functionId} = onRequest\\(\\{ region: '${target?.region}'`),
    );
  });

  it('keeps one region everywhere: Cloud Build, the rewrites, the function and the config default', () => {
    const regions = new Set([
      regionOfCloudBuild,
      envSchema.shape.GCP_REGION.parse(undefined),
      ...rewrites.flatMap((r) => [r.run?.region, r.function?.region]).filter(Boolean),
    ]);
    expect([...regions]).toEqual([regionOfCloudBuild]);
  });

  it('falls back to the wizard for every other path', () => {
    expect(firstRewrite('/projects/abc/storyboard')?.destination).toBe('/index.html');
    expect(rewrites.at(-1)).toEqual({ source: '**', destination: '/index.html' });
  });

  const headersFor = (path: string) => {
    const found = new Map<string, string>();
    for (const rule of firebase.hosting.headers) {
      if (configMatcher(path, rule)) for (const h of rule.headers) found.set(h.key.toLowerCase(), h.value);
    }
    return found;
  };

  it.each(['/', '/index.html', '/projects/abc', '/assets/index-3f2a.js', '/api/compose/v1/projects', '/share/abc'])(
    'sends HSTS, nosniff and a referrer policy on %s',
    (path) => {
      const headers = headersFor(path);
      expect(headers.get('strict-transport-security')).toMatch(/max-age=\d{8,}; includeSubDomains/);
      expect(headers.get('x-content-type-options')).toBe('nosniff');
      expect(headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    },
  );

  it('caches hashed assets for a year and revalidates the wizard page every time', () => {
    expect(headersFor('/assets/index-3f2a.js').get('cache-control')).toBe('public, max-age=31536000, immutable');
    for (const page of ['/', '/index.html', '/projects/abc', '/settings']) {
      expect(headersFor(page).get('cache-control')).toBe('no-cache');
    }
  });

  it('gives the wizard a CSP that lets Firebase Auth, App Check and the buckets in, and no one frame it', () => {
    const csp = headersFor('/projects/abc').get('content-security-policy') ?? '';
    const directive = (name: string) =>
      csp
        .split(';')
        .map((d) => d.trim())
        .find((d) => d.startsWith(`${name} `)) ?? '';
    expect(directive('default-src')).toBe("default-src 'self'");
    expect(directive('frame-ancestors')).toBe("frame-ancestors 'none'");
    expect(directive('object-src')).toBe("object-src 'none'");
    expect(directive('script-src')).not.toMatch(/'unsafe-inline'|'unsafe-eval'|\*(?!\.)/);
    for (const origin of [
      'https://identitytoolkit.googleapis.com',
      'https://securetoken.googleapis.com',
      'https://content-firebaseappcheck.googleapis.com',
      'https://www.google.com/recaptcha/',
    ]) {
      expect(directive('connect-src')).toContain(origin);
    }
    expect(directive('script-src')).toContain('https://www.google.com/recaptcha/');
    expect(directive('media-src')).toContain('https://storage.googleapis.com');
    expect(directive('img-src')).toContain('https://storage.googleapis.com');
    expect(headersFor('/').get('x-frame-options')).toBe('DENY');
  });

  it.each(['/share/abc', '/share/abc/view', '/api/compose/v1/projects', '/api/narrate/v1/voices'])(
    'leaves CSP, framing and caching of %s to the function or service that answers it',
    (path) => {
      // The share player is framed by Twitter's card (its own CSP allows that); Hosting adds nothing that would override it.
      const headers = headersFor(path);
      for (const key of ['content-security-policy', 'x-frame-options', 'cache-control'])
        expect(headers.has(key)).toBe(false);
    },
  );

  it('writes its path regexes in RE2, which has no lookaround or backreferences', () => {
    for (const rule of firebase.hosting.headers.filter((r) => r.regex)) {
      expect(rule.regex).not.toMatch(/\(\?[=!<]|\\[1-9]/);
    }
  });

  it('deploys the bundled function and the Firestore rules and indexes', () => {
    expect(firebase.functions.source).toBe('functions/dist/deploy');
    expect(firebase.functions.predeploy).toEqual(['npm run bundle -w functions']);
    expect(read(firebase.firestore.rules)).toMatch(/match \/\{document=\*\*\} \{\s*allow read, write: if false;/);
    const indexes = JSON.parse(read(firebase.firestore.indexes)) as {
      indexes: { collectionGroup: string; fields: { fieldPath: string; order: string }[] }[];
    };
    // listProjects (services/compose/src/projects.ts): owner == uid, newest first.
    expect(read('services/compose/src/projects.ts')).toMatch(
      /where: \[\['owner', '==', uid\]\],\s*orderBy: \[\{ field: 'createdAt', direction: 'desc' \}\]/,
    );
    expect(indexes.indexes).toContainEqual(
      expect.objectContaining({
        collectionGroup: 'projects',
        fields: [
          { fieldPath: 'owner', order: 'ASCENDING' },
          { fieldPath: 'createdAt', order: 'DESCENDING' },
        ],
      }),
    );
  });
});
