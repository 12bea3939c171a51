import { Inject, Injectable } from '@nestjs/common';
import { TransactionMemo } from '@watchfloor/persistence';
import { DataSource, type EntityManager } from 'typeorm';
import { Rotation } from './rotation';
import { RotationRepository, type StoredRotation } from './rotation.repository';

/** The one picked when several are on call: turn `turn` of a round robin over them, in their listed order. */
export function pickInTurn(onCall: readonly string[], turn: bigint): string | undefined {
  if (onCall.length === 0) return undefined;
  return onCall[Number(turn % BigInt(onCall.length))];
}

/**
 * Who is on call and whom to escalate to, from the rotation in Postgres (so every replica
 * sees an admin's change at once). Triage calls {@link assigneeFor} when it first triages
 * an incident; escalation calls {@link escalationContact}.
 */
@Injectable()
export class OnCallRoster {
  // Compiling is cheap but not free; a version never changes once stored.
  private compiled?: { version: number; rotation: Rotation };
  private readonly rotationReads = new TransactionMemo<StoredRotation | undefined>();

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(RotationRepository) private readonly rotations: RotationRepository,
  ) {}

  /** The rotation in force with its stored form, or undefined before an admin has set one. */
  async current(manager: EntityManager = this.dataSource.manager): Promise<{ stored: StoredRotation; rotation: Rotation } | undefined> {
    // Once per transaction: a batch of reports is assigned by the rotation in force when it began.
    const stored = await this.rotationReads.read(manager, 'current', () => this.rotations.current(manager));
    if (!stored) return undefined;
    if (this.compiled?.version !== stored.version) {
      const compiled = Rotation.compile(stored);
      // Stored rotations were checked on the way in; a failure here is a bug, not input.
      if (!compiled.ok) throw new Error(`stored on-call rotation v${stored.version} is invalid: ${JSON.stringify(compiled.errors)}`);
      this.compiled = { version: stored.version, rotation: compiled.rotation };
    }
    return { stored, rotation: this.compiled.rotation };
  }

  /**
   * Whom a new incident goes to at `at`: the one on call, or, when several are, the next in a
   * round robin shared by every replica (a Postgres sequence). Undefined when nobody is on call.
   * Pass the caller's transaction as `manager` to read the rotation inside it.
   */
  async assigneeFor(at: Date, manager: EntityManager = this.dataSource.manager): Promise<string | undefined> {
    const onCall = (await this.current(manager))?.rotation.onCallAt(at) ?? [];
    if (onCall.length <= 1) return onCall[0];
    return pickInTurn(onCall, await this.rotations.nextTurn(manager));
  }

  /** The escalation contact for `level` (1, 2, ...), the last one beyond the list; undefined if none is set. */
  async escalationContact(level: number, manager: EntityManager = this.dataSource.manager): Promise<string | undefined> {
    return (await this.current(manager))?.rotation.escalationContact(level);
  }
}
