import { describe, expect, it } from 'vitest';
import { isHostingOrganisation } from './hosting.js';

describe('hosting networks', () => {
  it('knows the large clouds by ASN, whatever their name', () => {
    expect(isHostingOrganisation(14061, 'DigitalOcean, LLC')).toBe(true);
    expect(isHostingOrganisation(16509, 'Amazon Data Services Mobile')).toBe(true);
    expect(isHostingOrganisation(16509, null)).toBe(true);
  });

  it('finds hosting words in an organisation name, inside longer words too', () => {
    for (const name of [
      'Hostinger International Limited',
      'Host Europe GmbH',
      'HostGator.com LLC',
      'XYZ Webhosting BV',
      'Servers.com, Inc.',
      'Example Data Centre Ltd',
      'CloudSigma AG',
    ])
      expect(isHostingOrganisation(64500, name), name).toBe(true);
  });

  it('does not take a consumer ISP whose name merely ends in host for a host', () => {
    for (const name of [
      'AFRIHOST SP (PTY) LTD',
      'Safaricom Limited',
      'MTN Nigeria Communication limited',
      // Access networks whose names hold a hosting word.
      'VPS Broadband And Telecommunications Pvt Ltd',
      'Cloudlasers Broadband Pvt Ltd',
      'CLOUDNET INTERNET SERVICE',
      'AMAZONIA TELECOM LTDA',
    ])
      expect(isHostingOrganisation(37611, name), name).toBe(false);
  });
});
