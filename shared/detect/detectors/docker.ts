// docker: daemon not running, missing images, ports already allocated.
import { lineDetector, type Found } from '../detector';
import { Category } from '../categories';

export const dockerDetector = lineDetector(
  'docker',
  /Cannot connect to the Docker daemon|manifest (?:for \S+ )?(?:not found|unknown)|pull access denied for|port is already allocated|Unable to find image|^Run 'docker \S+ --help'/,
  (line): Found | null | undefined => {
    if (/Cannot connect to the Docker daemon/.test(line))
      return {
        tool: 'docker',
        category: Category.dockerDaemonDown,
        severity: 'error',
        message: 'Cannot connect to the Docker daemon. Is the docker daemon running?',
      };
    let m = /(?:manifest for (\S+) not found|pull access denied for ([^,\s]+)|manifest unknown.*?(\S+:\S+)?)/.exec(
      line,
    );
    if (m)
      return {
        tool: 'docker',
        category: Category.dockerImageNotFound,
        severity: 'error',
        message: line.replace(/^docker: |^Error response from daemon: /g, ''),
        data: (m[1] ?? m[2] ?? m[3]) ? { image: (m[1] ?? m[2] ?? m[3])! } : undefined,
      };
    if ((m = /Bind for (?:[\d.]+|\[::\]):(\d+) failed: port is already allocated/.exec(line)))
      return {
        tool: 'docker',
        category: Category.portInUse,
        severity: 'error',
        message: line.replace(/^docker: Error response from daemon: /, ''),
        data: { port: m[1] },
      };
    if (/^Unable to find image|^Run 'docker \S+ --help'/.test(line)) return null;
    return undefined;
  },
);
