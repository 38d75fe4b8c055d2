/**
 * The one way a request is turned away at the HTTP edge: a status, a JSON reason the caller can
 * act on, one warn line (no headers, no body), and no keep-alive if its body was left unread.
 */
import type { Request, Response } from 'restify';
import type { Logger } from '../logger';
import { closeAfterAnswer } from './json-body';

export interface Refusal {
  status: number;
  error: string;
  message: string;
}

export function refuse(req: Request, res: Response, logger: Logger, refusal: Refusal): void {
  closeAfterAnswer(req, res);
  logger.warn({ path: req.path(), status: refusal.status, reason: refusal.message }, 'request rejected');
  res.send(refusal.status, { error: refusal.error, message: refusal.message });
}
