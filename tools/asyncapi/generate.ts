// `npm run asyncapi`: writes the AsyncAPI 3 document of the event contract to docs/asyncapi.json
// (or the path given), generated from libs/contracts so it cannot drift from the code.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { asyncApiDocument } from '@watchfloor/contracts';

const target = process.argv[2] ?? join(__dirname, '..', '..', 'docs', 'asyncapi.json');
writeFileSync(target, `${JSON.stringify(asyncApiDocument(), null, 2)}\n`);
process.stdout.write(`wrote ${target}\n`);
