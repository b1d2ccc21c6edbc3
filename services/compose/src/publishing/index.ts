export { type PublishingPorts, unpublishMovie } from './publisher.js';
export { publishRoutes } from './publishRoutes.js';
