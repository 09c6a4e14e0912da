// Per-endpoint query features beyond the generic ones (limit, offset, sort, fields, after):
// filters and streamed exports. Keyed by catalog dataset name; columns are checked against
// the catalog when the routes are built, so a typo fails at start-up, not at request time.
import { SEGMENT_LABELS } from '../catalog/gold-catalog.js';

export type FilterSpec =
  /** Numeric bound on a column: `gte` for min_*, `lte` for max_*. */
  | { readonly param: string; readonly kind: 'range'; readonly column: string; readonly op: 'gte' | 'lte'; readonly min: number; readonly max: number }
  /** Comma-separated list of allowed values, matched with $in. */
  | { readonly param: string; readonly kind: 'oneOf'; readonly column: string; readonly values: readonly string[] }
  /**
   * Equality on a column of another dataset, joined on `key` (client_scores has no `pays`;
   * dim_clients has it, so /scores?pays= resolves the client ids there first).
   */
  | { readonly param: string; readonly kind: 'lookup'; readonly dataset: string; readonly column: string; readonly key: string };

export interface EndpointFeatures {
  readonly filters: readonly FilterSpec[];
  /** `format=csv|ndjson` (or Accept: text/csv / application/x-ndjson) streams the rows. */
  readonly exports: boolean;
}

const NONE: EndpointFeatures = Object.freeze({ filters: [], exports: false });

const FEATURES: Readonly<Record<string, EndpointFeatures>> = Object.freeze({
  client_scores: Object.freeze({
    exports: true,
    filters: Object.freeze([
      { param: 'segment', kind: 'oneOf', column: 'segment_label', values: SEGMENT_LABELS },
      { param: 'pays', kind: 'lookup', dataset: 'dim_clients', column: 'pays', key: 'id_client' },
      { param: 'min_prob', kind: 'range', column: 'prob_reachat_12m', op: 'gte', min: 0, max: 1 },
      { param: 'max_prob', kind: 'range', column: 'prob_reachat_12m', op: 'lte', min: 0, max: 1 },
      { param: 'min_expected', kind: 'range', column: 'expected_value_12m', op: 'gte', min: 0, max: Number.MAX_SAFE_INTEGER },
    ] satisfies FilterSpec[]),
  }),
});

export function endpointFeatures(datasetName: string): EndpointFeatures {
  return FEATURES[datasetName] ?? NONE;
}
