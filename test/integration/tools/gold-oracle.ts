// An independent oracle for the gold builder: GOLD_SPEC §4 written as DuckDB SQL over the raw
// CSVs (read as text), sharing no code with tools/gold-builder. Quantiles are DuckDB's
// quantile_cont (linear interpolation), whole days are floor(date_diff(ms) / 86 400 000), and
// Python's str.title() is spelled out character by character.
import type { DuckDBConnection } from '@duckdb/node-api';

const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/** Creates tables `o_<gold table>` in `conn` from `<sourcesDir>/{clients,achats}.csv`. */
export async function buildOracle(conn: DuckDBConnection, sourcesDir: string, nowIso: string): Promise<void> {
  const now = `TIMESTAMP ${sqlString(nowIso.replace('T', ' ').replace('Z', ''))}`;
  const csv = (file: string): string =>
    `read_csv(${sqlString(`${sourcesDir}/${file}`)}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"')`;
  const statements = [
    // DuckDB 1.5 hits an internal error in this optimizer on QUALIFY row_number() = 1.
    `SET disabled_optimizers = 'top_n_window_elimination'`,
    // Python str.title(): a letter after a cased character is lowered, any other is uppered.
    `CREATE OR REPLACE MACRO py_title(s) AS array_to_string(list_transform(range(1, length(s) + 1), i ->
       CASE WHEN i > 1 AND lower(substr(s, i - 1, 1)) <> upper(substr(s, i - 1, 1))
            THEN lower(substr(s, i, 1)) ELSE upper(substr(s, i, 1)) END), '')`,
    `CREATE OR REPLACE MACRO whole_days(later, earlier) AS CAST(floor(date_diff('millisecond', earlier, later) / 86400000.0) AS BIGINT)`,
    `CREATE OR REPLACE TABLE raw_clients AS SELECT row_number() OVER () AS rn, * FROM ${csv('clients.csv')}`,
    `CREATE OR REPLACE TABLE raw_achats AS SELECT row_number() OVER () AS rn, * FROM ${csv('achats.csv')}`,
    `CREATE OR REPLACE TABLE o_clients AS
     WITH typed AS (
       SELECT rn, TRY_CAST(trim(id_client) AS DOUBLE) AS idn, nom, email, pays,
              TRY_CAST(trim(date_inscription) AS TIMESTAMP) AS di
       FROM raw_clients)
     SELECT CAST(idn AS BIGINT) AS id_client, trim(nom) AS nom, lower(trim(email)) AS email,
            py_title(trim(pays)) AS pays, di AS date_inscription
     FROM typed
     WHERE idn IS NOT NULL AND idn = floor(idn) AND nom IS NOT NULL AND email IS NOT NULL AND pays IS NOT NULL
       AND di IS NOT NULL AND di >= TIMESTAMP '2000-01-01' AND di <= ${now} AND contains(email, '@')
     QUALIFY row_number() OVER (PARTITION BY idn ORDER BY rn) = 1`,
    `CREATE OR REPLACE TABLE o_achats AS
     WITH typed AS (
       SELECT rn, TRY_CAST(trim(id_achat) AS DOUBLE) AS ida, TRY_CAST(trim(id_client) AS DOUBLE) AS idc,
              TRY_CAST(trim(montant) AS DOUBLE) AS m, TRY_CAST(trim(date_achat) AS TIMESTAMP) AS d, produit
       FROM raw_achats)
     SELECT CAST(ida AS BIGINT) AS id_achat, CAST(idc AS BIGINT) AS id_client, d AS date_achat, m AS montant,
            py_title(trim(produit)) AS produit
     FROM typed
     WHERE ida IS NOT NULL AND ida = floor(ida) AND idc IS NOT NULL AND idc = floor(idc) AND m IS NOT NULL
       AND d IS NOT NULL AND produit IS NOT NULL AND d >= TIMESTAMP '2000-01-01' AND d <= ${now}
       AND m > 0 AND m <= 10000 AND CAST(idc AS BIGINT) IN (SELECT id_client FROM o_clients)
     QUALIFY row_number() OVER (PARTITION BY ida ORDER BY rn DESC) = 1`,
    `CREATE OR REPLACE TABLE o_ref AS SELECT max(date_achat) AS ref FROM o_achats`,
    `CREATE OR REPLACE TABLE o_fact_achats AS
     SELECT a.id_achat, a.id_client, a.date_achat, a.montant, a.produit, coalesce(c.pays, 'Inconnu') AS pays,
            strftime(a.date_achat, '%Y-%m-%d') AS jour, strftime(a.date_achat, '%Y-%m') AS mois,
            year(a.date_achat) AS annee
     FROM o_achats a LEFT JOIN o_clients c USING (id_client)`,
    `CREATE OR REPLACE TABLE o_client_features AS
     WITH w AS (
       SELECT id_client, count(*) AS n, sum(montant) AS s, count(DISTINCT produit) AS k
       FROM o_achats, o_ref WHERE date_achat >= ref - INTERVAL 365 DAY GROUP BY id_client),
     a AS (
       SELECT id_client, count(*) AS n, sum(montant) AS s, min(date_achat) AS fp, max(date_achat) AS lp
       FROM o_achats GROUP BY id_client)
     SELECT c.id_client, coalesce(w.n, 0) AS freq_12m, coalesce(w.s, 0) AS monetary_12m,
            coalesce(w.s / w.n, 0) AS monetary_avg_12m, coalesce(w.k, 0) AS product_diversity_12m,
            a.lp AS last_purchase, a.fp AS first_purchase,
            coalesce(whole_days(o_ref.ref, a.lp), 365) AS recency_days,
            coalesce(whole_days(o_ref.ref, a.fp), 0) AS tenure_days,
            coalesce(a.n, 0) AS total_orders_all, coalesce(a.s, 0) AS total_spend_all,
            coalesce(a.s / a.n, 0) AS avg_order_value_all, date_trunc('day', o_ref.ref) AS reference_date
     FROM o_clients c CROSS JOIN o_ref LEFT JOIN w USING (id_client) LEFT JOIN a USING (id_client)`,
    `CREATE OR REPLACE MACRO minmax_of(x, lo, hi) AS CASE WHEN hi = lo THEN 0.0 ELSE greatest(0.0, least(1.0, (x - lo) / (hi - lo))) END`,
    `CREATE OR REPLACE TABLE o_client_scores AS
     WITH q AS (
       SELECT quantile_cont(freq_12m, 0.95) AS q95, quantile_cont(monetary_12m, 0.75) AS mon_hi,
              quantile_cont(recency_days, 0.75) AS rec_hi, quantile_cont(recency_days, 0.25) AS rec_lo,
              quantile_cont(freq_12m, 0.75) AS freq_hi
       FROM o_client_features),
     capped AS (
       SELECT f.*, q.*, least(CAST(freq_12m AS DOUBLE), q95) AS fc, least(recency_days, 365) AS rc,
              greatest(monetary_12m, 0) AS mc, CAST(product_diversity_12m AS DOUBLE) AS dc
       FROM o_client_features f, q),
     scaled AS (
       SELECT *, minmax_of(fc, min(fc) OVER (), max(fc) OVER ()) AS fs,
              1 - minmax_of(rc, min(rc) OVER (), max(rc) OVER ()) AS rs,
              minmax_of(mc, min(mc) OVER (), max(mc) OVER ()) AS ms,
              minmax_of(dc, min(dc) OVER (), max(dc) OVER ()) AS ds
       FROM capped),
     prob AS (
       SELECT *, greatest(0.0, least(1.0, 0.45::DOUBLE * fs + 0.30::DOUBLE * rs + 0.15::DOUBLE * ms + 0.10::DOUBLE * ds)) AS p,
              greatest(1.0, least(greatest(tenure_days, 1) / 30.0, 365 / 30.0)) AS months_active
       FROM scaled)
     SELECT id_client, freq_12m, monetary_12m, monetary_avg_12m, product_diversity_12m, last_purchase,
            first_purchase, recency_days, tenure_days, total_orders_all, total_spend_all, avg_order_value_all,
            reference_date, p AS prob_reachat_12m, monetary_12m / months_active * 12 * p AS expected_value_12m,
            monetary_12m * (1 - p) AS value_at_risk_12m,
            CASE WHEN p >= 0.65 AND monetary_12m >= mon_hi THEN 'VIP'
                 WHEN p >= 0.55 AND recency_days <= rec_lo THEN 'Actifs'
                 WHEN monetary_12m >= mon_hi AND recency_days > rec_hi THEN 'A relancer'
                 WHEN freq_12m <= greatest(1, 0.5 * freq_hi) AND recency_days > rec_hi THEN 'Dormants'
                 ELSE 'A potentiel' END AS segment_label
     FROM prob`,
    `CREATE OR REPLACE TABLE o_segment_summary AS
     SELECT segment_label, count(*) AS clients, sum(monetary_12m) AS ca_12m, sum(expected_value_12m) AS expected_value_12m,
            sum(value_at_risk_12m) AS value_at_risk_12m, median(freq_12m) AS freq_med, median(recency_days) AS recency_med
     FROM o_client_scores GROUP BY segment_label ORDER BY expected_value_12m DESC`,
    `CREATE OR REPLACE TABLE o_dim_clients AS
     WITH a AS (
       SELECT id_client, count(*) AS n, sum(montant) AS s, min(date_achat) AS fp, max(date_achat) AS lp,
              count(DISTINCT produit) AS k
       FROM o_achats GROUP BY id_client)
     SELECT c.id_client, c.nom, c.email, c.pays, c.date_inscription, a.fp AS first_purchase, a.lp AS last_purchase,
            coalesce(whole_days(o_ref.ref, a.lp), 365) AS recency_days,
            whole_days(o_ref.ref, c.date_inscription) AS tenure_days,
            a.n AS total_orders, a.s AS total_spend, coalesce(a.s / a.n, 0) AS avg_order_value, a.k AS product_count
     FROM o_clients c CROSS JOIN o_ref LEFT JOIN a USING (id_client)`,
    `CREATE OR REPLACE TABLE o_ca_monthly AS SELECT mois, sum(montant) AS ca FROM o_fact_achats GROUP BY mois ORDER BY mois`,
    `CREATE OR REPLACE TABLE o_ca_country AS SELECT pays, sum(montant) AS ca FROM o_fact_achats GROUP BY pays ORDER BY ca DESC`,
    `CREATE OR REPLACE TABLE o_ca_product AS SELECT produit, sum(montant) AS ca FROM o_fact_achats GROUP BY produit ORDER BY ca DESC`,
    `CREATE OR REPLACE TABLE o_cohort_first_purchase AS
     WITH firsts AS (SELECT id_client, strftime(min(date_achat), '%Y-%m') AS m FROM o_achats GROUP BY id_client)
     SELECT f.m AS first_purchase_month, count(DISTINCT f.id_client) AS clients, sum(a.montant) AS ca
     FROM firsts f JOIN o_achats a USING (id_client) GROUP BY f.m ORDER BY f.m`,
  ];
  for (const sql of statements) await conn.run(sql);
}
