/**
 * What a deployment grants the role audit's replicas connect as, when another role owns
 * the schema and ran the migrations (docs/audit.md): append and read the chain, move its
 * head, and use the messaging tables and the rate limit's counts. Nothing else; in particular no UPDATE or DELETE on
 * entries and checkpoints, and no ownership (so no ALTER TABLE, no DROP TRIGGER).
 */
export function runtimeRoleGrants(role: string, schema = 'audit'): string[] {
  const to = `TO ${role}`;
  return [
    `GRANT USAGE ON SCHEMA ${schema} ${to}`,
    `GRANT SELECT, INSERT ON ${schema}.entry, ${schema}.checkpoint ${to}`,
    `GRANT SELECT, UPDATE ON ${schema}.chain_head ${to}`,
    `GRANT SELECT ON ${schema}.migrations ${to}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ${schema}.outbox, ${schema}.inbox, ${schema}.dead_letter, ${schema}.rate_limit_count ${to}`,
    `GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${schema} ${to}`,
  ];
}
