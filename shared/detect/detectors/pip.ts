// pip: packages that cannot be found or installed.
import { lineDetector, type Found } from '../detector';
import { Category } from '../categories';

export const pipDetector = lineDetector(
  'pip',
  /^ERROR: (?:No matching distribution|Could not find a version|Could not install|Failed building)|^error: externally-managed-environment/,
  (line): Found | null | undefined => {
    let m = /^ERROR: No matching distribution found for ([^\s<>=!~;[]+)/.exec(line);
    if (m)
      return {
        tool: 'pip',
        category: Category.packageNotFound,
        severity: 'error',
        message: line.replace(/^ERROR: /, ''),
        data: { package: m[1] },
      };
    if (/^ERROR: Could not find a version that satisfies/.test(line)) return null;
    if (/^error: externally-managed-environment/.test(line))
      return {
        tool: 'pip',
        category: Category.installFailed,
        severity: 'error',
        message: 'externally-managed-environment',
        data: { kind: 'externally-managed' },
      };
    m = /^ERROR: (?:Could not install packages.*|Failed building wheel for (\S+))/.exec(line);
    if (m)
      return {
        tool: 'pip',
        category: Category.installFailed,
        severity: 'error',
        message: line.replace(/^ERROR: /, ''),
        data: m[1] ? { package: m[1] } : undefined,
      };
    return undefined;
  },
);
