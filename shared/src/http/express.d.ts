import type { Caller } from '../auth/caller.js';
import type { Logger } from './logger.js';
import type { RequestContext } from './requestContext.js';

declare global {
  namespace Express {
    interface Request {
      context: RequestContext;
      log: Logger;
      caller?: Caller;
    }
  }
}
