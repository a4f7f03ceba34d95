import type { Command } from 'commander';
import { loadConfig, saveConfig } from '../../../shared/config';
import {
  CONSENT_DESCRIPTIONS,
  ConsentError,
  consentLevels,
  parseConsentLevel,
  parseContact,
  type ConsentLevel,
  type Contact,
} from '../../../shared/report/consent';
import { fileReport, flushQueue, keepPreview, reportToSend } from '../../../shared/report/outbox';
import { buildReport } from '../../../shared/report/report';
import { lastFailure } from '../../../shared/report/lastFailure';
import { Deadline, INTERACTIVE_BUDGET_MS, PermanentError } from '../../../shared/report/retry';
import { httpSink } from '../../../shared/report/sink';
import { remoteReportSink } from '../../../shared/remote/reportSink';
import { interactive } from '../applyFlow';
import type { CliEnv } from '../main';
import { CliError, ExitCode } from '../output';
import { VERSION } from '../version';

interface ReportOptions {
  preview?: boolean;
  consent?: string;
  contact?: string;
  endpoint?: string;
  yes?: boolean;
}

export function register(program: Command, env: CliEnv): void {
  program
    .command('report')
    .description(
      'file a diagnostic report about the last failure Heal could not heal — only with your consent, scrubbed, and you see the exact bytes first',
    )
    .option('--preview', 'print exactly what would be sent, and send nothing')
    .option('--consent <level>', `what may be sent: ${consentLevels.join(' | ')} (default: heal config consentLevel)`)
    .option('--contact <contact>', 'how to reach you about it: an e-mail address, @github-handle, or none')
    .option('--endpoint <url>', 'where to send it (default: heal config report.endpoint, or $HEAL_REPORT_URL)')
    .option('-y, --yes', 'do not ask before sending')
    .action(async (options: ReportOptions) => {
      const out = env.output();
      const config = await loadConfig().catch((e: Error) => {
        throw new CliError(`heal report: ${e.message}`);
      });
      const store = env.store();
      const input = lastFailure(await store.read());
      if (!input)
        throw new CliError(
          'heal report: no failure recorded yet; run your command with heal run first.',
          ExitCode.findings,
        );
      let consent: ConsentLevel | undefined;
      let contact: Contact;
      try {
        consent = options.consent ? parseConsentLevel(options.consent) : config.consentLevel;
        contact =
          options.contact !== undefined
            ? parseContact(options.contact)
            : config['contact.kind'] && config['contact.kind'] !== 'none'
              ? parseContact(config['contact.value'] ?? '')
              : { kind: 'none' };
      } catch (e) {
        if (e instanceof ConsentError) throw new CliError(`heal report: ${e.message}`);
        throw e;
      }
      if (!consent && interactive() && !out.json) {
        const { select, confirm } = await import('@inquirer/prompts');
        consent = await select<ConsentLevel>({
          message: 'What may this report contain? (all of it scrubbed of personal data and secrets)',
          choices: consentLevels.map((l) => ({ value: l, name: `${l}: ${CONSENT_DESCRIPTIONS[l]}` })),
        });
        if (
          await confirm({
            message: `Remember "${consent}" for later reports? (change it any time: heal config set consentLevel …)`,
            default: true,
          })
        ) {
          await saveConfig({ ...(await loadConfig()), consentLevel: consent });
          out.line(
            out.dim(
              `heal report: consent level ${consent} remembered; change it with heal config set consentLevel minimal|standard|full.`,
            ),
          );
        }
      }
      if (!consent)
        throw new CliError(
          'heal report: nothing sent — choose what a report may contain with --consent minimal|standard|full (or heal config set consentLevel standard).',
        );
      // What was previewed for the same failure, level and contact is sent byte for byte (same id and time).
      const { report, body } = reportToSend(
        await store.read(),
        buildReport({ ...input, heal: VERSION }, consent, contact),
      );
      if (options.preview) {
        await store.update((data) => keepPreview(data, report, body));
        process.stdout.write(`${body}\n`);
        return;
      }
      const endpoint = options.endpoint ?? config['report.endpoint'] ?? process.env.HEAL_REPORT_URL;
      const shared = endpoint ? undefined : await env.shared.get();
      if (!endpoint && !shared)
        throw new CliError(
          'heal report: no report endpoint configured; set one with heal config set report.endpoint https://…, --endpoint, or configure a shared memory (nothing was sent).',
        );
      let sink;
      try {
        sink = endpoint ? httpSink(endpoint) : remoteReportSink(shared!.remote);
      } catch (e) {
        throw new CliError(`heal report: ${(e as Error).message}`);
      }
      if (!options.yes && interactive() && !out.json) {
        process.stderr.write(`${body}\n`);
        const { confirm } = await import('@inquirer/prompts');
        if (
          !(await confirm({
            message: `Send these ${Buffer.byteLength(body)} bytes to ${sink.describe}?`,
            default: false,
          }))
        ) {
          out.line('heal report: not sent.');
          return;
        }
      }
      // One interactive budget for the network: this report first (retried within it), then, with what is left,
      // the reports queued earlier (the next run sends the rest).
      const deadline = new Deadline(INTERACTIVE_BUDGET_MS);
      let result: 'sent' | 'queued';
      try {
        result = await fileReport(store, sink, report, { budgetMs: deadline.leftMs }, body);
      } catch (e) {
        if (e instanceof PermanentError)
          throw new CliError(`heal report: ${e.message}; the report was not kept.`, ExitCode.refused);
        throw e;
      }
      const flushed =
        result === 'sent'
          ? await flushQueue(store, sink, { deadline }).catch(() => ({ sent: 0, left: 0 }))
          : { sent: 0, left: 0 };
      if (out.json)
        out.printJson({ id: report.id, result, bytes: Buffer.byteLength(body), consent, flushed: flushed.sent });
      else
        out.line(
          result === 'sent'
            ? out.green(
                `heal report: sent ${report.id} to ${sink.describe}${flushed.sent ? ` (and ${flushed.sent} queued earlier)` : ''}; Heal will tell you when it is resolved.`,
              )
            : out.yellow(
                `heal report: ${sink.describe} is unreachable; the report is queued and is sent the next time Heal runs.`,
              ),
        );
    });
}
