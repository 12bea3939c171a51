import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { canonicalEntry, canonicalJson, entryHash, GENESIS_HASH, sha256Hex, type ChainedFields } from './chain-hash';
import { ChainVerifier, type ChainLink } from './chain-verifier';
import { keyIdOf, parsePublicKey, parsePublicKeyList, rawPublicKey, signCheckpoint, type SignedCheckpoint } from './checkpoint-signature';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');

function aChain(length: number): ChainLink[] {
  const links: ChainLink[] = [];
  let prev = GENESIS_HASH;
  for (let sequence = 1; sequence <= length; sequence++) {
    const event = canonicalJson({ id: `event-${sequence}`, data: { note: `step ${sequence}` } });
    const fields: ChainedFields = {
      sequence, eventId: `event-${sequence}`, type: 'watchfloor.incident.note_added.v1', subject: 'incident.note_added.ga',
      incidentIds: ['0193b0f4-6c1e-7d3a-9f5e-2b1c4d5e6f70'], actor: 'triage-officer-1', tlp: 'amber',
      occurredAt: '2026-11-03T13:05:07.123Z', recordedAt: '2026-11-03T13:05:07.200Z', eventHash: sha256Hex(event),
    };
    const hash = entryHash(prev, fields);
    links.push({ ...fields, prevHash: prev, hash, event });
    prev = hash;
  }
  return links;
}

function checkpointAt(link: ChainLink, key: { privateKey: KeyObject; publicKey: KeyObject } = { privateKey, publicKey }): SignedCheckpoint {
  return { sequence: link.sequence, hash: link.hash, at: '2026-11-03T13:06:00.000Z', signature: signCheckpoint(key.privateKey, link.sequence, link.hash), keyId: keyIdOf(key.publicKey) };
}

function verify(links: ChainLink[], checkpoints: SignedCheckpoint[] = []) {
  const verifier = new ChainVerifier({ publicKey, checkpoints });
  for (const link of links) verifier.add(link);
  return verifier.finish();
}

describe('chain hashing', () => {
  it('canonicalises with RFC 8785: sorted keys, no white space, ECMAScript numbers', () => {
    expect(canonicalJson({ b: [1e21, 0.5, -0], a: { z: 'é', y: null } })).toBe('{"a":{"y":null,"z":"é"},"b":[1e+21,0.5,0]}');
  });

  it('hashes the previous hash\'s bytes followed by the canonical entry', () => {
    const [link] = aChain(1);
    if (!link) throw new Error('no link');
    expect(canonicalEntry(link)).toMatch(/^\{"actor":"triage-officer-1","eventHash":"[0-9a-f]{64}","eventId":"event-1","incidentIds":\[.*\],"occurredAt":.*"sequence":1,.*\}$/);
    expect(link.hash).toBe(createHash('sha256').update(Buffer.alloc(32)).update(canonicalEntry(link)).digest('hex'));
  });
});

describe('ChainVerifier', () => {
  it('accepts an intact chain held against its checkpoints', () => {
    const links = aChain(10);
    expect(verify(links, [checkpointAt(links[4] as ChainLink), checkpointAt(links[9] as ChainLink)])).toMatchObject({
      valid: true, entries: 10, head: { sequence: 10 }, checkpointsVerified: 2, entriesAfterLastCheckpoint: 0,
    });
  });

  it.each([
    ['an altered event', (links: ChainLink[]) => links.map((l) => (l.sequence === 4 ? { ...l, event: l.event?.replace('step', 'stop') } : l)), 4],
    ['an altered field', (links: ChainLink[]) => links.map((l) => (l.sequence === 6 ? { ...l, actor: 'someone-else' } : l)), 6],
    ['a missing entry', (links: ChainLink[]) => links.filter((l) => l.sequence !== 3), 3],
    ['two swapped entries', (links: ChainLink[]) => links.map((l, i) => (l.sequence === 7 ? { ...(links[i + 1] as ChainLink), sequence: 7 } : l.sequence === 8 ? { ...(links[i - 1] as ChainLink), sequence: 8 } : l)), 7],
  ] as const)('finds %s at its sequence', (_, tamper, sequence) => {
    expect(verify(tamper(aChain(10)))).toMatchObject({ valid: false, firstInvalidSequence: sequence });
  });

  it('checks a withheld event through its digest only', () => {
    const links = aChain(3).map((link) => ({ ...link, event: link.sequence === 2 ? undefined : link.event }));
    expect(verify(links)).toMatchObject({ valid: true, eventsWithheld: 1 });
  });

  it('finds a consistent rewrite through the next checkpoint, and a forged signature', () => {
    const links = aChain(10);
    const signed = checkpointAt(links[9] as ChainLink);
    const rewritten = aChain(10).map((link) => ({ ...link, recordedAt: link.sequence >= 6 ? '2026-11-04T00:00:00.000Z' : link.recordedAt }));
    let prev = GENESIS_HASH;
    for (const link of rewritten) {
      link.prevHash = prev;
      link.hash = entryHash(prev, link);
      prev = link.hash;
    }
    expect(verify(rewritten, [checkpointAt(links[2] as ChainLink), signed])).toMatchObject({ valid: false, firstInvalidSequence: 4 });
    expect(verify(links, [{ ...signed, signature: signCheckpoint(generateKeyPairSync('ed25519').privateKey, 10, signed.hash) }])).toMatchObject({ valid: false, firstInvalidSequence: 10 });
  });

  it('finds entries cut from the end through a checkpoint beyond it', () => {
    const links = aChain(10);
    expect(verify(links.slice(0, 8), [checkpointAt(links[9] as ChainLink)])).toMatchObject({ valid: false, firstInvalidSequence: 9 });
  });
});

describe('ChainVerifier after a key rotation', () => {
  const older = generateKeyPairSync('ed25519');
  const links = aChain(10);
  const checkpoints = [checkpointAt(links[2] as ChainLink, older), checkpointAt(links[5] as ChainLink, older), checkpointAt(links[9] as ChainLink)];
  const walk = (publicKeys: KeyObject[], given = checkpoints) => {
    const verifier = new ChainVerifier({ publicKeys, checkpoints: given });
    for (const link of links) verifier.add(link);
    return verifier.finish();
  };

  it('checks each checkpoint with the key its key id names', () => {
    expect(walk([publicKey, older.publicKey])).toMatchObject({ valid: true, checkpointsVerified: 3 });
    expect(walk([publicKey, older.publicKey])).not.toHaveProperty('unknownKeys');
  });

  it('names the checkpoints signed by a key it was not given, and which key', () => {
    const report = walk([publicKey]);
    expect(report).toMatchObject({
      valid: false,
      firstInvalidSequence: 3,
      reason: expect.stringContaining(`checkpoint 3 is signed by key ${keyIdOf(older.publicKey)}, which is not among the known keys (${keyIdOf(publicKey)})`),
      unknownKeys: [{ keyId: keyIdOf(older.publicKey), checkpoints: 2, firstSequence: 3, lastSequence: 6 }],
    });
  });

  it('does not let a checkpoint borrow a known key id: its signature is checked with that key', () => {
    const borrowed = { ...checkpointAt(links[2] as ChainLink, older), keyId: keyIdOf(publicKey) };
    expect(walk([publicKey, older.publicKey], [borrowed])).toMatchObject({ valid: false, firstInvalidSequence: 3, reason: expect.stringContaining('does not verify') });
  });
});

describe('public keys', () => {
  it('reads a comma-separated list, saying which item is wrong', () => {
    const other = generateKeyPairSync('ed25519').publicKey;
    const list = `${rawPublicKey(publicKey).toString('base64')}, ${other.export({ format: 'der', type: 'spki' }).toString('base64')}`;
    expect(parsePublicKeyList(list).map(keyIdOf)).toEqual([keyIdOf(publicKey), keyIdOf(other)]);
    expect(parsePublicKeyList('')).toEqual([]);
    expect(() => parsePublicKeyList(`${rawPublicKey(publicKey).toString('base64')},bm90LWEta2V5`)).toThrow(/^key 2 of 2: /);
  });

  it('reads PEM, base64 SPKI and base64 raw forms of the same key', () => {
    const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const der = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    const raw = rawPublicKey(publicKey).toString('base64');
    expect([pem, der, raw].map((text) => keyIdOf(parsePublicKey(text)))).toEqual([keyIdOf(publicKey), keyIdOf(publicKey), keyIdOf(publicKey)]);
    expect(() => parsePublicKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'pem', type: 'spki' }).toString())).toThrow(/Ed25519/);
  });
});
