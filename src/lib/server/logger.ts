import pino, { type Logger } from 'pino';

/**
 * The one logger, built at start. Never log a beneficiary's personal or eligibility data,
 * a token or a password: the redact list is a safety net, not a licence.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { app: 'glane' },
    redact: {
      paths: ['password', '*.password', 'token', '*.token', 'code', '*.code', 'req.headers.cookie', 'headers.cookie'],
      censor: '[redacted]'
    }
  });
}
