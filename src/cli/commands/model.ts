import type { Command } from 'commander';
import { modelWire, performanceWire } from '../../api/native/schemas.js';
import { invalidInput } from '../../domain/errors.js';
import { findModelProblems } from '../../domain/scoring/validate-model.js';
import type { ModelPerformance } from '../../services/model-performance.js';
import type { ModelRole } from '../../services/model-registry.js';
import { withContext } from '../context.js';
import { emit, fail, table } from '../output.js';
import { cliPrincipal, resolveTenant } from '../tenant-option.js';
import { integerOption, readJson } from './files.js';

export function registerModelCommands(program: Command): void {
  const model = program
    .command('model')
    .description('validate, import, list, activate and deactivate scorecard models');

  model
    .command('validate')
    .description('check a model file against the model format (docs/model-format.md)')
    .argument('<file>', 'model JSON file')
    .option('--json', 'print {"valid": bool, "errors": [...]}')
    .action((file: string, opts: { json?: boolean }) => {
      try {
        const problems = findModelProblems(readJson(file));
        const valid = problems.length === 0;
        emit(opts, { valid, file, errors: problems }, () =>
          valid
            ? `${file}: valid`
            : [`${file}: invalid`, ...problems.map((p) => `  ${p.path || '(model)'}: ${p.message}`)].join(
                '\n',
              ),
        );
        if (!valid) process.exitCode = 1;
      } catch (err) {
        fail(opts, err);
      }
    });

  model
    .command('import')
    .description("store a model file as the next version for a tenant's service")
    .argument('<file>', 'model JSON file')
    .option('--tenant <tenant>', 'tenant name or id (default: the only tenant)')
    .option('--service <service>', 'the service the model must be for (checked against the file)')
    .option('--activate', 'make it the champion for its service')
    .option('--challenger', 'make it the challenger for its service')
    .option('--json', 'print the stored model as one JSON object')
    .action(
      async (
        file: string,
        opts: { tenant?: string; service?: string; activate?: boolean; challenger?: boolean; json?: boolean },
      ) => {
        try {
          if (opts.activate && opts.challenger)
            throw invalidInput(
              'challenger',
              'a model is either the champion (--activate) or the challenger, not both',
            );
          const doc = readJson(file);
          const result = await withContext(async (ctx) => {
            const tenant = await resolveTenant(ctx, opts.tenant);
            return ctx.models.add(tenant.id, doc, {
              source: 'import',
              service: opts.service,
              actor: 'cli',
              activate: opts.activate ? 'champion' : opts.challenger ? 'challenger' : undefined,
            });
          });
          emit(
            opts,
            { ...modelWire(result.model), created: result.created },
            () =>
              `${result.created ? 'imported' : 'already stored:'} ${result.model.service} v${result.model.version} (${result.model.id})${
                result.model.roles.length ? ` [${result.model.roles.join(', ')}]` : ''
              }`,
          );
        } catch (err) {
          fail(opts, err);
        }
      },
    );

  model
    .command('list')
    .description('list the models a tenant can use')
    .option('--tenant <tenant>', 'tenant name or id (default: the only tenant)')
    .option('--service <service>', 'only this service')
    .option('--json', 'print {"models": [...]}')
    .action(async (opts: { tenant?: string; service?: string; json?: boolean }) => {
      try {
        const models = await withContext(async (ctx) => {
          const tenant = await resolveTenant(ctx, opts.tenant);
          return (await ctx.models.list(tenant.id, opts.service)).map(modelWire);
        });
        emit(opts, { models }, () =>
          table(
            models.map((m) => ({ ...m, owner: m.tenant_id ?? 'starter' })),
            ['id', 'service', 'version', 'owner', 'source', 'roles', 'name'],
          ),
        );
      } catch (err) {
        fail(opts, err);
      }
    });

  model
    .command('activate')
    .description("make a model the tenant's champion (or challenger) for its service")
    .argument('<id>', 'model id (mdl_...)')
    .option('--tenant <tenant>', 'tenant name or id (default: the only tenant)')
    .option('--role <role>', 'champion or challenger', 'champion')
    .option('--json', 'print the model as one JSON object')
    .action(async (id: string, opts: { tenant?: string; role: string; json?: boolean }) => {
      try {
        if (opts.role !== 'champion' && opts.role !== 'challenger') {
          throw invalidInput('role', '--role must be champion or challenger');
        }
        const m = await withContext(async (ctx) => {
          const tenant = await resolveTenant(ctx, opts.tenant);
          return ctx.models.activate(tenant.id, id, opts.role as ModelRole, 'cli');
        });
        emit(opts, modelWire(m), () => `${m.service} v${m.version} (${m.id}) is now ${opts.role}`);
      } catch (err) {
        fail(opts, err);
      }
    });

  model
    .command('deactivate')
    .description(
      "end a model's challenge: it stops scoring in shadow (the champion is replaced with activate)",
    )
    .argument('<id>', 'model id (mdl_...)')
    .option('--tenant <tenant>', 'tenant name or id (default: the only tenant)')
    .option('--json', 'print the model as one JSON object')
    .action(async (id: string, opts: { tenant?: string; json?: boolean }) => {
      try {
        const m = await withContext(async (ctx) => {
          const tenant = await resolveTenant(ctx, opts.tenant);
          return ctx.models.deactivate(tenant.id, id, 'cli');
        });
        emit(
          opts,
          modelWire(m),
          () => `${m.service} v${m.version} (${m.id}) is neither champion nor challenger`,
        );
      } catch (err) {
        fail(opts, err);
      }
    });

  model
    .command('performance')
    .description(
      "how a model's live scores turned out: AUC, Gini, KS and bad rate by score band from recorded outcomes, and PSI of recent scores against training",
    )
    .argument('<id>', 'model id (mdl_...)')
    .option('--tenant <tenant>', 'tenant name or id (default: the only tenant)')
    .option('--window-days <days>', 'outcomes count when observed within this many days after the run', '365')
    .option('--recent-days <days>', 'the live scores compared with training for stability', '30')
    .option('--from <date>', 'runs from this date (ISO 8601)')
    .option('--to <date>', 'runs before this date (default: now)')
    .option('--json', 'print the report as one JSON object')
    .action(
      async (
        id: string,
        opts: {
          tenant?: string;
          windowDays: string;
          recentDays: string;
          from?: string;
          to?: string;
          json?: boolean;
        },
      ) => {
        try {
          const windowDays = integerOption(opts.windowDays, '--window-days', 1, 3650);
          const recentDays = integerOption(opts.recentDays, '--recent-days', 1, 3650);
          const p = await withContext(async (ctx) => {
            const tenant = await resolveTenant(ctx, opts.tenant);
            const who = cliPrincipal(tenant);
            return ctx.performance.of(who, id, { windowDays, recentDays, from: opts.from, to: opts.to });
          });
          emit(opts, performanceWire(p), () => describePerformance(p));
        } catch (err) {
          fail(opts, err);
        }
      },
    );
}

function describePerformance(p: ModelPerformance): string {
  const f3 = (x: number) => x.toFixed(3);
  const d = p.discrimination;
  const psi = p.stability.psi;
  return [
    `${p.model.service} v${p.model.version} (${p.model.id}): ${p.runs.champion} runs as champion, ${p.runs.challenger} in shadow as challenger`,
    `${p.subjects} subjects: ${p.bads} bad, ${p.goods} good, ${p.unlabelled} without an outcome in ${p.definition.windowDays} days`,
    d
      ? `AUC ${f3(d.auc)}, Gini ${f3(d.gini)}, KS ${f3(d.ks)}`
      : 'AUC, Gini, KS: not yet (needs both goods and bads)',
    table(
      p.bands.map((b) => ({
        band:
          b.min === undefined ? `< ${b.max}` : b.max === undefined ? `>= ${b.min}` : `[${b.min}, ${b.max})`,
        rows: b.rows,
        bads: b.bads,
        bad_rate: b.badRate === null ? '-' : `${(b.badRate * 100).toFixed(1)} %`,
      })),
      ['band', 'rows', 'bads', 'bad_rate'],
    ),
    psi
      ? `PSI of the last ${p.stability.recentDays} days (${p.stability.scores} scores) against training: ${f3(psi.total)} (${psi.verdict})`
      : `PSI: ${p.stability.note}`,
    `bad: ${p.definition.bad}`,
  ].join('\n');
}
