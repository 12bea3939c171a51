import { counter } from '@watchfloor/platform';

/** New incidents triaged, by their first level (a handler retried after a failure may count twice). */
export const incidentsTriaged = counter<'priority'>({
  name: 'triage_incidents_triaged_total',
  help: 'Incidents triaged on arrival, by the level they were given',
  labelNames: ['priority'],
});

/** Cluster changes, by whether the cluster is a campaign. */
export const clustersCorrelated = counter<'campaign'>({
  name: 'triage_correlations_total',
  help: 'incident.correlated events: a cluster formed, grew or merged',
  labelNames: ['campaign'],
});
