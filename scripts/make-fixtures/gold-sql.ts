// GOLD_SPEC §4 in DuckDB SQL: from raw_clients/raw_achats to the 9 gold tables, with the catalog's
// column names and order. "days between" = whole days rounded down; quantiles interpolate linearly.

const days = (later: string, earlier: string) => `CAST(floor(epoch(${later} - ${earlier}) / 86400) AS BIGINT)`;
const minmax = (x: string, over: string) =>
  `CASE WHEN max(${x}) OVER (${over}) = min(${x}) OVER (${over}) THEN 0.0 ELSE greatest(0.0, least(1.0, (${x} - min(${x}) OVER (${over})) / (max(${x}) OVER (${over}) - min(${x}) OVER (${over})))) END`;

export const GOLD_SQL: readonly string[] = [
  `CREATE TABLE ref AS SELECT max(date_achat) AS ref FROM raw_achats`,

  `CREATE TABLE fact_achats AS
   SELECT a.id_achat, a.id_client, a.date_achat, a.montant, a.produit, coalesce(c.pays, 'Inconnu') AS pays,
          strftime(a.date_achat, '%Y-%m-%d') AS jour, strftime(a.date_achat, '%Y-%m') AS mois,
          CAST(year(a.date_achat) AS BIGINT) AS annee
   FROM raw_achats a LEFT JOIN raw_clients c USING (id_client)
   ORDER BY a.date_achat, a.id_achat`,

  `CREATE TABLE client_features AS
   WITH w AS (SELECT a.* FROM raw_achats a, ref WHERE a.date_achat >= ref.ref - INTERVAL 365 DAY),
   wagg AS (SELECT id_client, count(*) AS n, sum(montant) AS s, avg(montant) AS m, count(DISTINCT produit) AS d FROM w GROUP BY id_client),
   allagg AS (SELECT id_client, min(date_achat) AS first_p, max(date_achat) AS last_p, count(*) AS n, sum(montant) AS s, avg(montant) AS m FROM raw_achats GROUP BY id_client)
   SELECT c.id_client,
          CAST(coalesce(wagg.n, 0) AS BIGINT) AS freq_12m,
          coalesce(wagg.s, 0.0) AS monetary_12m,
          coalesce(wagg.m, 0.0) AS monetary_avg_12m,
          CAST(coalesce(wagg.d, 0) AS BIGINT) AS product_diversity_12m,
          allagg.last_p AS last_purchase,
          allagg.first_p AS first_purchase,
          coalesce(${days('ref.ref', 'allagg.last_p')}, 365) AS recency_days,
          coalesce(${days('ref.ref', 'allagg.first_p')}, 0) AS tenure_days,
          CAST(coalesce(allagg.n, 0) AS BIGINT) AS total_orders_all,
          coalesce(allagg.s, 0.0) AS total_spend_all,
          coalesce(allagg.m, 0.0) AS avg_order_value_all,
          date_trunc('day', ref.ref)::TIMESTAMP AS reference_date
   FROM raw_clients c CROSS JOIN ref LEFT JOIN wagg USING (id_client) LEFT JOIN allagg USING (id_client)
   ORDER BY c.id_client`,

  `CREATE TABLE client_scores AS
   WITH q AS (
     SELECT quantile_cont(freq_12m, 0.95) AS q95f, quantile_cont(monetary_12m, 0.75) AS mon_hi,
            quantile_cont(recency_days, 0.75) AS rec_hi, quantile_cont(recency_days, 0.25) AS rec_lo,
            quantile_cont(freq_12m, 0.75) AS freq_hi
     FROM client_features),
   x AS (SELECT f.*, least(f.freq_12m, q.q95f) AS fx, least(f.recency_days, 365) AS rx, greatest(f.monetary_12m, 0) AS mx FROM client_features f, q),
   parts AS (
     SELECT x.*, ${minmax('fx', '')} AS f, 1 - ${minmax('rx', '')} AS r, ${minmax('mx', '')} AS m, ${minmax('product_diversity_12m', '')} AS d FROM x),
   prob AS (
     SELECT parts.*, greatest(0.0, least(1.0, 0.45 * f + 0.30 * r + 0.15 * m + 0.10 * d)) AS p,
            greatest(1.0, least(365.0 / 30, greatest(tenure_days, 1) / 30.0)) AS months_active
     FROM parts)
   SELECT id_client, freq_12m, monetary_12m, monetary_avg_12m, product_diversity_12m, last_purchase, first_purchase,
          recency_days, tenure_days, total_orders_all, total_spend_all, avg_order_value_all, reference_date,
          p AS prob_reachat_12m,
          monetary_12m / months_active * 12 * p AS expected_value_12m,
          monetary_12m * (1 - p) AS value_at_risk_12m,
          CASE WHEN p >= 0.65 AND monetary_12m >= q.mon_hi THEN 'VIP'
               WHEN p >= 0.55 AND recency_days <= q.rec_lo THEN 'Actifs'
               WHEN monetary_12m >= q.mon_hi AND recency_days > q.rec_hi THEN 'A relancer'
               WHEN freq_12m <= greatest(1, 0.5 * q.freq_hi) AND recency_days > q.rec_hi THEN 'Dormants'
               ELSE 'A potentiel' END AS segment_label
   FROM prob, q
   ORDER BY id_client`,

  `CREATE TABLE segment_summary AS
   SELECT segment_label, CAST(count(*) AS BIGINT) AS clients, sum(monetary_12m) AS ca_12m,
          sum(expected_value_12m) AS expected_value_12m, sum(value_at_risk_12m) AS value_at_risk_12m,
          CAST(median(freq_12m) AS DOUBLE) AS freq_med, CAST(median(recency_days) AS DOUBLE) AS recency_med
   FROM client_scores GROUP BY segment_label ORDER BY expected_value_12m DESC`,

  `CREATE TABLE dim_clients AS
   WITH agg AS (SELECT id_client, min(date_achat) AS first_p, max(date_achat) AS last_p, count(*) AS n, sum(montant) AS s, count(DISTINCT produit) AS pc FROM raw_achats GROUP BY id_client)
   SELECT c.id_client, c.nom, c.email, c.pays, c.date_inscription,
          agg.first_p AS first_purchase, agg.last_p AS last_purchase,
          coalesce(${days('ref.ref', 'agg.last_p')}, 365) AS recency_days,
          ${days('ref.ref', 'c.date_inscription')} AS tenure_days,
          CAST(agg.n AS BIGINT) AS total_orders, agg.s AS total_spend,
          coalesce(agg.s / agg.n, 0.0) AS avg_order_value,
          CAST(agg.pc AS BIGINT) AS product_count
   FROM raw_clients c CROSS JOIN ref LEFT JOIN agg USING (id_client)
   ORDER BY c.id_client`,

  `CREATE TABLE ca_monthly AS SELECT mois, sum(montant) AS ca FROM fact_achats GROUP BY mois ORDER BY mois`,
  `CREATE TABLE ca_country AS SELECT pays, sum(montant) AS ca FROM fact_achats GROUP BY pays ORDER BY ca DESC`,
  `CREATE TABLE ca_product AS SELECT produit, sum(montant) AS ca FROM fact_achats GROUP BY produit ORDER BY ca DESC`,

  `CREATE TABLE cohort_first_purchase AS
   WITH firsts AS (SELECT id_client, strftime(min(date_achat), '%Y-%m') AS m FROM raw_achats GROUP BY id_client)
   SELECT firsts.m AS first_purchase_month, CAST(count(DISTINCT a.id_client) AS BIGINT) AS clients, sum(a.montant) AS ca
   FROM firsts JOIN raw_achats a USING (id_client) GROUP BY firsts.m ORDER BY firsts.m`,
];
