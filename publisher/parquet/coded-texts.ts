// A dictionary-encoded text column kept as its dictionary and one Int32 code per row, the way
// the Parquet page stores it. Why: gold text columns (produit, pays, jour, mois) hold a handful of
// distinct values; materialising a string array per batch, then copying it while normalising,
// cost more than decoding every numeric column together (each store of a string into a large
// array also goes through the GC's write barrier). Kept coded, a batch is validated once per
// dictionary entry and the documents read dict[codes[i]].

export class CodedTexts {
  /** Row i is dict[codes[i]]; every code is a valid index (checked when decoded). */
  constructor(
    readonly codes: Int32Array,
    readonly dict: readonly (string | null)[],
  ) {}

  get length(): number {
    return this.codes.length;
  }

  /** The rows as a plain array (for consumers that need one: small tables, tests). */
  toArray(): (string | null)[] {
    const { codes, dict } = this;
    const out = new Array<string | null>(codes.length);
    for (let i = 0; i < codes.length; i++) out[i] = dict[codes[i] as number] ?? null;
    return out;
  }
}

/** `values` as an indexable array: coded texts are materialised, anything else is returned as is. */
export function plainValues(values: ArrayLike<unknown> | CodedTexts): ArrayLike<unknown> {
  return values instanceof CodedTexts ? values.toArray() : values;
}
