import { createService } from '@storyreel/shared';
import { uploadRoutes } from './routes.js';

await createService({ name: 'upload', routes: uploadRoutes }).listen();
