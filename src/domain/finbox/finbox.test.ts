import { describe, expect, it } from 'vitest';
import { finboxSalt, saltMatches } from './salt.js';
import { finboxTimestamp } from './timestamp.js';

describe('DeviceConnect salt', () => {
  const customer = '82169C6312B50CA8233482169F9F288F812B5C02114A6A74E9A62';
  const serverHash = '5f8cd80c69a34b9785dc66298eabe95b';

  it('matches the published test vector', () => {
    expect(finboxSalt(customer, serverHash)).toBe('Ki4WO2bbzYOL1tEi4XA46Q8rpcC2yilTZMhOGXRsqOQ=');
  });

  it('accepts the right salt and refuses any other', () => {
    expect(saltMatches('Ki4WO2bbzYOL1tEi4XA46Q8rpcC2yilTZMhOGXRsqOQ=', customer, serverHash)).toBe(true);
    expect(saltMatches('Ki4WO2bbzYOL1tEi4XA46Q8rpcC2yilTZMhOGXRsqOQ', customer, serverHash)).toBe(false);
    expect(saltMatches(finboxSalt(customer, 'another-hash'), customer, serverHash)).toBe(false);
    expect(saltMatches(finboxSalt(`${customer}0`, serverHash), customer, serverHash)).toBe(false);
  });
});

describe('DeviceConnect timestamps', () => {
  it('puts a colon before the milliseconds, in UTC', () => {
    expect(finboxTimestamp(new Date('2019-01-03T06:37:44.003Z'))).toBe('2019-01-03T06:37:44:003');
  });
});
