#!/usr/bin/env node
import { mkdir, readFile, writeFile } from 'node:fs/promises';
// Builds the folder Firebase deploys (and its emulator loads): index.js, one
// ESM bundle of src/index.ts with the workspace packages (@storyreel/shared,
// @storyreel/config) compiled in from source, and a package.json naming the
// npm packages the bundle still imports. Cloud Build runs `npm install` on
// that package.json, and it cannot install workspace packages.
//   node functions/scripts/bundleFunctions.mjs <outDir>
import { builtinModules } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const functionsDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoDir = resolve(functionsDir, '..');
const WORKSPACE = { '@storyreel/shared': 'shared', '@storyreel/config': 'config' };
const SOURCE_DIRS = [join(functionsDir, 'src'), ...Object.values(WORKSPACE).map((d) => join(repoDir, d, 'src'))];

const packageName = (specifier) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
const isBuiltin = (specifier) => specifier.startsWith('node:') || builtinModules.includes(packageName(specifier));
const readJson = async (file) => JSON.parse(await readFile(file, 'utf8'));

/**
 * Workspace sources come in from src/ and count as free of side effects, so
 * the parts of @storyreel/shared the function never calls (the SQLite store
 * and its native module, the HTTP stack) are dropped with their imports.
 * Every other package stays an import of the bundle.
 */
const workspaceSources = {
  name: 'workspace-sources',
  setup(b) {
    b.onResolve({ filter: /^@storyreel\// }, (args) => {
      const dir = WORKSPACE[args.path];
      if (!dir) throw new Error(`${args.path} cannot be bundled into the functions`);
      return { path: join(repoDir, dir, 'src', 'index.ts'), sideEffects: false };
    });
    b.onResolve({ filter: /^\.{1,2}\// }, async (args) => {
      if (args.pluginData?.resolving) return undefined;
      const found = await b.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: { resolving: true },
      });
      const inWorkspace = SOURCE_DIRS.some((d) => found.path.startsWith(d + sep));
      return inWorkspace ? { ...found, sideEffects: false } : found;
    });
    b.onResolve({ filter: /^[^./]/ }, (args) => ({ path: args.path, external: true }));
  },
};

export async function bundleFunctions(outDir) {
  const out = resolve(outDir);
  await mkdir(out, { recursive: true });
  const result = await build({
    entryPoints: [join(functionsDir, 'src', 'index.ts')],
    outfile: join(out, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    metafile: true,
    logLevel: 'warning',
    plugins: [workspaceSources],
  });

  const imported = new Set(
    Object.values(result.metafile.outputs)
      .flatMap((o) => o.imports)
      .filter((i) => i.external && !isBuiltin(i.path))
      .map((i) => packageName(i.path)),
  );
  const manifests = await Promise.all(
    [functionsDir, ...Object.values(WORKSPACE).map((d) => join(repoDir, d))].map((d) =>
      readJson(join(d, 'package.json')),
    ),
  );
  const own = manifests[0];
  const dependencies = {};
  for (const name of [...imported].sort()) {
    const version = manifests.map((m) => m.dependencies?.[name]).find(Boolean);
    if (!version) throw new Error(`the bundle imports ${name}, which no workspace package depends on`);
    dependencies[name] = version;
  }
  // The Functions runtime needs both even where the bundle does not import them by name.
  for (const name of ['firebase-admin', 'firebase-functions']) dependencies[name] ??= own.dependencies[name];

  const manifest = {
    name: 'storyreel-functions',
    private: true,
    type: 'module',
    main: 'index.js',
    engines: own.engines,
    dependencies,
  };
  await writeFile(join(out, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { dir: out, dependencies };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = process.argv[2];
  if (!outDir) {
    process.stderr.write('usage: bundleFunctions.mjs <outDir>\n');
    process.exit(2);
  }
  const { dir, dependencies } = await bundleFunctions(outDir);
  process.stdout.write(`bundled the functions into ${dir} (${Object.keys(dependencies).join(', ')})\n`);
}
