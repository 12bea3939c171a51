import { Inject, Injectable } from '@nestjs/common';
import { type Caller, PreconditionFailedError, RequestValidationError } from '@watchfloor/platform';
import { Clock } from '@watchfloor/persistence';
import { DataSource } from 'typeorm';
import type { RotationDto } from './dto/rotation.dto';
import { OnCallRoster } from './oncall-roster';
import { Rotation, type RotationSpec } from './rotation';
import { RotationRepository } from './rotation.repository';
import { toRotationView, type RotationView } from './rotation.view';

/** Tries before giving up when other admins keep saving at the same moment (no `If-Match`). */
const MAX_ATTEMPTS = 5;

/** `PUT /v1/oncall`: replaces the rotation with a new version. */
@Injectable()
export class ReplaceRotation {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(RotationRepository) private readonly rotations: RotationRepository,
    @Inject(OnCallRoster) private readonly roster: OnCallRoster,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** With `expectedVersion` (from `If-Match`), refuses with 412 unless it is the version in force. */
  async execute(caller: Caller, body: RotationDto, expectedVersion: number | undefined, exercise?: string): Promise<RotationView> {
    const spec = toSpec(body);
    const compiled = Rotation.compile(spec);
    if (!compiled.ok) throw new RequestValidationError(compiled.errors);
    const changedBy = caller.org === undefined ? { sub: caller.sub } : { sub: caller.sub, org: caller.org };
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const version = (await this.rotations.current(this.dataSource.manager, exercise))?.version ?? 0;
      if (expectedVersion !== undefined && expectedVersion !== version) throw stale(expectedVersion, version);
      // The primary key on version decides between two concurrent writers.
      if (await this.rotations.insert(this.dataSource.manager, version + 1, spec, changedBy, this.clock.now(), exercise)) {
        return toRotationView(await this.roster.current(undefined, exercise), this.clock.now(), exercise);
      }
    }
    throw new PreconditionFailedError('ONCALL.CONCURRENT_CHANGE', 'The rotation is being changed by someone else; read it again and retry.');
  }
}

function stale(expected: number, current: number): PreconditionFailedError {
  return new PreconditionFailedError('ONCALL.STALE_VERSION', `The rotation is at version ${current}, not ${expected}; read it again.`);
}

/** The stored form: only the fields given, in the order given (the order is the round-robin order). */
function toSpec(body: RotationDto): RotationSpec {
  return {
    timezone: body.timezone,
    shifts: body.shifts.map((shift) => ({
      assignee: shift.assignee.trim(),
      start: shift.start,
      end: shift.end,
      ...(shift.days === undefined ? {} : { days: shift.days }),
    })),
    escalation: body.escalation.map((contact) => contact.trim()),
  };
}
