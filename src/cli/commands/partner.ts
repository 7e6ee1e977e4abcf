import type { Command } from 'commander';
import type { PackageInfo, PartnerInfo } from '../../services/partner-service.js';
import { withContext } from '../context.js';
import { emit, fail, table } from '../output.js';
import { resolveTenant } from '../tenant-option.js';
import { integerOption } from './files.js';

const partnerWire = (p: PartnerInfo) => ({
  id: p.id,
  partner_code: p.code,
  tenant_id: p.tenantId,
  client_id: p.clientId,
  key_start: p.keyStart,
  countries: p.countries,
  balance: p.balance,
  disabled: p.disabled,
  created_at: p.createdAt,
  key_created_at: p.keyCreatedAt,
});

const packageWire = (p: PackageInfo) => ({
  package: p.package,
  price: p.price,
  status: p.status,
  starts_at: p.startsAt,
  expires_at: p.expiresAt,
  created_at: p.createdAt,
  updated_at: p.updatedAt,
});

const list = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

type Json = { json?: boolean };

const showKey = (what: string, p: PartnerInfo & { key: string }) =>
  [
    `${what} partner ${p.code} (${p.id}), countries ${p.countries.join(',')}`,
    '',
    `  partner_code=${p.code}`,
    `  partner_key=${p.key}`,
    '',
    'This is the only time the key is shown. Store it now.',
  ].join('\n');

export function registerPartnerCommands(program: Command): void {
  const partner = program
    .command('partner')
    .description('manage partner accounts of the TD credit-indicator API: keys, packages, balance, usage');

  partner
    .command('create')
    .description('create a partner account; its partner_key is printed once and stored only as a hash')
    .option('--tenant <tenant>', 'tenant name or id (default: the only tenant)')
    .option(
      '--countries <list>',
      'comma-separated countries it is served in (default: all: MX,IN,TH,CO,PH,VN,NG,PK)',
      list,
    )
    .option(
      '--code <code>',
      'the partner_code to use (default: generated), e.g. the one an integration already has',
    )
    .option('--client <name>', 'the client (application) the partner calls for', 'default')
    .option('--json', 'print the partner as one JSON object, with "partner_code" and "partner_key"')
    .action(async (opts: { tenant?: string; countries?: string[]; code?: string; client: string } & Json) => {
      try {
        const p = await withContext(async (ctx) =>
          ctx.partners.create({
            tenant: (await resolveTenant(ctx, opts.tenant)).id,
            countries: opts.countries,
            code: opts.code,
            client: opts.client,
          }),
        );
        emit(opts, { ...partnerWire(p), partner_key: p.key }, () => showKey('created', p));
      } catch (err) {
        fail(opts, err);
      }
    });

  partner
    .command('list')
    .description("list a tenant's partners (never their keys)")
    .option('--tenant <tenant>', 'tenant name or id (default: the only tenant)')
    .option('--json', 'print {"partners": [...]}')
    .action(async (opts: { tenant?: string } & Json) => {
      try {
        const partners = (
          await withContext(async (ctx) => ctx.partners.list((await resolveTenant(ctx, opts.tenant)).id))
        ).map(partnerWire);
        emit(opts, { partners }, () =>
          table(partners, ['partner_code', 'key_start', 'countries', 'balance', 'disabled', 'created_at']),
        );
      } catch (err) {
        fail(opts, err);
      }
    });

  partner
    .command('rotate-key')
    .description('issue a new partner_key (printed once); the old one stops working within a second')
    .requiredOption('--partner <code>', 'partner_code')
    .option('--json', 'print the partner as one JSON object, with the new "partner_key"')
    .action(async (opts: { partner: string } & Json) => {
      try {
        const p = await withContext((ctx) => ctx.partners.rotateKey(opts.partner));
        emit(opts, { ...partnerWire(p), partner_key: p.key }, () => showKey('new key for', p));
      } catch (err) {
        fail(opts, err);
      }
    });

  for (const [name, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    partner
      .command(name)
      .description(
        `${name} a partner: ${disabled ? 'its calls are refused within a second' : 'its calls work again'}`,
      )
      .requiredOption('--partner <code>', 'partner_code')
      .option('--json', 'print the partner as one JSON object')
      .action(async (opts: { partner: string } & Json) => {
        try {
          const p = await withContext((ctx) => ctx.partners.setDisabled(opts.partner, disabled));
          emit(opts, partnerWire(p), () => `${name}d partner ${p.code}`);
        } catch (err) {
          fail(opts, err);
        }
      });
  }

  partner
    .command('countries')
    .description('set the countries a partner is served in')
    .requiredOption('--partner <code>', 'partner_code')
    .requiredOption('--countries <list>', 'comma-separated, e.g. MX,IN,PH', list)
    .option('--json', 'print the partner as one JSON object')
    .action(async (opts: { partner: string; countries: string[] } & Json) => {
      try {
        const p = await withContext((ctx) => ctx.partners.setCountries(opts.partner, opts.countries));
        emit(opts, partnerWire(p), () => `partner ${p.code} is served in ${p.countries.join(',')}`);
      } catch (err) {
        fail(opts, err);
      }
    });

  const pkg = partner.command('package').description("a partner's packages");

  pkg
    .command('add')
    .description(
      'buy a package for a partner; again: renew it, keeping the price, dates and status not restated',
    )
    .requiredOption('--partner <code>', 'partner_code')
    .requiredOption(
      '--package <name>',
      'credit_rating_estimation | multiplatform_multi | behavior_analysis_of_repayment | multiplatform_multi_V1_1',
    )
    .option(
      '--price <amount>',
      'price of one successful call, up to 4 decimals (default 0, or the current price)',
    )
    .option(
      '--starts <date>',
      'works from this date (YYYY-MM-DD, 00:00 UTC) or ISO date-time; none: no start date',
    )
    .option(
      '--expires <date>',
      'works through this date (YYYY-MM-DD, to the end of the day UTC) or until an ISO date-time; none: no expiry',
    )
    .option('--json', 'print the package as one JSON object')
    .action(
      async (
        opts: { partner: string; package: string; price?: string; starts?: string; expires?: string } & Json,
      ) => {
        try {
          const p = await withContext((ctx) => ctx.partners.addPackage(opts));
          emit(opts, packageWire(p), () => `partner ${opts.partner} has ${p.package} at ${p.price} a call`);
        } catch (err) {
          fail(opts, err);
        }
      },
    );

  for (const [name, status] of [
    ['suspend', 'suspended'],
    ['resume', 'active'],
  ] as const) {
    pkg
      .command(name)
      .description(`${name} a partner's package${status === 'suspended' ? ' (its calls get code 302)' : ''}`)
      .requiredOption('--partner <code>', 'partner_code')
      .requiredOption('--package <name>', 'package name')
      .option('--json', 'print the package as one JSON object')
      .action(async (opts: { partner: string; package: string } & Json) => {
        try {
          const p = await withContext((ctx) =>
            ctx.partners.setPackageStatus(opts.partner, opts.package, status),
          );
          emit(opts, packageWire(p), () => `${p.package} of partner ${opts.partner} is ${p.status}`);
        } catch (err) {
          fail(opts, err);
        }
      });
  }

  pkg
    .command('list')
    .description("list a partner's packages")
    .requiredOption('--partner <code>', 'partner_code')
    .option('--json', 'print {"packages": [...]}')
    .action(async (opts: { partner: string } & Json) => {
      try {
        const packages = (await withContext((ctx) => ctx.partners.packages(opts.partner))).map(packageWire);
        emit(opts, { packages }, () =>
          table(packages, ['package', 'price', 'status', 'starts_at', 'expires_at']),
        );
      } catch (err) {
        fail(opts, err);
      }
    });

  partner
    .command('topup')
    .description("add to a partner's prepaid balance")
    .requiredOption('--partner <code>', 'partner_code')
    .requiredOption('--amount <amount>', 'amount to add, up to 4 decimals')
    .option('--json', 'print {"partner_code", "amount", "balance"}')
    .action(async (opts: { partner: string; amount: string } & Json) => {
      try {
        const r = await withContext((ctx) => ctx.partners.topUp(opts.partner, opts.amount));
        emit(opts, { partner_code: opts.partner, ...r }, () => `added ${r.amount}; balance ${r.balance}`);
      } catch (err) {
        fail(opts, err);
      }
    });

  partner
    .command('usage')
    .description("a partner's balance, packages, call totals, latest calls and ledger")
    .requiredOption('--partner <code>', 'partner_code')
    .option('--limit <n>', 'how many calls and ledger entries to show (1-1000)', '50')
    .option('--json', 'print the usage as one JSON object')
    .action(async (opts: { partner: string; limit: string } & Json) => {
      try {
        const limit = integerOption(opts.limit, '--limit', 1, 1000);
        const u = await withContext((ctx) => ctx.partners.usage(opts.partner, limit));
        const calls = u.calls.map((c) => ({
          sequence_id: c.sequenceId,
          package: c.package,
          country: c.country,
          code: c.code,
          message: c.message,
          charged: c.charged,
          created_at: c.createdAt,
        }));
        const ledger = u.ledger.map((l) => ({
          id: l.id,
          kind: l.kind,
          amount: l.amount,
          balance_after: l.balanceAfter,
          sequence_id: l.sequenceId,
          actor: l.actor,
          created_at: l.createdAt,
        }));
        emit(
          opts,
          {
            partner: partnerWire(u.partner),
            balance: u.partner.balance,
            packages: u.packages.map(packageWire),
            totals: u.totals,
            calls,
            ledger,
          },
          () =>
            [
              `partner ${u.partner.code}: balance ${u.partner.balance}; ${u.totals.calls} calls, ${u.totals.succeeded} succeeded, ${u.totals.charged} charged`,
              '',
              table(u.packages.map(packageWire), ['package', 'price', 'status', 'starts_at', 'expires_at']),
              '',
              table(calls, ['created_at', 'sequence_id', 'package', 'country', 'code', 'charged']),
              '',
              table(ledger, ['created_at', 'kind', 'amount', 'balance_after', 'sequence_id']),
            ].join('\n'),
        );
      } catch (err) {
        fail(opts, err);
      }
    });
}
