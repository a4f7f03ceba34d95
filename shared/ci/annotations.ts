// GitHub Actions workflow commands (`::error file=…,line=…,title=…::message`), escaped per the runner's rules.
import type { ErrorEvent } from '../detect/detector';

/** Message text: `%`, CR and LF are escaped. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Property values additionally escape `:` and `,`, which separate properties. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export interface AnnotationExtras {
  /** The top suggestion for this failure, shown after the message. */
  suggestion?: string;
  flaky?: boolean;
}

export function annotation(event: ErrorEvent, extras: AnnotationExtras = {}): string {
  const level = event.severity === 'error' ? 'error' : event.severity === 'warning' ? 'warning' : 'notice';
  const props: string[] = [];
  if (event.file) props.push(`file=${escapeProperty(event.file)}`);
  if (event.file && event.line) props.push(`line=${event.line}`);
  if (event.file && event.line && event.column) props.push(`col=${event.column}`);
  props.push(`title=${escapeProperty(`heal: ${event.tool}/${event.category}${extras.flaky ? ' (flaky)' : ''}`)}`);
  const message = `${event.message}${extras.suggestion ? `\nSuggested fix: ${extras.suggestion}` : ''}\nfingerprint ${event.fingerprint}`;
  return `::${level} ${props.join(',')}::${escapeData(message)}`;
}
