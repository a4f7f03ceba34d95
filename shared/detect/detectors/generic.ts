// The fallback: plain `error: …`/`Error: …`/`fatal: …` lines that no specific detector claimed.
import { lineDetector, type Found } from '../detector';
import { Category } from '../categories';

const GENERIC = /^(?:\[?(?:ERROR|FATAL)\]?:?|error:|Error:|fatal:|E:) (.{3,})$/;

export const genericDetector = lineDetector(
  'generic',
  /^(?:\[?(?:ERROR|FATAL)\]?|error|Error|fatal):? |^E: /,
  (line): Found | null | undefined => {
    const m = GENERIC.exec(line.trimEnd());
    if (!m || /^\d+ errors?\b/.test(m[1])) return undefined;
    return { tool: 'generic', category: Category.generic, severity: 'error', message: m[1].trim() };
  },
);
