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

/** Words a "did you mean" sentence may end on that are not the suggestion itself ("Did you mean this?"). */
const NOT_AN_ANSWER = /^(?:this|that|one|these|one of these|any of these|it)$/i;

/**
 * One suggested item as a tool lists it: `npm install # Install a package` → `install` (the program name and
 * the description dropped), `stash list` kept whole.
 */
function listItem(line: string, program: string | undefined): string {
  let item = line
    .replace(/^[\s▸]+/, '')
    .replace(/\s+#\s.*$/, '')
    .replace(/\s{2,}\S.*$/, '')
    .replace(/\s+-\s.*$/, '');
  item = clean(item);
  if (program && item.startsWith(`${program} `)) item = item.slice(program.length + 1).trim();
  return item;
}

function indentedListAfter(output: string, header: RegExp, program: string | undefined): string[] | undefined {
  const m = header.exec(output);
  if (!m) return undefined;
  const rest = output.slice(m.index + m[0].length).split('\n');
  const items: string[] = [];
  for (const line of rest) {
    if (!line.trim()) {
      if (items.length) break;
      continue;
    }
    const item = listItem(line, program);
    // A sentence ends the list ("To see a list of supported npm commands, run:").
    if (!item || NOT_AN_ANSWER.test(item) || item.split(/\s+/).length > 3 || /:$/.test(line.trim())) break;
    items.push(item);
  }
  return items.length ? items : undefined;
}

/** `program`: the program that printed the output; its name is dropped from suggested items (`npm install` → `install`). */
export function toolSuggestion(output: string, program?: string): ToolSuggestion | undefined {
  if (!output) return undefined;
  const typo = rejectedWord(output);
  // Pointed suggestions, in the tool's own order.
  const pointed =
    indentedListAfter(
      output,
      /The most similar (?:commands? (?:is|are)|choices? to '[^']*' (?:is|are)):?\s*\n/,
      program,
    ) ?? indentedListAfter(output, /Did you mean (?:this|one of these)\?\s*\n/, program);
  if (pointed) return { typo, candidates: pointed, list: false };
  let m =
    /Did you mean [`'"‘“]([^`'"’”]+)[`'"’”]\s*\?/.exec(output) ??
    /maybe you meant [`'"]([^`'"]+)[`'"]/.exec(output) ??
    /Perhaps you meant [`'"]?([^\s`'"?]+)[`'"]?\?/.exec(output) ??
    /Did you mean (-{0,2}[\w:-]+)\?/.exec(output) ??
    /did you mean [`'"]([^`'"]+)[`'"]/i.exec(output);
  if (m && !NOT_AN_ANSWER.test(clean(m[1]))) return { typo, candidates: [listItem(m[1], program)], list: false };
  // Lists of valid words: rank by closeness to the rejected word.
  let list: string[] | undefined;
  if ((m = /could be: ([^\n]+)/.exec(output))) list = m[1].split(/,\s*/).map(clean);
  else if ((m = /valid choices are:\s*\n([\s\S]+?)(?:\n\s*\n|$)/.exec(output)))
    list = m[1]
      .split(/[\s|]+/)
      .map(clean)
      .filter(Boolean);
  else if ((m = /where <command> is one of:\s*\n([\s\S]+?)(?:\n\s*\n|$)/.exec(output)))
    list = m[1]
      .split(/[\s,]+/)
      .map(clean)
      .filter(Boolean);
  else if ((m = /^usage: \S+(?: \S+)? \[([\w|-]+)\]/m.exec(output))) list = m[1].split('|');
  if (list && list.length) return { typo, candidates: list, list: true };
  return undefined;
}

/** Candidates ranked for a rejected word: the tool's pointed order, else closeness (like difflib). */
export function rankedCandidates(suggestion: ToolSuggestion, word: string): string[] {
  if (!suggestion.list) return suggestion.candidates;
  return closeMatches(word, suggestion.candidates, 3, 0.1);
}
