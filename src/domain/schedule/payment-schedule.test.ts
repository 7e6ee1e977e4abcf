import { describe, expect, it } from 'vitest';
import { CredenceError } from '../errors.js';
import { parseIsoDate, parseIsoDay } from '../iso-date.js';
import { type ScheduleInput, scheduleFeatures, scoreSchedule } from './payment-schedule.js';

const NAMES = {
  startDate: 'start',
  endDate: 'end',
  dueDay: 'day',
  expectedAmount: 'amount',
  payments: 'payments',
};
const AS_OF = new Date('2024-12-01T12:00:00Z');
const score = (input: Partial<ScheduleInput>, asOf = AS_OF) =>
  scoreSchedule(
    {
      startDate: '2024-01-01',
      endDate: '2024-03-31',
      dueDay: 15,
      expectedAmount: 500,
      payments: [],
      ...input,
    },
    asOf,
    NAMES,
  );

describe('scoreSchedule', () => {
  it('rounds a partial credit as on paper, though the cumulative amount drifts in binary', () => {
    // October: 0.5 × 500.05 paid / 10,001.00 expected = 0.025, which rounds to 0.03.
    const r = score({
      startDate: '2024-01-01',
      endDate: '2024-10-31',
      dueDay: 5,
      expectedAmount: 1000.1,
      payments: [{ date: '2023-12-01', amount: 500.05 }],
    });
    expect(r.months.at(-1)).toMatchObject({ month: '2024-10', score: 0.03 });
  });

  it('scores every month paid in full on the due date as 1 (the reference API example)', () => {
    const r = score({
      payments: [
        { date: '2024-01-15', amount: 500 },
        { date: '2024-02-15', amount: 500 },
        { date: '2024-03-15', amount: 500 },
      ],
    });
    expect(r.overallScore).toBe(1);
    expect(r.longestOnTimeStreak).toBe(3);
    expect(r.longestLateStreak).toBe(0);
    expect(r.balance).toBe(0);
    expect(r.months).toEqual([
      { month: '2024-01', dueDate: '2024-01-15T00:00:00+00:00', status: 'PAID', score: 1, balance: 0 },
      { month: '2024-02', dueDate: '2024-02-15T00:00:00+00:00', status: 'PAID', score: 1, balance: 0 },
      { month: '2024-03', dueDate: '2024-03-15T00:00:00+00:00', status: 'PAID', score: 1, balance: 0 },
    ]);
    expect(r.error).toBeUndefined();
  });

  it('scores dates of the years 0 to 99 as those years (Date.UTC would read them as 19xx)', () => {
    const schedule = (year: string) =>
      score({
        startDate: `${year}-01-01`,
        endDate: `${year}-02-28`,
        payments: [{ date: `${year}-01-15`, amount: 500 }],
      });
    const early = schedule('0050');
    expect(early.months.map((m) => [m.month, m.dueDate, m.status])).toEqual([
      ['0050-01', '0050-01-15T00:00:00+00:00', 'PAID'],
      ['0050-02', '0050-02-15T00:00:00+00:00', 'OVERDUE'],
    ]);
    // Scored as the same months of a recent year are.
    const recent = schedule('2024');
    expect(JSON.stringify(early).replaceAll('0050-', '2024-')).toBe(JSON.stringify(recent));
    // Year 0 is a leap year in the proleptic Gregorian calendar; 1900, which Date.UTC would read, is not.
    expect(parseIsoDate('0000-02-29', 'start')).toBe(Date.parse('0000-02-29T00:00:00Z'));
  });

  it('counts a payment at the last second of the due day as on time', () => {
    const r = score({ endDate: '2024-01-31', payments: [{ date: '2024-01-15T23:59:59Z', amount: 500 }] });
    expect(r.months[0]!.status).toBe('PAID');
  });

  it('judges against the cumulative amount, so prepayment carries forward', () => {
    const r = score({ payments: [{ date: '2024-01-01', amount: 1500 }] });
    expect(r.months.map((m) => m.status)).toEqual(['OVERPAID', 'OVERPAID', 'PAID']);
    expect(r.months.map((m) => m.balance)).toEqual([1000, 500, 0]);
    expect(r.overallScore).toBe(1);
  });

  it('scores a late payment 1 - 0.1 per day late', () => {
    const r = score({ endDate: '2024-01-31', payments: [{ date: '2024-01-18', amount: 500 }] });
    expect(r.months[0]).toMatchObject({ status: 'PAID_LATE', score: 0.7, daysLate: 3, balance: -500 });
  });

  it('counts days late in calendar days, whatever the time of the payment', () => {
    const late = (date: string) =>
      score({ endDate: '2024-01-31', payments: [{ date, amount: 500 }] }).months[0];
    for (const date of [
      '2024-01-16',
      '2024-01-16T00:00:01Z',
      '2024-01-16T09:00:00Z',
      '2024-01-16T23:59:59Z',
    ]) {
      expect(late(date)).toMatchObject({ status: 'PAID_LATE', daysLate: 1, score: 0.9 });
    }
    expect(late('2024-01-17T00:00:00Z')).toMatchObject({ daysLate: 2, score: 0.8 });
  });

  it('treats decimal amounts that add up to the expected amount as paid in full', () => {
    // 600.05 + 400.05 is 1000.0999999999999 in binary floating point.
    const split = score({
      endDate: '2024-01-31',
      expectedAmount: 1000.1,
      payments: [
        { date: '2024-01-02', amount: 600.05 },
        { date: '2024-01-03', amount: 400.05 },
      ],
    });
    expect(split.months[0]).toMatchObject({ status: 'PAID', score: 1, balance: 0 });
    expect(split.overallScore).toBe(1);

    // Six months of two halves each: exactly paid every month, never over.
    const halves = score({
      startDate: '2024-01-01',
      endDate: '2024-06-30',
      expectedAmount: 1000.1,
      payments: Array.from({ length: 6 }, (_, i) => [
        { date: `2024-0${i + 1}-01`, amount: 500.05 },
        { date: `2024-0${i + 1}-02`, amount: 500.05 },
      ]).flat(),
    });
    expect(halves.months.map((m) => m.status)).toEqual(Array(6).fill('PAID'));

    // Covered late by a decimal remainder.
    const late = score({
      endDate: '2024-01-31',
      expectedAmount: 1500.7,
      payments: [
        { date: '2024-01-10', amount: 1000 },
        { date: '2024-01-17', amount: 500.7 },
      ],
    });
    expect(late.months[0]).toMatchObject({ status: 'PAID_LATE', daysLate: 2 });
  });

  it('gives a month paid ten or more days late partial credit for what was paid by the due date', () => {
    const r = score({
      endDate: '2024-01-31',
      payments: [
        { date: '2024-01-10', amount: 200 },
        { date: '2024-01-30', amount: 300 },
      ],
    });
    expect(r.months[0]).toMatchObject({ status: 'PAID_LATE', daysLate: 15, score: 0.2 });
  });

  it('tells a partial payment from no payment at all', () => {
    const r = score({
      payments: [
        { date: '2024-01-15', amount: 500 },
        { date: '2024-02-10', amount: 200 },
      ],
    });
    expect(r.months.map((m) => [m.status, m.score])).toEqual([
      ['PAID', 1],
      ['PAID_PARTIALLY', 0.35], // 700 of 1000 paid: 0.7 * 0.5
      ['OVERDUE', 0.23], // 700 of 1500 paid
    ]);
    expect(r.longestOnTimeStreak).toBe(1);
    expect(r.longestLateStreak).toBe(2);
    expect(r.overallScore).toBe(0.53);
    expect(r.balance).toBe(-800);
  });

  it('scores nothing paid as 0', () => {
    const r = score({});
    expect(r.months.every((m) => m.status === 'OVERDUE' && m.score === 0)).toBe(true);
    expect(r.overallScore).toBe(0);
    expect(r.longestLateStreak).toBe(3);
  });

  it('clamps a due day beyond the end of the month to its last day', () => {
    const r = score({ startDate: '2024-01-01', endDate: '2024-04-30', dueDay: 31 });
    expect(r.months.map((m) => m.dueDate.slice(0, 10))).toEqual([
      '2024-01-31',
      '2024-02-29',
      '2024-03-31',
      '2024-04-30',
    ]);
  });

  it('counts a payment made before the start date as paid ahead', () => {
    const r = score({ startDate: '2024-02-01', payments: [{ date: '2023-12-20', amount: 750 }] });
    expect(r.months.map((m) => [m.status, m.balance])).toEqual([
      ['OVERPAID', 250],
      ['PAID_PARTIALLY', -250],
    ]);
  });

  it('skips a due date before the start date', () => {
    const r = score({ startDate: '2024-01-20' });
    expect(r.months.map((m) => m.month)).toEqual(['2024-02', '2024-03']);
  });

  it('lists future months as UPCOMING and the due day itself as PENDING, without scoring them', () => {
    const r = score(
      { endDate: '2024-03-31', payments: [{ date: '2024-01-10', amount: 500 }] },
      new Date('2024-02-15T10:00:00Z'),
    );
    expect(r.months.map((m) => [m.status, m.score])).toEqual([
      ['PAID', 1],
      ['PENDING', null],
      ['UPCOMING', null],
    ]);
    expect(r.overallScore).toBe(1);
    expect(r.balance).toBe(0);
  });

  it('ends at asOf when no end date is given', () => {
    const r = scoreSchedule(
      { startDate: '2024-01-01', dueDay: 5, expectedAmount: 100, payments: [] },
      new Date('2024-04-10T00:00:00Z'),
      NAMES,
    );
    expect(r.months.map((m) => m.month)).toEqual(['2024-01', '2024-02', '2024-03', '2024-04']);
  });

  it('refuses to score a schedule that starts in the future unless asked to', () => {
    const r = score({ startDate: '2025-01-01', endDate: '2025-06-01' });
    expect(r.error).toBe('START_DATE_IN_FUTURE');
    expect(r.months).toEqual([]);
    const forced = score({ startDate: '2025-01-01', endDate: '2025-03-01', scoreBeforeStartDate: true });
    expect(forced.error).toBe('NO_SCORED_MONTHS');
    expect(forced.months.map((m) => m.status)).toEqual(['UPCOMING', 'UPCOMING']);
  });

  it('reports NO_SCORED_MONTHS when no due date falls in the period', () => {
    const r = score({ startDate: '2024-01-16', endDate: '2024-02-10' });
    expect(r.error).toBe('NO_SCORED_MONTHS');
    expect(r.overallScore).toBe(0);
  });

  it('orders payments by date whatever order they came in', () => {
    const r = score({
      payments: [
        { date: '2024-03-15', amount: 500 },
        { date: '2024-01-15', amount: 500 },
        { date: '2024-02-15', amount: 500 },
      ],
    });
    expect(r.overallScore).toBe(1);
  });

  it('respects time-zone offsets in payment times', () => {
    // 00:30 on the 16th in Nairobi is 21:30 on the 15th in UTC: on time.
    const r = score({
      endDate: '2024-01-31',
      payments: [{ date: '2024-01-16T00:30:00+03:00', amount: 500 }],
    });
    expect(r.months[0]!.status).toBe('PAID');
  });

  it('reads the start and end dates as the days written, whatever their offset', () => {
    // 00:30 on 1 January in Nairobi is still 31 December in UTC: no December instalment.
    const r = score({ startDate: '2024-01-01T00:30:00+03:00', endDate: '2024-03-15T01:00:00+03:00' });
    expect(r.months.map((m) => m.month)).toEqual(['2024-01', '2024-02', '2024-03']);
    // 20:00 on 31 January in New York is 1 February in UTC: January's instalment is still due.
    const west = score({ startDate: '2024-01-15T20:00:00-05:00', endDate: '2024-02-14T20:00:00-05:00' });
    expect(west.months.map((m) => m.month)).toEqual(['2024-01']);
  });

  it.each([
    [{ startDate: '2024-02-30' }, 'start'],
    [{ startDate: '2024-02-30T10:00:00+03:00' }, 'start'],
    [{ startDate: '01/02/2024' }, 'start'],
    [{ endDate: '2023-01-01' }, 'end'],
    [{ dueDay: 0 }, 'day'],
    [{ dueDay: 32 }, 'day'],
    [{ expectedAmount: 0 }, 'amount'],
    [{ payments: [{ date: '2024-01-01', amount: -5 }] }, 'payments[0].amount'],
    [{ payments: [{ date: 'yesterday', amount: 5 }] }, 'payments[0].date'],
  ])('refuses bad input %j naming the field', (input, field) => {
    try {
      score(input as Partial<ScheduleInput>);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(CredenceError);
      expect((err as CredenceError).details.field).toBe(field);
    }
  });

  it('refuses a schedule of more than 100 years, naming a field the caller sent', () => {
    const fieldOf = (input: Partial<ScheduleInput>) => {
      try {
        score(input);
      } catch (e) {
        expect((e as CredenceError).message).toMatch(/at most 1200 months/);
        return (e as CredenceError).details.field;
      }
      throw new Error('accepted');
    };
    expect(fieldOf({ startDate: '1900-01-01', endDate: '2024-01-01' })).toBe('end');
    expect(fieldOf({ startDate: '1900-01-01', endDate: undefined })).toBe('start');
  });
});

describe('parseIsoDate', () => {
  it('reads dates, date-times, offsets and fractions', () => {
    expect(parseIsoDate('2024-01-05', 'f')).toBe(Date.UTC(2024, 0, 5));
    expect(parseIsoDate('2024-01-05T12:00:00Z', 'f')).toBe(Date.UTC(2024, 0, 5, 12));
    expect(parseIsoDate('2024-01-05T12:00:00', 'f')).toBe(Date.UTC(2024, 0, 5, 12));
    expect(parseIsoDate('2024-01-05 12:00', 'f')).toBe(Date.UTC(2024, 0, 5, 12));
    expect(parseIsoDate('2024-01-05T12:00:00+0300', 'f')).toBe(Date.UTC(2024, 0, 5, 9));
    expect(parseIsoDate('2024-01-05T12:00:00.250Z', 'f')).toBe(Date.UTC(2024, 0, 5, 12, 0, 0, 250));
    expect(parseIsoDate('2024-01-05T12:00:00.123456+00:00', 'f')).toBe(Date.UTC(2024, 0, 5, 12, 0, 0, 123));
    expect(parseIsoDate('2024-01-05t12:00:00z', 'f')).toBe(Date.UTC(2024, 0, 5, 12));
  });
  it('cuts fractions of a second to the millisecond, never rounding into the next day', () => {
    expect(parseIsoDate('2024-01-15T23:59:59.9999Z', 'f')).toBe(Date.UTC(2024, 0, 15, 23, 59, 59, 999));
    const r = score({ endDate: '2024-01-31', payments: [{ date: '2024-01-15T23:59:59.9999', amount: 500 }] });
    expect(r.months[0]!.status).toBe('PAID');
  });
});

describe('parseIsoDay', () => {
  it('returns midnight UTC of the day as written', () => {
    expect(parseIsoDay('2024-01-05', 'f')).toBe(Date.UTC(2024, 0, 5));
    expect(parseIsoDay('2024-01-05T00:30:00+03:00', 'f')).toBe(Date.UTC(2024, 0, 5));
    expect(parseIsoDay('2024-01-05T23:30:00-05:00', 'f')).toBe(Date.UTC(2024, 0, 5));
    expect(parseIsoDay(' 0099-12-31T10:00Z ', 'f')).toBe(new Date('0099-12-31T00:00:00Z').getTime());
  });
});

describe('scheduleFeatures', () => {
  it('summarises the judged months for the scorecard', () => {
    const r = score({
      payments: [
        { date: '2024-01-15', amount: 500 },
        { date: '2024-02-10', amount: 200 },
      ],
    });
    expect(scheduleFeatures(r)).toEqual({
      overall_score: 0.53,
      months_scored: 3,
      on_time_share: 0.33,
      longest_on_time_streak: 1,
      longest_late_streak: 2,
      months_unpaid: 2,
      last_status: 'OVERDUE',
      arrears_in_instalments: 1.6,
    });
  });

  it('leaves features missing when no month was judged', () => {
    const f = scheduleFeatures(score({ startDate: '2025-01-01', endDate: '2025-06-01' }));
    expect(f.months_scored).toBe(0);
    expect(f.overall_score).toBeNull();
    expect(f.last_status).toBeNull();
  });
});
