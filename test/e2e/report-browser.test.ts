/**
 * The validation report as people see it: opened in a real headless Chromium, it must render
 * every plot, with the data inside its frame, and log no error. CI installs Chromium and must
 * run this (CI=true makes a missing browser a failure); on a laptop without one it is skipped.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRAIN_DEFAULTS, trainFromFile } from '../../src/services/model-training.js';
import { ROOT } from '../helpers/processes.js';

const CHROMIUM = '/usr/bin/chromium';
const available = fs.existsSync(CHROMIUM);
const inCi = process.env.CI === 'true' || process.env.CI === '1';
if (!available && !inCi) {
  console.warn(
    `Skipping the browser test of the validation report: ${CHROMIUM} is not installed (apt-get install chromium).`,
  );
}

const CHARTS = ['roc-chart', 'ks-chart', 'distribution-chart', 'calibration-chart', 'psi-chart'];

describe.skipIf(!available && !inCi)('the validation report in headless Chromium', () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    if (!available)
      throw new Error(`CI must run the browser test, but ${CHROMIUM} is missing: install chromium`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'credence-report-'));
  });
  afterAll(async () => {
    await browser?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function open(file: string) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`file://${file}`, { waitUntil: 'load' });
    return { page, errors, requests };
  }

  /** Every plot is laid out, has drawn data, and keeps it inside the plot frame. */
  async function expectCharts(page: Awaited<ReturnType<typeof open>>['page']) {
    for (const id of CHARTS) {
      const chart = page.locator(`svg#${id}`);
      await expect(chart.isVisible(), id).resolves.toBe(true);
      const box = await chart.boundingBox();
      expect(box?.width, id).toBeGreaterThan(300);
      expect(box?.height, id).toBeGreaterThan(200);
      const geometry = await chart.evaluate((svg) => {
        // Runs in the page: the DOM's SVG types, spelled out since the project compiles without DOM types.
        type Box = { x: number; y: number; width: number; height: number };
        type Graphic = { getBBox(): Box };
        const el = svg as unknown as {
          querySelector(s: string): Graphic;
          querySelectorAll(s: string): ArrayLike<Graphic>;
        };
        const frame = el.querySelector('rect.axis').getBBox();
        const marks = Array.from(el.querySelectorAll('path.series, rect.bar'), (e) => e.getBBox());
        return {
          frame: { x: frame.x, y: frame.y, w: frame.width, h: frame.height },
          marks: marks.map((b) => [b.x, b.y, b.width, b.height]),
        };
      });
      expect(geometry.marks.length, id).toBeGreaterThan(0);
      for (const [x, y, w, h] of geometry.marks) {
        expect(x!, id).toBeGreaterThanOrEqual(geometry.frame.x - 0.5);
        expect(y!, id).toBeGreaterThanOrEqual(geometry.frame.y - 0.5);
        expect(x! + w!, id).toBeLessThanOrEqual(geometry.frame.x + geometry.frame.w + 0.5);
        expect(y! + h!, id).toBeLessThanOrEqual(geometry.frame.y + geometry.frame.h + 0.5);
      }
      expect(await chart.locator('title').first().textContent(), id).not.toBe('');
    }
  }

  it('renders a freshly trained report: every plot and table, no console error, nothing fetched', async () => {
    const trained = await trainFromFile({
      ...TRAIN_DEFAULTS,
      data: path.join(ROOT, 'data/credit-g.arff'),
      target: 'class',
      badValue: 'bad',
      split: { kind: 'kfold', folds: 5 },
    });
    const file = path.join(dir, 'report.html');
    fs.writeFileSync(file, trained.html);
    const { page, errors, requests } = await open(file);
    expect(await page.title()).toBe(`Validation report: ${trained.model.name}`);
    await expectCharts(page);
    // The ROC curve runs from (0, 0) at the bottom left to (1, 1) at the top right of its frame.
    const roc = await page.locator('svg#roc-chart path.series').first().getAttribute('d');
    const points = [...roc!.matchAll(/[ML]([\d.]+) ([\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(points.length).toBeGreaterThan(50);
    expect(points[0]).toEqual([64, 288]);
    expect(points.at(-1)).toEqual([500, 20]);
    // Tables: ten score bands in gains, calibration and PSI, every candidate in the IV table.
    for (const id of ['gains-table', 'calibration-table', 'psi-table']) {
      expect(await page.locator(`#${id} tbody tr`).count(), id).toBe(10);
    }
    expect(await page.locator('#iv-table tbody tr').count()).toBe(20);
    expect(await page.locator('#folds tbody tr').count()).toBe(5);
    expect(await page.locator('#summary').innerText()).toContain('mean AUC over 5 folds');
    expect(errors).toEqual([]);
    expect(requests).toEqual([`file://${file}`]);
    await page.close();
  });

  it('renders the shipped report of the starter demographic model', async () => {
    const { page, errors, requests } = await open(path.join(ROOT, 'docs/models/demographic-score.html'));
    await expectCharts(page);
    expect(await page.locator('#iv-table').innerText()).toContain('years_at_job');
    expect(errors).toEqual([]);
    expect(requests).toHaveLength(1);
    await page.close();
  });
});
