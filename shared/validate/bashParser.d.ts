// The parser ships no type declarations; Heal walks its AST as plain data.
declare module '@ericcornelissen/bash-parser' {
  export default function parse(source: string, options?: { mode?: 'bash' | 'posix' }): unknown;
}
