import type { KeyObject } from 'node:crypto';
import { entryHash, GENESIS_HASH, sha256Hex, type ChainedFields } from './chain-hash';
import { checkpointSignatureValid, keyIdOf, type SignedCheckpoint } from './checkpoint-signature';

/** One link of the chain as stored or exported. `event` absent: withheld (TLP), covered by `eventHash` only. */
export interface ChainLink extends ChainedFields {
  prevHash: string;
  hash: string;
  /** The event's canonical JSON, when present. */
  event?: string;
}

/** The first thing found wrong, and where. */
export interface ChainProblem {
  sequence: number;
  reason: string;
}

/** What a verification found. */
export interface ChainReport {
  valid: boolean;
  entries: number;
  head: { sequence: number; hash: string };
  firstInvalidSequence?: number;
  reason?: string;
  /** Checkpoints whose hash and signature matched. */
  checkpointsVerified: number;
  /** Entries after the last verified checkpoint: covered by no signature yet. */
  entriesAfterLastCheckpoint: number;
  /** Entries whose event was withheld (checked through `eventHash` only). */
  eventsWithheld: number;
  /**
   * Present when checkpoints name a key that is neither the current nor a retired one
   * (after a rotation without `AUDIT_RETIRED_PUBLIC_KEYS`): which key, and which checkpoints.
   */
  unknownKeys?: UnknownKey[];
}

/** Checkpoints signed by a key the verifier was not given. */
export interface UnknownKey {
  keyId: string;
  /** How many checkpoints name it. */
  checkpoints: number;
  firstSequence: number;
  lastSequence: number;
}

/** Options of a {@link ChainVerifier}. */
export interface ChainVerifierOptions {
  /** Signed checkpoints to hold the chain against; each must match the entry at its sequence. */
  checkpoints?: readonly SignedCheckpoint[];
  /** Checks the checkpoints' signatures; without it (or `publicKeys`) only their hashes are compared. */
  publicKey?: KeyObject;
  /**
   * Keys that check signatures, e.g. the current one and retired ones: each checkpoint is
   * checked with the key its `keyId` names.
   */
  publicKeys?: readonly KeyObject[];
}

/**
 * Recomputes the hash chain entry by entry, in sequence order, without holding it in
 * memory: the API's verify and the offline CLI both feed it. It reports the first
 * sequence where the chain breaks: an entry missing (a gap), one altered (its hash, or its
 * event's digest, no longer matches), entries swapped or rewritten (a `prev_hash` that is
 * not the previous entry's hash), or a signed checkpoint the chain no longer matches.
 */
export class ChainVerifier {
  private expected = 1;
  private prevHash = GENESIS_HASH;
  private count = 0;
  private withheld = 0;
  private verifiedCheckpoints = 0;
  private lastCheckpointSequence = 0;
  private problem: ChainProblem | undefined;
  /** Checkpoints ahead of the walk, by the sequence they sign. */
  private readonly pending = new Map<number, SignedCheckpoint[]>();
  /** Keys by key id; empty: signatures are not checked. */
  private readonly keys = new Map<string, KeyObject>();
  private readonly unknownKeys = new Map<string, UnknownKey>();

  constructor(options: ChainVerifierOptions = {}) {
    for (const key of [...(options.publicKey ? [options.publicKey] : []), ...(options.publicKeys ?? [])]) this.keys.set(keyIdOf(key), key);
    for (const checkpoint of options.checkpoints ?? []) this.addCheckpoint(checkpoint);
  }

  /** The first problem found so far. */
  get firstProblem(): ChainProblem | undefined {
    return this.problem;
  }

  /** The last sequence walked. */
  get lastSequence(): number {
    return this.expected - 1;
  }

  /** Checks the next link; returns the first problem found so far. */
  add(link: ChainLink): ChainProblem | undefined {
    this.count += 1;
    if (link.sequence !== this.expected) {
      this.fail(this.expected, link.sequence > this.expected ? `entry ${this.expected} is missing` : `entry ${link.sequence} is out of order or repeated`);
    } else if (link.prevHash !== this.prevHash) {
      this.fail(link.sequence, `prev_hash of entry ${link.sequence} is not the hash of the entry before it (entries removed, swapped or rewritten)`);
    } else if (link.event !== undefined && sha256Hex(link.event) !== link.eventHash) {
      this.fail(link.sequence, `the event of entry ${link.sequence} was altered`);
    } else if (entryHash(link.prevHash, link) !== link.hash) {
      this.fail(link.sequence, `entry ${link.sequence} was altered`);
    }
    if (link.event === undefined) this.withheld += 1;
    this.expected = Math.max(this.expected, link.sequence) + 1;
    this.prevHash = link.hash;
    for (const checkpoint of this.pending.get(link.sequence) ?? []) this.match(checkpoint, link.hash);
    this.pending.delete(link.sequence);
    return this.problem;
  }

  /**
   * Holds the chain against a signed checkpoint: one given up front, or one read right
   * after the entry it signs (as in an export). Its signature is checked when a public key
   * was given.
   */
  addCheckpoint(checkpoint: SignedCheckpoint): void {
    const key = this.keys.get(checkpoint.keyId);
    if (this.keys.size > 0 && !key) {
      this.unknownKey(checkpoint);
    } else if (key && !checkpointSignatureValid(key, checkpoint)) {
      this.fail(checkpoint.sequence, `the signature of checkpoint ${checkpoint.sequence} does not verify with the public key ${checkpoint.keyId}`);
    } else if (checkpoint.sequence > this.lastSequence) {
      this.pending.set(checkpoint.sequence, [...(this.pending.get(checkpoint.sequence) ?? []), checkpoint]);
    } else if (checkpoint.sequence === this.lastSequence) {
      this.match(checkpoint, this.prevHash);
    } else {
      this.fail(checkpoint.sequence, `checkpoint ${checkpoint.sequence} comes after entry ${this.lastSequence}: out of order`);
    }
  }

  /** Ends the walk: checkpoints beyond the last entry mean entries were removed from the end. */
  finish(): ChainReport {
    const head = { sequence: this.lastSequence, hash: this.prevHash };
    for (const sequence of this.pending.keys()) {
      this.fail(head.sequence + 1, `checkpoint ${sequence} was signed but the chain ends at ${head.sequence} (entries removed from the end)`);
    }
    const problem = this.problem;
    return {
      valid: problem === undefined,
      entries: this.count,
      head,
      ...(problem ? { firstInvalidSequence: problem.sequence, reason: problem.reason } : {}),
      checkpointsVerified: this.verifiedCheckpoints,
      entriesAfterLastCheckpoint: head.sequence - this.lastCheckpointSequence,
      eventsWithheld: this.withheld,
      ...(this.unknownKeys.size > 0 ? { unknownKeys: [...this.unknownKeys.values()] } : {}),
    };
  }

  /**
   * A checkpoint naming a key not given: its signature cannot be checked, so the chain is
   * not proven. Reported as such (which checkpoints, which key), not as a forgery: the
   * usual cause is a rotation whose old public key was not kept as a retired key.
   */
  private unknownKey(checkpoint: SignedCheckpoint): void {
    const known = this.unknownKeys.get(checkpoint.keyId);
    this.unknownKeys.set(checkpoint.keyId, {
      keyId: checkpoint.keyId,
      checkpoints: (known?.checkpoints ?? 0) + 1,
      firstSequence: Math.min(known?.firstSequence ?? Infinity, checkpoint.sequence),
      lastSequence: Math.max(known?.lastSequence ?? 0, checkpoint.sequence),
    });
    this.fail(
      checkpoint.sequence,
      `checkpoint ${checkpoint.sequence} is signed by key ${checkpoint.keyId}, which is not among the known keys (${[...this.keys.keys()].join(', ')}): the key may have been rotated without keeping its public key (AUDIT_RETIRED_PUBLIC_KEYS for the service, --public-key for audit:verify)`,
    );
  }

  private match(checkpoint: SignedCheckpoint, hash: string): void {
    if (checkpoint.hash !== hash) {
      // The chain was rewritten consistently after this checkpoint was signed: the change
      // lies after the previous matching checkpoint and at or before this one.
      this.fail(this.lastCheckpointSequence + 1, `entries ${this.lastCheckpointSequence + 1}..${checkpoint.sequence} no longer match signed checkpoint ${checkpoint.sequence}`);
      return;
    }
    this.verifiedCheckpoints += 1;
    this.lastCheckpointSequence = Math.max(this.lastCheckpointSequence, checkpoint.sequence);
  }

  private fail(sequence: number, reason: string): void {
    if (!this.problem || sequence < this.problem.sequence) this.problem = { sequence, reason };
  }
}
