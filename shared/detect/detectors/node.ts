// Node.js: uncaught errors with their stack (`Error: Cannot find module 'x'`, `TypeError: …`, EADDRINUSE, …)
// and fatal heap exhaustion. An error line counts only when stack frames follow, so other tools' lines that
// merely look like `SomethingError: …` are left alone.
import { blockDetector, type Found } from '../block';
import { Category } from '../categories';

const ERROR_LINE = /^([A-Z][A-Za-z]*Error|Error)(?: \[([A-Z_]+)\])?: (.+)$/;
const FRAME = /^\s+at (?:.*?\()?((?:node:|file:\/\/|[A-Za-z]:)?[^():]+):(\d+):(\d+)\)?$/;
const OOM = /^FATAL ERROR: .*(?:heap out of memory|Allocation failed)/;

interface State {
  kind: 'error' | 'oom';
  type: string;
  code?: string;
  message: string;
  frames: number;
  file?: string;
  line?: number;
  column?: number;
  requireStack?: string;
}

function classify(s: State): Found {
  const base = { tool: 'node', severity: 'error' as const, file: s.file, line: s.line, column: s.column };
  if (s.kind === 'oom') return { ...base, category: Category.outOfMemory, message: s.message };
  const message = `${s.type}${s.code ? ` [${s.code}]` : ''}: ${s.message}`;
  const data: Record<string, string> = { exception: s.type };
  if (s.code) data.code = s.code;
  let m = /^Cannot find (?:module|package) '([^']+)'/.exec(s.message);
  if (m) {
    data.module = m[1];
    const relative = /^[./]/.test(m[1]);
    if (relative) data.relative = 'true';
    const file = s.requireStack ?? /imported from (\S+)/.exec(s.message)?.[1] ?? s.file;
    return {
      ...base,
      file,
      line: file === s.file ? s.line : undefined,
      column: file === s.file ? s.column : undefined,
      category: relative ? Category.fileNotFound : Category.moduleNotFound,
      message,
      data,
    };
  }
  if ((m = /\bEADDRINUSE\b.*?:(\d+)\s*$/.exec(s.message)))
    return { ...base, category: Category.portInUse, message, data: { ...data, port: m[1] } };
  if ((m = /\bENOSPC\b/.exec(s.message)))
    return {
      ...base,
      category: Category.noSpace,
      message,
      data: { ...data, kind: /watchers/.test(s.message) ? 'inotify' : 'disk' },
    };
  if ((m = /\bENOENT\b.*?'([^']+)'/.exec(s.message)))
    return { ...base, category: Category.fileNotFound, message, data: { ...data, path: m[1] } };
  if ((m = /\bEACCES\b.*?'([^']+)'/.exec(s.message)))
    return { ...base, category: Category.permissionDenied, message, data: { ...data, path: m[1] } };
  if ((m = /\bECONNREFUSED\b ([\d.:a-f]+):(\d+)/.exec(s.message)))
    return { ...base, category: Category.connectionRefused, message, data: { ...data, host: m[1], port: m[2] } };
  if (s.type === 'ReferenceError' && (m = /^(\S+) is not defined/.exec(s.message)))
    return { ...base, category: Category.nameNotFound, message, data: { ...data, name: m[1] } };
  return { ...base, category: Category.exception, message, data };
}

export const nodeDetector = blockDetector<State>(
  'node',
  /^(?:[A-Z][A-Za-z]*Error|Error)(?: \[[A-Z_]+\])?: |^FATAL ERROR: /,
  {
    begin(line) {
      if (OOM.test(line))
        return { kind: 'oom', type: 'FatalError', message: 'JavaScript heap out of memory', frames: 1 };
      const m = ERROR_LINE.exec(line);
      return m ? { kind: 'error', type: m[1], code: m[2], message: m[3], frames: 0 } : undefined;
    },
    next(s, line) {
      if (s.kind === 'oom')
        return line.trim() === '' || /^\s|^<---|^\[\d+:|^Security context|^\s*\d+:/.test(line) ? 'take' : 'end';
      if (line === 'Require stack:') return 'take';
      const req = /^- (\S+)$/.exec(line);
      if (req) {
        s.requireStack ??= req[1];
        return 'take';
      }
      const frame = FRAME.exec(line);
      if (frame) {
        s.frames++;
        const file = frame[1].trim();
        if (s.file === undefined && !/^node:|node_modules|^internal\/|^\[eval\]/.test(file)) {
          s.file = file;
          s.line = Number(frame[2]);
          s.column = Number(frame[3]);
        }
        return 'take';
      }
      if (
        s.frames > 0 &&
        /^\s+(?:at |\.\.\.|[a-z]+: |code: |\{|\}|errno|syscall|address|port|path|requireStack|url)/.test(line)
      )
        return 'take';
      if (s.frames > 0 && /^\}$|^Emitted 'error' event|^Node\.js v/.test(line)) return 'take';
      return 'end';
    },
    finish(s, lines) {
      if (s.frames > 0) return classify(s);
      // Not a Node.js stack after all: report it as the plain error line it is.
      return { tool: 'generic', category: Category.generic, severity: 'error', message: lines[0] };
    },
  },
);
