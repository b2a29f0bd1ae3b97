import { ErrorCode } from '../errors/error-code';
import { ErrorDetail } from '../errors/app.exception';

export interface SuccessEnvelope<T> {
  success: true;
  data: T;
  total?: number;
}

export interface ErrorEnvelope {
  success: false;
  error: string;
  code: ErrorCode;
  details?: ErrorDetail[];
  request_id: string;
}

/**
 * What a list handler returns: the page of items and the full count. The envelope hook
 * turns it into `{success: true, data: items, total}`.
 */
export class Page<T> {
  constructor(
    readonly items: T[],
    readonly total: number,
  ) {}
}
