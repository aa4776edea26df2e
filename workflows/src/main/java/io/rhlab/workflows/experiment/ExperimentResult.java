package io.rhlab.workflows.experiment;

import io.rhlab.workflows.variant.VariantResult;
import java.util.List;

/** What an experiment produced, per variant. */
public record ExperimentResult(String experimentId, String specSha256, List<VariantResult> variants) {}
