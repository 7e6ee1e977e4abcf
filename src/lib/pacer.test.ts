import { describe, expect, it } from 'vitest';
import { Pacer } from './pacer.js';

describe('Pacer', () => {
  it('lets a timer run between slices of a long loop', async () => {
    const pacer = new Pacer(5);
    let fired = false;
    let firedAt = -1;
    setTimeout(() => {
      fired = true;
    }, 0);
    const until = performance.now() + 60;
    let i = 0;
    while (performance.now() < until) {
      i++;
      if (fired && firedAt < 0) firedAt = i;
      await pacer.pause();
    }
    // The timer ran while the loop was still going, not after it.
    expect(firedAt).toBeGreaterThan(0);
  });

  it('does not yield before its slice has run', async () => {
    const pacer = new Pacer(60_000);
    expect(pacer.due()).toBe(false);
    let other = false;
    setImmediate(() => {
      other = true;
    });
    await pacer.pause();
    expect(other).toBe(false);
  });

  it('starts a new slice after yielding', async () => {
    const pacer = new Pacer(0);
    expect(pacer.due()).toBe(true);
    await pacer.yield();
    const p = new Pacer(60_000);
    await p.yield();
    expect(p.due()).toBe(false);
  });
});
