/** Bounds of free-text and list fields, shared by submissions and events. */
export const BOUNDS = {
  title: 200,
  description: 10_000,
  note: 10_000,
  reason: 1_000,
  name: 200,
  email: 254,
  subject: 256,
  sourceSystem: 100,
  sourceReference: 200,
  errorMessage: 2_000,
  affectedAssets: 50,
  observables: 100,
  clusterIncidents: 1_000,
  /** Levels of objects and lists in one value; the deepest contract (a reported incident's observable) needs 5. */
  nesting: 16,
} as const;
