// The real machine behind RuleEnvironment: PATH executables (read once), files relative to the working directory.
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { RuleEnvironment } from './rule';

export function machineEnvironment(cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): RuleEnvironment {
  let executables: Set<string> | undefined;
  const resolve = (p: string) => path.resolve(cwd, p);
  return {
    platform: process.platform,
    isRoot: typeof process.getuid === 'function' ? process.getuid() === 0 : undefined,
    executables() {
      if (executables) return executables;
      executables = new Set();
      for (const dir of (env.PATH ?? '').split(path.delimiter)) {
        let names: string[];
        try {
          names = readdirSync(dir);
        } catch {
          continue;
        }
        for (const name of names) {
          try {
            accessSync(path.join(dir, name), constants.X_OK);
            executables.add(process.platform === 'win32' ? name.replace(/\.(?:exe|cmd|bat)$/i, '') : name);
          } catch {
            // not executable
          }
        }
      }
      return executables;
    },
    exists: (p) => existsSync(resolve(p)),
    readFile(p) {
      try {
        return readFileSync(resolve(p), 'utf8');
      } catch {
        return undefined;
      }
    },
    isDirectory(p) {
      try {
        return statSync(resolve(p)).isDirectory();
      } catch {
        return false;
      }
    },
    listDirectories(p) {
      try {
        return readdirSync(resolve(p || '.'), { withFileTypes: true })
          .filter((d) => d.isDirectory())
          .map((d) => d.name);
      } catch {
        return [];
      }
    },
    packageScripts() {
      for (let dir = cwd; ; dir = path.dirname(dir)) {
        try {
          const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
            scripts?: Record<string, string>;
          };
          return Object.keys(pkg.scripts ?? {});
        } catch {
          if (path.dirname(dir) === dir) return undefined;
        }
      }
    },
  };
}
