-- The schema is the dashboard contract: Grafana panels and the CLI read these tables directly.
-- Never edit an applied migration; add a new one.

CREATE TABLE experiments (
    id            text PRIMARY KEY,               -- the Temporal workflow id
    name          text        NOT NULL,
    spec          jsonb       NOT NULL,           -- the validated spec, canonical JSON
    spec_sha256   char(64)    NOT NULL,
    status        text        NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz,
    error         text
);

CREATE TABLE variants (
    experiment_id text        NOT NULL REFERENCES experiments (id),
    name          text        NOT NULL,
    spec          jsonb       NOT NULL,
    status        text        NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz,
    error         text,
    PRIMARY KEY (experiment_id, name)
);

-- One row per activity attempt. A stage is memoized by stage_key (a hash of its inputs and the
-- code version): a completed row lets a re-submitted experiment skip the stage.
CREATE TABLE stage_runs (
    id               bigserial PRIMARY KEY,
    experiment_id    text        NOT NULL REFERENCES experiments (id),
    variant          text        NOT NULL,        -- '' for experiment-level stages
    stage            text        NOT NULL,
    stage_key        char(64)    NOT NULL,
    workflow_run_id  text        NOT NULL,
    activity_id      text        NOT NULL,
    attempt          integer     NOT NULL CHECK (attempt >= 1),
    status           text        NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'abandoned', 'skipped')),
    worker           text        NOT NULL,
    resumed_from     bigint,                      -- progress unit the attempt started from (chunk, step)
    progress_done    bigint      NOT NULL DEFAULT 0,
    progress_total   bigint,
    started_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz,
    error            text,
    result           jsonb,
    UNIQUE (workflow_run_id, activity_id, attempt)
);
CREATE INDEX stage_runs_key_idx ON stage_runs (stage_key, status);
CREATE INDEX stage_runs_experiment_idx ON stage_runs (experiment_id, variant, stage);

-- MLflow-like metrics: (run, key, step) is the natural key, so a retried write is an upsert.
CREATE TABLE metrics (
    run_id        text             NOT NULL,      -- '<experiment>/<variant>'
    key           text             NOT NULL,
    step          bigint           NOT NULL,
    value         double precision NOT NULL,
    recorded_at   timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, key, step)
);

-- Every object a stage wrote and verified; registered only after its sha256 was read back.
CREATE TABLE artifacts (
    uri           text        PRIMARY KEY,        -- s3://bucket/key
    kind          text        NOT NULL,           -- data-part, data-manifest, checkpoint, report, ...
    sha256        char(64)    NOT NULL,
    bytes         bigint      NOT NULL CHECK (bytes >= 0),
    experiment_id text        NOT NULL REFERENCES experiments (id),
    variant       text        NOT NULL,
    stage         text        NOT NULL,
    stage_key     char(64)    NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX artifacts_stage_key_idx ON artifacts (stage_key, kind);

-- Training checkpoints: the authoritative resume point (heartbeats only hint at it).
CREATE TABLE checkpoints (
    run_id        text        NOT NULL,
    step          bigint      NOT NULL CHECK (step >= 0),
    stage_key     char(64)    NOT NULL,
    manifest_uri  text        NOT NULL,
    manifest_sha256 char(64)  NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, step)
);
CREATE INDEX checkpoints_stage_key_idx ON checkpoints (stage_key, step DESC);
