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
  // Compiling is cheap but not free; a version never changes once stored, but an exercise's
  // rotations may be purged and set again from version 1, so the time it was stored is compared too.
  private readonly compiled = new Map<string, { version: number; changedAt: number; rotation: Rotation }>();
  private readonly rotationReads = new TransactionMemo<StoredRotation | undefined>();

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(RotationRepository) private readonly rotations: RotationRepository,
  ) {}

  /**
   * The rotation in force with its stored form, or undefined before an admin has set one.
   * With `exercise`, that exercise's rotation: never the real one, so an exercise pages nobody outside it.
   */
  async current(manager: EntityManager = this.dataSource.manager, exercise?: string): Promise<{ stored: StoredRotation; rotation: Rotation } | undefined> {
    // Once per transaction: a batch of reports is assigned by the rotation in force when it began.
    const key = exercise ?? '';
    const stored = await this.rotationReads.read(manager, `current:${key}`, () => this.rotations.current(manager, exercise));
    if (!stored) return undefined;
    let compiled = this.compiled.get(key);
    if (compiled?.version !== stored.version || compiled.changedAt !== stored.changedAt.getTime()) {
      const result = Rotation.compile(stored);
      // Stored rotations were checked on the way in; a failure here is a bug, not input.
      if (!result.ok) throw new Error(`stored on-call rotation v${stored.version} is invalid: ${JSON.stringify(result.errors)}`);
      compiled = { version: stored.version, changedAt: stored.changedAt.getTime(), rotation: result.rotation };
      this.compiled.set(key, compiled);
    }
    return { stored, rotation: compiled.rotation };
  }

  /**
   * Whom a new incident goes to at `at`: the one on call, or, when several are, the next in a
   * round robin shared by every replica (a Postgres sequence). Undefined when nobody is on call.
   * Pass the caller's transaction as `manager` to read the rotation inside it.
   */
  async assigneeFor(at: Date, manager: EntityManager = this.dataSource.manager, exercise?: string): Promise<string | undefined> {
    const onCall = (await this.current(manager, exercise))?.rotation.onCallAt(at) ?? [];
    if (onCall.length <= 1) return onCall[0];
    return pickInTurn(onCall, await this.rotations.nextTurn(manager));
  }

  /** The escalation contact for `level` (1, 2, ...), the last one beyond the list; undefined if none is set. */
  async escalationContact(level: number, manager: EntityManager = this.dataSource.manager, exercise?: string): Promise<string | undefined> {
    return (await this.current(manager, exercise))?.rotation.escalationContact(level);
  }
}
