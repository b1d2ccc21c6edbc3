import { createService } from '@storyreel/shared';
import { createIllustrator } from './adapters/illustrator.js';
import { composeRoutes } from './routes.js';

const service = createService({ name: 'compose', routes: composeRoutes(createIllustrator()) });
await service.listen();
