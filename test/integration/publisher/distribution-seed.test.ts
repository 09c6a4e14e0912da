// The distribution rule against pandas on the shared seed purchases (reads ../shared, hence
// an integration test). The expected table was printed by pandas 1.5.3: pd.cut(montant, 12).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pandasCut } from '../../../publisher/derive/distribution.js';
import { sharedPath } from '../../support/paths.js';

const { path: seed, present: hasSeed } = sharedPath('the seed distribution test', 'data', 'seed', 'achats.csv');

describe.skipIf(!hasSeed)('distribution of the seed purchases', () => {
  it('matches pandas cut labels, edges and counts on the 23,663 seed purchases', () => {
    const lines = readFileSync(seed, 'utf8').trim().split('\n').slice(1);
    const montants = lines.map((l) => Number(l.split(',')[3]));
    expect(montants).toHaveLength(23_663);
    expect(pandasCut(montants).map((b) => [b.bucket, b.min, b.max, b.count])).toEqual([
      ['(9.53, 50.851]', 9.53, 50.851, 1987], ['(50.851, 91.682]', 50.851, 91.682, 1986], ['(91.682, 132.513]', 91.682, 132.513, 1986],
      ['(132.513, 173.343]', 132.513, 173.343, 1999], ['(173.343, 214.174]', 173.343, 214.174, 1959], ['(214.174, 255.005]', 214.174, 255.005, 2042],
      ['(255.005, 295.836]', 255.005, 295.836, 1912], ['(295.836, 336.667]', 295.836, 336.667, 1965], ['(336.667, 377.498]', 336.667, 377.498, 1940],
      ['(377.498, 418.328]', 377.498, 418.328, 2001], ['(418.328, 459.159]', 418.328, 459.159, 1932], ['(459.159, 499.99]', 459.159, 499.99, 1954],
    ]);
  });
});
