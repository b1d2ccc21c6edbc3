/**
 * The service registry: the one list of services the mesh has. The local
 * gateway, the Cloud Build file, firebase.json's rewrites and the service
 * client all derive from it.
 */
export interface ServiceEntry {
  /** Folder under services/ and the name used in logs and metrics. */
  name: ServiceName;
  /** Port the service listens on in the local mesh. */
  localPort: number;
  /** Path prefix the gateway and Firebase Hosting route to it: /api/<name>/... */
  pathPrefix: string;
  /** Cloud Run service name. */
  cloudRunName: string;
  /** Cloud Run sizing: render and polish run FFmpeg and need more. */
  resources: {
    cpu: number;
    memory: string;
    concurrency: number;
    timeoutSeconds: number;
    /** Warm instances kept running (0: scale to zero and accept a cold start). */
    minInstances: number;
    /** The ceiling that bounds cost and the load put on the document store. */
    maxInstances: number;
  };
}

export const SERVICE_NAMES = [
  'upload',
  'compose',
  'narrate',
  'align-captions',
  'music',
  'render',
  'polish',
  'api-key',
] as const;

export type ServiceName = (typeof SERVICE_NAMES)[number];

const light = { cpu: 1, memory: '512Mi', concurrency: 40, timeoutSeconds: 60, minInstances: 0, maxInstances: 20 };
const media = { cpu: 2, memory: '2Gi', concurrency: 2, timeoutSeconds: 900, minInstances: 0, maxInstances: 10 };

export const SERVICES: readonly ServiceEntry[] = [
  { name: 'upload', localPort: 8101, resources: { ...light, memory: '1Gi', timeoutSeconds: 300 } },
  // One warm compose: every wizard screen and every Cloud Tasks job delivery starts there.
  { name: 'compose', localPort: 8102, resources: { ...light, memory: '1Gi', timeoutSeconds: 900, minInstances: 1 } },
  { name: 'narrate', localPort: 8103, resources: { ...media, memory: '1Gi', concurrency: 8 } },
  { name: 'align-captions', localPort: 8104, resources: { ...media, memory: '1Gi', concurrency: 8 } },
  { name: 'music', localPort: 8105, resources: { ...media, memory: '1Gi', concurrency: 4 } },
  { name: 'render', localPort: 8106, resources: { ...media, cpu: 4, memory: '4Gi', concurrency: 1 } },
  { name: 'polish', localPort: 8107, resources: { ...media, cpu: 4, memory: '4Gi', concurrency: 1, maxInstances: 5 } },
  { name: 'api-key', localPort: 8108, resources: light },
].map((s) => ({
  ...s,
  name: s.name as ServiceName,
  pathPrefix: `/api/${s.name}`,
  cloudRunName: `storyreel-${s.name}`,
}));

/** Port of the local gateway that mirrors firebase.json (hosting + rewrites). */
export const GATEWAY_PORT = 8080;

export function serviceEntry(name: ServiceName): ServiceEntry {
  const entry = SERVICES.find((s) => s.name === name);
  if (!entry) throw new Error(`unknown service ${name}`);
  return entry;
}
