import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateParser, type LabelledSms } from './evaluate.js';
import { compileTemplates, parseSms } from './parse.js';

const corpus: LabelledSms[] = fs
  .readFileSync(path.resolve(import.meta.dirname, '../../../../test/fixtures/sms-corpus.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as LabelledSms);

describe('parseSms', () => {
  it('reads an M-Pesa receipt', () => {
    expect(
      parseSms(
        'QGH7XK2LPA Confirmed. You have received Ksh1,500.00 from JOHN KAMAU 0712345678 on 3/6/24 at 4:15 PM. New M-PESA balance is Ksh2,340.50.',
      ),
    ).toEqual({
      category: 'transaction',
      country: 'KE',
      template: 'KE.mpesa_received',
      type: 'credit',
      amount: 1500,
      currency: 'KES',
      balance: 2340.5,
      channel: 'mpesa',
      merchant: 'JOHN KAMAU 0712345678',
      reference: 'QGH7XK2LPA',
      accountType: 'ewallet',
    });
  });

  it('reads Indian lakh grouping and the UPI reference', () => {
    const p = parseSms(
      'Rs.1,25,000.50 debited from a/c **4321 on 01-02-25 to VPA shop@upi(UPI Ref No 123456789012). Not you? Call 1800',
    );
    expect(p).toMatchObject({ type: 'debit', amount: 125000.5, account: '4321', reference: '123456789012' });
  });

  it('does not take an OTP that names an amount for a transaction', () => {
    expect(parseSms('483920 is your OTP for transaction of Rs.2,500 at AMAZON. Do not share.')).toEqual({
      category: 'otp',
    });
  });

  it('knows an OTP written in Spanish', () => {
    for (const body of [
      'BBVA: Tu código de verificación es 482913. No lo compartas con nadie.',
      'Bancolombia: Su clave dinámica es 739201. Vence en 60 segundos.',
      'Banorte: Codigo de seguridad 118273 para tu compra de $1,250.00 MXN. No lo compartas.',
    ])
      expect(parseSms(body), body).toEqual({ category: 'otp' });
  });

  it('tells an overdue notice, with its days past due, from a payment', () => {
    expect(
      parseSms('Your EMI of Rs.4,200 for loan AB12CD34EF is overdue by 12 days. Please pay now. - KreditBee'),
    ).toMatchObject({ category: 'overdue', amount: 4200, dpd: 12, merchant: 'KreditBee' });
  });

  it('reads an overdrawn balance as negative, written with a minus or followed by DR', () => {
    const gtb = (balance: string) =>
      parseSms(
        `Acct: 012****345\nAmt: NGN12,000.00 DR\nDesc: POS SHOPRITE\nAvail Bal: ${balance}\nDate: 2025-06-17 10:00:00 AM`,
      );
    expect(gtb('NGN2,150.00 DR')).toMatchObject({ type: 'debit', amount: 12000, balance: -2150 });
    expect(gtb('NGN-2,150.00')).toMatchObject({ type: 'debit', amount: 12000, balance: -2150 });
    expect(gtb('NGN2,150.00 CR')).toMatchObject({ balance: 2150 });
    expect(
      parseSms(
        'Rs 60,000.00 credited to your A/c XX1234 on 30-06-25 towards SALARY from WIPRO LIMITED. Avl Bal Rs -5,000.00',
      ),
    ).toMatchObject({ category: 'salary', amount: 60000, balance: -5000 });
    expect(
      parseSms(
        'Your A/c XX1234 has been credited with Rs.5,000.00 on 15-06-25 by IMPS from RAVI KUMAR. Ref no 512345678901. Avl Bal Rs.12,000.00 Dr',
      ),
    ).toMatchObject({ amount: 5000, balance: -12000 });
  });

  it('takes no lender from a date, and no merchant cut at a dot inside its name', () => {
    const overdue = parseSms(
      'Your EMI of Rs.4,200 for loan AB12CD34EF is overdue by 12 days. Due date was 05-06-2025. Pay immediately',
    );
    expect(overdue).toMatchObject({ category: 'overdue', dpd: 12 });
    expect(overdue.merchant).toBeUndefined();
    expect(
      parseSms('Your EMI of Rs.4,200 for loan AB12CD34EF is overdue by 12 days. Pay now. - HDFC Bank')
        .merchant,
    ).toBe('HDFC Bank');
    expect(
      parseSms(
        'Your A/c XX1234 has been credited with Rs.45,000.00 on 01-07-25 by NEFT from A.B. TRADERS. Ref no. N18225. Avl Bal Rs.52,000.00',
      ),
    ).toMatchObject({ merchant: 'A.B. TRADERS', reference: 'N18225', balance: 52000 });
  });

  it('labels a salary credit', () => {
    expect(
      parseSms(
        'Rs 55,000.00 credited to your A/c XX1234 on 01-06-25 towards SALARY from WIPRO LIMITED. Avl Bal Rs 61,000',
      ),
    ).toMatchObject({ category: 'salary', type: 'credit', amount: 55000, balance: 61000 });
  });

  it("keeps a GCash transfer's note out of the sender's name", () => {
    expect(
      parseSms(
        'You have received PHP 5,000.00 of GCash from MA*K AN*****O 09181234567 w/ MSG: bayad sa utang. Your new balance is PHP 5,500.00. Ref. No. 9012345678909.',
      ),
    ).toMatchObject({
      category: 'transaction',
      merchant: 'MA*K AN*****O 09181234567',
      amount: 5000,
      balance: 5500,
    });
  });

  it('reads a new bank from a new table row, with no code change', () => {
    const templates = compileTemplates([
      {
        country: 'IN',
        currency: 'INR',
        templates: [
          {
            name: 'kotak_upi_sent',
            keywords: ['sent', 'kotak'],
            pattern: /^Sent Rs\.(?<amount>[\d,.]+) from Kotak Bank AC X(?<account>\d{4}) to (?<merchant>\S+)/,
            category: 'transaction',
            type: 'debit',
            accountType: 'bank',
            channel: 'upi',
          },
        ],
      },
    ]);
    expect(parseSms('Sent Rs.250.00 from Kotak Bank AC X1234 to a@b on 01-01-25', templates)).toMatchObject({
      type: 'debit',
      amount: 250,
      account: '1234',
      template: 'IN.kotak_upi_sent',
    });
  });

  it('holds precision and recall on the labelled corpus', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(300);
    const { fields } = evaluateParser(corpus, (b) => parseSms(b));
    for (const f of ['type', 'amount'] as const) {
      expect(fields[f].precision, f).toBeGreaterThanOrEqual(0.95);
      expect(fields[f].recall, f).toBeGreaterThanOrEqual(0.9);
    }
    expect(fields.category.precision).toBeGreaterThanOrEqual(0.9);
  });
});
