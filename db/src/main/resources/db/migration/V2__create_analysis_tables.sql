-- Results of the retrieval-head science (issue 4). Every table has a natural primary key, so a
-- retried activity overwrites its rows (INSERT ... ON CONFLICT DO UPDATE) and never duplicates.

-- Task accuracy of one variant's model, overall ('all') and by slice: gold position for MDQA,
-- 'length=L,depth=D' for needle grids.
CREATE TABLE eval_results (
    experiment_id text             NOT NULL REFERENCES experiments (id),
    variant       text             NOT NULL,
    task          text             NOT NULL,      -- the evaluation set's name: kv, niah, mdqa, ...
    slice         text             NOT NULL,
    correct       integer          NOT NULL CHECK (correct >= 0),
    total         integer          NOT NULL CHECK (total >= correct),
    accuracy      double precision NOT NULL,
    recorded_at   timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (experiment_id, variant, task, slice)
);

-- Retrieval score of every head (Wu et al. 2024) of one variant's model on the detection set.
CREATE TABLE head_scores (
    experiment_id text             NOT NULL REFERENCES experiments (id),
    variant       text             NOT NULL,
    layer         integer          NOT NULL CHECK (layer >= 0),
    head          integer          NOT NULL CHECK (head >= 0),
    score         double precision NOT NULL,
    retrieval     boolean          NOT NULL,      -- score above the detection threshold
    PRIMARY KEY (experiment_id, variant, layer, head)
);

-- One row per detection: how many tests there were, how many were answered right (only those
-- count), the threshold, and the share of heads above it.
CREATE TABLE head_detections (
    experiment_id   text             NOT NULL REFERENCES experiments (id),
    variant         text             NOT NULL,
    tests           integer          NOT NULL CHECK (tests >= 0),
    accepted        integer          NOT NULL CHECK (accepted >= 0 AND accepted <= tests),
    threshold       double precision NOT NULL,
    retrieval_heads integer          NOT NULL CHECK (retrieval_heads >= 0),
    total_heads     integer          NOT NULL CHECK (total_heads > 0),
    recorded_at     timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (experiment_id, variant)
);

-- Accuracy with K heads knocked out: the top-K retrieval heads (draw 0) or K random other heads
-- (draws 1..n, seeded).
CREATE TABLE knockout_results (
    experiment_id text             NOT NULL REFERENCES experiments (id),
    variant       text             NOT NULL,
    k             integer          NOT NULL CHECK (k >= 0),
    head_set      text             NOT NULL CHECK (head_set IN ('top', 'random')),
    draw          integer          NOT NULL CHECK (draw >= 0),
    heads         text             NOT NULL,      -- 'L.H' list, for reading
    correct       integer          NOT NULL CHECK (correct >= 0),
    total         integer          NOT NULL CHECK (total >= correct),
    accuracy      double precision NOT NULL,
    PRIMARY KEY (experiment_id, variant, k, head_set, draw)
);

-- Head outputs patched from the reference variant's model into this variant's model.
CREATE TABLE patching_results (
    experiment_id  text             NOT NULL REFERENCES experiments (id),
    variant        text             NOT NULL,
    reference      text             NOT NULL,
    head_set       text             NOT NULL CHECK (head_set IN ('intersection', 'reference-only', 'random')),
    draw           integer          NOT NULL CHECK (draw >= 0),
    heads          text             NOT NULL,
    target_metric  double precision NOT NULL,     -- the variant's own model, unpatched
    reference_metric double precision NOT NULL,   -- the reference model
    patched_metric double precision NOT NULL,
    recovery       double precision,              -- (patched - target) / (reference - target); NULL when undefined
    PRIMARY KEY (experiment_id, variant, head_set, draw)
);

-- Cross-variant analysis: per variant, the recall of the reference's heads and the downstream
-- score; per experiment, their Spearman correlation and the report.
CREATE TABLE variant_analysis (
    experiment_id    text             NOT NULL REFERENCES experiments (id),
    variant          text             NOT NULL,
    retrieval_heads  integer          NOT NULL,
    recall           double precision,            -- NULL when the reference has no retrieval heads
    downstream       double precision NOT NULL,
    PRIMARY KEY (experiment_id, variant)
);

CREATE TABLE experiment_reports (
    experiment_id   text             PRIMARY KEY REFERENCES experiments (id),
    reference       text             NOT NULL,
    spearman        double precision,             -- NULL when undefined (fewer than 3 variants, ties)
    spearman_low    double precision,
    spearman_high   double precision,
    report_uri      text             NOT NULL,
    summary_uri     text             NOT NULL,
    summary         jsonb            NOT NULL,
    recorded_at     timestamptz      NOT NULL DEFAULT now()
);
