// Building blocks of command-line corrections: edit distance with transpositions, the program words of a line,
// what shells say about a missing command, and tools' own suggestion lists.
import { describe, expect, it } from 'vitest';
import { commandWords, replaceSpan } from '../../shared/corrections/commandLine';
import { toolSuggestion } from '../../shared/corrections/didYouMean';
import {
  closestCommands,
  installCommand,
  maxTypoDistance,
  missingCommand,
  packageFor,
} from '../../shared/corrections/executables';
import { damerauLevenshtein } from '../../shared/corrections/similarity';
import { fixture } from '../detect/expectEvents';

describe('Damerau-Levenshtein (optimal string alignment)', () => {
  it.each([
    ['gti', 'git', 1],
    ['git', 'git', 0],
    ['htop', 'top', 1],
    ['ca', 'abc', 3],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
    ['pyhton', 'python', 1],
    ['cowsay', 'chown', 4],
  ])('%s ↔ %s = %i', (a, b, d) => {
    expect(damerauLevenshtein(a, b)).toBe(d);
    expect(damerauLevenshtein(b, a)).toBe(d);
  });

  it('stops early above a bound', () => {
    expect(damerauLevenshtein('zzqxv', 'xev', 1)).toBe(2);
    expect(damerauLevenshtein('abcdefgh', 'a', 2)).toBe(3);
  });

  it('allows fewer edits for shorter words', () => {
    expect([1, 2, 4, 5, 8, 9].map(maxTypoDistance)).toEqual([0, 1, 1, 2, 2, 3]);
  });
});

describe('closest commands', () => {
  const path = ['git', 'go', 'gio', 'tic', 'top', 'free', 'chown', 'xev', 'ls', 'cd', 'cc', 'python', 'python3', 'man'];
  it.each([
    ['gti', 'git'],
    ['got', 'git'],
    ['sl', 'ls'],
    ['cs', 'cd'],
    ['pyhton', 'python'],
  ])('%s → %s first', (typed, want) => expect(closestCommands(typed, path)[0]?.name).toBe(want));

  it.each(['htop', 'cowsay', 'zzqxv'])('%s has no first-letter-changing or far neighbour', (typed) => {
    expect(closestCommands(typed, path)).toEqual([]);
  });
});

describe('program words of a command line', () => {
  const programs = (s: string) => commandWords(s).map((w) => w.value);
  it('finds every simple command, past assignments and wrappers, inside sh -c', () => {
    expect(programs('npm ci && gti status')).toEqual(['npm', 'gti']);
    expect(programs('FOO=1 sudo -u me env X=2 gti log | less; make || true')).toEqual(['gti', 'less', 'make', 'true']);
    expect(programs(`bash -c "gti status && npm test"`)).toEqual(['bash', 'gti', 'npm']);
    expect(programs(`sh -c 'cd x; gti pull'`)).toEqual(['sh', 'cd', 'gti']);
  });

  it('gives spans that replace exactly the word, keeping quotes', () => {
    const line = `bash -c "gti status"`;
    const w = commandWords(line).find((x) => x.value === 'gti')!;
    expect(replaceSpan(line, w.start, w.end, 'git')).toBe(`bash -c "git status"`);
  });
});

describe('what shells say about a missing command', () => {
  it.each([
    ['bash: line 1: gti: command not found', 'gti'],
    ['sh: 1: gti: not found', 'gti'],
    ['zsh: command not found: gti', 'gti'],
    ['fish: Unknown command: gti', 'gti'],
    ["'gti' is not recognized as an internal or external command,", 'gti'],
    [
      "gti : The term 'gti' is not recognized as the name of a cmdlet, function, script file, or operable program.",
      'gti',
    ],
    ["Command 'gti' not found, did you mean:", 'gti'],
    ['sudo: gti: command not found', 'gti'],
  ])('%s', (output, name) => expect(missingCommand(output)?.name).toBe(name));

  it('the script and line when a script called it; never a number or a prompt', () => {
    expect(missingCommand('./build.sh: line 3: gti: command not found')).toMatchObject({
      name: 'gti',
      script: './build.sh',
      line: 3,
    });
    expect(missingCommand('127: command not found')).toBeUndefined();
    expect(missingCommand('$: command not found')).toBeUndefined();
  });

  it("Ubuntu's handler: its install command and what it offers instead", () => {
    const out =
      "Command 'gti' not found, did you mean:\n  command 'git' from deb git (1:2.34.1-1ubuntu1.10)\n  command 'gpi' from deb gpi (1.1.6-1)\nTry: sudo apt install <deb name>\n";
    expect(missingCommand(out)).toMatchObject({
      name: 'gti',
      install: undefined,
      offered: [
        { name: 'git', install: 'sudo apt install git' },
        { name: 'gpi', install: 'sudo apt install gpi' },
      ],
    });
    expect(
      missingCommand("Command 'htop' not found, but can be installed with:\n\nsudo apt install htop\n")?.install,
    ).toBe('sudo apt install htop');
  });

  it('packages per manager', () => {
    expect(packageFor('rg', 'apt-get')).toBe('ripgrep');
    expect(packageFor('fd', 'apt-get')).toBe('fd-find');
    expect(packageFor('fd', 'brew')).toBe('fd');
    expect(packageFor('htop', 'pacman')).toBe('htop');
    expect(packageFor('zzqxv', 'apt-get')).toBeUndefined();
    expect(installCommand('pacman', 'htop')).toBe('pacman -S htop');
  });
});

describe("tools' own suggestions", () => {
  it('npm 11: the program name and `# description` are dropped from list items; "this" is never the answer', () => {
    expect(toolSuggestion(fixture('npm/did-you-mean-instll.txt'), 'npm')).toEqual({
      typo: 'instll',
      candidates: ['install'],
      list: false,
    });
    expect(toolSuggestion(fixture('npm/did-you-mean-stat.txt'), 'npm')?.candidates).toEqual(['star', 'start']);
    expect(toolSuggestion('Unknown command: "x"\n\nDid you mean this?\n', 'npm')?.candidates ?? []).not.toContain(
      'this',
    );
  });

  it('cobra-style lists (name, spaces, description) keep the name', () => {
    expect(
      toolSuggestion('Error: unknown command "evn" for "git-lfs"\n\nDid you mean this?\n        env\n        ext\n')
        ?.candidates,
    ).toEqual(['env', 'ext']);
    expect(
      toolSuggestion(
        'Error: unknown command "crate" for "kubectl"\n\nDid you mean this?\n\tcreate      Create a resource\n',
      )?.candidates,
    ).toEqual(['create']);
  });
});
