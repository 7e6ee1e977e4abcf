import type { Network } from '../../../domain/footprint/networks.js';
import type { SocialConnector } from './connector.js';
import { facebook } from './facebook.js';
import { google } from './google.js';
import { instagram } from './instagram.js';
import { linkedin } from './linkedin.js';
import { paypal } from './paypal.js';
import { twitter } from './twitter.js';

export const SOCIAL_CONNECTORS: Readonly<Record<Network, SocialConnector>> = {
  facebook,
  linkedin,
  twitter,
  google,
  paypal,
  instagram,
};
