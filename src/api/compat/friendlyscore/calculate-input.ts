/**
 * calculate_score's parameters, checked in the order and with the words of the seed: a missing
 * IP address, then empty `access_tokens`; anything else wrong is a "Bad parameters provided"
 * answer naming the parameter. Form posts send every value as text, JSON posts as JSON types;
 * both are read.
 */

import type { FastifyRequest } from 'fastify';
import { isCredenceError } from '../../../domain/errors.js';
import { ACCESS_TOKEN_KEYS, linkedNetworks, TWITTER_SECRET } from '../../../domain/footprint/networks.js';
import type { CalculateInput } from '../../../services/friendlyscore/scoring.js';
import { parseJsonBody } from '../../json-body.js';
import { badParameters, EMPTY_ACCESS_TOKENS, missingIpAddress } from './errors.js';
import { isEmptyPhpArray } from './php-json.js';

const MAX_TOKEN = 4096;
const MAX_AGENT = 4096;

export function readCalculateInput(
  req: FastifyRequest,
  body: Record<string, unknown>,
  userId: string,
  webhookProblem: (url: string) => string | undefined,
): CalculateInput {
  const ip = body.user_ip;
  if (ip === undefined || ip === null || (typeof ip === 'string' && ip.trim() === '')) {
    throw missingIpAddress(req, userId);
  }
  if (typeof ip !== 'string' || ip.length > 100) throw badParameters('user_ip must be an IP address', userId);

  let tokens = body.access_tokens;
  if (typeof tokens === 'string') {
    tokens =
      tokens.trim() === ''
        ? {}
        : jsonField(tokens, 'access_tokens', userId, 'access_tokens must be an object of network: token');
  }
  if (tokens === undefined || tokens === null || isEmptyPhpArray(tokens))
    throw badParameters(EMPTY_ACCESS_TOKENS, userId);
  if (typeof tokens !== 'object' || Array.isArray(tokens)) {
    throw badParameters('access_tokens must be an object of network: token', userId);
  }
  const accessTokens: Record<string, string> = {};
  for (const [key, value] of Object.entries(tokens as Record<string, unknown>)) {
    if (!Object.hasOwn(ACCESS_TOKEN_KEYS, key)) {
      throw badParameters(
        `access_tokens.${key} is not supported; use facebook, linkedin, twitter, twitter_secret, twitter_user_id, twitter_screen_name, google, paypal or instagram`,
        userId,
      );
    }
    if (value === null || value === undefined || value === '') continue;
    if (typeof value !== 'string' && typeof value !== 'number')
      throw badParameters(`access_tokens.${key} must be a string`, userId);
    const text = String(value).trim();
    if (text.length > MAX_TOKEN) throw badParameters(`access_tokens.${key} is too long`, userId);
    if (text !== '') accessTokens[key] = text;
  }
  if (linkedNetworks(accessTokens).length === 0) throw badParameters(EMPTY_ACCESS_TOKENS, userId);
  if (accessTokens[TWITTER_SECRET] !== undefined && accessTokens.twitter === undefined)
    throw badParameters('access_tokens.twitter_secret needs access_tokens.twitter, its token', userId);

  const input: CalculateInput = { accessTokens, userIp: ip.trim() };
  const agent = body.user_agent;
  if (agent !== undefined && agent !== null && agent !== '' && !isEmptyPhpArray(agent)) {
    input.userAgent = readUserAgent(agent, userId);
  }
  const webhook = body.webhook;
  if (webhook !== undefined && webhook !== null && webhook !== '') {
    if (typeof webhook !== 'string') throw badParameters('webhook must be a URL', userId);
    const problem = webhookProblem(webhook.trim());
    if (problem) throw badParameters(`webhook ${problem}`, userId);
    input.webhook = webhook.trim();
  }
  return input;
}

const USER_AGENT_SHAPE =
  'user_agent must be a JSON object such as {"os":"Android 13","browser":"Chrome 120","mobile":true,"screenSize":"412 x 915"}';

/**
 * A form field holding JSON text, read as a JSON body is: text it cannot be (a NUL, half a
 * surrogate pair), a number beyond a double and prototype keys are bad parameters naming the field;
 * text that is no JSON gets `shape`, what the field should hold.
 */
function jsonField(text: string, field: string, userId: string, shape: string): unknown {
  try {
    return parseJsonBody(text, { field });
  } catch (err) {
    if (!isCredenceError(err) || err.message === `${field} is not valid JSON`)
      throw badParameters(shape, userId);
    throw badParameters(err.message, userId);
  }
}

/**
 * `user_agent`: a JSON object (or its text), e.g. `{"os": "Windows 10", "browser": "Chrome 120",
 * "mobile": false, "screenSize": "1920 x 1080"}`. Those four fields are checked; others are kept.
 */
function readUserAgent(raw: unknown, userId: string): Record<string, unknown> {
  let ua = raw;
  if (typeof raw === 'string') {
    if (raw.length > MAX_AGENT) throw badParameters('user_agent is too long', userId);
    ua = jsonField(raw, 'user_agent', userId, USER_AGENT_SHAPE);
  }
  if (ua === null || typeof ua !== 'object' || Array.isArray(ua))
    throw badParameters(USER_AGENT_SHAPE, userId);
  const out = { ...(ua as Record<string, unknown>) };
  if (JSON.stringify(out).length > MAX_AGENT) throw badParameters('user_agent is too long', userId);
  for (const field of ['os', 'browser', 'screenSize']) {
    if (out[field] !== undefined && out[field] !== null && typeof out[field] !== 'string')
      throw badParameters(`user_agent.${field} must be a string`, userId);
  }
  const mobile = out.mobile;
  if (mobile !== undefined && mobile !== null) {
    if (mobile === true || mobile === 'true' || mobile === 1 || mobile === '1') out.mobile = true;
    else if (mobile === false || mobile === 'false' || mobile === 0 || mobile === '0') out.mobile = false;
    else throw badParameters('user_agent.mobile must be true or false', userId);
  }
  return out;
}
