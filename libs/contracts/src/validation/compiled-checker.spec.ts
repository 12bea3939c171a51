import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsString, ValidateNested } from 'class-validator';
import { EVENT_CATALOGUE } from '../catalogue/catalogue';
import { createEvent } from '../catalogue/create-event';
import { VALID_PAYLOADS } from '../catalogue/payload.fixtures';
import { validateEvent, validateEventDataWithClassValidator } from '../catalogue/validate-event';
import { IncidentSubmission } from '../submission/incident-submission';
import { normalizeSubmission } from '../submission/normalize-submission';
import { submissionBody } from '../submission/submission.fixtures';
import { compileChecker } from './compiled-checker';
import { validateInstance } from './validate';

// The equivalence with class-validator on random and hostile events is a property test
// (libs/messaging/src/event-checkers.properties.spec.ts); here, what it cannot reach.

const meta = { source: '/watchfloor/intake', subject: '0193b0f4-6c1e-7d3a-9f5e-2b1c4d5e6f70', tlp: 'amber' as const, jurisdiction: 'ocd-division/country:us/state:ga', correlationId: 'c' };

describe('compileChecker', () => {
  it('checks an event as a producer holds it (class instances from normalisation) as class-validator does', () => {
    const submission = normalizeSubmission(submissionBody() as unknown as IncidentSubmission);
    const event = createEvent('watchfloor.incident.reported.v1', { ...VALID_PAYLOADS['watchfloor.incident.reported.v1'], submission }, meta);
    expect(validateEvent(event)).toEqual({ ok: true, value: event });
    const broken = createEvent('watchfloor.incident.reported.v1', { ...VALID_PAYLOADS['watchfloor.incident.reported.v1'], submission: { ...submission, title: ' ' } }, meta);
    const reference = validateEvent(broken, validateEventDataWithClassValidator);
    expect(reference.ok).toBe(false);
    expect(validateEvent(broken)).toEqual(reference);
  });

  it('returns the checked data itself, not a copy', () => {
    const data = JSON.parse(JSON.stringify(VALID_PAYLOADS['watchfloor.incident.assigned.v1'])) as unknown;
    const result = compileChecker(EVENT_CATALOGUE['watchfloor.incident.assigned.v1'].payload, { clockRules: false })(data);
    expect(result).toEqual({ ok: true, value: data });
  });

  it('applies clock rules to client input unless told not to, as validateInstance does', () => {
    const future = submissionBody({ occurredAt: '2999-01-01T00:00:00Z', detectedAt: '2999-01-01T00:00:00Z' });
    const withClock = compileChecker(IncidentSubmission)(future);
    expect(withClock.ok).toBe(false);
    expect(withClock).toEqual(validateInstance(IncidentSubmission, future));
    expect(compileChecker(IncidentSubmission, { clockRules: false })(future)).toEqual({ ok: true, value: future });
    expect(validateInstance(IncidentSubmission, future, { clockRules: false }).ok).toBe(true);
  });

  it('refuses to compile a class plainToInstance would not copy key for key', () => {
    class WithMethod {
      @IsString()
      name: string;

      shout(): string {
        return this.name.toUpperCase();
      }
    }
    class Parent {
      @ValidateNested()
      child: WithMethod;
    }
    class TypedParent {
      @ValidateNested()
      @Type(() => WithMethod)
      child: WithMethod;
    }
    expect(() => compileChecker(WithMethod)({ name: 'x' })).toThrow('WithMethod has methods or accessors (shout)');
    expect(() => compileChecker(Parent)({ child: {} })).toThrow('Parent.child is validated as nested but has no @Type(() => Class)');
    expect(() => compileChecker(TypedParent)({ child: {} })).toThrow('WithMethod has methods');
  });
});
