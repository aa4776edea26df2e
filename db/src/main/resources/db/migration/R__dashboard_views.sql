-- Views the dashboards (Grafana's PostgreSQL data source) and `rhlab status` read.
-- Repeatable: Flyway re-applies this file whenever it changes.

-- The latest attempt of every stage of every variant, with its progress as a fraction.
CREATE OR REPLACE VIEW stage_progress AS
SELECT DISTINCT ON (s.experiment_id, s.variant, s.stage)
       s.experiment_id,
       s.variant,
       s.stage,
       s.attempt,
       s.status,
       s.worker,
       s.progress_done,
       s.progress_total,
       CASE WHEN s.status IN ('completed', 'skipped') THEN 1.0
            WHEN s.progress_total IS NULL OR s.progress_total = 0 THEN 0.0
            ELSE s.progress_done::double precision / s.progress_total END AS fraction,
       s.started_at,
       s.updated_at,
       s.finished_at,
       s.error
FROM stage_runs s
ORDER BY s.experiment_id, s.variant, s.stage, s.id DESC;

-- One row per experiment: how far it is and how many attempts it took.
CREATE OR REPLACE VIEW experiment_overview AS
SELECT e.id AS experiment_id,
       e.name,
       e.status,
       e.created_at,
       e.finished_at,
       (SELECT count(*) FROM variants v WHERE v.experiment_id = e.id) AS variants,
       (SELECT count(*) FROM stage_progress p WHERE p.experiment_id = e.id
                                               AND p.status IN ('completed', 'skipped')) AS stages_done,
       (SELECT count(*) FROM stage_runs s WHERE s.experiment_id = e.id) AS attempts,
       (SELECT count(*) FROM stage_runs s WHERE s.experiment_id = e.id
                                           AND s.status IN ('failed', 'abandoned')) AS failed_attempts
FROM experiments e;

-- Metrics with their experiment and variant split out, for time-series panels.
CREATE OR REPLACE VIEW metric_series AS
SELECT split_part(m.run_id, '/', 1) AS experiment_id,
       split_part(m.run_id, '/', 2) AS variant,
       m.key,
       m.step,
       m.value,
       m.recorded_at
FROM metrics m;

-- The knockout curve per variant: top-K accuracy next to the mean, min and max over random draws.
CREATE OR REPLACE VIEW knockout_curve AS
SELECT k.experiment_id,
       k.variant,
       k.k,
       max(k.accuracy) FILTER (WHERE k.head_set = 'top')    AS top_k,
       avg(k.accuracy) FILTER (WHERE k.head_set = 'random') AS random_mean,
       min(k.accuracy) FILTER (WHERE k.head_set = 'random') AS random_min,
       max(k.accuracy) FILTER (WHERE k.head_set = 'random') AS random_max,
       count(*)        FILTER (WHERE k.head_set = 'random') AS random_draws
FROM knockout_results k
GROUP BY k.experiment_id, k.variant, k.k;

-- Per variant: the share of retrieval heads, recall of the reference's heads, downstream score.
CREATE OR REPLACE VIEW variant_findings AS
SELECT d.experiment_id,
       d.variant,
       d.retrieval_heads,
       d.total_heads,
       d.retrieval_heads::double precision / d.total_heads AS retrieval_share,
       d.accepted,
       d.tests,
       a.recall,
       a.downstream
FROM head_detections d
LEFT JOIN variant_analysis a ON a.experiment_id = d.experiment_id AND a.variant = d.variant;
