// Python tracebacks (one event per traceback, located at the innermost frame in the user's code) and
// compile-time errors (SyntaxError, IndentationError) reported without a traceback header.
import { blockDetector, type Found } from '../block';
import { Category } from '../categories';

interface Frame {
  file: string;
  line: number;
}

interface State {
  frames: Frame[];
  exception?: string;
  message?: string;
  /** A compile error starts at its `File "…", line N` line instead of `Traceback`. */
  bare: boolean;
}

const FRAME = /^ {2}File "([^"]+)", line (\d+)/;
const EXCEPTION =
  /^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning|Iteration|error)|KeyError|StopIteration)(?:: (.*))?$/;
const LIBRARY = /site-packages|dist-packages|[\\/]lib[\\/]python\d|<frozen |^<string>/;

function classify(s: State): Found {
  const frame = [...s.frames].reverse().find((f) => !LIBRARY.test(f.file)) ?? s.frames[s.frames.length - 1];
  const exception = s.exception ?? 'Error';
  const type = exception.split('.').pop()!;
  const text = s.message ?? '';
  const message = text ? `${type}: ${text}` : type;
  const base = { tool: 'python', severity: 'error' as const, message, file: frame?.file, line: frame?.line };
  const data: Record<string, string> = { exception: type };
  let m: RegExpExecArray | null;
  if ((type === 'ModuleNotFoundError' || type === 'ImportError') && (m = /No module named '([^']+)'/.exec(text))) {
    return {
      ...base,
      category: Category.moduleNotFound,
      data: { ...data, module: m[1], topLevel: m[1].split('.')[0] },
    };
  }
  if (type === 'ImportError' && (m = /cannot import name '([^']+)' from '([^']+)'/.exec(text)))
    return { ...base, category: Category.nameNotFound, data: { ...data, name: m[1], module: m[2] } };
  if (type === 'IndentationError' || type === 'TabError') return { ...base, category: Category.indentation, data };
  if (type === 'SyntaxError') return { ...base, category: Category.syntax, data };
  if (type === 'NameError' && (m = /name '([^']+)' is not defined/.exec(text)))
    return { ...base, category: Category.nameNotFound, data: { ...data, name: m[1] } };
  if (type === 'FileNotFoundError' && (m = /'([^']+)'$/.exec(text)))
    return { ...base, category: Category.fileNotFound, data: { ...data, path: m[1] } };
  if (type === 'PermissionError')
    return {
      ...base,
      category: Category.permissionDenied,
      data: { ...data, ...(/'([^']+)'$/.exec(text) ? { path: /'([^']+)'$/.exec(text)![1] } : {}) },
    };
  if (/Address already in use/.test(text)) return { ...base, category: Category.portInUse, data };
  if (type === 'ConnectionRefusedError') return { ...base, category: Category.connectionRefused, data };
  if (type === 'MemoryError') return { ...base, category: Category.outOfMemory, data };
  return { ...base, category: Category.exception, data };
}

export const pythonDetector = blockDetector<State>(
  'python',
  /^Traceback \(most recent call last\):|^ {2}File "[^"]+", line \d+$/,
  {
    begin: (line) => {
      if (line.startsWith('Traceback')) return { frames: [], bare: false };
      const m = FRAME.exec(line);
      return m && /, line \d+$/.test(line) ? { frames: [{ file: m[1], line: Number(m[2]) }], bare: true } : undefined;
    },
    next: (s, line) => {
      if (s.exception !== undefined) return 'end';
      const frame = FRAME.exec(line);
      if (frame) {
        s.frames.push({ file: frame[1], line: Number(frame[2]) });
        return 'take';
      }
      if (/^\s/.test(line) || line === '') return 'take';
      if (/^During handling of the above exception|^The above exception was the direct cause/.test(line)) {
        s.frames = [];
        return 'take';
      }
      const m = EXCEPTION.exec(line);
      if (m) {
        s.exception = m[1];
        s.message = m[2];
        return 'take';
      }
      return 'end';
    },
    finish: (s) => (s.exception ? classify(s) : undefined),
  },
);
