import { describe, expect, it } from 'vitest';
import { canonicalAddress, classifyAddress, isPublicAddress } from './network.js';

describe('public addresses', () => {
  it('accepts public IPv4 and IPv6 addresses', () => {
    for (const ip of ['8.8.8.8', '1.1.1.1', '41.90.64.10', '2a00:1450:4009:81d::200e'])
      expect(isPublicAddress(ip), ip).toBe(true);
  });
  it('refuses loopback, private, link-local, reserved and malformed addresses', () => {
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.5.4',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '255.255.255.255',
      '224.0.0.1',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:10.0.0.1',
      '256.1.1.1',
      'localhost',
      '',
    ])
      expect(isPublicAddress(ip), ip).toBe(false);
  });
});

describe('address classes', () => {
  it('names the range of reserved, documentation and bogon addresses', () => {
    expect(classifyAddress('192.0.2.1')).toEqual({ version: 4, range: 'reserved', public: false });
    expect(classifyAddress('203.0.113.9')?.range).toBe('reserved');
    expect(classifyAddress('198.18.0.1')?.range).toBe('reserved');
    expect(classifyAddress('10.0.0.1')?.range).toBe('private');
    expect(classifyAddress('100.64.1.1')?.range).toBe('carrierGradeNat');
    expect(classifyAddress('2001:db8::1')).toEqual({ version: 6, range: 'reserved', public: false });
    expect(classifyAddress('4000::1')).toEqual({ version: 6, range: 'bogon', public: false });
    expect(classifyAddress('::127.0.0.1')?.range).toBe('loopback');
    expect(classifyAddress('41.90.64.10')).toEqual({ version: 4, range: 'unicast', public: true });
  });
  it('refuses forms some parsers accept', () => {
    for (const ip of ['127.1', '0x7f.0.0.1', '1.2.3', '01.02.03.004x'])
      expect(classifyAddress(ip), ip).toBe(undefined);
  });
});

describe('canonical addresses', () => {
  it('spells each address one way', () => {
    expect(canonicalAddress('41.90.64.10')).toBe('41.90.64.10');
    for (const ip of ['::ffff:3.5.140.2', '::ffff:0305:8c02', '::FFFF:3.5.140.2'])
      expect(canonicalAddress(ip), ip).toBe('3.5.140.2');
    for (const ip of ['2C0F:FE38:2000:0:0:0:0:1', '2c0f:fe38:2000::1', '2c0f:fe38:2000:0000::0001'])
      expect(canonicalAddress(ip), ip).toBe('2c0f:fe38:2000::1');
    expect(canonicalAddress('not an address')).toBeUndefined();
    expect(canonicalAddress('127.1')).toBeUndefined();
  });
});
