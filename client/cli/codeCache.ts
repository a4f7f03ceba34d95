// Loads the CLI bundle through V8's code cache. Compiling a megabyte of JavaScript is the largest part of a cold
// start (Node 20 has no built-in compile cache), so the compiled code is kept in the user's cache folder, keyed
// by the bundle and the Node version; a stale or unreadable cache only means compiling as usual.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { Script } from 'node:vm';

function cacheDir(env: NodeJS.ProcessEnv): string {
  return path.join(env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'heal');
}

/** Creates the cache folder and, if needed, its parent; never `recursive` (Node 20 can spin on it under /proc). */
function makeCacheDir(dir: string): void {
  for (const d of [path.dirname(dir), dir]) {
    try {
      mkdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/** Runs `file` (a CommonJS bundle) like `require` would, and returns its exports. */
export function requireWithCodeCache(file: string, env: NodeJS.ProcessEnv = process.env): unknown {
  const source = readFileSync(file, 'utf8');
  const info = statSync(file);
  const key = `${process.version}-${process.arch}-${info.size}-${Math.floor(info.mtimeMs)}`;
  const cacheFile = path.join(cacheDir(env), `cli-${key}.v8cache`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // first run, or no cache folder
  }
  const script = new Script(Module.wrap(source), { filename: file, cachedData });
  const mod = new Module(file);
  mod.filename = file;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
  const compiled = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: Module,
    filename: string,
    dirname: string,
  ) => void;
  compiled.call(mod.exports, mod.exports, createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  if (!cachedData || script.cachedDataRejected) {
    // At exit the functions this run compiled are in the cache too. Written atomically; failures are harmless.
    process.once('exit', () => {
      try {
        makeCacheDir(path.dirname(cacheFile));
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, cacheFile);
      } catch {
        // read-only home, full disk: the next run compiles again
      }
    });
  }
  return mod.exports;
}
