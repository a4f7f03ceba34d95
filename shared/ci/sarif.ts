// SARIF 2.1.0 log of detected failures, for code-scanning uploads.
import type { Log, Result } from 'sarif';
import type { ErrorEvent } from '../detect/detector';

export function sarifLog(events: ErrorEvent[], version: string, suggestions = new Map<string, string>()): Log {
  const rules = new Map<string, { id: string; shortDescription: { text: string } }>();
  const results: Result[] = events.map((e) => {
    const ruleId = `${e.tool}/${e.category}`;
    if (!rules.has(ruleId)) rules.set(ruleId, { id: ruleId, shortDescription: { text: `${e.tool}: ${e.category}` } });
    const fix = suggestions.get(e.fingerprint);
    return {
      ruleId,
      level: e.severity === 'error' ? 'error' : e.severity === 'warning' ? 'warning' : 'note',
      message: { text: fix ? `${e.message}\nSuggested fix: ${fix}` : e.message },
      ...(e.file ? { locations: [{ physicalLocation: { artifactLocation: { uri: e.file.replace(/\\/g, '/') }, ...(e.line ? { region: { startLine: e.line, ...(e.column ? { startColumn: e.column } : {}) } } : {}) } }] } : {}),
      partialFingerprints: { healFingerprint: e.fingerprint, healCoarseFingerprint: e.coarseFingerprint },
    };
  });
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [{ tool: { driver: { name: 'heal', version, informationUri: 'https://github.com/heal-dev/heal', rules: [...rules.values()] } }, results }],
  };
}
