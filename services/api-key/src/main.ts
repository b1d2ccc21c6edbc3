import { createService } from '@storyreel/shared';
import { apiKeyRoutes } from './routes.js';

await createService({ name: 'api-key', routes: apiKeyRoutes }).listen();
