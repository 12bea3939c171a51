import { envProblems, knownVariables, servicePort } from './service-env';

describe('service environments', () => {
  it('knows the variables each service reads, the common ones included', () => {
    expect([...knownVariables('intake')]).toEqual(expect.arrayContaining(['DATABASE_URL', 'NATS_URL', 'INTAKE_DB_POOL_SIZE']));
    expect([...knownVariables('audit')]).toEqual(expect.arrayContaining(['AUDIT_SIGNING_KEY_FILE', 'NATS_STREAM_REPLICAS']));
  });

  it('names a variable a service does not read and a value it refuses', () => {
    expect(envProblems('triage', { TRIAGE_ACK_DEADLINE_EMERGENCY_SECONDS: '60' })).toEqual([]);
    expect(envProblems('triage', { INTAKE_DB_POOL_SIZE: '4' })).toEqual(['INTAKE_DB_POOL_SIZE: not a variable triage reads']);
    expect(envProblems('intake', { PORT: 'eighty' })[0]).toMatch(/PORT/);
  });

  it('reads the port a service will listen on', () => {
    expect(servicePort('notification', {})).toBe(3003);
    expect(servicePort('notification', { PORT: '8080' })).toBe(8080);
  });
});
