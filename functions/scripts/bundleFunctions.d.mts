/** Bundles functions/src into outDir with a package.json naming the runtime dependencies it imports. */
export function bundleFunctions(outDir: string): Promise<{ dir: string; dependencies: Record<string, string> }>;
