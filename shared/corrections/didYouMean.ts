// What a tool itself suggests in its error output: "did you mean", "the most similar command is",
// "could be: a, b", "valid choices are", usage lists. Tools know their own commands best.
import { closeMatches } from './similarity';

export interface ToolSuggestion {
  /** The word the tool rejected, when it names it. */
  typo?: string;
  /** Candidates in the tool's order, or ranked by closeness when the tool gave only a list. */
  candidates: string[];
  /** True when the output is a plain list of valid words rather than a pointed suggestion. */
  list: boolean;
}

const clean = (s: string) => s.trim().replace(/^[`'"‘“]+|[`'"’”.?,:]+$/g, '');

/** Words the tool names as rejected: `'stauts' is not a git command`, `Command "udpate" is not defined`, … */
function rejectedWord(output: string): string | undefined {
  const patterns = [
    /[`'"]([^`'"\s]+)[`'"] is not a [\w-]+ command/,
    /unknown command:? [`'"]?([^`'"\s]+)[`'"]?/i,
    /Command "([^"]+)" is not defined/,
    /no command named "([^"]+)"/i,
    /No command '(?:\S+ )?([^']+)'/,
    /^[▸\s]*(\S+) is not a \S+ command/m,
    /[`'"]([^`'"\s]+)[`'"] is not a task/,
    /ambiguous command: ([^,\s]+)/,
    /^(\S+): Unknown command/m,
    /[`'"]([^`'"\s]+)[`'"] is not in the [`'"]?\S+[`'"]? command group/,
    /Invalid choice:? '([^']+)'/,
    /^merge: (\S+) - not something we can merge/m,
    /unknown command "([^"]+)"/,
    /pathspec '([^']+)' did not match/,
    /argument (?:command|operation): Invalid choice, valid choices are/,
  ];
  for (const p of patterns) {
    const m = p.exec(output);
    if (m && m[1]) return m[1];
  }
  return undefined;
}

function indentedListAfter(output: string, header: RegExp): string[] | undefined {
  const m = header.exec(output);
  if (!m) return undefined;
  const rest = output.slice(m.index + m[0].length).split('\n');
  const items: string[] = [];
  for (const line of rest) {
    if (!line.trim()) {
      if (items.length) break;
      continue;
    }
    const item = clean(line.replace(/^[\s▸]+/, ''));
    if (!item || /\s/.test(item)) break;
    items.push(item);
  }
  return items.length ? items : undefined;
}

export function toolSuggestion(output: string): ToolSuggestion | undefined {
  if (!output) return undefined;
  const typo = rejectedWord(output);
  // Pointed suggestions, in the tool's own order.
  const pointed =
    indentedListAfter(output, /The most similar (?:commands? (?:is|are)|choices? to '[^']*' (?:is|are)):?\s*\n/) ??
    indentedListAfter(output, /Did you mean (?:this|one of these)\?\s*\n/);
  if (pointed) return { typo, candidates: pointed, list: false };
  let m =
    /Did you mean [`'"‘“]([^`'"’”]+)[`'"’”]\s*\?/.exec(output) ??
    /maybe you meant [`'"]([^`'"]+)[`'"]/.exec(output) ??
    /Perhaps you meant [`'"]?([^\s`'"?]+)[`'"]?\?/.exec(output) ??
    /Did you mean (-{0,2}[\w:-]+)\?/.exec(output) ??
    /did you mean [`'"]([^`'"]+)[`'"]/i.exec(output);
  if (m) return { typo, candidates: [clean(m[1])], list: false };
  // Lists of valid words: rank by closeness to the rejected word.
  let list: string[] | undefined;
  if ((m = /could be: ([^\n]+)/.exec(output))) list = m[1].split(/,\s*/).map(clean);
  else if ((m = /valid choices are:\s*\n([\s\S]+?)(?:\n\s*\n|$)/.exec(output))) list = m[1].split(/[\s|]+/).map(clean).filter(Boolean);
  else if ((m = /where <command> is one of:\s*\n([\s\S]+?)(?:\n\s*\n|$)/.exec(output))) list = m[1].split(/[\s,]+/).map(clean).filter(Boolean);
  else if ((m = /^usage: \S+(?: \S+)? \[([\w|-]+)\]/m.exec(output))) list = m[1].split('|');
  if (list && list.length) return { typo, candidates: list, list: true };
  return undefined;
}

/** Candidates ranked for a rejected word: the tool's pointed order, else closeness (like difflib). */
export function rankedCandidates(suggestion: ToolSuggestion, word: string): string[] {
  if (!suggestion.list) return suggestion.candidates;
  return closeMatches(word, suggestion.candidates, 3, 0.1);
}
