import { createService } from '@storyreel/shared';
import { polishRoutes } from './routes.js';

await createService({ name: 'polish', routes: polishRoutes }).listen();
