import { scoId, uuidV5, watchfloorStixId } from './stix-ids';

describe('STIX ids', () => {
  it('makes RFC 4122 version 5 UUIDs (the RFC 4122 appendix example: www.example.com in the DNS namespace)', () => {
    // Python's uuid.uuid5(uuid.NAMESPACE_DNS, 'www.example.com').
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it("gives cyber-observables the ids the OASIS reference library (cti-python-stix2) gives them", () => {
    // stix2/test/v21/test_deterministic_ids.py: test_id_gen_recursive_dict_conversion_1 and _2.
    expect(
      scoId('file', {
        name: 'example.exe',
        hashes: { 'SHA-256': '841a8921140aba50671ebb0770fecc4ee308c4952cfeff8de154ab14eeef4649' },
        extensions: {
          'windows-pebinary-ext': {
            pe_type: 'exe',
            machine_hex: '014c',
            sections: [{ name: '.data', size: 4096, entropy: 7.980693, hashes: { 'SHA-256': '6e3b6f3978e5cd96ba7abee35c24e867b7e64072e2ecb22d0ee7a6e6af6894d0' } }],
          },
        },
      }),
    ).toBe('file--ced31cd4-bdcb-537d-aefa-92d291bfc11d');
    expect(scoId('windows-registry-key', { values: [{ name: 'Foo', data: 'qwerty' }, { name: 'Bar', data: '42' }] })).toBe(
      'windows-registry-key--36594eba-bcc7-5014-9835-0e154264e588',
    );
  });

  it('gives our own objects stable ids, distinct per type', () => {
    const id = '0193b0f4-6c1e-7d3a-9f5e-2b1c4d5e6f70';
    expect(watchfloorStixId('incident', id)).toBe(watchfloorStixId('incident', id));
    expect(watchfloorStixId('incident', id)).toMatch(/^incident--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(watchfloorStixId('observed-data', id).slice(-36)).not.toBe(watchfloorStixId('incident', id).slice(-36));
  });
});
