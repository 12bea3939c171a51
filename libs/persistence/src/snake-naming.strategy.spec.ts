import { SnakeNamingStrategy, snakeCase } from './snake-naming.strategy';

describe('snakeCase', () => {
  it.each([
    ['ackDeadline', 'ack_deadline'],
    ['IncidentNote', 'incident_note'],
    ['HTTPServer', 'http_server'],
    ['incidentID', 'incident_id'],
    ['address1Line', 'address1_line'],
    ['already_snake', 'already_snake'],
  ])('%s -> %s', (input, expected) => {
    expect(snakeCase(input)).toBe(expected);
  });
});

describe('SnakeNamingStrategy', () => {
  const naming = new SnakeNamingStrategy();

  it('names tables and columns in snake_case unless a name is given', () => {
    expect(naming.tableName('IncidentNote', undefined)).toBe('incident_note');
    expect(naming.tableName('IncidentNote', 'notes')).toBe('notes');
    expect(naming.columnName('ackDeadline', undefined, [])).toBe('ack_deadline');
    expect(naming.columnName('ackDeadline', 'deadline', [])).toBe('deadline');
  });

  it('prefixes embedded columns and names join columns', () => {
    expect(naming.columnName('orgId', undefined, ['submittedBy'])).toBe('submitted_by_org_id');
    expect(naming.joinColumnName('incident', 'id')).toBe('incident_id');
    expect(naming.joinTableName('incident', 'tag', 'tags')).toBe('incident_tags_tag');
    expect(naming.joinTableColumnName('incident', 'id')).toBe('incident_id');
  });
});
